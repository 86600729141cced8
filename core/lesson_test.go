package core

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFillReplacesKnownFiguresAndNamesUnknownOnes(t *testing.T) {
	step := LessonStep{Example: "rest-chain"}
	run, err := step.Run()
	require.NoError(t, err)
	out, err := FillFigures("blocked {{user.max}}; {{crossings}} crossings; db took {{db.sojourn}}", run)
	require.NoError(t, err)
	assert.Equal(t, "blocked 47ms; 6 crossings; db took 10ms", out)

	out, err = FillFigures("{{nope}} and {{user.max}} and {{also.nope}}", run)
	assert.EqualError(t, err, "unknown figures nope, also.nope")
	assert.Equal(t, "{{nope}} and 47ms and {{also.nope}}", out)

	out, err = FillFigures("no placeholders {{ unclosed", run)
	require.NoError(t, err)
	assert.Equal(t, "no placeholders {{ unclosed", out)
}

func TestStepTextsDoNotGiveAwayTheirCheckpoints(t *testing.T) {
	// Predict, then reveal: a figure the explanation reveals must not be
	// quoted by the text the learner reads before answering.
	figures := func(s string) []string {
		var out []string
		for {
			i := strings.Index(s, "{{")
			if i < 0 {
				return out
			}
			j := strings.Index(s[i:], "}}")
			out = append(out, s[i+2:i+j])
			s = s[i+j+2:]
		}
	}
	for _, l := range Lessons() {
		for _, step := range l.Steps {
			if step.Checkpoint == nil {
				continue
			}
			for _, f := range figures(step.Checkpoint.Explain) {
				assert.NotContains(t, figures(step.Text), f, "%s / %q quotes {{%s}} before its checkpoint reveals it", l.ID, step.Title, f)
			}
		}
	}
}

func TestAnswerMatches(t *testing.T) {
	tests := []struct {
		name              string
		given, want, tol  float64
		choice, wantMatch bool
	}{
		{"a number within tolerance matches", 104, 100, 5, false, true},
		{"a number just outside does not", 105.5, 100, 5, false, false},
		{"a figure read back from the page matches despite rounding", 0.30000000000000004, 0.3, 0, false, true},
		{"a choice must be the one wanted, whatever the tolerance", 2, 1, 5, true, false},
		{"the right choice matches", 1, 1, 0, true, true},
		{"nothing typed never matches", math.NaN(), 0, 1e9, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.wantMatch, AnswerMatches(tc.given, tc.want, tc.tol, tc.choice))
		})
	}
}
