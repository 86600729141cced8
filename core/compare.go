package core

import (
	"math"
	"slices"
	"strconv"

	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// Comparing two wirings of one workload is how the playground shows what
// choosing sync or async changes. Counterpart builds the other wiring;
// Compare runs both (with the same client ids and so the same arrivals,
// and the same node ids and so the same service times: common random
// numbers) and measures every row of the seed's comparison table.

// Counterpart returns sc rewired the other way. If sc has sync calls
// between services, each becomes an async send through a new queue named
// "<callee>-queue" (calls to databases stay sync: their answers are
// needed). Otherwise every broker between producers and consumers is
// removed and its producers call its consumers synchronously, and direct
// async sends become sync calls. A wiring in which that changes nothing
// (clients calling services, and nothing else to turn) has its clients'
// calls queued instead: the client sends through a queue to the same
// service. Node ids are kept, so both runs see the same arrivals and
// service times; faults on removed nodes are dropped.
func Counterpart(sc *Scenario) (*Scenario, error) {
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	out := sc.Clone()
	if out.Name != "" {
		out.Name += " (other wiring)"
	}
	kind := map[string]Kind{}
	for _, n := range out.Nodes {
		kind[n.ID] = n.Kind
	}
	toAsync := slices.ContainsFunc(out.Edges, func(e Edge) bool { return queueable(e, kind, false) })
	switch {
	case toAsync:
		rewireAsync(out, kind, false)
	case slices.ContainsFunc(out.Nodes, func(n Node) bool { return n.Kind == Outbox }):
		return nil, fmtlite.Errorf("%q publishes through an outbox, which needs its broker: it has no synchronous counterpart", sc.Name)
	default:
		rewireSync(out, kind)
		if slices.EqualFunc(out.Edges, sc.Edges, func(a, b Edge) bool { return a.From == b.From && a.To == b.To && a.Mode == b.Mode }) {
			fresh := sc.Clone()
			out.Nodes, out.Edges, out.Faults = fresh.Nodes, fresh.Edges, fresh.Faults
			rewireAsync(out, kind, true)
		}
	}
	if err := out.Validate(); err != nil {
		return nil, fmtlite.Errorf("the other wiring of %q is not valid: %w", sc.Name, err)
	}
	return out, nil
}

// queueable reports whether the sync call e can become a send through a
// queue: a call to anything that consumes but a database (whose answer is
// needed), made by a service or, with clients, by a client.
func queueable(e Edge, kind map[string]Kind, clients bool) bool {
	return e.Mode == Sync && (clients || kind[e.From] != Client) && isConsumer(kind[e.To]) && kind[e.To] != Database
}

// rewireAsync puts a queue in front of every service a service (or, with
// clients, a client) calls.
func rewireAsync(sc *Scenario, kind map[string]Kind, clients bool) {
	var edges []Edge
	queued := map[string]bool{}
	for _, e := range sc.Edges {
		if !queueable(e, kind, clients) {
			edges = append(edges, e)
			continue
		}
		q := e.To + "-queue"
		for sc.NodeIndex(q) >= 0 && !queued[e.To] {
			q += "x"
		}
		if !queued[e.To] {
			queued[e.To] = true
			n := DefaultNode(Queue)
			n.ID, n.Label = q, "Queue for "+e.To
			sc.Nodes = append(sc.Nodes, n)
			edges = append(edges, Edge{From: q, To: e.To, Mode: Async, Latency: e.Latency})
		}
		edges = append(edges, Edge{From: e.From, To: q, Mode: Async, Latency: e.Latency})
	}
	sc.Edges = edges
}

// rewireSync removes brokers, producers calling consumers directly, and
// turns direct async sends into sync calls. A queue's competing consumers
// (and a topic's consumer group) become one service with all their hands (the first consumer, keeping its
// id); a bus's subscribers are called one after the other. A client that
// would then call several nodes gets a gateway in front of them, calling
// them in turn.
func rewireSync(sc *Scenario, kind map[string]Kind) {
	removed := map[string]bool{}
	extra := map[string]int{} // concurrency a merged consumer takes over
	var edges []Edge
	for _, e := range sc.Edges {
		switch {
		case isBroker(kind[e.To]):
			removed[e.To] = true
			var consumers []string
			for _, d := range sc.Edges {
				if d.From == e.To && isConsumer(kind[d.To]) {
					consumers = append(consumers, d.To)
				}
			}
			if kind[e.To] != Bus && len(consumers) > 1 { // competing consumers, not copies
				for _, c := range consumers[1:] {
					removed[c] = true
					extra[consumers[0]] += sc.Nodes[sc.NodeIndex(c)].EffectiveConcurrency()
				}
				consumers = consumers[:1]
			}
			for _, c := range consumers {
				if !slices.ContainsFunc(edges, func(x Edge) bool { return x.From == e.From && x.To == c }) {
					edges = append(edges, Edge{From: e.From, To: c, Mode: Sync, Latency: e.Latency})
				}
			}
		case isBroker(kind[e.From]) || kind[e.To] == DLQ:
			// Deliveries and dead-lettering go with the broker.
		case e.Mode == Async && kind[e.From] != Outbox:
			e.Mode = Sync
			edges = append(edges, e)
		default:
			edges = append(edges, e)
		}
	}
	var nodes []Node
	for _, n := range sc.Nodes {
		if removed[n.ID] || n.Kind == DLQ {
			removed[n.ID] = true
			continue
		}
		if extra[n.ID] > 0 {
			n.Concurrency = n.EffectiveConcurrency() + extra[n.ID]
		}
		if n.Kind == Worker {
			// A worker without its queue is a service called directly,
			// with the same number of hands.
			n.Concurrency = n.EffectiveConcurrency()
			n.Kind = Service
		}
		nodes = append(nodes, n)
	}
	edges = slices.DeleteFunc(edges, func(e Edge) bool { return removed[e.From] || removed[e.To] })
	// A client calls one node: give one that now calls several a gateway.
	for _, n := range nodes {
		if n.Kind != Client {
			continue
		}
		var out []int
		for i, e := range edges {
			if e.From == n.ID {
				out = append(out, i)
			}
		}
		if len(out) < 2 {
			continue
		}
		gw := n.ID + "-gateway"
		nodes = append(nodes, Node{ID: gw, Kind: Gateway, Label: "Calls in turn", Calls: Sequential})
		for _, i := range out {
			edges[i].From = gw
		}
		edges = append(edges, Edge{From: n.ID, To: gw, Mode: Sync})
	}
	sc.Nodes, sc.Edges = nodes, edges
	var faults []Fault
	for _, f := range sc.Faults {
		if !removed[f.Node] && !removed[f.From] && !removed[f.To] {
			faults = append(faults, f)
		}
	}
	sc.Faults = faults
}

// Figure is one measured number of a comparison, for both runs.
type Figure struct {
	Name string  `json:"name"`
	Unit string  `json:"unit"`
	A    float64 `json:"a"`
	B    float64 `json:"b"`
	// LowerIsBetter says which way is good, for highlighting.
	LowerIsBetter bool `json:"lowerIsBetter"`
	// LowA and HighA are the least and the most the figure was for A over
	// every seed the comparison ran (see Comparison.Seeds); LowB and HighB
	// the same for B: its run-to-run noise.
	LowA  float64 `json:"lowA"`
	HighA float64 `json:"highA"`
	LowB  float64 `json:"lowB"`
	HighB float64 `json:"highB"`
}

// TableRow is one row of the seed's comparison table, with the figures
// that back it.
type TableRow struct {
	Aspect  string   `json:"aspect"`
	A       string   `json:"a"` // what the first run shows, in words
	B       string   `json:"b"`
	Figures []string `json:"figures"` // the names of the figures that back it
}

// Comparison is two runs of one workload side by side.
type Comparison struct {
	NameA, NameB string
	// ScenarioA and ScenarioB are the two wirings compared.
	ScenarioA, ScenarioB *Scenario
	A, B                 *Report
	// OutageA and OutageB are the same runs with the deepest node down for
	// the middle third of the workload: how much a caller depends on it.
	// DownA and DownB are those outages (nil where no node could be taken
	// down).
	OutageA, OutageB *Report
	DownA, DownB     *Fault
	// Seeds is how many seeds each wiring ran with: the scenario's own
	// (whose runs are A, B and the outages) and as many more as the noise
	// budget allowed, the same ones for both wirings.
	Seeds   int
	Figures []Figure
	Table   []TableRow
}

// Figure returns the figure with the given name.
func (c *Comparison) Figure(name string) (Figure, bool) {
	i := slices.IndexFunc(c.Figures, func(f Figure) bool { return f.Name == name })
	if i < 0 {
		return Figure{}, false
	}
	return c.Figures[i], true
}

// Better says which wiring f favours beyond the run-to-run noise: -1 for
// A, 1 for B, 0 for neither. One is better only if it was better under
// every seed than the other was under any seed (their ranges over the
// seeds do not meet); with a single seed there is no telling noise from
// a difference, and neither is.
func (c *Comparison) Better(f Figure) int {
	if c.Seeds < 2 {
		return 0
	}
	aWins, bWins := f.LowA > f.HighB, f.LowB > f.HighA
	if f.LowerIsBetter {
		aWins, bWins = f.HighA < f.LowB, f.HighB < f.LowA
	}
	switch {
	case aWins:
		return -1
	case bWins:
		return 1
	}
	return 0
}

// Compare runs a and b (trace off) and measures them against each other,
// filling the seed's comparison table with the figures. For coupling it
// also runs each with its deepest node down for the middle third of the
// run, and for the noise it repeats all four with more seeds. It is a
// CompareJob run to the end in one go.
func Compare(a, b *Scenario) (*Comparison, error) {
	j, err := NewCompareJob(a, b)
	if err != nil {
		return nil, err
	}
	for {
		done, err := j.Step(math.MaxInt)
		if err != nil {
			return nil, err
		}
		if done {
			return j.Result(), nil
		}
	}
}

// How a comparison tells a difference from noise: it runs each wiring
// with up to NoiseSeeds seeds, the same seeds for both (common random
// numbers), and a figure is better only where the seeds' ranges do not
// overlap (Comparison.Better). The extra seeds cost at most NoiseEvents
// events in all: the first seed's four runs are exact, so the number of
// extra seeds is fixed from them before any extra run starts.
const (
	NoiseSeeds  = 5
	NoiseEvents = 4_000_000
	// seedStep separates a comparison's seeds: seed k of a wiring is its
	// own seed plus k steps (wrapping). An odd step near 2^64/φ, so that
	// the seeds of a scenario with seed s and those of one with seed s+1
	// never meet.
	seedStep = 0x9E3779B97F4A7C15
)

// The four runs of each seed, in order.
var runNames = [...]string{"running A", "running B", "A with an outage", "B with an outage"}

// CompareJob is Compare a slice at a time, for a page that must not
// freeze: it runs the four runs of each seed one after the other (the
// outage runs are made from the first runs' results, once those are
// known) and then measures. Each Step does a bounded amount of work and
// never crosses from one run to the next, so every stage shows on the page.
type CompareJob struct {
	// Options are each run's options: a page sets its budget's limits
	// (Budget.Options), so that no run of the four outgrows the page.
	Options Options

	sc     [2]*Scenario // the two wirings, copied when the job was made
	weight [2]float64   // each wiring's expected size, in requests
	// seeds is how many seeds each wiring runs with: NoiseSeeds until the
	// first seed's runs are done, then what noiseEvents (NoiseEvents)
	// allows.
	seeds       int
	noiseEvents int64
	// r is the run under way (or next): seed r/4, run r%4 of runNames;
	// 4*seeds is measuring, and past it the job is done.
	r     int
	run   *Engine    // the current run; nil until its first Step
	cur   [4]*Report // the current seed's reports
	noise [][]Figure // the figures of each extra seed
	c     *Comparison
	err   error
}

// NewCompareJob validates both scenarios and prepares a comparison of
// them. It keeps copies, so later changes to a and b do not affect it.
func NewCompareJob(a, b *Scenario) (*CompareJob, error) {
	if err := a.Validate(); err != nil {
		return nil, fmtlite.Errorf("first scenario: %w", err)
	}
	if err := b.Validate(); err != nil {
		return nil, fmtlite.Errorf("second scenario: %w", err)
	}
	j := &CompareJob{sc: [2]*Scenario{a.Clone(), b.Clone()}, seeds: NoiseSeeds, noiseEvents: NoiseEvents, c: &Comparison{NameA: a.Name, NameB: b.Name}}
	for i, sc := range j.sc {
		j.weight[i] = plannedRequests(sc)
	}
	return j, nil
}

// Step does at most n events of work (an n below 1 counts as 1) and
// reports whether the comparison is finished. A Step that ends a run, and
// the one that measures, end the Step. Once Step returns an error the job
// is over: every later Step returns it again and Result stays nil.
func (j *CompareJob) Step(n int) (done bool, err error) {
	switch {
	case j.err != nil:
		return true, j.err
	case j.r > 4*j.seeds:
		return true, nil
	case j.r == 4*j.seeds:
		j.c.measure(j.sc[0], j.sc[1], j.noise)
		j.r++
		return true, nil
	}
	if j.run == nil {
		if j.run, j.err = NewEngine(j.runScenario(), j.Options); j.err != nil {
			switch j.r % 4 {
			case 0:
				j.err = fmtlite.Errorf("first scenario: %w", j.err)
			case 1:
				j.err = fmtlite.Errorf("second scenario: %w", j.err)
			}
			return true, j.err
		}
	}
	if !j.run.RunSome(n) {
		return false, nil
	}
	j.cur[j.r%4] = j.run.Report()
	j.run = nil
	if j.r%4 == 3 {
		j.seedDone()
	}
	j.r++
	return false, nil
}

// runScenario is what run r runs: a wiring with the seed's seed, and for
// an outage run, with its deepest node down.
func (j *CompareJob) runScenario() *Scenario {
	k, which := j.r/4, j.r%4
	sc := j.sc[which%2]
	if k > 0 {
		sc = sc.Clone()
		sc.Seed += uint64(k) * seedStep
	}
	if which < 2 {
		return sc
	}
	sc, down := withOutage(sc, j.cur[which-2].End)
	if k == 0 {
		*[...]**Fault{&j.c.DownA, &j.c.DownB}[which-2] = down
	}
	return sc
}

// seedDone keeps what the seed's four runs measured. After the first,
// whose reports are the comparison's own, it fixes how many more seeds the
// noise budget allows.
func (j *CompareJob) seedDone() {
	if j.r/4 > 0 {
		j.noise = append(j.noise, figures(j.sc[0], j.sc[1], j.cur[0], j.cur[1], j.cur[2], j.cur[3]))
		return
	}
	j.c.A, j.c.B, j.c.OutageA, j.c.OutageB = j.cur[0], j.cur[1], j.cur[2], j.cur[3]
	var events int64
	for _, r := range j.cur {
		events += r.Events
	}
	j.seeds = 1 + int(min(int64(j.seeds-1), j.noiseEvents/max(events, 1)))
}

// Progress is how far the comparison has got, from 0 to 1, over all its
// runs, each weighted by the requests its workload plans to send. It is 1
// once the comparison is finished and at most 0.99 before; it never goes
// down from one Step to the next (when the budget cuts the seeds, the
// work left shrinks and the bar jumps ahead).
func (j *CompareJob) Progress() float64 {
	if j.r > 4*j.seeds {
		return 1
	}
	var done float64
	for r := 0; r < j.r; r++ {
		done += j.weight[r%2]
	}
	if j.run != nil {
		done += j.weight[j.r%2] * j.run.Progress()
	}
	total := float64(2*j.seeds) * (j.weight[0] + j.weight[1])
	return min(done/total, almostDone)
}

// Stage names what the next Step will work on, for the page: "running A",
// "running B", "A with an outage", "B with an outage", the same again for
// each further seed ("seed 2 of 5: running A"), then "measuring" and
// "done".
func (j *CompareJob) Stage() string {
	switch k := j.r / 4; {
	case j.r > 4*j.seeds:
		return "done"
	case j.r == 4*j.seeds:
		return "measuring"
	case k == 0:
		return runNames[j.r%4]
	default:
		return "seed " + strconv.Itoa(k+1) + " of " + strconv.Itoa(j.seeds) + ": " + runNames[j.r%4]
	}
}

// Result returns the comparison once Step has reported done without an
// error, and nil before.
func (j *CompareJob) Result() *Comparison {
	if j.r <= 4*j.seeds || j.err != nil {
		return nil
	}
	return j.c
}

// withOutage returns sc with its deepest node (the last one a chain of
// calls reaches; not a client, broker or DLQ) down for the middle third
// of a run that lasted end, and that outage (nil if there is none).
func withOutage(sc *Scenario, end Duration) (*Scenario, *Fault) {
	out := sc.Clone()
	depth := map[string]int{}
	for changed := true; changed; {
		changed = false
		for _, e := range out.Edges {
			if d := depth[e.From] + 1; d > depth[e.To] && d <= len(out.Nodes) {
				depth[e.To], changed = d, true
			}
		}
	}
	deepest, best := "", -1
	for _, n := range out.Nodes {
		if isConsumer(n.Kind) && depth[n.ID] > best {
			deepest, best = n.ID, depth[n.ID]
		}
	}
	if deepest == "" || end <= 0 {
		return out, nil
	}
	f := Fault{Type: Down, Node: deepest, At: end / 3, Until: 2 * end / 3}
	out.Faults = append(out.Faults, f)
	return out, &f
}

// measure fills the figures and the table from the first seed's runs, and
// each figure's range from those and the other seeds' figures.
func (c *Comparison) measure(a, b *Scenario, noise [][]Figure) {
	c.ScenarioA, c.ScenarioB = a, b
	c.Figures = figures(a, b, c.A, c.B, c.OutageA, c.OutageB)
	c.Seeds = 1 + len(noise)
	for i := range c.Figures {
		f := &c.Figures[i]
		f.LowA, f.HighA, f.LowB, f.HighB = f.A, f.A, f.B, f.B
		for _, other := range noise {
			o := other[i]
			f.LowA, f.HighA = min(f.LowA, o.A), max(f.HighA, o.A)
			f.LowB, f.HighB = min(f.LowB, o.B), max(f.HighB, o.B)
		}
	}
	c.table()
}

// figures measures the runs of one seed: A and B, and each with an outage.
func figures(a, b *Scenario, A, B, outageA, outageB *Report) []Figure {
	var out []Figure
	ms := func(d Duration) float64 { return d.Milliseconds() }
	peak := func(r *Report) float64 {
		var m int64
		for _, n := range r.Nodes {
			m = max(m, n.MaxDepth)
		}
		return float64(m)
	}
	failedShare := func(r *Report) float64 {
		if r.Requests.Started == 0 {
			return 0
		}
		return 100 * float64(r.Requests.Errors+r.Requests.TimedOut) / float64(r.Requests.Started)
	}
	perRequest := func(r *Report, n int64) float64 {
		if r.Requests.Started == 0 {
			return 0
		}
		return float64(n) / float64(r.Requests.Started)
	}
	parts := func(sc *Scenario) float64 { return float64(len(sc.Nodes) + len(sc.Edges)) }
	add := func(name, unit string, lower bool, fa, fb float64) {
		out = append(out, Figure{Name: name, Unit: unit, A: fa, B: fb, LowerIsBetter: lower})
	}
	add("user p50", "ms", true, ms(A.UserLatency.P50), ms(B.UserLatency.P50))
	add("user p95", "ms", true, ms(A.UserLatency.P95), ms(B.UserLatency.P95))
	add("user p99", "ms", true, ms(A.UserLatency.P99), ms(B.UserLatency.P99))
	add("completion p50", "ms", true, ms(A.CompletionLatency.P50), ms(B.CompletionLatency.P50))
	add("completion p99", "ms", true, ms(A.CompletionLatency.P99), ms(B.CompletionLatency.P99))
	add("throughput", "requests/s", false, A.Throughput, B.Throughput)
	add("errors", "requests", true, float64(A.Requests.Errors), float64(B.Requests.Errors))
	add("timeouts", "requests", true, float64(A.Requests.TimedOut), float64(B.Requests.TimedOut))
	add("lost", "messages", true, float64(A.Counts.Lost), float64(B.Counts.Lost))
	add("duplicates", "messages", true, float64(A.Counts.DuplicatesProcessed), float64(B.Counts.DuplicatesProcessed))
	add("staleness mean", "ms", true, ms(A.Staleness.Mean), ms(B.Staleness.Mean))
	add("staleness max", "ms", true, ms(A.Staleness.Max), ms(B.Staleness.Max))
	add("peak queue depth", "messages", true, peak(A), peak(B))
	add("failed during an outage", "%", true, failedShare(outageA), failedShare(outageB))
	add("retries and redeliveries", "per request", false, perRequest(A, A.Counts.Retried+A.Counts.Redelivered), perRequest(B, B.Counts.Retried+B.Counts.Redelivered))
	add("moving parts", "nodes and edges", true, parts(a), parts(b))
	add("events", "per request", true, perRequest(A, A.Events), perRequest(B, B.Events))
	return out
}

// table fills the seed's comparison table from the figures.
func (c *Comparison) table() {
	f := func(name string) Figure { v, _ := c.Figure(name); return v }
	say := func(name string, v float64) string { return fmtlite.Sprintf("%s %s", trimFloat(v, 1), f(name).Unit) }
	row := func(aspect string, names ...string) {
		r := TableRow{Aspect: aspect, Figures: names}
		var sa, sb []string
		for _, n := range names {
			sa = append(sa, n+": "+say(n, f(n).A))
			sb = append(sb, n+": "+say(n, f(n).B))
		}
		r.A, r.B = joinComma(sa), joinComma(sb)
		c.Table = append(c.Table, r)
	}
	row("Latency", "user p50", "user p99")
	row("Coupling", "failed during an outage")
	row("Failure handling", "errors", "timeouts", "retries and redeliveries")
	row("Complexity", "moving parts")
	row("Scalability", "peak queue depth", "throughput")
	row("Consistency", "staleness mean", "staleness max")
	row("Debugging", "events")
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}
