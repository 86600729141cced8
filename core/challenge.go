package core

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/sync-vs-async/playground/core/internal/jsonlite"
	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// A challenge is a design task: a starting scenario (parts of it locked),
// a goal in words, goal checks evaluated on the learner's run under every
// seed the challenge lists, a budget, hints and a reference solution.
//
// Goal checks are data: each compares one figure of ChallengeFigures (a
// figure of the run's Report, such as "user p99", or of the scenario
// itself, such as "workers" or "edges") with a bound. A challenge file is
// the JSON of a Challenge:
//
//	{"version": 1, "id": "spike", "title": "...", "goal": "... {0} ...",
//	 "start": {scenario}, "locks": {"workload": true, "faults": true, "nodes": ["db"]},
//	 "checks": [{"figure": "user p99", "op": "<=", "bound": 1000}, ...],
//	 "budget": {"workers": 6, "nodes": 4}, "seeds": [3, 4, 5],
//	 "hints": ["...", "..."], "solution": {scenario}, "next": "gateway"}
//
// The same JSON travels in a challenge link (EncodeChallengeLink) and is
// what `simulate -check` reads.

// ChallengeVersion is the challenge format this build writes. Readers
// accept every version up to it.
const ChallengeVersion = 1

// Challenge is one design task.
type Challenge struct {
	// Version is the challenge format (ChallengeVersion).
	Version int `json:"version"`
	// ID names a built-in challenge in its URL (/challenges/<id>); a
	// teacher's challenge may leave it out.
	ID string `json:"id,omitempty"`
	// Title is the challenge's name, one line.
	Title string `json:"title"`
	// Goal says in words what to achieve. "{N}" stands for check N's
	// bound with its unit ("{0}" → "1,000 ms"), "{workers}" and "{nodes}"
	// for the budget's, and "{start:PATH}" for a field of the starting
	// scenario as the form shows it ("{start:nodes[0].timeout}" → "1s"),
	// so no figure is typed into the text: GoalText fills them in.
	Goal string `json:"goal"`
	// Start is the scenario the learner begins from.
	Start *Scenario `json:"start"`
	// Locks are the parts of Start the learner cannot change.
	Locks Locks `json:"locks,omitzero"`
	// Checks are the goal checks; all must pass on every seed.
	Checks []Check `json:"checks"`
	// Budget is what the design may cost; it is checked as checks are.
	Budget ChallengeBudget `json:"budget,omitzero"`
	// Seeds are the seeds every submission is run with, so that luck does
	// not pass. Empty means Start's seed alone.
	Seeds []uint64 `json:"seeds,omitempty"`
	// Hints are revealed one at a time, in order. They take the goal's
	// placeholders: HintTexts fills them in.
	Hints []string `json:"hints,omitempty"`
	// Solution is a reference solution: it passes every check on every
	// seed. A teacher's challenge may leave it out.
	Solution *Scenario `json:"solution,omitempty"`
	// Next is the id of the challenge to suggest once this one is done.
	Next string `json:"next,omitempty"`
}

// Locks are the parts of a challenge's starting scenario that a learner
// cannot change. Whatever is locked, a node's position and label stay
// free, and the run's stop time and limits (Until, Limits) are always
// locked: a shorter run would hide what the checks measure.
type Locks struct {
	// Workload locks every client node (its workload, timeout, retry
	// policy and the rest of its fields): none can be added, removed or
	// changed. Where a client sends stays free.
	Workload bool `json:"workload,omitempty"`
	// Faults locks the fault schedule: no fault can be added, removed or
	// changed (nor, so, the nodes it names renamed or removed).
	Faults bool `json:"faults,omitempty"`
	// Nodes are ids of nodes that cannot be removed, renamed or changed.
	Nodes []string `json:"nodes,omitempty"`
}

// ChallengeBudget is what a design may cost; 0 leaves a limit out. It is
// checked like the goal checks, as "cost" checks (see BudgetChecks).
type ChallengeBudget struct {
	// Workers is the most workers in all: the sum of the concurrency of
	// every gateway, service, database and worker (the "workers" figure).
	Workers int `json:"workers,omitempty"`
	// Nodes is the most nodes in all (the "nodes" figure).
	Nodes int `json:"nodes,omitempty"`
}

// The comparisons a Check can make.
const (
	AtMost  = "<="
	AtLeast = ">="
	Exactly = "=="
)

