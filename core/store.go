package core

import "slices"

// table is an append-only list addressed by index, kept in fixed-size
// chunks so that growing it never copies what is already there (a run of a
// million requests would otherwise spend a third of its time in memmove),
// and pointers to elements stay valid as it grows.
type table[T any] struct {
	chunks [][]T
	n      int
	freed  int   // chunks freed
	spare  [][]T // freed chunks, reused before allocating: no garbage to collect
}

// next appends an element for the caller to write (its old contents are
// undefined) and returns it; its index is len()-1. Elements are written in
// place, never built aside and copied in: that copy cost twice in the
// browser's build, which does not inline, and natively it stalled on
// fields just stored (see eventHeap.place).
func (t *table[T]) next() *T {
	if t.n&(chunkSize-1) == 0 && t.n>>chunkBits == len(t.chunks) {
		t.grow()
	}
	t.n++
	return &t.chunks[(t.n-1)>>chunkBits][(t.n-1)&(chunkSize-1)]
}

// grow adds a chunk, a spare one if there is one.
func (t *table[T]) grow() {
	if n := len(t.spare); n > 0 {
		// Every element is written (by add or next's caller) before it is read.
		t.chunks = append(t.chunks, t.spare[n-1])
		t.spare = t.spare[:n-1]
	} else {
		c := make([]T, chunkSize)
		preferHugePages(c)
		t.chunks = append(t.chunks, c)
	}
}

// at returns the element at index i.
func (t *table[T]) at(i int32) *T {
	return &t.chunks[i>>chunkBits][int(i)&(chunkSize-1)]
}

func (t *table[T]) len() int { return t.n }

// free drops chunk c, whose elements nothing will read again (reclaim.go).
func (t *table[T]) free(c int32) {
	t.spare = append(t.spare, t.chunks[c])
	t.chunks[c] = nil
	t.freed++
}

// kept reports whether element i has not been freed.
func (t *table[T]) kept(i int32) bool { return t.chunks[i>>chunkBits] != nil }

// keptLen is about how many elements are held: those of the chunks not freed.
func (t *table[T]) keptLen() int { return t.n - (t.freed-len(t.spare))<<chunkBits }

// sortDurations sorts non-negative durations in place. Reports sort a
// million latencies at a time, and an LSD radix sort on 16-bit digits
// does that in a few linear passes (skipping digits every value shares)
// where a comparison sort would take several times longer.
// hi is the largest value, which bounds the digits worth sorting on.
func sortDurations(ds []Duration, hi Duration) {
	if len(ds) < 512 {
		slices.Sort(ds)
		return
	}
	tmp := make([]Duration, len(ds))
	src, dst := ds, tmp
	var counts [1 << 16]int
	for shift := uint(0); shift < 64 && uint64(hi)>>shift != 0; shift += 16 {
		clear(counts[:])
		for _, d := range src {
			counts[uint64(d)>>shift&0xffff]++
		}
		if counts[uint64(src[0])>>shift&0xffff] == len(src) {
			continue // every value has the same digit here
		}
		pos := 0
		for i, c := range counts {
			counts[i] = pos
			pos += c
		}
		for _, d := range src {
			k := uint64(d) >> shift & 0xffff
			dst[counts[k]] = d
			counts[k]++
		}
		src, dst = dst, src
	}
	if &src[0] != &ds[0] {
		copy(ds, src)
	}
}
