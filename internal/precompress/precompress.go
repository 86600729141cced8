// Package precompress makes the brotli and gzip forms of the static files
// at build time (`make wasm` runs ./internal/cmd/precompress on static/),
// so that the server embeds them and sends the best form from its first
// request instead of compressing at start-up.
//
// Beside each file NAME of at least MinSize bytes it writes NAME.br and
// NAME.gz, and it records in Sums (static/precompressed.sums) the SHA-256
// of the file each was made from. A file whose hash is already there is
// not compressed again (brotli at quality 11 takes about 10 s per WASM
// program on a 2-core machine), and the server trusts a compressed form
// only if the sums name the bytes it embeds.
package precompress

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// MinSize is the size below which a file is not compressed: the saving
// would not pay for the work.
const MinSize = 1024

// Sums is the name of the file, in the directory, that lists the hash of
// each file whose compressed forms are there.
const Sums = "precompressed.sums"

// Header is the first line of Sums. It names the settings: a change to
// them changes it, and every file is compressed again.
const Header = "# precompress v1: brotli quality 11 lgwin 22 (and 24 above 4 MB, the smaller kept), gzip level 9"

// Encodings are the Content-Encodings made, each with its file suffix.
var Encodings = []struct{ Name, Suffix string }{{"br", ".br"}, {"gzip", ".gz"}}

// IsCompressedForm reports whether name is a compressed form or the sums,
// not a file to serve as itself.
func IsCompressedForm(name string) bool {
	return path.Base(name) == Sums || strings.HasSuffix(name, ".br") || strings.HasSuffix(name, ".gz") || strings.HasSuffix(name, ".tmp")
}

// Gzip compresses data at gzip's best compression.
func Gzip(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Brotli compresses data at quality 11. A file larger than brotli's
// default window (4 MB, lgwin 22) is also tried with the largest window the
// format allows (16 MB, lgwin 24, which every browser decodes), and the
// smaller result kept: for the WASM programs (5-6 MB) either can win by a
// few KB, and each program's 1 MB budget is measured as sent.
func Brotli(data []byte) ([]byte, error) {
	best, err := brotliWindow(data, 22)
	if err != nil || len(data) <= 1<<22 {
		return best, err
	}
	wide, err := brotliWindow(data, 24)
	if err == nil && len(wide) < len(best) {
		best = wide
	}
	return best, err
}

func brotliWindow(data []byte, lgwin int) ([]byte, error) {
	var buf bytes.Buffer
	bw := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: lgwin})
	if _, err := bw.Write(data); err != nil {
		return nil, err
	}
	if err := bw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Encode compresses data for the Content-Encoding name ("br" or "gzip").
func Encode(name string, data []byte) ([]byte, error) {
	switch name {
	case "br":
		return Brotli(data)
	case "gzip":
		return Gzip(data)
	}
	return nil, fmt.Errorf("no encoder for %q", name)
}

// Sum is the hex SHA-256 of data, as Sums records it.
func Sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// ReadSums reads the sums of fsys's directory dir ("." for the root): for
// each file name, the hash of the bytes its compressed forms were made
// from. A missing file, or one made with other settings, is empty.
func ReadSums(fsys fs.FS, dir string) map[string]string {
	sums := map[string]string{}
	data, err := fs.ReadFile(fsys, path.Join(dir, Sums))
	if err != nil {
		return sums
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	if !sc.Scan() || sc.Text() != Header {
		return sums
	}
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if ok {
			sums[name] = sum
		}
	}
	return sums
}

// Forms returns the compressed forms of the file name of fsys, by
// Content-Encoding, if the sums say they were made from data; nil if any is
// missing or stale.
func Forms(fsys fs.FS, sums map[string]string, name string, data []byte) map[string][]byte {
	if sums[name] == "" || sums[name] != Sum(data) {
		return nil
	}
	forms := map[string][]byte{}
	for _, enc := range Encodings {
		body, err := fs.ReadFile(fsys, name+enc.Suffix)
		if err != nil {
			return nil
		}
		forms[enc.Name] = body
	}
	return forms
}

// Dir writes the compressed forms of every file of dir (and below) of at
// least MinSize bytes whose sums do not already name its bytes, in
// parallel, removes the forms of files that are gone or too small, and
// rewrites the sums. It returns the names it compressed.
func Dir(dir string) ([]string, error) {
	fsys := os.DirFS(dir)
	old := ReadSums(fsys, ".")
	var names, forms []string
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		switch {
		case err != nil || d.IsDir() || strings.HasPrefix(path.Base(name), "."):
			return err
		case IsCompressedForm(name):
			forms = append(forms, name)
		default:
			names = append(names, name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(names)

	sums := map[string]string{}
	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		errs    []error
		redone  []string
		inputs  = map[string]bool{}
		workers = make(chan struct{}, 2)
	)
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		if len(data) < MinSize {
			continue
		}
		inputs[name] = true
		sum := Sum(data)
		sums[name] = sum
		if Forms(fsys, old, name, data) != nil {
			continue
		}
		redone = append(redone, name)
		for _, enc := range Encodings {
			wg.Go(func() {
				workers <- struct{}{}
				defer func() { <-workers }()
				body, err := Encode(enc.Name, data)
				if err == nil {
					err = writeFile(filepath.Join(dir, filepath.FromSlash(name+enc.Suffix)), body)
				}
				if err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("%s (%s): %w", name, enc.Name, err))
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	// Forms of files that are gone or now too small, and leftovers of an
	// interrupted build.
	for _, form := range forms {
		base := strings.TrimSuffix(form, ".tmp")
		for _, enc := range Encodings {
			base = strings.TrimSuffix(base, enc.Suffix)
		}
		if base != path.Base(Sums) && (!inputs[base] || strings.HasSuffix(form, ".tmp")) {
			_ = os.Remove(filepath.Join(dir, filepath.FromSlash(form)))
		}
	}
	var out strings.Builder
	out.WriteString(Header + "\n")
	for _, name := range names {
		if sum, ok := sums[name]; ok {
			out.WriteString(sum + "  " + name + "\n")
		}
	}
	return redone, writeFile(filepath.Join(dir, Sums), []byte(out.String()))
}

// writeFile writes data to name through a temporary file, so that an
// interrupted build leaves the old file or the new one, never half of one.
func writeFile(name string, data []byte) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}
