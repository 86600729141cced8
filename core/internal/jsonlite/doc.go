// Package jsonlite reads and writes JSON the way encoding/json does, for
// the shapes the core's types use, in a fraction of its code: linked into
// the browser's WebAssembly programs, encoding/json alone cost about 38 KB
// of brotli in each.
//
// What it covers: structs (json tags with omitempty and omitzero, embedded
// structs promoted as encoding/json promotes them, keys matched exactly
// and then ignoring case), pointers, slices, maps with string or integer
// keys, any, bool, integers, floats, strings, [Number], [RawMessage], and
// types with MarshalJSON / UnmarshalJSON. Output is byte for byte
// encoding/json's (fields in declaration order, map keys sorted, HTML
// characters escaped); syntax errors are its scanner's, copied, word for
// word. Two things differ on purpose: an unknown field is an
// [UnknownFieldError] whose Field is its full path, and of several type
// errors in one document the first is reported.
//
// FuzzMatchesEncodingJSON holds the package to encoding/json itself.
package jsonlite