// Check is one goal check: Figure compared with Bound by Op. Which of
// Node, From, To, Mode and Kind apply depends on the figure (its
// FigureDef.Needs); the others must be left out.
type Check struct {
	// Figure is a name from ChallengeFigures ("user p99", "lost", "edges").
	Figure string `json:"figure"`
	// Node narrows a per-node figure to one node, by id.
	Node string `json:"node,omitempty"`
	// From, To and Mode narrow the "edges" figure: edges from From, to To,
	// of Mode (each optional).
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	Mode Mode   `json:"mode,omitempty"`
	// Kind narrows the "nodes" figure to nodes of one kind.
	Kind Kind `json:"kind,omitempty"`
	// Op is "<=", ">=" or "==".
	Op string `json:"op"`
	// Bound is what the figure is compared with, in the figure's unit.
	Bound float64 `json:"bound"`
}

// What a figure's checks may narrow it by (FigureDef.Needs), as a set of
// bits: a figure that takes none is one number for the whole run.
const (
	NeedsNode    = 1 << iota // Check.Node: one node's figure (optional)
	NeedsEdge                // Check.From, To, Mode (each optional)
	NeedsKind                // Check.Kind (optional)
	RequiresNode             // Check.Node must be given
)

// FigureDef is one figure a check can test: its name and unit (the same
// as the comparison's and the report's where they share it), which way is
// good, and how it is measured from a run's Report or from the scenario.
type FigureDef struct {
	// Name is what a check's "figure" says.
	Name string
	// Unit is what the figure counts, after the number: "ms", "messages".
	Unit string
	// About says what the figure is, in one sentence, for the page that
	// lets a teacher pick it.
	About string
	// LowerIsBetter says which way is good.
	LowerIsBetter bool
	// Structural figures are measured from the scenario, without a run
	// (edges, nodes, workers): a page can show them at once.
	Structural bool
	// Needs says which of a check's fields narrow the figure (NeedsNode,
	// NeedsEdge, NeedsKind).
	Needs int
}

// ChallengeFigures returns every figure a goal check can test, in the
// order a page lists them (the same table on every call; callers must not
// change it). The names are those Compare's figures and the report use for
// the same numbers; TestChallengeFiguresMatchTheReport holds each to the
// report it is computed from. The table is data (measureFigure computes
// each), so a program that only lists the figures links no measuring.
func ChallengeFigures() []FigureDef { return challengeFigures[:] }

var challengeFigures = [...]FigureDef{
	{Name: "user p50", Unit: "ms", LowerIsBetter: true, About: "the median time a client waited for its answer (sync) or acknowledgement (async)"},
	{Name: "user p95", Unit: "ms", LowerIsBetter: true, About: "the time 95% of clients' waits stayed under"},
	{Name: "user p99", Unit: "ms", LowerIsBetter: true, About: "the time 99% of clients' waits stayed under"},
	{Name: "user max", Unit: "ms", LowerIsBetter: true, About: "the longest any client waited"},
	{Name: "completion p50", Unit: "ms", LowerIsBetter: true, About: "the median time from a request's send until all its work was done"},
	{Name: "completion p99", Unit: "ms", LowerIsBetter: true, About: "the time 99% of requests were fully done within"},
	{Name: "staleness mean", Unit: "ms", LowerIsBetter: true, About: "how long after its answer a request's last effect was done, on average"},
	{Name: "staleness max", Unit: "ms", LowerIsBetter: true, About: "the longest time after an answer until the request's last effect was done"},
	{Name: "throughput", Unit: "requests/s", About: "requests completed per second"},
	{Name: "failed requests", Unit: "requests", LowerIsBetter: true, About: "requests that ended in an error or a timeout"},
	{Name: "errors", Unit: "requests", LowerIsBetter: true, About: "requests answered with an error"},
	{Name: "timeouts", Unit: "requests", LowerIsBetter: true, About: "requests whose client gave up waiting"},
	{Name: "incomplete", Unit: "requests", LowerIsBetter: true, About: "requests with work still in flight when the run ended"},
	{Name: "processed", Unit: "messages", About: "messages handled to the end"},
	{Name: "lost", Unit: "messages", LowerIsBetter: true, About: "messages that vanished: a crash, an ignored send error, an ack that never came"},
	{Name: "dropped", Unit: "messages", LowerIsBetter: true, About: "messages turned away: a full queue, a rate limit, a cancelled call"},
	{Name: "rate limited", Unit: "messages", LowerIsBetter: true, About: "messages a rate limiter turned away (with onLimit reject) for want of a token"},
	{Name: "duplicates", Unit: "messages", LowerIsBetter: true, About: "events a node handled a second time"},
	{Name: "out of order", Unit: "messages", LowerIsBetter: true, About: "messages handled after a later message with the same key"},
	{Name: "dead-lettered", Unit: "messages", LowerIsBetter: true, Needs: NeedsNode, About: "messages moved to a dead letter queue (or to the one named)"},
	{Name: "dead-letter deliveries", Unit: "deliveries", Needs: NeedsNode, About: "the most times a dead-lettered message was delivered before it was moved (1 + its retries)"},
	{Name: "retries and redeliveries", Unit: "per request", About: "retries scheduled and messages delivered again, per request sent"},
	{Name: "peak queue depth", Unit: "messages", LowerIsBetter: true, Needs: NeedsNode, About: "the most messages waiting at once at any node (or at the one named)"},
	{Name: "rejected", Unit: "messages", LowerIsBetter: true, Needs: NeedsNode, About: "messages a node turned away because its line was full"},
	{Name: "arrival rate", Unit: "per second", Needs: NeedsNode, About: "messages arriving per second over the run, at the node named (or the busiest)"},
	{Name: "arrivals per request", Unit: "per request", Needs: NeedsNode | RequiresNode, About: "messages that arrived at the node named, per request the clients sent: 1 or more when every request reached it"},
	{Name: "utilization", Unit: "%", Needs: NeedsNode, About: "the share of a node's workers busy over the run (the busiest node's, if none is named)"},
	{Name: "wasted work", Unit: "ms", LowerIsBetter: true, Needs: NeedsNode, About: "worker time spent on calls whose caller had stopped waiting"},
	{Name: "workers", Unit: "workers", LowerIsBetter: true, Structural: true, Needs: NeedsNode, About: "workers in all: the concurrency of every gateway, service, database and worker (or of the node named)"},
	{Name: "nodes", Unit: "nodes", LowerIsBetter: true, Structural: true, Needs: NeedsKind, About: "nodes in the topology (of the kind named)"},
	{Name: "edges", Unit: "edges", Structural: true, Needs: NeedsEdge, About: "edges in the topology (from, to and of the mode named)"},
	{Name: "idempotent consumers", Unit: "nodes", Structural: true, Needs: NeedsNode, About: "consumers that keep a store of the events they handled, and skip a duplicate"},
	{Name: "honours cancellation", Unit: "nodes", Structural: true, Needs: NeedsNode, About: "gateways, services, databases and workers that stop work on a call whose deadline passed"},
	{Name: "moving parts", Unit: "nodes and edges", LowerIsBetter: true, Structural: true, About: "nodes plus edges: how much there is to run and to understand"},
}

