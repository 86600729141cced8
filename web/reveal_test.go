package web

import (
	"html"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/sync-vs-async/playground/core"
)

// Predict, then reveal: for every checkpoint of every lesson, the screen
// at its stop — the step's text and note, the narration, the sequence
// diagram, every log row so far, the numbers and the topology — does not
// give its answer away; and at the event it asks about, the explanation
// names a row of the event log that the player highlights there.

var screenTagRE = regexp.MustCompile(`<[^>]*>`)

// screenText is the text a learner can read of html.
func screenText(t *testing.T, node interface{ Render(w io.Writer) error }) string {
	t.Helper()
	return html.UnescapeString(screenTagRE.ReplaceAllString(render(t, node), " "))
}

// playerScreen is what the lesson's player shows at step: the narration,
// the sequence diagram, the event log's rows up to step (all of them, as
// a learner may scroll), the numbers and the topology.
func playerScreen(t *testing.T, tl *core.Timeline, step int) string {
	t.Helper()
	rows := LogRows(tl, LogView{Step: step, Active: step, Height: (step + 1) * LogRowHeight})
	return strings.Join([]string{
		NarrationText(tl, step),
		screenText(t, Sequence(tl, step, false)),
		screenText(t, rows),
		screenText(t, Stats(tl, step)),
		screenText(t, Topology(tl.Scenario(), tl.At(step))),
	}, "\n")
}

// stepScreen is what the page shows of step s at player step: its text,
// its note there, and the player.
func stepScreen(t *testing.T, s *LessonStepView, tl *core.Timeline, step int) string {
	return s.Text + "\n" + NoteTextAt(s.Notes, step) + "\n" + playerScreen(t, tl, step)
}

var numberWords = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"}

// answerFigures are the ways the page would write a checkpoint's answer:
// as FormatAnswer writes it, the number beside its unit in either order
// (singular or plural, in digits or for small numbers in words), and for
// an answer that names something the run shows before (Names), the
// sentence of the event asked about. Each is a regexp matched on whole
// words, case-insensitively.
func answerFigures(c *CheckpointView, names bool, baseline string, statFigures ...string) []*regexp.Regexp {
	var pats []string
	word := func(s string) string { return `(?i)(^|[^\w.])` + s + `($|[^\w])` }
	switch {
	case names:
		pats = append(pats, `(?i)`+regexp.QuoteMeta(c.RevealText))
	case c.Kind() == "choice":
		for _, tok := range distinctive(c) {
			if !regexp.MustCompile(word(tok)).MatchString(strings.ReplaceAll(baseline, "_", " ")) {
				pats = append(pats, word(strings.ReplaceAll(regexp.QuoteMeta(tok), "_", "[_ ]")))
			}
		}
	default:
		pats = append(pats, word(regexp.QuoteMeta(FormatAnswer(c.Answer, c.Unit))))
		if c.Unit != "ms" && c.Unit != "" {
			n := regexp.QuoteMeta(formatNumber(c.Answer))
			if i := int(c.Answer); float64(i) == c.Answer && i >= 0 && i < len(numberWords) {
				n = "(" + n + "|" + numberWords[i] + ")"
			}
			unit := regexp.QuoteMeta(strings.TrimSuffix(c.Unit, "s")) + "s?"
			pats = append(pats, word(n+` `+unit), word(unit+` `+n))
		}
	}
	pats = append(pats, statFigures...)
	var out []*regexp.Regexp
	for _, p := range pats {
		out = append(out, regexp.MustCompile(p))
	}
	return out
}

// statFigures are the numbers panel's figures that show a numeric
// answer at its event (for "Out of order 8": `Out of order\s+8`), leaving
// out those that show it from the start (Lost 0 for an answer of 0).
func statFigures(t *testing.T, c *CheckpointView, tl *core.Timeline) []string {
	if c.Kind() != "number" {
		return nil
	}
	want := map[string]bool{formatNumber(c.Answer): true, FormatAnswer(c.Answer, c.Unit): true}
	stat := regexp.MustCompile(`<dt>([^<]*)</dt><dd>([^<]*)</dd>`)
	start := map[string]string{}
	for _, m := range stat.FindAllStringSubmatch(render(t, Stats(tl, 0)), -1) {
		start[m[1]] = m[2]
	}
	var out []string
	for _, m := range stat.FindAllStringSubmatch(render(t, Stats(tl, c.Reveal)), -1) {
		label, value := html.UnescapeString(m[1]), html.UnescapeString(m[2])
		if want[value] && start[m[1]] != m[2] {
			out = append(out, `(?i)`+regexp.QuoteMeta(label)+`\s+`+regexp.QuoteMeta(value)+`($|[^\w.])`)
		}
	}
	return out
}

