//go:build !js

package core

// chunkBits and chunkSize are variables only so that a test can make
// chunks small, and freeing (reclaim.go) happen in small runs; nothing else
// changes them. In WebAssembly, which does not free (reclaim_js.go), they
// are constants.
var (
	chunkBits = 14
	chunkSize = 1 << chunkBits
)

// reclaiming: untraced runs free what they are done with (reclaim.go).
const reclaiming = true
