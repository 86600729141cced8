//go:build js

package core

// See store_chunks.go.
const (
	chunkBits = 14
	chunkSize = 1 << chunkBits
)

// nowQueue is off in WebAssembly, for the sandbox program's size budget:
// every event goes through the heap, in the same order.
const nowQueue = false

// reclaiming is off in WebAssembly (reclaim_js.go).
const reclaiming = false
