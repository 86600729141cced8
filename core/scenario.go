package core

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"

	"github.com/sync-vs-async/playground/core/internal/jsonlite"
	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// FormatVersion is the scenario format this build writes. Readers accept
// every version up to it.
const FormatVersion = 1

// Kind is what a node is and so how it behaves.
type Kind string

// The node kinds.
const (
	// Client starts requests: one, an open-loop stream, a rate schedule,
	// or closed-loop users. It has exactly one outgoing edge.
	Client Kind = "client"
	// Gateway receives a request and calls its downstream edges, by
	// default all in parallel, then answers once all have answered.
	Gateway Kind = "gateway"
	// Service has a fixed number of workers. A request waits for a free
	// worker, takes a service time, then calls downstream edges one by
	// one (or in parallel), holding its worker while it waits.
	Service Kind = "service"
	// Database is a service with no downstream calls.
	Database Kind = "database"
	// Queue stores messages in FIFO order, acknowledges each to its
	// producer as soon as it is stored, and delivers to its consumers
	// (outgoing async edges) as they have room; a consumer acks when done.
	Queue Kind = "queue"
	// Worker consumes messages (usually from a queue) with a fixed
	// concurrency and processing time.
	Worker Kind = "worker"
	// Bus is an event bus: it acks a published event at once and gives
	// every subscriber (outgoing edge) its own copy in its own queue, so a
	// slow subscriber does not slow the others.
	Bus Kind = "bus"
	// Topic is a Kafka-style log of Partitions. A keyed record goes to the
	// partition Kafka's default partitioner picks; consumers (outgoing
	// edges, grouped by the edge's Group) split the partitions by range
	// assignment and read each partition strictly in order.
	Topic Kind = "topic"
	// Outbox is a table in the service's database: a sync call to it
	// commits the state change and the event row in one transaction, and a
	// poller publishes unpublished rows every Interval, Batch at a time,
	// to its one outgoing edge, marking each published once the broker
	// acked it.
	Outbox Kind = "outbox"
	// DLQ is a dead letter queue: a queue or topic with an edge to it moves
	// messages there that failed too often, with the reason, to be
	// inspected and redriven (RedriveAt).
	DLQ Kind = "dlq"
	// RateLimiter is a token bucket (Rate per second, Burst) in front of its
	// one outgoing edge: a message without a token is rejected or waits.
	RateLimiter Kind = "ratelimiter"
)

// Kinds lists every node kind, in palette order.
var Kinds = []Kind{Client, Gateway, Service, Database, Queue, Worker, Bus, Topic, Outbox, DLQ, RateLimiter}

// Mode is how a caller uses an edge.
type Mode string

// The edge modes.
const (
	// Sync: the caller sends a request and is blocked until the reply
	// arrives (or its timeout passes).
	Sync Mode = "sync"
	// Async: the caller sends a message and waits only for the receiver's
	// acknowledgement that it has the message; the work happens later.
	Async Mode = "async"
)

// Scenario is a complete, runnable description of a topology and its
// workload. It is what scenario files, Export/Import and share links hold.
type Scenario struct {
	Version     int      `json:"version"`
	Name        string   `json:"name,omitempty"`
	Description string   `json:"description,omitempty"`
	Seed        uint64   `json:"seed"`
	Until       Duration `json:"until,omitempty"` // stop the clock here; 0 runs until nothing is left to do
	Limits      Limits   `json:"limits,omitzero"`
	Nodes       []Node   `json:"nodes"`
	Edges       []Edge   `json:"edges"`
	Faults      []Fault  `json:"faults,omitempty"`
}

// Limits end a run that would otherwise run away, with a clear reason.
// Zero means the default.
type Limits struct {
	MaxEvents   int64 `json:"maxEvents,omitempty"`
	MaxMessages int64 `json:"maxMessages,omitempty"`
}

// Size bounds on a scenario, so that a pasted or linked one cannot make
// the page or the server do unbounded work before validation.
const (
	MaxNodes = 200
	MaxEdges = 1000
)

// Defaults and ceilings for Limits.
const (
	DefaultMaxEvents   = 20_000_000
	DefaultMaxMessages = 5_000_000
	CeilingMaxEvents   = 500_000_000
	CeilingMaxMessages = 50_000_000
)

