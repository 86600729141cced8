package deflate

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
)

// inflateLimit is the limit of the comparisons: large enough for every
// input, small enough that a hostile one is cut short.
const inflateLimit = 1 << 20

// stdlibInflate reads data as the links were read before Inflate: with
// compress/flate, at most limit+1 bytes.
func stdlibInflate(data []byte, limit int) ([]byte, error) {
	r := flate.NewReader(bytes.NewReader(data))
	defer r.Close()
	return io.ReadAll(io.LimitReader(r, int64(limit)+1))
}

// agree fails t unless Inflate accepts and refuses data as compress/flate
// does: the same bytes, "too large" exactly when compress/flate reads
// past the limit, an error exactly when it errs.
func agree(t testing.TB, data []byte, limit int) {
	t.Helper()
	want, werr := stdlibInflate(data, limit)
	got, err := Inflate(data, limit)
	switch {
	case werr == nil && len(want) > limit:
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("%x: compress/flate reads past the limit %d, Inflate says %v", data, limit, err)
		}
	case werr == nil:
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%x: compress/flate reads %d bytes, Inflate %d (%v)", data, len(want), len(got), err)
		}
	default:
		if err == nil {
			t.Fatalf("%x: compress/flate fails (%v), Inflate reads %d bytes", data, werr, len(got))
		}
		// Which error is not held: compress/flate reads ahead the
		// end-of-block code's length before a literal, so it can run out
		// of data where Inflate first finds the data wrong or too large.
		// TestInflateSaysCutOff holds the cut-off streams.
	}
}

// samples are DEFLATE streams of every kind of block: this package's
// (fixed codes), compress/flate's at each level (dynamic codes, stored
// blocks), of text, random bytes and runs.
func samples(t testing.TB) [][]byte {
	r := rand.New(rand.NewPCG(3, 4))
	var inputs [][]byte
	for _, n := range []int{0, 1, 2, 10, 300, 5000, 70000} {
		random, text := make([]byte, n), make([]byte, n)
		for i := range random {
			random[i] = byte(r.Uint32())
			text[i] = "  abcdeeeeffffghij{}\":,\n"[r.IntN(24)]
		}
		inputs = append(inputs, random, text, bytes.Repeat([]byte("ab"), n))
	}
	var out [][]byte
	for _, in := range inputs {
		c, err := Compress(in)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
		for _, level := range []int{flate.NoCompression, flate.BestSpeed, flate.DefaultCompression, flate.BestCompression, flate.HuffmanOnly} {
			var buf bytes.Buffer
			w, err := flate.NewWriter(&buf, level)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(in)
			w.Close()
			out = append(out, buf.Bytes())
		}
	}
	return out
}

// TestInflateAgreesWithCompressFlate holds Inflate to compress/flate on
// valid streams of every block kind, on every cut of them, on bit flips,
// and under small limits.
func TestInflateAgreesWithCompressFlate(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, s := range samples(t) {
		agree(t, s, inflateLimit)
		agree(t, s, 100)
		agree(t, s, 0)
		for range 40 {
			agree(t, s[:r.IntN(len(s)+1)], inflateLimit)
			if len(s) > 0 {
				flipped := bytes.Clone(s)
				flipped[r.IntN(len(s))] ^= 1 << r.IntN(8)
				agree(t, flipped, inflateLimit)
			}
		}
	}
	for range 20000 {
		junk := make([]byte, r.IntN(40))
		for i := range junk {
			junk[i] = byte(r.Uint32())
		}
		agree(t, junk, inflateLimit)
	}
}

// TestInflateSaysCutOff: a valid stream cut anywhere before its last
// block ends is io.ErrUnexpectedEOF, which the links report as cut off.
func TestInflateSaysCutOff(t *testing.T) {
	c, err := Compress(bytes.Repeat([]byte(`{"id": "orders", "kind": "service"}`), 20))
	if err != nil {
		t.Fatal(err)
	}
	for n := range len(c) {
		if _, err := Inflate(c[:n], inflateLimit); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("cut at %d of %d bytes: %v, want io.ErrUnexpectedEOF", n, len(c), err)
		}
	}
	if _, err := Inflate([]byte("plain text, not deflate"), inflateLimit); err == nil {
		t.Fatal("plain text inflated")
	}
}

func FuzzInflateAgreesWithCompressFlate(f *testing.F) {
	for _, s := range samples(f) {
		if len(s) < 4096 {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		agree(t, data, inflateLimit)
		agree(t, data, 64)
	})
}
