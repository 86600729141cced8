package core

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// Validate checks sc and returns every problem found as Errors, each
// naming the field by its JSON path. A scenario that validates can be run.
func (sc *Scenario) Validate() error {
	var errs Errors
	if sc.Version < 1 || sc.Version > FormatVersion {
		errs.add("version", "must be between 1 and %d, got %d", FormatVersion, sc.Version)
	}
	if sc.Until < 0 {
		errs.add("until", "must not be negative")
	}
	if sc.Limits.MaxEvents < 0 || sc.Limits.MaxEvents > CeilingMaxEvents {
		errs.add("limits.maxEvents", "must be between 0 (the default, %d) and %d", DefaultMaxEvents, CeilingMaxEvents)
	}
	if sc.Limits.MaxMessages < 0 || sc.Limits.MaxMessages > CeilingMaxMessages {
		errs.add("limits.maxMessages", "must be between 0 (the default, %d) and %d", DefaultMaxMessages, CeilingMaxMessages)
	}
	checkText(&errs, "name", sc.Name, 100, false)
	checkText(&errs, "description", sc.Description, 2000, true)
	if len(sc.Nodes) == 0 {
		errs.add("nodes", "must have at least one node")
	}
	if len(sc.Nodes) > MaxNodes {
		errs.add("nodes", "has %d nodes; the most allowed is %d", len(sc.Nodes), MaxNodes)
	}
	if len(sc.Edges) > MaxEdges {
		errs.add("edges", "has %d edges; the most allowed is %d", len(sc.Edges), MaxEdges)
	}

	index := map[string]int{}
	hasClient := false
	for i := range sc.Nodes {
		n := &sc.Nodes[i]
		path := fmtlite.Sprintf("nodes[%d]", i)
		switch {
		case n.ID == "":
			errs.add(path+".id", "is required")
		case !validID(n.ID):
			errs.add(path+".id", "%q must be 1 to 40 letters, digits, '-', '_' or '.'", n.ID)
		default:
			if j, dup := index[n.ID]; dup {
				errs.add(path+".id", "%q is already used by nodes[%d]", n.ID, j)
			} else {
				index[n.ID] = i
			}
		}
		checkText(&errs, path+".label", n.Label, 80, false)
		if n.Pos != nil {
			if n.Pos.X < 0 || n.Pos.X > maxPos {
				errs.add(path+".pos.x", "must be between 0 and %d", maxPos)
			}
			if n.Pos.Y < 0 || n.Pos.Y > maxPos {
				errs.add(path+".pos.y", "must be between 0 and %d", maxPos)
			}
		}
		if n.Kind == Client {
			hasClient = true
		}
		n.validate(path, &errs)
	}
	if len(sc.Nodes) > 0 && !hasClient {
		errs.add("nodes", "must include a client, or nothing ever starts")
	}

	out := make([]int, len(sc.Nodes))
	in := make([]int, len(sc.Nodes))
	dlqs := make([]int, len(sc.Nodes))
	seen := map[[2]int]int{}
	for i := range sc.Edges {
		e := &sc.Edges[i]
		path := fmtlite.Sprintf("edges[%d]", i)
		from, okFrom := index[e.From]
		to, okTo := index[e.To]
		if !okFrom {
			errs.add(path+".from", "%q is not the id of a node", e.From)
		}
		if !okTo {
			errs.add(path+".to", "%q is not the id of a node", e.To)
		}
		if e.Mode != Sync && e.Mode != Async {
			errs.add(path+".mode", "must be \"sync\" or \"async\", got %q", e.Mode)
		}
		e.Latency.validate(path+".latency", &errs)
		if !okFrom || !okTo {
			continue
		}
		if from == to {
			errs.add(path+".to", "an edge cannot lead from %q back to itself", e.From)
			continue
		}
		if j, dup := seen[[2]int{from, to}]; dup {
			errs.add(path, "repeats edges[%d] (%s → %s)", j, e.From, e.To)
			continue
		}
		seen[[2]int{from, to}] = i
		out[from]++
		in[to]++
		fk, tk := sc.Nodes[from].Kind, sc.Nodes[to].Kind
		if e.Group != "" && fk != Topic {
			errs.add(path+".group", "applies only to edges out of a topic")
		}
		if e.Group != "" && !validID(e.Group) {
			errs.add(path+".group", "%q must be 1 to 40 letters, digits, '-', '_' or '.'", e.Group)
		}
		switch {
		case tk == Client:
			errs.add(path+".to", "%q is a client; clients only send", e.To)
		case fk == Database:
			errs.add(path+".from", "%q is a database; databases answer but do not call", e.From)
		case fk == DLQ:
			errs.add(path+".from", "%q is a dead letter queue; it only holds messages until they are redriven", e.From)
		case tk == DLQ && fk != Queue && fk != Topic:
			errs.add(path+".to", "only a queue or a topic can dead-letter into %q", e.To)
		case tk == DLQ:
			dlqs[from]++
			if dlqs[from] > 1 {
				errs.add(path+".to", "%q already has a dead letter queue", e.From)
			}
			if e.Mode != Async {
				errs.add(path+".mode", "dead-lettering is asynchronous; use \"async\"")
			}
		case isBroker(fk) && e.Mode != Async:
			errs.add(path+".mode", "a %s delivers to its consumers asynchronously; use \"async\"", fk)
		case isBroker(fk) && !isConsumer(tk):
			errs.add(path+".to", "a %s delivers to workers, services, gateways, databases or rate limiters, not to a %s (%q)", fk, tk, e.To)
		case fk == Outbox && !isBroker(tk):
			errs.add(path+".to", "an outbox publishes to a queue, topic or bus, not to a %s (%q)", tk, e.To)
		case fk == Outbox && e.Mode != Async:
			errs.add(path+".mode", "an outbox publishes asynchronously; use \"async\"")
		case tk == Outbox && !(fk == Service || fk == Worker || fk == Gateway):
			errs.add(path+".from", "an outbox is written by a service, worker or gateway in its transaction, not by a %s", fk)
		case tk == Outbox && e.Mode != Sync:
			errs.add(path+".mode", "writing to an outbox is part of the caller's transaction; use \"sync\"")
		}
	}
	for i := range sc.Nodes {
		n := &sc.Nodes[i]
		switch {
		case n.Kind == Client && out[i] != 1:
			errs.add(fmtlite.Sprintf("nodes[%d]", i), "client %q needs exactly one outgoing edge, has %d", n.ID, out[i])
		case (n.Kind == Outbox || n.Kind == RateLimiter) && out[i] != 1:
			errs.add(fmtlite.Sprintf("nodes[%d]", i), "%s %q needs exactly one outgoing edge, has %d", n.Kind, n.ID, out[i])
		}
	}
	for i := range sc.Faults {
		sc.Faults[i].validate(fmtlite.Sprintf("faults[%d]", i), sc, index, &errs)
	}
	if len(sc.Faults) > 1000 {
		errs.add("faults", "has %d faults; the most allowed is 1000", len(sc.Faults))
	}
	// The cycle search skips edges whose ends are not nodes, so it can run
	// beside other problems: a learner sees every problem at once.
	if cycle := sc.syncCycle(); cycle != nil {
		errs.add("edges", "sync calls form a cycle %s: a caller would wait for itself forever", strings.Join(cycle, " → "))
	}
	sc.checkTimes(&errs)
	return errs.err()
}

