package web

import (
	"math"
	"strconv"

	"github.com/sync-vs-async/playground/core"
	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"
)

// Predict, then reveal (see core/reveal.go): a step's stop notes follow
// the player's step, a checkpoint states its range, offers a hint after a
// first miss, and once answered points at the event it asked about, in
// the event log, with a "Show me" button that replays the stretch before
// it.

// The ids of step n's hint, its "Show me" button, and the range of its
// answer.
func CheckpointHintID(n int) string { return CheckpointID(n) + "-hint" }
func ShowMeID(n int) string         { return "show-me-" + strconv.Itoa(n) }

// showMeBefore is how many steps before its event "Show me" starts.
const showMeBefore = 6

// StepNoteView is a stop note, filled, and the player steps it holds for:
// From up to, not including, To.
type StepNoteView struct {
	From, To int
	Text     string
}

// stepNotes fills the notes of step, with fill.
func stepNotes(step *core.LessonStep, run *core.LessonRun, fill func(what, text string) string) []StepNoteView {
	var out []StepNoteView
	for _, n := range step.Notes(run) {
		out = append(out, StepNoteView{From: n.From, To: n.To, Text: fill("stop note", n.Text)})
	}
	return out
}

// NoteTextAt is the note of notes that holds at player step, "" for none.
func NoteTextAt(notes []StepNoteView, step int) string {
	for _, n := range notes {
		if step >= n.From && step < n.To {
			return n.Text
		}
	}
	return ""
}

// stopNotes is a step's notes, each a paragraph with its steps in
// data-from and data-to; all but the one that holds at stop are hidden,
// and the WASM program shows the one for each step the player shows.
func stopNotes(notes []StepNoteView, stop int) g.Node {
	return g.Map(notes, func(n StepNoteView) g.Node {
		return h.P(h.Class("stop-note"), h.Data("from", strconv.Itoa(n.From)), h.Data("to", strconv.Itoa(n.To)),
			g.If(stop < n.From || stop >= n.To, g.Attr("hidden")), g.Text(n.Text))
	})
}

// revealView fills in what a checkpoint reveals: its event, the hint and
// the range.
func revealView(cv *CheckpointView, step *core.LessonStep, run *core.LessonRun, fill func(what, text string) string) {
	c := step.Checkpoint
	cv.Hint = fill("hint", c.Hint)
	cv.Min, cv.Max = c.Bounds(run)
	cv.Reveal = step.RevealStep(run)
	if cv.Reveal > 0 {
		cv.RevealText = run.Trace[cv.Reveal-1].Describe(run.Scenario)
		cv.ShowFrom = max(cv.Reveal-showMeBefore, 0)
	}
}

// FormatAnswer writes an answer as the page writes it: a duration for ms
// ("47ms", "2.007s"), an identifier before its number ("partition 4",
// "request 5"), a count before its unit ("3124 messages").
func FormatAnswer(v float64, unit string) string {
	num := formatNumber(v)
	switch unit {
	case "":
		return num
	case "ms":
		return formatTime(core.Duration(math.Round(v * float64(core.Millisecond))))
	case "partition", "request":
		return unit + " " + num
	}
	return num + " " + unit
}

// rangeText says a numeric checkpoint's range, "" when it only asks for a
// number of at least 0.
func rangeText(c *CheckpointView) string {
	if math.IsInf(c.Max, 1) && c.Min == 0 {
		return ""
	}
	if math.IsInf(c.Max, 1) {
		return "at least " + formatNumber(c.Min)
	}
	return formatNumber(c.Min) + "–" + formatNumber(c.Max)
}

// formatBound writes a range's end for data-min and data-max, "" for none.
func formatBound(v float64) string {
	if math.IsInf(v, 0) {
		return ""
	}
	return formatNumber(v)
}

// revealPointer is what follows a checkpoint's explanation: the event it
// asked about, named by its step in the event log (where the player
// highlights it once there), and "Show me", which plays the steps before
// it again.
func revealPointer(n int, c *CheckpointView) g.Node {
	if c.Reveal <= 0 {
		return nil
	}
	return h.P(h.Class("reveal-pointer"),
		g.Text("See step "+strconv.Itoa(c.Reveal)+" in the event log: “"+c.RevealText+"” "),
		h.Button(h.Type("button"), h.ID(ShowMeID(n)), h.Class("show-me"), needsWASM(false),
			h.Data("from", strconv.Itoa(c.ShowFrom)), h.Data("to", strconv.Itoa(c.Reveal)),
			g.Text("Show me")),
	)
}

// checkpointHint is the hint shown after a first wrong answer.
func checkpointHint(n int, c *CheckpointView) g.Node {
	if c.Hint == "" {
		return nil
	}
	return h.P(h.Class("checkpoint-hint"), h.ID(CheckpointHintID(n)), g.Attr("hidden"), g.Text("Hint: "+c.Hint))
}
