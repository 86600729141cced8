package core

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFreeingAtScaleChangesNoReport runs, wherever the core is built
// (natively and in main.wasm), a scenario big enough to free chunks of
// the real size: a sync call into a service that publishes to a topic of
// six partitions, and consumers that fail and are retried with back-off
// (no dead letter queue: a dead-lettered message may be redriven, so its
// chunk is kept). The runs that free, traced or not, must report what a
// run that keeps everything reports.
func TestFreeingAtScaleChangesNoReport(t *testing.T) {
	sc := &Scenario{
		Version: FormatVersion, Name: "freeing at scale", Seed: 7,
		Nodes: []Node{
			{ID: "users", Kind: Client, Workload: &Workload{Type: Poisson, Rate: 400, Count: 50_000, Keys: 100}},
			{ID: "orders", Kind: Service, Concurrency: 16, ServiceTime: Exp(5 * Millisecond)},
			{ID: "events", Kind: Topic, Partitions: 6, Retry: &RetryPolicy{MaxAttempts: 3, Base: 10 * Millisecond, Jitter: "full"}},
			{ID: "billing", Kind: Worker, Concurrency: 4, ServiceTime: Exp(4 * Millisecond), FailureRate: 0.1},
			{ID: "email", Kind: Worker, Concurrency: 2, ServiceTime: Exp(3 * Millisecond)},
		},
		Edges: []Edge{
			{From: "users", To: "orders", Mode: Sync, Latency: Exp(Millisecond)},
			{From: "orders", To: "events", Mode: Async, Latency: Fixed(Millisecond)},
			{From: "events", To: "billing", Mode: Async, Latency: Fixed(Millisecond)},
			{From: "events", To: "email", Mode: Async, Latency: Fixed(Millisecond)},
		},
	}
	require.NoError(t, sc.Validate())
	want, runs := checkFreeingChangesNothing(t, sc, sc.Name, nil)
	require.Equal(t, StopCompleted, want.Stop, want.StopDetail)
	for _, e := range runs {
		if reclaiming {
			// 100,000 messages make six full chunks; the pins of the
			// calls that straddle a chunk's end must not keep any of them.
			require.GreaterOrEqual(t, e.msgs.freed, 5, "the run must free its chunks of messages")
			require.Greater(t, e.reqs.freed, 0, "and of requests")
		}
		t.Logf("traced %v: %d messages, %d chunks of them freed; %d chunks of requests freed", e.tracing, e.msgs.len(), e.msgs.freed, e.reqs.freed)
	}
}

// checkFreeingChangesNothing runs sc keeping everything, as the sandbox's
// programs do, then untraced and traced as the engine does (prepare, if
// given, adjusts each engine before it runs). The runs must report what
// the keeper reports; a traced one must also have its trace and count the
// memory it freed as held. It returns the keeper's report and the two
// engines, untraced first.
func checkFreeingChangesNothing(t *testing.T, sc *Scenario, what string, prepare func(*Engine)) (*Report, []*Engine) {
	t.Helper()
	keeper, err := NewEngine(sc, Options{Trace: true})
	require.NoError(t, err)
	keeper.rc.on = false
	want := keeper.Run()
	require.Zero(t, keeper.msgs.freed+keeper.reqs.freed, what)
	var runs []*Engine
	for _, opt := range []Options{{}, {Trace: true}} {
		e, err := NewEngine(sc, opt)
		require.NoError(t, err)
		if prepare != nil {
			prepare(e)
		}
		got := e.Run()
		w := *want
		if !opt.Trace {
			w.TraceHash, w.TraceLen = "", 0
		}
		require.Equal(t, &w, got, "%s traced %v", what, opt.Trace)
		require.NoError(t, got.Conserved(), what)
		if opt.Trace {
			require.Equal(t, keeper.Trace(), e.Trace(), what)
			require.Equal(t, keeper.memory(), e.memory(), "%s: a traced run counts what it freed", what)
		}
		runs = append(runs, e)
	}
	return want, runs
}
