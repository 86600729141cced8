package deflate

import (
	"bytes"
	"compress/flate"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// stdlib compresses data as compress/flate does at BestCompression, written
// in one call and closed: what Compress must match byte for byte.
func stdlib(t testing.TB, data []byte) []byte {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func check(t testing.TB, data []byte) {
	got, err := Compress(data)
	if err != nil {
		t.Fatal(err)
	}
	if want := stdlib(t, data); !bytes.Equal(got, want) {
		t.Fatalf("Compress(%d bytes) = %d bytes, differs from compress/flate's %d bytes", len(data), len(got), len(want))
	}
	back, err := io.ReadAll(flate.NewReader(bytes.NewReader(got)))
	if err != nil || !bytes.Equal(back, data) {
		t.Fatalf("Compress(%d bytes) does not decompress to its input (%v)", len(data), err)
	}
}

func TestCompressMatchesCompressFlate(t *testing.T) {
	check(t, nil)
	check(t, []byte("a"))
	check(t, []byte(`{"nodes":[{"id":"a"},{"id":"b"}]}`))
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{3, 100, 1000, 65535, 65536, 70000, 200000, 1 << 20} {
		random := make([]byte, n)
		text := make([]byte, n)
		for i := range random {
			random[i] = byte(r.Uint32())
			text[i] = "  abcdeeeeffffghij{}\":,\n"[r.IntN(24)]
		}
		check(t, random)
		check(t, text)
	}
	// Real scenarios, as share links carry them (and runs of them, past
	// the window and the block size).
	files, err := filepath.Glob("../../examples/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no example scenarios: %v", err)
	}
	var all []byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		check(t, data)
		all = append(all, data...)
	}
	check(t, all)
	check(t, bytes.Repeat(all, 3))
}

func FuzzCompressMatchesCompressFlate(f *testing.F) {
	f.Add([]byte(`{"nodes":[{"id":"a"},{"id":"b"}]}`))
	f.Add(bytes.Repeat([]byte("abc"), 1000))
	f.Fuzz(func(t *testing.T, data []byte) { check(t, data) })
}
