package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/internal/fmtlite"
	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"
)

// The lesson pages: the index of every lesson, and one page per lesson
// with all its steps and the player. The server renders them whole, every
// step visible, so they read before (and without) the WASM program; the
// program then shows one step at a time, loads each step's scenario into
// the player from its data-scenario, and checks the checkpoints.

// The ids of the lesson pages. The WASM program finds elements by them.
const (
	// The lesson index.
	IDLessonIndex    = "lesson-index"    // the <ol> of lessons; each <li> has data-lesson-id
	IDResetProgress  = "reset-progress"  // button: forget every lesson's progress
	IDProgressStatus = "progress-status" // a status line for the progress ("Progress reset")

	// A lesson page. Its player has the playground's ids (IDControls…).
	IDLesson         = "lesson"          // the <article>, with data-lesson-id and data-steps
	IDLessonSteps    = "lesson-steps"    // the <ol> of links to the steps (#step=N)
	IDLessonPrev     = "lesson-prev"     // button: the previous step
	IDLessonNext     = "lesson-next"     // button: the next step
	IDLessonPosition = "lesson-position" // "Step 1 of M"
)

// The ids of step n (from 1) of a lesson page and of its checkpoint.
func LessonStepID(n int) string            { return "lesson-step-" + strconv.Itoa(n) }
func LessonStepTitleID(n int) string       { return LessonStepID(n) + "-title" }
func CheckpointID(n int) string            { return "checkpoint-" + strconv.Itoa(n) }
func CheckButtonID(n int) string           { return "check-" + strconv.Itoa(n) }
func CheckpointResultID(n int) string      { return CheckpointID(n) + "-result" }
func CheckpointExplanationID(n int) string { return CheckpointID(n) + "-explanation" }

// AnswerID is the id of a numeric checkpoint's input; AnswerChoiceID that
// of choice i (from 0, the value the radio button carries).
func AnswerID(n int) string          { return "answer-" + strconv.Itoa(n) }
func AnswerChoiceID(n, i int) string { return AnswerID(n) + "-" + strconv.Itoa(i) }

// LessonsTitle is the document title of the lesson index.
const LessonsTitle = "Lessons · " + ProductName

const lessonsIntro = "Each lesson takes one section of the chapter on synchronous and " +
	"asynchronous communication and runs it: a few steps, each a scenario you step through " +
	"message by message, and questions that ask you to predict a number before the run reveals it. " +
	"Every figure is measured by the simulator. Your progress stays in this browser."

// LessonIndexPage lists the lessons in order, each with its summary, the
// section of the seed it covers and an empty progress slot
// (data-progress-for) that the WASM program fills from localStorage.
func LessonIndexPage(lessons []*core.Lesson) g.Node {
	return Page(LessonsTitle, lessonsIntro,
		h.H1(g.Text("Lessons")),
		h.P(h.Class("lead"), g.Text(lessonsIntro)),
		h.P(g.Text("Prefer to build your own? "), h.A(h.Href(SandboxPath), g.Text("Open the sandbox")), g.Text(".")),
		h.Ol(h.ID(IDLessonIndex), h.Class("lesson-index"),
			g.Map(lessons, func(l *core.Lesson) g.Node {
				return h.Li(h.Data("lesson-id", l.ID),
					h.H2(h.Class("lesson-title"), h.A(h.Href(LessonPath(l.ID)), g.Text(l.Title))),
					h.P(h.Class("lesson-summary"), g.Text(l.Summary)),
					h.P(h.Class("lesson-meta"),
						h.Span(h.Class("seed"), g.Text("From “"+l.Seed+"”")), g.Text(" · "), lessonDuration(l), g.Text(" "),
						h.Span(h.Class("progress"), h.Data("progress-for", l.ID)),
					),
				)
			}),
		),
		h.Div(h.Class("progress-tools"),
			h.Button(h.Type("button"), h.ID(IDResetProgress), needsWASM(false), g.Text("Reset progress")),
			h.P(h.ID(IDProgressStatus), h.Role("status")),
		),
	)
}

// LessonPath is the path of the page of the lesson id.
func LessonPath(id string) string { return "/lessons/" + id }

