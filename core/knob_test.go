package core

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// knobSteps calls f for every step of every lesson that has knobs.
func knobSteps(t *testing.T, f func(t *testing.T, l *Lesson, i int)) {
	n := 0
	for _, l := range Lessons() {
		for i := range l.Steps {
			if len(l.Steps[i].Knobs) > 0 {
				n++
				t.Run(l.ID+"/"+l.Steps[i].Title, func(t *testing.T) { f(t, l, i) })
			}
		}
	}
	require.NotZero(t, n, "no step has a knob")
}

// runAt runs lesson l with step i's knobs in state st.
func runAt(t *testing.T, l *Lesson, i int, st KnobState) []*LessonRun {
	t.Helper()
	moved, err := l.WithKnobs(i, st)
	require.NoError(t, err)
	runs, err := moved.Run()
	require.NoError(t, err)
	return runs
}

func TestEveryKnobIsWellFormed(t *testing.T) {
	knobSteps(t, func(t *testing.T, l *Lesson, i int) {
		require.NoError(t, l.Steps[i].ValidateKnobs())
	})
}

func TestEveryKnobChangesTheRunAsItsLabelSays(t *testing.T) {
	knobSteps(t, func(t *testing.T, l *Lesson, i int) {
		step := &l.Steps[i]
		before := runAt(t, l, i, step.DefaultKnobs())[i]
		for j, k := range step.Knobs {
			st := step.DefaultKnobs()
			st[j] = k.Target
			after := runAt(t, l, i, st)[i]
			assert.NoError(t, k.Shows(before, after), "knob %s from %v to %v", k.ID, k.Default, k.Target)
			// The check can fail: a run compared with itself shows nothing.
			assert.Error(t, k.Shows(before, before), "knob %s: Shows passes when nothing changed", k.ID)
		}
	})
}

func TestTheStepStartsBeforeTheActionAndTheLessonRunsThere(t *testing.T) {
	// The lesson's own run is the knobs' defaults; the target is another
	// scenario.
	knobSteps(t, func(t *testing.T, l *Lesson, i int) {
		runs, err := l.Run()
		require.NoError(t, err)
		def := runAt(t, l, i, l.Steps[i].DefaultKnobs())[i]
		target := runAt(t, l, i, l.Steps[i].TargetKnobs())[i]
		a, _ := EncodeShareLink(runs[i].Scenario)
		b, _ := EncodeShareLink(def.Scenario)
		c, _ := EncodeShareLink(target.Scenario)
		assert.Equal(t, a, b, "the lesson's run is not at the knobs' defaults")
		assert.NotEqual(t, a, c, "the target is the scenario the step starts with")
	})
}

func TestLessonClaimsAndCheckpointsHoldAtEveryKnobPosition(t *testing.T) {
	knobSteps(t, func(t *testing.T, l *Lesson, i int) {
		states := l.Steps[i].KnobStates()
		require.NotEmpty(t, states)
		assert.Equal(t, l.Steps[i].DefaultKnobs(), states[0], "the default comes first")
		for _, st := range states {
			runs := runAt(t, l, i, st)
			for _, c := range l.Claims {
				assert.NoError(t, c.Check(runs), "at %s: %s", KnobKey(l.Steps[i].Knobs, st), c.Text)
			}
			for j := range l.Steps {
				if c := l.Steps[j].Checkpoint; c != nil {
					ans := c.Answer(runs[j])
					assert.False(t, math.IsNaN(ans) || ans < 0, "at %s: step %d's answer is %v", KnobKey(l.Steps[i].Knobs, st), j+1, ans)
				}
			}
		}
	})
}

func TestStepsThatTellTheLearnerToChangeTheScenarioHaveAKnob(t *testing.T) {
	// Verbs that, starting a sentence, ask for a change to the scenario
	// (not "step through", "follow", "count", which the player does).
	verbs := []string{"Make", "Turn", "Add", "Set", "Kill", "Raise", "Lower", "Double", "Halve", "Remove", "Slow", "Speed", "Switch", "Give", "Scale", "Change"}
	for _, l := range Lessons() {
		for _, step := range l.Steps {
			for _, sentence := range splitSentences(step.Text) {
				first, _, _ := strings.Cut(sentence, " ")
				for _, v := range verbs {
					if first == v {
						assert.NotEmpty(t, step.Knobs, "%s / %q says %q but offers no knob", l.ID, step.Title, sentence)
					}
				}
			}
		}
	}
	// And the comparison's "workers scale independently" is shown by one.
	comparison := LessonByID("comparison")
	require.NotNil(t, comparison)
	assert.NotEmpty(t, comparison.Steps[1].Knobs)
}

