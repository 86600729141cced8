package core

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"hash/fnv"
	"strconv"
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
	return fmt.Sprintf("kind(%d)", k)
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
	return fmt.Errorf("unknown record kind %q", b)
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
	return fmt.Sprintf("reason(%d)", r)
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
// compared byte for byte. It is FNV-1a with 128 bits: the digest only has
// to tell runs apart, not resist an attacker, and crypto/sha256 would add
// a fifth to the WebAssembly binary. It hashes as far as it is asked
// (HashSome), so a page can digest a million records in slices; the
// digest does not depend on how the work was sliced.
type traceHasher struct {
	h    hash.Hash
	buf  []byte
	next int32 // the first record not yet hashed
}

// add hashes records up to (not including) end, at most n of them, and
// reports whether it got to end.
func (th *traceHasher) add(recs *table[Record], end int32, n int) bool {
	if th.h == nil {
		th.h = fnv.New128a()
		th.buf = make([]byte, 0, 64<<10)
	}
	// Records are encoded into one buffer and hashed in large writes.
	for ; th.next < end && n > 0; th.next, n = th.next+1, n-1 {
		r := recs.at(th.next)
		if len(th.buf) > cap(th.buf)-64 {
			th.h.Write(th.buf)
			th.buf = th.buf[:0]
		}
		b := th.buf
		b = binary.LittleEndian.AppendUint64(b, uint64(r.At))
		b = append(b, byte(r.Kind), byte(r.Reason), byte(r.Mode))
		b = binary.LittleEndian.AppendUint32(b, uint32(r.Node))
		b = binary.LittleEndian.AppendUint32(b, uint32(r.From))
		b = binary.LittleEndian.AppendUint32(b, uint32(r.To))
		b = binary.LittleEndian.AppendUint32(b, uint32(r.Msg))
		b = binary.LittleEndian.AppendUint32(b, uint32(r.Req))
		b = binary.LittleEndian.AppendUint16(b, uint16(r.Attempt))
		b = binary.LittleEndian.AppendUint32(b, uint32(r.Partition))
		b = binary.LittleEndian.AppendUint64(b, uint64(r.Offset))
		b = binary.LittleEndian.AppendUint64(b, uint64(r.Value))
		th.buf = b
	}
	return th.next >= end
}

// sum returns the hex digest of every record hashed so far.
func (th *traceHasher) sum() string {
	th.h.Write(th.buf)
	th.buf = th.buf[:0]
	return hex.EncodeToString(th.h.Sum(nil))
}

