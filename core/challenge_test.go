package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// evaluate checks sc against ch and fails the test on a refusal.
func evaluate(t *testing.T, ch *Challenge, sc *Scenario) *Verdict {
	t.Helper()
	v, err := Evaluate(ch, sc)
	require.NoError(t, err)
	return v
}

// TestEveryChallengeStartFailsAndSolutionPasses is the proof each built-in
// challenge owes: its start fails at least one check and its reference
// solution passes every check on every seed it lists.
func TestEveryChallengeStartFailsAndSolutionPasses(t *testing.T) {
	for _, ch := range Challenges() {
		t.Run(ch.ID, func(t *testing.T) {
			start := evaluate(t, ch, ch.Start)
			for _, l := range start.Lines() {
				t.Log("start: ", l)
			}
			assert.False(t, start.Passed, "the start must fail a check")
			require.NotNil(t, ch.Solution)
			sol := evaluate(t, ch, ch.Solution)
			for _, l := range sol.Lines() {
				t.Log("solution: ", l)
			}
			assert.True(t, sol.Passed, "the solution must pass every check")
			assert.Len(t, sol.Seeds, len(ch.RunSeeds()))
			assert.NotEmpty(t, ch.Hints)
		})
	}
}
