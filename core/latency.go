package core

import (
	"math/bits"
	"slices"
)

// A report's latency figures (Summary) are accumulated as the run goes, in
// memory that does not grow with the run beyond a bound:
//
//   - up to exactLatencies values, every value is kept and the figures are
//     exact: nearest-rank percentiles on a sorted copy, values that
//     occurred, as before;
//   - past that, the values are dropped and the percentiles come from a
//     log-linear histogram kept from the first value (HdrHistogram's
//     layout): values below 2⁸ ns have a bucket each, and above that every
//     power of two is split into 2⁷ buckets of equal width. A bucket's
//     width is at most 1/2⁷ of its lower bound, and a percentile is given
//     as the middle of its bucket (clamped to the exact min and max), so it
//     is within 1/2⁸ (0.39 %) of the exact nearest-rank value:
//     |estimate − exact| ≤ exact/256. Count, mean, min and max stay exact.
//
// The histogram takes at most 7,296 four-byte counters (29 KiB), grown to
// the largest bucket used.

// exactLatencies is how many values a latency accumulator keeps before it
// answers from its histogram alone: 2 MiB of values.
const exactLatencies = 1 << 18

// latencySubBits is log2 of the buckets per power of two.
const latencySubBits = 7

// latencyRelError is the bound on a percentile's relative error once the
// histogram answers: 1/2^(latencySubBits+1).
const latencyRelError = 1.0 / (1 << (latencySubBits + 1))

// latencies accumulates durations for a Summary.
type latencies struct {
	exact    []Duration // every value, while n ≤ exactLatencies; then nil
	overflow bool       // the values have been dropped: the histogram answers
	keepAll  bool       // keep every value (tests that check the figures against them)
	hist     []uint32
	n        int64
	sum      float64 // as summarize adds them: exact while below 2⁵³ ns
	lo, hi   Duration
}

// latencyBucket is the histogram bucket of v ≥ 0.
func latencyBucket(v Duration) int {
	u := uint64(v)
	if u < 1<<(latencySubBits+1) {
		return int(u)
	}
	shift := bits.Len64(u) - 1 - latencySubBits
	return shift<<latencySubBits + int(u>>shift)
}

// latencyBucketMid is the middle of bucket b, rounded down.
func latencyBucketMid(b int) Duration {
	if b < 1<<(latencySubBits+1) {
		return Duration(b)
	}
	shift := b>>latencySubBits - 1
	lo := uint64(b-shift<<latencySubBits) << shift
	return Duration(lo + (uint64(1)<<shift-1)/2)
}

func (l *latencies) add(v Duration) {
	v = max(v, 0)
	if l.n == 0 || v < l.lo {
		l.lo = v
	}
	if l.n == 0 || v > l.hi {
		l.hi = v
	}
	l.n++
	l.sum += float64(v)
	b := latencyBucket(v)
	if b >= len(l.hist) {
		l.hist = slices.Grow(l.hist, b+1-len(l.hist))[:b+1]
	}
	l.hist[b]++
	if !l.overflow {
		if l.n > exactLatencies && !l.keepAll {
			l.exact, l.overflow = nil, true
		} else {
			l.exact = append(l.exact, v)
		}
	}
}

// remove takes back one value added before (a request that a redrive
// reopened). Once the histogram answers, a removed min or max is replaced
// by its bucket's middle: within the stated error.
func (l *latencies) remove(v Duration) {
	v = max(v, 0)
	b := latencyBucket(v)
	if l.n == 0 || b >= len(l.hist) || l.hist[b] == 0 {
		return
	}
	l.hist[b]--
	l.n--
	l.sum -= float64(v)
	if !l.overflow {
		if i := slices.Index(l.exact, v); i >= 0 {
			l.exact = slices.Delete(l.exact, i, i+1)
		}
		if len(l.exact) > 0 {
			l.lo, l.hi = slices.Min(l.exact), slices.Max(l.exact)
		}
		return
	}
	if l.n > 0 && (v == l.lo || v == l.hi) {
		first := slices.IndexFunc(l.hist, func(c uint32) bool { return c > 0 })
		last := len(l.hist) - 1
		for l.hist[last] == 0 {
			last--
		}
		if v == l.lo {
			l.lo = latencyBucketMid(first)
		}
		if v == l.hi {
			l.hi = latencyBucketMid(last)
		}
	}
}

// summary returns the Summary of the values so far.
func (l *latencies) summary() Summary {
	if l.n == 0 {
		return Summary{}
	}
	if !l.overflow {
		return summarize(l.exact)
	}
	// Nearest rank: the value with rank i (from 0) is in the first bucket
	// whose cumulative count exceeds i. The ranks asked for increase, so
	// one pass over the buckets answers them all.
	ranks := [quantileSteps + 4]float64{0.50, 0.95, 0.99}
	for i := range quantileSteps + 1 {
		ranks[3+i] = float64(i) / quantileSteps
	}
	var out [quantileSteps + 4]Duration
	order := make([]int, len(ranks))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case ranks[a] < ranks[b]:
			return -1
		case ranks[a] > ranks[b]:
			return 1
		}
		return 0
	})
	var cum int64
	b := 0
	for _, k := range order {
		i := int64(ranks[k]*float64(l.n)+0.999999999) - 1
		i = min(max(i, 0), l.n-1)
		for cum+int64(l.hist[b]) <= i {
			cum += int64(l.hist[b])
			b++
		}
		out[k] = min(max(latencyBucketMid(b), l.lo), l.hi)
	}
	q := make([]Duration, quantileSteps+1)
	copy(q, out[3:])
	q[0] = l.lo
	return Summary{
		Count: l.n, Mean: Duration(l.sum/float64(l.n) + 0.5), Min: l.lo,
		P50: out[0], P95: out[1], P99: out[2], Max: l.hi, Quantiles: q,
	}
}
