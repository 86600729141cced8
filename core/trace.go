package core

import (
	"math/bits"
	"strconv"
	"strings"

	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// RecordKind is what happened in one trace record.
type RecordKind uint8

// The trace record kinds, in the vocabulary of the seed's diagrams.
const (
	RecSend         RecordKind = iota // a message leaves a node along an edge
	RecArrive                         // a message reaches a node
	RecWait                           // a message waits for a free worker (Value: how many are ahead)
	RecStart                          // a worker starts handling a message
	RecFinish                         // a worker is done with a message
	RecFail                           // handling a message failed (Reason says why)
	RecEnqueue                        // a queue stores a message (Value: depth after; for a topic, the record's key number, -1 for none)
	RecAck                            // an acknowledgement is sent
	RecDeliver                        // a queue hands a message to a consumer
	RecReply                          // a reply is sent back to the caller (Reason: error, if any)
	RecReceive                        // a reply or ack reaches the one who waits for it (Value: how long it waited)
	RecTimeout                        // a caller's deadline passed before the reply came
	RecDrop                           // a message is dropped (Reason says why)
	RecDone                           // a request has nothing left in flight (Value: completion latency)
	RecRefuse                         // a node turns a message away (Reason: down, full, rate limited; Value: for a full line, how many wait)
	RecRetry                          // a retry is scheduled (Value: the back-off delay)
	RecRequeue                        // a broker puts a message back at the head of its line
	RecNack                           // a consumer tells its broker it failed a message
	RecRedeliver                      // a visibility timeout passed: the message is visible again
	RecDeadLetter                     // a broker moves a message to its dead letter queue (Value: deliveries)
	RecPublish                        // a bus copies an event to its subscribers (Value: copies)
	RecCommit                         // an outbox commits a state change and its event row together
	RecPoll                           // an outbox's poller wakes (Value: rows it publishes)
	RecMark                           // an outbox marks a row published
	RecSkip                           // an idempotent consumer recognises a duplicate and skips it (Value: event)
	RecLost                           // a message is lost (Reason says how)
	RecDown                           // a node goes down (Value: for how long)
	RecUp                             // a node is back
	RecCrash                          // a node crashes, losing the work in its hands
	RecRedrive                        // a DLQ sends a message back to its broker
	RecLimited                        // a message waits for a rate limiter's token (Value: how long)
	RecCancel                         // a handler stops work on a call whose deadline passed (Value: a cancelStage)
	RecRebalance                      // a consumer group gives a topic partition to another member (Offset: where it resumes)
	RecOffsetCommit                   // a topic's consumer commits its offset on a partition (Offset: the next to read; Value: records since the last)
	recKinds
)

var recordKindNames = [recKinds]string{
	"send", "arrive", "wait", "start", "finish", "fail", "enqueue", "ack",
	"deliver", "reply", "receive", "timeout", "drop", "done",
	"refuse", "retry", "requeue", "nack", "redeliver", "dead-letter", "publish",
	"commit", "poll", "mark", "skip", "lost", "down", "up", "crash", "redrive", "limited", "cancel", "rebalance", "offset-commit",
}

// cancelStage is how far a cancelled call had got at its callee: a
// RecCancel's Value.
type cancelStage int64

const (
	cancelArriving cancelStage = iota // it arrived after its deadline
	cancelWaiting                     // it was waiting for a worker
	cancelHandling                    // a worker was handling it
)

func (k RecordKind) String() string {
	if k < recKinds {
		return recordKindNames[k]
	}
	return fmtlite.Sprintf("kind(%d)", k)
}

// MarshalText writes the kind's name.
func (k RecordKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads a kind's name.
func (k *RecordKind) UnmarshalText(b []byte) error {
	for i, name := range recordKindNames {
		if name == string(b) {
			*k = RecordKind(i)
			return nil
		}
	}
	return fmtlite.Errorf("unknown record kind %q", b)
}

// Reason qualifies a fail, drop, reply or receive record.
type Reason uint8

// The reasons.
const (
	ReasonNone         Reason = iota
	ReasonQueueFull           // the queue was at capacity
	ReasonFailed              // the handler failed (failure rate)
	ReasonDownstream          // a call this handler made failed or timed out
	ReasonTimeout             // the caller's deadline passed
	ReasonLate                // a reply came after its caller gave up
	ReasonCallerGone          // a reply came for a caller that already finished
	ReasonNodeDown            // the node was down
	ReasonPoison              // a poison message: it fails wherever it is handled
	ReasonRateLimited         // no token in the rate limiter's bucket
	ReasonDuplicate           // the event was handled here before
	ReasonOutOfOrder          // a later message of the same key started first
	ReasonAckLost             // the ack never arrived (a lost-ack fault)
	ReasonStale               // an answer for an earlier delivery or publish
	ReasonVisibility          // no ack within the visibility timeout
	ReasonGaveUp              // delivered too often, and no dead letter queue
	ReasonCrash               // the node crashed while handling it
	ReasonKeptInOutbox        // a refused publish whose row the outbox keeps
	ReasonLineFull            // every worker busy and maxWaiting already waiting
	ReasonCancelled           // its caller's deadline passed and the handler stopped
	reasonCount
)

var reasonNames = [reasonCount]string{
	"", "queue full", "handler failed", "downstream call failed", "deadline exceeded",
	"reply after the deadline", "caller already finished", "node down", "poison message",
	"rate limited", "duplicate", "out of order", "ack lost", "stale", "visibility timeout",
	"gave up after too many deliveries, with no dead letter queue", "crashed",
	"refused; the outbox keeps the row and publishes it again",
	"waiting line full",
	"cancelled: its deadline passed",
}

func (r Reason) String() string {
	if r < reasonCount {
		return reasonNames[r]
	}
	return fmtlite.Sprintf("reason(%d)", r)
}

// Record is one event of a run, as the learner steps through it.
type Record struct {
	At   Duration   // virtual time
	Kind RecordKind // what happened
	Node int32      // where it happened (index into Scenario.Nodes)
	From int32      // the message's sender on this hop, -1 if none
	To   int32      // the message's receiver on this hop, -1 if none
	Msg  int32      // message id, -1 if none
	Req  int32      // request (correlation) id, -1 if none
	// Attempt counts deliveries of the message, from 1.
	Attempt int16
	Mode    CallMode // sync or async, for sends, replies and receives
	Reason  Reason   // why, for fail, drop, reply and receive
	// Partition and Offset place a record in a partitioned topic; -1 when
	// it has none.
	Partition int32
	Offset    int64
	// Value is the kind's figure: queue depth, time waited, latency.
	Value int64
}

// traceHasher digests the records' fields, so that two runs can be
// compared record for record. It hashes as the records are emitted (the
// engine calls record for each), so nothing waits for a pass over the
// finished trace. Each record is seven 64-bit words (recordWords), mixed
// into two 64-bit lanes with xxHash64's round (multiply, rotate, multiply)
// under different seeds and primes, and the lanes are finished with
// xxHash64's avalanche: 128 bits, printed as 32 hex digits. It only has to
// tell runs apart, not resist an attacker. Only integer multiplies,
// rotations and xors: the same digest natively and in WebAssembly, and
// about a tenth of the byte-at-a-time FNV-1a it replaces.
type traceHasher struct {
	a, b uint64
	n    int64 // records hashed
	next int32 // hashTrace: the first record not yet hashed
}

const (
	hashP1 = 11400714785074694791
	hashP2 = 14029467366897019727
	hashP3 = 1609587929392839161
	hashP4 = 9650029242287828579
	hashP5 = 2870177450012600261
)

// recordWords encodes r as seven words in w, each field at its own place,
// so that two different records never encode the same. It writes into w
// rather than returning an array: a returned array was built aside and
// copied with 16-byte loads of words just stored 8 bytes at a time, which
// the store buffer cannot forward (perf: a sixth of traceHasher.record).
func recordWords(r *Record, w *[7]uint64) {
	w[0] = uint64(r.At)
	w[1] = uint64(r.Kind) | uint64(r.Reason)<<8 | uint64(r.Mode)<<16 | uint64(uint16(r.Attempt))<<32
	w[2] = uint64(uint32(r.Node)) | uint64(uint32(r.From))<<32
	w[3] = uint64(uint32(r.To)) | uint64(uint32(r.Msg))<<32
	w[4] = uint64(uint32(r.Req)) | uint64(uint32(r.Partition))<<32
	w[5] = uint64(r.Offset)
	w[6] = uint64(r.Value)
}

// record hashes one record.
func (th *traceHasher) record(r *Record) {
	if th.n == 0 {
		th.a, th.b = hashP1^hashP2, hashP5
	}
	a, b := th.a, th.b
	var w [7]uint64
	recordWords(r, &w)
	for i := range w {
		a = bits.RotateLeft64(a+w[i]*hashP2, 31) * hashP1
		b = bits.RotateLeft64(b^w[i]*hashP4, 27)*hashP1 + hashP4
	}
	th.a, th.b = a, b
	th.n++
}

// add hashes records of recs up to (not including) end, at most n of
// them, and reports whether it got to end: a finished trace's digest, in
// one go or in slices.
func (th *traceHasher) add(recs *traceTable, end int32, n int) bool {
	for ; th.next < end && n > 0; th.next, n = th.next+1, n-1 {
		r := recs.at(th.next)
		th.record(&r)
	}
	return th.next >= end
}

// sum returns the hex digest of every record hashed so far; hashing can
// go on after it.
func (th *traceHasher) sum() string {
	n := uint64(th.n)
	a := avalanche(th.a + n*hashP5)
	b := avalanche(th.b ^ bits.RotateLeft64(a, 17) ^ n)
	const digits = "0123456789abcdef"
	var out [32]byte
	for i := range 16 {
		out[i], out[16+i] = digits[a>>(60-4*i)&15], digits[b>>(60-4*i)&15]
	}
	return string(out[:])
}

// avalanche is xxHash64's final mix.
func avalanche(h uint64) uint64 {
	h ^= h >> 33
	h *= hashP2
	h ^= h >> 29
	h *= hashP3
	h ^= h >> 32
	return h
}

// hashTrace returns the digest of all of recs in one go.
func hashTrace(recs *traceTable) string {
	var th traceHasher
	th.add(recs, int32(recs.len()), recs.len())
	return th.sum()
}

// CallMode is an edge's Mode in one byte, as records and messages keep it:
// a string would give every record a pointer for the garbage collector to
// follow, and a traced run holds millions of records.
type CallMode uint8

// The call modes.
const (
	CallNone CallMode = iota
	CallSync
	CallAsync
)

// Mode returns the edge mode, or "" for CallNone.
func (c CallMode) Mode() Mode {
	switch c {
	case CallSync:
		return Sync
	case CallAsync:
		return Async
	}
	return ""
}

func callMode(m Mode) CallMode {
	switch m {
	case Sync:
		return CallSync
	case Async:
		return CallAsync
	}
	return CallNone
}

// Describe returns the record as one sentence a learner can read.
func (r *Record) Describe(sc *Scenario) string {
	return capitalize(r.describe(sc))
}

func (r *Record) describe(sc *Scenario) string {
	return r.fill(sc, r.template(sc))
}

// template returns the sentence for the record with its figures left as
// {placeholders}, which fill replaces. One string per case, filled by one
// function, keeps describe small: a formatted print per case, each boxing
// its arguments, compiled to a tenth of the sandbox's WebAssembly for it.
func (r *Record) template(sc *Scenario) string {
	switch r.Kind {
	case RecSend:
		if r.Mode == CallSync && isCoroutine(sc, r.Node) {
			return coroutineSend(sc, r.Node)
		}
		if r.Mode == CallSync {
			return "{from} calls {to} with {msg} and is blocked until the reply."
		}
		return "{from} sends {msg} to {to} and waits only for the ack."
	case RecArrive:
		return "{Msg} reaches {at}."
	case RecWait:
		if r.Value == 1 {
			return "All workers of {at} are busy: {msg} waits, 1 ahead of it."
		}
		return "All workers of {at} are busy: {msg} waits, {value} ahead of it."
	case RecStart:
		if isCoroutine(sc, r.Node) && r.Reason == ReasonNone {
			return "{at} starts on {msg}: one task on the event loop."
		}
		switch r.Reason {
		case ReasonDuplicate:
			return "{at} starts on {msg}: a duplicate of event {value}, which it has handled before."
		}
		return "{at} starts on {msg}."
	case RecFinish:
		switch r.Reason {
		case ReasonDownstream:
			return "{at} gives up on {msg} because a call it made failed."
		case ReasonOutOfOrder:
			return "{at} is done with {msg}, out of order: a later message of the same key finished first."
		}
		return "{at} is done with {msg}."
	case RecFail:
		return "{at} fails while handling {msg} ({reason})."
	case RecEnqueue:
		if int(r.Node) < len(sc.Nodes) && sc.Nodes[r.Node].Kind == DLQ {
			return "{at} holds {msg}, delivered {attempt} times ({reason}); {value} held now."
		}
		if r.Partition >= 0 {
			if r.Value < 0 {
				return "{at} appends {msg}, with no key, to partition {partition} at offset {offset}."
			}
			return "{at} appends {msg}, key {key}, to partition {partition} at offset {offset}."
		}
		return "{at} stores {msg}; {value} waiting now."
	case RecAck:
		switch {
		case r.Reason == ReasonNone && int(r.To) < len(sc.Nodes) && r.To >= 0 && sc.Nodes[r.To].Kind == Topic:
			// Kafka has no per-record ack: the consumer's position moves on.
			return "{at} is done with {msg} and moves its position on {to} past it."
		}
		switch r.Reason {
		case ReasonNone:
			return "{at} acknowledges {msg} to {to}."
		case ReasonAckLost:
			return "{at} acknowledges {msg} to {to}, but the ack is lost on the way."
		}
		return "{at} answers {to} for {msg} with an error ({reason})."
	case RecDeliver:
		if r.Partition >= 0 {
			// A Kafka consumer pulls: it polls records from its partitions.
			return "{To} polls {msg} from {at}: partition {partition}, offset {offset} (try {attempt})."
		}
		return "{at} delivers {msg} to {to} (attempt {attempt})."
	case RecReply:
		if r.Reason != ReasonNone {
			return "{at} answers {to} with an error ({reason})."
		}
		return "{at} answers {to} for {msg}."
	case RecReceive:
		if int(r.Node) < len(sc.Nodes) && isBroker(sc.Nodes[r.Node].Kind) {
			switch {
			case r.Reason == ReasonStale:
				return "{at} gets {from}'s answer for an earlier delivery of {msg} and ignores it."
			case r.Reason != ReasonNone:
				return "{at} gets {from}'s nack for {msg} ({reason})."
			case r.Partition >= 0 && sc.Nodes[r.Node].CommitEvery > 1:
				return "{From} has processed {msg} (partition {partition}, offset {offset}); it commits after its poll's last record."
			case r.Partition >= 0:
				return "{From} has processed {msg} and commits offset {next} on partition {partition} of {at}."
			}
			return "{at} gets {from}'s ack for {msg} and deletes it."
		}
		if r.Reason == ReasonNone && r.Mode != CallAsync && isCoroutine(sc, r.Node) {
			return coroutineResume(sc, r.Node)
		}
		switch r.Reason {
		case ReasonNone:
			return "{at} gets the {what} for {msg} after waiting {d}, and continues."
		case ReasonLate, ReasonCallerGone, ReasonStale:
			return "{at} gets a {what} for {msg}, but ignores it: {reason}."
		}
		return "{at} gets an error for {msg} after waiting {d} ({reason})."
	case RecTimeout:
		return "{at} stops waiting for {msg} after {d}: deadline exceeded."
	case RecOffsetCommit:
		return "{from} commits offset {offset} on partition {partition} of {at}, after {value} records."
	case RecRebalance:
		return "{at} rebalances: {to} now reads partition {partition}, resuming from offset {offset}, the last committed."
	case RecCancel:
		switch cancelStage(r.Value) {
		case cancelArriving:
			return "{at} drops {msg} on arrival: its deadline has passed (cancelled)."
		case cancelWaiting:
			return "{at} takes {msg} out of its line: its deadline passed (cancelled)."
		}
		return "{at} stops work on {msg} and frees the worker: its deadline passed (cancelled)."
	case RecDrop:
		return "{at} drops {msg}: {reason}."
	case RecDone:
		return "Request {req} is complete: its last effect finished {d} after it started."
	case RecRefuse:
		switch {
		case r.Reason != ReasonLineFull:
		case r.Value == 0:
			return "All workers of {at} are busy and it lets nobody wait: it turns {msg} away."
		case r.Value == 1:
			return "All workers of {at} are busy and 1 message already waits, the most it allows: it turns {msg} away."
		default:
			return "All workers of {at} are busy and {value} messages already wait, the most it allows: it turns {msg} away."
		}
		return "{at} turns {msg} away: {reason}."
	case RecRetry:
		switch {
		case r.From == r.To && r.Partition >= 0:
			return "{at}: {msg} will be tried again in place in {d} (try {attempt}), after: {reason}; partition {partition} waits until then."
		case r.From == r.To:
			return "{at} will deliver {msg} again in {d} (attempt {attempt}), after: {reason}."
		}
		return "{at} will try {msg} again in {d} (attempt {attempt}), after: {reason}."
	case RecRequeue:
		return "{at} puts {msg} back at the head of the line; {value} waiting now."
	case RecNack:
		if r.Reason == ReasonAckLost {
			return "{at} tells {to} it failed {msg}, but the message is lost on the way."
		}
		return "{at} tells {to} it failed {msg} ({reason})."
	case RecRedeliver:
		return "No ack for {msg} within the visibility timeout ({d}): {at} makes it visible again."
	case RecDeadLetter:
		if r.Partition >= 0 {
			return "{at} gives up on {msg} after {value} tries ({reason}) and publishes it to the dead-letter topic {to}; partition {partition} moves on."
		}
		return "{at} gives up on {msg} after {value} deliveries ({reason}) and moves it to {to}."
	case RecPublish:
		return "{at} publishes {msg}: one copy for each of its {value} subscribers."
	case RecCommit:
		return "{at} commits the state change and its event row ({msg}) in one transaction; {value} rows to publish."
	case RecPoll:
		if r.Value == 1 {
			return "{at}'s poller wakes and publishes 1 row."
		}
		return "{at}'s poller wakes and publishes {value} rows."
	case RecMark:
		return "{at} marks the row of {msg} published."
	case RecSkip:
		return "{at} has already handled event {value}: it skips {msg} and acks it."
	case RecLost:
		return "{Msg} is lost ({reason}): nobody will ever handle it."
	case RecDown:
		return "{at} goes down for {d}."
	case RecUp:
		return "{at} is back."
	case RecCrash:
		return "{at} crashes, losing the work in its hands."
	case RecRedrive:
		return "{at} sends {msg} back to {to}."
	case RecLimited:
		return "{at} has no token for {msg}: it waits {d}."
	}
	return "{kind}"
}

// fill returns template t with each {name} replaced by the record's figure
// of that name; a name starting with a capital letter gives the figure
// capitalized.
func (r *Record) fill(sc *Scenario, t string) string {
	var b []byte
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			return string(append(b, t...))
		}
		j := strings.IndexByte(t[i:], '}') + i
		b = append(b, t[:i]...)
		name := t[i+1 : j]
		t = t[j+1:]
		var v string
		switch name {
		case "at":
			v = nodeName(sc, r.Node)
		case "from", "From":
			v = nodeName(sc, r.From)
		case "to", "To":
			v = nodeName(sc, r.To)
		case "msg", "Msg":
			v = "message " + itoa(int64(r.Msg))
			if r.Req >= 0 {
				v += " (request " + itoa(int64(r.Req)) + ")"
			}
		case "d":
			v = Duration(r.Value).Short()
		case "reason":
			v = r.Reason.String()
		case "value":
			v = itoa(r.Value)
		case "attempt":
			v = itoa(int64(r.Attempt))
		case "partition":
			v = itoa(int64(r.Partition))
		case "offset":
			v = itoa(r.Offset)
		case "next":
			v = itoa(r.Offset + 1)
		case "req":
			v = itoa(int64(r.Req))
		case "key":
			v = keyText(sc, r.Value)
		case "what":
			v = "reply"
			if r.Mode == CallAsync {
				v = "ack"
			}
		case "kind":
			v = r.Kind.String()
		}
		if name[0] < 'a' {
			v = capitalize(v)
		}
		b = append(b, v...)
	}
}

