// Starts the page's Go program — /static/main.wasm, or the one the script
// tag names in data-wasm (the sandbox's) — with the Go runtime glue of
// wasm_exec.js, which the page loads (deferred) before this file.
//
// This is the loader only: behaviour lives in Go. If the program cannot be
// loaded, the status element (web.StatusID) says why.
"use strict";

(() => {
  const wasmURL = document.currentScript?.dataset.wasm || "/static/main.wasm";
  const statusID = "wasm-status";

  // showError puts a readable message into the status element.
  const showError = (err) => {
    const reason = err instanceof Error ? err.message : String(err);
    const message = "WASM failed to load: " + reason;
    const status = document.getElementById(statusID);
    if (status) {
      status.textContent = message;
    }
    console.error(message, err);
  };

  // instantiateBytes fetches main.wasm whole and instantiates it.
  const instantiateBytes = async (importObject) => {
    const response = await fetch(wasmURL);
    if (!response.ok) {
      throw new Error(`${wasmURL}: HTTP ${response.status} ${response.statusText}`.trim());
    }
    return WebAssembly.instantiate(await response.arrayBuffer(), importObject);
  };

  // instantiate compiles main.wasm while it downloads. Without
  // instantiateStreaming, or when it refuses the response (a TypeError: a
  // MIME type other than application/wasm, a failed fetch, an HTTP error),
  // it falls back to fetching the bytes, which also names an HTTP error.
  const instantiate = async (importObject) => {
    if (typeof WebAssembly.instantiateStreaming === "function") {
      try {
        return await WebAssembly.instantiateStreaming(fetch(wasmURL), importObject);
      } catch (err) {
        if (!(err instanceof TypeError)) {
          throw err; // a compile or link error: loading again cannot help
        }
      }
    }
    return instantiateBytes(importObject);
  };

  if (typeof WebAssembly !== "object") {
    showError(new Error("this browser does not support WebAssembly"));
    return;
  }
  if (typeof Go !== "function") {
    showError(new Error("/static/wasm_exec.js did not load"));
    return;
  }
  const go = new Go();
  instantiate(go.importObject)
    .then((result) => go.run(result.instance))
    .catch(showError);
})();
