package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
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
)

// Kinds lists every node kind, in palette order.
var Kinds = []Kind{Client, Gateway, Service, Database, Queue, Worker}

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

	// Workload is what a client sends.
	Workload *Workload `json:"workload,omitempty"`
	// Timeout is a client's deadline for its request, or a gateway's or
	// service's deadline for each downstream sync call. 0 waits forever.
	Timeout Duration `json:"timeout,omitempty"`

	// Concurrency is how many messages a gateway, service, database or
	// worker handles at once; the rest wait. 0 means the kind's default.
	Concurrency int `json:"concurrency,omitempty"`
	// ServiceTime is how long handling one message takes (for a queue:
	// how long storing it takes before the ack).
	ServiceTime *Dist `json:"serviceTime,omitempty"`
	// FailureRate is the probability that handling a message fails.
	FailureRate float64 `json:"failureRate,omitempty"`
	// Calls is "sequential" (one downstream call after another) or
	// "parallel" (all at once, then wait for all). Gateways default to
	// parallel, everything else to sequential.
	Calls string `json:"calls,omitempty"`

	// Capacity is the most messages a queue holds waiting; 0 is unbounded.
	Capacity int `json:"capacity,omitempty"`
}

// Call orders.
const (
	Sequential = "sequential"
	Parallel   = "parallel"
)

// Default concurrency per kind, used when Concurrency is 0.
var defaultConcurrency = map[Kind]int{
	Gateway:  1_000_000, // an event-loop gateway is effectively unbounded
	Service:  8,
	Database: 16,
	Worker:   1,
}

// EffectiveConcurrency is the concurrency the engine uses for n.
func (n *Node) EffectiveConcurrency() int {
	if n.Concurrency > 0 {
		return n.Concurrency
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
	Phases []Phase `json:"phases,omitempty"`
	// Users is the number of closed-loop users.
	Users int `json:"users,omitempty"`
	// Think is how long a closed-loop user waits between an answer and the next request.
	Think *Dist `json:"think,omitempty"`
}

// Phase is one stretch of a rate schedule.
type Phase struct {
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
		return nil, Errors{{Field: "scenario", Message: fmt.Sprintf("is %d bytes; the most accepted is %d", len(data), MaxScenarioBytes)}}
	}
	type plain Scenario
	var raw struct {
		plain
		Nodes []json.RawMessage `json:"nodes"`
		Edges []json.RawMessage `json:"edges"`
	}
	if err := strictDecode(data, &raw, ""); err != nil {
		return nil, err
	}
	sc := Scenario(raw.plain)
	if len(raw.Nodes) > MaxNodes {
		return nil, Errors{{Field: "nodes", Message: fmt.Sprintf("has %d nodes; the most allowed is %d", len(raw.Nodes), MaxNodes)}}
	}
	if len(raw.Edges) > MaxEdges {
		return nil, Errors{{Field: "edges", Message: fmt.Sprintf("has %d edges; the most allowed is %d", len(raw.Edges), MaxEdges)}}
	}
	var errs Errors
	sc.Nodes = make([]Node, len(raw.Nodes))
	for i, r := range raw.Nodes {
		if err := strictDecode(r, &sc.Nodes[i], fmt.Sprintf("nodes[%d]", i)); err != nil {
			errs = append(errs, err.(Errors)...)
		}
	}
	sc.Edges = make([]Edge, len(raw.Edges))
	for i, r := range raw.Edges {
		if err := strictDecode(r, &sc.Edges[i], fmt.Sprintf("edges[%d]", i)); err != nil {
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
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err, path)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Errors{{Field: orScenario(path), Message: "has extra data after the end of the JSON value"}}
	}
	return nil
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

// jsonError turns encoding/json's errors into a FieldError naming the field.
func jsonError(err error, path string) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := strings.TrimPrefix(typeErr.Field, "plain.")
		return Errors{{Field: joinPath(path, field), Message: fmt.Sprintf("want %s, got %s", friendlyType(typeErr.Type), typeErr.Value)}}
	case errors.As(err, &syntaxErr):
		return Errors{{Field: orScenario(path), Message: fmt.Sprintf("is not valid JSON at byte %d: %s", syntaxErr.Offset, strings.TrimPrefix(err.Error(), "json: "))}}
	case errors.Is(err, io.EOF):
		return Errors{{Field: orScenario(path), Message: "is empty"}}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return Errors{{Field: orScenario(path), Message: "is cut off: the JSON ends too early"}}
	}
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return Errors{{Field: joinPath(path, strings.Trim(rest, `"`)), Message: "is not a known field (check the spelling)"}}
	}
	return Errors{{Field: orScenario(path), Message: strings.TrimPrefix(msg, "json: ")}}
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
	return json.Marshal(sc)
}

// Clone returns a deep copy of sc.
func (sc *Scenario) Clone() *Scenario {
	b, err := json.Marshal(sc)
	if err != nil {
		panic(err) // a Scenario always marshals
	}
	out, err := DecodeScenario(b)
	if err != nil {
		panic(err)
	}
	return out
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
