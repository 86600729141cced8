package core

import "fmt"

// Options choose what a run keeps.
type Options struct {
	// Trace keeps every record of the run, for stepping and hashing. Off,
	// a run keeps only its metrics and is several times faster.
	Trace bool
}

// StopReason says why a run ended.
type StopReason string

// The ways a run ends.
const (
	StopRunning      StopReason = ""              // not ended yet
	StopCompleted    StopReason = "completed"     // nothing left to do
	StopTime         StopReason = "time limit"    // the clock reached Scenario.Until
	StopEventLimit   StopReason = "event limit"   // Limits.MaxEvents events were processed
	StopMessageLimit StopReason = "message limit" // Limits.MaxMessages messages were created
)

// Engine runs one scenario as a discrete-event simulation in virtual time.
// Drive it like etcd's raft: call Step to process one event and see what
// happened, RunUntil to go to a time, or Run to finish. It reads no clock,
// starts no goroutine and does no I/O, so the same scenario always gives
// the same trace, natively and in WebAssembly.
type Engine struct {
	sc      *Scenario
	now     Duration
	seq     uint64
	events  eventHeap
	nodes   []nodeRT
	edges   []edgeRT
	msgs    table[message]
	reqs    table[request]
	tracing bool
	trace   table[Record]
	// flat is Trace's contiguous copy of trace, extended on demand.
	flat []Record
	// stepBuf holds the current step's records when the full trace is off.
	stepBuf []Record
	// rec says whether records are wanted at all: with the trace off,
	// Run skips building them, which is most of the cost of an event.
	rec bool
	// stepOut says whether Step is collecting the current step's records.
	stepOut bool

	maxEvents, maxMessages int64
	processedEvents        int64
	stop                   StopReason
	stopDetail             string

	m metrics
}

type msgState uint8

const (
	msgInFlight msgState = iota // travelling, stored, waiting or being handled
	msgProcessed
	msgFailed
	msgDropped
)

type callState uint8

const (
	callPending   callState = iota // the sender still waits for the reply or ack
	callAnswered                   // the reply or ack arrived
	callAbandoned                  // the sender's deadline passed first
)

// message is one unit of work: a sync call or an async message. Replies
// and acks are not messages: they travel as events that name the message
// they answer.
type message struct {
	req      int32
	from, to int32 // sender and receiver on the current hop
	edge     int32 // edge of the current hop
	caller   int32 // message the sender is handling and that waits on this one; -1 for a client
	queue    int32 // queue that delivered it, -1 if none
	mode     CallMode
	state    msgState
	call     callState
	failed   bool
	attempt  int16
	nextCall int16 // sequential calls: index into the handler's out edges
	pending  int16 // calls still awaited
	sent     Duration
	arrived  Duration
	enqueued Duration // when a queue stored it
	started  Duration
}

type reqOutcome uint8

const (
	reqWaiting reqOutcome = iota
	reqOK
	reqFailed
	reqTimedOut
)

// request is one end-user request: everything a client's send causes
// carries its id (the correlation id).
type request struct {
	client  int32
	user    int32
	start   Duration
	userEnd Duration
	open    int32 // messages not yet ended, plus one while the client waits
	outcome reqOutcome
}

type edgeRT struct {
	from, to int32
	mode     CallMode
	lat      sampler
	rng      *stream
}

type consumer struct {
	edge, node int32
	credit     int32
}

type nodeRT struct {
	kind     Kind
	rng      *stream
	svc      sampler
	conc     int
	busy     int
	parallel bool
	failure  float64
	timeout  Duration
	out      []int32
	backlog  fifo

	// client
	wl       *Workload
	sent     int
	perUser  []int32
	phase    int
	phaseEnd Duration
	think    sampler

	// queue
	buf       fifo
	consumers []consumer
	rr        int
	unacked   int
	capacity  int

	st nodeStats
}

