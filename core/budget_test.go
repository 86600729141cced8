package core

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// heavyScenario is a valid scenario that asks for more than a browser tab
// can hold, or close to it, and what the browser's budget must make of it:
// refuse it naming field, or run it and stop within the budget.
type heavyScenario struct {
	name    string
	file    string // testdata/heavy-<file>.json, which the browser tests open as links
	sc      *Scenario
	refused string // the field the refusal names; "" if it runs
}

func heavyScenarios() []heavyScenario {
	open := func(w *Workload, nodes []Node, edges []Edge) *Scenario {
		sc := &Scenario{Version: 1, Seed: 7}
		sc.Nodes = append([]Node{{ID: "client", Kind: Client, Workload: w}}, nodes...)
		sc.Edges = edges
		return sc
	}
	service := Node{ID: "api", Kind: Service, Concurrency: 8, ServiceTime: Exp(ms(1))}
	toAPI := []Edge{{From: "client", To: "api", Mode: Sync, Latency: Fixed(ms(1))}}

	poissonFlood := open(&Workload{Type: Poisson, Rate: MaxRate, Count: MaxCount}, []Node{service}, toAPI)

	ceiling := open(&Workload{Type: Poisson, Rate: 1000, Count: MaxCount}, []Node{service}, toAPI)
	ceiling.Limits = Limits{MaxEvents: CeilingMaxEvents, MaxMessages: CeilingMaxMessages}

	queueFlood := open(&Workload{Type: Poisson, Rate: 1_000_000, Count: 5_000_000},
		[]Node{{ID: "q", Kind: Queue}, {ID: "w", Kind: Worker, ServiceTime: Fixed(100 * Millisecond)}},
		[]Edge{{From: "client", To: "q", Mode: Async, Latency: Fixed(ms(1))}, {From: "q", To: "w", Mode: Async, Latency: Fixed(ms(1))}})

	closedUsers := open(&Workload{Type: Closed, Users: MaxUsers, Count: 100, Think: Exp(Second)}, []Node{service}, toAPI)

	storm := open(&Workload{Type: Poisson, Rate: 10_000, Count: 1_000_000},
		[]Node{{ID: "api", Kind: Service, Concurrency: 8, ServiceTime: Fixed(ms(1)), FailureRate: 1}}, toAPI)
	storm.Nodes[0].Retry = &RetryPolicy{MaxAttempts: 100, Base: ms(1), Jitter: "full"}

	// A ring of 200 services that pass one request on asynchronously,
	// for ever: nothing in the workload says how long it runs.
	ring := open(&Workload{Type: Single}, nil, []Edge{{From: "client", To: "s0", Mode: Sync, Latency: Fixed(ms(1))}})
	for i := range 199 {
		ring.Nodes = append(ring.Nodes, Node{ID: fmt.Sprintf("s%d", i), Kind: Service, ServiceTime: Fixed(ms(1))})
		ring.Edges = append(ring.Edges, Edge{From: fmt.Sprintf("s%d", i), To: fmt.Sprintf("s%d", (i+1)%199), Mode: Async, Latency: Fixed(ms(1))})
	}

	partitions := open(&Workload{Type: Poisson, Rate: 100_000, Count: 5_000_000, Keys: 1_000_000},
		[]Node{{ID: "t", Kind: Topic, Partitions: 1000}, {ID: "w", Kind: Worker, Concurrency: 100, ServiceTime: Exp(ms(1))}},
		[]Edge{{From: "client", To: "t", Mode: Async, Latency: Fixed(ms(1))}, {From: "t", To: "w", Mode: Async, Latency: Fixed(ms(1))}})

	// 200 nodes and 1,000 sync edges, every node calling those after it:
	// one request fans out along every path.
	dense := open(&Workload{Type: Single}, nil, []Edge{{From: "client", To: "n0", Mode: Sync}})
	for i := range 199 {
		dense.Nodes = append(dense.Nodes, Node{ID: fmt.Sprintf("n%d", i), Kind: Service, Calls: Parallel, ServiceTime: Fixed(Microsecond)})
	}
	for i := 0; len(dense.Edges) < MaxEdges; i++ {
		from, to := i%198, i%198+1+(i/198)
		if to < 199 {
			dense.Edges = append(dense.Edges, Edge{From: fmt.Sprintf("n%d", from), To: fmt.Sprintf("n%d", to), Mode: Sync})
		}
	}

	return []heavyScenario{
		{"10M/s × 50M requests", "poisson-flood", poissonFlood, "nodes[0].workload.count"},
		{"maxEvents at its ceiling", "ceiling", ceiling, "nodes[0].workload.count"},
		{"a queue flood", "queue-flood", queueFlood, "nodes[0].workload.count"},
		{"100k closed-loop users", "closed-users", closedUsers, "nodes[0].workload.users"},
		{"a retry storm", "retry-storm", storm, "nodes[0].workload.count"},
		{"a 200-node async cycle", "async-ring", ring, ""},
		{"1,000 partitions with 1M keys", "partitions", partitions, "nodes[0].workload.count"},
		{"200 nodes × 1,000 edges", "dense", dense, ""},
	}
}

