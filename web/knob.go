package web

import (
	"strconv"

	"github.com/sync-vs-async/playground/core"
	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"
)

// Knobs in a lesson step (see [core.Knob]): the server runs the step at
// every position of its knobs and writes each position's scenario, stop,
// filled text, stop note and checkpoint answer into a <template> of the
// step. When the learner moves a knob, the WASM program picks the template
// of the new position, swaps those into the step and runs its scenario in
// the player. The browser needs no lesson code, and every figure the step
// quotes still comes from a run of the very scenario the player shows.

// KnobVariant is a step at one position of its knobs.
type KnobVariant struct {
	// Key names the position as [core.KnobKey] does: "workers=20".
	Key  string
	Step LessonStepView
}

// The ids of the knobs of step n: the control of the knob called id, its
// help sentence, the readout of a slider's value, and the step's status
// line that says what was rerun.
func KnobID(n int, id string) string      { return "knob-" + strconv.Itoa(n) + "-" + id }
func KnobHelpID(n int, id string) string  { return KnobID(n, id) + "-help" }
func KnobValueID(n int, id string) string { return KnobID(n, id) + "-value" }
func KnobStatusID(n int) string           { return "knobs-" + strconv.Itoa(n) + "-status" }

// addKnobVariants fills in the knobs and the variants of every step of v
// that has knobs: one whole [NewLessonView] of the lesson per position, so
// that a variant is computed exactly as the step itself is. A lesson with
// a step already moved is a variant being computed and gets none.
func addKnobVariants(v *LessonView) error {
	l := v.Lesson
	for i := range l.Steps {
		if l.Steps[i].KnobsMoved() {
			return nil
		}
	}
	for i := range l.Steps {
		step := &l.Steps[i]
		if len(step.Knobs) == 0 {
			continue
		}
		if err := step.ValidateKnobs(); err != nil {
			return err
		}
		sv := &v.Steps[i]
		sv.Knobs = step.Knobs
		for _, st := range step.KnobStates() {
			moved, err := l.WithKnobs(i, st)
			if err != nil {
				return err
			}
			mv, err := NewLessonView(moved)
			if err != nil {
				return err
			}
			sv.Variants = append(sv.Variants, KnobVariant{Key: core.KnobKey(step.Knobs, st), Step: mv.Steps[i]})
		}
	}
	return nil
}

// knobPanel is the group of a step's knobs, their status line and the
// templates of their positions; nil for a step without knobs.
func knobPanel(s LessonStepView) g.Node {
	if len(s.Knobs) == 0 {
		return nil
	}
	return h.Div(h.Class("knobs"), h.Role("group"), h.Aria("label", "Change the scenario"),
		h.P(h.Class("knobs-label"), g.Text("Change it")),
		g.Map(s.Knobs, func(k core.Knob) g.Node { return knobControl(s.N, k) }),
		h.P(h.Class("knob-status"), h.ID(KnobStatusID(s.N)), h.Role("status"), h.Aria("live", "polite")),
		g.Map(s.Variants, knobTemplate),
	)
}

// knobControl is one knob at its default: a switch, a slider with its
// readout, or a toggle button, labelled, described by its help sentence,
// and disabled until the WASM program runs.
func knobControl(n int, k core.Knob) g.Node {
	id, help := KnobID(n, k.ID), KnobHelpID(n, k.ID)
	helpLine := h.P(h.Class("knob-help"), h.ID(help), g.Text(k.Help))
	common := g.Group{h.ID(id), h.Data("knob", k.ID), h.Aria("describedby", help), needsWASM(false)}
	switch k.Kind {
	case core.KnobSlider:
		value := formatNumber(k.Default)
		return h.Div(h.Class("knob knob-slider"),
			h.Label(h.For(id), g.Text(k.Label)),
			h.Div(h.Class("knob-range"),
				h.Input(h.Type("range"), common, h.Min(formatNumber(k.Min)), h.Max(formatNumber(k.Max)),
					h.Step(formatNumber(k.Step)), h.Value(value), h.Data("unit", k.Unit), g.Attr("aria-valuetext", KnobValueText(value, k.Unit))),
				g.El("output", h.For(id), h.ID(KnobValueID(n, k.ID)), g.Text(KnobValueText(value, k.Unit))),
			),
			helpLine,
		)
	case core.KnobButton:
		return h.Div(h.Class("knob knob-button"),
			h.Button(h.Type("button"), common, h.Aria("pressed", strconv.FormatBool(k.Default == 1)), g.Text(k.Label)),
			helpLine,
		)
	}
	return h.Div(h.Class("knob knob-switch"),
		h.Input(h.Type("checkbox"), h.Role("switch"), common, g.If(k.Default == 1, h.Checked())),
		h.Label(h.For(id), g.Text(k.Label)),
		helpLine,
	)
}

// KnobStatus is the status line of a step's knobs after a rerun: what was
// rerun ("SMS rate limit at 2 per second"), and, for screen readers only,
// the step's new text.
func KnobStatus(rerun, text string) g.Node {
	return g.Group{g.Text("Run again with " + rerun + "."), h.Span(h.Class("visually-hidden"), g.Text(" "+text))}
}

// KnobValueText is a slider's value as its readout says it: "20 workers".
func KnobValueText(value, unit string) string {
	if unit == "" {
		return value
	}
	return value + " " + unit
}

// knobTemplate is one position of a step's knobs: what the step shows
// there, inert until the WASM program copies it into the step.
func knobTemplate(v KnobVariant) g.Node {
	s := v.Step
	var answer, explain g.Node
	if c := s.Checkpoint; c != nil {
		answer = g.Group{h.Data("answer", formatNumber(c.Answer)), h.Data("reveal", strconv.Itoa(c.Reveal)),
			h.Data("min", formatBound(c.Min)), h.Data("max", formatBound(c.Max))}
		explain = g.Group{
			h.Div(h.Class("checkpoint-explanation"), h.P(g.Text(c.Explain)), revealPointer(s.N, c)),
			checkpointHint(s.N, c),
		}
	}
	return g.El("template", h.Class("knob-variant"), h.Data("knobs", v.Key),
		h.Data("scenario", s.Scenario), h.Data("stop", strconv.Itoa(s.Stop)), answer,
		h.P(h.Class("lesson-text"), g.Text(s.Text)),
		stopNotes(s.Notes, s.Stop),
		explain,
		// The code beside the run, marked from this position's run (the
		// code itself may differ: the outbox's dedupe check goes with its
		// store).
		codePane(s.N, s.Code, s.Stop),
	)
}
