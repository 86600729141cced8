package core

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sync-vs-async/playground/core/internal/jsonlite"
	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// The builder's properties panel is generated from the field tables below:
// NodeFields, EdgeFields and FaultFields list what can be set on an element
// in its current state, and FieldText and SetField read and write one field
// by its path, the same path validation errors name.

// FieldType says how a field's text is read.
type FieldType int

// The field types. A string field is FieldString, as FieldText is the
// function that reads a field's text.
const (
	FieldString    FieldType = iota // a string (label, group)
	FieldInt                        // a whole number
	FieldFloat                      // a number
	FieldDuration                   // "10ms", "1.5s"
	FieldBool                       // "true"/"false"
	FieldEnum                       // one of Options ("" = the default)
	FieldDurations                  // comma-separated durations: "10s, 20s"
	FieldInts                       // comma-separated whole numbers: "0, 5"
	FieldPhases                     // comma-separated duration@rate: "2s@100, 1s@1000"
)

// Field is one editable parameter of a node, an edge or a fault.
type Field struct {
	Key     string    // JSON path below the element: "concurrency", "serviceTime.mean", "workload.rate", "retry.jitter"
	Label   string    // short label for the form: "Concurrency", "Mean"
	Type    FieldType // how the text is read
	Options []string  // FieldEnum choices, in order; the first may be "" meaning "default"/"none"
	Help    string    // one short sentence: what it does, default
	Group   string    // a heading to group under: "Workload", "Service time", "Retries", "Queue", ...
}

// fieldList collects a table. With all set it keeps every field whatever
// the element's state: the table SetField looks a path up in, so that a
// field can be set before the one that makes it apply.
type fieldList struct {
	fields []Field
	all    bool
}

// add appends f if when holds (or the list keeps everything).
func (l *fieldList) add(when bool, f Field) {
	if when || l.all {
		l.fields = append(l.fields, f)
	}
}

// NodeFields lists the fields that apply to n, given its kind (and, for a
// client, its workload type; for a distribution, its type; for retries,
// the jitter): label first, then grouped by Field.Group.
func NodeFields(n *Node) []Field { return nodeFields(n, false) }

