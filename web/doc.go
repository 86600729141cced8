// Package web holds the playground's views: pure functions from state to
// gomponents nodes.
//
// The server renders pages with them and the WASM program re-renders parts of
// them in the browser, so this package must stay free of I/O. In particular it
// never imports maragu.dev/gomponents/http, which would drag net/http into the
// WASM binary.
package web
