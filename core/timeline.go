package core

import (
	"slices"
	"unsafe"
)

// A Timeline turns a run's trace into the state of the system after any
// number of steps, so a learner can step forward and back, or jump
// anywhere, and always see exactly what the run did. The state is derived
// from the records alone. Snapshots along the way make any jump cheap: one
// is taken after snapshotEvery records, or, while the state is large (a
// queue thousands deep, or 200 nodes), after as many records as its bytes
// over snapshotBytesPerRecord, so a jump replays no more than copying the
// state it lands on costs anyway, and the snapshots together take about
// snapshotBytesPerRecord bytes per record instead of a large state copied
// every few hundred records (a 200-node run took 340 bytes per record).

// NodeState is what one node looks like at a step.
type NodeState struct {
	Busy    int     `json:"busy"`    // workers handling a message
	Waiting []int32 `json:"waiting"` // messages waiting for a worker or a token, oldest first
	Queue   []int32 `json:"queue"`   // messages a broker, outbox or DLQ holds, oldest first
	Unacked int     `json:"unacked"` // delivered by this broker, not yet acknowledged
	Down    bool    `json:"down"`
	Done    int64   `json:"done"`   // messages it finished handling
	Failed  int64   `json:"failed"` // messages it failed
	// Cancelled counts the calls it stopped work on when their deadline
	// passed.
	Cancelled int64 `json:"cancelled"`
	// Calls are the messages it sent and still waits on an answer for,
	// oldest first: a sync call's reply (the caller is blocked) or a
	// broker's ack for an async send.
	Calls []Call `json:"calls,omitempty"`

	// What a broker, DLQ or outbox holds, drawn as what it is:
	// InHand are the messages a broker delivered and awaits the ack for,
	// with the consumer holding each; Redelivered counts the messages it
	// made visible again (a visibility timeout, a nack); Letters are a
	// DLQ's entries, in Queue's order; Published counts the rows an outbox
	// marked published; Partitions are a topic's partitions.
	InHand      []Delivery       `json:"inHand,omitempty"`
	Redelivered int64            `json:"redelivered,omitempty"`
	Letters     []Letter         `json:"letters,omitempty"`
	Published   int64            `json:"published,omitempty"`
	Partitions  []PartitionState `json:"partitions,omitempty"`
}

// Delivery is a message a broker delivered to consumer To, not yet acked.
type Delivery struct {
	Msg int32 `json:"msg"`
	To  int32 `json:"to"`
}

// Letter is a DLQ's entry: the message, how many times it was delivered
// before its broker gave up, and why.
type Letter struct {
	Msg      int32  `json:"msg"`
	Attempts int16  `json:"attempts"`
	Reason   Reason `json:"reason"`
}

// PartKeys is how many of a partition's newest records' keys a state keeps.
const PartKeys = 8

// PartitionState is one partition of a topic: its log's end and the keys
// of its newest records, and where each consumer group is in it.
type PartitionState struct {
	End    int64           `json:"end"`  // the next offset to be written
	Keys   [PartKeys]int32 `json:"keys"` // the key numbers of offsets End-PartKeys … End-1, newest last; -1 for none or no key
	Groups []GroupCursor   `json:"groups,omitempty"`
}

// GroupCursor is a consumer group's place in a partition.
type GroupCursor struct {
	Group     int32 `json:"group"`     // the group's index among the topic's (see Timeline.Groups)
	Owner     int32 `json:"owner"`     // the member that reads the partition, -1 for none yet
	Read      int64 `json:"read"`      // the next offset it will be given
	Committed int64 `json:"committed"` // the next offset to read after a restart
}

// Lag is how many records of the partition the group has not committed.
func (p *PartitionState) Lag(c *GroupCursor) int64 { return p.End - c.Committed }

// Call is a message a node sent and waits on an answer for.
type Call struct {
	Msg   int32    `json:"msg"`
	Req   int32    `json:"req"`
	To    int32    `json:"to"`
	Mode  CallMode `json:"mode"`
	Since Duration `json:"since"`
}