func nodeFields(n *Node, all bool) []Field {
	l := &fieldList{all: all}
	k := n.Kind
	client := k == Client
	caller := k == Gateway || k == Service || k == Worker
	handler := hasWorkers(k) // concurrency, failure rate, a bounded line, cancellation
	consumer := isConsumer(k) && k != RateLimiter
	broker := k == Queue || k == Topic || k == Bus

	l.add(true, Field{Key: "label", Label: "Label", Type: FieldString, Group: "Node",
		Help: "The name shown in the diagram; empty shows the id."})

	if client || all {
		l.workload(n.Workload)
	}
	l.add(client, Field{Key: "timeout", Label: "Timeout", Type: FieldDuration, Group: "Workload",
		Help: "How long the client waits for an answer before giving up; empty waits forever."})
	if client || all {
		var think *Dist
		if n.Workload != nil {
			think = n.Workload.Think
		}
		if all || n.Workload != nil && n.Workload.Type == Closed {
			l.dist("workload.think", "Think time", "How long a user waits between an answer and the next request; none sends at once.", think)
		}
	}

	concurrencyHelp := "Messages handled at once; the rest wait."
	if c := defaultConcurrency[k]; c > 0 && c < 1_000_000 {
		concurrencyHelp = fmtlite.Sprintf("Messages handled at once; the rest wait (default %d).", c)
	} else if c >= 1_000_000 {
		concurrencyHelp = "Messages handled at once; the rest wait (default: no limit)."
	}
	l.add(handler, Field{Key: "concurrency", Label: "Concurrency", Type: FieldInt, Group: "Processing", Help: concurrencyHelp})
	l.add(handler, Field{Key: "maxWaiting", Label: "Max waiting", Type: FieldInt, Group: "Processing",
		Help: "Most messages waiting for a worker; one more is turned away at once (503). 0: none wait; empty: no limit."})
	l.add(handler, Field{Key: "failureRate", Label: "Failure rate", Type: FieldFloat, Group: "Processing",
		Help: "Probability (0 to 1) that handling a message fails (default 0)."})
	l.add(handler, Field{Key: "ignoresCancellation", Label: "Ignores cancellation", Type: FieldBool, Group: "Processing",
		Help: "When a caller's deadline passes, keep working on its call anyway (default: stop, as a gRPC handler watching its context does)."})

	if isProcessor(k) || broker || all {
		help := "How long handling one message takes; none takes no time."
		if broker {
			help = "How long storing a message takes before the ack; none takes no time."
		}
		l.dist("serviceTime", "Service time", help, n.ServiceTime)
	}

	l.add(caller, Field{Key: "timeout", Label: "Timeout", Type: FieldDuration, Group: "Calls",
		Help: "Deadline for each downstream sync call; empty waits forever."})
	l.add(caller, Field{Key: "calls", Label: "Calls", Type: FieldEnum, Group: "Calls",
		Options: []string{"", Sequential, Parallel},
		Help:    "Call downstream edges one after another or all at once (default: parallel for a gateway, else sequential)."})
	l.add(caller, Field{Key: "coroutine", Label: "Coroutine", Type: FieldBool, Group: "Calls",
		Help: "An async function on an event loop: it awaits its calls, suspended, instead of blocking a worker."})
	l.add(caller, Field{Key: "onSendError", Label: "On send error", Type: FieldEnum, Group: "Calls",
		Options: []string{"", Fail, Ignore},
		Help:    "When an async send is refused: fail the handler (default) or ignore it and lose the message."})

	l.add(consumer, Field{Key: "onFailure", Label: "On failure", Type: FieldEnum, Group: "Consuming",
		Options: []string{"", Requeue, DeadLetter},
		Help:    "What a consumer does with a message it failed to handle: requeue it (default) or dead-letter it."})
	l.add(consumer, Field{Key: "idempotent", Label: "Idempotent", Type: FieldBool, Group: "Consuming",
		Help: "Remember handled events and skip duplicates (default false)."})

	group := "Queue"
	switch k {
	case Bus:
		group = "Bus"
	case Topic:
		group = "Topic"
	}
	l.add(k == Queue || k == Bus, Field{Key: "capacity", Label: "Capacity", Type: FieldInt, Group: group,
		Help: "Most messages held waiting; more are refused (default: unbounded)."})
	l.add(k == Queue, Field{Key: "visibilityTimeout", Label: "Visibility timeout", Type: FieldDuration, Group: group,
		Help: "Deliver a message again if its ack has not come after this long; empty waits for the ack."})
	l.add(k == Queue, Field{Key: "maxReceiveCount", Label: "Max receive count", Type: FieldInt, Group: group,
		Help: "Receives of one message before the redrive policy moves it to the dead letter queue (SQS); empty never gives up."})
	l.add(k == Topic, Field{Key: "partitions", Label: "Partitions", Type: FieldInt, Group: group,
		Help: "Number of partitions, each read in order (default 1)."})
	l.add(k == Topic, Field{Key: "commitEvery", Label: "Commit every", Type: FieldInt, Group: group,
		Help: "Records a consumer processes between offset commits (default 1: after each). After a crash they are processed again."})
	l.add(k == Topic, Field{Key: "sessionTimeout", Label: "Session timeout", Type: FieldDuration, Group: group,
		Help: "How long a consumer may be gone before its group gives its partitions to the others (default " + defaultSessionTimeout.String() + ", Kafka's)."})
	// Kafka's producer has put unkeyed records on a sticky partition
	// since 2.4 (KIP-480,
	// https://cwiki.apache.org/confluence/display/KAFKA/KIP-480%3A+Sticky+Partitioner);
	// 3.3 made it switch after batch.size bytes (KIP-794). Round robin is
	// the RoundRobinPartitioner one must configure:
	// https://kafka.apache.org/documentation/#producerconfigs_partitioner.class
	l.add(k == Topic, Field{Key: "partitioner", Label: "Partitioner", Type: FieldEnum, Group: group,
		Options: []string{"", Sticky, RoundRobin},
		Help:    "Where unkeyed records go: sticky (Kafka's default since 2.4: a batch on one partition, then another) or roundRobin (Kafka's RoundRobinPartitioner, set by hand: one partition after another)."})
	l.add(k == Topic && n.Partitioner != RoundRobin, Field{Key: "batchRecords", Label: "Batch (records)", Type: FieldInt, Group: group,
		Help: "Sticky partitioner: records put on one partition before moving on (Kafka's batch.size; default " + strconv.Itoa(defaultBatchRecords) + ")."})

	l.add(k == Outbox, Field{Key: "interval", Label: "Poll interval", Type: FieldDuration, Group: "Outbox",
		Help: "How often the poller publishes unpublished rows (default " + defaultOutboxInterval.String() + ")."})
	l.add(k == Outbox, Field{Key: "batch", Label: "Batch", Type: FieldInt, Group: "Outbox",
		Help: "Rows published per poll (default " + strconv.Itoa(defaultOutboxBatch) + ")."})

	l.add(k == DLQ, Field{Key: "redriveAt", Label: "Redrive at", Type: FieldDurations, Group: "Dead letter queue",
		Help: "Times at which everything held goes back to its queue: \"10s, 20s\"."})

	l.add(k == RateLimiter, Field{Key: "rate", Label: "Rate", Type: FieldFloat, Group: "Rate limit",
		Help: "Tokens added per second."})
	l.add(k == RateLimiter, Field{Key: "burst", Label: "Burst", Type: FieldInt, Group: "Rate limit",
		Help: "Most tokens the bucket holds (default 1)."})
	l.add(k == RateLimiter, Field{Key: "onLimit", Label: "On limit", Type: FieldEnum, Group: "Rate limit",
		Options: []string{"", Reject, Wait},
		Help:    "A message without a token is rejected (default) or waits for one."})

	if caller || client || k == Queue || k == Topic || all {
		l.retry(n.Retry, k)
	}
	return l.fields
}