func (f *Fault) validate(path string, sc *Scenario, index map[string]int, errs *Errors) {
	node := func() (Kind, bool) {
		i, ok := index[f.Node]
		switch {
		case f.Node == "":
			errs.add(path+".node", "is required for a %s fault", f.Type)
		case !ok:
			errs.add(path+".node", "%q is not the id of a node", f.Node)
		default:
			return sc.Nodes[i].Kind, true
		}
		return "", false
	}
	window := func() {
		if f.At < 0 {
			errs.add(path+".at", "must not be negative")
		}
		if f.Until <= f.At {
			errs.add(path+".until", "must be after at (%s)", f.At)
		}
	}
	notFor := func(field string, set bool) {
		if set {
			errs.add(path+"."+field, "does not apply to a %s fault", f.Type)
		}
	}
	switch f.Type {
	case Down:
		if k, ok := node(); ok && k == Client {
			errs.add(path+".node", "a client cannot be down; give it a workload that pauses instead")
		}
		window()
	case Crash:
		if k, ok := node(); ok && k == Client {
			errs.add(path+".node", "a client cannot crash")
		}
		if f.At < 0 {
			errs.add(path+".at", "must not be negative")
		}
		if f.Restart < 0 {
			errs.add(path+".restart", "must not be negative")
		}
		notFor("until", f.Until != 0)
	case Poison:
		if k, ok := node(); ok && k != Client {
			errs.add(path+".node", "must be a client: poison marks requests it sends")
		}
		if len(f.Requests) == 0 {
			errs.add(path+".requests", "must list at least one request number (from 0)")
		}
		for i, r := range f.Requests {
			if r < 0 || r > MaxCount {
				errs.add(fmtlite.Sprintf("%s.requests[%d]", path, i), "must be between 0 and %d", MaxCount)
			}
		}
		notFor("at", f.At != 0)
		notFor("until", f.Until != 0)
	case Latency:
		// A latency spike slows an edge, named by from and to; node would
		// be silently ignored.
		notFor("node", f.Node != "")
		from, okFrom := index[f.From]
		to, okTo := index[f.To]
		if !okFrom || !okTo {
			errs.add(path, "from and to must name the two ends of an edge (got %q → %q)", f.From, f.To)
		} else if !slices.ContainsFunc(sc.Edges, func(e Edge) bool { return e.From == sc.Nodes[from].ID && e.To == sc.Nodes[to].ID }) {
			errs.add(path, "there is no edge %s → %s", f.From, f.To)
		}
		if f.Add <= 0 {
			errs.add(path+".add", "must be greater than 0")
		}
		window()
	case LostAck:
		if k, ok := node(); ok && !isConsumer(k) {
			errs.add(path+".node", "must be a consumer of a queue or topic, not a %s", k)
		}
		window()
	case "":
		errs.add(path+".type", "is required (down, crash, poison, latency or lost-ack)")
		return
	default:
		errs.add(path+".type", "unknown fault %q (want down, crash, poison, latency or lost-ack)", f.Type)
		return
	}
	if f.Type != Latency {
		notFor("from", f.From != "")
		notFor("to", f.To != "")
		notFor("add", f.Add != 0)
	}
	if f.Type != Poison {
		notFor("requests", f.Requests != nil)
	}
	if f.Type != Crash {
		notFor("restart", f.Restart != 0)
	}
}

