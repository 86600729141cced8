package core

import (
	"cmp"
	"slices"

	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// nodeStats accumulates one node's figures as the run goes.
type nodeStats struct {
	arrivals, departures int64
	failed               int64
	rejected             int64   // turned away for a full waiting line
	inNode               int64   // messages at the node now (waiting or handled)
	maxInNode            int64   //
	area                 float64 // ∫ inNode dt, in message·nanoseconds
	busyArea             float64 // ∫ busy workers dt
	busy                 int64
	lastIn, lastBusy     Duration
	sojournSum, waitSum  durationSum
	starts               int64       // messages that stopped waiting (taken by a worker or a consumer)
	cancelled            int64       // calls it stopped work on when their deadline passed
	wasted               durationSum // worker time on calls nobody waited for any more
	depth                Series      // waiting messages over time
	maxDepth             int64
}

func (s *nodeStats) init() { s.depth = newSeries(false) }

func (s *nodeStats) integrate(now Duration) {
	s.area += float64(s.inNode) * float64(now-s.lastIn)
	s.lastIn = now
}

func (s *nodeStats) enter(now Duration) {
	s.integrate(now)
	s.arrivals++
	s.inNode++
	s.maxInNode = max(s.maxInNode, s.inNode)
}

func (s *nodeStats) leave(now, sojourn Duration) {
	s.integrate(now)
	s.departures++
	s.inNode--
	s.sojournSum.add(sojourn)
}

func (s *nodeStats) busyChange(now Duration, busy int) {
	s.busyArea += float64(s.busy) * float64(now-s.lastBusy)
	s.lastBusy = now
	s.busy = int64(busy)
}

func (s *nodeStats) backlog(now Duration, n int) {
	s.depth.observe(now, int64(n))
	s.maxDepth = max(s.maxDepth, int64(n))
}

// metrics accumulates the run's figures.
type metrics struct {
	started, ok, errors, timedOut int64
	produced                      int64
	settled                       [msgLost + 1]int64 // messages by final state
	dropReasons, lostReasons      [reasonCount]int64
	retried, redelivered          int64
	dupProcessed, dupSkipped      int64
	outOfOrder                    int64
	user, userOK                  latencies
	// completion and staleness take each request's figures when it has
	// nothing left in flight (and give them back if a redrive reopens it).
	completion, staleness latencies
	lastDone              Duration
	completed             Series
	ended                 bool
}

func (m *metrics) init(nodes int) { m.completed = newSeries(true) }

// finish closes the time integrals at the end of the run.
func (m *metrics) finish(e *Engine) {
	if m.ended {
		return
	}
	m.ended = true
	for i := range e.nodes {
		st := &e.nodes[i].st
		st.integrate(e.now)
		st.busyChange(e.now, int(st.busy))
	}
}

// Summary describes a set of durations.
type Summary struct {
	Count int64    `json:"count"`
	Mean  Duration `json:"mean"`
	Min   Duration `json:"min"`
	P50   Duration `json:"p50"`
	P95   Duration `json:"p95"`
	P99   Duration `json:"p99"`
	Max   Duration `json:"max"`
	// Quantiles are the values at 0%, 5%, 10% … 100% (nearest rank): the
	// distribution's shape, for a CDF chart.
	Quantiles []Duration `json:"quantiles,omitempty"`
}

// quantileSteps is how many equal steps Summary.Quantiles takes from 0% to 100%.
const quantileSteps = 20

// summarize computes a Summary; percentiles are nearest-rank on a sorted
// copy, so they are always values that occurred.
func summarize(ds []Duration) Summary { return summarizeOwned(slices.Clone(ds)) }

// summarizeOwned is summarize for a slice the caller gives away: it is
// sorted in place.
func summarizeOwned(s []Duration) Summary {
	if len(s) == 0 {
		return Summary{}
	}
	var sum float64
	lo, hi := s[0], s[0]
	for _, d := range s {
		sum += float64(d)
		lo, hi = min(lo, d), max(hi, d)
	}
	if lo != hi {
		sortDurations(s, hi)
	}
	rank := func(p float64) Duration {
		i := int(p*float64(len(s))+0.999999999) - 1
		return s[min(max(i, 0), len(s)-1)]
	}
	q := make([]Duration, quantileSteps+1)
	for i := range q {
		q[i] = rank(float64(i) / quantileSteps)
	}
	q[0] = lo
	return Summary{
		Count: int64(len(s)), Mean: Duration(sum/float64(len(s)) + 0.5), Min: lo,
		P50: rank(0.50), P95: rank(0.95), P99: rank(0.99), Max: hi, Quantiles: q,
	}
}

// Counts says where every message of a run ended. Conservation:
// Produced = Processed + Failed + Dropped + DeadLettered + Lost + InFlight.
type Counts struct {
	Produced     int64 `json:"produced"`
	Processed    int64 `json:"processed"`
	Failed       int64 `json:"failed"`
	Dropped      int64 `json:"dropped"`
	DeadLettered int64 `json:"deadLettered"`
	Lost         int64 `json:"lost"`
	InFlight     int64 `json:"inFlight"`
	// Stored counts the in-flight messages a broker or an outbox holds:
	// waiting to be delivered, or delivered and waiting for an ack.
	Stored int64 `json:"stored"`
	// DropReasons and LostReasons count dropped and lost messages by reason.
	DropReasons map[string]int64 `json:"dropReasons,omitempty"`
	LostReasons map[string]int64 `json:"lostReasons,omitempty"`
	// Retried counts retries scheduled (by callers, and by brokers after a
	// nack); Redelivered counts messages a broker delivered again.
	Retried     int64 `json:"retried"`
	Redelivered int64 `json:"redelivered"`
	// DuplicatesProcessed counts events a node handled again;
	// DuplicatesSkipped those an idempotent consumer recognised.
	DuplicatesProcessed int64 `json:"duplicatesProcessed"`
	DuplicatesSkipped   int64 `json:"duplicatesSkipped"`
	// OutOfOrder counts messages that started at a node after a later
	// message of the same key.
	OutOfOrder int64 `json:"outOfOrder"`
}

// DeadLetterEntry is one message a dead letter queue holds at the end.
type DeadLetterEntry struct {
	DLQ        string   `json:"dlq"`
	Msg        int32    `json:"msg"`
	Req        int32    `json:"req"`
	Event      int32    `json:"event"`
	Key        int32    `json:"key,omitempty"`
	From       string   `json:"from"`       // the queue or topic it came from
	Deliveries int16    `json:"deliveries"` // how many times it was delivered
	Reason     string   `json:"reason"`     // the last error
	At         Duration `json:"at"`         // when it arrived in the DLQ
}

// PartitionReport is one partition of a topic for one consumer group.
type PartitionReport struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Group     int32  `json:"group"`
	Consumer  string `json:"consumer,omitempty"`
	End       int64  `json:"end"`       // the next offset to be written
	Committed int64  `json:"committed"` // the next offset the group will read
	Lag       int64  `json:"lag"`
	MaxLag    int64  `json:"maxLag"` // the most records the group was behind on it
}

