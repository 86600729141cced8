package core

import (
	"math"
	"strconv"
	"unsafe"

	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// A run's memory grows with its work: trace records, messages and
// requests are kept to the end. So that no valid scenario can exhaust the
// memory of a browser tab (or of the machine running simulate), every run
// has a memory budget, checked twice:
//
//   - before it starts, Estimate runs the first events of the scenario (a
//     pilot) and extrapolates its cost to the whole run; Budget.Check
//     refuses a run whose estimate is over budget, naming the field to
//     change;
//   - while it runs, the engine adds up what it holds every few thousand
//     events and stops with StopMemoryLimit (or StopTraceLimit for
//     Options.MaxRecords) before going over, with the same advice.
//
// The second check is what guarantees the bound: an estimate from a pilot
// can be wrong (a retry storm grows as it goes).

// DefaultMaxMemory is the memory a run may hold when Options.MaxMemory is
// 0: 2 GiB, well within this project's machines and far below what the
// slowest run the limits allow would need.
const DefaultMaxMemory = 2 << 30

// Sizes of what a run keeps, in bytes.
const (
	recordBytes  = int64(unsafe.Sizeof(Record{}))
	messageBytes = int64(unsafe.Sizeof(message{}))
	requestBytes = int64(unsafe.Sizeof(request{}))
	eventBytes   = int64(unsafe.Sizeof(event{}))
	// A traced record is held by the trace, by its contiguous copy
	// (Engine.Trace) and, in the player, by the timeline: its transit
	// index (4 bytes) and a share of its snapshots. The trace is counted
	// at a whole Record's size on every platform, though natively it is
	// packed in keptRecordBytes (records.go): WebAssembly keeps records
	// unpacked (records_js.go), and a run must stop at the same step in
	// the browser as in core and simulate, whatever the platform holds.
	tracedRecordBytes = 2*recordBytes + 4 + snapshotBytesPerRecord
	// A latency sample of the report, per request.
	sampleBytes = 8
)

// memoryCheckEvery is how often (in events) the engine adds up what it
// holds: often enough that it cannot overshoot by more than a few MB.
const memoryCheckEvery = 4096

// memory is about how many bytes the run holds: what grows with the work
// done (records, messages, requests, samples) and the event heap. A traced
// run counts every message and request it made, freed or not: the
// sandbox's programs free nothing (reclaim_sandbox.go), and a traced run
// must stop at the same step there as in the playground and in simulate.
// An untraced run counts what it keeps.
func (e *Engine) memory() int64 {
	msgs, reqs, records := e.msgs.keptLen(), e.reqs.keptLen(), 0
	if e.tracing {
		msgs, reqs, records = e.msgs.len(), e.reqs.len(), e.trace.len()
	}
	return int64(msgs)*messageBytes + int64(reqs)*(requestBytes+2*sampleBytes) +
		int64(records)*tracedRecordBytes + int64(cap(e.events)+cap(e.nowQ))*eventBytes
}

// overBudget ends the run if it holds more than its budget allows.
func (e *Engine) overBudget() bool {
	switch {
	case e.tracing && e.maxRecords > 0 && int64(e.trace.len()) >= e.maxRecords:
		e.end(StopTraceLimit, fmtlite.Sprintf("the trace reached %s records, the most this run may keep; %s",
			groupDigits(e.maxRecords), shrinkAdvice(e.sc)))
		return true
	case e.processedEvents%memoryCheckEvery == 0 && e.memory() >= e.maxMemory:
		e.end(StopMemoryLimit, fmtlite.Sprintf("the run held about %s, its memory budget; %s",
			megabytes(e.maxMemory), shrinkAdvice(e.sc)))
		return true
	}
	return false
}

// Cost is what a run is expected to take.
type Cost struct {
	Events   int64 // events processed
	Records  int64 // trace records (0 untraced)
	Messages int64 // messages created
	Bytes    int64 // memory held at the end, about
	// PerRequestRecords and PerRequestBytes are what each request the
	// pilot sent cost on average (0 if it sent none) or, where more, each
	// request it finished: what a smaller workload is sized by.
	PerRequestRecords, PerRequestBytes float64
	// Exact says the pilot ran the whole scenario: the figures are the
	// run's own.
	Exact bool
	// Known says the figures are an exact count or an extrapolation of
	// the pilot over the share of the workload it covered. When the
	// workload has no planned end (it runs until a limit) or the pilot
	// had sent everything but the backlog was not done, the figures are
	// what the run's limits allow, and only the engine's own budget
	// check bounds it.
	Known bool
}

// PilotEvents is how many events Estimate runs: a few milliseconds in a
// browser tab. A page that runs in slices checks the budget once the run
// has got this far.
const PilotEvents = 20_000

// Estimate runs the first events of sc with opt and extrapolates what the
// whole run will take. It returns sc's validation errors, if any.
func Estimate(sc *Scenario, opt Options) (Cost, error) {
	e, err := NewEngine(sc, opt)
	if err != nil {
		return Cost{}, err
	}
	return e.Estimate(), nil
}

// Estimate runs the run's first events (the pilot), unless they have run
// already, and extrapolates what the whole run will take. The engine goes
// on from there: running in slices does not change a run, so a page that
// estimates and then runs does the pilot's work once.
func (e *Engine) Estimate() Cost {
	if !e.Done() && e.processedEvents < PilotEvents {
		e.RunSome(int(PilotEvents - e.processedEvents))
	}
	c := Cost{Events: e.processedEvents, Records: int64(e.trace.len()), Messages: int64(e.msgs.len()), Bytes: e.memory()}
	if sent := float64(e.m.started); sent > 0 {
		c.PerRequestRecords, c.PerRequestBytes = float64(c.Records)/sent, float64(c.Bytes)/sent
	}
	if e.Done() {
		c.Exact, c.Known = true, true
		return c
	}
	// The pilot covered this share of the workload (by requests sent or
	// by time); the run is about 1/share times the pilot, but never more
	// than its limits let it do.
	share := e.workShare()
	limit := min(float64(e.maxEvents)/float64(max(c.Events, 1)), float64(e.maxMessages)/float64(max(c.Messages, 1)))
	scale := limit
	if share > 0 && share < 1 {
		scale = min(1/share, limit)
		c.Known = true
	}
	grow := func(v int64) int64 { return int64(math.Min(float64(v)*scale, math.MaxInt64/2)) }
	c.Events, c.Records, c.Messages, c.Bytes = grow(c.Events), grow(c.Records), grow(c.Messages), grow(c.Bytes)
	// A request the pilot started is mostly still to come where many are
	// in flight at its end: a traffic spike's pilot counts 6 records per
	// request sent, its run 12. The requests it finished show what a
	// whole request costs.
	if per, other, ok := e.finishedRequestRecords(); ok && per > c.PerRequestRecords {
		records := int64(math.Min(per*float64(e.m.started)*scale, math.MaxInt64/4)) + grow(other)
		if records > c.Records {
			c.Bytes += (records - c.Records) * tracedRecordBytes
			c.Records = records
		}
		c.PerRequestBytes += (per - c.PerRequestRecords) * float64(tracedRecordBytes)
		c.PerRequestRecords = per
	}
	return c
}

// minFinishedRequests is how many requests the pilot must have finished
// for their records to say what a request costs.
const minFinishedRequests = 30

// finishedRequestRecords returns the trace records of the requests the
// run has finished so far, on average, and the records that belong to no
// request (faults, polls); ok is false without a trace or with fewer than
// minFinishedRequests finished. It reads the whole trace so far: for a
// pilot, PilotEvents' worth.
func (e *Engine) finishedRequestRecords() (per float64, other int64, ok bool) {
	if !e.tracing {
		return 0, 0, false
	}
	counts := make([]int32, e.reqs.len())
	for i := range e.trace.len() {
		if r := e.trace.at(int32(i)).Req; r >= 0 && int(r) < len(counts) {
			counts[r]++
		} else {
			other++
		}
	}
	var n, sum int64
	for id, k := range counts {
		// A freed request was done (reclaim.go).
		if !e.reqs.kept(int32(id)) || e.reqs.at(int32(id)).doneAt >= 0 {
			n++
			sum += int64(k)
		}
	}
	if n < minFinishedRequests {
		return 0, 0, false
	}
	return float64(sum) / float64(n), other, true
}

// Budget is what a place that runs scenarios can afford.
type Budget struct {
	MaxRecords int64 // trace records
	MaxMemory  int64 // bytes held by the run
}

// BrowserBudget is what a run in a browser tab may take: its trace, the
// player's timeline and the page all live in one WebAssembly memory, and a
// tab has a few GB at most.
var BrowserBudget = Budget{MaxRecords: 2_000_000, MaxMemory: 300 << 20}

// Options returns opt with the budget's limits, so the engine enforces
// them while it runs.
func (b Budget) Options(opt Options) Options {
	opt.MaxRecords, opt.MaxMemory = b.MaxRecords, b.MaxMemory
	return opt
}

// Check refuses a run whose known cost is over the budget, with an error
// naming the field of sc to change and by how much. An unknown cost
// passes: the engine's own check stops that run at the budget.
func (b Budget) Check(sc *Scenario, c Cost) error {
	if !c.Known {
		return nil
	}
	over := 0.0
	if b.MaxRecords > 0 {
		over = max(over, float64(c.Records)/float64(b.MaxRecords))
	}
	if b.MaxMemory > 0 {
		over = max(over, float64(c.Bytes)/float64(b.MaxMemory))
	}
	if over <= 1 {
		return nil
	}
	// How many requests fit, from what each cost in the pilot; without
	// that, the present workload shrunk by how much it is over.
	fit := 0.0
	if c.PerRequestRecords > 0 && b.MaxRecords > 0 {
		fit = float64(b.MaxRecords) / c.PerRequestRecords
	}
	if c.PerRequestBytes > 0 && b.MaxMemory > 0 {
		if f := float64(b.MaxMemory) / c.PerRequestBytes; fit == 0 || f < fit {
			fit = f
		}
	}
	field, advice := volumeField(sc, over, fit)
	what := fmtlite.Sprintf("about %s events and %s", groupDigits(c.Events), megabytes(c.Bytes))
	if c.Records > 0 {
		what = fmtlite.Sprintf("about %s trace records and %s", groupDigits(c.Records), megabytes(c.Bytes))
	}
	return Errors{{Field: field, Message: fmtlite.Sprintf("this run would take %s, more than the %s records and %s a run here may use; %s",
		what, groupDigits(b.MaxRecords), megabytes(b.MaxMemory), advice)}}
}

// adviceMargin is the share of what the pilot says fits that a refusal
// advises. The pilot counts a request as sent when it starts, before it has
// done all its work, so it underrates each request's cost where many are in
// flight at its end (100,000 closed-loop users: by a fifth).
// TestTheAdviceFits checks that every advised value passes.
const adviceMargin = 0.7

// volumeField names the field that sets how much work sc does — the
// workload of its busiest client — and advises a value for it: one that
// sends about adviceMargin of fit requests or, if fit is 0, about 1/over
// of the present one.
func volumeField(sc *Scenario, over, fit float64) (field, advice string) {
	best, bestWeight := -1, 0.0
	for i := range sc.Nodes {
		if w := sc.Nodes[i].Workload; sc.Nodes[i].Kind == Client && w != nil {
			if wt := planWorkload(w).weight; wt > bestWeight {
				best, bestWeight = i, wt
			}
		}
	}
	if best >= 0 && bestWeight > 1 && fit > 0 {
		over = bestWeight / fit
	}
	shrink := func(v float64) float64 { return math.Max(math.Floor(v/over*adviceMargin), 1) }
	if best >= 0 && bestWeight > 1 {
		w := sc.Nodes[best].Workload
		path := fmtlite.Sprintf("nodes[%d].workload", best)
		pl := planWorkload(w)
		switch {
		case pl.count > 0 && float64(pl.count) <= pl.weight*1.01 && w.Type == Closed && w.Count > 0:
			return path + ".users", fmtlite.Sprintf("lower %s.users to about %s (or its count per user)", path, groupDigits(int64(shrink(float64(w.Users)))))
		case pl.count > 0 && float64(pl.count) <= pl.weight*1.01:
			return path + ".count", fmtlite.Sprintf("lower %s.count to about %s", path, groupDigits(int64(shrink(float64(w.Count)))))
		case w.Type == Schedule:
			return path + ".phases", fmtlite.Sprintf("shorten %s.phases or lower their rates about %.0f×", path, math.Ceil(over/adviceMargin))
		case w.Duration > 0:
			return path + ".duration", fmtlite.Sprintf("shorten %s.duration to about %s", path, Duration(shrink(float64(w.Duration))).Short())
		}
	}
	return "limits.maxEvents", "set limits.maxEvents lower, or make the scenario do less"
}

// shrinkAdvice is the advice of volumeField for a run that hit a budget
// while running: the field, without a figure.
func shrinkAdvice(sc *Scenario) string {
	field, _ := volumeField(sc, 2, 0)
	return "to run it whole, lower " + field
}

// megabytes formats a byte count as "300 MB".
func megabytes(b int64) string {
	return groupDigits((b+(1<<20)-1)>>20) + " MB"
}

// groupDigits formats n with thousands separators: 2,000,000.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return sign + s
}
