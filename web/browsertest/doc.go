//go:build !js

// Package browsertest drives the playground in a headless Chromium.
//
// It has only tests. TestMain builds the server binary once, serves the
// playground on a free local port, and each test starts /usr/bin/chromium
// with a fresh profile through chromedp. The root package embeds static/, so
// run `make wasm` first (`make test` does).
//
// The package cannot build for js/wasm, so its files carry the constraint
// !js.
package browsertest
