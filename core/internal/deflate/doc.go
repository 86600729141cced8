// Package deflate writes raw DEFLATE (RFC 1951) for the share links, in a
// few hundred bytes of code: greedy LZ77 matching over a 32 KB window with
// hash chains, coded with the format's fixed Huffman codes, in one block.
// Any inflater reads it; the links are read with compress/flate's reader,
// which also reads every link written before (at compress/flate's
// BestCompression).
//
// It exists for the size of the WebAssembly programs: compress/flate's
// writer, even cut down to the one level the links used, cost the sandbox
// about 21 KB of its 1 MB (brotli) budget. Its output is a little larger
// than BestCompression's (the tests bound how much, on real scenarios).
//
// RFC 1951: https://www.rfc-editor.org/rfc/rfc1951
package deflate