// Node is one box in the topology. Which fields apply depends on Kind;
// the rest must be left out.
type Node struct {
	ID    string `json:"id"`
	Kind  Kind   `json:"kind"`
	Label string `json:"label,omitempty"`
	// Pos is where the learner put the node in the builder (its centre, in the
	// diagram's units). Nil lets the diagram lay the node out automatically.
	Pos *Pos `json:"pos,omitempty"`

	// Workload is what a client sends.
	Workload *Workload `json:"workload,omitempty"`
	// Timeout is a client's deadline for its request, or a gateway's or
	// service's deadline for each downstream sync call. 0 waits forever.
	Timeout Duration `json:"timeout,omitempty"`

	// Concurrency is how many messages a gateway, service, database or
	// worker handles at once; the rest wait. 0 means the kind's default.
	Concurrency int `json:"concurrency,omitempty"`
	// MaxWaiting bounds the line of a gateway, service, database or
	// worker: a message that finds every worker busy and MaxWaiting
	// messages already waiting is turned away at once, as a server
	// answers 503, and its sender gets an error (a caller's retry policy
	// applies; a broker's delivery is nacked and requeued). Nil (left out)
	// lets any number wait; 0 lets none wait, so with c workers the node
	// is Erlang's loss system, and with K−c the M/M/c/K queue. A pointer,
	// so that 0 can be told from unset.
	MaxWaiting *int `json:"maxWaiting,omitempty"`
	// ServiceTime is how long handling one message takes (for a queue:
	// how long storing it takes before the ack).
	ServiceTime *Dist `json:"serviceTime,omitempty"`
	// FailureRate is the probability that handling a message fails.
	FailureRate float64 `json:"failureRate,omitempty"`
	// Calls is "sequential" (one downstream call after another) or
	// "parallel" (all at once, then wait for all). Gateways default to
	// parallel, everything else to sequential.
	Calls string `json:"calls,omitempty"`
	// Coroutine makes a gateway, service or worker an async function on
	// an event loop (Python's async def) rather than a pool of threads:
	// each message it handles is one task, and while the task awaits a
	// sync call it is suspended and the loop is free to run others, so
	// the call is described and drawn as awaited, not blocked. The timing
	// is the same; with no Concurrency set, tasks are not limited (the
	// loop starts one per message).
	Coroutine bool `json:"coroutine,omitempty"`

	// Capacity is the most messages a queue holds waiting; 0 is unbounded.
	Capacity int `json:"capacity,omitempty"`
	// VisibilityTimeout: a queue makes a delivered message visible again
	// (redelivers it) if its ack has not arrived after this long. 0 waits
	// for the ack, and requeues at once if the consumer crashes.
	VisibilityTimeout Duration `json:"visibilityTimeout,omitempty"`
	// MaxReceiveCount: after this many deliveries of one message, a queue
	// or topic moves it to its dead letter queue. 0 never gives up.
	MaxReceiveCount int `json:"maxReceiveCount,omitempty"`
	// Retry is how a caller retries a failed call or send, or how a queue
	// or topic waits before delivering a failed message again.
	Retry *RetryPolicy `json:"retry,omitempty"`
	// OnFailure is what a consumer does with a message it failed to
	// handle: "requeue" (the default: nack, to be delivered again) or
	// "dead-letter" (nack straight to the dead letter queue).
	OnFailure string `json:"onFailure,omitempty"`
	// OnSendError is what a handler does when an async send is refused:
	// "fail" (the default: the handler fails) or "ignore" (carry on; the
	// message is lost — the dual-write anti-pattern).
	OnSendError string `json:"onSendError,omitempty"`
	// IgnoresCancellation: when the deadline of a sync call to this
	// gateway, service, database or worker passes, its handler carries on
	// (the work is wasted; the reply is thrown away). By default a handler
	// honours cancellation, as a gRPC handler that watches its context
	// does: a call still on its way is dropped on arrival, one waiting for
	// a worker leaves the line, one being handled frees its worker.
	IgnoresCancellation bool `json:"ignoresCancellation,omitempty"`
	// Idempotent gives a consumer a store of the events it has handled, so
	// a duplicate is recognised and skipped instead of handled twice.
	Idempotent bool `json:"idempotent,omitempty"`
	// Partitions is a topic's partition count.
	Partitions int `json:"partitions,omitempty"`
	// Partitioner is how a topic places unkeyed records: "sticky" (the
	// default: Kafka 3.3+'s built-in partitioner, which fills a batch on
	// one partition, chosen at random, then moves to another) or
	// "roundRobin" (Kafka's RoundRobinPartitioner: each record to the next
	// partition in turn). Keyed records always go to murmur2(key).
	Partitioner string `json:"partitioner,omitempty"`
	// CommitEvery is how many records of a partition a topic's consumer
	// polls at once and commits after processing them (Kafka's
	// max.poll.records with a commit after each poll): it commits every
	// CommitEvery records, or sooner when the partition has no more. 0 or
	// 1 commits after each record. After a crash, the partition is read
	// again from the last committed offset, so the records processed since
	// are processed again: duplicates.
	CommitEvery int `json:"commitEvery,omitempty"`
	// SessionTimeout is how long a consumer of a topic may be gone (down or
	// crashed) before its group reassigns its partitions to the members
	// left; when it is back, the group rebalances again. 0 means 45s,
	// Kafka's session.timeout.ms since 3.0.
	SessionTimeout Duration `json:"sessionTimeout,omitempty"`
	// BatchRecords is how many records a sticky partitioner puts on one
	// partition before it moves on: Kafka's batch.size, counted in records
	// (its default 16 KB holds 16 records of 1 KB). 0 means 16.
	BatchRecords int `json:"batchRecords,omitempty"`
	// Interval and Batch drive an outbox's poller.
	Interval Duration `json:"interval,omitempty"`
	Batch    int      `json:"batch,omitempty"`
	// RedriveAt lists times at which a DLQ sends everything it holds back
	// to the queue each message came from.
	RedriveAt []Duration `json:"redriveAt,omitempty"`
	// Rate (tokens per second), Burst (bucket size) and OnLimit ("reject"
	// or "wait") configure a rate limiter.
	Rate    float64 `json:"rate,omitempty"`
	Burst   int     `json:"burst,omitempty"`
	OnLimit string  `json:"onLimit,omitempty"`
}

