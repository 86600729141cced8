//go:build js

package core

// See store_chunks.go.
const (
	chunkBits = 14
	chunkSize = 1 << chunkBits
)
