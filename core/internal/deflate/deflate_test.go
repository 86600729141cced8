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

// stdlib compresses data as compress/flate does at BestCompression, as the
// links were written before this package.
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

// roundTrip compresses data and reads it back with compress/flate, and
// returns the compressed size.
func roundTrip(t testing.TB, data []byte) int {
	got, err := Compress(data)
	if err != nil {
		t.Fatal(err)
	}
	back, err := io.ReadAll(flate.NewReader(bytes.NewReader(got)))
	if err != nil || !bytes.Equal(back, data) {
		t.Fatalf("Compress(%d bytes) does not decompress to its input (%v)", len(data), err)
	}
	return len(got)
}

func TestCompressReadsBackWithCompressFlate(t *testing.T) {
	roundTrip(t, nil)
	roundTrip(t, []byte("a"))
	roundTrip(t, []byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"))
	roundTrip(t, []byte(`{"nodes":[{"id":"a"},{"id":"b"}]}`))
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{3, 100, 1000, 65535, 65536, 70000, 200000, 1 << 20} {
		random := make([]byte, n)
		text := make([]byte, n)
		for i := range random {
			random[i] = byte(r.Uint32())
			text[i] = "  abcdeeeeffffghij{}\":,\n"[r.IntN(24)]
		}
		roundTrip(t, random)
		roundTrip(t, text)
	}
	// Every length and distance code: a run repeated at growing distances.
	var b bytes.Buffer
	for d := 1; d < 40000; d = d*2 + 1 {
		chunk := make([]byte, d)
		for i := range chunk {
			chunk[i] = byte(r.Uint32())
		}
		for _, n := range []int{3, 4, 10, 11, 13, 100, 257, 258, 300} {
			b.Write(chunk)
			b.Write(chunk[:min(n, len(chunk))])
		}
	}
	roundTrip(t, b.Bytes())
}

// TestCompressIsCloseToBestCompression bounds what the smaller writer
// costs the links: on the built-in scenarios, at most a quarter more than
// compress/flate at BestCompression.
func TestCompressIsCloseToBestCompression(t *testing.T) {
	files, err := filepath.Glob("../../examples/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples (%v)", err)
	}
	var ours, best int
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n, s := roundTrip(t, data), len(stdlib(t, data))
		ours, best = ours+n, best+s
		if float64(n) > 1.35*float64(s) {
			t.Errorf("%s: %d bytes, against %d at BestCompression", filepath.Base(f), n, s)
		}
	}
	t.Logf("the examples: %d bytes, against %d at BestCompression (%.1f%% more)", ours, best, 100*float64(ours-best)/float64(best))
	if float64(ours) > 1.25*float64(best) {
		t.Errorf("in all %d bytes, more than a quarter over BestCompression's %d", ours, best)
	}
}

func FuzzCompressReadsBack(f *testing.F) {
	f.Add([]byte(`{"name":"x","nodes":[{"id":"a","kind":"client"}]}`))
	f.Add(bytes.Repeat([]byte("abc"), 1000))
	f.Fuzz(func(t *testing.T, data []byte) { roundTrip(t, data) })
}