// LessonView is a lesson with everything its page shows computed from its
// runs, once: see [NewLessonView].
type LessonView struct {
	Lesson *core.Lesson
	Steps  []LessonStepView
	// Next is the lesson after this one, nil for the last.
	Next *core.Lesson
	// Timeline is step 1's run, which the player shows at Steps[0].Stop.
	Timeline *core.Timeline
}

// LessonStepView is one step of a [LessonView].
type LessonStepView struct {
	N        int // from 1
	Title    string
	Text     string // filled: no {{placeholders}} left
	StopNote string // filled: the note at Stop; "" for none
	// Notes are the stop's notes, each with the player steps it holds
	// for (see [core.LessonStep.Notes]).
	Notes []StepNoteView
	// Stop is the player step to stop at (see [core.LessonStep.StopStep]),
	// 0 for none.
	Stop int
	// Scenario is the step's scenario as a share link's s= value: the page
	// carries it in data-scenario and the try-it link.
	Scenario   string
	TryIt      bool
	Checkpoint *CheckpointView // nil for none
	Run        *core.LessonRun
	Code       *core.CodeView // nil for none
	// Knobs are the step's controls, Variants the step at each of their
	// positions (see knob.go).
	Knobs    []core.Knob
	Variants []KnobVariant
}

// CheckpointView is a step's checkpoint with its answer computed.
type CheckpointView struct {
	Question string // filled
	Unit     string // "" for a choice
	Choices  []string
	// Answer is the right answer: the number, or the index of the right
	// choice.
	Answer    float64
	Tolerance float64
	Explain   string // filled
	Hint      string // filled; shown after a first wrong answer
	// Min and Max are the answer's stated range (Max +Inf for none).
	Min, Max float64
	// Reveal is the player step at which the event asked about has just
	// happened (0 for none), RevealText its record's sentence, and
	// ShowFrom where "Show me" starts playing towards it.
	Reveal     int
	RevealText string
	ShowFrom   int
}

// Kind is "choice" for a multiple choice, "number" otherwise.
func (c *CheckpointView) Kind() string {
	if len(c.Choices) > 0 {
		return "choice"
	}
	return "number"
}

// NewLessonView runs the lesson and computes what its page shows. It
// fails if a step does not run, a text names a figure the run does not
// have, or a scenario cannot be encoded as a share link.
func NewLessonView(l *core.Lesson) (LessonView, error) {
	if l == nil {
		return LessonView{}, errors.New("no lesson")
	}
	if len(l.Steps) == 0 {
		return LessonView{}, fmtlite.Errorf("lesson %s has no steps", l.ID)
	}
	runs, err := l.Run()
	if err != nil {
		return LessonView{}, err
	}
	v := LessonView{Lesson: l, Steps: make([]LessonStepView, len(l.Steps))}
	all := core.Lessons()
	for i, other := range all {
		if other.ID == l.ID && i+1 < len(all) {
			v.Next = all[i+1]
		}
	}
	for i := range l.Steps {
		step, run := &l.Steps[i], runs[i]
		fill := func(what, text string) string {
			if err != nil {
				return ""
			}
			var out string
			out, err = core.FillFigures(text, run)
			if err != nil {
				err = fmtlite.Errorf("lesson %s, step %d (%s), %s: %w", l.ID, i+1, step.Title, what, err)
			}
			return out
		}
		sv := LessonStepView{
			N: i + 1, Title: step.Title, Text: fill("text", step.Text),
			Stop: step.StopStep(run), TryIt: step.TryIt, Run: run,
		}
		sv.Notes = stepNotes(step, run, fill)
		sv.StopNote = NoteTextAt(sv.Notes, sv.Stop)
		if pane := step.CodePane(run.Scenario); pane != nil && err == nil {
			sv.Code, err = pane.Resolve(run)
		}
		if c := step.Checkpoint; c != nil {
			cv := &CheckpointView{
				Question: fill("question", c.Question), Unit: c.Unit,
				Answer: c.Answer(run), Tolerance: c.Tolerance, Explain: fill("explanation", c.Explain),
			}
			for _, choice := range c.Choices {
				cv.Choices = append(cv.Choices, fill("choice", choice))
			}
			revealView(cv, step, run, fill)
			sv.Checkpoint = cv
		}
		if err != nil {
			return LessonView{}, err
		}
		if sv.Scenario, err = core.EncodeShareLink(run.Scenario); err != nil {
			return LessonView{}, fmtlite.Errorf("lesson %s, step %d: %w", l.ID, i+1, err)
		}
		v.Steps[i] = sv
	}
	if err := addKnobVariants(&v); err != nil {
		return LessonView{}, err
	}
	v.Timeline = core.NewTimeline(runs[0].Scenario, runs[0].Trace)
	return v, nil
}