// NewEngine validates sc and prepares a run of it. The engine keeps its own
// copy of sc, so later changes to sc do not affect it.
func NewEngine(sc *Scenario, opt Options) (*Engine, error) {
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	sc = sc.Clone()
	e := &Engine{sc: sc, tracing: opt.Trace}
	e.maxEvents = sc.Limits.MaxEvents
	if e.maxEvents == 0 {
		e.maxEvents = DefaultMaxEvents
	}
	e.maxMessages = sc.Limits.MaxMessages
	if e.maxMessages == 0 {
		e.maxMessages = DefaultMaxMessages
	}
	index := make(map[string]int32, len(sc.Nodes))
	e.nodes = make([]nodeRT, len(sc.Nodes))
	for i := range sc.Nodes {
		n := &sc.Nodes[i]
		index[n.ID] = int32(i)
		rt := &e.nodes[i]
		rt.kind = n.Kind
		rt.rng = newStream(sc.Seed, "node:"+n.ID)
		rt.svc = compile(n.ServiceTime)
		rt.conc = n.EffectiveConcurrency()
		rt.parallel = n.ParallelCalls()
		rt.failure = n.FailureRate
		rt.timeout = n.Timeout
		rt.capacity = n.Capacity
		rt.wl = n.Workload
		rt.st.init()
	}
	e.edges = make([]edgeRT, len(sc.Edges))
	for i := range sc.Edges {
		ed := &sc.Edges[i]
		from, to := index[ed.From], index[ed.To]
		e.edges[i] = edgeRT{
			from: from, to: to, mode: callMode(ed.Mode), lat: compile(ed.Latency),
			rng: newStream(sc.Seed, "edge:"+ed.From+"->"+ed.To),
		}
		e.nodes[from].out = append(e.nodes[from].out, int32(i))
		if e.nodes[from].kind == Queue {
			e.nodes[from].consumers = append(e.nodes[from].consumers, consumer{edge: int32(i), node: to})
		}
	}
	for i := range e.nodes {
		e.startWorkload(int32(i))
	}
	for i := range e.nodes {
		q := &e.nodes[i]
		for c := range q.consumers {
			q.consumers[c].credit = int32(e.nodes[q.consumers[c].node].conc)
		}
	}
	e.m.init(len(sc.Nodes))
	return e, nil
}

// Scenario returns the engine's copy of the scenario it runs.
func (e *Engine) Scenario() *Scenario { return e.sc }

// Now returns the virtual time of the last processed event.
func (e *Engine) Now() Duration { return e.now }

// Done reports whether the run has ended.
func (e *Engine) Done() bool { return e.stop != StopRunning }

// Stopped says why the run ended, with a sentence of detail.
func (e *Engine) Stopped() (StopReason, string) { return e.stop, e.stopDetail }

// Trace returns every record so far (empty unless Options.Trace).
// The returned slice must not be changed.
func (e *Engine) Trace() []Record {
	for i := len(e.flat); i < e.trace.len(); i++ {
		e.flat = append(e.flat, *e.trace.at(int32(i)))
	}
	return e.flat
}

// TraceLen returns how many records the trace holds.
func (e *Engine) TraceLen() int { return e.trace.len() }

// Record returns the i-th record of the trace.
func (e *Engine) Record(i int) Record { return *e.trace.at(int32(i)) }

// Events returns how many events have been processed.
func (e *Engine) Events() int64 { return e.processedEvents }

// Step processes the next event and returns the records it produced
// (valid until the next call). It returns false once the run has ended.
func (e *Engine) Step() ([]Record, bool) {
	e.rec, e.stepOut = true, true
	e.stepBuf = e.stepBuf[:0]
	if !e.step() {
		return nil, false
	}
	return e.stepBuf, true
}

// RunUntil processes every event up to and including time t, or until the
// run ends. It reports whether the run can go on.
func (e *Engine) RunUntil(t Duration) bool {
	e.rec, e.stepOut = e.tracing, false
	for len(e.events) > 0 && e.events[0].at <= t {
		if !e.step() {
			return false
		}
	}
	if e.stop == StopRunning && t > e.now {
		if e.sc.Until > 0 && t > e.sc.Until {
			t = e.sc.Until
		}
		e.advance(t)
	}
	return e.stop == StopRunning
}

// Run processes events until the run ends and returns its report.
func (e *Engine) Run() *Report {
	e.rec, e.stepOut = e.tracing, false
	for e.step() {
	}
	return e.Report()
}

// Simulate validates and runs sc to the end.
func Simulate(sc *Scenario, opt Options) (*Report, []Record, error) {
	e, err := NewEngine(sc, opt)
	if err != nil {
		return nil, nil, err
	}
	r := e.Run()
	return r, e.Trace(), nil
}