// Blocked counts the sync calls n is blocked on.
func (n *NodeState) Blocked() int {
	b := 0
	for _, c := range n.Calls {
		if c.Mode == CallSync {
			b++
		}
	}
	return b
}

// TransitKind says what travels along an edge.
type TransitKind uint8

// The things that travel.
const (
	TransitMessage TransitKind = iota // a call, a send, a delivery, a move to the DLQ
	TransitReply                      // a sync reply
	TransitAck                        // an acknowledgement (or an error answer to an async send)
	TransitNack                       // a consumer's nack to its broker
)

// Transit is something on its way from one node to another at a step.
type Transit struct {
	Kind      TransitKind `json:"kind"`
	Msg       int32       `json:"msg"`
	Req       int32       `json:"req"`
	From      int32       `json:"from"`
	To        int32       `json:"to"`
	Mode      CallMode    `json:"mode"`
	Error     bool        `json:"error,omitempty"` // an error answer
	Start     Duration    `json:"start"`
	End       Duration    `json:"end"` // when it arrives (the start, if it never does)
	StartStep int         `json:"startStep"`
	EndStep   int         `json:"endStep"` // the step whose record ends it, or -1
}

// Progress returns how far along its edge t is at time now, from 0 to 1.
func (t *Transit) Progress(now Duration) float64 {
	if t.End <= t.Start {
		return 0.5
	}
	p := float64(now-t.Start) / float64(t.End-t.Start)
	return min(max(p, 0), 1)
}

// State is the whole system after Step records of the trace.
type State struct {
	Step     int         `json:"step"`
	At       Duration    `json:"at"`
	Nodes    []NodeState `json:"nodes"`
	InFlight []Transit   `json:"inFlight"`

	Started   int64 `json:"started"`   // requests sent
	Answered  int64 `json:"answered"`  // clients answered successfully
	Errors    int64 `json:"errors"`    // clients answered with an error
	TimedOut  int64 `json:"timedOut"`  // clients whose deadline passed
	Completed int64 `json:"completed"` // requests with nothing left in flight
	// LastUserLatency is how long the client most recently answered was
	// blocked; MaxUserLatency the longest so far.
	LastUserLatency Duration `json:"lastUserLatency"`
	MaxUserLatency  Duration `json:"maxUserLatency"`
	Dropped         int64    `json:"dropped"`
	DeadLettered    int64    `json:"deadLettered"`
	Lost            int64    `json:"lost"`
	Retries         int64    `json:"retries"`
}

func (s *State) clone() *State {
	c := *s
	c.Nodes = make([]NodeState, len(s.Nodes))
	for i, n := range s.Nodes {
		n.Waiting = slices.Clone(n.Waiting)
		n.Queue = slices.Clone(n.Queue)
		n.Calls = slices.Clone(n.Calls)
		n.InHand = slices.Clone(n.InHand)
		n.Letters = slices.Clone(n.Letters)
		if n.Partitions != nil {
			n.Partitions = slices.Clone(n.Partitions)
			for j := range n.Partitions {
				n.Partitions[j].Groups = slices.Clone(n.Partitions[j].Groups)
			}
		}
		c.Nodes[i] = n
	}
	c.InFlight = slices.Clone(s.InFlight)
	return &c
}

// Timeline is a run's trace, ready to be stepped through.
type Timeline struct {
	sc        *Scenario
	groupOf   map[[2]int32]int32 // (topic, consumer) → the consumer's group, as an index among the topic's groups
	recs      []Record
	ends      []int32 // for a record that starts a transit, the index of the one that ends it, or -1
	snapshots []*State
	cur       *State // the last state asked for, to step from cheaply
	// notable lists the steps of the Notable records (NotableSteps), and
	// firstOf and lastOf the index of each request's first and last
	// record (RequestRecords): both found while pairing, a slice at a
	// time, so that showing a run never waits for a pass over all of it.
	notable         []int32
	firstOf, lastOf []int32
	partial         bool // the run goes on past its records (MarkPartial)
}

const snapshotEvery = 256

// MarkPartial says that t holds the start of a run that goes on: a page
// showing it while the rest runs counts its steps as so far.
func (t *Timeline) MarkPartial() { t.partial = true }