// Pos is a point in the builder's diagram. The engine ignores it.
type Pos struct {
	X int `json:"x"`
	Y int `json:"y"`
}

// maxPos bounds each coordinate of a Pos.
const maxPos = 20000

// MaxMaxWaiting bounds Node.MaxWaiting: a line longer than a million
// is, for any run a browser can hold, no bound at all.
const MaxMaxWaiting = 1_000_000

// Values of OnFailure, OnSendError and OnLimit.
const (
	Requeue    = "requeue"
	DeadLetter = "dead-letter"
	Fail       = "fail"
	Ignore     = "ignore"
	Reject     = "reject"
	Wait       = "wait"
)

// FaultType names a fault.
type FaultType string

// The faults a scenario can inject. They are part of the scenario, so they
// replay identically.
const (
	// Down: Node refuses messages and delivers nothing from At until Until.
	Down FaultType = "down"
	// Crash: Node stops at At, losing the work in hand (messages it was
	// handling; outbox rows published but not yet marked), and restarts
	// after Restart.
	Crash FaultType = "crash"
	// Poison: the listed Requests (by number, from 0) of client Node fail
	// wherever they are handled.
	Poison FaultType = "poison"
	// Latency: the edge From → To takes Add longer from At until Until.
	Latency FaultType = "latency"
	// LostAck: acks that consumer Node sends to its queue or topic from At
	// until Until never arrive.
	LostAck FaultType = "lost-ack"
)

// Fault is one injected failure.
type Fault struct {
	Type     FaultType `json:"type"`
	Node     string    `json:"node,omitempty"`
	From     string    `json:"from,omitempty"`
	To       string    `json:"to,omitempty"`
	At       Duration  `json:"at,omitempty"`
	Until    Duration  `json:"until,omitempty"`
	Restart  Duration  `json:"restart,omitempty"`
	Requests []int     `json:"requests,omitempty"`
	Add      Duration  `json:"add,omitempty"`
}

