package core

import (
	"bytes"
	"slices"
	"strconv"
	"strings"

	"github.com/sync-vs-async/playground/core/internal/jsonlite"
	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// Editing operations for the builder. They change a scenario in place (the
// caller snapshots it for undo first) and keep references consistent: an
// edge or fault never names a node that was removed or renamed.

// maxFaults is the most faults a scenario may have (see Validate).
const maxFaults = 1000

// EmptyScenario returns a version-1 scenario named "My topology" with seed 1
// and no nodes: where a learner starts building. It does not validate
// until it has nodes.
func EmptyScenario() *Scenario {
	return &Scenario{Version: FormatVersion, Name: "My topology", Seed: 1, Nodes: []Node{}, Edges: []Edge{}}
}

// NewNodeID returns an id for a new node of kind k not used in sc: "service", "service2", ...
func (sc *Scenario) NewNodeID(k Kind) string {
	base := string(k)
	if sc.NodeIndex(base) < 0 {
		return base
	}
	for i := 2; ; i++ {
		if id := base + strconv.Itoa(i); sc.NodeIndex(id) < 0 {
			return id
		}
	}
}

// clampPos returns p moved into the range Validate accepts.
func clampPos(p Pos) *Pos {
	return &Pos{X: min(max(p.X, 0), maxPos), Y: min(max(p.Y, 0), maxPos)}
}

// DefaultLatency is the one-way network latency a new edge gets: a hop
// inside one data centre, so that no call is free.
const DefaultLatency = Millisecond

// DefaultNode returns a node of kind k with the defaults a new one gets,
// so that it runs once connected and no part is free: a client a poisson
// workload rate 20/s count 50 (and one edge is needed); a gateway 1ms to
// route; a service serviceTime exponential 20ms (8 workers, the engine's
// default); a database constant 5ms; a worker exponential 50ms and 4 of
// them (one would be busy all the time at 20/s); a queue, topic or bus
// 1ms to store a message before the ack, a topic 3 partitions; a
// ratelimiter rate 50 burst 10; an outbox interval 100ms batch 10; a dlq
// nothing extra. Its id and position are left empty.
func DefaultNode(k Kind) Node {
	n := Node{Kind: k}
	switch k {
	case Client:
		n.Workload = &Workload{Type: Poisson, Rate: 20, Count: 50}
	case Gateway, Queue, Bus:
		n.ServiceTime = Fixed(Millisecond)
	case Service:
		n.ServiceTime = Exp(20 * Millisecond)
	case Database:
		n.ServiceTime = Fixed(5 * Millisecond)
	case Worker:
		n.ServiceTime, n.Concurrency = Exp(50*Millisecond), 4
	case Topic:
		n.ServiceTime, n.Partitions = Fixed(Millisecond), 3
	case RateLimiter:
		n.Rate, n.Burst = 50, 10
	case Outbox:
		n.Interval, n.Batch = 100*Millisecond, 10
	}
	return n
}

// AddNode appends a node of kind k with DefaultNode's defaults at pos,
// and returns its id.
//
// The position is clamped to the range Validate accepts. A scenario that
// already has MaxNodes nodes gets none, and the id is "".
func (sc *Scenario) AddNode(k Kind, pos Pos) string {
	if len(sc.Nodes) >= MaxNodes {
		return ""
	}
	n := DefaultNode(k)
	n.ID, n.Pos = sc.NewNodeID(k), clampPos(pos)
	sc.Nodes = append(sc.Nodes, n)
	return n.ID
}

// refuse returns Errors with one problem about field.
func refuse(field, format string, args ...any) error {
	return Errors{{Field: field, Message: fmtlite.Sprintf(format, args...)}}
}

// DefaultMode is the mode a new edge from → to gets when none is chosen:
// a send (async) into a queue, bus or topic, since producers hand a broker
// a message and go on; a call (sync) into anything else.
func (sc *Scenario) DefaultMode(to string) Mode {
	if i := sc.NodeIndex(to); i >= 0 && isBroker(sc.Nodes[i].Kind) {
		return Async
	}
	return Sync
}

// Connect adds an edge from → to in mode m (DefaultMode if m is ""), with
// DefaultLatency each way. It refuses (with an Errors naming
// "edges" and saying why) a self-loop, a duplicate, an unknown id, or a mode the
// validator would refuse for those kinds (e.g. anything out of a queue/topic/bus
// must be async, into an outbox must be sync, into a DLQ must be async) — the
// refusal is what Validate says about the new edge in a trial copy. It
// also refuses a second edge out of a node that must have exactly one
// (client, outbox, rate limiter), and a sync edge that would close a cycle
// of sync calls.
func (sc *Scenario) Connect(from, to string, m Mode) error {
	const field = "edges"
	if m == "" {
		m = sc.DefaultMode(to)
	}
	// What Validate says of an edge (unknown ends, a self-loop, a repeat,
	// its mode for these kinds) it says of the new one in the trial copy
	// below; only what it says elsewhere is checked here first.
	if len(sc.Edges) >= MaxEdges {
		return refuse(field, "already has %d edges; the most allowed is %d", len(sc.Edges), MaxEdges)
	}
	if fi := sc.NodeIndex(from); fi >= 0 && from != to && sc.NodeIndex(to) >= 0 {
		// Validate names the node, not the edge, for one edge too many.
		k := sc.Nodes[fi].Kind
		for _, e := range sc.Edges {
			if (k == Client || k == Outbox || k == RateLimiter) && e.From == from && e.To != to {
				return refuse(field, "%s %q already sends to %q and can have only one outgoing edge; remove that edge first", k, from, e.To)
			}
		}
	}
	trial := *sc
	trial.Edges = append(slices.Clip(sc.Edges), Edge{From: from, To: to, Mode: m, Latency: Fixed(DefaultLatency)})
	if msgs := problemsAbout(&trial, fmtlite.Sprintf("edges[%d]", len(sc.Edges))); len(msgs) > 0 {
		return refuse(field, "%s", strings.Join(msgs, "; "))
	}
	// Validate reports a sync cycle under "edges", not under the new
	// edge, and reports one the scenario may already have: refuse only a
	// cycle this edge closes.
	if m == Sync && sc.syncCycle() == nil {
		if cycle := trial.syncCycle(); cycle != nil {
			return refuse(field, "sync calls would form a cycle %s: a caller would wait for itself forever", strings.Join(cycleFrom(cycle, from), " → "))
		}
	}
	sc.Edges = trial.Edges
	return nil
}

// problemsAbout validates sc and returns the messages of the problems
// found in the element at path (or its fields).
func problemsAbout(sc *Scenario, path string) []string {
	var errs Errors
	if err := sc.Validate(); err != nil {
		errs, _ = err.(Errors)
	}
	var msgs []string
	for _, e := range errs {
		if e.Field == path || strings.HasPrefix(e.Field, path+".") || strings.HasPrefix(e.Field, path+"[") {
			msgs = append(msgs, e.Message)
		}
	}
	return msgs
}

// cycleFrom rotates a cycle (its first id repeated at its end) to start
// and end at id, if it passes through id.
func cycleFrom(cycle []string, id string) []string {
	ring := cycle[:len(cycle)-1]
	i := slices.Index(ring, id)
	if i < 0 {
		return cycle
	}
	return append(append(slices.Clone(ring[i:]), ring[:i]...), id)
}

// RemoveNode deletes the node and every edge and fault that refers to it.
// It reports whether there was such a node.
func (sc *Scenario) RemoveNode(id string) bool {
	i := sc.NodeIndex(id)
	if i < 0 {
		return false
	}
	sc.Nodes = slices.Delete(sc.Nodes, i, i+1)
	sc.Edges = slices.DeleteFunc(sc.Edges, func(e Edge) bool { return e.From == id || e.To == id })
	sc.Faults = slices.DeleteFunc(sc.Faults, func(f Fault) bool { return f.Node == id || f.From == id || f.To == id })
	return true
}

// RemoveEdge deletes edges[i] and any latency fault on that edge. It
// reports whether there was such an edge.
func (sc *Scenario) RemoveEdge(i int) bool {
	if i < 0 || i >= len(sc.Edges) {
		return false
	}
	e := sc.Edges[i]
	sc.Edges = slices.Delete(sc.Edges, i, i+1)
	sc.Faults = slices.DeleteFunc(sc.Faults, func(f Fault) bool { return f.Type == Latency && f.From == e.From && f.To == e.To })
	return true
}

// MoveNode sets the node's position, clamped to the range Validate
// accepts. It reports whether there was such a node.
func (sc *Scenario) MoveNode(id string, p Pos) bool {
	i := sc.NodeIndex(id)
	if i < 0 {
		return false
	}
	sc.Nodes[i].Pos = clampPos(p)
	return true
}

// FlipEdge switches edges[i] between sync and async (an edge with no valid
// mode becomes sync). It reports whether there was such an edge. The
// result is not checked: the caller validates.
func (sc *Scenario) FlipEdge(i int) bool {
	if i < 0 || i >= len(sc.Edges) {
		return false
	}
	if sc.Edges[i].Mode == Sync {
		sc.Edges[i].Mode = Async
	} else {
		sc.Edges[i].Mode = Sync
	}
	return true
}

// AddFault appends a fault of type t on node id with sensible defaults
// (down: at 1s until 2s; crash: at 1s restart 500ms; poison: requests [0] (id must be a client);
// latency: the first edge out of id, at 1s until 2s add 200ms; lost-ack: at 1s until 2s) and returns its index, or an error naming "faults".
//
// It refuses what Validate would refuse about the new fault: a down or
// crashed client, a lost-ack fault on a node that is not a consumer.
func (sc *Scenario) AddFault(t FaultType, id string) (int, error) {
	const field = "faults"
	i := sc.NodeIndex(id)
	if i < 0 {
		return -1, refuse(field, "%q is not the id of a node", id)
	}
	if len(sc.Faults) >= maxFaults {
		return -1, refuse(field, "already has %d faults; the most allowed is %d", len(sc.Faults), maxFaults)
	}
	k := sc.Nodes[i].Kind
	f := Fault{Type: t, Node: id, At: Second, Until: 2 * Second}
	switch t {
	case Down:
	case Crash:
		f.Until, f.Restart = 0, 500*Millisecond
	case Poison:
		if k != Client {
			return -1, refuse(field, "%q is a %s; poison marks requests a client sends, so pick a client", id, k)
		}
		f.At, f.Until, f.Requests = 0, 0, []int{0}
	case Latency:
		out := slices.IndexFunc(sc.Edges, func(e Edge) bool { return e.From == id })
		if out < 0 {
			return -1, refuse(field, "%q has no outgoing edge to slow down", id)
		}
		f.Node, f.From, f.To, f.Add = "", id, sc.Edges[out].To, 200*Millisecond
	case LostAck:
		if !isConsumer(k) {
			return -1, refuse(field, "%q is a %s; lost acks need a consumer of a queue or topic", id, k)
		}
	default:
		return -1, refuse(field, "unknown fault %q (want down, crash, poison, latency or lost-ack)", t)
	}
	trial := *sc
	trial.Faults = append(slices.Clip(sc.Faults), f)
	if msgs := problemsAbout(&trial, fmtlite.Sprintf("faults[%d]", len(sc.Faults))); len(msgs) > 0 {
		return -1, refuse(field, "%s", strings.Join(msgs, "; "))
	}
	sc.Faults = trial.Faults
	return len(sc.Faults) - 1, nil
}

// RemoveFault deletes faults[i]. It reports whether there was such a fault.
func (sc *Scenario) RemoveFault(i int) bool {
	if i < 0 || i >= len(sc.Faults) {
		return false
	}
	sc.Faults = slices.Delete(sc.Faults, i, i+1)
	return true
}

// RenameNode changes a node's id and every reference to it (edges, faults), refusing an invalid or used id with an Errors naming "nodes[i].id".
// Renaming a node to its own id does nothing; an unknown old id is an
// Errors naming "nodes".
func (sc *Scenario) RenameNode(oldID, newID string) error {
	i := sc.NodeIndex(oldID)
	if i < 0 {
		return refuse("nodes", "%q is not the id of a node", oldID)
	}
	if newID == oldID {
		return nil
	}
	field := fmtlite.Sprintf("nodes[%d].id", i)
	if newID == "" {
		return refuse(field, "is required")
	}
	if !validID(newID) {
		return refuse(field, "%q must be 1 to 40 letters, digits, '-', '_' or '.'", newID)
	}
	if j := sc.NodeIndex(newID); j >= 0 {
		return refuse(field, "%q is already used by nodes[%d]", newID, j)
	}
	sc.Nodes[i].ID = newID
	rename := func(s *string) {
		if *s == oldID {
			*s = newID
		}
	}
	for j := range sc.Edges {
		rename(&sc.Edges[j].From)
		rename(&sc.Edges[j].To)
	}
	for j := range sc.Faults {
		rename(&sc.Faults[j].Node)
		rename(&sc.Faults[j].From)
		rename(&sc.Faults[j].To)
	}
	return nil
}

// History keeps snapshots of a scenario for undo and redo (canonical JSON,
// so it is compact and a restored scenario is an independent copy).
type History struct {
	limit      int
	undo, redo [][]byte // oldest first
}

// NewHistory returns a history that keeps at most limit snapshots back.
func NewHistory(limit int) *History {
	return &History{limit: max(limit, 0)}
}

// snapshot returns sc's canonical JSON, or nil if it cannot be written
// (a NaN, which no decoded scenario holds).
func snapshot(sc *Scenario) []byte {
	if sc == nil {
		return nil
	}
	b, err := sc.MarshalCanonical()
	if err != nil {
		return nil
	}
	return b
}

// restore reads a snapshot back.
func restore(b []byte) (*Scenario, bool) {
	var sc Scenario
	if err := jsonlite.Unmarshal(b, &sc); err != nil {
		return nil, false
	}
	return &sc, true
}

// push appends a snapshot to the undo list, dropping the oldest beyond
// the limit.
func (h *History) push(b []byte) {
	if b == nil {
		return
	}
	h.undo = append(h.undo, b)
	if over := len(h.undo) - h.limit; over > 0 {
		h.undo = slices.Delete(h.undo, 0, over)
	}
}

// Do records cur (the state before a change) and clears the redo list.
func (h *History) Do(cur *Scenario) {
	h.push(snapshot(cur))
	h.redo = nil
}

// Undo returns the state before the last change, recording cur for redo; ok is false if there is nothing to undo.
func (h *History) Undo(cur *Scenario) (*Scenario, bool) {
	if len(h.undo) == 0 {
		return nil, false
	}
	prev, ok := restore(h.undo[len(h.undo)-1])
	if !ok {
		return nil, false
	}
	h.undo = h.undo[:len(h.undo)-1]
	if b := snapshot(cur); b != nil {
		h.redo = append(h.redo, b)
	}
	return prev, true
}

// Redo is Undo's inverse: it returns the state the last Undo left,
// recording cur for undo; ok is false if there is nothing to redo.
func (h *History) Redo(cur *Scenario) (*Scenario, bool) {
	if len(h.redo) == 0 {
		return nil, false
	}
	next, ok := restore(h.redo[len(h.redo)-1])
	if !ok {
		return nil, false
	}
	h.redo = h.redo[:len(h.redo)-1]
	h.push(snapshot(cur))
	return next, true
}

// CanUndo reports whether Undo has a state to return.
func (h *History) CanUndo() bool { return len(h.undo) > 0 }

// CanRedo reports whether Redo has a state to return.
func (h *History) CanRedo() bool { return len(h.redo) > 0 }

// Snapshots returns copies of the undo and redo lists, each oldest first
// (the last undo entry is what Undo returns next, the last redo entry what
// Redo does), so that a saved draft can carry its history.
func (h *History) Snapshots() (undo, redo [][]byte) {
	clone := func(list [][]byte) [][]byte {
		out := make([][]byte, len(list))
		for i, b := range list {
			out[i] = slices.Clone(b)
		}
		return out
	}
	return clone(h.undo), clone(h.redo)
}

// Load replaces the history with saved lists in the order Snapshots gives.
// A snapshot that does not decode is dropped with every one further from
// the present (older undo entries, later redo ones), since the steps beyond
// a gap would no longer follow; the undo list is cut to the limit.
func (h *History) Load(undo, redo [][]byte) {
	keep := func(list [][]byte) [][]byte {
		var out [][]byte
		for i := len(list) - 1; i >= 0; i-- {
			if !validSnapshot(list[i]) {
				break
			}
			out = append(out, slices.Clone(list[i]))
		}
		slices.Reverse(out)
		return out
	}
	h.undo, h.redo = nil, keep(redo)
	for _, b := range keep(undo) {
		h.push(b)
	}
}

// validSnapshot reports whether b is a scenario object that decodes
// (checked as strictly as a file is, since saved bytes may be damaged).
func validSnapshot(b []byte) bool {
	if !bytes.HasPrefix(bytes.TrimSpace(b), []byte("{")) {
		return false
	}
	_, err := DecodeScenario(b)
	return err == nil
}
