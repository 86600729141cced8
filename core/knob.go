package core

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// A Knob is a control a lesson step offers the learner: a switch, a slider
// or a button that changes the step's scenario, so that "make email ten
// times slower" comes with the means to do it. The step's scenario starts
// with every knob at its Default, the state before the action its text
// asks for; the learner moves the knob to Target (or anywhere else) and
// the step is run again.
//
// A knob takes a few values only (a switch 0 and 1, a slider Min to Max by
// Step), so that every position of every knob of a step can be run
// beforehand: the lesson page carries each position's scenario and the
// figures of its run, and the browser runs the scenario it picks. Apply
// is Go code that never reaches the WebAssembly player, which stays free
// of lessons.
type Knob struct {
	// ID names the knob within its step ("email-slower"); it is part of
	// the page's markup.
	ID string
	// Label is what the control says it does ("Email ten times slower");
	// Help, one sentence, says what it changes in the scenario.
	Label, Help string
	Kind        KnobKind
	// Min, Max and Step are a slider's range; Unit names its value
	// ("workers", "ms") in the readout. A switch or a button takes 0 (off)
	// and 1 (on).
	Min, Max, Step float64
	Unit           string
	// Default is where the knob starts: the scenario before the action.
	// Target is where the step's text asks the learner to take it.
	Default, Target float64
	// Apply sets the knob's value v in sc (a copy of the step's example
	// after its Tweak). It is called at every value, the Default too.
	Apply func(sc *Scenario, v float64)
	// Shows checks that moving the knob from Default to Target changes the
	// run as the label says: before is the run at Default, after at
	// Target. The tests also check that it fails when nothing changed.
	Shows func(before, after *LessonRun) error
}

// KnobKind says how a knob is drawn and which values it takes.
type KnobKind string

// The kinds of knob.
const (
	KnobSwitch KnobKind = "switch" // on or off: a checkbox with the switch role
	KnobSlider KnobKind = "slider" // Min to Max by Step: a range input
	KnobButton KnobKind = "button" // an action, pressed or not: a toggle button
)

// maxKnobStates is the most positions a step's knobs may have together:
// each is run, and carried by the lesson page, beforehand.
const maxKnobStates = 12

// Values lists the values the knob takes, in order.
func (k *Knob) Values() []float64 {
	if k.Kind != KnobSlider {
		return []float64{0, 1}
	}
	if !(k.Step > 0) || k.Max < k.Min || (k.Max-k.Min)/k.Step > maxKnobStates {
		return []float64{k.Default}
	}
	var vs []float64
	for i := 0; ; i++ {
		// Multiplied, not summed, so that 0.1-sized steps do not drift.
		v := k.Min + float64(i)*k.Step
		if v > k.Max+k.Step/1e6 {
			return vs
		}
		vs = append(vs, v)
	}
}

