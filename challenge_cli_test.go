package main

// simulate -check: a teacher grades submissions in CI by the exit status.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
)

// writeJSON writes v as a file in dir and returns its path.
func writeJSON(t *testing.T, dir, name string, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	require.NoError(t, err)
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, data, 0o644))
	return path
}

func TestSimulateCheckExitStatuses(t *testing.T) {
	dir := t.TempDir()
	challenge := "core/challenges/spike.json"
	ch, err := core.ChallengeByID("spike")
	require.NoError(t, err)
	solution := writeJSON(t, dir, "solution.json", ch.Solution)
	start := writeJSON(t, dir, "start.json", ch.Start)
	more := ch.Start.Clone()
	more.Nodes[more.NodeIndex("orders")].Concurrency = 40
	overBudget := writeJSON(t, dir, "more-workers.json", more)

	code, stdout, stderr := simulate(t, "", "-check", challenge, solution)
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "Survive the traffic spike: "+solution)
	assert.Contains(t, stdout, "  ✓ failed requests: 0 requests (goal: at most 0 requests)\n")
	assert.Contains(t, stdout, "  ✓ cost: workers: 6 workers (goal: at most 6 workers)\n")
	assert.Contains(t, stdout, "PASSED: all 5 checks on seeds 3, 4, 5\n")

	code, stdout, _ = simulate(t, "", "-check", challenge, start)
	assert.Equal(t, 1, code)
	assert.Contains(t, stdout, "  ✗ failed requests: ")
	assert.Contains(t, stdout, "FAILED: 1 of 5 checks failed (seeds 3, 4, 5)\n")

	code, stdout, _ = simulate(t, "", "-check", challenge, overBudget)
	assert.Equal(t, 1, code, "workers past the budget fail")
	assert.Contains(t, stdout, "  ✗ cost: workers: 40 workers (goal: at most 6 workers)\n")

	// The scenario from standard input, the verdict as JSON.
	data, err := os.ReadFile(solution)
	require.NoError(t, err)
	code, stdout, stderr = simulate(t, string(data), "-check", challenge, "-json", "-")
	assert.Equal(t, 0, code, stderr)
	var v core.Verdict
	require.NoError(t, json.Unmarshal([]byte(stdout), &v))
	assert.True(t, v.Passed)
	assert.Len(t, v.Results, 5)
}

func TestSimulateCheckReadsAChallengeLink(t *testing.T) {
	dir := t.TempDir()
	ch, err := core.ChallengeByID("fan-out")
	require.NoError(t, err)
	link, err := core.EncodeChallengeLink(ch)
	require.NoError(t, err)
	linkFile := filepath.Join(dir, "challenge.txt")
	require.NoError(t, os.WriteFile(linkFile, []byte("https://example.org/challenges#c="+link+"\n"), 0o644))
	solution := writeJSON(t, dir, "solution.json", ch.Solution)
	start := writeJSON(t, dir, "start.json", ch.Start)

	code, stdout, stderr := simulate(t, "", "-check", linkFile, solution)
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "PASSED")
	code, _, _ = simulate(t, "", "-check", linkFile, start)
	assert.Equal(t, 1, code)
}

func TestSimulateCheckRefusesWhatItCannotCheck(t *testing.T) {
	dir := t.TempDir()
	ch, err := core.ChallengeByID("spike")
	require.NoError(t, err)
	challenge := "core/challenges/spike.json"

	locked := ch.Start.Clone()
	locked.Nodes[0].Timeout = 0 // wait for ever: nothing times out
	code, _, stderr := simulate(t, "", "-check", challenge, writeJSON(t, dir, "locked.json", locked))
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "cannot be checked against "+challenge)
	assert.Contains(t, stderr, `  nodes[0].timeout: is locked: the challenge does not let the client "shoppers" change`)

	bad := ch.Clone()
	bad.Checks[1].Figure = "p999"
	data, err := bad.MarshalCanonical()
	require.NoError(t, err)
	badFile := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(badFile, data, 0o644))
	code, _, stderr = simulate(t, "", "-check", badFile, writeJSON(t, dir, "start.json", ch.Start))
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, badFile+" is not a valid challenge:\n")
	assert.Contains(t, stderr, `  checks[1].figure: unknown figure "p999"; known: `)

	invalid := ch.Start.Clone()
	invalid.Nodes[1].Concurrency = -1
	code, _, stderr = simulate(t, "", "-check", challenge, writeJSON(t, dir, "invalid.json", invalid))
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "  nodes[1].concurrency: ")

	code, _, stderr = simulate(t, "", "-check", challenge, "-seed", "4", writeJSON(t, dir, "s.json", ch.Start))
	assert.Equal(t, 2, code, "the challenge's seeds, not a flag's")
	assert.Contains(t, stderr, "leave out -trace, -seed and -max-events")
}