// measureFigure computes figure name for check c from a run's report r of
// scenario sc (r is nil for a structural figure); ok is false when c names
// a node the scenario does not have, or the figure is unknown.
func measureFigure(name string, r *Report, sc *Scenario, c *Check) (v float64, ok bool) {
	switch name {
	case "user p50":
		return (r.UserLatency.P50).Milliseconds(), true
	case "user p95":
		return (r.UserLatency.P95).Milliseconds(), true
	case "user p99":
		return (r.UserLatency.P99).Milliseconds(), true
	case "user max":
		return (r.UserLatency.Max).Milliseconds(), true
	case "completion p50":
		return (r.CompletionLatency.P50).Milliseconds(), true
	case "completion p99":
		return (r.CompletionLatency.P99).Milliseconds(), true
	case "staleness mean":
		return (r.Staleness.Mean).Milliseconds(), true
	case "staleness max":
		return (r.Staleness.Max).Milliseconds(), true
	case "throughput":
		return r.Throughput, true
	case "failed requests":
		return float64(r.Requests.Errors + r.Requests.TimedOut), true
	case "errors":
		return float64(r.Requests.Errors), true
	case "timeouts":
		return float64(r.Requests.TimedOut), true
	case "incomplete":
		return float64(r.Requests.Started - r.Requests.Complete), true
	case "processed":
		return float64(r.Counts.Processed), true
	case "lost":
		return float64(r.Counts.Lost), true
	case "dropped":
		return float64(r.Counts.Dropped), true
	case "rate limited":
		return float64(r.Counts.DropReasons[ReasonRateLimited.String()]), true
	case "duplicates":
		return float64(r.Counts.DuplicatesProcessed), true
	case "out of order":
		return float64(r.Counts.OutOfOrder), true
	case "dead-lettered":
		return deadLettered(r, sc, c)
	case "dead-letter deliveries":
		return deadLetterDeliveries(r, sc, c)
	case "retries and redeliveries":
		return perStarted(r, r.Counts.Retried+r.Counts.Redelivered), true
	case "peak queue depth":
		return nodeFigure(r, c, false, func(n *NodeReport) float64 { return float64(n.MaxDepth) })
	case "rejected":
		return nodeFigure(r, c, true, func(n *NodeReport) float64 { return float64(n.Rejected) })
	case "arrival rate":
		return nodeFigure(r, c, false, func(n *NodeReport) float64 { return n.ArrivalRate })
	case "arrivals per request":
		v, ok := nodeFigure(r, c, true, func(n *NodeReport) float64 { return float64(n.Arrivals) })
		return perStarted(r, int64(v)), ok
	case "utilization":
		return nodeFigure(r, c, false, func(n *NodeReport) float64 { return 100 * n.Utilization })
	case "wasted work":
		return nodeFigure(r, c, true, func(n *NodeReport) float64 { return n.WastedWork.Milliseconds() })
	case "workers":
		return workers(r, sc, c)
	case "nodes":
		return countNodes(r, sc, c)
	case "edges":
		return countEdges(r, sc, c)
	case "idempotent consumers":
		return structNodes(sc, c, func(n *Node) bool { return n.Idempotent })
	case "honours cancellation":
		return structNodes(sc, c, func(n *Node) bool { return hasWorkers(n.Kind) && !n.IgnoresCancellation })
	case "moving parts":
		return float64(len(sc.Nodes) + len(sc.Edges)), true
	}
	return 0, false
}

