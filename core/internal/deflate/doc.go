// Package deflate is the writer half of compress/flate (Go 1.26) cut down
// to the one thing the share links need: raw DEFLATE at BestCompression,
// in one call. Its output is byte for byte compress/flate's (the tests and
// a fuzz target hold it to that), so the links it writes are the ones the
// playground always wrote; links are read with compress/flate's reader.
//
// The copy exists for the size of the WebAssembly programs: compress/flate's
// writer compiles in every level (stored, Huffman-only, the BestSpeed
// encoder, dictionaries, flushing) and an fmt.Errorf for a bad level, none
// of which a share link uses.
package deflate
