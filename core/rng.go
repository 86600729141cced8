package core

import (
	"math"
	"math/rand/v2"
)

// stream is one node's (or edge's) private source of randomness: a PCG
// generator seeded from the scenario seed and a hash of the owner's id.
// Giving every owner its own stream means adding a node does not change the
// draws of the others, and two wirings of one workload that keep a client's
// id see exactly the same arrivals (common random numbers).
type stream struct {
	pcg       rand.PCG
	spare     float64 // second normal deviate of the polar method
	haveSpare bool
}

func newStream(seed uint64, owner string) *stream {
	s := &stream{}
	s.pcg.Seed(seed, fnv64(owner))
	return s
}

// fnv64 is FNV-1a, written out so the derivation is obviously the same on
// every platform.
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// uniform returns a float64 in the open interval (0, 1).
func (s *stream) uniform() float64 {
	return (float64(s.pcg.Uint64()>>11) + 0.5) / (1 << 53)
}

// exponential returns a draw from Exp(1) by inversion.
func (s *stream) exponential() float64 {
	return -detLog(s.uniform())
}

// normal returns a draw from N(0, 1) by Marsaglia's polar method, which
// needs only a logarithm and a square root (both reproducible).
func (s *stream) normal() float64 {
	if s.haveSpare {
		s.haveSpare = false
		return s.spare
	}
	for {
		u := 2*s.uniform() - 1
		v := 2*s.uniform() - 1
		q := float64(u*u) + float64(v*v)
		if q >= 1 || q == 0 {
			continue
		}
		f := math.Sqrt(float64(-2*detLog(q)) / q)
		s.spare = float64(v * f)
		s.haveSpare = true
		return float64(u * f)
	}
}

// intn returns a uniform integer in [0, n).
func (s *stream) intn(n int) int {
	return int(s.pcg.Uint64() % uint64(n))
}