// Values of Partitioner.
const (
	Sticky     = "sticky"
	RoundRobin = "roundRobin"
)

// defaultBatchRecords is a sticky partitioner's batch when BatchRecords is 0.
const defaultBatchRecords = 16

// defaultSessionTimeout is a topic's SessionTimeout when it is 0: Kafka's
// session.timeout.ms default since 3.0 (KIP-735,
// https://cwiki.apache.org/confluence/display/KAFKA/KIP-735%3A+Increase+default+consumer+session+timeout).
const defaultSessionTimeout = 45 * Second

// Call orders.
const (
	Sequential = "sequential"
	Parallel   = "parallel"
)

// The defaults of fields left out (0): an outbox's poll interval and
// batch; a topic's partitions and a rate limiter's burst are 1.
const (
	defaultOutboxInterval = 100 * Millisecond
	defaultOutboxBatch    = 10
)

// Default concurrency per kind, used when Concurrency is 0.
var defaultConcurrency = map[Kind]int{
	Gateway:     1_000_000, // an event-loop gateway is effectively unbounded
	Service:     8,
	Database:    16,
	Worker:      1,
	Outbox:      1_000_000, // transactions are the database's business
	RateLimiter: 1_000_000, // it only gates; the downstream does the work
}

// EffectiveConcurrency is the concurrency the engine uses for n.
func (n *Node) EffectiveConcurrency() int {
	if n.Concurrency > 0 {
		return n.Concurrency
	}
	if n.Coroutine {
		return 1_000_000 // one task per message, as an event loop starts them
	}
	return defaultConcurrency[n.Kind]
}

// ParallelCalls reports whether n calls its downstream edges all at once.
func (n *Node) ParallelCalls() bool {
	if n.Calls == "" {
		return n.Kind == Gateway
	}
	return n.Calls == Parallel
}

// Name is the label if there is one, else the id.
func (n *Node) Name() string {
	if n.Label != "" {
		return n.Label
	}
	return n.ID
}

// Edge connects two nodes. Its latency is one-way: a sync call crosses it
// twice (request and reply), each crossing drawn separately.
type Edge struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Mode    Mode   `json:"mode"`
	Latency *Dist  `json:"latency,omitempty"`
	// Group is the consumer group of an edge out of a topic; each group
	// gets every record once. Default "group".
	Group string `json:"group,omitempty"`
}

// WorkloadType names how a client generates requests.
type WorkloadType string

// The workload types.
const (
	Single   WorkloadType = "single"   // one request at At
	Poisson  WorkloadType = "poisson"  // open loop: exponential gaps at Rate per second
	Schedule WorkloadType = "schedule" // open loop: Poisson at each phase's rate in turn (spikes)
	Closed   WorkloadType = "closed"   // Users each send, wait for the answer, think, repeat
)

// Workload is what a client sends and when.
type Workload struct {
	Type WorkloadType `json:"type"`
	// At is when a single request is sent.
	At Duration `json:"at,omitempty"`
	// Rate is requests per second for poisson.
	Rate float64 `json:"rate,omitempty"`
	// Count is how many requests to send in all (poisson, schedule), or
	// per user (closed). 0 means no limit but Duration or the scenario's Until.
	Count int `json:"count,omitempty"`
	// Duration stops generating new requests after this much time (poisson, closed).
	Duration Duration `json:"duration,omitempty"`
	// Phases is the schedule: each phase runs for its Duration at its Rate.
	Phases []RatePhase `json:"phases,omitempty"`
	// Users is the number of closed-loop users.
	Users int `json:"users,omitempty"`
	// Think is how long a closed-loop user waits between an answer and the next request.
	Think *Dist `json:"think,omitempty"`
	// Keys gives each request a key, drawn uniformly from 1..Keys (such
	// as a user id); everything the request causes carries it. Topics
	// partition by it. 0 sends unkeyed requests.
	Keys int `json:"keys,omitempty"`
	// KeyPrefix makes the keys strings: request key n is KeyPrefix
	// followed by n ("user-42"), and a topic partitions by its UTF-8
	// bytes, as Kafka's StringSerializer sends them. Empty: the key is the
	// number's text ("42").
	KeyPrefix string `json:"keyPrefix,omitempty"`
}

