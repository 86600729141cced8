//go:build !js

// Package browsertest drives the playground in a headless Chromium.
//
// It has only tests. TestMain builds the server binary once and serves the
// playground on a free local port. Most tests open tabs in one Chromium that
// the package shares (sharedBrowser); a tab that must see the page as a
// stranger does, such as one opening a share link, gets a new browser context
// (openFreshPage); the cold-start measurement starts a browser with a fresh
// profile for each load (newBrowser). The root package embeds static/, so run
// `make wasm` first (`make test` does); TestMain warns when main.wasm is older
// than the Go code it is built from.
//
// Every test fails on a console error, warning, uncaught exception or Go
// panic. A failure message that starts with "APP BUG:" points at a known bug
// in the playground rather than in the test. Measurements are logged as
// `name: value unit` lines: page_interactive_ms, load_100k_ms, run_100k_ms
// and jump_100k_ms. TestScreenshots logs the paths of its screenshots, which
// stay in the temporary directory for a person to look at.
//
// The package cannot build for js/wasm, so its files carry the constraint
// !js.
package browsertest
