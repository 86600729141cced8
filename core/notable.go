package core

// RecordKinds is how many record kinds there are: they are 0 to
// RecordKinds-1.
const RecordKinds = int(recKinds)

// Notable reports whether r is a moment a learner should not miss: a
// timeout, a failure, a crash, a redelivery, a dead-lettering, a lost
// message or a duplicate (skipped by an idempotent consumer, or handled
// again by one that is not). The player marks these on its scrubber.
func Notable(r *Record) bool {
	switch r.Kind {
	case RecTimeout, RecFail, RecCrash, RecRedeliver, RecDeadLetter, RecLost, RecSkip:
		return true
	case RecStart:
		return r.Reason == ReasonDuplicate
	}
	return false
}

// NotableSteps lists, in order, the steps whose records are [Notable]
// (step k applies record k-1); jump with [NextStep] and [PrevStep]. The
// timeline found them while it was prepared: the list is the timeline's,
// not to be changed.
func NotableSteps(tl *Timeline) []int32 { return tl.notable }

// NextStep returns the first of steps (sorted) after step, and false if
// there is none. A binary search: a run may have thousands.
func NextStep(steps []int32, step int) (int, bool) {
	i := sortSearch(len(steps), func(i int) bool { return int(steps[i]) > step })
	if i == len(steps) {
		return step, false
	}
	return int(steps[i]), true
}

// PrevStep returns the last of steps (sorted) before step, and false if
// there is none.
func PrevStep(steps []int32, step int) (int, bool) {
	i := sortSearch(len(steps), func(i int) bool { return int(steps[i]) >= step })
	if i == 0 {
		return step, false
	}
	return int(steps[i-1]), true
}

// CountUpTo returns how many of steps (sorted) are at most step: the
// length of the prefix a log shows at step.
func CountUpTo(steps []int32, step int) int {
	return sortSearch(len(steps), func(i int) bool { return int(steps[i]) > step })
}

// LogFilter picks records for the event log: those of one request, at
// one node, of one kind, or notable. A field of -1 (false for Notable)
// picks every record; the fields that are set must all match.
type LogFilter struct {
	Req     int32 // the request (correlation) id
	Node    int32 // a node index: where it happened, or the hop's sender or receiver
	Kind    int   // a RecordKind
	Notable bool  // only [Notable] records
}

// None reports whether f picks every record.
func (f LogFilter) None() bool {
	return f.Req < 0 && f.Node < 0 && f.Kind < 0 && !f.Notable
}

// Match reports whether f picks r.
func (f LogFilter) Match(r *Record) bool {
	return (f.Req < 0 || r.Req == f.Req) &&
		(f.Node < 0 || r.Node == f.Node || r.From == f.Node || r.To == f.Node) &&
		(f.Kind < 0 || int(r.Kind) == f.Kind) &&
		(!f.Notable || Notable(r))
}

// Filter returns the steps (step k applies record k-1), in order, of
// every record of the run f picks: one pass over the run, so a filter
// costs one scan when it changes, not one per step shown. The log shows
// the prefix up to the current step ([CountUpTo]).
func (t *Timeline) Filter(f LogFilter) []int32 {
	var steps []int32
	for i := range t.recs {
		if f.Match(&t.recs[i]) {
			steps = append(steps, int32(i+1))
		}
	}
	return steps
}