// RatePhase is one stretch of a rate schedule.
type RatePhase struct {
	Duration Duration `json:"duration"`
	Rate     float64  `json:"rate"`
}

// ParseScenario reads a scenario from JSON, refusing unknown fields, and
// validates it. Every problem is reported with the path of the field.
func ParseScenario(data []byte) (*Scenario, error) {
	sc, err := DecodeScenario(data)
	if err != nil {
		return nil, err
	}
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	return sc, nil
}

// MaxScenarioBytes bounds the size of scenario JSON that is read.
const MaxScenarioBytes = 1 << 20

// DecodeScenario reads a scenario from JSON without validating it.
// Nodes and edges are decoded one by one so that an error can name the
// element ("nodes[2].serviceTime.mean").
func DecodeScenario(data []byte) (*Scenario, error) {
	if len(data) > MaxScenarioBytes {
		return nil, Errors{{Field: "scenario", Message: fmtlite.Sprintf("is %d bytes; the most accepted is %d", len(data), MaxScenarioBytes)}}
	}
	if err := refuseDuplicateKeys(data); err != nil {
		return nil, err
	}
	// Most scenarios are valid JSON of the right shape: one pass reads
	// them. Only when that fails is each node and edge read on its own, so
	// that an error can name the element (nodes[3].kind): the second way
	// took twice as long on a scenario of 1,200 elements.
	var fast Scenario
	if strictDecode(data, &fast, "") == nil && len(fast.Nodes) <= MaxNodes && len(fast.Edges) <= MaxEdges {
		if fast.Nodes == nil {
			fast.Nodes = []Node{}
		}
		if fast.Edges == nil {
			fast.Edges = []Edge{}
		}
		return &fast, nil
	}
	type plain Scenario
	var raw struct {
		plain
		Nodes []jsonlite.RawMessage `json:"nodes"`
		Edges []jsonlite.RawMessage `json:"edges"`
	}
	if err := strictDecode(data, &raw, ""); err != nil {
		return nil, err
	}
	sc := Scenario(raw.plain)
	if len(raw.Nodes) > MaxNodes {
		return nil, Errors{{Field: "nodes", Message: fmtlite.Sprintf("has %d nodes; the most allowed is %d", len(raw.Nodes), MaxNodes)}}
	}
	if len(raw.Edges) > MaxEdges {
		return nil, Errors{{Field: "edges", Message: fmtlite.Sprintf("has %d edges; the most allowed is %d", len(raw.Edges), MaxEdges)}}
	}
	var errs Errors
	sc.Nodes = make([]Node, len(raw.Nodes))
	for i, r := range raw.Nodes {
		if err := strictDecode(r, &sc.Nodes[i], fmtlite.Sprintf("nodes[%d]", i)); err != nil {
			errs = append(errs, err.(Errors)...)
		}
	}
	sc.Edges = make([]Edge, len(raw.Edges))
	for i, r := range raw.Edges {
		if err := strictDecode(r, &sc.Edges[i], fmtlite.Sprintf("edges[%d]", i)); err != nil {
			errs = append(errs, err.(Errors)...)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return &sc, nil
}

// strictDecode decodes one JSON value into v, refusing unknown fields and
// trailing data, and reports errors as Errors under path.
func strictDecode(data []byte, v any, path string) error {
	n, err := jsonlite.Options{DisallowUnknownFields: true}.Decode(data, v)
	if err != nil {
		return jsonError(err, path)
	}
	if len(bytes.TrimLeft(data[n:], " \t\r\n")) > 0 {
		return Errors{{Field: orScenario(path), Message: "has extra data after the end of the JSON value"}}
	}
	return nil
}

// maxDuplicateKeys bounds how many repeated keys one error lists.
const maxDuplicateKeys = 10

// refuseDuplicateKeys reports every key that appears twice in one object,
// anywhere in data, naming its path: encoding/json would silently keep the
// last, so a file could say one thing to a reader and another to the
// engine. encoding/json also matches keys to fields ignoring case, so
// "kind" and "Kind" are the same key. It walks the tokens once (linear in
// len(data)); data that is not JSON (cut off, too) passes, for
// strictDecode to explain.
func refuseDuplicateKeys(data []byte) error {
	type frame struct {
		object bool
		keys   map[string]string // folded key -> the key as first written
		key    string            // the current key in an object
		index  int               // the next element's index in an array
	}
	var (
		stack []*frame
		errs  Errors
	)
	// path names the value being read: the keys and indexes of its frames.
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.object {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			} else {
				fmtlite.Fprintf(&b, "[%d]", f.index)
			}
		}
		return b.String()
	}
	// The tokens come from jsonTokens rather than a decoder's tokens,
	// which allocates for every token: on a scenario of 200 nodes and
	// 1,000 edges that took half of reading a share link.
	next := jsonTokens(data)
	expectKey := false
	for {
		tok, ok := next()
		if !ok {
			return nil // not JSON: strictDecode says where, which matters more
		}
		if expectKey && stack[len(stack)-1].object {
			if key, ok := tok.(string); ok {
				f := stack[len(stack)-1]
				f.key = key
				folded := jsonlite.FoldKey(key)
				first, dup := f.keys[folded]
				switch {
				case !dup:
					f.keys[folded] = key
				case len(errs) == maxDuplicateKeys:
				case first == key:
					errs = append(errs, FieldError{Field: path(), Message: "appears twice"})
				default:
					errs = append(errs, FieldError{Field: path(), Message: fmtlite.Sprintf("appears twice (also as %q: keys are matched ignoring case)", first)})
				}
				expectKey = false
				continue
			}
		}
		switch tok {
		case delim('{'):
			stack = append(stack, &frame{object: true, keys: map[string]string{}})
			expectKey = true
			continue
		case delim('['):
			stack = append(stack, &frame{})
			continue
		case delim('}'), delim(']'):
			if len(stack) == 0 {
				return nil // a bracket closing nothing: not JSON
			}
			// An empty object closes where a key was expected.
			stack, expectKey = stack[:len(stack)-1], false
		}
		// A value (scalar, or an object or array just closed) is done.
		if len(stack) == 0 {
			break // anything after it is strictDecode's to refuse
		}
		if f := stack[len(stack)-1]; f.object {
			expectKey = true
		} else {
			f.index++
		}
	}
	if len(errs) > 0 && jsonlite.Valid(data) {
		return errs
	}
	return nil // no duplicates, or not JSON: strictDecode says where
}

