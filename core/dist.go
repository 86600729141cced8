package core

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/sync-vs-async/playground/core/internal/jsonlite"
	"github.com/sync-vs-async/playground/internal/fmtlite"
)

var distType = reflect.TypeFor[Dist]()

// DistKind names a probability distribution of durations.
type DistKind string

// The distributions a latency or service time can follow.
const (
	Constant    DistKind = "constant"    // always Value
	Uniform     DistKind = "uniform"     // evenly between Min and Max
	Exponential DistKind = "exponential" // memoryless, with the given Mean
	Normal      DistKind = "normal"      // Mean and Stddev, redrawn while negative (truncated at 0)
	LogNormal   DistKind = "lognormal"   // Median and shape Sigma: a long right tail
)

// Dist is a distribution of durations: a network latency, a service time,
// a think time. In JSON it is an object such as
// {"type":"exponential","mean":"10ms"}, or just a duration string ("10ms")
// for a constant.
type Dist struct {
	Type   DistKind `json:"type"`
	Value  Duration `json:"value,omitempty"`
	Min    Duration `json:"min,omitempty"`
	Max    Duration `json:"max,omitempty"`
	Mean   Duration `json:"mean,omitempty"`
	Stddev Duration `json:"stddev,omitempty"`
	Median Duration `json:"median,omitempty"`
	Sigma  float64  `json:"sigma,omitempty"`
}

// Fixed returns the constant distribution d.
func Fixed(d Duration) *Dist { return &Dist{Type: Constant, Value: d} }

// Exp returns the exponential distribution with the given mean.
func Exp(mean Duration) *Dist { return &Dist{Type: Exponential, Mean: mean} }

// MarshalJSON writes a constant as a plain duration string and anything
// else as an object.
func (d Dist) MarshalJSON() ([]byte, error) {
	if d.Type == Constant {
		return d.Value.MarshalJSON()
	}
	type plain Dist
	return jsonlite.Marshal(plain(d))
}

// UnmarshalJSON reads a duration string (a constant) or an object.
func (d *Dist) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && (b[0] == '"' || b[0] == '-' || (b[0] >= '0' && b[0] <= '9')) {
		var v Duration
		if err := v.UnmarshalJSON(b); err != nil {
			return err
		}
		*d = Dist{Type: Constant, Value: v}
		return nil
	}
	type plain Dist
	var p plain
	if _, err := (jsonlite.Options{DisallowUnknownFields: true}).Decode(b, &p); err != nil {
		if unknown := (*jsonlite.UnknownFieldError)(nil); errors.As(err, &unknown) {
			return badValue("the unknown field "+strconv.Quote(unknown.Key), distType)
		}
		return err
	}
	*d = Dist(p)
	return nil
}

// distFields says which parameters each distribution reads; the others
// must be left out rather than kept and silently ignored.
var distFields = map[DistKind][]string{
	Constant:    {"value"},
	Uniform:     {"min", "max"},
	Exponential: {"mean"},
	Normal:      {"mean", "stddev"},
	LogNormal:   {"median", "sigma"},
}

// validate reports what is wrong with d, naming fields under path.
func (d *Dist) validate(path string, errs *Errors) {
	if d == nil {
		return
	}
	neg := func(name string, v Duration) {
		if v < 0 {
			errs.add(path+"."+name, "must not be negative")
		}
	}
	// A bounded distribution may reach MaxDuration; an unbounded one's
	// mean stays within MaxMean, so its tail stays below MaxDuration.
	meanAtMost := func(name string, mean float64) {
		if mean > float64(MaxMean) {
			errs.add(path+"."+name, "gives a mean of %s; the most a distribution's mean may be is %s", Duration(min(mean, float64(Horizon))).Short(), maxMeanText)
		}
	}
	switch d.Type {
	case Constant:
		neg("value", d.Value)
	case Uniform:
		neg("min", d.Min)
		if d.Max < d.Min {
			errs.add(path+".max", "must be at least min (%s)", d.Min)
		}
	case Exponential:
		if d.Mean <= 0 {
			errs.add(path+".mean", "must be greater than 0")
		} else {
			meanAtMost("mean", float64(d.Mean))
		}
	case Normal:
		neg("mean", d.Mean)
		switch {
		case d.Stddev <= 0:
			errs.add(path+".stddev", "must be greater than 0")
		case d.Mean > MaxMean:
			meanAtMost("mean", float64(d.Mean))
		case d.Stddev > MaxMean:
			errs.add(path+".stddev", "is %s; the most is %s", d.Stddev.Short(), maxMeanText)
		}
	case LogNormal:
		sigmaOK := d.Sigma > 0 && d.Sigma <= 5 && !math.IsNaN(d.Sigma)
		if d.Median <= 0 {
			errs.add(path+".median", "must be greater than 0")
		}
		if !sigmaOK {
			errs.add(path+".sigma", "must be greater than 0 and at most 5")
		}
		if d.Median > 0 && sigmaOK {
			meanAtMost("median", float64(d.Median)*math.Exp(d.Sigma*d.Sigma/2))
		}
	case "":
		errs.add(path+".type", "is required (constant, uniform, exponential, normal or lognormal)")
		return
	default:
		errs.add(path+".type", "unknown distribution %q (want constant, uniform, exponential, normal or lognormal)", d.Type)
		return
	}
	for _, p := range []struct {
		name string
		set  bool
	}{{"value", d.Value != 0}, {"min", d.Min != 0}, {"max", d.Max != 0}, {"mean", d.Mean != 0},
		{"stddev", d.Stddev != 0}, {"median", d.Median != 0}, {"sigma", d.Sigma != 0}} {
		if p.set && !slices.Contains(distFields[d.Type], p.name) {
			errs.add(path+"."+p.name, "does not apply to a %s distribution (it reads %s)", d.Type, strings.Join(distFields[d.Type], " and "))
		}
	}
}

