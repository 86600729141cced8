//go:build !js

package core

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A run frees what it is done with, traced or not; its report and its
// trace must be those of a run that keeps everything, for every example
// and random topologies (which mix every kind of node, faults, retries,
// redrives and cancellations).
func TestFreeingChangesNoReport(t *testing.T) {
	freed, reqsFreed := 0, 0
	check := func(t *testing.T, sc *Scenario, what string) {
		t.Helper()
		// Sweep at every event, so that anything read after it is freed
		// shows up as a panic here rather than once in a long run.
		_, runs := checkFreeingChangesNothing(t, sc, what, func(e *Engine) { e.rc.sweepEvery = 1 })
		for _, e := range runs {
			freed += e.msgs.freed
			reqsFreed += e.reqs.freed
		}
	}
	// Chunks of 16 records, so that small runs free chunks too.
	defer func(bits, size int) { chunkBits, chunkSize = bits, size }(chunkBits, chunkSize)
	chunkBits, chunkSize = 4, 16
	for _, ex := range Examples() {
		check(t, ex.Scenario, ex.ID)
	}
	for seed := range uint64(400) {
		sc := randomScenario(seed)
		check(t, sc, sc.Name)
	}
	t.Logf("%d chunks of messages and %d of requests freed", freed, reqsFreed)
	require.Greater(t, freed, 1000, "the test must free for real")
	require.Greater(t, reqsFreed, 1000)
}
