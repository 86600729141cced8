package core

import (
	"cmp"
	"slices"
	"strings"

	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// Options choose what a run keeps.
type Options struct {
	// Trace keeps every record of the run, for stepping and hashing. Off,
	// a run keeps only its metrics and is several times faster.
	Trace bool
	// MaxMemory is about how many bytes the run may hold before it stops
	// with StopMemoryLimit; 0 means DefaultMaxMemory. See budget.go.
	MaxMemory int64
	// MaxRecords, if set, stops a traced run with StopTraceLimit when its
	// trace holds that many records.
	MaxRecords int64
	// Hash digests every record as it is made without keeping it, so an
	// untraced run still has a TraceHash (and TraceLen) equal to the
	// traced run's. Trace implies it.
	Hash bool
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
	StopHorizon      StopReason = "horizon"       // the next event lies past Horizon
	StopMemoryLimit  StopReason = "memory limit"  // the run would hold more than Options.MaxMemory
	StopTraceLimit   StopReason = "trace limit"   // the trace reached Options.MaxRecords records
)

// Engine runs one scenario as a discrete-event simulation in virtual time.
// Drive it like etcd's raft: call Step to process one event and see what
// happened, RunUntil to go to a time, or Run to finish. It reads no clock,
// starts no goroutine and does no I/O, so the same scenario always gives
// the same trace, natively and in WebAssembly.
type Engine struct {
	sc     *Scenario
	now    Duration
	seq    uint64
	events eventHeap
	// nowQ holds the events scheduled for the current instant, in the
	// order they were scheduled: they need no place in the heap (see
	// nextEvent).
	nowQ    []event
	nowHead int
	popped  event // the event nextEvent took from the heap
	nodes   []nodeRT
	edges   []edgeRT
	msgs    table[message]
	reqs    table[request]
	tracing bool
	trace   traceTable
	// hashing: every record is digested as it is emitted (Trace or Hash).
	hashing bool
	hasher  traceHasher
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
	maxMemory, maxRecords  int64
	processedEvents        int64
	stop                   StopReason
	stopDetail             string

	trackDupes bool
	keyed      bool            // some client sends keyed requests
	poisoned   bool            // some request is poison
	keySeqs    map[int64]int32 // next sequence number per (client, key)

	rc reclaimer // frees what an untraced run is done with (reclaim.go)

	m metrics
}

type msgState uint8

const (
	msgInFlight     msgState = iota // travelling, stored, waiting or being handled
	msgProcessed                    // handled (or, for a broker's message, acked)
	msgFailed                       // its handler failed and nobody will retry it
	msgDropped                      // refused or given up on, with a reason
	msgDeadLettered                 // held by a dead letter queue
	msgLost                         // gone without anyone knowing (dual write, a crash)
)

// phase says where an in-flight message is.
type phase uint8

const (
	phTransit   phase = iota // on an edge
	phWaiting                // waiting for a worker or a token
	phHandling               // being handled (service time or downstream calls)
	phStored                 // stored in a broker, an outbox or a DLQ
	phRetryWait              // back off before being delivered again
	phDone                   // settled
)

type callState uint8

const (
	callPending   callState = iota // the sender still waits for the reply or ack
	callAnswered                   // the reply or ack arrived
	callAbandoned                  // the sender's deadline passed first
)

// Special callers.
const (
	callerClient = -1 // a client waits for the answer
	callerNone   = -2 // nobody waits: copies, redrives, outbox rows
)

// message is one unit of work: one attempt of a sync call or an async
// send, a copy a bus or topic made, or an outbox row. Replies and acks are
// not messages: they travel as events that name the message they answer.
// Copies, retries and republished rows share their Event id, which is what
// idempotent consumers recognise.
type message struct {
	req, event int32 // its request carries its key
	from, to   int32 // sender and receiver on the current hop
	edge       int32 // edge of the current hop
	caller     int32 // message the sender is handling that waits on this one, callerClient or callerNone
	broker     int32 // broker holding or delivering it, -1 if none
	channel    int32 // which channel of the broker
	consumer   int32 // index of the consumer in the channel it was delivered to
	origin     int32 // outbox row a publish copy is of, or the row's current copy
	mode       CallMode
	state      msgState
	phase      phase
	call       callState
	refused    bool // the receiver refused it; the sender settles it
	unacked    bool // delivered by its broker, which waits for the ack
	skipped    bool // an idempotent consumer recognised it as a duplicate
	cancelled  bool // its deadline passed and its callee stopped work on it
	orphaned   bool // its broker took it back while a consumer held it; a copy went on
	reason     Reason
	attempt    int16    // the sender's attempt number, from 1
	receives   int16    // deliveries by its broker
	nextCall   int16    // sequential calls: index into the handler's out edges
	pending    int16    // calls still awaited
	delivery   int32    // current delivery's number, to recognise stale acks
	backoff    Duration // the last retry delay, for decorrelated jitter
	partition  int32
	offset     int64
	sent       Duration
	deadline   Duration // when its sender stops waiting for the answer; 0: never
	arrived    Duration
	started    Duration
	enqueued   Duration // when a broker stored it
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
	key     int32
	keySeq  int32
	index   int32 // the client's request number, from 0
	attempt int16
	poison  bool
	start   Duration
	userEnd Duration // when the client stopped waiting, -1 before
	doneAt  Duration // when nothing was left in flight, -1 before
	open    int32    // messages not yet ended, plus one while the client waits
	outcome reqOutcome
}

type edgeRT struct {
	from, to int32
	mode     CallMode
	lat      sampler
	rng      *stream
	spikes   []Fault // latency faults on this edge
}

type consumer struct {
	edge, node int32
	credit     int32
}

// channel is one FIFO of a broker with the consumers it delivers to: a
// queue has one, a bus one per subscriber, a topic one per partition and
// consumer group.
type channel struct {
	buf       fifo
	consumers []consumer
	rr        int
	unacked   int
	inOrder   bool // a topic partition: one message out at a time
	blocked   bool // a partition's head is backing off before redelivery
	partition int32
	group     int32
	committed int64   // next offset the group will read from this partition
	maxLag    int64   // the most records the group was behind on this partition
	done      []int32 // processed records since the last commit, oldest first
	replay    bool    // replay what is uncommitted when the record still out to a crashed or gone owner comes back
}

type nodeRT struct {
	kind Kind
	role role // what kind means to the engine's hot paths
	rng  *stream
	svc  sampler
	conc int
	busy int
	// maxWaiting is the longest backlog allowed; -1 is unbounded.
	maxWaiting int
	parallel   bool
	failure    float64
	timeout    Duration
	retry      *RetryPolicy
	out        []int32
	backlog    fifo
	// honoursCancel: the handler stops work on a call whose deadline
	// passed; cancelledWaiting counts such calls still in backlog, skipped
	// when their turn comes.
	honoursCancel    bool
	cancelledWaiting int

	down       bool
	downAt     Duration // when it last went down
	epoch      int32    // bumped by a crash, so work scheduled before it is ignored
	idempotent bool
	requeue    bool // on failure a consumer nacks for redelivery (else to the DLQ)
	ignoreSend bool // async send errors are ignored (dual write)
	seen       bitset
	lastKeySeq map[int64]int32
	lostAcks   []Fault

	// client
	wl       *Workload
	open     bool // wl is Poisson or Schedule: each request schedules the next
	phased   bool // wl is Schedule
	closed   bool // wl is Closed: each answer schedules the user's next
	sent     int
	perUser  []int32
	phase    int
	phaseEnd Duration
	think    sampler
	poison   map[int]bool

	// broker
	chans       []channel
	stored      int // messages stored in all channels
	capacity    int
	visibility  Duration
	maxRecv     int
	dlqEdge     int32 // -1 if none
	partitions  int
	partNext    []int64   // next offset per partition
	groupLag    []int64   // per consumer group: records written, not yet committed, over all partitions
	members     [][]int32 // per consumer group: its members' edges, in the order rangeAssign sees them
	session     Duration  // how long a silent member stays in its group
	commitEvery int       // records between offset commits
	lagSeries   []Series  // per consumer group: groupLag over time
	rrPart      int       // round robin: the next partition; sticky: the current batch's
	sticky      *stream   // sticky: draws each batch's partition; nil for round robin
	batchLeft   int       // sticky: records the current batch still takes
	batchSize   int

	// outbox
	rows       fifo    // unpublished rows, oldest first
	publishing []int32 // rows published and not yet marked
	interval   Duration
	batch      int
	polling    bool // a poll is scheduled

	// dlq
	held []int32

	// rate limiter (GCRA): tat is the theoretical arrival time
	tat, tick, tolerance Duration
	waitTokens           fifo
	tokenScheduled       bool
	waitForTokens        bool

	st nodeStats
}

// role is what a node's Kind means where every event asks, as a number:
// comparing kinds compares strings, byte by byte in WebAssembly.
type role uint8

const (
	roleWorkers role = iota // gateway, service, database, worker
	roleBroker              // queue, bus, topic
	roleOutbox
	roleLimiter
	roleDLQ
	roleClient
)

func roleOf(k Kind) role {
	switch {
	case isBroker(k):
		return roleBroker
	case k == Outbox:
		return roleOutbox
	case k == RateLimiter:
		return roleLimiter
	case k == DLQ:
		return roleDLQ
	case k == Client:
		return roleClient
	}
	return roleWorkers
}

// bitset is a growable set of small non-negative integers.
type bitset []uint64

func (b *bitset) has(i int32) bool {
	w := int(i >> 6)
	return w < len(*b) && (*b)[w]&(1<<(i&63)) != 0
}

func (b *bitset) set(i int32) {
	w := int(i >> 6)
	for len(*b) <= w {
		*b = append(*b, 0)
	}
	(*b)[w] |= 1 << (i & 63)
}

// NewEngine validates sc and prepares a run of it. The engine keeps its own
// copy of sc, so later changes to sc do not affect it.
func NewEngine(sc *Scenario, opt Options) (*Engine, error) {
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	sc = sc.Clone()
	e := &Engine{sc: sc, tracing: opt.Trace, hashing: opt.Trace || opt.Hash}
	e.maxEvents = sc.Limits.MaxEvents
	if e.maxEvents == 0 {
		e.maxEvents = DefaultMaxEvents
	}
	e.maxMessages = sc.Limits.MaxMessages
	if e.maxMessages == 0 {
		e.maxMessages = DefaultMaxMessages
	}
	e.maxMemory, e.maxRecords = opt.MaxMemory, opt.MaxRecords
	if e.maxMemory <= 0 {
		e.maxMemory = DefaultMaxMemory
	}
	index := make(map[string]int32, len(sc.Nodes))
	e.nodes = make([]nodeRT, len(sc.Nodes))
	for i := range sc.Nodes {
		n := &sc.Nodes[i]
		index[n.ID] = int32(i)
		rt := &e.nodes[i]
		rt.kind, rt.role = n.Kind, roleOf(n.Kind)
		rt.rng = newStream(sc.Seed, "node:"+n.ID)
		rt.svc = compile(n.ServiceTime)
		rt.conc = n.EffectiveConcurrency()
		rt.maxWaiting = -1
		if n.MaxWaiting != nil {
			rt.maxWaiting = *n.MaxWaiting
		}
		rt.parallel = n.ParallelCalls()
		rt.failure = n.FailureRate
		rt.timeout = n.Timeout
		rt.retry = n.Retry
		rt.capacity = n.Capacity
		rt.visibility = n.VisibilityTimeout
		rt.maxRecv = n.MaxReceiveCount
		if n.Kind == Topic && n.Retry != nil {
			// A topic's consumers retry a failed record in place this
			// many times in all, then dead-letter it.
			rt.maxRecv = n.Retry.resolved().MaxAttempts
		}
		rt.idempotent = n.Idempotent
		rt.honoursCancel = !n.IgnoresCancellation && hasWorkers(n.Kind)
		rt.requeue = n.OnFailure != DeadLetter
		rt.ignoreSend = n.OnSendError == Ignore
		rt.dlqEdge = -1
		rt.wl = n.Workload
		if rt.wl != nil {
			rt.open = rt.wl.Type == Poisson || rt.wl.Type == Schedule
			rt.phased = rt.wl.Type == Schedule
			rt.closed = rt.wl.Type == Closed
		}
		rt.st.init()
		switch n.Kind {
		case Topic:
			rt.partitions = max(n.Partitions, 1)
			rt.session = cmp.Or(n.SessionTimeout, defaultSessionTimeout)
			rt.commitEvery = max(n.CommitEvery, 1)
			rt.partNext = make([]int64, rt.partitions)
			if n.Partitioner != RoundRobin {
				rt.sticky = newStream(sc.Seed, "partitioner:"+n.ID)
				rt.batchSize = cmp.Or(n.BatchRecords, defaultBatchRecords)
			}
		case Outbox:
			rt.interval, rt.batch = n.Interval, n.Batch
			if rt.interval == 0 {
				rt.interval = defaultOutboxInterval
			}
			if rt.batch == 0 {
				rt.batch = defaultOutboxBatch
			}
		case RateLimiter:
			rt.tick = toDuration(float64(Second) / n.Rate)
			rt.tolerance = rt.tick * Duration(max(n.Burst, 1)-1)
			rt.waitForTokens = n.OnLimit == Wait
		}
	}
	e.edges = make([]edgeRT, len(sc.Edges))
	for i := range sc.Edges {
		ed := &sc.Edges[i]
		from, to := index[ed.From], index[ed.To]
		e.edges[i] = edgeRT{
			from: from, to: to, mode: callMode(ed.Mode), lat: compile(ed.Latency),
			rng: newStream(sc.Seed, "edge:"+ed.From+"->"+ed.To),
		}
		if e.nodes[to].kind == DLQ {
			e.nodes[from].dlqEdge = int32(i)
			continue
		}
		e.nodes[from].out = append(e.nodes[from].out, int32(i))
	}
	for i := range e.nodes {
		e.setUpChannels(int32(i))
	}
	for i := range e.nodes {
		e.startWorkload(int32(i))
	}
	e.scheduleFaults(index)
	for i, n := range sc.Nodes {
		for _, t := range n.RedriveAt {
			e.schedule(t, evRedrive, int32(i), -1, 0)
		}
	}
	// Duplicates can only happen where something resends; only then is
	// it worth remembering which events each node has handled.
	e.trackDupes = len(sc.Faults) > 0
	for _, f := range sc.Faults {
		e.poisoned = e.poisoned || f.Type == Poison
	}
	for _, n := range sc.Nodes {
		if n.Retry != nil || n.VisibilityTimeout > 0 || n.Kind == Outbox || n.Idempotent || n.CommitEvery > 1 {
			e.trackDupes = true
		}
		e.keyed = e.keyed || n.Workload != nil && n.Workload.Keys > 0
	}
	e.m.init(len(sc.Nodes))
	e.rc.setUp(opt, sc)
	return e, nil
}

// setUpChannels gives a broker its channels: one for a queue, one per
// subscriber for a bus, one per partition and consumer group for a topic.
func (e *Engine) setUpChannels(b int32) {
	n := &e.nodes[b]
	credit := func(ed int32) consumer {
		to := e.edges[ed].to
		return consumer{edge: ed, node: to, credit: int32(e.nodes[to].conc)}
	}
	switch n.kind {
	case Queue:
		ch := channel{group: -1, partition: -1}
		for _, ed := range n.out {
			ch.consumers = append(ch.consumers, credit(ed))
		}
		n.chans = []channel{ch}
	case Bus:
		for _, ed := range n.out {
			n.chans = append(n.chans, channel{consumers: []consumer{credit(ed)}, group: -1, partition: -1})
		}
	case Topic:
		// Consumer groups in order of first appearance; each splits the
		// partitions among its members by Kafka's range assignment.
		var groups []string
		members := map[string][]int32{}
		for _, ed := range n.out {
			g := e.sc.Edges[ed].Group
			if g == "" {
				g = "group"
			}
			if _, ok := members[g]; !ok {
				groups = append(groups, g)
			}
			members[g] = append(members[g], ed)
		}
		if len(groups) == 0 {
			groups = []string{""} // records are kept even with nobody reading
		}
		for gi, g := range groups {
			ids := make([]string, len(members[g]))
			for i, ed := range members[g] {
				ids[i] = e.sc.Nodes[e.edges[ed].to].ID
			}
			owner := make([]int32, n.partitions)
			for i := range owner {
				owner[i] = -1
			}
			for i, parts := range rangeAssign(n.partitions, ids) {
				for _, p := range parts {
					owner[p] = members[g][i]
				}
			}
			n.members = append(n.members, members[g])
			for p := range n.partitions {
				ch := channel{inOrder: true, partition: int32(p), group: int32(gi)}
				if owner[p] >= 0 {
					c := credit(owner[p])
					c.credit = 1 // one record of a partition at a time: order
					ch.consumers = []consumer{c}
				}
				n.chans = append(n.chans, ch)
			}
		}
	}
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
	e.CopySome(e.trace.len())
	// Without room to append: a caller's append copies rather than
	// writing where the run's next records go.
	return e.flat[:len(e.flat):len(e.flat)]
}

// Record returns the i-th record of the trace.
func (e *Engine) Record(i int) Record { return e.trace.at(int32(i)) }

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
	e.rec, e.stepOut = e.hashing, false
	for at, ok := e.nextAt(); ok && at <= t; at, ok = e.nextAt() {
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
	e.Finish()
	return e.Report()
}

// Finish processes events until the run ends, without building a report
// (the player needs only the trace, and its hash).
func (e *Engine) Finish() {
	e.rec, e.stepOut = e.hashing, false
	for e.step() {
	}
}

// TraceHash returns a digest of the trace so far ("" without a trace or
// Options.Hash): two runs with the same hash did the same thing. Records
// are digested as they are emitted, so this only finishes the digest.
func (e *Engine) TraceHash() string {
	if !e.hashing {
		return ""
	}
	return e.hasher.sum()
}

// TraceLen returns how many records the run has emitted so far, kept or
// not (0 without a trace or Options.Hash).
func (e *Engine) TraceLen() int64 { return e.hasher.n }

// HashSome is kept for pages that prepared a run in slices: the trace is
// digested as it is emitted, so it has always caught up.
func (e *Engine) HashSome(n int) bool { return true }

// CopySome extends the contiguous copy that Trace returns by at most n
// records and reports whether it holds the whole trace so far: Trace then
// has nothing left to copy.
func (e *Engine) CopySome(n int) bool {
	if flat, ok := e.trace.contiguous(); ok {
		e.flat = flat // nothing to copy (records_js.go)
		return true
	}
	if cap(e.flat) < e.trace.len() {
		// One allocation for the whole copy: growing by doubling would
		// copy a hundred megabytes at a time, all in one pause.
		e.flat = slices.Grow(e.flat, e.trace.len()-len(e.flat))
	}
	for end := min(len(e.flat)+max(n, 1), e.trace.len()); len(e.flat) < end; {
		e.flat = append(e.flat, e.trace.at(int32(len(e.flat))))
	}
	if len(e.flat) < e.trace.len() {
		return false
	}
	e.trace.share(e.flat)
	return true
}

// ReserveTrace makes room up front for the trace the run is expected to
// make: twice the records per request so far (a pilot's) times the
// requests its clients will seldom exceed (mostRequests: Poisson arrivals
// planned at 91,000 sent 91,530 in a sandbox's spike, whose trace the
// planned count left 4,500 records short), at most MaxRecords. A pilot
// sees requests whose records are mostly still to come (a traffic spike
// of 100,000 requests counts 6.01 records a request in its pilot, 12 in
// all). More room would cost memory when the tab reuses it (Go zeroes
// it): three times took a tab that reopened that spike three times from
// 402 to 512 MB of WASM memory. Where the trace keeps records unpacked
// (WebAssembly), they then go straight into the slice that Trace returns,
// with no copy at the end; elsewhere, and for a run without the trace, it
// does nothing. A wrong guess changes nothing but the memory and copying
// it saves: past the room, records go to chunks and are copied as before.
func (e *Engine) ReserveTrace() { e.reserveTrace(e.traceRoom()) }

// traceRoom is the records ReserveTrace makes room for (before the cap).
func (e *Engine) traceRoom() int64 {
	if e.m.started == 0 {
		return 0
	}
	return int64(2 * float64(e.trace.len()) / float64(e.m.started) * mostRequests(e.sc))
}

// reserveTrace makes room for about n records in all.
func (e *Engine) reserveTrace(n int64) {
	if !e.tracing || n <= 0 {
		return
	}
	if e.maxRecords > 0 {
		n = min(n, e.maxRecords)
	}
	e.trace.reserve(int(min(n, 1<<26)))
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
	if reclaiming && e.rc.due(e.processedEvents) {
		e.sweep()
	}
	next, pending := e.nextAt()
	switch {
	case !pending:
		e.end(StopCompleted, e.completedDetail())
		return false
	case e.sc.Until > 0 && next > e.sc.Until:
		e.advance(e.sc.Until)
		e.end(StopTime, fmtlite.Sprintf("the clock reached until = %s", e.sc.Until))
		return false
	case next > Horizon:
		e.end(StopHorizon, fmtlite.Sprintf("the next event would happen after %s; nothing later is simulated", horizonText))
		return false
	case e.processedEvents >= e.maxEvents:
		e.end(StopEventLimit, fmtlite.Sprintf("the run processed %d events, the limit (limits.maxEvents); shorten the workload or raise the limit", e.maxEvents))
		return false
	case int64(e.msgs.len()) >= e.maxMessages:
		e.end(StopMessageLimit, fmtlite.Sprintf("the run created %d messages, the limit (limits.maxMessages); shorten the workload or raise the limit", e.maxMessages))
		return false
	case (e.tracing && e.maxRecords > 0 || e.processedEvents%memoryCheckEvery == 0) && e.overBudget():
		// Asked here first: a call at every event costs in WebAssembly,
		// and overBudget has something to check only on these.
		return false
	}
	// Read into variables at once: the slot is reused as soon as a
	// handler schedules an event (see nextEvent).
	p := e.nextEvent()
	ev := struct {
		at             Duration
		kind           eventKind
		node, msg, aux int32
	}{p.at, p.kind, p.node, p.msg, p.aux}
	if reclaiming && e.rc.on && namesMessage(ev.kind, ev.msg) {
		e.rc.unpin(ev.msg)
	}
	e.advance(ev.at)
	e.processedEvents++
	switch ev.kind {
	case evGenerate:
		e.generate(ev.node, ev.aux)
	case evArrive:
		e.arrive(ev.node, ev.msg)
	case evFinish:
		e.finish(ev.node, ev.msg, ev.aux)
	case evReply:
		e.receive(ev.node, ev.msg, Reason(ev.aux))
	case evTimeout:
		e.timeout(ev.node, ev.msg)
	case evBrokerAck:
		e.brokerAcked(ev.node, ev.msg, ev.aux)
	case evVisibility:
		e.visibilityExpired(ev.node, ev.msg, ev.aux)
	case evRequeue:
		e.requeue(ev.node, ev.msg)
	case evRetry:
		e.retryNow(ev.msg)
	case evPoll:
		e.poll(ev.node)
	case evMark:
		e.mark(ev.node, ev.msg, ev.aux)
	case evFault:
		e.fault(int(ev.aux), ev.msg == 1)
	case evRedrive:
		e.redrive(ev.node)
	case evToken:
		e.releaseToken(ev.node)
	case evRebalance:
		e.rebalance(ev.node)
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
	if at < e.now {
		// Only a sum that wrapped could go back in time, and the bounds
		// of horizon.go rule that out; should one slip through, the run
		// stops at the horizon instead of replaying the past.
		at = Horizon + 1
	}
	e.seq++
	if reclaiming && e.rc.on && namesMessage(kind, msg) {
		e.rc.pin(msg)
	}
	// The event is written where it goes, a field at a time (see place).
	var ev *event
	if nowQueue && at == e.now {
		e.nowQ = append(e.nowQ, event{})
		ev = &e.nowQ[len(e.nowQ)-1]
	} else {
		ev = e.events.place(at, e.seq)
	}
	ev.at, ev.seq, ev.kind, ev.node, ev.msg, ev.aux = at, e.seq, kind, node, msg, aux
}

// nextAt returns the time of the next event, and false if there is none.
func (e *Engine) nextAt() (Duration, bool) {
	if nowQueue && e.nowHead < len(e.nowQ) {
		return e.now, true
	}
	if len(e.events) > 0 {
		return e.events[0].at, true
	}
	return 0, false
}

// nextEvent removes and returns the next event in (time, sequence) order.
// An event scheduled with no delay goes to nowQ, not the heap: it is due
// at the current instant, after everything already scheduled for it. The
// heap can still hold events for this instant, scheduled earlier (with a
// delay that ended now): those have smaller sequence numbers, so they go
// first. The clock does not move while nowQ holds anything, since the
// heap's events for later instants wait until it is empty. The order is
// the heap's alone would give, so the trace does not change.
//
// It returns the event where it lies, valid only until the next event is
// scheduled: a copy returned by value was stored a field at a time and
// read back 16 bytes at a time, a stall that perf put at a third of
// Engine.step (see eventHeap.place).
func (e *Engine) nextEvent() *event {
	if nowQueue && e.nowHead < len(e.nowQ) && (len(e.events) == 0 || e.events[0].at > e.now) {
		ev := &e.nowQ[e.nowHead]
		e.nowHead++
		if e.nowHead == len(e.nowQ) {
			e.nowQ, e.nowHead = e.nowQ[:0], 0
		}
		return ev
	}
	e.events.popTo(&e.popped)
	return &e.popped
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
	if e.hashing {
		if e.tracing && e.maxRecords > 0 && int64(e.trace.len()) >= e.maxRecords {
			// The trace is full: the run stops before the next event,
			// and the trace (and its hash) ends here, mid-step.
			return
		}
		e.hasher.record(&r)
		if e.tracing {
			e.trace.add(&r)
		}
	}
	if e.stepOut {
		e.stepBuf = append(e.stepBuf, r)
	}
}

// newMessage creates a message of request req from node from along edge.
func (e *Engine) newMessage(req, edge, caller int32) int32 {
	ed := &e.edges[edge]
	e.reopen(req)
	// Written in place (table.next): a message is large, and the
	// browser's build, which does not inline, paid for two copies and
	// two calls with add. Cleared, then written field by field: a
	// message built aside was copied in with 16-byte loads of fields just
	// stored four bytes at a time, which the store buffer cannot forward
	// (perf: half of this function).
	m := e.msgs.next()
	id := int32(e.msgs.len() - 1)
	*m = message{}
	m.req, m.event, m.from, m.to, m.edge, m.caller = req, id, ed.from, ed.to, edge, caller
	m.broker, m.channel, m.consumer, m.origin, m.partition, m.offset = -1, -1, -1, -1, -1, -1
	m.mode, m.attempt, m.sent = ed.mode, 1, e.now
	e.m.produced++
	if reclaiming && e.rc.on {
		e.rc.newMessage(id, req, caller)
	}
	return id
}

// copyMessage makes a new message of the same event as message id, for a
// bus subscriber, another consumer group, or an outbox publish.
func (e *Engine) copyMessage(id, edge int32) int32 {
	c := e.newMessage(e.msgs.at(id).req, edge, callerNone)
	m, cm := e.msgs.at(id), e.msgs.at(c)
	cm.event = m.event
	return c
}

// latency draws the one-way latency of edge now, spikes included.
func (e *Engine) latency(edge int32) Duration {
	ed := &e.edges[edge]
	d := ed.lat.constant // most latencies are (the default is 0): no call
	if ed.lat.kind != drawConstant {
		d = ed.lat.draw(ed.rng)
	}
	for _, f := range ed.spikes {
		if e.now >= f.At && e.now < f.Until {
			d += f.Add
		}
	}
	return d
}

// send puts message id on its edge: it arrives after the edge's latency.
func (e *Engine) send(id int32) {
	m := e.msgs.at(id)
	if e.rec {
		e.emit(Record{Kind: RecSend, Node: m.from, From: m.from, To: m.to, Msg: id, Req: m.req, Attempt: m.attempt, Mode: m.mode})
	}
	m.phase, m.sent, m.call = phTransit, e.now, callPending
	e.schedule(e.now+e.latency(m.edge), evArrive, m.to, id, 0)
	if m.deadline = e.deadline(m); m.deadline > 0 {
		e.schedule(m.deadline, evTimeout, m.from, id, 0)
	}
}

// deadline returns when the sender of message m, about to be sent, stops
// waiting for its answer (0: never): its own timeout from now, or, for a
// sync call made while handling a message that has a deadline, that
// deadline if it comes first. A deadline propagates to the calls made on
// its behalf as the remaining time, not a fresh timeout, so a call made
// after it has passed fails at once. gRPC does this (automatically in Go
// and Java: https://grpc.io/docs/guides/deadlines/#deadline-propagation).
func (e *Engine) deadline(m *message) Duration {
	if m.caller == callerNone {
		return 0
	}
	var d Duration
	if t := e.nodes[m.from].timeout; t > 0 {
		d = e.now + t
	}
	if m.caller >= 0 && m.mode == CallSync {
		if up := e.msgs.at(m.caller).deadline; up > 0 && (d == 0 || up < d) {
			d = max(up, e.now)
		}
	}
	return d
}

// answer sends the reply (sync) or ack (async) for message id back to the
// node that sent it, arriving after the edge's latency.
func (e *Engine) answer(id int32, reason Reason) {
	m := e.msgs.at(id)
	e.answerOn(id, m.to, m.from, m.edge, reason)
}

// answerOn sends the answer for message id from node at back to sender
// along edge.
func (e *Engine) answerOn(id, at, sender, edge int32, reason Reason) {
	m := e.msgs.at(id)
	kind := RecReply
	if m.mode == CallAsync {
		kind = RecAck
	}
	if e.rec {
		e.emit(Record{Kind: kind, Node: at, From: at, To: sender, Msg: id, Req: m.req, Attempt: m.attempt, Mode: m.mode, Reason: reason})
	}
	e.schedule(e.now+e.latency(edge), evReply, sender, id, int32(reason))
}

// settle ends message id in a final state and, if it was the last thing
// its request had open, completes the request.
func (e *Engine) settle(id int32, s msgState) {
	m := e.msgs.at(id)
	if reclaiming && e.rc.on {
		e.rc.settled(id, m.state, s)
	}
	m.state, m.phase = s, phDone
	e.m.settled[s]++
	e.closeOne(m.req)
}

// unsettle puts a dead-lettered message back in flight (a redrive).
func (e *Engine) unsettle(id int32) {
	m := e.msgs.at(id)
	e.m.settled[m.state]--
	if reclaiming && e.rc.on {
		e.rc.settled(id, m.state, msgInFlight)
	}
	m.state = msgInFlight
	e.reopen(m.req)
}

// reopen counts one more thing open for request req: if it had finished
// (a redrive, or an outbox row published after it), its completion
// figures are taken back until it finishes again.
func (e *Engine) reopen(req int32) {
	r := e.reqs.at(req)
	if r.open == 0 && r.doneAt >= 0 {
		if reclaiming && e.rc.on {
			e.rc.requestReopened(req)
		}
		e.m.completion.remove(r.doneAt - r.start)
		if r.userEnd >= 0 {
			e.m.staleness.remove(r.doneAt - r.userEnd)
		}
	}
	r.open++
}

func (e *Engine) closeOne(req int32) {
	r := e.reqs.at(req)
	r.open--
	if r.open == 0 {
		r.doneAt = e.now
		e.m.completion.add(r.doneAt - r.start)
		if reclaiming && e.rc.on {
			e.rc.requestDone(req)
		}
		if r.userEnd >= 0 {
			e.m.staleness.add(r.doneAt - r.userEnd)
		}
		e.m.lastDone = e.now
		e.m.completed.add(e.now, 1)
		if e.rec {
			e.emit(Record{Kind: RecDone, Node: r.client, From: -1, To: -1, Msg: -1, Req: req, Value: int64(e.now - r.start)})
		}
	}
}

// heldMessages counts the messages brokers and outboxes hold: waiting in
// a channel or an outbox table, and delivered but not yet acknowledged.
// When nothing more is scheduled, they are what is left.
func (e *Engine) heldMessages() (waiting, unacked int) {
	for i := range e.nodes {
		for c := range e.nodes[i].chans {
			waiting += e.nodes[i].chans[c].buf.len()
			unacked += e.nodes[i].chans[c].unacked
		}
		waiting += e.nodes[i].rows.len()
	}
	return waiting, unacked
}

// completedDetail says what a run that ran out of things to do left behind.
func (e *Engine) completedDetail() string {
	waiting, unacked := e.heldMessages()
	stuck := e.m.started - e.m.ok - e.m.errors - e.m.timedOut
	if waiting+unacked == 0 && stuck == 0 {
		return "every request has finished and nothing is left in flight"
	}
	var parts []string
	if waiting > 0 {
		parts = append(parts, fmtlite.Sprintf("%d messages wait where nobody will take them (a queue or partition without a consumer)", waiting))
	}
	if unacked > 0 {
		parts = append(parts, fmtlite.Sprintf("%d wait for an ack that will never come (a lost ack, and no visibility timeout to deliver them again)", unacked))
	}
	if stuck > 0 {
		parts = append(parts, fmtlite.Sprintf("%d clients wait for answers that will never come (their request was lost, and they have no timeout)", stuck))
	}
	return "nothing more can happen: " + strings.Join(parts, "; ")
}
