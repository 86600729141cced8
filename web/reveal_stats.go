//go:build !sandbox

package web

import (
	"strconv"
	"sync"

	"github.com/sync-vs-async/playground/core"
)

// The numbers panel's figures that lessons ask about: out-of-order
// handlings and duplicates, counted up to the player's step. The
// sandbox's program (built with -tags sandbox) leaves them out: it has
// 1 MB of brotli for everything, and they are for lessons.

// revealStats are those figures, shown where the scenario can produce
// them: out-of-order handlings where requests carry keys, duplicates
// where an outbox can publish an event twice (or, in a keyed run, once
// there are any).
func revealStats(tl *core.Timeline, st *core.State) []Stat {
	sc := tl.Scenario()
	keyed, outbox := false, false
	for i := range sc.Nodes {
		n := &sc.Nodes[i]
		keyed = keyed || n.Workload != nil && n.Workload.Keys > 0
		outbox = outbox || n.Kind == core.Outbox
	}
	if !keyed && !outbox {
		return nil // nothing to count: no run is scanned for it
	}
	ooo, dup, skip := revealCountsUpTo(tl, st.Step)
	dupes := outbox || dup+skip > 0
	var out []Stat
	if keyed {
		out = append(out, Stat{"out-of-order", "Out of order", strconv.Itoa(ooo)})
	}
	if dupes {
		out = append(out, Stat{"duplicates", "Duplicates handled", strconv.Itoa(dup)},
			Stat{"duplicates-skipped", "Duplicates skipped", strconv.Itoa(skip)})
	}
	return out
}

// revealSteps are the steps of one timeline's out-of-order handlings,
// duplicates handled and duplicates skipped, found once: they are few,
// and counting them up to a step is then a binary search, as the
// filtered event log counts its rows.
var revealSteps struct {
	sync.Mutex
	tl             *core.Timeline
	ooo, dup, skip []int32
}

func revealCountsUpTo(tl *core.Timeline, step int) (ooo, dup, skip int) {
	r := &revealSteps
	r.Lock()
	defer r.Unlock()
	if r.tl != tl {
		r.tl, r.ooo, r.dup, r.skip = tl, nil, nil, nil
		for i := range tl.Len() {
			rec := tl.Record(i)
			switch {
			case rec.Kind == core.RecFinish && rec.Reason == core.ReasonOutOfOrder:
				r.ooo = append(r.ooo, int32(i+1))
			case rec.Kind == core.RecStart && rec.Reason == core.ReasonDuplicate:
				r.dup = append(r.dup, int32(i+1))
			case rec.Kind == core.RecSkip:
				r.skip = append(r.skip, int32(i+1))
			}
		}
	}
	return core.CountUpTo(r.ooo, step), core.CountUpTo(r.dup, step), core.CountUpTo(r.skip, step)
}

// OutOfRange says why answer g to a checkpoint of kind ("number" or
// "choice") is outside its stated range [lo, hi] (as data-min and
// data-max write them, "" for an open end) in unit, or "" if it is not.
func OutOfRange(g float64, kind, lo, hi, unit string) string {
	min, errLo := strconv.ParseFloat(lo, 64)
	max, errHi := strconv.ParseFloat(hi, 64)
	if kind == "choice" || (errLo != nil || g >= min) && (errHi != nil || g <= max) {
		return ""
	}
	what := "a number"
	switch unit {
	case "":
	case "partition", "request":
		what = "a " + unit + " number"
	default:
		what = "a number of " + unit
	}
	given := "; " + formatNumber(g) + " is not."
	switch {
	case errHi != nil:
		return "Out of range: the answer is " + what + " of at least " + lo + given
	case errLo != nil:
		return "Out of range: the answer is " + what + " of at most " + hi + given
	}
	return "Out of range: the answer is " + what + " from " + lo + " to " + hi + given
}
