package core

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	first := tb.next()
	*first = -1
	for i := range int64(3*chunkSize + 5) {
		*tb.next() = i
		assert.Equal(t, int(i+2), tb.len())
	}
	assert.Equal(t, int64(-1), *first, "pointers stay valid as the table grows")
	assert.Equal(t, 3*chunkSize+6, tb.len())
	assert.Equal(t, int64(2*chunkSize), *tb.at(int32(2*chunkSize + 1)))
}

func TestSummaryQuantilesDescribeTheDistribution(t *testing.T) {
	ds := make([]Duration, 100)
	for i := range ds {
		ds[i] = Duration(100 - i) // 100 down to 1
	}
	s := summarize(ds)
	require.Len(t, s.Quantiles, quantileSteps+1)
	assert.Equal(t, Duration(1), s.Quantiles[0])
	assert.Equal(t, Duration(50), s.Quantiles[10])
	assert.Equal(t, Duration(100), s.Quantiles[20])
	assert.Equal(t, s.P50, s.Quantiles[10])
	assert.True(t, slices.IsSorted(s.Quantiles))
	assert.Empty(t, summarize(nil).Quantiles)
}
