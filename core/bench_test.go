package core

import (
	"runtime"
	"testing"
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
	sc := mm1BenchScenario()
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
		r := e.Run()
		if r.Stop != StopCompleted || r.Requests.OK != benchCustomers {
			b.Fatalf("run stopped (%s: %s) after %d of %d requests", r.Stop, r.StopDetail, r.Requests.OK, benchCustomers)
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