// checkText refuses free text longer than max bytes, and text holding a
// control character or a bidirectional formatting character: a right-to-
// left override in a name would disguise the page's title and heading.
// A description may have line breaks and tabs.
func checkText(errs *Errors, field, text string, max int, multiline bool) {
	if len(text) > max {
		errs.add(field, "must be at most %d characters", max)
	}
	for _, r := range text {
		switch {
		case multiline && (r == '\n' || r == '\t'):
		case r == '\u061C' || r == '\u200E' || r == '\u200F' || (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069'):
			errs.add(field, "holds U+%04X, a bidirectional formatting character that can disguise text; remove it", r)
			return
		case unicode.IsControl(r):
			errs.add(field, "holds the control character U+%04X; remove it", r)
			return
		}
	}
}

func validID(id string) bool {
	if len(id) == 0 || len(id) > 40 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// isProcessor reports whether nodes of kind k hand messages to workers.
func isProcessor(k Kind) bool {
	return k == Gateway || k == Service || k == Database || k == Worker || k == Outbox || k == RateLimiter
}

// hasWorkers reports whether nodes of kind k handle messages with workers
// of their own: concurrency, failures, a bounded line and cancellation
// apply to them.
func hasWorkers(k Kind) bool { return isProcessor(k) && k != Outbox && k != RateLimiter }

// isBroker reports whether nodes of kind k store messages for consumers.
func isBroker(k Kind) bool { return k == Queue || k == Bus || k == Topic }

// isConsumer reports whether nodes of kind k can take deliveries.
func isConsumer(k Kind) bool {
	return k == Gateway || k == Service || k == Database || k == Worker || k == RateLimiter
}

// validate checks the fields of one node that depend on its kind.
func (n *Node) validate(path string, errs *Errors) {
	notFor := func(field string, set bool) {
		if set {
			errs.add(path+"."+field, "does not apply to a %s", n.Kind)
		}
	}
	oneOf := func(field, v string, allowed ...string) {
		if v != "" && !slices.Contains(allowed, v) {
			errs.add(path+"."+field, "must be %s, got %q", quoteList(allowed), v)
		}
	}
	if !slices.Contains(Kinds, n.Kind) {
		if n.Kind == "" {
			errs.add(path+".kind", "is required (%s)", kindList())
		} else {
			errs.add(path+".kind", "unknown kind %q (want %s)", n.Kind, kindList())
		}
		return
	}
	k := n.Kind
	consumer := isConsumer(k)
	if k == Client {
		if n.Workload == nil {
			errs.add(path+".workload", "is required for a client")
		} else {
			n.Workload.validate(path+".workload", errs)
		}
	} else {
		notFor("workload", n.Workload != nil)
	}
	if n.Timeout < 0 {
		errs.add(path+".timeout", "must not be negative")
	}
	notFor("timeout", n.Timeout != 0 && !(k == Client || k == Gateway || k == Service || k == Worker))
	if hasWorkers(k) {
		if n.Concurrency < 0 {
			errs.add(path+".concurrency", "must be at least 1 (or left out for the default, %d)", defaultConcurrency[k])
		}
		if n.Concurrency > 100_000 {
			errs.add(path+".concurrency", "must be at most 100000")
		}
		if n.FailureRate < 0 || n.FailureRate > 1 || math.IsNaN(n.FailureRate) {
			errs.add(path+".failureRate", "must be between 0 and 1")
		}
		if w := n.MaxWaiting; w != nil && (*w < 0 || *w > MaxMaxWaiting) {
			errs.add(path+".maxWaiting", "must be between 0 (none may wait) and %d, or left out for no limit", MaxMaxWaiting)
		}
	} else {
		notFor("concurrency", n.Concurrency != 0)
		notFor("failureRate", n.FailureRate != 0)
		notFor("ignoresCancellation", n.IgnoresCancellation)
		if n.MaxWaiting != nil && (k == Queue || k == Bus) {
			errs.add(path+".maxWaiting", "does not apply to a %s: its capacity bounds what it holds", k)
		} else {
			notFor("maxWaiting", n.MaxWaiting != nil)
		}
	}
	caller := k == Gateway || k == Service || k == Worker
	if caller {
		oneOf("calls", n.Calls, Sequential, Parallel)
		oneOf("onSendError", n.OnSendError, Fail, Ignore)
	} else {
		notFor("calls", n.Calls != "")
		notFor("onSendError", n.OnSendError != "")
		notFor("coroutine", n.Coroutine)
	}
	if consumer && k != RateLimiter {
		oneOf("onFailure", n.OnFailure, Requeue, DeadLetter)
	} else {
		notFor("onFailure", n.OnFailure != "")
		notFor("idempotent", n.Idempotent)
	}
	if isProcessor(k) || k == Queue || k == Topic || k == Bus {
		n.ServiceTime.validate(path+".serviceTime", errs)
	} else {
		notFor("serviceTime", n.ServiceTime != nil)
	}
	if caller || k == Client || k == Queue || k == Topic {
		n.Retry.validate(path+".retry", errs)
	} else {
		notFor("retry", n.Retry != nil)
	}
	if k == Queue || k == Bus {
		if n.Capacity < 0 {
			errs.add(path+".capacity", "must not be negative (0 is unbounded)")
		}
	} else {
		notFor("capacity", n.Capacity != 0)
	}
	if k == Queue {
		if n.VisibilityTimeout < 0 {
			errs.add(path+".visibilityTimeout", "must not be negative (0 waits for the ack)")
		}
	} else {
		notFor("visibilityTimeout", n.VisibilityTimeout != 0)
	}
	switch {
	case k == Queue:
		if n.MaxReceiveCount < 0 || n.MaxReceiveCount > 1000 {
			errs.add(path+".maxReceiveCount", "must be between 0 (never give up) and 1000")
		}
	case k == Topic && n.MaxReceiveCount != 0:
		// Kafka keeps no receive count: a consumer's error handler retries
		// a failed record in place, then publishes it to a dead-letter
		// topic (Spring Kafka's DefaultErrorHandler and
		// DeadLetterPublishingRecoverer:
		// https://docs.spring.io/spring-kafka/reference/kafka/annotation-error-handling.html).
		errs.add(path+".maxReceiveCount", "applies only to a queue (SQS counts receives); Kafka does not count deliveries: its consumers retry a failed record in place, the partition waiting — set retry.maxAttempts on the topic, and an edge to a dlq for the dead-letter topic (<topic>.DLT)")
	default:
		notFor("maxReceiveCount", n.MaxReceiveCount != 0)
	}
	if k == Topic {
		if n.Partitions < 0 || n.Partitions > 1000 {
			errs.add(path+".partitions", "must be between 1 and 1000 (or left out for 1)")
		}
		if n.CommitEvery < 0 || n.CommitEvery > 1_000_000 {
			errs.add(path+".commitEvery", "must be between 1 and 1000000 (or left out for 1: after each record)")
		}
		if n.SessionTimeout < 0 {
			errs.add(path+".sessionTimeout", "must not be negative (or left out for %s)", defaultSessionTimeout)
		}
		if n.Partitioner != "" && n.Partitioner != Sticky && n.Partitioner != RoundRobin {
			errs.add(path+".partitioner", "unknown partitioner %q (want %s or %s)", n.Partitioner, Sticky, RoundRobin)
		}
		switch {
		case n.BatchRecords < 0 || n.BatchRecords > 1_000_000:
			errs.add(path+".batchRecords", "must be between 1 and 1000000 (or left out for %d)", defaultBatchRecords)
		case n.BatchRecords != 0 && n.Partitioner == RoundRobin:
			errs.add(path+".batchRecords", "applies only to the sticky partitioner (round robin moves on after every record)")
		}
	} else {
		notFor("partitions", n.Partitions != 0)
		notFor("partitioner", n.Partitioner != "")
		notFor("sessionTimeout", n.SessionTimeout != 0)
		notFor("commitEvery", n.CommitEvery != 0)
		notFor("batchRecords", n.BatchRecords != 0)
	}
	if k == Outbox {
		if n.Interval < 0 {
			errs.add(path+".interval", "must be greater than 0 (or left out for %s)", defaultOutboxInterval)
		}
		if n.Batch < 0 || n.Batch > 10_000 {
			errs.add(path+".batch", "must be between 1 and 10000 (or left out for %d)", defaultOutboxBatch)
		}
	} else {
		notFor("interval", n.Interval != 0)
		notFor("batch", n.Batch != 0)
	}
	if k == DLQ {
		for i, t := range n.RedriveAt {
			if t < 0 {
				errs.add(fmtlite.Sprintf("%s.redriveAt[%d]", path, i), "must not be negative")
			}
		}
		if len(n.RedriveAt) > 100 {
			errs.add(path+".redriveAt", "has %d times; the most allowed is 100", len(n.RedriveAt))
		}
	} else {
		notFor("redriveAt", n.RedriveAt != nil)
	}
	if k == RateLimiter {
		if !(n.Rate > 0 && n.Rate <= MaxRate) {
			errs.add(path+".rate", "must be greater than 0 and at most %d per second", MaxRate)
		}
		if n.Burst < 0 || n.Burst > 1_000_000 {
			errs.add(path+".burst", "must be between 1 and 1000000 (or left out for 1)")
		}
		oneOf("onLimit", n.OnLimit, Reject, Wait)
	} else {
		notFor("rate", n.Rate != 0)
		notFor("burst", n.Burst != 0)
		notFor("onLimit", n.OnLimit != "")
	}
}

func quoteList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = strconv.Quote(v)
	}
	if len(q) == 2 {
		return q[0] + " or " + q[1]
	}
	return "one of " + strings.Join(q, ", ")
}