func TestHeavyScenariosFitTheBrowserBudget(t *testing.T) {
	opt := BrowserBudget.Options(Options{Trace: true})
	for _, h := range heavyScenarios() {
		t.Run(h.name, func(t *testing.T) {
			require.NoError(t, h.sc.Validate(), "the scenario is valid")
			canonical, err := h.sc.MarshalCanonical()
			require.NoError(t, err)
			golden(t, "heavy-"+h.file+".json", canonical)
			cost, err := Estimate(h.sc, opt)
			require.NoError(t, err)
			err = BrowserBudget.Check(h.sc, cost)
			if h.refused != "" {
				require.Error(t, err, "estimated %+v", cost)
				errs := err.(Errors)
				require.Len(t, errs, 1)
				assert.Equal(t, h.refused, errs[0].Field)
				assert.Contains(t, errs[0].Message, h.refused, "the advice names the field")
				assert.Contains(t, errs[0].Message, "300 MB")
				return
			}
			require.NoError(t, err, "estimated %+v", cost)
			e, err := NewEngine(h.sc, opt)
			require.NoError(t, err)
			r := e.Run()
			require.NoError(t, r.Conserved())
			assert.LessOrEqual(t, int64(len(e.Trace())), BrowserBudget.MaxRecords)
			assert.LessOrEqual(t, e.memory(), BrowserBudget.MaxMemory+memoryCheckEvery*64*tracedRecordBytes,
				"the run stops within a check's worth of its budget")
			assert.Contains(t, []StopReason{StopTraceLimit, StopMemoryLimit, StopCompleted, StopEventLimit}, r.Stop)
			if r.Stop == StopTraceLimit || r.Stop == StopMemoryLimit {
				assert.Contains(t, r.StopDetail, "lower ")
			}
			requireNoNegativeDurations(t, r)
		})
	}
}

func TestEstimate(t *testing.T) {
	t.Run("a run the pilot finishes is counted exactly", func(t *testing.T) {
		sc, err := ExampleByID("rest-chain")
		require.NoError(t, err)
		cost, err := Estimate(sc, Options{Trace: true})
		require.NoError(t, err)
		e, err := NewEngine(sc, Options{Trace: true})
		require.NoError(t, err)
		e.Finish()
		assert.True(t, cost.Exact)
		assert.Equal(t, e.Events(), cost.Events)
		assert.EqualValues(t, len(e.Trace()), cost.Records)
	})
	t.Run("a longer run is extrapolated within a factor of two", func(t *testing.T) {
		sc, err := ExampleByID("mm1")
		require.NoError(t, err)
		sc.Nodes[0].Workload.Count = 40_000
		cost, err := Estimate(sc, Options{Trace: true})
		require.NoError(t, err)
		require.False(t, cost.Exact)
		require.True(t, cost.Known)
		e, err := NewEngine(sc, Options{Trace: true})
		require.NoError(t, err)
		e.Finish()
		ratio := float64(cost.Records) / float64(len(e.Trace()))
		assert.InDelta(t, 1, ratio, 0.5, "estimated %d records, ran %d", cost.Records, len(e.Trace()))
	})
	t.Run("a run with many requests in flight at the pilot's end is extrapolated within a fifth", func(t *testing.T) {
		// A traffic spike's pilot ends in its quiet start, and an
		// overloaded queue's with most of its requests waiting: per
		// request sent, the pilot saw half of what they cost or less.
		spike := example(t, "spike-async")
		w := spike.Nodes[spike.NodeIndex("shoppers")].Workload
		for i := range w.Phases {
			w.Phases[i].Rate *= 14
		}
		w.Count = 40_000
		overloaded := example(t, "mm1")
		overloaded.Nodes[0].Workload.Rate *= 2
		overloaded.Nodes[0].Workload.Count = 40_000
		for name, sc := range map[string]*Scenario{"spike": spike, "overloaded": overloaded} {
			cost, err := Estimate(sc, Options{Trace: true})
			require.NoError(t, err)
			require.True(t, cost.Known && !cost.Exact, name)
			e, err := NewEngine(sc, Options{Trace: true})
			require.NoError(t, err)
			e.Finish()
			require.Equal(t, StopCompleted, e.stop, name)
			ratio := float64(cost.Records) / float64(len(e.Trace()))
			assert.InDelta(t, 1, ratio, 0.2, "%s: estimated %d records, ran %d", name, cost.Records, len(e.Trace()))
			perRequest := float64(len(e.Trace())) / float64(e.m.started)
			assert.InDelta(t, 1, cost.PerRequestRecords/perRequest, 0.2, "%s: %.2f records per request estimated, %.2f in the run", name, cost.PerRequestRecords, perRequest)
		}
	})
	t.Run("every example fits the browser's budget", func(t *testing.T) {
		for _, ex := range Examples() {
			sc, err := ExampleByID(ex.ID)
			require.NoError(t, err)
			cost, err := Estimate(sc, BrowserBudget.Options(Options{Trace: true}))
			require.NoError(t, err)
			assert.NoError(t, BrowserBudget.Check(sc, cost), ex.ID)
		}
	})
}

