package core

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requireRefusal checks that err is an Errors with one problem, about
// field, whose message contains want.
func requireRefusal(t *testing.T, err error, field, want string) {
	t.Helper()
	require.Error(t, err)
	var errs Errors
	require.True(t, errors.As(err, &errs), "%T: %v", err, err)
	require.Len(t, errs, 1, "%v", errs)
	assert.Equal(t, field, errs[0].Field)
	assert.Contains(t, errs[0].Message, want)
}

func TestEmptyScenario(t *testing.T) {
	sc := EmptyScenario()
	assert.Equal(t, 1, sc.Version)
	assert.Equal(t, "My topology", sc.Name)
	assert.EqualValues(t, 1, sc.Seed)
	assert.Empty(t, sc.Nodes)
	assert.Equal(t, `{"version":1,"name":"My topology","seed":1,"nodes":[],"edges":[]}`, canonical(t, sc))
	err := sc.Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nodes: must have at least one node")
}

func TestBuildFromEmpty(t *testing.T) {
	sc := EmptyScenario()
	client := sc.AddNode(Client, Pos{100, 200})
	service := sc.AddNode(Service, Pos{300, 200})
	db := sc.AddNode(Database, Pos{500, 200})
	assert.Equal(t, []string{"client", "service", "database"}, []string{client, service, db})
	assert.Equal(t, &Pos{300, 200}, sc.Nodes[1].Pos)

	require.NoError(t, sc.Connect(client, service, Sync))
	require.NoError(t, sc.Connect(service, db, Sync))
	require.NoError(t, sc.Validate())
	r, _ := run(t, sc)
	assert.EqualValues(t, 50, r.Requests.OK, "the default workload: 50 requests")
	assert.Equal(t, r.UserLatency.Max, r.CompletionLatency.Max, "sync all the way")

	// The round trip through JSON keeps the positions, and the engine
	// ignores them.
	parsed, err := ParseScenario([]byte(canonical(t, sc)))
	require.NoError(t, err)
	assert.Equal(t, canonical(t, sc), canonical(t, parsed))
	assert.Contains(t, canonical(t, sc), `"pos":{"x":100,"y":200}`)

	for i := range sc.Edges {
		require.True(t, sc.FlipEdge(i))
		assert.Equal(t, Async, sc.Edges[i].Mode)
		require.NoError(t, sc.Validate())
	}
	r, _ = run(t, sc)
	assert.EqualValues(t, 50, r.Requests.OK)
	assert.Less(t, r.UserLatency.Max, r.CompletionLatency.Max, "async: the client goes on before the work is done")

	require.True(t, sc.FlipEdge(0))
	assert.Equal(t, Sync, sc.Edges[0].Mode)
	assert.False(t, sc.FlipEdge(2))
	assert.False(t, sc.FlipEdge(-1))
}

func TestAddNodeDefaults(t *testing.T) {
	sc := EmptyScenario()
	for _, k := range Kinds {
		id := sc.AddNode(k, Pos{10, 10})
		assert.Equal(t, string(k), id)
	}
	byID := func(id string) Node { return sc.Nodes[sc.NodeIndex(id)] }
	assert.Equal(t, &Workload{Type: Poisson, Rate: 20, Count: 50}, byID("client").Workload)
	assert.Equal(t, Exp(20*Millisecond), byID("service").ServiceTime)
	assert.Equal(t, Fixed(5*Millisecond), byID("database").ServiceTime)
	assert.Equal(t, Exp(50*Millisecond), byID("worker").ServiceTime)
	assert.Equal(t, 4, byID("worker").Concurrency, "at 20/s, one worker of 50ms would never rest")
	assert.Equal(t, 3, byID("topic").Partitions)
	for _, k := range []Kind{Gateway, Queue, Bus, Topic} {
		assert.Equal(t, Fixed(Millisecond), byID(string(k)).ServiceTime, "%s: no part is free", k)
	}
	assert.Equal(t, 50.0, byID("ratelimiter").Rate)
	assert.Equal(t, 10, byID("ratelimiter").Burst)
	assert.Equal(t, 100*Millisecond, byID("outbox").Interval)
	assert.Equal(t, 10, byID("outbox").Batch)
	assert.Equal(t, Node{ID: "dlq", Kind: DLQ, Pos: &Pos{10, 10}}, byID("dlq"))
	// Every default is valid for its kind: the only problems are missing
	// edges.
	for _, e := range fieldErrors(sc) {
		assert.Regexp(t, `needs exactly one outgoing edge|^nodes$`, e.Field+" "+e.Message, e.Error())
	}

	assert.Equal(t, "service2", sc.NewNodeID(Service))
	assert.Equal(t, "service2", sc.AddNode(Service, Pos{}))
	assert.Equal(t, "service3", sc.AddNode(Service, Pos{}))
	require.NoError(t, sc.RenameNode("service2", "x"))
	assert.Equal(t, "service2", sc.NewNodeID(Service), "a freed id is used again")
}