func kindList() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// Bounds on workloads, so that no scenario asks for more than a browser tab
// can hold.
const (
	MaxRate  = 10_000_000 // requests per second
	MaxCount = 50_000_000
	MaxUsers = 100_000
)

func (w *Workload) validate(path string, errs *Errors) {
	notFor := func(field string, set bool) {
		if set {
			errs.add(path+"."+field, "does not apply to a %s workload", w.Type)
		}
	}
	if w.Count < 0 || w.Count > MaxCount {
		errs.add(path+".count", "must be between 0 and %d", MaxCount)
	}
	if w.Duration < 0 {
		errs.add(path+".duration", "must not be negative")
	}
	if w.At < 0 {
		errs.add(path+".at", "must not be negative")
	}
	if w.Keys < 0 || w.Keys > 1_000_000 {
		errs.add(path+".keys", "must be between 0 (unkeyed) and 1000000")
	}
	switch {
	case w.KeyPrefix == "":
	case w.Keys == 0:
		errs.add(path+".keyPrefix", "applies only with keys (set keys, the number of distinct keys)")
	case len(w.KeyPrefix) > maxKeyPrefix || !utf8.ValidString(w.KeyPrefix):
		errs.add(path+".keyPrefix", "must be valid text of at most %d bytes", maxKeyPrefix)
	}
	// A rate below MinRate would draw gaps longer than a duration may be:
	// refuse it rather than cap its gaps silently.
	rate := func(field string, r float64, idle bool) {
		switch {
		case idle && r == 0:
		case math.IsNaN(r) || r <= 0 || r > MaxRate:
			if idle {
				errs.add(field, "must be between 0 and %d per second", MaxRate)
			} else {
				errs.add(field, "must be greater than 0 and at most %d per second", MaxRate)
			}
		case r < MinRate:
			errs.add(field, "is %g per second, too slow to send anything within a duration's bounds: at least %s (%.3g per second)", r, minRateText, MinRate)
		}
	}
	switch w.Type {
	case Single:
		notFor("rate", w.Rate != 0)
		notFor("count", w.Count != 0)
		notFor("duration", w.Duration != 0)
		notFor("phases", w.Phases != nil)
		notFor("users", w.Users != 0)
		notFor("think", w.Think != nil)
	case Poisson:
		rate(path+".rate", w.Rate, false)
		if w.Count == 0 && w.Duration == 0 {
			errs.add(path, "a poisson workload needs a count or a duration, or it never ends")
		}
		notFor("at", w.At != 0)
		notFor("phases", w.Phases != nil)
		notFor("users", w.Users != 0)
		notFor("think", w.Think != nil)
	case Schedule:
		if len(w.Phases) == 0 {
			errs.add(path+".phases", "needs at least one phase")
		}
		if len(w.Phases) > 100 {
			errs.add(path+".phases", "has %d phases; the most allowed is 100", len(w.Phases))
		}
		for i, p := range w.Phases {
			pp := fmtlite.Sprintf("%s.phases[%d]", path, i)
			if p.Duration <= 0 {
				errs.add(pp+".duration", "must be greater than 0")
			}
			rate(pp+".rate", p.Rate, true)
		}
		notFor("at", w.At != 0)
		notFor("rate", w.Rate != 0)
		notFor("duration", w.Duration != 0)
		notFor("users", w.Users != 0)
		notFor("think", w.Think != nil)
	case Closed:
		if w.Users < 1 || w.Users > MaxUsers {
			errs.add(path+".users", "must be between 1 and %d", MaxUsers)
		}
		if w.Count == 0 && w.Duration == 0 {
			errs.add(path, "a closed workload needs a count per user or a duration, or it never ends")
		}
		w.Think.validate(path+".think", errs)
		notFor("at", w.At != 0)
		notFor("rate", w.Rate != 0)
		notFor("phases", w.Phases != nil)
	case "":
		errs.add(path+".type", "is required (single, poisson, schedule or closed)")
	default:
		errs.add(path+".type", "unknown workload %q (want single, poisson, schedule or closed)", w.Type)
	}
}

