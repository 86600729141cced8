package core

import (
	"math"
	"math/rand/v2"
	"testing"
)

// detLogFrexp is detLog as it was, with math.Frexp: the fast path that
// reads the exponent from the bits must give the same bits.
func detLogFrexp(x float64) float64 {
	const (
		ln2Hi = 6.93147180369123816490e-01
		ln2Lo = 1.90821492927058770002e-10
		l1    = 6.666666666666735130e-01
		l2    = 3.999999999940941908e-01
		l3    = 2.857142874366239149e-01
		l4    = 2.222219843214978396e-01
		l5    = 1.818357216161805012e-01
		l6    = 1.531383769920937332e-01
		l7    = 1.479819860511658591e-01
	)
	switch {
	case math.IsNaN(x) || math.IsInf(x, 1):
		return x
	case x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	}
	f1, ki := math.Frexp(x)
	if f1 < math.Sqrt2/2 {
		f1 *= 2
		ki--
	}
	f := f1 - 1
	k := float64(ki)
	s := f / (2 + f)
	s2 := float64(s * s)
	s4 := float64(s2 * s2)
	t1 := float64(s2 * (l1 + float64(s4*(l3+float64(s4*(l5+float64(s4*l7)))))))
	t2 := float64(s4 * (l2 + float64(s4*(l4+float64(s4*l6)))))
	r := t1 + t2
	hfsq := float64(float64(0.5*f) * f)
	return float64(k*ln2Hi) - ((hfsq - (float64(s*(hfsq+r)) + float64(k*ln2Lo))) - f)
}

func TestDetLogFastPathGivesTheSameBits(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	check := func(x float64) {
		t.Helper()
		got, want := detLog(x), detLogFrexp(x)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("detLog(%v) = %v, want %v", x, got, want)
		}
	}
	for _, x := range []float64{0, -0.0, 1, -1, math.SmallestNonzeroFloat64, 0x1p-1022, math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(), 0.5, 2} {
		check(x)
	}
	// Either side of √2/2, where the fraction is doubled or not, at
	// several exponents.
	for _, scale := range []float64{0x1p-1000, 0x1p-20, 1, 2, 0x1p30, 0x1p1000} {
		at := math.Sqrt2 / 2 * scale
		check(at)
		check(math.Nextafter(at, 0))
		check(math.Nextafter(at, math.Inf(1)))
	}
	for range 1_000_000 {
		check(math.Float64frombits(r.Uint64()))         // anything, subnormals and NaNs included
		check(r.Float64())                              // the uniform draws the samplers take
		check(math.Float64frombits(r.Uint64N(1 << 52))) // subnormal
	}
}
