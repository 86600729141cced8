package core

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// evaluate checks sc against ch and fails the test on a refusal.
func evaluate(t *testing.T, ch *Challenge, sc *Scenario) *Verdict {
	t.Helper()
	v, err := Evaluate(ch, sc)
	require.NoError(t, err)
	return v
}

// TestEveryChallengeStartFailsAndSolutionPasses is the proof each built-in
// challenge owes: its start fails at least one check and its reference
// solution passes every check on every seed it lists.
func TestEveryChallengeStartFailsAndSolutionPasses(t *testing.T) {
	for _, ch := range Challenges() {
		t.Run(ch.ID, func(t *testing.T) {
			start := evaluate(t, ch, ch.Start)
			for _, l := range start.Lines() {
				t.Log("start: ", l)
			}
			assert.False(t, start.Passed, "the start must fail a check")
			require.NotNil(t, ch.Solution)
			sol := evaluate(t, ch, ch.Solution)
			for _, l := range sol.Lines() {
				t.Log("solution: ", l)
			}
			assert.True(t, sol.Passed, "the solution must pass every check")
			assert.Len(t, sol.Seeds, len(ch.RunSeeds()))
			assert.NotEmpty(t, ch.Hints)
		})
	}
}

// TestChallengeFiguresMatchTheReport holds the table of checkable figures
// to the report: each is computed here again, independently, from the
// runs' reports (or the scenario, for a structural one), on runs where it
// is not zero; the names a comparison also shows have the comparison's
// unit; and the table has no figure this test does not know.
func TestChallengeFiguresMatchTheReport(t *testing.T) {
	ms := func(d Duration) float64 { return d.Milliseconds() }
	node := func(r *Report, id string) NodeReport {
		for _, n := range r.Nodes {
			if n.ID == id {
				return n
			}
		}
		t.Fatalf("no node %s", id)
		return NodeReport{}
	}
	type figureCase struct {
		check Check
		want  func(r *Report, sc *Scenario) float64
	}
	cases := map[string]figureCase{
		"user p50":        {Check{}, func(r *Report, _ *Scenario) float64 { return ms(r.UserLatency.P50) }},
		"user p95":        {Check{}, func(r *Report, _ *Scenario) float64 { return ms(r.UserLatency.P95) }},
		"user p99":        {Check{}, func(r *Report, _ *Scenario) float64 { return ms(r.UserLatency.P99) }},
		"user max":        {Check{}, func(r *Report, _ *Scenario) float64 { return ms(r.UserLatency.Max) }},
		"completion p50":  {Check{}, func(r *Report, _ *Scenario) float64 { return ms(r.CompletionLatency.P50) }},
		"completion p99":  {Check{}, func(r *Report, _ *Scenario) float64 { return ms(r.CompletionLatency.P99) }},
		"staleness mean":  {Check{}, func(r *Report, _ *Scenario) float64 { return ms(r.Staleness.Mean) }},
		"staleness max":   {Check{}, func(r *Report, _ *Scenario) float64 { return ms(r.Staleness.Max) }},
		"throughput":      {Check{}, func(r *Report, _ *Scenario) float64 { return r.Throughput }},
		"failed requests": {Check{}, func(r *Report, _ *Scenario) float64 { return float64(r.Requests.Errors + r.Requests.TimedOut) }},
		"errors":          {Check{}, func(r *Report, _ *Scenario) float64 { return float64(r.Requests.Errors) }},
		"timeouts":        {Check{}, func(r *Report, _ *Scenario) float64 { return float64(r.Requests.TimedOut) }},
		"incomplete":      {Check{}, func(r *Report, _ *Scenario) float64 { return float64(r.Requests.Started - r.Requests.Complete) }},
		"processed":       {Check{}, func(r *Report, _ *Scenario) float64 { return float64(r.Counts.Processed) }},
		"lost":            {Check{}, func(r *Report, _ *Scenario) float64 { return float64(r.Counts.Lost) }},
		"dropped":         {Check{}, func(r *Report, _ *Scenario) float64 { return float64(r.Counts.Dropped) }},
		"rate limited":    {Check{}, func(r *Report, _ *Scenario) float64 { return float64(r.Counts.DropReasons["rate limited"]) }},
		"duplicates":      {Check{}, func(r *Report, _ *Scenario) float64 { return float64(r.Counts.DuplicatesProcessed) }},
		"out of order":    {Check{}, func(r *Report, _ *Scenario) float64 { return float64(r.Counts.OutOfOrder) }},
		"dead-lettered":   {Check{Node: "dlq"}, func(r *Report, _ *Scenario) float64 { return float64(len(r.DeadLetters)) }},
		"dead-letter deliveries": {Check{}, func(r *Report, _ *Scenario) float64 {
			most := 0.0
			for _, d := range r.DeadLetters {
				most = max(most, float64(d.Deliveries))
			}
			return most
		}},
		"retries and redeliveries": {Check{}, func(r *Report, _ *Scenario) float64 {
			return float64(r.Counts.Retried+r.Counts.Redelivered) / float64(r.Requests.Started)
		}},
		"peak queue depth": {Check{}, func(r *Report, _ *Scenario) float64 {
			most := 0.0
			for _, n := range r.Nodes {
				most = max(most, float64(n.MaxDepth))
			}
			return most
		}},
		"rejected": {Check{}, func(r *Report, _ *Scenario) float64 {
			return float64(sumNodes(r, func(n NodeReport) int64 { return n.Rejected }))
		}},
		"arrival rate": {Check{Node: "email"}, func(r *Report, _ *Scenario) float64 { return node(r, "email").ArrivalRate }},
		"arrivals per request": {Check{Node: "email"}, func(r *Report, _ *Scenario) float64 {
			return float64(node(r, "email").Arrivals) / float64(r.Requests.Started)
		}},
		"utilization": {Check{Node: "email"}, func(r *Report, _ *Scenario) float64 { return 100 * node(r, "email").Utilization }},
		"wasted work": {Check{}, func(r *Report, _ *Scenario) float64 {
			return Duration(sumNodes(r, func(n NodeReport) int64 { return int64(n.WastedWork) })).Milliseconds()
		}},
		"workers": {Check{}, func(_ *Report, sc *Scenario) float64 {
			n := 0
			for _, nd := range sc.Nodes {
				if nd.Kind == Gateway || nd.Kind == Service || nd.Kind == Database || nd.Kind == Worker {
					n += nd.EffectiveConcurrency()
				}
			}
			return float64(n)
		}},
		"nodes": {Check{Kind: Queue}, func(_ *Report, sc *Scenario) float64 {
			n := 0
			for _, nd := range sc.Nodes {
				if nd.Kind == Queue {
					n++
				}
			}
			return float64(n)
		}},
		"edges": {Check{Mode: Async}, func(_ *Report, sc *Scenario) float64 {
			n := 0
			for _, e := range sc.Edges {
				if e.Mode == Async {
					n++
				}
			}
			return float64(n)
		}},
		"idempotent consumers": {Check{}, func(_ *Report, sc *Scenario) float64 {
			n := 0
			for _, nd := range sc.Nodes {
				if nd.Idempotent {
					n++
				}
			}
			return float64(n)
		}},
		"honours cancellation": {Check{}, func(_ *Report, sc *Scenario) float64 {
			n := 0
			for _, nd := range sc.Nodes {
				if (nd.Kind == Gateway || nd.Kind == Service || nd.Kind == Database || nd.Kind == Worker) && !nd.IgnoresCancellation {
					n++
				}
			}
			return float64(n)
		}},
		"moving parts": {Check{}, func(_ *Report, sc *Scenario) float64 { return float64(len(sc.Nodes) + len(sc.Edges)) }},
	}
	for _, f := range ChallengeFigures() {
		_, ok := cases[f.Name]
		assert.True(t, ok, "the figure %q has no case here", f.Name)
	}
	assert.Len(t, ChallengeFigures(), len(cases), "every case is a figure of the table")

	// Runs where every figure is non-zero somewhere: a design with an
	// outage, retries, a rate limit, a DLQ, keys and duplicates.
	var scenarios []*Scenario
	for _, id := range []string{"notifications", "poison", "kafka-crash", "grpc-deadline", "double-charge", "spike"} {
		ch, err := ChallengeByID(id)
		require.NoError(t, err)
		scenarios = append(scenarios, ch.Start, ch.Solution)
	}
	for _, id := range []string{"lost-ack", "dual-write", "notifications", "ordering-queue"} {
		sc, err := ExampleByID(id)
		require.NoError(t, err)
		scenarios = append(scenarios, sc)
	}
	// A bounded line, so that "rejected" is measured too.
	bounded, err := ExampleByID("spike-sync")
	require.NoError(t, err)
	bounded.Nodes[1].MaxWaiting = new(int)
	scenarios = append(scenarios, bounded)
	nonZero := map[string]bool{}
	for _, sc := range scenarios {
		r, _ := run(t, sc)
		for _, f := range ChallengeFigures() {
			c := cases[f.Name].check
			c.Figure = f.Name
			if c.Node != "" && sc.NodeIndex(c.Node) < 0 {
				continue
			}
			var rep *Report
			if !f.Structural {
				rep = r
			}
			got, ok := measureCheck(&c, rep, sc)
			require.True(t, ok, f.Name)
			assert.InDelta(t, cases[f.Name].want(r, sc), got, 1e-9, "%s on %s", f.Name, sc.Name)
			nonZero[f.Name] = nonZero[f.Name] || got != 0
		}
	}
	for _, f := range ChallengeFigures() {
		assert.True(t, nonZero[f.Name], "%q is zero on every run: this test could not tell it from a figure that reads nothing", f.Name)
	}

	// The names a comparison shows have its units.
	sc, err := ExampleByID("rest-chain")
	require.NoError(t, err)
	r, _ := run(t, sc)
	for _, cf := range figures(sc, sc, r, r, r, r) {
		if f, ok := ChallengeFigure(cf.Name); ok {
			assert.Equal(t, cf.Unit, f.Unit, "%s: the comparison's unit", cf.Name)
			assert.Equal(t, cf.LowerIsBetter, f.LowerIsBetter, "%s: which way is good", cf.Name)
		}
	}
}