// Partial reports whether t holds only the start of its run.
func (t *Timeline) Partial() bool { return t.partial }

// snapshotBytesPerRecord is what the snapshots may take per record, about;
// core.tracedRecordBytes counts it in a run's memory budget.
const snapshotBytesPerRecord = 32

// RunTimeline runs sc to its end with the trace on and returns the
// step-through of the run, and the engine (for its trace hash, report or
// stop reason), for a whole run at once; the browser builds its timeline
// a slice at a time with NewTimeline.
func RunTimeline(sc *Scenario) (*Timeline, *Engine, error) {
	e, err := NewEngine(sc, Options{Trace: true})
	if err != nil {
		return nil, nil, err
	}
	e.Finish()
	return NewTimeline(e.Scenario(), e.Trace()), e, nil
}

// NewTimeline prepares the trace recs of a run of sc for stepping.
func NewTimeline(sc *Scenario, recs []Record) *Timeline {
	b := NewTimelineBuilder(sc, recs)
	for !b.Step(len(recs) + 1) {
	}
	return b.Timeline()
}

// TimelineBuilder prepares a Timeline a slice at a time, so that a page
// can paint between slices of a long trace: it pairs each transit's start
// with its end, then replays the trace taking snapshots.
type TimelineBuilder struct {
	t     *Timeline
	open  *openTransits // transits started and not yet ended, while pairing
	s     *State        // the replay, after pairing
	i     int           // the next record of the current pass
	since int           // records replayed since the last snapshot
	due   int           // since at which to look whether a snapshot is due
	done  bool
}

// NewTimelineBuilder starts preparing the trace recs of a run of sc.
func NewTimelineBuilder(sc *Scenario, recs []Record) *TimelineBuilder {
	return &TimelineBuilder{
		t:    &Timeline{sc: sc, recs: recs, ends: make([]int32, len(recs)), groupOf: consumerGroups(sc)},
		open: &openTransits{},
	}
}

// consumerGroups numbers each topic's consumer groups in the order of
// their first edge, and returns each consumer's group number.
func consumerGroups(sc *Scenario) map[[2]int32]int32 {
	groupOf := map[[2]int32]int32{}
	seen := map[[2]string]int32{} // (topic, group) → number
	count := map[string]int32{}
	for _, e := range sc.Edges {
		from := sc.NodeIndex(e.From)
		if from < 0 || sc.Nodes[from].Kind != Topic {
			continue
		}
		k := [2]string{e.From, groupName(e.Group)}
		g, ok := seen[k]
		if !ok {
			g = count[e.From]
			seen[k], count[e.From] = g, g+1
		}
		groupOf[[2]int32{int32(from), int32(sc.NodeIndex(e.To))}] = g
	}
	return groupOf
}

// groupName is an edge's consumer group: "group" when it names none.
func groupName(g string) string {
	if g == "" {
		return "group"
	}
	return g
}

// Step does at most n records of work (each record is visited twice, once
// per pass) and reports whether the timeline is ready.
func (b *TimelineBuilder) Step(n int) bool {
	t := b.t
	for ; n > 0 && !b.done; n-- {
		switch {
		case b.s == nil && b.i < len(t.recs):
			t.pair(b.open, b.i)
			b.i++
		case b.s == nil:
			b.open = nil
			b.s = &State{Nodes: make([]NodeState, len(t.sc.Nodes))}
			t.snapshots = append(t.snapshots, b.s.clone())
			b.i = 0
		case b.i < len(t.recs):
			t.apply(b.s, b.i)
			b.i++
			// The state's size is looked at when a snapshot may be due,
			// not at every record: for 200 nodes that look was most of
			// the preparation.
			if b.since++; b.since >= b.due {
				if due := max(snapshotEvery, b.s.bytes()/snapshotBytesPerRecord); b.since >= due {
					t.snapshots = append(t.snapshots, b.s.clone())
					b.since, b.due = 0, snapshotEvery
				} else {
					b.due = due
				}
			}
		default:
			t.cur = t.snapshots[0].clone()
			b.done = true
		}
	}
	return b.done
}

