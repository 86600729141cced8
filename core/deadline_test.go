package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// timeouts returns the trace's timeout records, in order.
func timeouts(recs []Record) []Record {
	var out []Record
	for _, r := range recs {
		if r.Kind == RecTimeout {
			out = append(out, r)
		}
	}
	return out
}

// A deadline propagates to the calls made on its behalf as the remaining
// time, as gRPC propagates it (https://grpc.io/docs/guides/deadlines/):
// a handler's own, longer timeout does not give its call more time than
// its caller has left.
func TestADeadlinePropagatesAsTheRemainingTime(t *testing.T) {
	// client --1ms--> api (30ms of work, its own timeout 1s) --1ms--> slow (500ms).
	// The handlers ignore cancellation, so that each call's own deadline
	// shows (TestCancellationStopsTheWholeChain has them honour it).
	sc := chain(Sync, Millisecond,
		Node{ID: "api", Kind: Service, ServiceTime: Fixed(30 * Millisecond), Timeout: Second, IgnoresCancellation: true},
		Node{ID: "slow", Kind: Service, ServiceTime: Fixed(500 * Millisecond), IgnoresCancellation: true},
	)
	sc.Nodes[0].Timeout = 100 * Millisecond
	_, e := run(t, sc)
	got := timeouts(e.Trace())
	require.Len(t, got, 2, "the client's call and api's call both reach the client's deadline")
	api := int32(sc.NodeIndex("api"))
	for _, r := range got {
		assert.Equal(t, 100*Millisecond, r.At, "%s", r.Describe(sc))
		if r.Node == api {
			// api called slow at 31ms: it had 69ms left, not its own 1s.
			assert.EqualValues(t, 69*Millisecond, r.Value, "%s", r.Describe(sc))
		}
	}

	t.Run("without a deadline upstream, a handler's own timeout applies", func(t *testing.T) {
		sc := sc.Clone()
		sc.Nodes[0].Timeout = 0
		sc.Nodes[sc.NodeIndex("slow")].ServiceTime = Fixed(2 * Second)
		_, e := run(t, sc)
		got := timeouts(e.Trace())
		require.Len(t, got, 1)
		assert.Equal(t, api, got[0].Node)
		assert.Equal(t, 31*Millisecond+Second, got[0].At)
	})

	t.Run("a handler's own shorter timeout still comes first", func(t *testing.T) {
		sc := sc.Clone()
		sc.Nodes[sc.NodeIndex("api")].Timeout = 20 * Millisecond
		_, e := run(t, sc)
		got := timeouts(e.Trace())
		require.Len(t, got, 1, "api fails fast, so the client has its answer before its deadline")
		assert.Equal(t, api, got[0].Node)
		assert.Equal(t, 51*Millisecond, got[0].At)
	})

	t.Run("a call made after the deadline passed times out at once", func(t *testing.T) {
		sc := sc.Clone()
		sc.Nodes[sc.NodeIndex("api")].ServiceTime = Fixed(150 * Millisecond)
		_, e := run(t, sc)
		got := timeouts(e.Trace())
		require.Len(t, got, 2)
		assert.Equal(t, 100*Millisecond, got[0].At, "the client gives up first")
		assert.Equal(t, api, got[1].Node)
		assert.Equal(t, 151*Millisecond, got[1].At, "api calls slow at 151ms, past the deadline")
		assert.Zero(t, got[1].Value)
	})
}

// An async send waits only for its ack; the deadline of the request it is
// made for does not bound it.
func TestADeadlineDoesNotPropagateToAsyncSends(t *testing.T) {
	sc := chain(Sync, Millisecond,
		Node{ID: "api", Kind: Service, ServiceTime: Fixed(30 * Millisecond)},
		Node{ID: "queue", Kind: Queue},
	)
	sc.Edges[1].Mode = Async
	sc.Nodes = append(sc.Nodes, Node{ID: "worker", Kind: Worker, ServiceTime: Fixed(500 * Millisecond)})
	sc.Edges = append(sc.Edges, Edge{From: "queue", To: "worker", Mode: Async, Latency: Fixed(Millisecond)})
	sc.Nodes[0].Timeout = 100 * Millisecond
	r, e := run(t, sc)
	assert.Empty(t, timeouts(e.Trace()))
	assert.EqualValues(t, 1, r.Requests.OK)
}

// When the client's deadline passes, every handler of the chain that
// honours cancellation stops: api, which waits for its call, and slow,
// which works on it; no worker is left busy for nobody.
func TestCancellationStopsTheWholeChain(t *testing.T) {
	sc := chain(Sync, Millisecond,
		Node{ID: "api", Kind: Service, ServiceTime: Fixed(30 * Millisecond)},
		Node{ID: "slow", Kind: Service, ServiceTime: Fixed(500 * Millisecond)},
	)
	sc.Nodes[0].Timeout = 100 * Millisecond
	r, e := run(t, sc)
	var cancels []string
	for _, rec := range e.Trace() {
		if rec.Kind == RecCancel {
			assert.Equal(t, 100*Millisecond, rec.At)
			cancels = append(cancels, sc.Nodes[rec.Node].ID)
		}
	}
	assert.Equal(t, []string{"api", "slow"}, cancels)
	assert.Equal(t, 100*Millisecond, r.CompletionLatency.Max)
	assert.Equal(t, 99*Millisecond, node(t, r, "api").WastedWork)
	assert.Equal(t, 68*Millisecond, node(t, r, "slow").WastedWork, "from 32ms to the deadline")
	assert.Zero(t, count(e.Trace(), RecFinish))
}
