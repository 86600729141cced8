// Command precompress writes the brotli and gzip forms of the files of a
// directory beside them (NAME.br, NAME.gz) and records what they were made
// from, skipping files that have not changed. `make wasm` runs it on
// static/; see package precompress.
//
//	go run ./internal/cmd/precompress DIR
package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/sync-vs-async/playground/internal/precompress"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/cmd/precompress DIR")
		os.Exit(2)
	}
	start := time.Now()
	done, err := precompress.Dir(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "precompress:", err)
		os.Exit(1)
	}
	what := "nothing changed"
	if len(done) > 0 {
		what = "compressed " + strings.Join(done, ", ")
	}
	fmt.Fprintf(os.Stderr, "precompress: %s: %s in %s\n", os.Args[1], what, time.Since(start).Round(time.Millisecond))
}