// Progress is how far the preparation has got, from 0 to 1.
func (b *TimelineBuilder) Progress() float64 {
	if b.done {
		return 1
	}
	n := 2 * float64(len(b.t.recs)+1)
	done := float64(b.i)
	if b.s != nil {
		done += float64(len(b.t.recs) + 1)
	}
	return min(done/n, 0.99)
}

// Timeline returns the timeline once Step has reported it ready, else nil.
func (b *TimelineBuilder) Timeline() *Timeline {
	if !b.done {
		return nil
	}
	return b.t
}

// bytes is about how much memory a snapshot of s takes.
func (s *State) bytes() int {
	n := len(s.Nodes)*int(unsafe.Sizeof(NodeState{})) + len(s.InFlight)*int(unsafe.Sizeof(Transit{}))
	for i := range s.Nodes {
		ns := &s.Nodes[i]
		n += 4*(len(ns.Waiting)+len(ns.Queue)) + int(unsafe.Sizeof(Call{}))*len(ns.Calls) + 8*(len(ns.InHand)+len(ns.Letters)) +
			len(ns.Partitions)*int(unsafe.Sizeof(PartitionState{})+2*unsafe.Sizeof(GroupCursor{}))
	}
	return n
}

// Scenario returns the scenario the trace belongs to.
func (t *Timeline) Scenario() *Scenario { return t.sc }

// Len returns the number of steps: one per record.
func (t *Timeline) Len() int { return len(t.recs) }

// Record returns the i-th record (step i+1 applies it).
func (t *Timeline) Record(i int) *Record { return &t.recs[i] }

// At returns the state after the first step records (0 is the start). The
// result is shared: it is valid until the next call.
func (t *Timeline) At(step int) *State {
	step = min(max(step, 0), len(t.recs))
	// The last snapshot at or before step; replay from it, or from the
	// current state if that is nearer.
	k := sortSearch(len(t.snapshots), func(i int) bool { return t.snapshots[i].Step > step }) - 1
	if snap := t.snapshots[k]; step < t.cur.Step || snap.Step > t.cur.Step {
		t.cur = snap.clone()
	}
	for t.cur.Step < step {
		t.apply(t.cur, t.cur.Step)
	}
	return t.cur
}

// StepAt returns the last step whose time is at most d: where a scrubber
// set to time d lands.
func (t *Timeline) StepAt(d Duration) int {
	return sortSearch(len(t.recs), func(i int) bool { return t.recs[i].At > d })
}

