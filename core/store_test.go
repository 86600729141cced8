package core

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSortDurations(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 100, 511, 512, 10_000, 100_000} {
		for _, spread := range []int64{1, 1000, 1 << 20, 1 << 40, int64(maxDuration)} {
			ds := make([]Duration, n)
			for i := range ds {
				ds[i] = Duration(r.Int64N(spread))
			}
			want := slices.Clone(ds)
			slices.Sort(want)
			sortDurations(ds, slices.Max(append(ds, 0)))
			assert.Equal(t, want, ds, "n=%d spread=%d", n, spread)
		}
	}
}

func TestTableKeepsEveryElementAcrossChunks(t *testing.T) {
	var tb table[int64]
	first := tb.at(tb.add(-1))
	for i := range int64(3*chunkSize + 5) {
		assert.Equal(t, int32(i+1), tb.add(i))
	}
	assert.Equal(t, int64(-1), *first, "pointers stay valid as the table grows")
	assert.Equal(t, 3*chunkSize+6, tb.len())
	assert.Equal(t, int64(2*chunkSize), *tb.at(2*chunkSize + 1))
}