// ChallengeFigure returns the figure with the given name.
func ChallengeFigure(name string) (FigureDef, bool) {
	figs := ChallengeFigures()
	i := slices.IndexFunc(figs, func(f FigureDef) bool { return f.Name == name })
	if i < 0 {
		return FigureDef{}, false
	}
	return figs[i], true
}

func perStarted(r *Report, n int64) float64 {
	if r.Requests.Started == 0 {
		return 0
	}
	return float64(n) / float64(r.Requests.Started)
}

// nodeFigure measures f of the node c names, or, if c names none, the
// largest over every node (or their sum); ok is false when the node is
// not in the run.
func nodeFigure(r *Report, c *Check, sum bool, f func(*NodeReport) float64) (float64, bool) {
	v, found := 0.0, false
	for i := range r.Nodes {
		if c.Node == "" || r.Nodes[i].ID == c.Node {
			if x := f(&r.Nodes[i]); sum {
				v += x
			} else {
				v = max(v, x)
			}
			found = true
		}
	}
	return v, found || c.Node == ""
}

func deadLettered(r *Report, sc *Scenario, c *Check) (float64, bool) {
	if c.Node == "" {
		return float64(r.Counts.DeadLettered), true
	}
	n := 0
	for _, d := range r.DeadLetters {
		if d.DLQ == c.Node {
			n++
		}
	}
	return float64(n), sc.NodeIndex(c.Node) >= 0
}

func deadLetterDeliveries(r *Report, sc *Scenario, c *Check) (float64, bool) {
	most := 0
	for _, d := range r.DeadLetters {
		if c.Node == "" || d.DLQ == c.Node {
			most = max(most, int(d.Deliveries))
		}
	}
	return float64(most), c.Node == "" || sc.NodeIndex(c.Node) >= 0
}

// countsAsWorkers reports whether a node of kind k counts in the
// "workers" figure: the kinds that do work with workers of their own.
func countsAsWorkers(k Kind) bool { return hasWorkers(k) }

func workers(_ *Report, sc *Scenario, c *Check) (float64, bool) {
	total, found := 0, false
	for i := range sc.Nodes {
		n := &sc.Nodes[i]
		if (c.Node == "" || n.ID == c.Node) && countsAsWorkers(n.Kind) {
			total += n.EffectiveConcurrency()
		}
		found = found || n.ID == c.Node
	}
	return float64(total), found || c.Node == ""
}

func countNodes(_ *Report, sc *Scenario, c *Check) (float64, bool) {
	n := 0
	for i := range sc.Nodes {
		if c.Kind == "" || sc.Nodes[i].Kind == c.Kind {
			n++
		}
	}
	return float64(n), true
}

func countEdges(_ *Report, sc *Scenario, c *Check) (float64, bool) {
	n := 0
	for _, e := range sc.Edges {
		if (c.From == "" || e.From == c.From) && (c.To == "" || e.To == c.To) && (c.Mode == "" || e.Mode == c.Mode) {
			n++
		}
	}
	return float64(n), true
}

func structNodes(sc *Scenario, c *Check, is func(*Node) bool) (float64, bool) {
	n, found := 0, false
	for i := range sc.Nodes {
		if c.Node == "" || sc.Nodes[i].ID == c.Node {
			found = true
			if is(&sc.Nodes[i]) {
				n++
			}
		}
	}
	return float64(n), found || c.Node == ""
}

