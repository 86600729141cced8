package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/sync-vs-async/playground/internal/precompress"
)

// sizesCommand prints the sizes of the two WASM programs in files, as they
// are, gzipped and brotli-compressed as the server sends them (the forms
// `make wasm` wrote beside them, or, if they are missing or stale, the
// same compression done here), as
// `name: value unit` lines for make bench: wasm_* for main.wasm (the
// playground and the lessons), sandbox_wasm_* for sandbox.wasm,
// challenge_wasm_* for challenge.wasm (the challenge pages). It
// returns the exit code.
func sizesCommand(args []string, files fs.FS, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "usage: go run . sizes")
		return 2
	}
	for _, w := range []struct{ file, prefix string }{{"main.wasm", "wasm"}, {"sandbox.wasm", "sandbox_wasm"}, {"challenge.wasm", "challenge_wasm"}} {
		data, err := fs.ReadFile(files, w.file)
		if errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(stderr, "sizes: static/%s is not built: run `make wasm` first; it is embedded when the program is compiled\n", w.file)
			return 1
		}
		if err != nil {
			fmt.Fprintf(stderr, "sizes: reading %s: %v\n", w.file, err)
			return 1
		}
		a := newAsset(contentType(w.file), data)
		if forms := precompress.Forms(files, precompress.ReadSums(files, "."), w.file, data); forms != nil {
			a.useForms(forms)
		}
		if err := a.compress(); err != nil {
			fmt.Fprintf(stderr, "sizes: compressing %s: %v\n", w.file, err)
			return 1
		}
		encoded := a.encoded.Load()
		if encoded == nil || (*encoded)["gzip"] == nil || (*encoded)["br"] == nil {
			fmt.Fprintf(stderr, "sizes: %s (%d bytes) is too small to be compressed\n", w.file, len(data))
			return 1
		}
		fmt.Fprintf(stdout, "%s_raw_bytes: %d bytes\n", w.prefix, len(data))
		fmt.Fprintf(stdout, "%s_gzip_bytes: %d bytes\n", w.prefix, len((*encoded)["gzip"].body))
		fmt.Fprintf(stdout, "%s_brotli_bytes: %d bytes\n", w.prefix, len((*encoded)["br"].body))
	}
	return 0
}