// splitSentences splits text after ". ", ": " and "? ".
func splitSentences(text string) []string {
	for _, sep := range []string{". ", ": ", "? ", "; "} {
		text = strings.ReplaceAll(text, sep, "\n")
	}
	return strings.Split(text, "\n")
}

func TestKnobValidateNamesWhatIsWrong(t *testing.T) {
	ok := func(*Scenario, float64) {}
	shows := func(_, _ *LessonRun) error { return nil }
	tests := []struct {
		name string
		knob Knob
		want string
	}{
		{"OK", Knob{ID: "w", Label: "Workers", Help: "How many.", Kind: KnobSlider, Min: 1, Max: 4, Step: 1, Default: 1, Target: 3, Apply: ok, Shows: shows}, ""},
		{"ErrID", Knob{ID: "a b", Label: "L", Help: "H", Kind: KnobSwitch, Target: 1, Apply: ok, Shows: shows}, "knobs.a b.id"},
		{"ErrNoHelp", Knob{ID: "a", Label: "L", Kind: KnobSwitch, Target: 1, Apply: ok, Shows: shows}, "knobs.a.label"},
		{"ErrKind", Knob{ID: "a", Label: "L", Help: "H", Kind: "dial", Target: 1, Apply: ok, Shows: shows}, "knobs.a.kind"},
		{"ErrTooManyValues", Knob{ID: "a", Label: "L", Help: "H", Kind: KnobSlider, Min: 0, Max: 100, Step: 1, Target: 1, Apply: ok, Shows: shows}, "knobs.a.step"},
		{"ErrDefaultOffTheScale", Knob{ID: "a", Label: "L", Help: "H", Kind: KnobSlider, Min: 0, Max: 10, Step: 5, Default: 3, Target: 5, Apply: ok, Shows: shows}, "knobs.a.default"},
		{"ErrTargetIsDefault", Knob{ID: "a", Label: "L", Help: "H", Kind: KnobSwitch, Apply: ok, Shows: shows}, "knobs.a.target"},
		{"ErrNoApply", Knob{ID: "a", Label: "L", Help: "H", Kind: KnobSwitch, Target: 1}, "knobs.a.apply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.knob.Validate()
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want+":")
		})
	}
}

func TestKnobValuesAndKeys(t *testing.T) {
	k := Knob{ID: "net", Kind: KnobSlider, Min: 0, Max: 30, Step: 5}
	assert.Equal(t, []float64{0, 5, 10, 15, 20, 25, 30}, k.Values())
	assert.Equal(t, []float64{0, 1}, (&Knob{Kind: KnobSwitch}).Values())
	knobs := []Knob{k, {ID: "on", Kind: KnobSwitch}}
	assert.Equal(t, "net=15&on=1", KnobKey(knobs, KnobState{15, 1}))
	step := LessonStep{Knobs: []Knob{{ID: "a", Kind: KnobSwitch, Default: 1}, {ID: "b", Kind: KnobSlider, Min: 1, Max: 3, Step: 1, Default: 2}}}
	states := step.KnobStates()
	assert.Len(t, states, 6)
	assert.Equal(t, KnobState{1, 2}, states[0])
}

func TestWithKnobsRefusesAPositionTheKnobDoesNotHave(t *testing.T) {
	l := LessonByID("comparison")
	require.NotNil(t, l)
	_, err := l.WithKnobs(1, KnobState{7})
	assert.ErrorContains(t, err, "knob workers cannot be 7")
	_, err = l.WithKnobs(1, KnobState{})
	assert.ErrorContains(t, err, "want 1 knob values")
	_, err = l.WithKnobs(9, nil)
	assert.Error(t, err)
	moved, err := l.WithKnobs(1, KnobState{20})
	require.NoError(t, err)
	assert.False(t, l.Steps[1].KnobsMoved(), "the shared lesson changed")
	assert.True(t, moved.Steps[1].KnobsMoved())
}