// hashTrace returns the digest of all of recs in one go.
func hashTrace(recs *table[Record]) string {
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
	name := func(i int32) string {
		if i < 0 || int(i) >= len(sc.Nodes) {
			return "?"
		}
		return sc.Nodes[i].Name()
	}
	at, from, to := name(r.Node), name(r.From), name(r.To)
	msg := fmt.Sprintf("message %d", r.Msg)
	if r.Req >= 0 {
		msg = fmt.Sprintf("message %d (request %d)", r.Msg, r.Req)
	}
	d := Duration(r.Value).Short()
	switch r.Kind {
	case RecSend:
		if r.Mode == CallSync {
			return fmt.Sprintf("%s calls %s with %s and is blocked until the reply.", from, to, msg)
		}
		return fmt.Sprintf("%s sends %s to %s and waits only for the ack.", from, msg, to)
	case RecArrive:
		return fmt.Sprintf("%s reaches %s.", capitalize(msg), at)
	case RecWait:
		if r.Value == 1 {
			return fmt.Sprintf("All workers of %s are busy: %s waits, 1 ahead of it.", at, msg)
		}
		return fmt.Sprintf("All workers of %s are busy: %s waits, %d ahead of it.", at, msg, r.Value)
	case RecStart:
		switch r.Reason {
		case ReasonDuplicate:
			return fmt.Sprintf("%s starts on %s: a duplicate of event %d, which it has handled before.", at, msg, r.Value)
		}
		return fmt.Sprintf("%s starts on %s.", at, msg)
	case RecFinish:
		switch r.Reason {
		case ReasonDownstream:
			return fmt.Sprintf("%s gives up on %s because a call it made failed.", at, msg)
		case ReasonOutOfOrder:
			return fmt.Sprintf("%s is done with %s, out of order: a later message of the same key finished first.", at, msg)
		}
		return fmt.Sprintf("%s is done with %s.", at, msg)
	case RecFail:
		return fmt.Sprintf("%s fails while handling %s (%s).", at, msg, r.Reason)
	case RecEnqueue:
		if int(r.Node) < len(sc.Nodes) && sc.Nodes[r.Node].Kind == DLQ {
			return fmt.Sprintf("%s holds %s, delivered %d times (%s); %d held now.", at, msg, r.Attempt, r.Reason, r.Value)
		}
		if r.Partition >= 0 {
			if r.Value < 0 {
				return fmt.Sprintf("%s appends %s, with no key, to partition %d at offset %d.", at, msg, r.Partition, r.Offset)
			}
			return fmt.Sprintf("%s appends %s, key %s, to partition %d at offset %d.", at, msg, keyText(sc, r.Value), r.Partition, r.Offset)
		}
		return fmt.Sprintf("%s stores %s; %d waiting now.", at, msg, r.Value)
	case RecAck:
		switch {
		case r.Reason == ReasonNone && int(r.To) < len(sc.Nodes) && r.To >= 0 && sc.Nodes[r.To].Kind == Topic:
			// Kafka has no per-record ack: the consumer's position moves on.
			return fmt.Sprintf("%s is done with %s and moves its position on %s past it.", at, msg, to)
		}
		switch r.Reason {
		case ReasonNone:
			return fmt.Sprintf("%s acknowledges %s to %s.", at, msg, to)
		case ReasonAckLost:
			return fmt.Sprintf("%s acknowledges %s to %s, but the ack is lost on the way.", at, msg, to)
		}
		return fmt.Sprintf("%s answers %s for %s with an error (%s).", at, to, msg, r.Reason)
	case RecDeliver:
		if r.Partition >= 0 {
			// A Kafka consumer pulls: it polls records from its partitions.
			return fmt.Sprintf("%s polls %s from %s: partition %d, offset %d (try %d).", capitalize(to), msg, at, r.Partition, r.Offset, r.Attempt)
		}
		return fmt.Sprintf("%s delivers %s to %s (attempt %d).", at, msg, to, r.Attempt)
	case RecReply:
		if r.Reason != ReasonNone {
			return fmt.Sprintf("%s answers %s with an error (%s).", at, to, r.Reason)
		}
		return fmt.Sprintf("%s answers %s for %s.", at, to, msg)
	case RecReceive:
		if int(r.Node) < len(sc.Nodes) && isBroker(sc.Nodes[r.Node].Kind) {
			switch {
			case r.Reason == ReasonStale:
				return fmt.Sprintf("%s gets %s's answer for an earlier delivery of %s and ignores it.", at, from, msg)
			case r.Reason != ReasonNone:
				return fmt.Sprintf("%s gets %s's nack for %s (%s).", at, from, msg, r.Reason)
			case r.Partition >= 0 && sc.Nodes[r.Node].CommitEvery > 1:
				return fmt.Sprintf("%s has processed %s (partition %d, offset %d); it commits after its poll's last record.", capitalize(from), msg, r.Partition, r.Offset)
			case r.Partition >= 0:
				return fmt.Sprintf("%s has processed %s and commits offset %d on partition %d of %s.", capitalize(from), msg, r.Offset+1, r.Partition, at)
			}
			return fmt.Sprintf("%s gets %s's ack for %s and deletes it.", at, from, msg)
		}
		what := "reply"
		if r.Mode == CallAsync {
			what = "ack"
		}
		switch r.Reason {
		case ReasonNone:
			return fmt.Sprintf("%s gets the %s for %s after waiting %s, and continues.", at, what, msg, d)
		case ReasonLate, ReasonCallerGone, ReasonStale:
			return fmt.Sprintf("%s gets a %s for %s, but ignores it: %s.", at, what, msg, r.Reason)
		}
		return fmt.Sprintf("%s gets an error for %s after waiting %s (%s).", at, msg, d, r.Reason)
	case RecTimeout:
		return fmt.Sprintf("%s stops waiting for %s after %s: deadline exceeded.", at, msg, d)
	case RecOffsetCommit:
		return fmt.Sprintf("%s commits offset %d on partition %d of %s, after %d records.", from, r.Offset, r.Partition, at, r.Value)
	case RecRebalance:
		return fmt.Sprintf("%s rebalances: %s now reads partition %d, resuming from offset %d, the last committed.", at, to, r.Partition, r.Offset)
	case RecCancel:
		switch cancelStage(r.Value) {
		case cancelArriving:
			return fmt.Sprintf("%s drops %s on arrival: its deadline has passed (cancelled).", at, msg)
		case cancelWaiting:
			return fmt.Sprintf("%s takes %s out of its line: its deadline passed (cancelled).", at, msg)
		}
		return fmt.Sprintf("%s stops work on %s and frees the worker: its deadline passed (cancelled).", at, msg)
	case RecDrop:
		return fmt.Sprintf("%s drops %s: %s.", at, msg, r.Reason)
	case RecDone:
		return fmt.Sprintf("Request %d is complete: its last effect finished %s after it started.", r.Req, d)
	case RecRefuse:
		switch {
		case r.Reason != ReasonLineFull:
		case r.Value == 0:
			return fmt.Sprintf("All workers of %s are busy and it lets nobody wait: it turns %s away.", at, msg)
		case r.Value == 1:
			return fmt.Sprintf("All workers of %s are busy and 1 message already waits, the most it allows: it turns %s away.", at, msg)
		default:
			return fmt.Sprintf("All workers of %s are busy and %d messages already wait, the most it allows: it turns %s away.", at, r.Value, msg)
		}
		return fmt.Sprintf("%s turns %s away: %s.", at, msg, r.Reason)
	case RecRetry:
		switch {
		case r.From == r.To && r.Partition >= 0:
			return fmt.Sprintf("%s: %s will be tried again in place in %s (try %d), after: %s; partition %d waits until then.", at, msg, d, r.Attempt, r.Reason, r.Partition)
		case r.From == r.To:
			return fmt.Sprintf("%s will deliver %s again in %s (attempt %d), after: %s.", at, msg, d, r.Attempt, r.Reason)
		}
		return fmt.Sprintf("%s will try %s again in %s (attempt %d), after: %s.", at, msg, d, r.Attempt, r.Reason)
	case RecRequeue:
		return fmt.Sprintf("%s puts %s back at the head of the line; %d waiting now.", at, msg, r.Value)
	case RecNack:
		if r.Reason == ReasonAckLost {
			return fmt.Sprintf("%s tells %s it failed %s, but the message is lost on the way.", at, to, msg)
		}
		return fmt.Sprintf("%s tells %s it failed %s (%s).", at, to, msg, r.Reason)
	case RecRedeliver:
		return fmt.Sprintf("No ack for %s within the visibility timeout (%s): %s makes it visible again.", msg, d, at)
	case RecDeadLetter:
		if r.Partition >= 0 {
			return fmt.Sprintf("%s gives up on %s after %d tries (%s) and publishes it to the dead-letter topic %s; partition %d moves on.", at, msg, r.Value, r.Reason, to, r.Partition)
		}
		return fmt.Sprintf("%s gives up on %s after %d deliveries (%s) and moves it to %s.", at, msg, r.Value, r.Reason, to)
	case RecPublish:
		return fmt.Sprintf("%s publishes %s: one copy for each of its %d subscribers.", at, msg, r.Value)
	case RecCommit:
		return fmt.Sprintf("%s commits the state change and its event row (%s) in one transaction; %d rows to publish.", at, msg, r.Value)
	case RecPoll:
		if r.Value == 1 {
			return fmt.Sprintf("%s's poller wakes and publishes 1 row.", at)
		}
		return fmt.Sprintf("%s's poller wakes and publishes %d rows.", at, r.Value)
	case RecMark:
		return fmt.Sprintf("%s marks the row of %s published.", at, msg)
	case RecSkip:
		return fmt.Sprintf("%s has already handled event %d: it skips %s and acks it.", at, r.Value, msg)
	case RecLost:
		return fmt.Sprintf("%s is lost (%s): nobody will ever handle it.", capitalize(msg), r.Reason)
	case RecDown:
		return fmt.Sprintf("%s goes down for %s.", at, d)
	case RecUp:
		return fmt.Sprintf("%s is back.", at)
	case RecCrash:
		return fmt.Sprintf("%s crashes, losing the work in its hands.", at)
	case RecRedrive:
		return fmt.Sprintf("%s sends %s back to %s.", at, msg, to)
	case RecLimited:
		return fmt.Sprintf("%s has no token for %s: it waits %s.", at, msg, d)
	}
	return r.Kind.String()
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
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