func TestPositions(t *testing.T) {
	sc := EmptyScenario()
	id := sc.AddNode(Client, Pos{-5, 30000})
	assert.Equal(t, &Pos{0, 20000}, sc.Nodes[0].Pos, "clamped to what validates")
	assert.True(t, sc.MoveNode(id, Pos{40, 50}))
	assert.Equal(t, &Pos{40, 50}, sc.Nodes[0].Pos)
	assert.True(t, sc.MoveNode(id, Pos{20001, -1}))
	assert.Equal(t, &Pos{20000, 0}, sc.Nodes[0].Pos)
	assert.False(t, sc.MoveNode("nobody", Pos{}))

	sc.Nodes[0].Pos = &Pos{X: -1, Y: 20001}
	errs := fieldErrors(sc)
	assert.Contains(t, errs, FieldError{Field: "nodes[0].pos.x", Message: "must be between 0 and 20000"})
	assert.Contains(t, errs, FieldError{Field: "nodes[0].pos.y", Message: "must be between 0 and 20000"})
	sc.Nodes[0].Pos = nil
	for _, e := range fieldErrors(sc) {
		assert.NotContains(t, e.Field, "pos")
	}
}

// builderScenario has one node of each kind a test below needs, unconnected.
func builderScenario() *Scenario {
	sc := EmptyScenario()
	for _, k := range []Kind{Client, Service, Queue, Worker, Outbox, DLQ, Database, Topic} {
		sc.AddNode(k, Pos{})
	}
	return sc
}

func TestConnect(t *testing.T) {
	t.Run("accepts", func(t *testing.T) {
		sc := builderScenario()
		for _, e := range []Edge{
			{From: "client", To: "service", Mode: Sync},
			{From: "service", To: "outbox", Mode: Sync},
			{From: "outbox", To: "queue", Mode: Async},
			{From: "queue", To: "worker", Mode: Async},
			{From: "queue", To: "dlq", Mode: Async},
			{From: "worker", To: "database", Mode: Sync},
			{From: "service", To: "topic", Mode: Sync}, // a broker acks a sync send on receipt
			{From: "topic", To: "database", Mode: Async},
		} {
			require.NoError(t, sc.Connect(e.From, e.To, e.Mode), "%s → %s", e.From, e.To)
			e.Latency = Fixed(DefaultLatency) // no hop is free
			assert.Equal(t, e, sc.Edges[len(sc.Edges)-1])
		}
		require.NoError(t, sc.Validate())
		run(t, sc)
	})

	tests := []struct {
		name     string
		from, to string
		mode     Mode
		want     string
	}{
		{"a self-loop", "service", "service", Sync, "back to itself"},
		{"a duplicate", "client", "service", Async, "repeats edges[0] (client → service)"},
		{"an unknown id", "service", "nobody", Sync, `"nobody" is not the id of a node`},
		{"an unknown mode", "service", "database", "sometimes", `must be "sync" or "async", got "sometimes"`},
		{"sync out of a queue", "queue", "worker", Sync, `a queue delivers to its consumers asynchronously; use "async"`},
		{"async into an outbox", "worker", "outbox", Async, `use "sync"`},
		{"a service into a DLQ", "service", "dlq", Async, "only a queue or a topic can dead-letter"},
		{"sync into a DLQ", "queue", "dlq", Sync, "dead-lettering is asynchronous"},
		{"into a client", "service", "client", Async, "clients only send"},
		{"out of a database", "database", "service", Sync, "databases answer but do not call"},
		{"a second edge out of a client", "client", "worker", Sync, `client "client" already sends to "service"`},
		{"a sync cycle", "worker", "service", Sync, "sync calls would form a cycle worker → service → worker"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := builderScenario()
			require.NoError(t, sc.Connect("client", "service", Sync))
			require.NoError(t, sc.Connect("service", "worker", Sync))
			before := canonical(t, sc)
			requireRefusal(t, sc.Connect(tt.from, tt.to, tt.mode), "edges", tt.want)
			assert.Equal(t, before, canonical(t, sc), "nothing added")
		})
	}

	t.Run("an async edge may close a cycle", func(t *testing.T) {
		sc := EmptyScenario()
		sc.AddNode(Client, Pos{})
		sc.AddNode(Service, Pos{})
		sc.AddNode(Worker, Pos{})
		sc.Nodes[0].Workload = &Workload{Type: Single}
		require.NoError(t, sc.Connect("client", "service", Sync))
		require.NoError(t, sc.Connect("service", "worker", Sync))
		require.NoError(t, sc.Connect("worker", "service", Async))
		require.NoError(t, sc.Validate())
	})
}

