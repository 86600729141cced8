// Starts the page's Go program — /static/main.wasm, or the one the script
// tag names in data-wasm (the sandbox's) — with the Go runtime glue of
// wasm_exec.js, which the page loads (deferred) before this file.
//
// This is the loader only: behaviour lives in Go. If the program cannot be
// loaded, the status element (web.StatusID) says why; if it dies later (a
// panic that escapes, out of memory), a banner says so and offers a reload.
"use strict";

(() => {
  const wasmURL = document.currentScript?.dataset.wasm || "/static/main.wasm";
  // A static export's pages name their service worker (static/sw.js),
  // which keeps the site working offline; the Go server's do not.
  const serviceWorkerURL = document.currentScript?.dataset.sw;
  const statusID = "wasm-status";
  // Set to the page's path before "Reload with your work": the sandbox then
  // restores its saved draft without asking (wasm/draft.go's restoreKey).
  const restoreKey = "restore-after-crash";

  // showStatus shows text in the status element and says on the body what
  // happened (data-wasm), which also shows the element again if the
  // program had started (the style sheet hides it while data-wasm=ready).
  const showStatus = (text, state) => {
    const status = document.getElementById(statusID);
    if (status) {
      status.textContent = text;
    }
    document.body.dataset.wasm = state;
  };

  // showError puts a readable message into the status element.
  const showError = (err) => {
    const reason = err instanceof Error ? err.message : String(err);
    const message = "WASM failed to load: " + reason;
    showStatus(message, "failed");
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
  let exitCode = null;
  const exit = go.exit;
  go.exit = (code) => {
    exitCode = code;
    exit(code);
  };

  // showDead says that the program has stopped, once: every control is
  // dead, so they are disabled, and a reload brings the work back (the
  // playground's is in the URL, the sandbox's in the URL and localStorage).
  let dead = false;
  const showDead = (why) => {
    if (dead) {
      return;
    }
    dead = true;
    // The handlers Go left would throw "Go program has already exited" at
    // every event, and a pending Go timer would spin: quiet both (these are
    // wasm_exec.js's internals, from the same Go as the program).
    go._resume = () => {};
    for (const timer of go._scheduledTimeouts?.values() ?? []) {
      clearTimeout(timer);
    }
    go._scheduledTimeouts?.clear();

    showStatus("WASM stopped", "stopped");
    for (const el of document.querySelectorAll("main button, main input, main select, main textarea")) {
      el.disabled = true;
    }
    const banner = document.createElement("div");
    banner.className = "crash-banner";
    banner.setAttribute("role", "alert");
    const text = document.createElement("p");
    text.textContent = `The simulator on this page has stopped (${why}), so nothing on it responds any more. ` +
      "Your work is kept in the address bar and in this browser.";
    const reload = document.createElement("button");
    reload.type = "button";
    reload.textContent = "Reload with your work";
    reload.addEventListener("click", () => {
      try {
        sessionStorage.setItem(restoreKey, location.pathname);
      } catch {
        // No session storage: the sandbox offers the draft instead.
      }
      location.reload();
    });
    banner.append(text, reload);
    (document.querySelector("main") ?? document.body).prepend(banner);
    reload.focus();
  };
  const exitReason = () => exitCode ? `its program exited with code ${exitCode}` : "its program ended";

  // A trap (a WebAssembly.RuntimeError) leaves the program unusable
  // without going through exit.
  window.addEventListener("error", (ev) => {
    if (ev.error instanceof WebAssembly.RuntimeError) {
      showDead("its program crashed: " + ev.error.message);
    }
  });
  // offline registers the service worker and says, in a polite live
  // region of the site header, when the page works offline, when the
  // network is gone, and when a new version has been installed. The body's
  // data-sw says the same for tests: "ready" once this version is cached,
  // "updated" once a newer one has replaced it.
  const offline = () => {
    if (!serviceWorkerURL || !("serviceWorker" in navigator)) {
      return;
    }
    const notice = document.createElement("p");
    notice.className = "site-notice";
    notice.setAttribute("role", "status");
    notice.setAttribute("aria-live", "polite");
    (document.querySelector(".site-header") ?? document.body).append(notice);
    let said = "";
    const say = (text) => {
      said = text;
      notice.textContent = navigator.onLine ? said :
        "You are offline: the playground keeps working from this browser's copy." + (said ? " " + said : "");
    };
    window.addEventListener("online", () => say(said));
    window.addEventListener("offline", () => say(said));
    say("");
    // The worker takes control once it has cached everything (it claims
    // the open pages on activating): of a page it did not control yet, or,
    // after a new build, in place of the version that did.
    // It says so once that worker has activated: then the caches of other
    // versions are gone (a worker that skips waiting takes control before).
    const hadController = !!navigator.serviceWorker.controller;
    const installed = () => {
      if (hadController) {
        document.body.dataset.sw = "updated";
        say("A new version of the playground is ready: reload the page to use it.");
      } else {
        document.body.dataset.sw = "ready";
        say("This site now works offline too.");
      }
    };
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      const worker = navigator.serviceWorker.controller;
      if (!worker || worker.state === "activated") {
        installed();
        return;
      }
      worker.addEventListener("statechange", () => {
        if (worker.state === "activated") {
          installed();
        }
      });
    });
    navigator.serviceWorker.register(serviceWorkerURL).then((registration) => {
      if (hadController && !registration.installing && !registration.waiting && !document.body.dataset.sw) {
        document.body.dataset.sw = "ready";
      }
    }, (err) => {
      console.warn("offline copy unavailable: " + (err instanceof Error ? err.message : String(err)));
    });
  };
  offline();

  instantiate(go.importObject).then(
    (result) => go.run(result.instance).then(
      () => showDead(exitReason()),
      (err) => showDead("its program crashed: " + (err instanceof Error ? err.message : String(err))),
    ),
    showError,
  );
})();