func TestTheEngineStopsAtItsMemoryBudget(t *testing.T) {
	sc, err := ExampleByID("mm1")
	require.NoError(t, err)
	sc.Nodes[0].Workload.Count = 1_000_000
	t.Run("a traced run holds its trace", func(t *testing.T) {
		e, err := NewEngine(sc, Options{Trace: true, MaxMemory: 8 << 20})
		require.NoError(t, err)
		r := e.Run()
		assert.Equal(t, StopMemoryLimit, r.Stop)
		assert.Contains(t, r.StopDetail, "8 MB")
		assert.Contains(t, r.StopDetail, "nodes[0].workload.count")
		assert.Less(t, e.memory(), int64(10<<20), "over by at most what a check interval adds")
		require.NoError(t, r.Conserved())
	})
	t.Run("an untraced run holds only what is in flight", func(t *testing.T) {
		if !reclaiming {
			t.Skip("the sandbox's programs do not free (reclaim_sandbox.go)")
		}
		e, err := NewEngine(sc, Options{MaxMemory: 8 << 20})
		require.NoError(t, err)
		r := e.Run()
		assert.Equal(t, StopCompleted, r.Stop, r.StopDetail)
		assert.EqualValues(t, 1_000_000, r.Requests.Complete)
		assert.Less(t, e.memory(), int64(8<<20))
		assert.Less(t, e.msgs.keptLen(), 4*chunkSize, "the finished messages are freed")
		require.NoError(t, r.Conserved())
	})
	t.Run("an untraced run whose work piles up stops", func(t *testing.T) {
		over := sc.Clone()
		over.Nodes[0].Workload.Rate = 2 // twice what the server can do
		e, err := NewEngine(over, Options{MaxMemory: 8 << 20})
		require.NoError(t, err)
		r := e.Run()
		assert.Equal(t, StopMemoryLimit, r.Stop)
		assert.Contains(t, r.StopDetail, "nodes[0].workload.count")
		require.NoError(t, r.Conserved())
	})
}

// FuzzRunScenario runs whatever scenario the bytes hold as the browser
// would: under its real limits and budget, refused if the estimate is over
// it. It must never panic, every run must conserve its messages, stay
// within the budget and report no negative (wrapped) duration. Unlike
// FuzzParseScenario, nothing here caps the run below what a learner can
// ask for, so it reaches the heavy and the overflowing cases.
func FuzzRunScenario(f *testing.F) {
	for _, ex := range Examples() {
		b, _ := ex.Scenario.MarshalCanonical()
		f.Add(b)
	}
	for _, h := range heavyScenarios() {
		b, _ := h.sc.MarshalCanonical()
		f.Add(b)
	}
	opt := BrowserBudget.Options(Options{Trace: true})
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := ParseScenario(data)
		if err != nil {
			return
		}
		cost, err := Estimate(sc, opt)
		require.NoError(t, err)
		if BrowserBudget.Check(sc, cost) != nil {
			return
		}
		e, err := NewEngine(sc, opt)
		require.NoError(t, err)
		r := e.Run()
		require.NoError(t, r.Conserved())
		require.LessOrEqual(t, int64(len(e.Trace())), BrowserBudget.MaxRecords)
		require.LessOrEqual(t, e.memory(), BrowserBudget.MaxMemory+memoryCheckEvery*64*tracedRecordBytes)
		requireNoNegativeDurations(t, r)
	})
}

func TestGroupDigits(t *testing.T) {
	for _, c := range []struct {
		n    int64
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {2_000_000, "2,000,000"}, {-1_234_567, "-1,234,567"}} {
		assert.Equal(t, c.want, groupDigits(c.n))
	}
}

// TestTheAdviceFits takes the value a refusal advises for the field it
// names and checks that the scenario, changed so, passes the budget (and
// does not shrink it to nothing).
func TestTheAdviceFits(t *testing.T) {
	opt := BrowserBudget.Options(Options{Trace: true})
	advised := regexp.MustCompile(`to about ([0-9,]+)`)
	for _, h := range heavyScenarios() {
		if h.refused == "" {
			continue
		}
		t.Run(h.name, func(t *testing.T) {
			cost, err := Estimate(h.sc, opt)
			require.NoError(t, err)
			refusal := BrowserBudget.Check(h.sc, cost).(Errors)[0]
			m := advised.FindStringSubmatch(refusal.Message)
			require.NotNil(t, m, "the refusal advises a value: %s", refusal.Message)
			n, err := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
			require.NoError(t, err)
			sc := h.sc.Clone()
			w := sc.Nodes[0].Workload
			switch refusal.Field {
			case "nodes[0].workload.count":
				w.Count = n
			case "nodes[0].workload.users":
				w.Users = n
			default:
				t.Fatalf("no advice check for %s", refusal.Field)
			}
			cost, err = Estimate(sc, opt)
			require.NoError(t, err)
			assert.NoError(t, BrowserBudget.Check(sc, cost), "with %s = %d", refusal.Field, n)
			assert.Greater(t, cost.Records, BrowserBudget.MaxRecords/10, "the advice uses a fair share of the budget")
		})
	}
}