// workload adds a client's workload fields for w's type.
func (l *fieldList) workload(w *Workload) {
	var t WorkloadType
	if w != nil {
		t = w.Type
	}
	is := func(types ...WorkloadType) bool { return slices.Contains(types, t) }
	const g = "Workload"
	l.add(true, Field{Key: "workload.type", Label: "Workload", Type: FieldEnum, Group: g,
		Options: []string{string(Single), string(Poisson), string(Schedule), string(Closed)},
		Help:    "single: one request; poisson: a random stream at a rate; schedule: rates in phases; closed: users who wait for each answer."})
	l.add(is(Single), Field{Key: "workload.at", Label: "At", Type: FieldDuration, Group: g,
		Help: "When the request is sent (default 0s)."})
	l.add(is(Poisson), Field{Key: "workload.rate", Label: "Rate", Type: FieldFloat, Group: g,
		Help: "Requests per second, on average."})
	l.add(is(Schedule), Field{Key: "workload.phases", Label: "Phases", Type: FieldPhases, Group: g,
		Help: "Duration@rate phases run in turn: \"2s@50, 1s@500\"."})
	l.add(is(Closed), Field{Key: "workload.users", Label: "Users", Type: FieldInt, Group: g,
		Help: "Users, each sending a request and waiting for its answer."})
	l.add(is(Poisson, Schedule, Closed), Field{Key: "workload.count", Label: "Count", Type: FieldInt, Group: g,
		Help: "Requests to send in all (per user if closed); empty: no limit but the duration."})
	l.add(is(Poisson, Closed), Field{Key: "workload.duration", Label: "Duration", Type: FieldDuration, Group: g,
		Help: "Stop sending new requests after this long; empty: no limit but the count."})
	l.add(true, Field{Key: "workload.keys", Label: "Keys", Type: FieldInt, Group: g,
		Help: "Give each request a key from 1 to this (a user id) that topics partition by; empty sends no keys."})
	l.add(w != nil && w.Keys > 0, Field{Key: "workload.keyPrefix", Label: "Key prefix", Type: FieldString, Group: g,
		Help: "Make the keys text: user- gives user-1, user-2… (empty: 1, 2…). Topics partition by the key's bytes, as Kafka does."})
}

// distParam is one parameter of a distribution and the types it belongs to.
type distParam struct {
	name, label, help string
	typ               FieldType
	kinds             []DistKind
}

func distParams() []distParam {
	return []distParam{
		{"value", "Value", "Always this long.", FieldDuration, []DistKind{Constant}},
		{"min", "Min", "Shortest draw.", FieldDuration, []DistKind{Uniform}},
		{"max", "Max", "Longest draw.", FieldDuration, []DistKind{Uniform}},
		{"mean", "Mean", "Average draw.", FieldDuration, []DistKind{Exponential, Normal}},
		{"stddev", "Std dev", "Standard deviation: how far draws stray from the mean.", FieldDuration, []DistKind{Normal}},
		{"median", "Median", "Half the draws are shorter, half longer.", FieldDuration, []DistKind{LogNormal}},
		{"sigma", "Sigma", "Shape, above 0 and at most 5: larger gives a longer tail.", FieldFloat, []DistKind{LogNormal}},
	}
}

// distPrefixes lists the keys, below an element, that hold a Dist.
func distPrefixes() []string { return []string{"serviceTime", "latency", "workload.think"} }

// dist adds a distribution's type and the parameters of that type.
func (l *fieldList) dist(prefix, group, help string, d *Dist) {
	var t DistKind
	if d != nil {
		t = d.Type
	}
	l.add(true, Field{Key: prefix + ".type", Label: "Distribution", Type: FieldEnum, Group: group,
		Options: []string{"", string(Constant), string(Uniform), string(Exponential), string(Normal), string(LogNormal)},
		Help:    help})
	for _, p := range distParams() {
		l.add(slices.Contains(p.kinds, t), Field{Key: prefix + "." + p.name, Label: p.label, Type: p.typ, Group: group, Help: p.help})
	}
}

// retry adds a retry policy's fields, for a node of kind k. A queue
// ignores maxAttempts (its maxReceiveCount bounds receives), so it is not
// offered there; on a topic it bounds the consumers' tries in place.
func (l *fieldList) retry(p *RetryPolicy, k Kind) {
	const g = "Retries"
	attempts := "Attempts in all, including the first (default " + strconv.Itoa(defaultMaxAttempts) + " once any retry setting is given; none set: no retries)."
	base := "Wait before the first retry (default 0s)."
	switch k {
	case Queue:
		// SQS: a consumer delays a failed message by changing its
		// visibility timeout; RabbitMQ's nack with requeue delivers it
		// again at once.
		base = "Wait before a failed message is delivered again, as an SQS consumer sets it with ChangeMessageVisibility (default 0s; no retry setting: at once, as RabbitMQ's nack with requeue)."
	case Topic:
		attempts = "Tries of a failed record in place, the first included, before it goes to the dead-letter topic (default " + strconv.Itoa(defaultMaxAttempts) + " once any retry setting is given; none set: it is retried at once, for ever)."
		base = "Wait before retrying a failed record in place; its partition waits meanwhile (default 0s)."
	}
	l.add(k != Queue, Field{Key: "retry.maxAttempts", Label: "Max attempts", Type: FieldInt, Group: g, Help: attempts})
	l.add(true, Field{Key: "retry.base", Label: "Base", Type: FieldDuration, Group: g, Help: base})
	l.add(true, Field{Key: "retry.multiplier", Label: "Multiplier", Type: FieldFloat, Group: g,
		Help: "Each wait is this many times the last, at least 1 (default " + strconv.Itoa(defaultMultiplier) + ")."})
	l.add(true, Field{Key: "retry.cap", Label: "Cap", Type: FieldDuration, Group: g,
		Help: "Longest wait; empty: no cap."})
	l.add(true, Field{Key: "retry.jitter", Label: "Jitter", Type: FieldEnum, Group: g,
		Options: []string{"", jitterNone, jitterFull, jitterEqual, jitterDecorrelated, jitterProportional},
		Help:    "How waits are randomised so that retries do not arrive together (default none)."})
	l.add(p != nil && p.resolved().Jitter == jitterProportional, Field{Key: "retry.spread", Label: "Spread", Type: FieldFloat, Group: g,
		Help: "Proportional jitter: each wait after the first is multiplied by a random factor in 1±spread (0 to below 1)."})
	l.add(true, Field{Key: "retry.preset", Label: "Preset", Type: FieldEnum, Group: g,
		Options: []string{"", presetGRPCConnection, presetGRPCRetry},
		Help:    "Start from one of gRPC's two backoffs; fields set here override it. grpc-retry (retrying a call): up to 4 attempts, each wait random up to 0.1s, 0.2s, 0.4s… at most 1s. grpc-connection (reconnecting): 1s, then ×1.6 with ±20%, cap 120s."})
}