func TestRemoveNode(t *testing.T) {
	sc := fieldsScenario(t) // c → s → q → w, q → dlq; poison on c
	sc.Faults = append(sc.Faults,
		Fault{Type: Down, Node: "w", At: Second, Until: 2 * Second},
		Fault{Type: Latency, From: "s", To: "q", At: Second, Until: 2 * Second, Add: Millisecond},
	)
	require.NoError(t, sc.Validate())

	require.True(t, sc.RemoveNode("q"))
	assert.Equal(t, -1, sc.NodeIndex("q"))
	assert.Equal(t, []Edge{{From: "c", To: "s", Mode: Sync, Latency: Fixed(2 * Millisecond)}}, sc.Edges)
	require.Len(t, sc.Faults, 2, "the latency fault on s → q went with q")
	assert.Equal(t, Poison, sc.Faults[0].Type)
	assert.Equal(t, Down, sc.Faults[1].Type)

	require.True(t, sc.RemoveNode("w"))
	require.Len(t, sc.Faults, 1, "the down fault on w went with w")
	assert.False(t, sc.RemoveNode("w"))
}

func TestRemoveEdge(t *testing.T) {
	sc := fieldsScenario(t)
	sc.Faults = append(sc.Faults,
		Fault{Type: Latency, From: "s", To: "q", At: Second, Until: 2 * Second, Add: Millisecond},
		Fault{Type: Latency, From: "c", To: "s", At: Second, Until: 2 * Second, Add: Millisecond},
	)
	require.True(t, sc.RemoveEdge(1)) // s → q
	assert.Len(t, sc.Edges, 3)
	require.Len(t, sc.Faults, 2)
	assert.Equal(t, "c", sc.Faults[1].From, "the other latency fault stays")
	assert.False(t, sc.RemoveEdge(3))
	assert.False(t, sc.RemoveEdge(-1))
}

func TestRenameNode(t *testing.T) {
	sc := fieldsScenario(t)
	sc.Faults = append(sc.Faults,
		Fault{Type: Latency, From: "s", To: "q", At: Second, Until: 2 * Second, Add: Millisecond},
		Fault{Type: Crash, Node: "s", At: Second},
	)
	require.NoError(t, sc.RenameNode("s", "orders"))
	assert.Equal(t, "orders", sc.Nodes[1].ID)
	assert.Equal(t, "orders", sc.Edges[0].To)
	assert.Equal(t, "orders", sc.Edges[1].From)
	assert.Equal(t, "orders", sc.Faults[1].From)
	assert.Equal(t, "orders", sc.Faults[2].Node)
	require.NoError(t, sc.Validate())
	require.NoError(t, sc.RenameNode("orders", "orders"), "its own id")

	before := canonical(t, sc)
	requireRefusal(t, sc.RenameNode("orders", "two words"), "nodes[1].id", "must be 1 to 40 letters")
	requireRefusal(t, sc.RenameNode("orders", ""), "nodes[1].id", "is required")
	requireRefusal(t, sc.RenameNode("orders", "q"), "nodes[1].id", `"q" is already used by nodes[2]`)
	requireRefusal(t, sc.RenameNode("nobody", "x"), "nodes", `"nobody" is not the id of a node`)
	assert.Equal(t, before, canonical(t, sc))
}