// LessonTitle is the document title of a lesson's page.
func LessonTitle(l *core.Lesson) string { return l.Title + " · " + LessonsTitle }

// LessonPage is a lesson: its steps, all visible (the WASM program shows
// one at a time), each with its text, its stop note, its checkpoint and a
// link to try its scenario in the sandbox; the step buttons; and the
// player, with the ids of [PlaygroundPage], showing step 1 at its stop.
func LessonPage(v LessonView) g.Node {
	l := v.Lesson
	m := len(v.Steps)
	tl := v.Timeline
	if tl == nil {
		tl = core.NewTimeline(&core.Scenario{}, nil)
	}
	step := 0
	if m > 0 {
		step = min(max(v.Steps[0].Stop, 0), tl.Len())
	}
	return page(LessonTitle(l), l.Summary, "wide",
		h.Div(h.Class("lesson-layout"),
			h.Article(h.ID(IDLesson), h.Class("lesson"), h.Data("lesson-id", l.ID), h.Data("steps", strconv.Itoa(m)),
				h.P(h.Class("lesson-breadcrumb"), h.A(h.Href("/lessons"), g.Text("Lessons")), g.Text(" · "+l.Seed)),
				h.H1(g.Text(l.Title)),
				h.P(h.Class("lead"), g.Text(l.Summary)),
				h.Nav(h.Class("lesson-toc"), h.Aria("label", "Lesson steps"),
					h.Ol(h.ID(IDLessonSteps),
						g.Map(v.Steps, func(s LessonStepView) g.Node {
							n := strconv.Itoa(s.N)
							return h.Li(h.A(h.Href("#step="+n), h.Data("lesson-step", n), g.Text(n+". "+s.Title)))
						}),
					),
				),
				g.Map(v.Steps, lessonStep),
				h.Nav(h.Class("lesson-nav"), h.Aria("label", "Lesson navigation"),
					h.Div(h.Class("lesson-nav-buttons"),
						h.Button(h.Type("button"), h.ID(IDLessonPrev), needsWASM(false), g.Text("← Previous step")),
						h.P(h.ID(IDLessonPosition), g.Text(fmtlite.Sprintf("Step 1 of %d", m))),
						h.Button(h.Type("button"), h.ID(IDLessonNext), needsWASM(false), g.Text("Next step →")),
					),
					h.P(h.Class("lesson-links"), lessonLinks(v.Next)),
				),
			),
			lessonPlayer(tl, step),
		),
	)
}

// lessonLinks leads to the lesson index and to the next lesson, or after
// the last one to the playground.
func lessonLinks(next *core.Lesson) g.Node {
	then := h.A(h.Href("/"), g.Text("Open the playground"))
	if next != nil {
		then = h.A(h.Href(LessonPath(next.ID)), h.Class("next-lesson"), h.Rel("next"),
			g.Text("Next lesson: "+next.Title+" →"))
	}
	return g.Group{h.A(h.Href("/lessons"), g.Text("All lessons")), g.Text(" · "), then}
}

// lessonStep is one step's section.
func lessonStep(s LessonStepView) g.Node {
	n := strconv.Itoa(s.N)
	return h.Section(h.ID(LessonStepID(s.N)), h.Class("lesson-step"),
		h.Data("scenario", s.Scenario), h.Data("stop", strconv.Itoa(s.Stop)),
		h.Aria("labelledby", LessonStepTitleID(s.N)),
		h.H2(h.ID(LessonStepTitleID(s.N)), h.Span(h.Class("step-number"), g.Text(n+".")), g.Text(" "+s.Title)),
		h.P(h.Class("lesson-text"), g.Text(s.Text)),
		codePane(s.N, s.Code, s.Stop),
		knobPanel(s),
		stopNotes(s.Notes, s.Stop),
		g.If(s.Checkpoint != nil, checkpoint(s.N, s.Checkpoint)),
		g.If(s.TryIt, h.P(h.Class("try-it-line"),
			h.A(h.Class("try-it"), h.Href("/sandbox#s="+s.Scenario), g.Text("Try it yourself in the sandbox")))),
	)
}