// distinctive returns the words of a choice checkpoint's right choice
// that none of the wrong ones has, leaving out figures and small words.
func distinctive(c *CheckpointView) []string {
	words := func(s string) []string {
		return regexp.MustCompile(`[\pL\pN_]+`).FindAllString(strings.ToLower(s), -1)
	}
	other := map[string]bool{"the": true, "a": true, "an": true, "after": true, "about": true, "it": true, "of": true}
	for i, ch := range c.Choices {
		if i != int(c.Answer) {
			for _, w := range words(ch) {
				other[w] = true
			}
		}
	}
	var out []string
	for _, w := range words(c.Choices[int(c.Answer)]) {
		if !other[w] && !regexp.MustCompile(`\d`).MatchString(w) {
			out = append(out, w)
		}
	}
	return out
}

// leaks returns the figures of c found in screen.
func leaks(screen string, figures []*regexp.Regexp) []string {
	var out []string
	for _, f := range figures {
		if m := f.FindString(screen); m != "" {
			out = append(out, strconv.Quote(strings.TrimSpace(m))+" (by "+f.String()+")")
		}
	}
	return out
}

// lessonCheckpoints calls f for every checkpoint of every lesson.
func lessonCheckpoints(t *testing.T, f func(t *testing.T, l *core.Lesson, s *LessonStepView, tl *core.Timeline)) {
	for _, l := range core.Lessons() {
		v, err := NewLessonView(l)
		require.NoError(t, err, l.ID)
		for i := range v.Steps {
			s := &v.Steps[i]
			if s.Checkpoint == nil {
				continue
			}
			t.Run(l.ID+"/"+strconv.Itoa(s.N), func(t *testing.T) {
				f(t, l, s, core.NewTimeline(s.Run.Scenario, s.Run.Trace))
			})
		}
	}
}

func TestNoCheckpointShowsItsAnswerAtItsStop(t *testing.T) {
	lessonCheckpoints(t, func(t *testing.T, l *core.Lesson, s *LessonStepView, tl *core.Timeline) {
		c := s.Checkpoint
		require.Positive(t, c.Reveal, "the checkpoint names its event")
		require.Less(t, s.Stop, c.Reveal, "the stop lands before the event")
		baseline := playerScreen(t, tl, 0)
		figures := answerFigures(c, l.Steps[s.N-1].Checkpoint.Names, baseline, statFigures(t, c, tl)...)
		if c.Kind() == "number" || len(figures) > 0 {
			require.NotEmpty(t, figures)
		}
		screen := stepScreen(t, s, tl, s.Stop)
		assert.Empty(t, leaks(screen, figures), "the screen at step %d gives the answer (%s) away", s.Stop, FormatAnswer(c.Answer, c.Unit))
		assert.Empty(t, leaks(c.Hint, figures), "the hint gives the answer away")
		if c.Kind() == "number" { // a choice's question may name its choices
			assert.Empty(t, leaks(c.Question, figures), "the question gives the answer away")
		}
		// Nothing at or after the event is drawn: the sequence diagram and
		// the log end at the stop.
		for _, m := range regexp.MustCompile(`data-step="(\d+)"`).FindAllStringSubmatch(render(t, Sequence(tl, s.Stop, false))+render(t, EventLog(tl, s.Stop)), -1) {
			n, _ := strconv.Atoi(m[1])
			require.LessOrEqual(t, n, s.Stop, "a row after the stop is drawn")
		}
		t.Logf("stop %d, event %d, answer %s, figures searched: %d", s.Stop, c.Reveal, FormatAnswer(c.Answer, c.Unit), len(figures))
	})
}

// The check can fail: at the event itself each of these answers is on
// screen, and the test above would say so.
func TestTheLeakCheckFindsAnAnswerAtItsEvent(t *testing.T) {
	for _, tt := range []struct{ lesson, step string }{
		{"blocked", "1"}, {"blocked", "2"}, {"rest-and-grpc", "2"}, {"dead-letters", "1"}, {"ordering", "1"}, {"ordering", "2"},
	} {
		l := core.LessonByID(tt.lesson)
		v, err := NewLessonView(l)
		require.NoError(t, err)
		n, _ := strconv.Atoi(tt.step)
		s := &v.Steps[n-1]
		tl := core.NewTimeline(s.Run.Scenario, s.Run.Trace)
		figures := answerFigures(s.Checkpoint, l.Steps[n-1].Checkpoint.Names, playerScreen(t, tl, 0), statFigures(t, s.Checkpoint, tl)...)
		found := leaks(stepScreen(t, s, tl, s.Checkpoint.Reveal), figures)
		assert.NotEmpty(t, found, "%s/%s: at its event (step %d) the answer %s is on screen", tt.lesson, tt.step, s.Checkpoint.Reveal, FormatAnswer(s.Checkpoint.Answer, s.Checkpoint.Unit))
		t.Logf("%s/%s at its event: %v", tt.lesson, tt.step, found)
	}
}

