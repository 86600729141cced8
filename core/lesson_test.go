package core

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFillReplacesKnownFiguresAndNamesUnknownOnes(t *testing.T) {
	step := LessonStep{Example: "rest-chain"}
	run, err := step.Run()
	require.NoError(t, err)
	out, err := Fill("blocked {{user.max}}; {{crossings}} crossings; db took {{db.sojourn}}", run)
	require.NoError(t, err)
	assert.Equal(t, "blocked 47ms; 6 crossings; db took 10ms", out)

	out, err = Fill("{{nope}} and {{user.max}} and {{also.nope}}", run)
	assert.EqualError(t, err, "unknown figures nope, also.nope")
	assert.Equal(t, "{{nope}} and 47ms and {{also.nope}}", out)

	out, err = Fill("no placeholders {{ unclosed", run)
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