// checkpoint is the predict-then-reveal form of step n. The right answer
// is in data-answer; the WASM program checks an answer against it, within
// data-tolerance, then shows the explanation.
func checkpoint(n int, c *CheckpointView) g.Node {
	if c == nil {
		return nil
	}
	var ask g.Node
	if c.Kind() == "choice" {
		ask = h.FieldSet(
			h.Legend(g.Text(c.Question)),
			g.Map(indexes(len(c.Choices)), func(i int) g.Node {
				id := AnswerChoiceID(n, i)
				return h.Div(h.Class("choice"),
					h.Input(h.Type("radio"), h.Name("answer"), h.ID(id), h.Value(strconv.Itoa(i)), h.Required()),
					h.Label(h.For(id), g.Text(c.Choices[i])),
				)
			}),
		)
	} else {
		ask = h.Div(h.Class("number-answer"),
			h.Label(h.For(AnswerID(n)), g.Text(withUnit(c.Question, c.Unit)),
				g.If(rangeText(c) != "", g.Text(" ("+rangeText(c)+")"))),
			h.Span(h.Class("answer-input"),
				h.Input(h.Type("number"), h.ID(AnswerID(n)), h.Name("answer"), h.Step("any"), g.Attr("inputmode", "decimal"), h.Required()),
				// The label names the unit already; this is for the eye.
				g.If(c.Unit != "", h.Span(h.Class("unit"), h.Aria("hidden", "true"), g.Text(c.Unit))),
			),
		)
	}
	return h.Form(h.Class("checkpoint"), h.ID(CheckpointID(n)),
		h.Data("kind", c.Kind()), h.Data("answer", formatNumber(c.Answer)),
		h.Data("tolerance", formatNumber(c.Tolerance)), h.Data("unit", c.Unit),
		h.Data("min", formatBound(c.Min)), h.Data("max", formatBound(c.Max)), h.Data("reveal", strconv.Itoa(c.Reveal)),
		h.P(h.Class("checkpoint-label"), g.Text("Predict")),
		ask,
		h.Button(h.Type("submit"), h.ID(CheckButtonID(n)), needsWASM(false), g.Text("Check")),
		h.P(h.Class("checkpoint-result"), h.ID(CheckpointResultID(n)), h.Role("status"), h.Aria("live", "polite")),
		checkpointHint(n, c),
		h.Div(h.Class("checkpoint-explanation"), h.ID(CheckpointExplanationID(n)), g.Attr("hidden"),
			h.P(g.Text(c.Explain)), revealPointer(n, c)),
	)
}

// withUnit is a question that names its unit: as it is if it does ("How
// long, in milliseconds?" for ms), else with the unit after it.
func withUnit(question, unit string) string {
	q := strings.ToLower(question)
	if unit == "" || strings.Contains(q, strings.ToLower(unit)) || (unit == "ms" && strings.Contains(q, "millisecond")) {
		return question
	}
	return question + " (" + unit + ")"
}

// lessonPlayer is the playground's player, with its ids, without the
// example menu and the share tools: the error banner, the playback bar
// (disabled until the WASM program runs) with the narration, the
// topology, the sequence diagram, the numbers and the event log.
func lessonPlayer(tl *core.Timeline, step int) g.Node {
	return h.Div(h.Class("lesson-player"),
		ErrorBanner(""),
		h.Section(h.Class("panel panel-controls"), h.Aria("label", "Player"),
			controls(tl, step, false),
			Narration(tl, step),
		),
		panel("panel-topology", "heading-topology", "Topology", g.Group{TopologyZoom(false), scrollArea("scroll topology-scroll", "Topology diagram", Topology(tl.Scenario(), tl.At(step)))}),
		panel("panel-sequence", "heading-sequence", "Sequence", scrollArea("scroll", "Sequence diagram", Sequence(tl, step, false))),
		panel("panel-stats", "heading-stats", "Numbers so far", Stats(tl, step)),
		panel("panel-log", "heading-log", "Event log", EventLog(tl, step)),
	)
}

// formatNumber writes v as short as it reads back exactly.
func formatNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// indexes returns 0, 1, …, n-1.
func indexes(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