func sumNodes(r *Report, f func(NodeReport) int64) int64 {
	var n int64
	for _, nd := range r.Nodes {
		n += f(nd)
	}
	return n
}

// TestChallengeFilesAreAllEmbedded: every file under challenges/ is a
// built-in challenge, with exactly its bytes and its id, and nothing else
// is.
func TestChallengeFilesAreAllEmbedded(t *testing.T) {
	entries, err := os.ReadDir("challenges")
	require.NoError(t, err)
	var files []string
	for _, e := range entries {
		if id, ok := strings.CutSuffix(e.Name(), ".json"); ok {
			files = append(files, id)
		}
	}
	var ids []string
	for _, s := range challengeSources() {
		ids = append(ids, s.id)
		data, err := os.ReadFile("challenges/" + s.id + ".json")
		require.NoError(t, err)
		require.Equal(t, string(data), s.json, "%s is embedded as it is on disk", s.id)
		ch, err := ChallengeByID(s.id)
		require.NoError(t, err)
		assert.Equal(t, s.id, ch.ID, "the file's name is its id")
	}
	slices.Sort(files)
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	require.Equal(t, files, sorted, "the embedded list is the directory")
}

// TestChallengeVerdictsGolden pins every built-in challenge's verdict on
// its start and its solution, line for line, in testdata: the same file
// holds under js/wasm (make test runs the core's tests there too), so the
// browser's checker says what this one does. -update rewrites it.
func TestChallengeVerdictsGolden(t *testing.T) {
	var b strings.Builder
	for _, ch := range Challenges() {
		for _, which := range []struct {
			name string
			sc   *Scenario
		}{{"start", ch.Start}, {"solution", ch.Solution}} {
			v := evaluate(t, ch, which.sc)
			fmt.Fprintf(&b, "%s %s: passed %v\n", ch.ID, which.name, v.Passed)
			for i, l := range v.Lines() {
				if i < len(v.Results) {
					l += fmt.Sprintf(" [%v, seed %d]", v.Results[i].Measured, v.Results[i].Seed)
				}
				fmt.Fprintf(&b, "  %s\n", l)
			}
		}
	}
	const golden = "testdata/challenge-verdicts.txt"
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(b.String()), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), b.String(), "run with -update to accept")
}
