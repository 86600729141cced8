package core

import "math"

// A long run must not freeze a single-threaded page. The page drives it a
// slice at a time: RunSome (or CompareJob.Step) does a bounded amount of
// work, the page yields to its event loop, shows Progress, and goes on.
// Slicing changes nothing about the run: it is the same sequence of
// events, so the trace and the report are those of Finish in one go.

// almostDone is the most Progress reports before the run has ended: a
// workload may have sent everything while its backlog still drains, and
// a full bar should mean finished.
const almostDone = 0.99

// RunSome processes at most n more events and reports whether the run has
// ended. It ends the run exactly where Finish would (the same end
// conditions and limits, by the same code), so after it reports done the
// engine is in the state Finish leaves it in: the same trace, trace hash
// and report. An n below 1 counts as 1, so a loop over RunSome always
// gets somewhere.
func (e *Engine) RunSome(n int) (done bool) {
	e.rec, e.stepOut = e.hashing, false
	for range max(n, 1) {
		if !e.step() {
			return true
		}
	}
	return e.Done()
}

// Progress is how far the run has got, from 0 to 1: the larger of the
// share of planned requests the clients have sent (a client with a time
// limit counts the share of that time passed, if it is larger) and the
// share of the scenario's Until that has passed, when Until is set. It is
// 1 once the run has ended and at most 0.99 before, so a full bar means
// finished; it never goes down as the run goes on. A workload with
// neither a planned count nor an end (open-ended) reports by time only if
// Until is set. A run that is heading for its event or message limit
// reports the share of that limit used, if it is larger.
func (e *Engine) Progress() float64 {
	if e.Done() {
		return 1
	}
	p := max(e.workShare(), fraction(float64(e.processedEvents), float64(e.maxEvents)),
		fraction(float64(e.msgs.len()), float64(e.maxMessages)))
	return min(p, almostDone)
}

// workShare is how much of its planned work the run has done: the
// clients' share of their workloads or, if larger, the share of Until
// passed; 0 when neither is known. Progress shows it; Estimate scales the
// pilot by it.
func (e *Engine) workShare() float64 {
	p := e.clientShare()
	if u := e.sc.Until; u > 0 {
		p = max(p, fraction(float64(e.now), float64(u)))
	}
	return p
}

// clientShare is the clients' progress through their workloads, each
// weighted by the requests it is expected to send; 0 if some client's
// workload is open-ended.
func (e *Engine) clientShare() float64 {
	var done, total float64
	for i := range e.nodes {
		n := &e.nodes[i]
		if n.role != roleClient {
			continue
		}
		pl := planWorkload(n.wl)
		if pl.count == 0 && pl.end == 0 {
			return 0 // open-ended: no plan to measure against
		}
		f := 0.0
		if pl.count > 0 {
			f = fraction(float64(n.sent), float64(pl.count))
		}
		switch {
		case n.phased:
			// Its phases change the rate: a spike's quiet start is most
			// of its time and little of its requests. Its share is the
			// requests it sent of those it is expected to.
			f = max(f, fraction(float64(n.sent), pl.weight))
		case pl.end > 0:
			f = max(f, fraction(float64(e.now), float64(pl.end)))
		}
		done += pl.weight * f
		total += pl.weight
	}
	if total == 0 {
		return 0
	}
	return done / total
}

// fraction is part/whole clamped to [0, 1].
func fraction(part, whole float64) float64 {
	if whole <= 0 {
		return 0
	}
	return min(max(part/whole, 0), 1)
}

// workloadPlan is what a workload will send: it stops after count
// requests or at time end, whichever comes first (0: no such bound), and
// is expected to send about weight requests (at least 1), and seldom more
// than high.
type workloadPlan struct {
	count  int
	end    Duration
	weight float64
	high   float64
}

func planWorkload(w *Workload) workloadPlan {
	var pl workloadPlan
	expected, high := -1.0, -1.0 // unknown
	bound := func(x, hi float64) {
		if expected < 0 || x < expected {
			expected = x
		}
		if high < 0 || hi < high {
			high = hi
		}
	}
	// poisson bounds the requests of Poisson arrivals over a time: their
	// count is a Poisson variable of mean x, which exceeds x + 3√x about
	// once in 700 runs (its standard deviation is √x).
	poisson := func(x float64) { bound(x, x+3*math.Sqrt(x)) }
	switch w.Type {
	case Single:
		pl.count = 1
	case Poisson:
		pl.count, pl.end = w.Count, w.Duration
		if w.Duration > 0 {
			poisson(w.Rate * w.Duration.Seconds())
		}
	case Schedule:
		pl.count = w.Count
		var n float64
		for _, p := range w.Phases {
			pl.end += p.Duration
			n += p.Rate * p.Duration.Seconds()
		}
		poisson(n)
	case Closed:
		pl.count = w.Users * w.Count
		pl.end = w.Duration
		if w.Duration > 0 {
			// Each user sends about once per think time (plus the wait,
			// which is not known in advance).
			n := float64(w.Users) * float64(w.Duration) / float64(max(w.Think.MeanValue(), Millisecond))
			bound(n, n)
		}
	}
	if pl.count > 0 {
		bound(float64(pl.count), float64(pl.count))
	}
	pl.weight, pl.high = max(expected, 1), max(high, 1)
	return pl
}

// plannedRequests is about how many requests sc's clients will send, at
// least 1 per client: a run's expected size, to weigh runs by.
func plannedRequests(sc *Scenario) float64 {
	return sumPlans(sc, func(pl workloadPlan) float64 { return pl.weight })
}

// mostRequests is how many requests sc's clients will seldom exceed: the
// planned ones, with room for the chance in Poisson arrivals.
func mostRequests(sc *Scenario) float64 {
	return sumPlans(sc, func(pl workloadPlan) float64 { return pl.high })
}

// sumPlans adds up part of each client's workload plan (at least 1).
func sumPlans(sc *Scenario, part func(workloadPlan) float64) float64 {
	var n float64
	for i := range sc.Nodes {
		if w := sc.Nodes[i].Workload; sc.Nodes[i].Kind == Client && w != nil {
			n += part(planWorkload(w))
		}
	}
	return max(n, 1)
}
