package core

import (
	"fmt"
	"math"
	"math/bits"
	"reflect"
	"strconv"
	"strings"
	"sync"
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

// absoluteTimes are the JSON names of the fields that hold a point in
// virtual time (or a stretch from time 0) rather than a span: they may go
// up to Horizon. Every other Duration is a span, at most MaxDuration.
var absoluteTimes = map[string]bool{"until": true, "at": true, "duration": true, "redriveAt": true}

// checkTimes reports every Duration of sc beyond its bound, and a
// schedule whose phases add up past Horizon. It walks the scenario by
// reflection, so a Duration field added later is bounded too.
func (sc *Scenario) checkTimes(errs *Errors) {
	var path []string
	walkDurations(reflect.ValueOf(sc).Elem(), &path, "", errs)
	for i := range sc.Nodes {
		w := sc.Nodes[i].Workload
		if w == nil {
			continue
		}
		var total Duration
		for _, p := range w.Phases {
			if p.Duration > 0 && p.Duration <= Horizon {
				total += p.Duration
			}
		}
		if total > Horizon {
			errs.add(fmt.Sprintf("nodes[%d].workload.phases", i), "last %s in all; the most is %s", total.Short(), horizonText)
		}
	}
}

// walkDurations checks every Duration under v. path holds the segments of
// v's JSON path, joined only for an error: formatting a path for every
// field took a seventh of reading a large scenario.
func walkDurations(v reflect.Value, path *[]string, name string, errs *Errors) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walkDurations(v.Elem(), path, name, errs)
		}
	case reflect.Slice:
		if !hasDurations(v.Type().Elem()) {
			return
		}
		for i := range v.Len() {
			*path = append(*path, "["+strconv.Itoa(i)+"]")
			walkDurations(v.Index(i), path, name, errs)
			*path = (*path)[:len(*path)-1]
		}
	case reflect.Struct:
		for _, f := range durationFields(v.Type()) {
			*path = append(*path, f.tag)
			walkDurations(v.Field(f.index), path, f.tag, errs)
			*path = (*path)[:len(*path)-1]
		}
	case reflect.Int64:
		if v.Type() != durationType {
			return
		}
		d := Duration(v.Int())
		switch {
		case absoluteTimes[name] && d > Horizon:
			errs.add(joinSegments(*path), "is %s; the most is %s", d.Short(), horizonText)
		case !absoluteTimes[name] && d > MaxDuration:
			errs.add(joinSegments(*path), "is %s; the longest a single duration may be is %s", d.Short(), maxDurText)
		}
	}
}

// durationField is a field of a struct that can hold a Duration.
type durationField struct {
	index int
	tag   string
}

// durationFieldsOf caches durationFields: reflecting on the same few types
// for every node and edge of a large scenario was most of the walk.
var durationFieldsOf sync.Map // reflect.Type → []durationField

// durationFields lists the JSON fields of struct type t that can hold a
// Duration.
func durationFields(t reflect.Type) []durationField {
	if fs, ok := durationFieldsOf.Load(t); ok {
		return fs.([]durationField)
	}
	var fs []durationField
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag != "" && tag != "-" && f.IsExported() && hasDurations(f.Type) {
			fs = append(fs, durationField{i, tag})
		}
	}
	durationFieldsOf.Store(t, fs)
	return fs
}

// hasDurations reports whether a value of type t can hold a Duration.
func hasDurations(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice:
		return hasDurations(t.Elem())
	case reflect.Struct:
		return len(durationFields(t)) > 0
	case reflect.Int64:
		return t == durationType
	}
	return false
}

// joinSegments joins path segments: "nodes", "[2]", "timeout" give
// "nodes[2].timeout".
func joinSegments(segs []string) string {
	var b strings.Builder
	for _, s := range segs {
		if b.Len() > 0 && !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
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