// BudgetChecks returns the budget as checks ("workers" and "nodes" at
// most the budget's), in that order, leaving out a limit of 0.
func (b ChallengeBudget) BudgetChecks() []Check {
	var out []Check
	if b.Workers > 0 {
		out = append(out, Check{Figure: "workers", Op: AtMost, Bound: float64(b.Workers)})
	}
	if b.Nodes > 0 {
		out = append(out, Check{Figure: "nodes", Op: AtMost, Bound: float64(b.Nodes)})
	}
	return out
}

// MaxChallengeBytes bounds the challenge JSON that is read: a scenario,
// its solution and the rest.
const MaxChallengeBytes = 2*MaxScenarioBytes + 64<<10

// Bounds on a challenge's parts, so that a linked one cannot make the
// page do unbounded work.
const (
	MaxChecks    = 50
	MaxHints     = 20
	MaxSeeds     = 10
	maxHintRunes = 1000
	maxGoalRunes = 2000
)

// ParseChallenge reads a challenge from JSON, refusing unknown fields,
// and validates it. Every problem names its field ("checks[2].figure",
// "start.nodes[1].concurrency").
func ParseChallenge(data []byte) (*Challenge, error) {
	ch, err := DecodeChallenge(data)
	if err != nil {
		return nil, err
	}
	if err := ch.Validate(); err != nil {
		return nil, err
	}
	return ch, nil
}

// DecodeChallenge reads a challenge from JSON without validating it. Its
// scenarios are read as DecodeScenario reads one, their errors named under
// "start" and "solution".
func DecodeChallenge(data []byte) (*Challenge, error) {
	if len(data) > MaxChallengeBytes {
		return nil, Errors{{Field: "challenge", Message: fmtlite.Sprintf("is %d bytes; the most accepted is %d", len(data), MaxChallengeBytes)}}
	}
	if err := refuseDuplicateKeys(data); err != nil {
		return nil, err
	}
	type plain Challenge
	var raw struct {
		plain
		Start    jsonlite.RawMessage   `json:"start"`
		Solution jsonlite.RawMessage   `json:"solution"`
		Checks   []jsonlite.RawMessage `json:"checks"`
	}
	if err := strictDecode(data, &raw, ""); err != nil {
		return nil, renameRoot(err)
	}
	ch := Challenge(raw.plain)
	var errs Errors
	// Each check is read on its own, so that an error names it (checks[2].bound).
	if len(raw.Checks) > MaxChecks {
		return nil, Errors{{Field: "checks", Message: fmtlite.Sprintf("has %d checks; the most allowed is %d", len(raw.Checks), MaxChecks)}}
	}
	if raw.Checks != nil {
		ch.Checks = make([]Check, len(raw.Checks))
	}
	for i, r := range raw.Checks {
		if err := strictDecode(r, &ch.Checks[i], fmtlite.Sprintf("checks[%d]", i)); err != nil {
			errs = append(errs, err.(Errors)...)
		}
	}
	read := func(field string, data []byte) *Scenario {
		if len(data) == 0 || string(data) == "null" {
			return nil
		}
		sc, err := DecodeScenario(data)
		if err != nil {
			errs = append(errs, prefixErrors(field, err)...)
			return nil
		}
		return sc
	}
	ch.Start = read("start", raw.Start)
	ch.Solution = read("solution", raw.Solution)
	if len(errs) > 0 {
		return nil, errs
	}
	return &ch, nil
}

// renameRoot names the whole value "challenge" where the JSON reader
// called it "scenario".
func renameRoot(err error) error {
	errs, ok := err.(Errors)
	if !ok {
		return err
	}
	for i := range errs {
		if errs[i].Field == "scenario" {
			errs[i].Field = "challenge"
		}
	}
	return errs
}

// prefixErrors puts field in front of the field of each of err's Errors
// ("start" + "nodes[1].id" → "start.nodes[1].id").
func prefixErrors(field string, err error) Errors {
	errs, ok := err.(Errors)
	if !ok {
		return Errors{{Field: field, Message: err.Error()}}
	}
	out := make(Errors, len(errs))
	for i, e := range errs {
		out[i] = e
		if e.Field == "scenario" {
			out[i].Field = field
		} else {
			out[i].Field = field + "." + e.Field
		}
	}
	return out
}