// EdgeFields lists the fields that apply to e, an edge of sc: its mode, its
// latency and, out of a topic, its consumer group.
func EdgeFields(sc *Scenario, e *Edge) []Field { return edgeFields(sc, e, false) }

func edgeFields(sc *Scenario, e *Edge, all bool) []Field {
	l := &fieldList{all: all}
	l.add(true, Field{Key: "mode", Label: "Mode", Type: FieldEnum, Group: "Edge",
		Options: []string{string(Sync), string(Async)},
		Help:    "sync: the caller waits for the reply; async: it waits only for the ack."})
	l.dist("latency", "Latency", "One-way network delay; a sync call crosses twice. None is instant.", e.Latency)
	fromTopic := false
	if i := sc.NodeIndex(e.From); i >= 0 {
		fromTopic = sc.Nodes[i].Kind == Topic
	}
	l.add(fromTopic, Field{Key: "group", Label: "Consumer group", Type: FieldString, Group: "Edge",
		Help: "Each group gets every record once; its consumers split the partitions (default \"group\")."})
	return l.fields
}

// FaultFields lists the fields that apply to f, given its type.
func FaultFields(f *Fault) []Field { return faultFields(f, false) }

func faultFields(f *Fault, all bool) []Field {
	l := &fieldList{all: all}
	t := f.Type
	is := func(types ...FaultType) bool { return slices.Contains(types, t) }
	const g = "Fault"
	l.add(true, Field{Key: "type", Label: "Fault", Type: FieldEnum, Group: g,
		Options: []string{string(Down), string(Crash), string(Poison), string(Latency), string(LostAck)},
		Help:    "down: refuses messages for a while; crash: loses its work and restarts; poison: some requests always fail; latency: an edge slows down; lost-ack: a consumer's acks vanish."})
	l.add(is(Down, Crash, Poison, LostAck), Field{Key: "node", Label: "Node", Type: FieldString, Group: g,
		Help: "The id of the node it happens to."})
	l.add(is(Latency), Field{Key: "from", Label: "From", Type: FieldString, Group: g,
		Help: "The id of the node the slow edge leaves."})
	l.add(is(Latency), Field{Key: "to", Label: "To", Type: FieldString, Group: g,
		Help: "The id of the node the slow edge reaches."})
	l.add(is(Down, Crash, Latency, LostAck), Field{Key: "at", Label: "At", Type: FieldDuration, Group: g,
		Help: "When it starts."})
	l.add(is(Down, Latency, LostAck), Field{Key: "until", Label: "Until", Type: FieldDuration, Group: g,
		Help: "When it ends; after at."})
	l.add(is(Crash), Field{Key: "restart", Label: "Restart after", Type: FieldDuration, Group: g,
		Help: "How long the node takes to come back (default 0s)."})
	l.add(is(Poison), Field{Key: "requests", Label: "Requests", Type: FieldInts, Group: g,
		Help: "Numbers of the client's requests that fail, from 0: \"0, 5\"."})
	l.add(is(Latency), Field{Key: "add", Label: "Add", Type: FieldDuration, Group: g,
		Help: "Extra one-way delay on the edge."})
	return l.fields
}

// ScenarioFields lists the scenario's own settable fields.
func ScenarioFields() []Field {
	const g = "Scenario"
	return []Field{
		{Key: "name", Label: "Name", Type: FieldString, Group: g, Help: "A title for the scenario."},
		{Key: "description", Label: "Description", Type: FieldString, Group: g, Help: "What the scenario shows."},
		{Key: "seed", Label: "Seed", Type: FieldInt, Group: g, Help: "Seed of the random draws: the same seed replays the same run."},
		{Key: "until", Label: "Until", Type: FieldDuration, Group: g, Help: "Stop the clock here; empty runs until nothing is left to do."},
		{Key: "limits.maxEvents", Label: "Max events", Type: FieldInt, Group: g,
			Help: "End a runaway run after this many events (default " + strconv.Itoa(DefaultMaxEvents) + ")."},
		{Key: "limits.maxMessages", Label: "Max messages", Type: FieldInt, Group: g,
			Help: "End a runaway run after this many messages (default " + strconv.Itoa(DefaultMaxMessages) + ")."},
	}
}