// delim is a bracket among jsonTokens' tokens.
type delim byte

// jsonTokens returns a function that reads data's tokens one at a time as
// encoding/json's Decoder.Token does for what refuseDuplicateKeys needs: a
// delim for a bracket, a string for a string, and nil for any other value
// (colons and commas are skipped). It reports false at the end or at
// anything malformed; it does not check the grammar (jsonlite.Valid does).
func jsonTokens(data []byte) func() (any, bool) {
	i := 0
	return func() (any, bool) {
		for i < len(data) {
			switch c := data[i]; c {
			case ' ', '\t', '\n', '\r', ':', ',':
				i++
			case '{', '}', '[', ']':
				i++
				return delim(c), true
			case '"':
				start, escaped := i, false
				for i++; i < len(data) && data[i] != '"'; i++ {
					if data[i] == '\\' {
						escaped = true
						i++
					}
				}
				if i >= len(data) {
					return nil, false
				}
				i++
				raw := data[start:i]
				if !escaped {
					return string(raw[1 : len(raw)-1]), true
				}
				var str string
				if jsonlite.Unmarshal(raw, &str) != nil {
					return nil, false
				}
				return str, true
			default:
				// A number, true, false or null: up to the next delimiter.
				for i < len(data) && !strings.ContainsRune(" \t\n\r,:]}", rune(data[i])) {
					i++
				}
				return nil, true
			}
		}
		return nil, false
	}
}

func orScenario(path string) string {
	if path == "" {
		return "scenario"
	}
	return path
}

