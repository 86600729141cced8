package core

import (
	"fmt"
	"math"
	"strings"
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
		path := fmt.Sprintf("nodes[%d]", i)
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
		if len(n.Label) > 80 {
			errs.add(path+".label", "must be at most 80 characters")
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
	seen := map[[2]int]int{}
	for i := range sc.Edges {
		e := &sc.Edges[i]
		path := fmt.Sprintf("edges[%d]", i)
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
		switch {
		case tk == Client:
			errs.add(path+".to", "%q is a client; clients only send", e.To)
		case fk == Database:
			errs.add(path+".from", "%q is a database; databases answer but do not call", e.From)
		case fk == Queue && e.Mode != Async:
			errs.add(path+".mode", "a queue delivers to its consumers asynchronously; use \"async\"")
		case fk == Queue && tk == Queue:
			errs.add(path+".to", "a queue delivers to workers or services, not to another queue %q", e.To)
		}
	}
	for i := range sc.Nodes {
		if sc.Nodes[i].Kind == Client && out[i] != 1 {
			errs.add(fmt.Sprintf("nodes[%d]", i), "client %q needs exactly one outgoing edge, has %d", sc.Nodes[i].ID, out[i])
		}
	}
	if len(errs) == 0 {
		if cycle := sc.syncCycle(); cycle != nil {
			errs.add("edges", "sync calls form a cycle %s: a caller would wait for itself forever", strings.Join(cycle, " → "))
		}
	}
	return errs.err()
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

// validate checks the fields of one node that depend on its kind.
func (n *Node) validate(path string, errs *Errors) {
	notFor := func(field string, set bool) {
		if set {
			errs.add(path+"."+field, "does not apply to a %s", n.Kind)
		}
	}
	processor := n.Kind == Gateway || n.Kind == Service || n.Kind == Database || n.Kind == Worker
	switch n.Kind {
	case Client, Gateway, Service, Database, Queue, Worker:
	case "":
		errs.add(path+".kind", "is required (%s)", kindList())
		return
	default:
		errs.add(path+".kind", "unknown kind %q (want %s)", n.Kind, kindList())
		return
	}
	if n.Kind == Client {
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
	notFor("timeout", n.Timeout != 0 && !(n.Kind == Client || n.Kind == Gateway || n.Kind == Service || n.Kind == Worker))
	if processor {
		if n.Concurrency < 0 {
			errs.add(path+".concurrency", "must be at least 1 (or left out for the default, %d)", defaultConcurrency[n.Kind])
		}
		if n.Concurrency > 100_000 {
			errs.add(path+".concurrency", "must be at most 100000")
		}
		if n.FailureRate < 0 || n.FailureRate > 1 || math.IsNaN(n.FailureRate) {
			errs.add(path+".failureRate", "must be between 0 and 1")
		}
		if n.Calls != "" && n.Calls != Sequential && n.Calls != Parallel {
			errs.add(path+".calls", "must be \"sequential\" or \"parallel\", got %q", n.Calls)
		}
	} else {
		notFor("concurrency", n.Concurrency != 0)
		notFor("failureRate", n.FailureRate != 0)
		notFor("calls", n.Calls != "")
	}
	if processor || n.Kind == Queue {
		n.ServiceTime.validate(path+".serviceTime", errs)
	} else {
		notFor("serviceTime", n.ServiceTime != nil)
	}
	if n.Kind == Queue {
		if n.Capacity < 0 {
			errs.add(path+".capacity", "must not be negative (0 is unbounded)")
		}
	} else {
		notFor("capacity", n.Capacity != 0)
	}
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
	rate := func(field string, r float64, min float64) {
		if math.IsNaN(r) || r < min || r > MaxRate {
			if min > 0 {
				errs.add(field, "must be greater than 0 and at most %d per second", MaxRate)
			} else {
				errs.add(field, "must be between 0 and %d per second", MaxRate)
			}
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
		rate(path+".rate", w.Rate, math.SmallestNonzeroFloat64)
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
			pp := fmt.Sprintf("%s.phases[%d]", path, i)
			if p.Duration <= 0 {
				errs.add(pp+".duration", "must be greater than 0")
			}
			rate(pp+".rate", p.Rate, 0)
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
		// A queue acknowledges on receipt, so a sync call into a queue
		// does not wait for what the queue's consumers do.
		if e.Mode == Sync && sc.Nodes[idx[e.To]].Kind != Queue {
			adj[idx[e.From]] = append(adj[idx[e.From]], idx[e.To])
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