// fieldPath is a parsed field path: "nodes[2].serviceTime.mean" is list
// "nodes", index 2, key "serviceTime.mean"; "seed" is list "", key "seed".
type fieldPath struct {
	list  string
	index int
	key   string
}

// elem returns the path of the element ("nodes[2]"), or "" for the scenario.
func (p fieldPath) elem() string {
	if p.list == "" {
		return ""
	}
	return p.list + "[" + strconv.Itoa(p.index) + "]"
}

// FieldElement splits a field path, or an element's own path as a
// validation error names it, into the list and index of the element:
// "nodes[2].serviceTime.mean" and "nodes[2]" are "nodes", 2; a scenario
// field such as "seed" is "", 0. ok is false for what is not a path.
func FieldElement(path string) (list string, index int, ok bool) {
	p, ok := parseFieldPath(path)
	if !ok && strings.HasSuffix(path, "]") {
		p, ok = parseFieldPath(path + ".x") // an element: nodes[2]
	}
	return p.list, p.index, ok
}

func parseFieldPath(path string) (fieldPath, bool) {
	for _, list := range []string{"nodes", "edges", "faults"} {
		rest, ok := strings.CutPrefix(path, list+"[")
		if !ok {
			continue
		}
		num, key, ok := strings.Cut(rest, "].")
		if !ok || key == "" || num == "" || len(num) > 9 || strings.Trim(num, "0123456789") != "" {
			return fieldPath{}, false
		}
		i, _ := strconv.Atoi(num)
		return fieldPath{list: list, index: i, key: key}, true
	}
	if path == "" || strings.ContainsAny(path, "[]") {
		return fieldPath{}, false
	}
	return fieldPath{key: path}, true
}

// lookupField resolves path in sc to the element and the field it names.
func lookupField(sc *Scenario, path string) (fieldPath, Field, error) {
	notAField := Errors{{Field: path, Message: "is not a field this builder can set"}}
	p, ok := parseFieldPath(path)
	if !ok {
		return p, Field{}, notAField
	}
	var n int
	switch p.list {
	case "nodes":
		n = len(sc.Nodes)
	case "edges":
		n = len(sc.Edges)
	case "faults":
		n = len(sc.Faults)
	}
	if p.list != "" && p.index >= n {
		return p, Field{}, Errors{{Field: path, Message: fmtlite.Sprintf("is not a field this builder can set: there is no %s", p.elem())}}
	}
	var fields []Field
	switch p.list {
	case "":
		fields = ScenarioFields()
	case "nodes":
		fields = nodeFields(&sc.Nodes[p.index], true)
	case "edges":
		fields = edgeFields(sc, &sc.Edges[p.index], true)
	case "faults":
		fields = faultFields(&sc.Faults[p.index], true)
	}
	for _, f := range fields {
		if f.Key == p.key {
			return p, f, nil
		}
	}
	return p, Field{}, notAField
}

// elementJSON returns the canonical JSON of the element p names; for the
// scenario itself, without its nodes, edges and faults.
func elementJSON(sc *Scenario, p fieldPath) ([]byte, error) {
	switch p.list {
	case "nodes":
		return jsonlite.Marshal(&sc.Nodes[p.index])
	case "edges":
		return jsonlite.Marshal(&sc.Edges[p.index])
	case "faults":
		return jsonlite.Marshal(&sc.Faults[p.index])
	}
	top := *sc
	top.Nodes, top.Edges, top.Faults = nil, nil, nil
	return jsonlite.Marshal(&top)
}