func (e *Engine) step() bool {
	if e.stop != StopRunning {
		return false
	}
	switch {
	case len(e.events) == 0:
		detail := "every request has finished and nothing is left in flight"
		if stored := e.storedMessages(); stored > 0 {
			detail = fmt.Sprintf("nothing more can happen; %d messages wait in queues that no consumer takes from", stored)
		}
		e.end(StopCompleted, detail)
		return false
	case e.sc.Until > 0 && e.events[0].at > e.sc.Until:
		e.advance(e.sc.Until)
		e.end(StopTime, fmt.Sprintf("the clock reached until = %s", e.sc.Until))
		return false
	case e.processedEvents >= e.maxEvents:
		e.end(StopEventLimit, fmt.Sprintf("the run processed %d events, the limit (limits.maxEvents); shorten the workload or raise the limit", e.maxEvents))
		return false
	case int64(e.msgs.len()) >= e.maxMessages:
		e.end(StopMessageLimit, fmt.Sprintf("the run created %d messages, the limit (limits.maxMessages); shorten the workload or raise the limit", e.maxMessages))
		return false
	}
	ev := e.events.pop()
	e.advance(ev.at)
	e.processedEvents++
	switch ev.kind {
	case evGenerate:
		e.generate(ev.node, ev.aux)
	case evArrive:
		e.arrive(ev.node, ev.msg)
	case evFinish:
		e.finish(ev.node, ev.msg)
	case evReply:
		e.receive(ev.node, ev.msg, Reason(ev.aux))
	case evTimeout:
		e.timeout(ev.node, ev.msg)
	case evQueueAck:
		e.queueAck(ev.node, ev.msg, ev.aux)
	}
	return true
}

func (e *Engine) end(r StopReason, detail string) {
	e.stop, e.stopDetail = r, detail
	e.m.finish(e)
}

// advance moves the clock, integrating the time-weighted figures.
func (e *Engine) advance(t Duration) {
	if t > e.now {
		e.now = t
	}
}

func (e *Engine) schedule(at Duration, kind eventKind, node, msg, aux int32) {
	e.seq++
	e.events.push(event{at: at, seq: e.seq, kind: kind, node: node, msg: msg, aux: aux})
}

// emit records something that happened now, outside any partition.
func (e *Engine) emit(r Record) {
	e.emitInPartition(r, -1, -1)
}

// emitInPartition records something that happened now at an offset of a
// topic partition.
func (e *Engine) emitInPartition(r Record, partition int32, offset int64) {
	r.At = e.now
	r.Partition, r.Offset = partition, offset
	if e.tracing {
		e.trace.add(r)
	}
	if e.stepOut {
		e.stepBuf = append(e.stepBuf, r)
	}
}

// newMessage creates a message of request req from node from along edge.
func (e *Engine) newMessage(req, edge, caller int32) int32 {
	ed := &e.edges[edge]
	id := e.msgs.add(message{
		req: req, from: ed.from, to: ed.to, edge: edge, caller: caller, queue: -1,
		mode: ed.mode, attempt: 1, sent: e.now,
	})
	if req >= 0 {
		e.reqs.at(req).open++
	}
	e.m.produced++
	return id
}

// send puts message id on its edge: it arrives after the edge's latency.
func (e *Engine) send(id int32) {
	m := e.msgs.at(id)
	ed := &e.edges[m.edge]
	if e.rec {
		e.emit(Record{Kind: RecSend, Node: m.from, From: m.from, To: m.to, Msg: id, Req: m.req, Attempt: m.attempt, Mode: m.mode})
	}
	e.schedule(e.now+ed.lat.draw(ed.rng), evArrive, m.to, id, 0)
	if t := e.nodes[m.from].timeout; t > 0 {
		e.schedule(e.now+t, evTimeout, m.from, id, 0)
	}
}

// answer sends the reply (sync) or ack (async) for message id back to the
// node that sent it, arriving after the edge's latency.
func (e *Engine) answer(id int32, reason Reason) {
	m := e.msgs.at(id)
	ed := &e.edges[m.edge]
	kind := RecReply
	if m.mode == CallAsync {
		kind = RecAck
	}
	if e.rec {
		e.emit(Record{Kind: kind, Node: m.to, From: m.to, To: m.from, Msg: id, Req: m.req, Attempt: m.attempt, Mode: m.mode, Reason: reason})
	}
	e.schedule(e.now+ed.lat.draw(ed.rng), evReply, m.from, id, int32(reason))
}

// settle ends message id in a final state and, if it was the last thing
// its request had open, completes the request.
func (e *Engine) settle(id int32, s msgState) {
	m := e.msgs.at(id)
	m.state = s
	switch s {
	case msgProcessed:
		e.m.processed++
	case msgFailed:
		e.m.failed++
	case msgDropped:
		e.m.dropped++
	}
	e.closeOne(m.req)
}

func (e *Engine) closeOne(req int32) {
	if req < 0 {
		return
	}
	r := e.reqs.at(req)
	r.open--
	if r.open == 0 {
		lat := e.now - r.start
		e.m.completion = append(e.m.completion, lat)
		e.m.lastDone = e.now
		e.m.completed.add(e.now, 1)
		if e.rec {
			e.emit(Record{Kind: RecDone, Node: r.client, From: -1, To: -1, Msg: -1, Req: req, Value: int64(lat)})
		}
	}
}

func (e *Engine) storedMessages() int {
	n := 0
	for i := range e.nodes {
		n += e.nodes[i].buf.len()
	}
	return n
}
