// Package deflate writes and reads raw DEFLATE (RFC 1951) for the share
// links, in a few hundred lines of code.
//
// Compress: greedy LZ77 matching over a 32 KB window with hash chains,
// coded with the format's fixed Huffman codes, in one block. Any inflater
// reads it. Its output is a little larger than compress/flate's
// BestCompression (the tests bound how much, on real scenarios).
//
// Inflate: every block kind (stored, fixed and dynamic codes), so it also
// reads every link written before this package (at compress/flate's
// BestCompression). It accepts and refuses what compress/flate's reader
// does; a test and a fuzz target hold the two together.
//
// Both exist for the size of the WebAssembly programs: compress/flate's
// writer, even cut down to the one level the links used, cost the sandbox
// about 21 KB of its 1 MB (brotli) budget, and its reader (with the
// encoder tables its package builds at start) about 18 KB more.
//
// RFC 1951: https://www.rfc-editor.org/rfc/rfc1951
package deflate