// GroupLag is how far one consumer group was behind on a topic, over all
// its partitions: records written and not yet committed.
type GroupLag struct {
	Topic  string  `json:"topic"`
	Group  string  `json:"group"`
	Lag    int64   `json:"lag"`    // at the end of the run
	MaxLag int64   `json:"maxLag"` // the most at any time
	Series *Series `json:"series"` // over time
}

// Requests says how the clients' requests went.
type Requests struct {
	Started  int64 `json:"started"`
	OK       int64 `json:"ok"`
	Errors   int64 `json:"errors"`
	TimedOut int64 `json:"timedOut"`
	Waiting  int64 `json:"waiting"` // clients still blocked when the run ended
	// Complete counts requests with nothing left in flight.
	Complete int64 `json:"complete"`
}

// NodeReport is one node's figures.
type NodeReport struct {
	ID         string `json:"id"`
	Kind       Kind   `json:"kind"`
	Arrivals   int64  `json:"arrivals"`
	Departures int64  `json:"departures"`
	Failed     int64  `json:"failed,omitempty"`
	// Rejected counts messages turned away at once because every worker
	// was busy and MaxWaiting messages already waited; they are not
	// among the Arrivals, so L, λ and W are those of the admitted ones.
	Rejected    int64 `json:"rejected,omitempty"`
	Concurrency int   `json:"concurrency,omitempty"`
	// Utilization is the mean fraction of workers busy.
	Utilization float64 `json:"utilization"`
	// MeanInNode is L: the time-average number of messages at the node.
	MeanInNode float64 `json:"meanInNode"`
	// ArrivalRate is λ, arrivals per second over the run.
	ArrivalRate float64 `json:"arrivalRate"`
	// MeanSojourn is W: the mean time from arrival to leaving.
	MeanSojourn Duration `json:"meanSojourn"`
	// MeanWait is the mean time spent waiting before a worker (or a
	// consumer) took the message.
	MeanWait  Duration `json:"meanWait"`
	MaxInNode int64    `json:"maxInNode"`
	// MaxDepth is the most messages waiting at once; Depth is that figure over time.
	MaxDepth int64   `json:"maxDepth"`
	Depth    *Series `json:"depth,omitempty"`
	// Cancelled counts the calls it stopped work on when their deadline
	// passed (it honours cancellation).
	Cancelled int64 `json:"cancelled,omitempty"`
	// WastedWork is worker time spent on sync calls whose caller had
	// already stopped waiting: until the cancellation, or, for a handler
	// that ignores it, the whole handling.
	WastedWork Duration `json:"wastedWork,omitempty"`
}