// nodeName is the name of node i, or "?" if there is none.
func nodeName(sc *Scenario, i int32) string {
	if i < 0 || int(i) >= len(sc.Nodes) {
		return "?"
	}
	return sc.Nodes[i].Name()
}

// capitalize starts a sentence with a capital letter, unless it starts
// with an identifier: a node named fetch_all or userId is code, and a
// capital would name something else ("Fetch_all"). A plain word such as
// caller is a name in a sentence, and is capitalized.
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' || isIdentifier(firstWord(s)) {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// firstWord is s up to its first space, punctuation or possessive.
func firstWord(s string) string {
	if i := strings.IndexAny(s, " ,:;'()"); i >= 0 {
		return s[:i]
	}
	return s
}

// isIdentifier reports whether word is written as code is: snake_case,
// or with a capital letter inside (camelCase).
func isIdentifier(word string) bool {
	if strings.Contains(word, "_") {
		return true
	}
	for i := 1; i < len(word); i++ {
		if word[i] >= 'A' && word[i] <= 'Z' {
			return true
		}
	}
	return false
}

// TraceEntry is a Record in readable form, for JSON output and views.
type TraceEntry struct {
	Step      int        `json:"step"`
	At        Duration   `json:"at"`
	Kind      RecordKind `json:"kind"`
	Node      string     `json:"node"`
	From      string     `json:"from,omitempty"`
	To        string     `json:"to,omitempty"`
	Msg       int32      `json:"msg"`
	Req       int32      `json:"req"`
	Attempt   int16      `json:"attempt,omitempty"`
	Mode      Mode       `json:"mode,omitempty"`
	Reason    string     `json:"reason,omitempty"`
	Partition int32      `json:"partition,omitempty"`
	Offset    int64      `json:"offset,omitempty"`
	Value     int64      `json:"value,omitempty"`
	Text      string     `json:"text"`
}