func TestTheExplanationPointsAtTheEvent(t *testing.T) {
	lessonCheckpoints(t, func(t *testing.T, l *core.Lesson, s *LessonStepView, tl *core.Timeline) {
		c := s.Checkpoint
		r := strconv.Itoa(c.Reveal)
		explanation := render(t, checkpoint(s.N, c))
		explanation = explanation[strings.Index(explanation, `class="checkpoint-explanation"`):]
		assert.Contains(t, explanation, "See step "+r+" in the event log: “"+html.EscapeString(c.RevealText)+"”", "the explanation names the event's row")
		assert.Contains(t, explanation, `data-to="`+r+`"`, "Show me plays to the event")
		assert.Contains(t, explanation, `data-from="`+strconv.Itoa(c.ShowFrom)+`"`)
		assert.Less(t, c.ShowFrom, c.Reveal)
		// At the event, the player highlights that row, and narrates it.
		// The player scrolls the log to keep the current row in view.
		view := LogView{Step: c.Reveal, Active: c.Reveal, Height: logDefaultHeight}
		view.Top = LogScrollTop(view, c.Reveal-1)
		row := regexp.MustCompile(`<div role="option" id="` + LogRowID(c.Reveal) + `" class="([^"]*)"[^>]*>(.*?)</div>`).
			FindStringSubmatch(render(t, LogRows(tl, view)))
		require.NotNil(t, row, "the log has the event's row at step %s", r)
		assert.Contains(t, strings.Fields(row[1]), "current", "the row is highlighted")
		assert.Contains(t, html.UnescapeString(row[2]), c.RevealText)
		assert.Contains(t, NarrationText(tl, c.Reveal), c.RevealText)
		assert.Contains(t, render(t, Sequence(tl, c.Reveal, false)), `current`, "the sequence diagram highlights its row")
	})
}

// The numbers the ordering and outbox lessons ask about are in the numbers
// panel, counted as the run goes.
func TestTheNumbersPanelCountsWhatLessonsAsk(t *testing.T) {
	for _, tt := range []struct {
		lesson string
		step   int
		stat   string
		want   func(*core.Report) int64
	}{
		{"ordering", 2, "out-of-order", func(r *core.Report) int64 { return r.Counts.OutOfOrder }},
		{"outbox", 2, "duplicates-skipped", func(r *core.Report) int64 { return r.Counts.DuplicatesSkipped }},
		{"outbox", 3, "duplicates", func(r *core.Report) int64 { return r.Counts.DuplicatesProcessed }},
	} {
		l := core.LessonByID(tt.lesson)
		if knobs := l.Steps[tt.step-1].TargetKnobs(); knobs != nil {
			// The step asks the learner to turn a knob (the outbox's
			// dedupe store off): count in the run it leads to.
			var err error
			l, err = l.WithKnobs(tt.step-1, knobs)
			require.NoError(t, err)
		}
		step := &l.Steps[tt.step-1]
		run, err := step.Run()
		require.NoError(t, err)
		tl := core.NewTimeline(run.Scenario, run.Trace)
		stat := regexp.MustCompile(`data-stat="` + tt.stat + `"><dt>[^<]*</dt><dd>(\d+)</dd>`)
		end := stat.FindStringSubmatch(render(t, Stats(tl, tl.Len())))
		require.NotNil(t, end, "%s %d: the numbers panel has %s", tt.lesson, tt.step, tt.stat)
		assert.Equal(t, strconv.FormatInt(tt.want(run.Report), 10), end[1], "%s %d: %s at the end is the run's", tt.lesson, tt.step, tt.stat)
		assert.Positive(t, tt.want(run.Report))
		start := stat.FindStringSubmatch(render(t, Stats(tl, 0)))
		require.NotNil(t, start)
		assert.Equal(t, "0", start[1], "counted as the run goes")
	}
}

func TestFormatAnswer(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		unit string
		want string
	}{
		{47, "ms", "47ms"}, {2007, "ms", "2.007s"}, {4, "partition", "partition 4"}, {5, "request", "request 5"},
		{3124, "messages", "3124 messages"}, {1, "", "1"},
	} {
		assert.Equal(t, tt.want, FormatAnswer(tt.v, tt.unit))
	}
}

func TestOutOfRange(t *testing.T) {
	for _, tt := range []struct {
		g            float64
		kind, lo, hi string
		unit, want   string
	}{
		{9, "number", "0", "5", "partition", "Out of range: the answer is a partition number from 0 to 5; 9 is not."},
		{-1, "number", "0", "", "ms", "Out of range: the answer is a number of ms of at least 0; -1 is not."},
		{5, "number", "0", "5", "partition", ""},
		{0, "number", "0", "", "events", ""},
		{7, "number", "", "5", "", "Out of range: the answer is a number of at most 5; 7 is not."},
		{3, "choice", "0", "1", "", ""},
	} {
		assert.Equal(t, tt.want, OutOfRange(tt.g, tt.kind, tt.lo, tt.hi, tt.unit), "%v in [%s, %s]", tt.g, tt.lo, tt.hi)
	}
}