// Validate checks ch and returns every problem as Errors naming the field:
// its scenarios must validate, every check must name a known figure, the
// node or nodes it narrows by must be in the starting scenario, its op
// must be one of "<=", ">=", "==" and its bound a finite number; the locks
// must name nodes of the start; the counts of checks, hints and seeds are
// bounded.
func (ch *Challenge) Validate() error {
	var errs Errors
	if ch.Version < 1 || ch.Version > ChallengeVersion {
		errs.add("version", "must be between 1 and %d, got %d", ChallengeVersion, ch.Version)
	}
	if ch.ID != "" && !validID(ch.ID) {
		errs.add("id", "%q must be 1 to 40 letters, digits, '-', '_' or '.'", ch.ID)
	}
	if ch.Next != "" && !validID(ch.Next) {
		errs.add("next", "%q must be 1 to 40 letters, digits, '-', '_' or '.'", ch.Next)
	}
	if strings.TrimSpace(ch.Title) == "" {
		errs.add("title", "is required")
	}
	checkText(&errs, "title", ch.Title, 100, false)
	checkText(&errs, "goal", ch.Goal, maxGoalRunes, true)
	if ch.Start == nil {
		errs.add("start", "is required: the scenario the learner starts from")
	} else if err := ch.Start.Validate(); err != nil {
		errs = append(errs, prefixErrors("start", err)...)
	}
	if ch.Solution != nil {
		if err := ch.Solution.Validate(); err != nil {
			errs = append(errs, prefixErrors("solution", err)...)
		}
	}
	if len(ch.Checks) == 0 && ch.Budget == (ChallengeBudget{}) {
		errs.add("checks", "must have at least one check (or a budget)")
	}
	if len(ch.Checks) > MaxChecks {
		errs.add("checks", "has %d checks; the most allowed is %d", len(ch.Checks), MaxChecks)
	} else {
		for i := range ch.Checks {
			ch.Checks[i].validate(fmtlite.Sprintf("checks[%d]", i), ch.Start, &errs)
		}
	}
	if ch.Budget.Workers < 0 {
		errs.add("budget.workers", "must not be negative (0 leaves it out)")
	}
	if ch.Budget.Nodes < 0 || ch.Budget.Nodes > MaxNodes {
		errs.add("budget.nodes", "must be between 0 (no limit) and %d", MaxNodes)
	}
	if len(ch.Seeds) > MaxSeeds {
		errs.add("seeds", "has %d seeds; the most allowed is %d (each one is a whole run)", len(ch.Seeds), MaxSeeds)
	}
	for i, s := range ch.Seeds {
		if slices.Index(ch.Seeds, s) < i {
			errs.add(fmtlite.Sprintf("seeds[%d]", i), "%d is listed twice", s)
		}
	}
	if len(ch.Hints) > MaxHints {
		errs.add("hints", "has %d hints; the most allowed is %d", len(ch.Hints), MaxHints)
	} else {
		for i, h := range ch.Hints {
			path := fmtlite.Sprintf("hints[%d]", i)
			if strings.TrimSpace(h) == "" {
				errs.add(path, "is empty")
			}
			checkText(&errs, path, h, maxHintRunes, true)
		}
	}
	if len(ch.Locks.Nodes) > MaxNodes {
		errs.add("locks.nodes", "has %d nodes; the most allowed is %d", len(ch.Locks.Nodes), MaxNodes)
	} else {
		for i, id := range ch.Locks.Nodes {
			if ch.Start != nil && ch.Start.NodeIndex(id) < 0 {
				errs.add(fmtlite.Sprintf("locks.nodes[%d]", i), "%q is not a node of the starting scenario%s", id, knownNodes(ch.Start))
			}
		}
	}
	ch.checkRefs(&errs, "goal", ch.Goal)
	for i, h := range ch.Hints {
		ch.checkRefs(&errs, fmtlite.Sprintf("hints[%d]", i), h)
	}
	if ch.Start != nil && ch.Solution != nil {
		if err := ch.lockErrors(ch.Start, ch.Solution, "solution"); err != nil {
			errs = append(errs, err...)
		}
	}
	return errs.err()
}

// knownNodes lists sc's node ids for an error message: "; its nodes are a, b".
func knownNodes(sc *Scenario) string {
	if sc == nil || len(sc.Nodes) == 0 {
		return ""
	}
	ids := make([]string, 0, min(len(sc.Nodes), 20))
	for i := range sc.Nodes[:min(len(sc.Nodes), 20)] {
		ids = append(ids, sc.Nodes[i].ID)
	}
	more := ""
	if len(sc.Nodes) > 20 {
		more = ", …"
	}
	return "; its nodes are " + strings.Join(ids, ", ") + more
}