func TestAddFault(t *testing.T) {
	sc := fieldsScenario(t) // c → s → q → w, q → dlq; faults[0] poisons c
	tests := []struct {
		typ  FaultType
		on   string
		want Fault
	}{
		{Down, "s", Fault{Type: Down, Node: "s", At: Second, Until: 2 * Second}},
		{Crash, "w", Fault{Type: Crash, Node: "w", At: Second, Restart: 500 * Millisecond}},
		{Poison, "c", Fault{Type: Poison, Node: "c", Requests: []int{0}}},
		{Latency, "s", Fault{Type: Latency, From: "s", To: "q", At: Second, Until: 2 * Second, Add: 200 * Millisecond}},
		{LostAck, "w", Fault{Type: LostAck, Node: "w", At: Second, Until: 2 * Second}},
	}
	for _, tt := range tests {
		i, err := sc.AddFault(tt.typ, tt.on)
		require.NoError(t, err, tt.typ)
		assert.Equal(t, len(sc.Faults)-1, i)
		assert.Equal(t, tt.want, sc.Faults[i])
	}
	require.NoError(t, sc.Validate())
	run(t, sc)

	refusals := []struct {
		typ      FaultType
		on, want string
	}{
		{Down, "nobody", `"nobody" is not the id of a node`},
		{Down, "c", "a client cannot be down"},
		{Crash, "c", "a client cannot crash"},
		{Poison, "s", `"s" is a service; poison marks requests a client sends`},
		{Latency, "w", `"w" has no outgoing edge`},
		{LostAck, "q", `"q" is a queue; lost acks need a consumer`},
		{"flood", "s", `unknown fault "flood"`},
	}
	for _, tt := range refusals {
		t.Run(fmt.Sprintf("%s on %s", tt.typ, tt.on), func(t *testing.T) {
			before := canonical(t, sc)
			i, err := sc.AddFault(tt.typ, tt.on)
			assert.Equal(t, -1, i)
			requireRefusal(t, err, "faults", tt.want)
			assert.Equal(t, before, canonical(t, sc))
		})
	}

	require.True(t, sc.RemoveFault(0))
	assert.Equal(t, Down, sc.Faults[0].Type)
	assert.False(t, sc.RemoveFault(len(sc.Faults)))
}

func TestHistory(t *testing.T) {
	h := NewHistory(10)
	assert.False(t, h.CanUndo())
	assert.False(t, h.CanRedo())
	_, ok := h.Undo(EmptyScenario())
	assert.False(t, ok)
	_, ok = h.Redo(EmptyScenario())
	assert.False(t, ok)

	s0 := EmptyScenario()
	h.Do(s0)
	s1 := s0.Clone()
	s1.AddNode(Client, Pos{1, 1})
	h.Do(s1)
	s2 := s1.Clone()
	s2.AddNode(Service, Pos{2, 2})
	assert.True(t, h.CanUndo())

	got, ok := h.Undo(s2)
	require.True(t, ok)
	assert.Equal(t, canonical(t, s1), canonical(t, got))
	assert.True(t, h.CanRedo())
	got, ok = h.Undo(got)
	require.True(t, ok)
	assert.Equal(t, canonical(t, s0), canonical(t, got))
	assert.False(t, h.CanUndo())

	got, ok = h.Redo(got)
	require.True(t, ok)
	assert.Equal(t, canonical(t, s1), canonical(t, got))
	got, ok = h.Redo(got)
	require.True(t, ok)
	assert.Equal(t, canonical(t, s2), canonical(t, got))
	assert.False(t, h.CanRedo())
	assert.True(t, h.CanUndo())

	t.Run("snapshots are independent copies", func(t *testing.T) {
		h := NewHistory(10)
		sc := EmptyScenario()
		sc.AddNode(Client, Pos{})
		h.Do(sc)
		sc.Nodes[0].ID = "changed after Do"
		back, ok := h.Undo(sc)
		require.True(t, ok)
		assert.Equal(t, "client", back.Nodes[0].ID)
		back.Nodes[0].Workload.Rate = 99 // changing the restored copy
		fwd, ok := h.Redo(back)
		require.True(t, ok)
		assert.Equal(t, "changed after Do", fwd.Nodes[0].ID)
		again, ok := h.Undo(fwd)
		require.True(t, ok)
		assert.Equal(t, 99.0, again.Nodes[0].Workload.Rate, "Redo recorded the state it was given")
		again.Nodes[0].Workload.Rate = 1
		assert.Equal(t, 99.0, back.Nodes[0].Workload.Rate)
	})

	t.Run("redo is what undo left", func(t *testing.T) {
		h := NewHistory(10)
		h.Do(s0)
		back, ok := h.Undo(s1)
		require.True(t, ok)
		fwd, ok := h.Redo(back)
		require.True(t, ok)
		assert.Equal(t, canonical(t, s1), canonical(t, fwd))
		back, ok = h.Undo(fwd)
		require.True(t, ok)
		assert.Equal(t, canonical(t, s0), canonical(t, back))
	})

	t.Run("a new change clears redo", func(t *testing.T) {
		h := NewHistory(10)
		h.Do(s0)
		back, ok := h.Undo(s1)
		require.True(t, ok)
		require.True(t, h.CanRedo())
		h.Do(back)
		assert.False(t, h.CanRedo())
		_, ok = h.Redo(s2)
		assert.False(t, ok)
	})

	t.Run("the limit", func(t *testing.T) {
		h := NewHistory(3)
		sc := EmptyScenario()
		for i := range 5 {
			h.Do(sc)
			sc = sc.Clone()
			sc.Name = fmt.Sprint(i)
		}
		var names []string
		for h.CanUndo() {
			sc, ok = h.Undo(sc)
			require.True(t, ok)
			names = append(names, sc.Name)
		}
		assert.Equal(t, []string{"3", "2", "1"}, names, "only the last three")
		for h.CanRedo() {
			sc, ok = h.Redo(sc)
			require.True(t, ok)
		}
		assert.Equal(t, "4", sc.Name)

		none := NewHistory(0)
		none.Do(sc)
		assert.False(t, none.CanUndo())
	})
}