func joinPath(path, field string) string {
	switch {
	case field == "":
		return orScenario(path)
	case path == "":
		return field
	}
	return path + "." + field
}

// jsonError turns the JSON reader's errors into a FieldError naming the field.
func jsonError(err error, path string) error {
	var typeErr *jsonlite.UnmarshalTypeError
	var syntaxErr *jsonlite.SyntaxError
	var unknown *jsonlite.UnknownFieldError
	switch {
	case errors.As(err, &typeErr):
		return Errors{{Field: joinPath(path, typeErr.Field), Message: fmtlite.Sprintf("want %s, got %s", friendlyType(typeErr.Type), typeErr.Value)}}
	case errors.As(err, &unknown):
		return Errors{{Field: joinPath(path, unknown.Field), Message: "is not a known field (check the spelling)"}}
	case errors.As(err, &syntaxErr):
		return Errors{{Field: orScenario(path), Message: fmtlite.Sprintf("is not valid JSON at byte %d: %s", syntaxErr.Offset, strings.TrimPrefix(err.Error(), "json: "))}}
	case errors.Is(err, io.EOF):
		return Errors{{Field: orScenario(path), Message: "is empty"}}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return Errors{{Field: orScenario(path), Message: "is cut off: the JSON ends too early"}}
	}
	return Errors{{Field: orScenario(path), Message: strings.TrimPrefix(err.Error(), "json: ")}}
}

func friendlyType(t reflect.Type) string {
	switch t {
	case durationType:
		return `a duration like "10ms" or "1.5s"`
	case distType:
		return `a duration ("10ms") or a distribution ({"type": "exponential", "mean": "10ms"})`
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint64:
		return "a whole number"
	case reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Slice:
		return "a list"
	case reflect.Bool:
		return "true or false"
	}
	return "an object"
}

// MarshalCanonical writes sc as compact JSON with fields in a fixed order,
// the form share links and trace hashes are computed from.
func (sc *Scenario) MarshalCanonical() ([]byte, error) {
	return jsonlite.Marshal(sc)
}

// Equal reports whether sc and other are the same scenario, field for
// field (as their canonical JSON says). Two nil scenarios are equal.
func (sc *Scenario) Equal(other *Scenario) bool {
	if sc == nil || other == nil {
		return sc == other
	}
	a, errA := sc.MarshalCanonical()
	b, errB := other.MarshalCanonical()
	return errA == nil && errB == nil && bytes.Equal(a, b)
}

// Clone returns a deep copy of sc.
func (sc *Scenario) Clone() *Scenario {
	// A copy field by field, not a JSON round trip: a scenario of 200
	// nodes and 1,000 edges took 6.5 ms natively that way, ten times that
	// in a browser, on every run.
	out := *sc
	out.Nodes = slices.Clone(sc.Nodes)
	for i := range out.Nodes {
		n := &out.Nodes[i]
		n.Pos = clonePtr(n.Pos)
		n.MaxWaiting = clonePtr(n.MaxWaiting)
		n.ServiceTime = clonePtr(n.ServiceTime)
		n.Retry = clonePtr(n.Retry)
		if n.Retry != nil {
			n.Retry.RetryOn = slices.Clone(n.Retry.RetryOn)
		}
		n.RedriveAt = slices.Clone(n.RedriveAt)
		if n.Workload != nil {
			w := *n.Workload
			w.Phases = slices.Clone(w.Phases)
			w.Think = clonePtr(w.Think)
			n.Workload = &w
		}
	}
	out.Edges = slices.Clone(sc.Edges)
	for i := range out.Edges {
		out.Edges[i].Latency = clonePtr(out.Edges[i].Latency)
	}
	out.Faults = slices.Clone(sc.Faults)
	for i := range out.Faults {
		out.Faults[i].Requests = slices.Clone(out.Faults[i].Requests)
	}
	return &out
}

// clonePtr returns a pointer to a copy of *p, or nil.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// NodeIndex returns the index of the node with the given id, or -1.
func (sc *Scenario) NodeIndex(id string) int {
	for i := range sc.Nodes {
		if sc.Nodes[i].ID == id {
			return i
		}
	}
	return -1
}