// figureNames lists the names of ChallengeFigures for an error message.
func figureNames() string {
	figs := ChallengeFigures()
	names := make([]string, len(figs))
	for i, f := range figs {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// validate checks one check: path names it ("checks[2]"), start is the
// starting scenario its nodes must be in (nil: not checked).
func (c *Check) validate(path string, start *Scenario, errs *Errors) {
	def, ok := ChallengeFigure(c.Figure)
	switch {
	case c.Figure == "":
		errs.add(path+".figure", "is required; known: %s", figureNames())
	case !ok:
		errs.add(path+".figure", "unknown figure %q; known: %s", c.Figure, figureNames())
	}
	switch c.Op {
	case AtMost, AtLeast, Exactly:
	case "":
		errs.add(path+".op", `is required: "<=", ">=" or "=="`)
	default:
		errs.add(path+".op", `%q is not a comparison: use "<=", ">=" or "=="`, c.Op)
	}
	if math.IsNaN(c.Bound) || math.IsInf(c.Bound, 0) || math.Abs(c.Bound) > 1e15 {
		errs.add(path+".bound", "must be a number between -1e15 and 1e15")
	}
	if !ok {
		return
	}
	node := func(field, id string) {
		if start != nil && id != "" && start.NodeIndex(id) < 0 {
			errs.add(path+"."+field, "%q is not a node of the starting scenario%s", id, knownNodes(start))
		}
	}
	notFor := func(field string, set bool) {
		if set {
			errs.add(path+"."+field, "does not apply to the figure %q", c.Figure)
		}
	}
	if def.Needs&RequiresNode != 0 && c.Node == "" {
		errs.add(path+".node", "is required: the figure %q is about one node", c.Figure)
	}
	if def.Needs&NeedsNode != 0 {
		node("node", c.Node)
	} else {
		notFor("node", c.Node != "")
	}
	if def.Needs&NeedsEdge != 0 {
		node("from", c.From)
		node("to", c.To)
		if c.Mode != "" && c.Mode != Sync && c.Mode != Async {
			errs.add(path+".mode", `%q is not a mode: use "sync" or "async"`, c.Mode)
		}
	} else {
		notFor("from", c.From != "")
		notFor("to", c.To != "")
		notFor("mode", c.Mode != "")
	}
	if def.Needs&NeedsKind != 0 {
		if c.Kind != "" && !slices.Contains(Kinds, c.Kind) {
			errs.add(path+".kind", "%q is not a node kind", c.Kind)
		}
	} else {
		notFor("kind", c.Kind != "")
	}
}

// Label names what c measures: the figure and what narrows it ("peak
// queue depth at queue", "edges shoppers → queue (async)").
func (c *Check) Label() string {
	s := c.Figure
	if c.Kind != "" {
		s += " of kind " + string(c.Kind)
	}
	if c.Node != "" {
		s += " at " + c.Node
	}
	if c.From != "" || c.To != "" {
		s += " " + or(c.From, "any") + " → " + or(c.To, "any")
	}
	if c.Mode != "" {
		s += " (" + string(c.Mode) + ")"
	}
	return s
}

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// opWords says a comparison in words, as the check lines say it.
func opWords(op string) string {
	switch op {
	case AtMost:
		return "at most"
	case AtLeast:
		return "at least"
	case Exactly:
		return "exactly"
	}
	return op
}

// Unit is the unit of c's figure ("" if the figure is unknown).
func (c *Check) Unit() string {
	def, _ := ChallengeFigure(c.Figure)
	return def.Unit
}

// BoundText is c's bound with its unit, as a goal says it: "at most
// 1,000 ms".
func (c *Check) BoundText() string {
	return opWords(c.Op) + " " + formatFigure(c.Bound, c.Unit())
}

// Passes reports whether the measured value v meets c.
func (c *Check) Passes(v float64) bool {
	switch c.Op {
	case AtMost:
		return v <= c.Bound
	case AtLeast:
		return v >= c.Bound
	case Exactly:
		return v == c.Bound
	}
	return false
}

// worse reports whether v is further from passing c than w: the value of
// the worst seed is the one a verdict shows.
func (c *Check) worse(v, w float64) bool {
	switch c.Op {
	case AtMost:
		return v > w
	case AtLeast:
		return v < w
	}
	return math.Abs(v-c.Bound) > math.Abs(w-c.Bound)
}

// formatFigure writes a figure with its unit: "1,250 ms", "0.5 per
// request", "3 messages".
func formatFigure(v float64, unit string) string {
	s := trimFloat(v, 2)
	if math.Abs(v) >= 10 {
		s = trimFloat(v, 1)
	}
	if whole, frac, _ := strings.Cut(s, "."); math.Abs(v) < 1e15 {
		if n, err := strconv.ParseInt(whole, 10, 64); err == nil {
			s = groupDigits(n)
			if frac != "" {
				s += "." + frac
			}
			if n == 0 && v < 0 {
				s = "-" + s
			}
		}
	}
	if unit == "%" {
		return s + "%"
	}
	if one := singular(unit); one != "" && v == 1 {
		unit = one
	}
	return s + " " + unit
}

// singular is a plural unit's singular, for a figure of 1 ("" if the unit
// has none).
func singular(unit string) string {
	switch unit {
	case "deliveries":
		return "delivery"
	case "requests", "messages", "workers", "nodes", "edges":
		return strings.TrimSuffix(unit, "s")
	}
	return ""
}

// goalRefs returns the names between braces in a goal text, in order.
func goalRefs(goal string) []string {
	var out []string
	for {
		open := strings.IndexByte(goal, '{')
		if open < 0 {
			return out
		}
		end := strings.IndexByte(goal[open:], '}')
		if end < 0 {
			return append(out, goal[open+1:])
		}
		out = append(out, goal[open+1:open+end])
		goal = goal[open+end+1:]
	}
}

// checkRefs reports each placeholder of text that stands for nothing.
func (ch *Challenge) checkRefs(errs *Errors, field, text string) {
	for _, ref := range goalRefs(text) {
		if _, ok := ch.boundText(ref); !ok {
			errs.add(field, "{%s} stands for nothing: use {0} to {%d} for a check's bound, {workers} or {nodes} for the budget's, or {start:PATH} for a field of the starting scenario that is set", ref, max(len(ch.Checks)-1, 0))
		}
	}
}

// boundText is what {ref} stands for in the goal.
func (ch *Challenge) boundText(ref string) (string, bool) {
	if path, ok := strings.CutPrefix(ref, "start:"); ok {
		if ch.Start == nil {
			return "", false
		}
		text := FieldText(ch.Start, path)
		return text, text != ""
	}
	switch ref {
	case "workers":
		return formatFigure(float64(ch.Budget.Workers), "workers"), ch.Budget.Workers > 0
	case "nodes":
		return formatFigure(float64(ch.Budget.Nodes), "nodes"), ch.Budget.Nodes > 0
	}
	i, err := strconv.Atoi(ref)
	if err != nil || i < 0 || i >= len(ch.Checks) || strconv.Itoa(i) != ref {
		return "", false
	}
	c := &ch.Checks[i]
	return formatFigure(c.Bound, c.Unit()), true
}

// GoalText is the goal with each {N}, {workers} and {nodes} replaced by
// that check's or the budget's bound and unit ("1,000 ms", "6 workers"),
// and each {start:PATH} by that field of the start ("1s").
func (ch *Challenge) GoalText() string { return ch.fill(ch.Goal) }

// HintTexts are the hints, in order, their placeholders filled in as the
// goal's are.
func (ch *Challenge) HintTexts() []string {
	out := make([]string, len(ch.Hints))
	for i, h := range ch.Hints {
		out[i] = ch.fill(h)
	}
	return out
}

// fill replaces the placeholders of text; one that stands for nothing is
// left as it is.
func (ch *Challenge) fill(goal string) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(goal, '{')
		end := strings.IndexByte(goal[max(open, 0):], '}')
		if open < 0 || end < 0 {
			b.WriteString(goal)
			return b.String()
		}
		ref := goal[open+1 : open+end]
		b.WriteString(goal[:open])
		if text, ok := ch.boundText(ref); ok {
			b.WriteString(text)
		} else {
			b.WriteString(goal[open : open+end+1])
		}
		goal = goal[open+end+1:]
	}
}

