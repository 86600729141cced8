package core

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// chain builds a scenario of a single request through the given nodes,
// joined in order by edges of the given mode and latency.
func chain(mode Mode, latency Duration, nodes ...Node) *Scenario {
	sc := &Scenario{Version: 1, Seed: 1}
	sc.Nodes = append([]Node{{ID: "client", Kind: Client, Workload: &Workload{Type: Single}}}, nodes...)
	for i := 1; i < len(sc.Nodes); i++ {
		sc.Edges = append(sc.Edges, Edge{From: sc.Nodes[i-1].ID, To: sc.Nodes[i].ID, Mode: mode, Latency: Fixed(latency)})
	}
	return sc
}

// run runs sc with tracing on and fails the test if it does not validate
// or does not conserve its messages.
func run(t testing.TB, sc *Scenario) (*Report, *Engine) {
	t.Helper()
	e, err := NewEngine(sc, Options{Trace: true})
	require.NoError(t, err)
	r := e.Run()
	require.NoError(t, r.Conserved())
	return r, e
}

// count returns how many records of the given kind the trace holds.
func count(recs []Record, kind RecordKind) int {
	n := 0
	for _, r := range recs {
		if r.Kind == kind {
			n++
		}
	}
	return n
}

// node returns the report of the node with the given id.
func node(t testing.TB, r *Report, id string) NodeReport {
	t.Helper()
	for _, n := range r.Nodes {
		if n.ID == id {
			return n
		}
	}
	t.Fatalf("no node %q in the report", id)
	return NodeReport{}
}

// keepEverything makes a fresh engine keep every latency and every
// message and request record to the end, for tests that check the report
// against them.
func (e *Engine) keepEverything() {
	e.rc.on = false
	for _, l := range []*latencies{&e.m.user, &e.m.userOK, &e.m.completion, &e.m.staleness} {
		l.keepAll = true
	}
}
