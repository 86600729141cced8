package core

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sketched returns the Summary of vals as the histogram gives it, as if
// there were more than exactLatencies of them.
func sketched(vals []Duration) Summary {
	l := latencies{overflow: true}
	for _, v := range vals {
		l.add(v)
	}
	return l.summary()
}

// requireWithinBound checks that every percentile of got is within the
// stated relative error of want's, and the rest is exact.
func requireWithinBound(t *testing.T, want, got Summary, what string) {
	t.Helper()
	require.Equal(t, want.Count, got.Count, what)
	require.Equal(t, want.Min, got.Min, what)
	require.Equal(t, want.Max, got.Max, what)
	require.InDelta(t, float64(want.Mean), float64(got.Mean), float64(want.Mean)*1e-12+1, what)
	within := func(w, g Duration, name string) {
		t.Helper()
		bound := float64(w) * latencyRelError
		require.LessOrEqual(t, absDiff(float64(w), float64(g)), bound, "%s %s: exact %d, sketch %d", what, name, w, g)
	}
	within(want.P50, got.P50, "p50")
	within(want.P95, got.P95, "p95")
	within(want.P99, got.P99, "p99")
	require.Len(t, got.Quantiles, len(want.Quantiles), what)
	for i := range want.Quantiles {
		within(want.Quantiles[i], got.Quantiles[i], "quantile")
	}
}

func absDiff(a, b float64) float64 {
	if a > b {
		return a - b
	}
	return b - a
}

// latencySeries runs sc keeping every latency, and returns them by name.
func latencySeries(t *testing.T, sc *Scenario) map[string][]Duration {
	e, err := NewEngine(sc, Options{})
	require.NoError(t, err)
	e.keepEverything()
	e.Run()
	return map[string][]Duration{
		"user": e.m.user.exact, "userOK": e.m.userOK.exact,
		"completion": e.m.completion.exact, "staleness": e.m.staleness.exact,
	}
}

func TestLatencySketchIsWithinItsBoundOfExactSorts(t *testing.T) {
	check := func(t *testing.T, sc *Scenario) {
		for name, vals := range latencySeries(t, sc) {
			requireWithinBound(t, summarize(vals), sketched(vals), name)
		}
	}
	t.Run("every example", func(t *testing.T) {
		for _, ex := range Examples() {
			check(t, ex.Scenario)
		}
	})
	t.Run("random topologies", func(t *testing.T) {
		for seed := range uint64(200) {
			check(t, randomScenario(seed))
		}
	})
	t.Run("values over every magnitude", func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		for range 20 {
			vals := make([]Duration, 1+r.IntN(50_000))
			for i := range vals {
				vals[i] = Duration(r.Int64N(1 << uint(r.IntN(62))))
			}
			requireWithinBound(t, summarize(vals), sketched(vals), "random")
		}
	})
}

// Up to exactLatencies values the figures are the exact ones; past that
// the histogram answers, within its bound, and the values are dropped.
func TestLatenciesAreExactUpToTheirCap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	vals := make([]Duration, exactLatencies+1000)
	for i := range vals {
		vals[i] = Duration(r.ExpFloat64() * float64(Second))
	}
	var l latencies
	for _, v := range vals[:exactLatencies] {
		l.add(v)
	}
	assert.Equal(t, summarize(vals[:exactLatencies]), l.summary())
	for _, v := range vals[exactLatencies:] {
		l.add(v)
	}
	assert.Nil(t, l.exact, "the values are dropped past the cap")
	requireWithinBound(t, summarize(vals), l.summary(), "past the cap")
}

// A request a redrive reopens gives its figures back: what is left is
// the summary of the other values.
func TestLatenciesRemove(t *testing.T) {
	for _, overflow := range []bool{false, true} {
		l := latencies{overflow: overflow}
		vals := []Duration{5, 1000, 3, 70000, 12, 1 << 40}
		for _, v := range vals {
			l.add(v)
		}
		l.remove(1 << 40)
		l.remove(3)
		want := summarize([]Duration{5, 1000, 70000, 12})
		if overflow {
			// A removed max is replaced by its bucket's middle.
			got := l.summary()
			assert.LessOrEqual(t, absDiff(float64(want.Max), float64(got.Max)), float64(want.Max)*latencyRelError)
			got.Max = want.Max
			requireWithinBound(t, want, got, "sketch")
		} else {
			assert.Equal(t, want, l.summary())
		}
	}
}

func TestLatencyBuckets(t *testing.T) {
	prev := -1
	for _, v := range []Duration{0, 1, 255, 256, 257, 511, 512, 1 << 20, 1<<20 + 1, 1<<62 - 1, 1<<63 - 1} {
		b := latencyBucket(v)
		assert.GreaterOrEqual(t, b, prev, "buckets increase with values")
		prev = b
		mid := latencyBucketMid(b)
		assert.LessOrEqual(t, absDiff(float64(mid), float64(v)), float64(v)*latencyRelError, "value %d, bucket %d, middle %d", v, b, mid)
		assert.Equal(t, b, latencyBucket(mid), "the middle of a bucket is in it")
	}
}