// decodeObject reads a JSON object into a generic map, keeping numbers as
// they were written.
func decodeObject(data []byte) (map[string]any, error) {
	var m map[string]any
	if _, err := (jsonlite.Options{UseNumber: true}).Decode(data, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// asObject returns v as an object to walk into. A constant distribution is
// marshalled as a plain duration string; it reads as its object form.
func asObject(v any) (map[string]any, bool) {
	switch v := v.(type) {
	case map[string]any:
		return v, true
	case string:
		return map[string]any{"type": string(Constant), "value": v}, true
	}
	return nil, false
}

// FieldText returns the current value of the field at path as the text the
// form shows ("" if unset). Durations use Duration's String form, a constant
// distribution reports type "constant", phases read "2s@100, 1s@1000".
// Any path into the element's JSON can be read ("nodes[0].id"), not only
// the fields of the tables.
func FieldText(sc *Scenario, path string) string {
	return NewFieldReader(sc).Text(path)
}

// FieldReader reads the texts of many fields of one scenario, as a form
// does: each element (a node, an edge, a fault, the scenario itself) is
// encoded and decoded once, not once per field. The scenario must not
// change while the reader is in use.
type FieldReader struct {
	sc    *Scenario
	elems map[fieldPath]map[string]any // by element (key "")
}

// NewFieldReader returns a reader of sc's fields.
func NewFieldReader(sc *Scenario) *FieldReader { return &FieldReader{sc: sc} }

// Text is FieldText(sc, path).
func (r *FieldReader) Text(path string) string {
	sc := r.sc
	p, ok := parseFieldPath(path)
	if !ok {
		return ""
	}
	switch {
	case p.list == "nodes" && p.index >= len(sc.Nodes),
		p.list == "edges" && p.index >= len(sc.Edges),
		p.list == "faults" && p.index >= len(sc.Faults):
		return ""
	}
	elem := fieldPath{list: p.list, index: p.index}
	obj, ok := r.elems[elem]
	if !ok {
		data, err := elementJSON(sc, p)
		if err == nil {
			obj, err = decodeObject(data)
		}
		if err != nil {
			obj = nil
		}
		if r.elems == nil {
			r.elems = map[fieldPath]map[string]any{}
		}
		r.elems[elem] = obj
	}
	if obj == nil {
		return ""
	}
	parts := strings.Split(p.key, ".")
	var v any = obj
	for _, part := range parts {
		o, ok := asObject(v)
		if !ok {
			return ""
		}
		v = o[part]
	}
	return formatJSONValue(v)
}

// formatJSONValue formats a leaf of generic JSON as form text.
func formatJSONValue(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case jsonlite.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case []any:
		items := make([]string, len(v))
		for i, x := range v {
			if ph, ok := x.(map[string]any); ok {
				items[i] = formatJSONValue(ph["duration"]) + "@" + formatJSONValue(ph["rate"])
			} else {
				items[i] = formatJSONValue(x)
			}
		}
		return strings.Join(items, ", ")
	}
	return ""
}

// SetField returns a copy of sc with the field at path set from text (""
// removes it, restoring the default). The copy is decoded but NOT validated
// (the caller validates, so that a learner can make one field inconsistent
// and fix another next). A text that cannot be read (not a number, not a
// duration, an unknown option) is an Errors with Field == path and a clear
// message, e.g. {Field: "nodes[2].concurrency", Message: "want a whole number, got \"abc\""}, and sc is unchanged.
//
// Any field of an element's table for any state can be set, so that, say,
// the capacity of a service can be set and the validator then says it does
// not apply; but a distribution's parameter that its current type does not
// have is refused. Setting "<dist>.type", "workload.type" or a fault's
// "type" to a new value rewrites the whole distribution, workload or fault
// with sensible values for the new type, carrying over what still applies;
// setting it to its current value changes nothing. Removing the last
// setting of a group (retry) removes the group.
func SetField(sc *Scenario, path, text string) (*Scenario, error) {
	p, f, err := lookupField(sc, path)
	if err != nil {
		return nil, err
	}
	v, remove, err := parseFieldText(f, path, text)
	if err != nil {
		return nil, err
	}
	out, err := copyScenario(sc)
	if err != nil {
		return nil, err
	}
	prefix, param, isDist := splitDistKey(p.key)
	switch {
	case p.list != "" && isDist && param == "type":
		d := distRef(out, p, !remove)
		if remove {
			*d = nil
		} else {
			*d = retypeDist(*d, DistKind(v.(string)))
		}
		return out, nil
	case p.list == "nodes" && p.key == "workload.type":
		n := &out.Nodes[p.index]
		n.Workload = retypeWorkload(n.Workload, WorkloadType(v.(string)))
		return out, nil
	case p.list == "faults" && p.key == "type":
		out.Faults[p.index] = retypeFault(out, out.Faults[p.index], FaultType(v.(string)))
		return out, nil
	case isDist && !remove:
		for _, dp := range distParams() {
			if dp.name != param {
				continue
			}
			d := distRef(out, p, true)
			switch {
			case *d == nil:
				// A new distribution takes the first type with this parameter.
				*d = &Dist{Type: dp.kinds[0]}
			case !slices.Contains(dp.kinds, (*d).Type):
				return nil, Errors{{Field: path, Message: fmtlite.Sprintf("does not apply to %s distribution (change %s.type first)", aDist((*d).Type), prefix)}}
			}
		}
	}

	data, err := elementJSON(out, p)
	if err != nil {
		return nil, Errors{{Field: path, Message: err.Error()}}
	}
	obj, err := decodeObject(data)
	if err != nil {
		return nil, Errors{{Field: path, Message: err.Error()}}
	}
	if !setIn(obj, strings.Split(p.key, "."), v, remove) {
		return out, nil // removing what is not there
	}
	data, err = jsonlite.Marshal(obj)
	if err != nil {
		return nil, Errors{{Field: path, Message: err.Error()}}
	}
	switch p.list {
	case "nodes":
		var n Node
		if err := strictDecode(data, &n, p.elem()); err != nil {
			return nil, err
		}
		out.Nodes[p.index] = n
	case "edges":
		var e Edge
		if err := strictDecode(data, &e, p.elem()); err != nil {
			return nil, err
		}
		out.Edges[p.index] = e
	case "faults":
		var ft Fault
		if err := strictDecode(data, &ft, p.elem()); err != nil {
			return nil, err
		}
		out.Faults[p.index] = ft
	default:
		var top Scenario
		if err := strictDecode(data, &top, ""); err != nil {
			return nil, err
		}
		top.Nodes, top.Edges, top.Faults = out.Nodes, out.Edges, out.Faults
		out = &top
	}
	return out, nil
}

// aDist names a distribution type with its article: "an exponential".
func aDist(t DistKind) string {
	switch {
	case t == "":
		return "a typeless"
	case strings.ContainsRune("aeiou", rune(t[0])):
		return "an " + string(t)
	}
	return "a " + string(t)
}

// setIn sets (or, with remove, deletes) the value at the dotted key parts
// below obj, creating objects on the way. An object a removal leaves empty
// is removed too. It reports whether anything changed.
func setIn(obj map[string]any, parts []string, v any, remove bool) bool {
	if len(parts) == 1 {
		if remove {
			if _, ok := obj[parts[0]]; !ok {
				return false
			}
			delete(obj, parts[0])
			return true
		}
		obj[parts[0]] = v
		return true
	}
	child, ok := asObject(obj[parts[0]])
	if !ok {
		if remove {
			return false
		}
		child = map[string]any{}
	}
	if !setIn(child, parts[1:], v, remove) {
		return false
	}
	if remove && len(child) == 0 {
		delete(obj, parts[0])
	} else {
		obj[parts[0]] = child
	}
	return true
}

// splitDistKey splits a key inside a distribution ("serviceTime.mean")
// into the distribution's key and the parameter.
func splitDistKey(key string) (prefix, param string, ok bool) {
	for _, d := range distPrefixes() {
		if rest, found := strings.CutPrefix(key, d+"."); found {
			return d, rest, true
		}
	}
	return "", "", false
}

// distRef returns where the distribution at p's key lives in sc. For a
// think time with create set, a missing workload is created to hold it;
// without, a missing workload reads as a missing distribution.
func distRef(sc *Scenario, p fieldPath, create bool) **Dist {
	prefix, _, _ := splitDistKey(p.key)
	switch {
	case p.list == "edges":
		return &sc.Edges[p.index].Latency
	case prefix == "serviceTime":
		return &sc.Nodes[p.index].ServiceTime
	}
	n := &sc.Nodes[p.index]
	if n.Workload == nil {
		if !create {
			var none *Dist
			return &none
		}
		n.Workload = &Workload{}
	}
	return &n.Workload.Think
}

// typicalValue is the duration that best stands for d: its value, mean or
// median; 10ms if it has none.
func typicalValue(d *Dist) Duration {
	var m Duration
	if d != nil {
		switch d.Type {
		case Constant:
			m = d.Value
		case Uniform:
			m = (d.Min + d.Max) / 2
		case Exponential, Normal:
			m = d.Mean
		case LogNormal:
			m = d.Median
		}
	}
	if m <= 0 {
		m = 10 * Millisecond
	}
	return m
}

// retypeDist returns a distribution of type t centred where d was.
func retypeDist(d *Dist, t DistKind) *Dist {
	if d != nil && d.Type == t {
		return d
	}
	m := typicalValue(d)
	switch t {
	case Constant:
		return Fixed(m)
	case Uniform:
		return &Dist{Type: Uniform, Min: m / 2, Max: m + m/2}
	case Exponential:
		return Exp(m)
	case Normal:
		return &Dist{Type: Normal, Mean: m, Stddev: max(m/4, 1)}
	case LogNormal:
		return &Dist{Type: LogNormal, Median: m, Sigma: 0.5}
	}
	return &Dist{Type: t}
}

// retypeWorkload returns a workload of type t with sensible values,
// keeping w's keys.
func retypeWorkload(w *Workload, t WorkloadType) *Workload {
	if w != nil && w.Type == t {
		return w
	}
	out := &Workload{Type: t}
	if w != nil {
		out.Keys, out.KeyPrefix = w.Keys, w.KeyPrefix
	}
	switch t {
	case Poisson:
		out.Rate, out.Count = 10, 100
	case Closed:
		out.Users, out.Think, out.Count = 5, Fixed(100*Millisecond), 20
	case Schedule:
		out.Phases = []RatePhase{{2 * Second, 50}, {Second, 500}, {2 * Second, 50}}
	}
	return out
}

// retypeFault returns a fault of type t in sc standing where f stood: on
// its node (or a fitting one), in its time window where it has one.
func retypeFault(sc *Scenario, f Fault, t FaultType) Fault {
	if f.Type == t {
		return f
	}
	at, until := Second, 2*Second
	if f.Type != Poison {
		at = f.At
	}
	if f.Until > at {
		until = f.Until
	} else {
		until = at + Second
	}
	node := f.Node
	if node == "" {
		node = f.From
	}
	out := Fault{Type: t}
	switch t {
	case Down:
		out.Node, out.At, out.Until = pickNode(sc, node, func(k Kind) bool { return k != Client }), at, until
	case Crash:
		out.Node, out.At, out.Restart = pickNode(sc, node, func(k Kind) bool { return k != Client }), at, f.Restart
		if out.Restart == 0 {
			out.Restart = 500 * Millisecond
		}
	case Poison:
		out.Node, out.Requests = pickNode(sc, node, func(k Kind) bool { return k == Client }), f.Requests
		if len(out.Requests) == 0 {
			out.Requests = []int{0}
		}
	case Latency:
		out.From, out.To, out.At, out.Until, out.Add = f.From, f.To, at, until, f.Add
		if out.From == "" || out.To == "" {
			if e := edgeAt(sc, node); e != nil {
				out.From, out.To = e.From, e.To
			}
		}
		if out.Add <= 0 {
			out.Add = 200 * Millisecond
		}
	case LostAck:
		out.Node, out.At, out.Until = pickNode(sc, node, isConsumer), at, until
	}
	return out
}

// edgeAt returns the first edge out of the node id, else the first into
// it, else nil.
func edgeAt(sc *Scenario, id string) *Edge {
	for i := range sc.Edges {
		if sc.Edges[i].From == id {
			return &sc.Edges[i]
		}
	}
	for i := range sc.Edges {
		if sc.Edges[i].To == id {
			return &sc.Edges[i]
		}
	}
	return nil
}

// pickNode returns id if its node's kind fits, else the first node of sc
// that fits, else id.
func pickNode(sc *Scenario, id string, fits func(Kind) bool) string {
	if i := sc.NodeIndex(id); i >= 0 && fits(sc.Nodes[i].Kind) {
		return id
	}
	for _, n := range sc.Nodes {
		if fits(n.Kind) {
			return n.ID
		}
	}
	return id
}

// parseFieldText reads text as a value of field f, as it goes into the JSON.
// remove means the text is empty: the key is to be removed.
func parseFieldText(f Field, path, text string) (v any, remove bool, err error) {
	if f.Type == FieldString {
		return text, text == "", nil
	}
	t := strings.TrimSpace(text)
	bad := func(format string, args ...any) (any, bool, error) {
		return nil, false, Errors{{Field: path, Message: fmtlite.Sprintf(format, args...)}}
	}
	if t == "" {
		if f.Type == FieldEnum && !slices.Contains(f.Options, "") {
			return bad("is required: want %s", quoteList(f.Options))
		}
		return nil, true, nil
	}
	switch f.Type {
	case FieldInt:
		n, err := parseWhole(t)
		if err != nil {
			return bad("want a whole number, got %q", text)
		}
		return n, false, nil
	case FieldFloat:
		x, err := strconv.ParseFloat(t, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return bad("want a number, got %q", text)
		}
		return x, false, nil
	case FieldDuration:
		d, err := parseDurationText(t)
		if err != nil {
			return bad("want a duration like \"10ms\" or \"1.5s\", got %q", text)
		}
		return d.String(), false, nil
	case FieldBool:
		switch strings.ToLower(t) {
		case "true":
			return true, false, nil
		case "false":
			return false, false, nil
		}
		return bad("want true or false, got %q", text)
	case FieldEnum:
		if !slices.Contains(f.Options, t) {
			var opts []string
			for _, o := range f.Options {
				if o != "" {
					opts = append(opts, o)
				}
			}
			return bad("want %s, got %q", quoteList(opts), text)
		}
		return t, false, nil
	case FieldDurations, FieldInts, FieldPhases:
		items := strings.Split(t, ",")
		list := make([]any, len(items))
		for i, item := range items {
			item = strings.TrimSpace(item)
			switch f.Type {
			case FieldDurations:
				d, err := parseDurationText(item)
				if err != nil {
					return bad("item %d (%q): want a duration like \"10s\"; write a list as \"10s, 20s\"", i+1, item)
				}
				list[i] = d.String()
			case FieldInts:
				n, err := parseWhole(item)
				if err != nil {
					return bad("item %d (%q): want a whole number; write a list as \"0, 5\"", i+1, item)
				}
				list[i] = n
			case FieldPhases:
				ds, rs, ok := strings.Cut(item, "@")
				if !ok {
					return bad("phase %d (%q): want duration@rate, as in \"2s@100, 1s@1000\"", i+1, item)
				}
				d, err := parseDurationText(strings.TrimSpace(ds))
				if err != nil {
					return bad("phase %d (%q): want a duration like \"2s\" before the @", i+1, item)
				}
				r, err := strconv.ParseFloat(strings.TrimSpace(rs), 64)
				if err != nil || math.IsNaN(r) || math.IsInf(r, 0) {
					return bad("phase %d (%q): want a rate per second like \"100\" after the @", i+1, item)
				}
				list[i] = map[string]any{"duration": d.String(), "rate": r}
			}
		}
		return list, false, nil
	}
	return bad("cannot be set")
}

// parseWhole reads a whole number (up to the range of a uint64, for seeds)
// as a JSON number.
func parseWhole(s string) (jsonlite.Number, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return jsonlite.Number(strconv.FormatInt(n, 10)), nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return "", err
	}
	return jsonlite.Number(strconv.FormatUint(n, 10)), nil
}

// parseDurationText reads a Go duration ("1.5s") or, as scenario JSON
// does, a bare number of milliseconds.
func parseDurationText(s string) (Duration, error) {
	if d, err := time.ParseDuration(s); err == nil {
		return Duration(d), nil
	}
	if d, ok := parseMillis(s); ok {
		return d, nil
	}
	return 0, fmtlite.Errorf("not a duration: %q", s)
}

// copyScenario returns an independent copy of sc through its canonical
// JSON, without the size limits DecodeScenario enforces on input.
func copyScenario(sc *Scenario) (*Scenario, error) {
	data, err := sc.MarshalCanonical()
	if err != nil {
		return nil, Errors{{Field: "scenario", Message: "cannot be written as JSON: " + strings.TrimPrefix(err.Error(), "json: ")}}
	}
	var out Scenario
	if err := jsonlite.Unmarshal(data, &out); err != nil {
		return nil, Errors{{Field: "scenario", Message: "cannot be read back: " + err.Error()}}
	}
	return &out, nil
}