// Report is what a run measured.
type Report struct {
	Scenario   string     `json:"scenario,omitempty"`
	Seed       uint64     `json:"seed"`
	Stop       StopReason `json:"stop"`
	StopDetail string     `json:"stopDetail"`
	End        Duration   `json:"end"` // virtual time when the run ended
	Events     int64      `json:"events"`
	Requests   Requests   `json:"requests"`
	// UserLatency is how long each client was blocked, from send to the
	// reply (sync) or the ack (async), whatever the outcome.
	UserLatency Summary `json:"userLatency"`
	// UserLatencyOK counts only requests that succeeded.
	UserLatencyOK Summary `json:"userLatencyOK"`
	// CompletionLatency runs from send until the request has nothing left
	// in flight: for an async request, until its broker has the worker's ack.
	CompletionLatency Summary `json:"completionLatency"`
	// Staleness is, per request, how long after the client was answered
	// the last of its effects was done: the eventual-consistency window.
	Staleness Summary `json:"staleness"`
	// Throughput is completed requests per second of virtual time.
	Throughput  float64           `json:"throughput"`
	Counts      Counts            `json:"counts"`
	Nodes       []NodeReport      `json:"nodes"`
	Completed   Series            `json:"completed"` // requests completed per bucket
	DeadLetters []DeadLetterEntry `json:"deadLetters,omitempty"`
	Partitions  []PartitionReport `json:"partitions,omitempty"`
	// GroupLags is each consumer group's lag on each topic, over time.
	GroupLags []GroupLag `json:"groupLags,omitempty"`
	TraceHash string     `json:"traceHash,omitempty"`
	TraceLen  int        `json:"traceLen,omitempty"`
}

