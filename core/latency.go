package core

import "math/bits"

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
	for b >= len(l.hist) {
		l.hist = append(l.hist, 0)
	}
	l.hist[b]++
	if !l.overflow {
		if l.n > exactLatencies && !l.keepAll {
			l.exact, l.overflow = nil, true
		} else {
			if len(l.exact) == cap(l.exact) {
				l.grow()
			}
			l.exact = append(l.exact, v)
		}
	}
}

// grow doubles the room for exact values, asking for huge pages for a
// large series (hugepages_linux.go): a million-request run grows four
// series to 2 MiB each, and their page faults were most of an untraced
// run's time in the kernel.
func (l *latencies) grow() {
	s := make([]Duration, len(l.exact), max(2*cap(l.exact), 64))
	preferHugePages(s[:cap(s)])
	copy(s, l.exact)
	l.exact = s
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
		for i, x := range l.exact {
			if x == v {
				l.exact = append(l.exact[:i], l.exact[i+1:]...)
				break
			}
		}
		for i, x := range l.exact {
			if i == 0 || x < l.lo {
				l.lo = x
			}
			if i == 0 || x > l.hi {
				l.hi = x
			}
		}
		return
	}
	if l.n > 0 && (v == l.lo || v == l.hi) {
		first, last := 0, len(l.hist)-1
		for l.hist[first] == 0 {
			first++
		}
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
	// whose cumulative count exceeds i.
	at := func(p float64) Duration {
		i := min(max(int64(p*float64(l.n)+0.999999999)-1, 0), l.n-1)
		var cum int64
		b := 0
		for cum+int64(l.hist[b]) <= i {
			cum += int64(l.hist[b])
			b++
		}
		return min(max(latencyBucketMid(b), l.lo), l.hi)
	}
	q := make([]Duration, quantileSteps+1)
	for i := range q {
		q[i] = at(float64(i) / quantileSteps)
	}
	q[0] = l.lo
	return Summary{
		Count: l.n, Mean: Duration(l.sum/float64(l.n) + 0.5), Min: l.lo,
		P50: at(0.50), P95: at(0.95), P99: at(0.99), Max: l.hi, Quantiles: q,
	}
}
