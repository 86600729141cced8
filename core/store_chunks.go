//go:build !js

package core

// chunkBits and chunkSize are variables only so that a test can make
// chunks small, and freeing (reclaim.go) happen in small runs; nothing else
// changes them. In WebAssembly they are constants: the browser's build
// inlines nothing, and a constant shift costs no load.
var (
	chunkBits = 14
	chunkSize = 1 << chunkBits
)
