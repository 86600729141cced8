package core

import (
	"math"
	"math/bits"
	"strconv"
)

// Virtual time is an int64 of nanoseconds, which wraps after about 292
// years. Rather than check every addition, the core keeps every quantity
// small enough that no sum it forms can wrap:
//
//   - the clock never passes Horizon: a run whose next event lies beyond
//     it stops with StopHorizon;
//   - a point in time a scenario names (until, a workload's at and
//     duration, the sum of a schedule's phases, a fault's window, a DLQ's
//     redrive times) is at most Horizon;
//   - every other duration a scenario names, and every random draw, is at
//     most MaxDuration, and the mean of every distribution at most
//     MaxMean, so that a draw past MaxDuration (which is capped) is so
//     unlikely that it never happens in practice;
//   - an open-loop rate is at least MinRate, so that its gaps are drawn
//     with a mean of at most MaxMean.
//
// Horizon plus a few thousand MaxDurations is still below the int64 limit,
// so "now + a draw + a latency + a spike" is always exact.
const (
	day = 24 * 60 * Minute
	// Horizon is how far virtual time goes: 100 years of 365 days.
	Horizon = 100 * 365 * day
	// MaxDuration is the longest single duration: a year of 365 days.
	MaxDuration = 365 * day
	// MaxMean is the largest mean a distribution may have: a week. An
	// exponential draw exceeds 52 means (a year) with probability e⁻⁵².
	MaxMean = 7 * day
	// MinRate is the slowest open-loop rate, per second: one request per
	// MaxMean on average.
	MinRate = float64(Second) / float64(MaxMean)
)

// maxDuration bounds every draw (see MaxDuration).
const maxDuration = MaxDuration

// horizonText and friends say the bounds in words for error messages.
const (
	horizonText = "100 years (the horizon of virtual time)"
	maxDurText  = "365 days"
	maxMeanText = "7 days"
	minRateText = "one per 7 days"
)

// checkTimes reports every Duration of sc beyond its bound, and a
// schedule whose phases add up past Horizon. TestEveryDurationIsBounded
// finds every Duration field of the scenario's types by reflection and
// holds this list to it, so a field added later cannot be missed; the
// check itself is plain code (reflection here cost the sandbox's program
// 2 KB and a seventh of reading a large scenario).
func (sc *Scenario) checkTimes(errs *Errors) {
	at := func(path string, d Duration) { // a point in virtual time
		if d > Horizon {
			errs.add(path, "is %s; the most is %s", d.Short(), horizonText)
		}
	}
	span := func(path string, d Duration) { // a span of it
		if d > MaxDuration {
			errs.add(path, "is %s; the longest a single duration may be is %s", d.Short(), maxDurText)
		}
	}
	dist := func(path string, d *Dist) {
		if d != nil {
			for _, p := range []struct {
				name string
				v    Duration
			}{{"value", d.Value}, {"min", d.Min}, {"max", d.Max}, {"mean", d.Mean}, {"stddev", d.Stddev}, {"median", d.Median}} {
				span(path+"."+p.name, p.v)
			}
		}
	}
	at("until", sc.Until)
	for i := range sc.Nodes {
		n := &sc.Nodes[i]
		path := "nodes[" + strconv.Itoa(i) + "]"
		span(path+".timeout", n.Timeout)
		span(path+".visibilityTimeout", n.VisibilityTimeout)
		span(path+".interval", n.Interval)
		span(path+".sessionTimeout", n.SessionTimeout)
		dist(path+".serviceTime", n.ServiceTime)
		if r := n.Retry; r != nil {
			span(path+".retry.base", r.Base)
			span(path+".retry.cap", r.Cap)
		}
		for j, t := range n.RedriveAt {
			at(path+".redriveAt["+strconv.Itoa(j)+"]", t)
		}
		w := n.Workload
		if w == nil {
			continue
		}
		at(path+".workload.at", w.At)
		at(path+".workload.duration", w.Duration)
		dist(path+".workload.think", w.Think)
		var total Duration
		for j, p := range w.Phases {
			at(path+".workload.phases["+strconv.Itoa(j)+"].duration", p.Duration)
			if p.Duration > 0 && p.Duration <= Horizon {
				total += p.Duration
			}
		}
		if total > Horizon {
			errs.add(path+".workload.phases", "last %s in all; the most is %s", total.Short(), horizonText)
		}
	}
	for i := range sc.Edges {
		dist("edges["+strconv.Itoa(i)+"].latency", sc.Edges[i].Latency)
	}
	for i := range sc.Faults {
		f := &sc.Faults[i]
		path := "faults[" + strconv.Itoa(i) + "]"
		at(path+".at", f.At)
		at(path+".until", f.Until)
		span(path+".restart", f.Restart)
		span(path+".add", f.Add)
	}
}

// durationSum adds non-negative durations without wrapping: 128 bits hold
// the sum of any number of them this core can produce.
type durationSum struct{ hi, lo uint64 }

func (s *durationSum) add(d Duration) {
	var carry uint64
	s.lo, carry = bits.Add64(s.lo, uint64(d), 0)
	s.hi += carry
}

// mean returns the sum divided by n, rounded down like integer division,
// or 0 for n ≤ 0. The mean of values below 2⁶³ is below 2⁶³, so the
// quotient always fits.
func (s durationSum) mean(n int64) Duration {
	if n <= 0 {
		return 0
	}
	if s.hi >= uint64(n) {
		return Duration(math.MaxInt64) // cannot happen: see above
	}
	q, _ := bits.Div64(s.hi, s.lo, uint64(n))
	return Duration(q)
}

// total returns the sum, or the largest Duration if it is larger (worker
// time summed over many workers can pass 292 years).
func (s durationSum) total() Duration {
	if s.hi > 0 || s.lo > math.MaxInt64 {
		return Duration(math.MaxInt64)
	}
	return Duration(s.lo)
}