// Report summarizes the run so far (the whole run once Done).
func (e *Engine) Report() *Report {
	if e.Done() {
		e.m.finish(e)
	}
	m := &e.m
	r := &Report{
		Scenario: e.sc.Name, Seed: e.sc.Seed, Stop: e.stop, StopDetail: e.stopDetail,
		End: e.now, Events: e.processedEvents,
		UserLatency: m.user.summary(),
		Completed:   m.completed,
	}
	complete := m.completion.n
	r.CompletionLatency = m.completion.summary()
	r.Staleness = m.staleness.summary()
	if m.userOK.n == m.user.n {
		r.UserLatencyOK = r.UserLatency // every request succeeded: the same figures
	} else {
		r.UserLatencyOK = m.userOK.summary()
	}
	r.Requests = Requests{Started: m.started, OK: m.ok, Errors: m.errors, TimedOut: m.timedOut,
		Waiting: m.started - m.ok - m.errors - m.timedOut, Complete: complete}
	// In flight is counted from the messages themselves, not as the
	// remainder, so that Conserved checks the bookkeeping for real.
	var inFlight int64
	for i := int32(0); i < int32(e.msgs.len()); i++ {
		if !e.msgs.kept(i) {
			i |= int32(chunkSize - 1) // a freed chunk: nothing in it is in flight
			continue
		}
		if e.msgs.at(i).state == msgInFlight {
			inFlight++
		}
	}
	waiting, unacked := e.heldMessages()
	stored := int64(waiting + unacked)
	r.Counts = Counts{Produced: m.produced, Processed: m.settled[msgProcessed], Failed: m.settled[msgFailed],
		Dropped: m.settled[msgDropped], DeadLettered: m.settled[msgDeadLettered], Lost: m.settled[msgLost],
		InFlight: inFlight, Stored: stored,
		DropReasons: reasonMap(m.dropReasons), LostReasons: reasonMap(m.lostReasons),
		Retried: m.retried, Redelivered: m.redelivered,
		DuplicatesProcessed: m.dupProcessed, DuplicatesSkipped: m.dupSkipped, OutOfOrder: m.outOfOrder}
	if span := m.lastDone; span > 0 {
		r.Throughput = float64(complete) / span.Seconds()
	}
	r.DeadLetters = e.deadLetters()
	r.Partitions = e.partitionReports()
	r.GroupLags = e.groupLags()
	for i := range e.nodes {
		n := &e.nodes[i]
		st := &n.st
		nr := NodeReport{ID: e.sc.Nodes[i].ID, Kind: n.kind, Arrivals: st.arrivals, Departures: st.departures,
			Failed: st.failed, Rejected: st.rejected, MaxInNode: st.maxInNode, MaxDepth: st.maxDepth,
			Cancelled: st.cancelled, WastedWork: st.wasted.total()}
		if isProcessor(n.kind) {
			nr.Concurrency = n.conc
		}
		if e.now > 0 {
			// Integrate up to now without touching the running totals, so
			// a report taken mid-run is right and the run can go on.
			area := st.area + float64(st.inNode)*float64(e.now-st.lastIn)
			busyArea := st.busyArea + float64(st.busy)*float64(e.now-st.lastBusy)
			nr.MeanInNode = area / float64(e.now)
			nr.ArrivalRate = float64(st.arrivals) / e.now.Seconds()
			if isProcessor(n.kind) {
				nr.Utilization = busyArea / float64(e.now) / float64(n.conc)
			}
		}
		if st.departures > 0 {
			nr.MeanSojourn = st.sojournSum.mean(st.departures)
		}
		if st.starts > 0 {
			nr.MeanWait = st.waitSum.mean(st.starts)
		}
		if isBroker(n.kind) || n.kind == DLQ || n.kind == Outbox || (isProcessor(n.kind) && st.maxDepth > 0) {
			d := st.depth
			nr.Depth = &d
		}
		r.Nodes = append(r.Nodes, nr)
	}
	if e.hashing {
		r.TraceHash = e.TraceHash()
		r.TraceLen = int(e.hasher.n)
	}
	return r
}

