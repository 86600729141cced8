package core

import "math"

// The engine's random draws must give bit-identical results natively and in
// WebAssembly, because the trace is hashed and compared across the two. The
// standard library's Log and Exp use assembly on amd64 that is not
// guaranteed to round like the pure-Go versions used on wasm, so the engine
// carries its own ports of the pure-Go algorithms (FreeBSD's e_log.c and
// e_exp.c, as in math/log.go and math/exp.go). Every product is wrapped in
// an explicit float64 conversion, which the Go spec says prevents the
// compiler from fusing it into an FMA on architectures that have one.

// detLog returns the natural logarithm of x for x > 0.
func detLog(x float64) float64 {
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
	var f1 float64
	var ki int
	if b := math.Float64bits(x); b-1<<52 < 0x7fe<<52 {
		// A positive normal number, the engine's every draw: what Frexp
		// returns, read from the bits (the fraction's exponent set to
		// -1) without its checks for the rare cases, then doubled if
		// under √2/2, which only raises the exponent. That comparison is
		// made on the fraction's bits and turned into a number, not a
		// branch: it is a coin toss for a uniform draw, and a mispredicted
		// branch was an eighth of the engine's time in an M/M/1 run.
		const sqrtHalfFrac = 0x6a09e667f3bcd // √2/2 = 0x3fe6a09e667f3bcd
		frac := b & (1<<52 - 1)
		var low uint64
		if frac < sqrtHalfFrac {
			low = 1
		}
		f1, ki = math.Float64frombits(frac|(1022+low)<<52), int(b>>52)-1022-int(low)
	} else {
		switch {
		case math.IsNaN(x) || math.IsInf(x, 1):
			return x
		case x < 0:
			return math.NaN()
		case x == 0:
			return math.Inf(-1)
		}
		f1, ki = math.Frexp(x) // subnormal
		if f1 < math.Sqrt2/2 {
			f1 *= 2
			ki--
		}
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

// detExp returns e**x.
func detExp(x float64) float64 {
	const (
		ln2Hi     = 6.93147180369123816490e-01
		ln2Lo     = 1.90821492927058770002e-10
		log2e     = 1.44269504088896338700e+00
		overflow  = 7.09782712893383973096e+02
		underflow = -7.45133219101941108420e+02
		nearZero  = 1.0 / (1 << 28)
		p1        = 1.66666666666666657415e-01
		p2        = -2.77777777770155933842e-03
		p3        = 6.61375632143793436117e-05
		p4        = -1.65339022054652515390e-06
		p5        = 4.13813679705723846039e-08
	)
	switch {
	case math.IsNaN(x):
		return x
	case x > overflow:
		return math.Inf(1)
	case x < underflow:
		return 0
	case -nearZero < x && x < nearZero:
		return 1 + x
	}
	var k int
	switch {
	case x < 0:
		k = int(float64(log2e*x) - 0.5)
	case x > 0:
		k = int(float64(log2e*x) + 0.5)
	}
	hi := x - float64(float64(k)*ln2Hi)
	lo := float64(float64(k) * ln2Lo)
	r := hi - lo
	t := float64(r * r)
	c := r - float64(t*(p1+float64(t*(p2+float64(t*(p3+float64(t*(p4+float64(t*p5)))))))))
	y := 1 - ((lo - float64(r*c)/(2-c)) - hi)
	return math.Ldexp(y, k)
}
