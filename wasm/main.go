//go:build js && wasm

// Command wasm is the playground's browser side, built to static/main.wasm.
//
// It is the only code that touches JavaScript, and it does so through safejs,
// which turns JavaScript exceptions into Go errors instead of panics. For now
// it only reports that it has started.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/hack-pad/safejs"
	"github.com/sync-vs-async/playground/web"
)

func main() {
	if err := reportReady(); err != nil {
		// wasm_exec.js sends stderr to the browser console.
		fmt.Fprintln(os.Stderr, "wasm:", err)
	}
	// Stay alive: later, event handlers registered with JavaScript run on this program.
	select {}
}

// reportReady sets the text of the page's status element to "WASM ready".
func reportReady() error {
	document, err := safejs.Global().Get("document")
	if err != nil {
		return err
	}
	status, err := document.Call("getElementById", web.StatusID)
	if err != nil {
		return err
	}
	if status.IsNull() {
		return errors.New("no element with id " + web.StatusID)
	}
	return status.Set("textContent", "WASM ready")
}