// Conserved checks that every message of the run is accounted for: each
// ended exactly once (processed, failed, dropped with a reason,
// dead-lettered or lost with a reason) or is still in flight, and a run
// that completed has nothing in flight but what is stored where nobody
// will take it.
func (r *Report) Conserved() error {
	c := r.Counts
	if c.Processed+c.Failed+c.Dropped+c.DeadLettered+c.Lost+c.InFlight != c.Produced {
		return fmtlite.Errorf("processed %d + failed %d + dropped %d + dead-lettered %d + lost %d + in flight %d != produced %d",
			c.Processed, c.Failed, c.Dropped, c.DeadLettered, c.Lost, c.InFlight, c.Produced)
	}
	if n := sum(c.DropReasons); n != c.Dropped {
		return fmtlite.Errorf("%d messages dropped but %d drop reasons counted", c.Dropped, n)
	}
	if n := sum(c.LostReasons); n != c.Lost {
		return fmtlite.Errorf("%d messages lost but %d loss reasons counted", c.Lost, n)
	}
	if int64(len(r.DeadLetters)) != c.DeadLettered {
		return fmtlite.Errorf("%d messages dead-lettered but the DLQs hold %d", c.DeadLettered, len(r.DeadLetters))
	}
	if c.Stored > c.InFlight {
		return fmtlite.Errorf("%d messages stored but only %d in flight", c.Stored, c.InFlight)
	}
	if r.Stop == StopCompleted && c.InFlight != c.Stored {
		return fmtlite.Errorf("run completed with %d messages in flight, of which only %d are stored", c.InFlight, c.Stored)
	}
	return nil
}

func sum(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

func reasonMap(counts [reasonCount]int64) map[string]int64 {
	var out map[string]int64
	for i, n := range counts {
		if n > 0 {
			if out == nil {
				out = map[string]int64{}
			}
			out[Reason(i).String()] = n
		}
	}
	return out
}

// deadLetters lists what every DLQ holds.
func (e *Engine) deadLetters() []DeadLetterEntry {
	var out []DeadLetterEntry
	for d := range e.nodes {
		for _, id := range e.nodes[d].held {
			m := e.msgs.at(id)
			out = append(out, DeadLetterEntry{
				DLQ: e.sc.Nodes[d].ID, Msg: id, Req: m.req, Event: m.event, Key: max(e.reqs.at(m.req).key, 0),
				From: e.sc.Nodes[m.broker].ID, Deliveries: m.receives, Reason: m.reason.String(), At: m.enqueued,
			})
		}
	}
	return out
}

// partitionReports gives every topic partition's offsets and lag.
func (e *Engine) partitionReports() []PartitionReport {
	var out []PartitionReport
	for b := range e.nodes {
		n := &e.nodes[b]
		if n.kind != Topic {
			continue
		}
		for _, ch := range n.chans {
			p := PartitionReport{Topic: e.sc.Nodes[b].ID, Partition: ch.partition, Group: ch.group,
				End: n.partNext[ch.partition], Committed: ch.committed, MaxLag: ch.maxLag}
			p.Lag = p.End - p.Committed
			if len(ch.consumers) > 0 {
				p.Consumer = e.sc.Nodes[ch.consumers[0].node].ID
			}
			out = append(out, p)
		}
	}
	return out
}

// groupLags reports each consumer group's lag on each topic.
func (e *Engine) groupLags() []GroupLag {
	var out []GroupLag
	for b := range e.nodes {
		n := &e.nodes[b]
		for g := range n.groupLag {
			gl := GroupLag{Topic: e.sc.Nodes[b].ID, Group: "group", Lag: n.groupLag[g]}
			ch := &n.chans[g*n.partitions]
			if len(ch.consumers) > 0 {
				gl.Group = cmp.Or(e.sc.Edges[ch.consumers[0].edge].Group, "group")
			}
			series := n.lagSeries[g]
			series.Values = slices.Clone(series.Values)
			gl.MaxLag, gl.Series = series.Max(), &series
			out = append(out, gl)
		}
	}
	return out
}