// Entry converts the i-th record of a run of sc to its readable form.
func (r *Record) Entry(sc *Scenario, step int) TraceEntry {
	id := func(i int32) string {
		if i < 0 || int(i) >= len(sc.Nodes) {
			return ""
		}
		return sc.Nodes[i].ID
	}
	e := TraceEntry{
		Step: step, At: r.At, Kind: r.Kind, Node: id(r.Node), From: id(r.From), To: id(r.To),
		Msg: r.Msg, Req: r.Req, Attempt: r.Attempt, Mode: r.Mode.Mode(), Reason: r.Reason.String(),
		Value: r.Value, Text: r.Describe(sc),
	}
	if r.Partition >= 0 {
		e.Partition, e.Offset = r.Partition, r.Offset
	}
	return e
}

// keyText is key number n as its producer writes it: with the key prefix
// of the scenario's keyed clients when they share one ("user-42"), or as a
// number ("number 42") when they differ, since a record does not say which
// client it came from.
func keyText(sc *Scenario, n int64) string {
	prefix, seen := "", false
	for i := range sc.Nodes {
		w := sc.Nodes[i].Workload
		if w == nil || w.Keys == 0 {
			continue
		}
		if seen && w.KeyPrefix != prefix {
			return "number " + strconv.FormatInt(n, 10)
		}
		prefix, seen = w.KeyPrefix, true
	}
	return strconv.Quote(prefix + strconv.FormatInt(n, 10))
}
