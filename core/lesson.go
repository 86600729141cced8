package core

import (
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// A Lesson turns a section of the seed into steps a learner runs: each
// step explains something in a few sentences, shows a built-in scenario
// (possibly changed a little), may stop the player at a record worth
// looking at, and may ask the learner to predict a figure before the run
// reveals it. Every number a lesson states comes from its run: step texts
// hold {{placeholders}} that LessonFigures fills in, and checkpoint answers are
// functions of the run, never typed in.
type Lesson struct {
	ID      string
	Title   string
	Summary string
	// Seed names the section of the seed the lesson covers.
	Seed  string
	Steps []LessonStep
	// Claims are what the lesson asserts across its runs; the tests check
	// every one.
	Claims []Claim
}

// LessonStep is one page of a lesson.
type LessonStep struct {
	Title string
	// Text is a few sentences; {{name}} is replaced by the figure of that
	// name from the step's run (see LessonFigures).
	Text string
	// Example is the built-in scenario the step runs; Tweak, if set,
	// changes a copy of it first.
	Example string
	Tweak   func(*Scenario)
	// Stop, if set, is where the player stops and highlights.
	Stop *LessonStop
	// Checkpoint, if set, asks the learner to predict before revealing.
	Checkpoint *Checkpoint
	// TryIt offers to open the step's scenario in the sandbox.
	TryIt bool
	// Code, if set, is shown beside the run with the current line
	// highlighted (see code.go).
	Code *CodePane
	// CodeFor, if set, picks the pane for the step's scenario instead,
	// where a knob changes which code runs (the outbox's consumer with
	// its dedupe store, or without).
	CodeFor func(*Scenario) *CodePane
	// Knobs are controls that change the step's scenario (see Knob); the
	// scenario starts with each at its Default. knobs, if set, is the
	// state Lesson.WithKnobs put them in.
	Knobs []Knob
	knobs KnobState
}

// LessonStop picks a record of a run: the Nth (from 1; -1 for the last) of
// the given kind at the node with the given id ("" for any node).
type LessonStop struct {
	Kind RecordKind
	Node string
	Nth  int
	// Key, if not 0, picks only a topic's appends of that key number.
	Key int64
	// Note says what to look at there ("watch the client: still blocked").
	// It holds from its record on, until the first of Then whose record
	// has happened: a note follows the player's step (see
	// LessonStep.Notes), so it never outlives what it describes.
	Note string
	Then []LessonStop
}

// Checkpoint is a predict-then-reveal question.
type Checkpoint struct {
	Question string
	// Unit of a numeric answer ("ms", "messages"); empty for a choice.
	Unit string
	// Choices, if set, make it a multiple choice; the answer is the index
	// of the right choice.
	Choices []string
	// Answer computes the right answer from the step's run.
	Answer func(*LessonRun) float64
	// Tolerance is how far a numeric answer may be from the right one and
	// still count: absolute, in the answer's unit. Zero demands it exactly
	// (choices always do).
	Tolerance float64
	// Explain follows the reveal; it may hold {{placeholders}}.
	Explain string
	// Reveal returns the index in the trace of the record the question is
	// about (-1 for none): the step's stop lands before it, nothing on
	// screen there gives the answer away, and once the question is
	// answered the player plays on to it and points at it. See reveal.go.
	Reveal func(*LessonRun) int
	// Hint, shown after a first wrong answer, says what to look at; it
	// may hold {{placeholders}} but never the answer.
	Hint string
	// Range is the stated range of a numeric answer (nil: at least 0);
	// an answer outside it is refused with a message naming it.
	Range func(*LessonRun) (lo, hi float64)
	// Names is set when the answer names something the run shows before
	// the event asked about (the request that keeps failing, the
	// partition of a key's earlier record): the figure is then on screen
	// as evidence, and only the event's own record would give it away.
	Names bool
}

// Claim is something a lesson states about its runs, with its check.
type Claim struct {
	Text  string
	Check func(runs []*LessonRun) error
}

// LessonRun is one step's scenario run, with its trace.
type LessonRun struct {
	Scenario *Scenario
	Report   *Report
	Trace    []Record
	// Lesson holds the runs of every step of the lesson, in order, so a
	// checkpoint can compare this run with another.
	Lesson []*LessonRun
	// Hash is the trace's digest (Engine.TraceHash), which the page's
	// player computes too: what the server derived from this run (a code
	// pane's lines) applies to the player's run only if they agree.
	Hash string
}

// Lessons lists the lessons in the order a learner takes them. They are
// built once, on first use.
func Lessons() []*Lesson {
	lessonsOnce.Do(func() { lessons = allLessons() })
	return lessons
}

var (
	lessonsOnce sync.Once
	lessons     []*Lesson
)

// LessonByID returns the lesson with the given id, or nil.
func LessonByID(id string) *Lesson {
	for _, l := range Lessons() {
		if l.ID == id {
			return l
		}
	}
	return nil
}

// Scenario returns the scenario step runs: its example, tweaked.
func (s *LessonStep) Scenario() (*Scenario, error) {
	sc, err := ExampleByID(s.Example)
	if err != nil {
		return nil, err
	}
	if s.Tweak != nil {
		s.Tweak(sc)
	}
	s.applyKnobs(sc)
	return sc, sc.Validate()
}

// Run runs the step's scenario with its trace.
func (s *LessonStep) Run() (*LessonRun, error) {
	sc, err := s.Scenario()
	if err != nil {
		return nil, fmtlite.Errorf("step %q: %w", s.Title, err)
	}
	e, err := NewEngine(sc, Options{Trace: true})
	if err != nil {
		return nil, err
	}
	r := e.Run()
	return &LessonRun{Scenario: e.Scenario(), Report: r, Trace: e.Trace(), Hash: e.TraceHash()}, nil
}

// Run runs every step of the lesson.
func (l *Lesson) Run() ([]*LessonRun, error) {
	runs := make([]*LessonRun, len(l.Steps))
	for i := range l.Steps {
		r, err := l.Steps[i].Run()
		if err != nil {
			return nil, fmtlite.Errorf("lesson %s: %w", l.ID, err)
		}
		runs[i] = r
	}
	for _, r := range runs {
		r.Lesson = runs
	}
	return runs, nil
}

// StopStep returns the player step (records applied) at which the step's
// Stop record has just happened, or 0 if it has none or it never happens.
func (s *LessonStep) StopStep(run *LessonRun) int {
	if s.Stop == nil {
		return 0
	}
	return s.Stop.Find(run) + 1
}

// FillFigures replaces the {{placeholders}} of text with the run's figures, and
// reports the names it does not know. (A hand-written scan, not a regexp:
// a package-level regexp would be compiled into every program that links
// core, the WebAssembly player included.)
func FillFigures(text string, run *LessonRun) (string, error) {
	figs := LessonFigures(run)
	var missing []string
	var b strings.Builder
	for {
		start := strings.Index(text, "{{")
		if start < 0 {
			break
		}
		end := strings.Index(text[start:], "}}")
		if end < 0 {
			break
		}
		name := text[start+2 : start+end]
		b.WriteString(text[:start])
		if v, ok := figs[name]; ok {
			b.WriteString(v)
		} else {
			missing = append(missing, name)
			b.WriteString(text[start : start+end+2])
		}
		text = text[start+end+2:]
	}
	b.WriteString(text)
	if len(missing) > 0 {
		return b.String(), fmtlite.Errorf("unknown figures %s", strings.Join(missing, ", "))
	}
	return b.String(), nil
}

// LessonFigures are the numbers a lesson may quote from a run, by name:
// user.max, user.p50, user.p99, completion.max, completion.p50,
// staleness.mean, staleness.max, requests, ok, errors, timeouts,
// crossings (one-way network crossings of request 0), processed,
// dropped, lost, deadLettered, retried, duplicates, duplicatesSkipped,
// outOfOrder, end, and per node <id>.departures, <id>.maxDepth,
// <id>.sojourn, <id>.wait (and <id>.timeout where it has one).
func LessonFigures(run *LessonRun) map[string]string {
	r := run.Report
	c := r.Counts
	f := map[string]string{
		"user.max": r.UserLatency.Max.Short(), "user.p50": r.UserLatency.P50.Short(),
		"user.p99": r.UserLatency.P99.Short(), "user.mean": r.UserLatency.Mean.Short(),
		"completion.max": r.CompletionLatency.Max.Short(), "completion.p50": r.CompletionLatency.P50.Short(),
		"completion.mean": r.CompletionLatency.Mean.Short(),
		"staleness.mean":  r.Staleness.Mean.Short(), "staleness.max": r.Staleness.Max.Short(),
		"requests": itoa(r.Requests.Started), "ok": itoa(r.Requests.OK), "errors": itoa(r.Requests.Errors),
		"timeouts": itoa(r.Requests.TimedOut), "processed": itoa(c.Processed), "dropped": itoa(c.Dropped),
		"lost": itoa(c.Lost), "deadLettered": itoa(c.DeadLettered), "retried": itoa(c.Retried),
		"duplicates": itoa(c.DuplicatesProcessed), "duplicatesSkipped": itoa(c.DuplicatesSkipped),
		"outOfOrder": itoa(c.OutOfOrder), "end": r.End.Short(),
		"crossings": itoa(int64(Crossings(run, 0))),
	}
	for _, n := range r.Nodes {
		f[n.ID+".departures"] = itoa(n.Departures)
		f[n.ID+".maxDepth"] = itoa(n.MaxDepth)
		f[n.ID+".sojourn"] = n.MeanSojourn.Short()
		f[n.ID+".wait"] = n.MeanWait.Short()
	}
	addScenarioFigures(f, run)
	// Figures only some lessons quote.
	f["userPartition"] = askedUserPartition(run)
	if len(r.DeadLetters) > 0 {
		f["deadLetterReq"] = strconv.Itoa(int(r.DeadLetters[0].Req))
		f["deadLetterDeliveries"] = strconv.Itoa(int(r.DeadLetters[0].Deliveries))
	}
	return f
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Crossings counts the one-way network crossings the messages of request
// req made: each send, delivery, reply and ack.
func Crossings(run *LessonRun, req int32) int {
	n := 0
	for _, r := range run.Trace {
		if r.Req != req {
			continue
		}
		switch r.Kind {
		case RecSend, RecDeliver, RecReply:
			n++
		case RecAck:
			if r.Reason != ReasonAckLost {
				n++
			}
		}
	}
	return n
}

// Correct reports whether answer is right for the checkpoint on run, and
// the right answer.
func (c *Checkpoint) Correct(run *LessonRun, answer float64) (bool, float64) {
	want := c.Answer(run)
	return AnswerMatches(answer, want, c.Tolerance, len(c.Choices) > 0), want
}

// AnswerMatches is how a checkpoint grades: a choice must be the one
// wanted, a number within tolerance of it (plus a hair for the floating
// point of a figure written in the page and read back). The lesson page
// grades with it too, from the answer its markup carries.
func AnswerMatches(given, want, tolerance float64, choice bool) bool {
	switch {
	case math.IsNaN(given):
		return false
	case choice:
		return given == want
	}
	return math.Abs(given-want) <= tolerance+1e-9
}

// millis converts a duration to milliseconds, for answers in ms.
func millis(d Duration) float64 { return d.Milliseconds() }

// nodeReport returns the report of the node with the given id.
func nodeReport(r *Report, id string) NodeReport {
	for _, n := range r.Nodes {
		if n.ID == id {
			return n
		}
	}
	return NodeReport{}
}

// CodePane returns the code shown beside the step's run of sc: CodeFor's
// choice, else Code (nil for none).
func (s *LessonStep) CodePane(sc *Scenario) *CodePane {
	if s.CodeFor != nil {
		return s.CodeFor(sc)
	}
	return s.Code
}