// history builds a history of n changes from the empty scenario (each
// renames it to its index) and returns it with the present state.
func history(t *testing.T, limit, n int) (*History, *Scenario) {
	t.Helper()
	h := NewHistory(limit)
	sc := EmptyScenario()
	for i := range n {
		h.Do(sc)
		sc = sc.Clone()
		sc.Name = fmt.Sprint(i)
	}
	return h, sc
}

// undoNames undoes until it cannot and returns the names it went through.
func undoNames(t *testing.T, h *History, sc *Scenario) []string {
	t.Helper()
	var names []string
	for h.CanUndo() {
		var ok bool
		sc, ok = h.Undo(sc)
		require.True(t, ok)
		names = append(names, sc.Name)
	}
	return names
}

func TestHistorySnapshots(t *testing.T) {
	t.Run("Load of Snapshots gives the same undo and redo", func(t *testing.T) {
		h, sc := history(t, 10, 4)
		sc, ok := h.Undo(sc) // one step on the redo list
		require.True(t, ok)
		undo, redo := h.Snapshots()
		require.Len(t, undo, 3)
		require.Len(t, redo, 1)

		back := NewHistory(10)
		back.Load(undo, redo)
		fwd, ok := back.Redo(sc)
		require.True(t, ok)
		assert.Equal(t, "3", fwd.Name, "redo returns the state undo left")
		assert.Equal(t, []string{"2", "1", "0", "My topology"}, undoNames(t, back, fwd))
	})

	t.Run("Snapshots are copies", func(t *testing.T) {
		h, _ := history(t, 10, 2)
		undo, _ := h.Snapshots()
		undo[0][0] = 'X'
		again, _ := h.Snapshots()
		assert.Equal(t, byte('{'), again[0][0])
	})

	t.Run("Load keeps the limit, dropping the oldest", func(t *testing.T) {
		h, sc := history(t, 10, 6)
		undo, redo := h.Snapshots()
		small := NewHistory(2)
		small.Load(undo, redo)
		assert.Equal(t, []string{"4", "3"}, undoNames(t, small, sc))
	})

	t.Run("a damaged snapshot drops it and everything beyond", func(t *testing.T) {
		h, sc := history(t, 10, 5)
		undo, _ := h.Snapshots()
		undo[1] = []byte(`{"nodes": [`)
		loaded := NewHistory(10)
		loaded.Load(undo, [][]byte{[]byte("null"), undo[4]})
		assert.True(t, loaded.CanRedo(), "the redo entry nearer than the damaged one")
		_, ok := loaded.Redo(sc)
		require.True(t, ok)
		assert.False(t, loaded.CanRedo(), "not the damaged one")

		loaded.Load(undo, nil)
		assert.Equal(t, []string{"3", "2", "1"}, undoNames(t, loaded, sc), "the undo entries newer than the damaged one")
	})

	t.Run("Load replaces what was there", func(t *testing.T) {
		h, _ := history(t, 10, 3)
		h.Load(nil, nil)
		assert.False(t, h.CanUndo())
		assert.False(t, h.CanRedo())
	})
}

func TestConnectWithoutAModeUsesTheUsualOne(t *testing.T) {
	sc := EmptyScenario()
	gw := sc.AddNode(Gateway, Pos{})
	for _, k := range []Kind{Queue, Bus, Topic, Service, Database} {
		id := sc.AddNode(k, Pos{})
		require.NoError(t, sc.Connect(gw, id, ""))
		want := Sync
		if k == Queue || k == Bus || k == Topic {
			want = Async // a producer hands a broker its message and goes on
		}
		assert.Equal(t, want, sc.Edges[len(sc.Edges)-1].Mode, "gateway → %s", k)
	}
}