// MeanValue returns the distribution's expected value. For the truncated
// normal it is the mean of the truncated distribution.
func (d *Dist) MeanValue() Duration {
	if d == nil {
		return 0
	}
	switch d.Type {
	case Constant:
		return d.Value
	case Uniform:
		return (d.Min + d.Max) / 2
	case Exponential:
		return d.Mean
	case Normal:
		mu, sd := float64(d.Mean), float64(d.Stddev)
		a := -mu / sd
		pdf := math.Exp(-a*a/2) / math.Sqrt(2*math.Pi)
		tail := 0.5 * math.Erfc(a/math.Sqrt2)
		return Duration(mu + sd*pdf/tail)
	case LogNormal:
		return Duration(float64(d.Median) * math.Exp(d.Sigma*d.Sigma/2))
	}
	return 0
}

// String describes the distribution briefly: "10ms", "exp(mean 10ms)".
func (d *Dist) String() string {
	if d == nil {
		return "0s"
	}
	switch d.Type {
	case Constant:
		return d.Value.String()
	case Uniform:
		return fmtlite.Sprintf("uniform(%s..%s)", d.Min, d.Max)
	case Exponential:
		return fmtlite.Sprintf("exp(mean %s)", d.Mean)
	case Normal:
		return fmtlite.Sprintf("normal(%s ± %s)", d.Mean, d.Stddev)
	case LogNormal:
		return fmtlite.Sprintf("lognormal(median %s, σ %g)", d.Median, d.Sigma)
	}
	return string(d.Type)
}

// sampler is a validated Dist compiled for fast, reproducible draws.
type sampler struct {
	kind     drawKind
	a, b     float64 // meaning depends on kind
	constant Duration
	isZero   bool
}

// drawKind is a DistKind as a number: draw switches on it for every
// latency and service time, and a switch on the kind's name compared
// strings (runtime calls in WebAssembly).
type drawKind uint8

const (
	drawConstant drawKind = iota
	drawUniform
	drawExponential
	drawNormal
	drawLogNormal
	drawUnknown // not a valid Dist: draws 0
)

func compile(d *Dist) sampler {
	if d == nil {
		return sampler{kind: drawConstant, isZero: true}
	}
	s := sampler{kind: drawUnknown}
	switch d.Type {
	case Constant:
		s.kind, s.constant = drawConstant, d.Value
		s.isZero = d.Value == 0
	case Uniform:
		s.kind, s.a, s.b = drawUniform, float64(d.Min), float64(d.Max-d.Min)
	case Exponential:
		s.kind, s.a = drawExponential, float64(d.Mean)
	case Normal:
		s.kind, s.a, s.b = drawNormal, float64(d.Mean), float64(d.Stddev)
	case LogNormal:
		s.kind, s.a, s.b = drawLogNormal, float64(d.Median), d.Sigma
	}
	return s
}

// draw returns one sample, rounded to the nanosecond.
func (s *sampler) draw(r *stream) Duration {
	switch s.kind {
	case drawConstant:
		return s.constant
	case drawUniform:
		return toDuration(s.a + float64(s.b*r.uniform()))
	case drawExponential:
		return toDuration(float64(s.a * r.exponential()))
	case drawNormal:
		// Redraw negatives; with mean ≥ 0 at least half the draws are kept,
		// so 64 tries fail with probability below 2^-64.
		for range 64 {
			if x := s.a + float64(s.b*r.normal()); x >= 0 {
				return toDuration(x)
			}
		}
		return 0
	case drawLogNormal:
		return toDuration(float64(s.a * detExp(float64(s.b*r.normal()))))
	}
	return 0
}

func toDuration(x float64) Duration {
	if x >= float64(maxDuration) || math.IsNaN(x) {
		return maxDuration
	}
	if x <= 0 {
		return 0
	}
	return Duration(x + 0.5)
}