func sortSearch(n int, f func(int) bool) int {
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if !f(m) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// transitKey identifies something in flight: a message, or an answer for
// it, heading to a node.
type transitKey struct {
	msg    int32
	to     int32
	answer bool
}

// startsTransit reports whether record r sends something along an edge,
// and what.
func startsTransit(r *Record) (TransitKind, transitKey, bool) {
	switch r.Kind {
	case RecSend, RecDeliver, RecDeadLetter:
		return TransitMessage, transitKey{r.Msg, r.To, false}, true
	case RecReply:
		return TransitReply, transitKey{r.Msg, r.To, true}, r.Reason != ReasonAckLost
	case RecAck:
		return TransitAck, transitKey{r.Msg, r.To, true}, r.Reason != ReasonAckLost
	case RecNack:
		return TransitNack, transitKey{r.Msg, r.To, true}, r.Reason != ReasonAckLost
	}
	return 0, transitKey{}, false
}

// endsTransit reports which transit record r ends, if any.
func endsTransit(r *Record) (transitKey, bool) {
	switch r.Kind {
	case RecArrive:
		return transitKey{r.Msg, r.Node, false}, true
	case RecReceive:
		return transitKey{r.Msg, r.Node, true}, true
	}
	return transitKey{}, false
}

// openTransits holds the transits started and not yet ended while a
// trace is paired, each with the index of the record that started it. A
// message seldom has more than one transit open at a time, so the set
// keeps one slot per message id (ids are dense) and a map for the rare
// second one. This is what a map[transitKey]int32 does, without hashing
// every record: at a million records the map was most of the pairing.
type openTransits struct {
	slots []openSlot
	more  map[transitKey]int32
}

// openSlot is a message's open transit: its key's other fields and the
// starting record's index plus one (0: none).
type openSlot struct {
	to     int32
	i      int32
	answer bool
}

// take removes k's transit and returns its record index, if k is open.
func (o *openTransits) take(k transitKey) (int32, bool) {
	if k.msg >= 0 && int(k.msg) < len(o.slots) {
		if s := &o.slots[k.msg]; s.i > 0 && s.to == k.to && s.answer == k.answer {
			i := s.i - 1
			s.i = 0
			return i, true
		}
	}
	j, ok := o.more[k]
	if ok {
		delete(o.more, k)
	}
	return j, ok
}

// put opens k's transit at record i, replacing one k had.
func (o *openTransits) put(k transitKey, i int32) {
	if k.msg >= 0 {
		for int(k.msg) >= len(o.slots) {
			o.slots = append(o.slots, openSlot{})
		}
		if s := &o.slots[k.msg]; s.i == 0 || (s.to == k.to && s.answer == k.answer) {
			*s = openSlot{to: k.to, i: i + 1, answer: k.answer}
			if len(o.more) > 0 {
				delete(o.more, k) // an older one it replaces
			}
			return
		}
	}
	if o.more == nil {
		o.more = map[transitKey]int32{}
	}
	o.more[k] = i
}

// pair notes record i's part in a transit: it ends one that open holds,
// or starts one, so that each record that starts a transit learns the
// index of the record that ends it.
func (t *Timeline) pair(open *openTransits, i int) {
	t.ends[i] = -1
	r := &t.recs[i]
	if Notable(r) {
		t.notable = append(t.notable, int32(i+1))
	}
	if q := r.Req; q >= 0 {
		for int(q) >= len(t.firstOf) {
			t.firstOf, t.lastOf = append(t.firstOf, -1), append(t.lastOf, -1)
		}
		if t.firstOf[q] < 0 {
			t.firstOf[q] = int32(i)
		}
		t.lastOf[q] = int32(i)
	}
	if k, ok := endsTransit(r); ok {
		if j, ok := open.take(k); ok {
			t.ends[j] = int32(i)
		}
	}
	if _, k, ok := startsTransit(r); ok {
		open.put(k, int32(i))
	}
}

// RequestRecords returns the indexes of request req's first and last
// records (every record of req lies between them), and false if the run
// has none.
func (t *Timeline) RequestRecords(req int32) (first, last int, ok bool) {
	if req < 0 || int(req) >= len(t.firstOf) || t.firstOf[req] < 0 {
		return 0, -1, false
	}
	return int(t.firstOf[req]), int(t.lastOf[req]), true
}

// remove deletes the first occurrence of id from list, searching from the
// front, where a FIFO's next one usually is.
func remove(list []int32, id int32) []int32 {
	switch i := slices.Index(list, id); {
	case i == 0:
		return list[1:] // a FIFO's usual case: no need to shift the rest
	case i > 0:
		return slices.Delete(list, i, i+1)
	}
	return list
}

// apply moves s forward by record i.
func (t *Timeline) apply(s *State, i int) {
	r := &t.recs[i]
	s.Step, s.At = i+1, r.At
	if k, ok := endsTransit(r); ok {
		for j := range s.InFlight {
			f := &s.InFlight[j]
			if f.Msg == k.msg && f.To == k.to && (f.Kind != TransitMessage) == k.answer {
				s.InFlight = slices.Delete(s.InFlight, j, j+1)
				break
			}
		}
	}
	if kind, _, ok := startsTransit(r); ok {
		f := Transit{Kind: kind, Msg: r.Msg, Req: r.Req, From: r.Node, To: r.To, Mode: r.Mode,
			Error: kind != TransitMessage && r.Reason != ReasonNone, Start: r.At, End: r.At, StartStep: i + 1, EndStep: -1}
		if e := t.ends[i]; e >= 0 {
			f.End, f.EndStep = t.recs[e].At, int(e)+1
		}
		s.InFlight = append(s.InFlight, f)
	}
	if r.Node < 0 || int(r.Node) >= len(s.Nodes) {
		return
	}
	n := &s.Nodes[r.Node]
	kind := t.sc.Nodes[r.Node].Kind
	n.Calls = callsAfter(n.Calls, r)
	t.holdings(n, kind, r)
	switch r.Kind {
	case RecWait, RecLimited:
		n.Waiting = append(n.Waiting, r.Msg)
	case RecStart, RecSkip:
		n.Waiting = remove(n.Waiting, r.Msg)
		n.Busy++
	case RecFinish:
		n.Busy--
		if r.Reason == ReasonDownstream {
			n.Failed++
		} else {
			n.Done++
		}
	case RecFail:
		n.Busy--
		n.Failed++
	case RecCancel:
		switch cancelStage(r.Value) {
		case cancelWaiting:
			n.Waiting = remove(n.Waiting, r.Msg)
		case cancelHandling:
			n.Busy--
		}
		n.Cancelled++
	case RecEnqueue, RecCommit:
		n.Queue = append(n.Queue, r.Msg)
		if kind == DLQ {
			s.DeadLettered++
		}
	case RecRequeue:
		n.Queue = append([]int32{r.Msg}, n.Queue...)
	case RecDeliver:
		n.Queue = remove(n.Queue, r.Msg)
		n.Unacked++
	case RecReceive:
		switch {
		case isBroker(kind) && r.Reason != ReasonStale:
			n.Unacked--
		case kind == Client:
			t.answered(s, i)
		}
	case RecRedeliver:
		n.Unacked--
	case RecTimeout:
		if kind == Client {
			s.TimedOut++
			s.LastUserLatency = Duration(r.Value)
			s.MaxUserLatency = max(s.MaxUserLatency, s.LastUserLatency)
		}
	case RecMark, RecRedrive:
		n.Queue = remove(n.Queue, r.Msg)
		if r.Kind == RecRedrive {
			s.DeadLettered--
		}
	case RecDrop:
		s.Dropped++
	case RecLost:
		s.Lost++
	case RecRetry:
		s.Retries++
	case RecDown:
		n.Down = true
	case RecUp:
		n.Down = false
	case RecCrash:
		n.Down, n.Busy, n.Waiting = true, 0, nil
	case RecDone:
		s.Completed++
	case RecSend:
		if kind == Client && r.Attempt == 1 {
			s.Started++
		}
	}
}

// holdings follows what a broker, DLQ, outbox or topic holds, record r
// having happened at it (a node of kind).
func (t *Timeline) holdings(n *NodeState, kind Kind, r *Record) {
	switch r.Kind {
	case RecDeliver:
		n.InHand = append(n.InHand, Delivery{Msg: r.Msg, To: r.To})
		if kind == Topic {
			c := t.cursor(n, r.Node, r.Partition, r.To)
			c.Owner, c.Read = r.To, r.Offset+1
		}
	case RecReceive, RecRedeliver:
		if !isBroker(kind) || r.Kind == RecReceive && r.Reason == ReasonStale {
			return
		}
		if i := slices.IndexFunc(n.InHand, func(d Delivery) bool { return d.Msg == r.Msg }); i >= 0 {
			n.InHand = slices.Delete(n.InHand, i, i+1)
		}
		if r.Kind == RecRedeliver {
			n.Redelivered++
		}
		if kind == Topic && r.Kind == RecReceive && r.Reason == ReasonNone && t.sc.Nodes[r.Node].CommitEvery <= 1 {
			// Committed with each record processed: no record of its own.
			c := t.cursor(n, r.Node, r.Partition, r.From)
			c.Owner, c.Committed = r.From, r.Offset+1
		}
	case RecRequeue:
		n.Redelivered++
	case RecEnqueue:
		switch kind {
		case DLQ:
			n.Letters = append(n.Letters, Letter{Msg: r.Msg, Attempts: r.Attempt, Reason: r.Reason})
		case Topic:
			if r.Partition < 0 {
				return
			}
			p := t.partition(n, r.Partition)
			p.End = r.Offset + 1
			copy(p.Keys[:], p.Keys[1:])
			p.Keys[PartKeys-1] = int32(r.Value)
		}
	case RecRedrive, RecMark:
		if i := slices.IndexFunc(n.Letters, func(l Letter) bool { return l.Msg == r.Msg }); i >= 0 {
			n.Letters = slices.Delete(n.Letters, i, i+1)
		}
		if r.Kind == RecMark {
			n.Published++
		}
	case RecOffsetCommit:
		c := t.cursor(n, r.Node, r.Partition, r.From)
		c.Owner, c.Committed = r.From, r.Offset
	case RecRebalance:
		c := t.cursor(n, r.Node, r.Partition, r.To)
		c.Owner, c.Read, c.Committed = r.To, r.Offset, r.Offset
	}
}

// partition returns partition p of a topic's state, making room for it.
func (t *Timeline) partition(n *NodeState, p int32) *PartitionState {
	for int(p) >= len(n.Partitions) {
		ps := PartitionState{}
		for i := range ps.Keys {
			ps.Keys[i] = -1
		}
		n.Partitions = append(n.Partitions, ps)
	}
	return &n.Partitions[p]
}

// cursor returns the place in partition p of the group that consumer
// belongs to, making one for it.
func (t *Timeline) cursor(n *NodeState, topic, p, consumer int32) *GroupCursor {
	ps := t.partition(n, max(p, 0))
	group := t.groupOf[[2]int32{topic, consumer}]
	for i := range ps.Groups {
		if ps.Groups[i].Group == group {
			return &ps.Groups[i]
		}
	}
	ps.Groups = append(ps.Groups, GroupCursor{Group: group, Owner: -1})
	return &ps.Groups[len(ps.Groups)-1]
}

// Groups returns the consumer groups reading topic node: each one's name
// ("" for the edge's default, a group of its own) and members.
func (t *Timeline) Groups(topic int) []ConsumerGroup {
	var out []ConsumerGroup
	for _, e := range t.sc.Edges {
		if t.sc.NodeIndex(e.From) != topic {
			continue
		}
		member := int32(t.sc.NodeIndex(e.To))
		g := t.groupOf[[2]int32{int32(topic), member}]
		for int(g) >= len(out) {
			out = append(out, ConsumerGroup{})
		}
		out[g].Name = groupName(e.Group)
		out[g].Members = append(out[g].Members, member)
	}
	return out
}

// ConsumerGroup is a topic's consumer group: its members' node indexes.
type ConsumerGroup struct {
	Name    string
	Members []int32
}

// callsAfter returns the calls a node waits on once record r has happened
// there. Every send waits: a sync call for its reply, an async send for the
// broker's ack. The wait ends when the answer comes or the deadline passes;
// a crash ends them all, and a handler that fails or is cancelled stops
// waiting on the calls it made for its request.
func callsAfter(calls []Call, r *Record) []Call {
	switch r.Kind {
	case RecSend:
		return append(calls, Call{Msg: r.Msg, Req: r.Req, To: r.To, Mode: r.Mode, Since: r.At})
	case RecReceive, RecTimeout:
		for i := range calls {
			if calls[i].Msg == r.Msg {
				return slices.Delete(calls, i, i+1)
			}
		}
	case RecCrash:
		return calls[:0]
	case RecFail, RecCancel:
		if r.Kind == RecCancel && cancelStage(r.Value) != cancelHandling {
			break
		}
		return slices.DeleteFunc(calls, func(c Call) bool { return c.Req == r.Req })
	}
	return calls
}

// answered counts a client's reply or ack, record i.
func (t *Timeline) answered(s *State, i int) {
	r := &t.recs[i]
	switch r.Reason {
	case ReasonLate, ReasonCallerGone, ReasonStale:
		return
	case ReasonNone:
		s.Answered++
	default:
		if i+1 < len(t.recs) && t.recs[i+1].Kind == RecRetry && t.recs[i+1].Node == r.Node {
			return // the client tries again: not its final answer
		}
		s.Errors++
	}
	s.LastUserLatency = Duration(r.Value)
	s.MaxUserLatency = max(s.MaxUserLatency, s.LastUserLatency)
}