// MarshalCanonical writes ch as compact JSON with fields in a fixed order,
// the form challenge links carry.
func (ch *Challenge) MarshalCanonical() ([]byte, error) {
	return jsonlite.Marshal(ch)
}

// Clone returns a deep copy of ch.
func (ch *Challenge) Clone() *Challenge {
	out := *ch
	if ch.Start != nil {
		out.Start = ch.Start.Clone()
	}
	if ch.Solution != nil {
		out.Solution = ch.Solution.Clone()
	}
	out.Locks.Nodes = slices.Clone(ch.Locks.Nodes)
	out.Checks = slices.Clone(ch.Checks)
	out.Seeds = slices.Clone(ch.Seeds)
	out.Hints = slices.Clone(ch.Hints)
	return &out
}

// RunSeeds returns the seeds every submission runs with: Seeds, or the
// starting scenario's seed alone.
func (ch *Challenge) RunSeeds() []uint64 {
	if len(ch.Seeds) > 0 {
		return slices.Clone(ch.Seeds)
	}
	if ch.Start == nil {
		return nil
	}
	return []uint64{ch.Start.Seed}
}

// AllChecks returns the goal checks followed by the budget's checks.
func (ch *Challenge) AllChecks() []Check {
	return append(slices.Clone(ch.Checks), ch.Budget.BudgetChecks()...)
}

// sameJSON reports whether a and b write the same canonical JSON.
func sameJSON(a, b any) bool {
	x, errA := jsonlite.Marshal(a)
	y, errB := jsonlite.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(x, y)
}