// Validate reports what is wrong with the knob, naming the field.
func (k *Knob) Validate() error {
	var errs Errors
	bad := func(field, format string, args ...any) {
		errs = append(errs, FieldError{Field: "knobs." + k.ID + "." + field, Message: fmtlite.Sprintf(format, args...)})
	}
	if k.ID == "" || strings.ContainsAny(k.ID, " =&\"'<>") {
		bad("id", "want a name without spaces or =&\"'<>, got %q", k.ID)
	}
	if k.Label == "" || k.Help == "" {
		bad("label", "a knob says what it changes: it needs a label and a help sentence")
	}
	switch k.Kind {
	case KnobSwitch, KnobButton:
	case KnobSlider:
		if !(k.Step > 0) || k.Max <= k.Min {
			bad("step", "a slider needs min < max and a step above 0")
		} else if (k.Max-k.Min)/k.Step > maxKnobStates-1 {
			bad("step", "a slider may take at most %d values", maxKnobStates)
		}
	default:
		bad("kind", "want switch, slider or button, got %q", k.Kind)
	}
	values := k.Values()
	if !slices.Contains(values, k.Default) {
		bad("default", "%s is not one of the knob's values", formatKnobValue(k.Default))
	}
	if !slices.Contains(values, k.Target) || k.Target == k.Default {
		bad("target", "%s must be one of the knob's values other than the default", formatKnobValue(k.Target))
	}
	if k.Apply == nil || k.Shows == nil {
		bad("apply", "a knob needs Apply and Shows")
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// KnobState is a value for each knob of a step, in order.
type KnobState []float64

// DefaultKnobs is the state the step starts in: every knob at its Default.
func (s *LessonStep) DefaultKnobs() KnobState {
	st := make(KnobState, len(s.Knobs))
	for i := range s.Knobs {
		st[i] = s.Knobs[i].Default
	}
	return st
}

// TargetKnobs is the state the step's text asks for: every knob at its
// Target.
func (s *LessonStep) TargetKnobs() KnobState {
	st := make(KnobState, len(s.Knobs))
	for i := range s.Knobs {
		st[i] = s.Knobs[i].Target
	}
	return st
}

// KnobStates lists every state the step's knobs can be in together, the
// default first; none for a step without knobs. It lists none either when
// there would be more than the page can carry (a step fails its tests
// then; see ValidateKnobs).
func (s *LessonStep) KnobStates() []KnobState {
	if len(s.Knobs) == 0 {
		return nil
	}
	states := []KnobState{{}}
	for _, k := range s.Knobs {
		var next []KnobState
		for _, st := range states {
			for _, v := range k.Values() {
				next = append(next, append(slices.Clone(st), v))
			}
		}
		if len(next) > maxKnobStates {
			return nil
		}
		states = next
	}
	def := s.DefaultKnobs()
	slices.SortStableFunc(states, func(a, b KnobState) int {
		switch {
		case slices.Equal(a, def):
			return -1
		case slices.Equal(b, def):
			return 1
		}
		return 0
	})
	return states
}

// ValidateKnobs reports what is wrong with the step's knobs.
func (s *LessonStep) ValidateKnobs() error {
	seen := map[string]bool{}
	for i := range s.Knobs {
		k := &s.Knobs[i]
		if err := k.Validate(); err != nil {
			return fmtlite.Errorf("step %q: %w", s.Title, err)
		}
		if seen[k.ID] {
			return fmtlite.Errorf("step %q: two knobs are called %q", s.Title, k.ID)
		}
		seen[k.ID] = true
	}
	if len(s.Knobs) > 0 && len(s.KnobStates()) == 0 {
		return fmtlite.Errorf("step %q: its knobs have more than %d positions together", s.Title, maxKnobStates)
	}
	return nil
}

// KnobsAt returns the state the step's knobs are in: the defaults unless
// the step came from [Lesson.WithKnobs].
func (s *LessonStep) KnobsAt() KnobState {
	if s.knobs != nil {
		return s.knobs
	}
	return s.DefaultKnobs()
}

// KnobsMoved reports whether the step came from [Lesson.WithKnobs].
func (s *LessonStep) KnobsMoved() bool { return s.knobs != nil }

// WithKnobs returns a copy of the lesson whose step i (from 0) has its
// knobs in state st. The lesson itself is not changed: lessons are shared.
func (l *Lesson) WithKnobs(i int, st KnobState) (*Lesson, error) {
	if i < 0 || i >= len(l.Steps) {
		return nil, fmtlite.Errorf("lesson %s has no step %d", l.ID, i+1)
	}
	step := &l.Steps[i]
	if len(st) != len(step.Knobs) {
		return nil, fmtlite.Errorf("lesson %s, step %d: want %d knob values, got %d", l.ID, i+1, len(step.Knobs), len(st))
	}
	for j := range step.Knobs {
		if !slices.Contains(step.Knobs[j].Values(), st[j]) {
			return nil, fmtlite.Errorf("lesson %s, step %d: knob %s cannot be %s", l.ID, i+1, step.Knobs[j].ID, formatKnobValue(st[j]))
		}
	}
	out := *l
	out.Steps = slices.Clone(l.Steps)
	out.Steps[i].knobs = slices.Clone(st)
	return &out, nil
}

// applyKnobs sets every knob of the step in sc to its current value.
func (s *LessonStep) applyKnobs(sc *Scenario) {
	st := s.KnobsAt()
	for i := range s.Knobs {
		if s.Knobs[i].Apply != nil {
			s.Knobs[i].Apply(sc, st[i])
		}
	}
}

// KnobKey writes a state as the page's markup names it: "workers=20",
// "a=1&b=0", in the knobs' order; "" for no knobs.
func KnobKey(knobs []Knob, st KnobState) string {
	parts := make([]string, 0, len(knobs))
	for i := range knobs {
		if i < len(st) {
			parts = append(parts, knobs[i].ID+"="+formatKnobValue(st[i]))
		}
	}
	return strings.Join(parts, "&")
}

// formatKnobValue writes a knob's value as short as it reads back.
func formatKnobValue(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// errUnchanged is what a Shows check says when the knob made no difference.
var errUnchanged = errors.New("moving the knob did not change what its label says")