// syncCycle returns the node ids of a cycle of sync edges, or nil. Async
// edges may form cycles: nobody waits on them.
func (sc *Scenario) syncCycle() []string {
	idx := map[string]int{}
	for i, n := range sc.Nodes {
		idx[n.ID] = i
	}
	adj := make([][]int, len(sc.Nodes))
	for _, e := range sc.Edges {
		// A broker acknowledges on receipt, so a sync call into it does
		// not wait for what its consumers do.
		from, okFrom := idx[e.From]
		to, okTo := idx[e.To]
		// Edges with an unknown end or onto themselves are reported
		// on their own; here they would only repeat that.
		if !okFrom || !okTo || from == to {
			continue
		}
		if e.Mode == Sync && !isBroker(sc.Nodes[to].Kind) {
			adj[from] = append(adj[from], to)
		}
	}
	const (
		white = iota
		grey
		black
	)
	color := make([]int, len(sc.Nodes))
	var stack []int
	var cycle []string
	var visit func(int) bool
	visit = func(u int) bool {
		color[u] = grey
		stack = append(stack, u)
		for _, v := range adj[u] {
			if color[v] == grey {
				for i := len(stack) - 1; i >= 0; i-- {
					if stack[i] == v {
						for _, w := range stack[i:] {
							cycle = append(cycle, sc.Nodes[w].ID)
						}
						cycle = append(cycle, sc.Nodes[v].ID)
						return true
					}
				}
			}
			if color[v] == white && visit(v) {
				return true
			}
		}
		stack = stack[:len(stack)-1]
		color[u] = black
		return false
	}
	for u := range sc.Nodes {
		if color[u] == white && visit(u) {
			return cycle
		}
	}
	return nil
}

// maxKeyPrefix bounds a workload's key prefix.
const maxKeyPrefix = 100
