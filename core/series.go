package core

// Series is a figure over virtual time kept in a bounded number of equal
// buckets: when a value lands past the last bucket, the buckets are merged
// pairwise and their width doubled, so a run of any length keeps at most
// maxBuckets points. Each bucket keeps the largest value seen in it (for
// depths) or the sum (for counts), depending on how it is fed.
type Series struct {
	Width  Duration `json:"width"`  // span of one bucket
	Values []int64  `json:"values"` // bucket i covers [i·Width, (i+1)·Width)
	sum    bool
	level  int64 // the current level, carried into new buckets
}

const maxBuckets = 512

func newSeries(sum bool) Series {
	return Series{Width: Millisecond, sum: sum}
}

func (s *Series) bucket(t Duration) int {
	if s.Width == 0 {
		s.Width = Millisecond
	}
	q := t / s.Width // one division: a call in WebAssembly (runtime.wasmDiv)
	for q >= maxBuckets {
		s.coarsen()
		q = t / s.Width
	}
	i := int(q)
	for len(s.Values) <= i {
		// A level holds until it changes; a count starts at 0.
		s.Values = append(s.Values, s.level)
	}
	return i
}

func (s *Series) coarsen() {
	half := (len(s.Values) + 1) / 2
	for i := range half {
		v := s.Values[2*i]
		if 2*i+1 < len(s.Values) {
			w := s.Values[2*i+1]
			if s.sum {
				v += w
			} else {
				v = max(v, w)
			}
		}
		s.Values[i] = v
	}
	s.Values = s.Values[:half]
	s.Width *= 2
}

// observe records a level (such as a depth) at time t.
func (s *Series) observe(t Duration, v int64) {
	i := s.bucket(t)
	s.Values[i] = max(s.Values[i], v)
	s.level = v
}

// add counts n events at time t.
func (s *Series) add(t Duration, n int64) {
	s.Values[s.bucket(t)] += n
}

// Max returns the largest value in the series.
func (s *Series) Max() int64 {
	var m int64
	for _, v := range s.Values {
		m = max(m, v)
	}
	return m
}
