package core

import (
	"fmt"
	"runtime"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

// benchCustomers is how many requests each benchmark run simulates.
const benchCustomers = 1_000_000

// mm1BenchScenario is the M/M/1 queue of the benchmarks: Poisson arrivals
// at 0.8/s, one worker with exponential service of mean 1 s, reached by a
// sync call with no network latency. Each customer costs four events
// (generate, arrive, finish, reply), so a run is about 4,000,000 events.
func mm1BenchScenario() *Scenario {
	return &Scenario{
		Version: FormatVersion,
		Name:    "benchmark M/M/1",
		Seed:    1,
		// The defaults (20M events, 5M messages) would do, but the run
		// must never be cut short without the benchmark noticing, so the
		// limits are set with room to spare and the stop reason checked.
		Limits: Limits{MaxEvents: 10 * benchCustomers, MaxMessages: 2 * benchCustomers},
		Nodes: []Node{
			{ID: "users", Kind: Client, Workload: &Workload{Type: Poisson, Rate: 0.8, Count: benchCustomers}},
			{ID: "server", Kind: Service, Concurrency: 1, ServiceTime: Exp(Second)},
		},
		Edges: []Edge{{From: "users", To: "server", Mode: Sync}},
	}
}

func benchmarkMM1(b *testing.B, opt Options) {
	benchmarkRuns(b, mm1BenchScenario(), opt, func(r *Report) error {
		if r.Stop != StopCompleted || r.Requests.OK != benchCustomers {
			return fmt.Errorf("run stopped (%s: %s) after %d of %d requests", r.Stop, r.StopDetail, r.Requests.OK, benchCustomers)
		}
		return nil
	})
}

// benchmarkRuns runs sc once per iteration, fails if check says the run
// went wrong, and reports the engine's events per second.
func benchmarkRuns(b *testing.B, sc *Scenario, opt Options, check func(*Report) error) {
	if err := sc.Validate(); err != nil {
		b.Fatal(err)
	}
	var events int64
	for b.Loop() {
		// Each run starts from a collected heap, as a fresh page load does,
		// so no run pays for the previous one's garbage. Under js/wasm it
		// also guards memory: a traced run allocates ~700 MB, the wasm heap
		// is at most 4 GB and never shrinks, and an earlier engine ran out
		// of it on the second traced run without this collection.
		b.StopTimer()
		runtime.GC()
		b.StartTimer()
		e, err := NewEngine(sc, opt)
		if err != nil {
			b.Fatal(err)
		}
		if err := check(e.Run()); err != nil {
			b.Fatal(err)
		}
		events += e.Events()
	}
	elapsed := b.Elapsed()
	b.ReportMetric(float64(events)/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(elapsed.Nanoseconds())/float64(events), "ns/event")
}

// BenchmarkMM1NoTrace measures the engine's raw speed: a run that keeps
// only its metrics, as the sandbox's "run" button and lesson checks do.
func BenchmarkMM1NoTrace(b *testing.B) { benchmarkMM1(b, Options{}) }

// BenchmarkMM1Trace measures the same run keeping every trace record (and
// hashing them in the report), as stepping through a run does.
func BenchmarkMM1Trace(b *testing.B) { benchmarkMM1(b, Options{Trace: true}) }

// mixedBenchScenario exercises the reliability machinery at once: keyed
// requests through a service that writes an outbox, a poller publishing
// to a topic of 12 partitions, four consumer workers that fail 5% of the
// time, broker back-off and a dead letter queue after three deliveries.
func mixedBenchScenario(requests int) *Scenario {
	sc := &Scenario{
		Version: FormatVersion, Name: "benchmark mixed", Seed: 1,
		Limits: Limits{MaxEvents: 100 * int64(requests), MaxMessages: 20 * int64(requests)},
		Nodes: []Node{
			{ID: "users", Kind: Client, Workload: &Workload{Type: Poisson, Rate: 500, Count: requests, Keys: 1000}},
			{ID: "orders", Kind: Service, Concurrency: 64, ServiceTime: Exp(2 * Millisecond)},
			{ID: "outbox", Kind: Outbox, ServiceTime: Fixed(Millisecond), Interval: 20 * Millisecond, Batch: 50},
			{ID: "events", Kind: Topic, Partitions: 12, Retry: &RetryPolicy{MaxAttempts: 3, Base: 10 * Millisecond, Jitter: "full"}},
			{ID: "dlq", Kind: DLQ},
		},
		Edges: []Edge{
			{From: "users", To: "orders", Mode: Sync, Latency: Exp(Millisecond)},
			{From: "orders", To: "outbox", Mode: Sync, Latency: Fixed(Millisecond)},
			{From: "outbox", To: "events", Mode: Async, Latency: Fixed(Millisecond)},
			{From: "events", To: "dlq", Mode: Async},
		},
	}
	for i := range 4 {
		id := "consumer" + strconv.Itoa(i)
		sc.Nodes = append(sc.Nodes, Node{ID: id, Kind: Worker, Concurrency: 3, ServiceTime: Exp(3 * Millisecond), FailureRate: 0.05})
		sc.Edges = append(sc.Edges, Edge{From: "events", To: id, Mode: Async, Latency: Fixed(Millisecond)})
	}
	return sc
}

// BenchmarkMixed runs 200,000 requests of mixedBenchScenario, tracing off.
func BenchmarkMixed(b *testing.B) {
	const requests = 200_000
	benchmarkRuns(b, mixedBenchScenario(requests), Options{}, func(r *Report) error {
		if r.Stop != StopCompleted || r.Requests.OK != requests || r.Counts.DeadLettered == 0 {
			return fmt.Errorf("run stopped (%s: %s) with %d of %d requests answered and %d dead-lettered",
				r.Stop, r.StopDetail, r.Requests.OK, requests, r.Counts.DeadLettered)
		}
		return nil
	})
}

func TestMixedBenchmarkScenarioConserves(t *testing.T) {
	r, _ := run(t, mixedBenchScenario(20_000))
	assert.Equal(t, StopCompleted, r.Stop)
	assert.Positive(t, r.Counts.DeadLettered)
	assert.Positive(t, r.Counts.Retried)
	assert.EqualValues(t, 20_000, r.Requests.OK)
}

// spikeRequests is how many requests BenchmarkCompareSpike100k's workload sends.
const spikeRequests = 100_000

// spikeBenchScenario is the built-in example id (a traffic spike) with
// its workload scaled up to send spikeRequests requests: every phase's
// rate multiplied so that about 5% more would arrive, and the count
// capping them at spikeRequests. The order service is left as it is, so
// the spike overloads it as in the example, only for much longer.
func spikeBenchScenario(b *testing.B, id string) *Scenario {
	sc, err := ExampleByID(id)
	if err != nil {
		b.Fatal(err)
	}
	w := sc.Nodes[sc.NodeIndex("shoppers")].Workload
	var expected float64
	for _, p := range w.Phases {
		expected += p.Rate * p.Duration.Seconds()
	}
	scale := 1.05 * spikeRequests / expected
	for i := range w.Phases {
		w.Phases[i].Rate *= scale
	}
	w.Count = spikeRequests
	return sc
}

// BenchmarkCompareSpike100k measures what the sandbox's Compare does for
// a traffic spike of 100,000 requests: Compare's four runs of spike-sync
// and spike-async, both scaled to 100,000 requests. requests/s counts the
// requests of all four runs per second of wall time; ms/compare is one
// whole comparison.
func BenchmarkCompareSpike100k(b *testing.B) {
	// spike-sync's counterpart is itself (its only call is the client's,
	// which stays sync), so the comparison the page shows is with the
	// queued wiring.
	benchmarkCompare(b, spikeBenchScenario(b, "spike-sync"), spikeBenchScenario(b, "spike-async"))
}

func benchmarkCompare(b *testing.B, a, other *Scenario) {
	var requests, events int64
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		b.StartTimer()
		c, err := Compare(a, other)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range []*Report{c.A, c.B, c.OutageA, c.OutageB} {
			if r.Stop != StopCompleted || r.Requests.Started != spikeRequests {
				b.Fatalf("run stopped (%s: %s) after %d of %d requests", r.Stop, r.StopDetail, r.Requests.Started, spikeRequests)
			}
			requests += r.Requests.Started
			events += r.Events
		}
	}
	elapsed := b.Elapsed().Seconds()
	b.ReportMetric(float64(requests)/elapsed, "requests/s")
	b.ReportMetric(float64(events)/elapsed, "events/s")
	b.ReportMetric(1000*elapsed/float64(b.N), "ms/compare")
}
