package core

import (
	"math"
	"strconv"
)

// Predict, then reveal. A checkpoint asks about an event of its step's
// run (Checkpoint.Reveal): the step's stop lands before that event, so
// the learner predicts from what the run has shown so far; once answered,
// the player plays on to the event and the explanation points at it. The
// stop's notes follow the player's step rather than the stop, so none of
// them describes a moment that is over, or one still to come.

// Find returns the index in run's trace of the record s picks, or -1.
func (s *LessonStop) Find(run *LessonRun) int {
	node := int32(-1)
	if s.Node != "" {
		node = int32(run.Scenario.NodeIndex(s.Node))
	}
	seen, last := 0, -1
	for i := range run.Trace {
		r := &run.Trace[i]
		if r.Kind != s.Kind || (node >= 0 && r.Node != node) || (s.Key != 0 && (r.Kind != RecEnqueue || r.Partition < 0 || r.Value != s.Key)) {
			continue
		}
		seen++
		last = i
		if seen == s.Nth || (s.Nth == 0 && seen == 1) {
			return i
		}
	}
	if s.Nth < 0 {
		return last
	}
	return -1
}

// RevealStep returns the player step (records applied) at which the
// event the step's checkpoint asks about has just happened, or 0 if it
// has none.
func (s *LessonStep) RevealStep(run *LessonRun) int {
	if s.Checkpoint == nil || s.Checkpoint.Reveal == nil {
		return 0
	}
	return s.Checkpoint.Reveal(run) + 1
}

// StepNote is a stop's note and the player steps it holds for: From (its
// record applied) up to, not including, To.
type StepNote struct {
	From, To int
	Text     string // with its {{placeholders}}
}

// Notes returns the step's notes in order, each with the player steps it
// holds for: the stop's own note from its record on, then each of its
// Then notes from theirs. A note whose record never happens is left out.
func (s *LessonStep) Notes(run *LessonRun) []StepNote {
	if s.Stop == nil {
		return nil
	}
	var notes []StepNote
	add := func(st *LessonStop) {
		i := st.Find(run)
		if i < 0 || st.Note == "" {
			return
		}
		if n := len(notes); n > 0 {
			if notes[n-1].From > i+1 {
				return // out of order: the lesson test says so
			}
			notes[n-1].To = i + 1
		}
		notes = append(notes, StepNote{From: i + 1, To: len(run.Trace) + 1, Text: st.Note})
	}
	add(s.Stop)
	for i := range s.Stop.Then {
		add(&s.Stop.Then[i])
	}
	return notes
}

// NoteAt returns the index in notes of the note that holds at player
// step, or -1 for none.
func NoteAt(notes []StepNote, step int) int {
	for i, n := range notes {
		if step >= n.From && step < n.To {
			return i
		}
	}
	return -1
}

// Bounds returns the range an answer to c must lie in: the choices'
// indexes, the stated Range, or at least 0.
func (c *Checkpoint) Bounds(run *LessonRun) (lo, hi float64) {
	switch {
	case len(c.Choices) > 0:
		return 0, float64(len(c.Choices) - 1)
	case c.Range != nil:
		return c.Range(run)
	}
	return 0, math.Inf(1)
}

// Ways to pick the record a checkpoint reveals.

// revealAt reveals the nth (from 1; -1 for the last) record of kind at
// node ("" for any).
func revealAt(kind RecordKind, node string, nth int) func(*LessonRun) int {
	st := &LessonStop{Kind: kind, Node: node, Nth: nth}
	return st.Find
}

// revealWhere reveals the first record for which ok holds.
func revealWhere(ok func(run *LessonRun, r *Record) bool) func(*LessonRun) int {
	return func(run *LessonRun) int {
		for i := range run.Trace {
			if ok(run, &run.Trace[i]) {
				return i
			}
		}
		return -1
	}
}

// revealPeak reveals the record at which node id first holds its most
// messages: a queue's enqueue that reaches its peak depth.
func revealPeak(id string) func(*LessonRun) int {
	return revealWhere(func(run *LessonRun, r *Record) bool {
		n := int32(run.Scenario.NodeIndex(id))
		return r.Node == n && r.Kind == RecEnqueue && r.Value >= nodeReport(run.Report, id).MaxDepth
	})
}

// revealEnd reveals the run's last record: for a total (lost events)
// that only the end settles.
func revealEnd(run *LessonRun) int { return len(run.Trace) - 1 }

// revealLastWhere reveals the last record for which ok holds.
func revealLastWhere(ok func(run *LessonRun, r *Record) bool) func(*LessonRun) int {
	return func(run *LessonRun) int {
		for i := len(run.Trace) - 1; i >= 0; i-- {
			if ok(run, &run.Trace[i]) {
				return i
			}
		}
		return -1
	}
}

// askedUserPartition is the partition of the first record keyed
// askedUser on a topic of run, as the run put it there ("" if there is
// none): the ordering lesson's figure userPartition.
func askedUserPartition(run *LessonRun) string {
	i := (&LessonStop{Kind: RecEnqueue, Key: askedUser}).Find(run)
	if i < 0 {
		return ""
	}
	return strconv.Itoa(int(run.Trace[i].Partition))
}
