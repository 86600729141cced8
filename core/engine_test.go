package core

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRESTChain(t *testing.T) {
	// The seed: Latency = Network + Gateway + Service + DB. Each sync edge
	// is crossed twice (request and reply), so three edges give six one-way
	// network crossings. (The seed's drawing writes "Network (x4)": it
	// draws three request arrows and one return arrow.)
	tests := []struct {
		hop, gateway, service, db Duration
	}{
		{hop: 2 * Millisecond, gateway: 5 * Millisecond, service: 20 * Millisecond, db: 10 * Millisecond},
		{hop: 15 * Millisecond, gateway: 1 * Millisecond, service: 3 * Millisecond, db: 40 * Millisecond},
		{hop: 0, gateway: 7 * Millisecond, service: 0, db: 1 * Millisecond},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("hop %s, gateway %s, service %s, db %s", tt.hop, tt.gateway, tt.service, tt.db), func(t *testing.T) {
			sc := chain(Sync, tt.hop,
				Node{ID: "gateway", Kind: Gateway, ServiceTime: Fixed(tt.gateway)},
				Node{ID: "service", Kind: Service, ServiceTime: Fixed(tt.service)},
				Node{ID: "db", Kind: Database, ServiceTime: Fixed(tt.db)},
			)
			r, e := run(t, sc)

			crossings := count(e.Trace(), RecSend) + count(e.Trace(), RecReply)
			assert.Equal(t, 6, crossings, "three sync edges, each crossed there and back")
			want := Duration(crossings)*tt.hop + tt.gateway + tt.service + tt.db
			assert.Equal(t, want, r.UserLatency.Max, "the client is blocked for the whole chain")
			assert.Equal(t, r.UserLatency.Max, r.CompletionLatency.Max, "sync: when the client continues, everything is done")
			assert.EqualValues(t, 1, r.Requests.OK)
		})
	}

	t.Run("the built-in example adds up the same way", func(t *testing.T) {
		sc, err := ExampleByID("rest-chain")
		require.NoError(t, err)
		r, _ := run(t, sc)
		hop := sc.Edges[0].Latency.Value
		work := Duration(0)
		for _, n := range sc.Nodes[1:] {
			work += n.ServiceTime.Value
		}
		assert.Equal(t, 6*hop+work, r.UserLatency.Max)
	})
}

func TestAsyncAwait(t *testing.T) {
	fetchAll := func(calls string, times ...Duration) *Scenario {
		sc := chain(Sync, 0, Node{ID: "fetch_all", Kind: Service, Calls: calls})
		for i, d := range times {
			id := fmt.Sprintf("fetch%d", i)
			sc.Nodes = append(sc.Nodes, Node{ID: id, Kind: Service, ServiceTime: Fixed(d)})
			sc.Edges = append(sc.Edges, Edge{From: "fetch_all", To: id, Mode: Sync})
		}
		return sc
	}
	const ms = Millisecond
	tests := []struct {
		name  string
		calls string
		times []Duration
		want  Duration
	}{
		{"three 100ms fetches awaited one by one take 300ms", Sequential, []Duration{100 * ms, 100 * ms, 100 * ms}, 300 * ms},
		{"three 100ms fetches gathered take 100ms", Parallel, []Duration{100 * ms, 100 * ms, 100 * ms}, 100 * ms},
		{"unequal fetches awaited one by one take the sum", Sequential, []Duration{100 * ms, 250 * ms, 40 * ms}, 390 * ms},
		{"unequal fetches gathered take the slowest, not the sum", Parallel, []Duration{100 * ms, 250 * ms, 40 * ms}, 250 * ms},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := run(t, fetchAll(tt.calls, tt.times...))
			assert.Equal(t, tt.want, r.UserLatency.Max)
		})
	}

	t.Run("the built-in examples give 300ms and 100ms", func(t *testing.T) {
		for id, want := range map[string]Duration{"await-sequential": 300 * ms, "await-gathered": 100 * ms} {
			sc, err := ExampleByID(id)
			require.NoError(t, err)
			r, _ := run(t, sc)
			assert.Equal(t, want, r.UserLatency.Max, id)
		}
	})
}

func TestAsyncProducerWaitsOnlyForTheEnqueueAck(t *testing.T) {
	const (
		hop     = 3 * Millisecond
		persist = 1 * Millisecond
		work    = 2 * Second
	)
	sc := chain(Async, hop,
		Node{ID: "queue", Kind: Queue, ServiceTime: Fixed(persist)},
		Node{ID: "worker", Kind: Worker, ServiceTime: Fixed(work)},
	)
	r, e := run(t, sc)

	assert.Equal(t, 2*hop+persist, r.UserLatency.Max, "producer → queue, persist, ack back: nothing else")
	// Complete once the queue has the worker's ack: one hop after the work.
	assert.Equal(t, hop+persist+hop+work+hop, r.CompletionLatency.Max, "the worker finishes long after the producer moved on")

	var acked, finished Duration
	for _, rec := range e.Trace() {
		switch {
		case rec.Kind == RecReceive && rec.Node == 0:
			acked = rec.At
		case rec.Kind == RecFinish && e.Scenario().Nodes[rec.Node].ID == "worker":
			finished = rec.At
		}
	}
	assert.Less(t, acked, finished, "the producer continues before the worker is done")
	assert.Equal(t, int64(1), node(t, r, "worker").Departures)
}

func TestSyncCallerIsBlockedBySlowDownstream(t *testing.T) {
	// The same slow email step, sync and async: with a sync call the
	// checkout waits for it; with a queue it does not.
	build := func(mode Mode) *Scenario {
		sc := chain(Sync, Millisecond, Node{ID: "checkout", Kind: Service, ServiceTime: Fixed(30 * Millisecond)})
		if mode == Sync {
			sc.Nodes = append(sc.Nodes, Node{ID: "email", Kind: Service, ServiceTime: Fixed(2 * Second)})
			sc.Edges = append(sc.Edges, Edge{From: "checkout", To: "email", Mode: Sync, Latency: Fixed(Millisecond)})
		} else {
			sc.Nodes = append(sc.Nodes, Node{ID: "queue", Kind: Queue}, Node{ID: "email", Kind: Worker, ServiceTime: Fixed(2 * Second)})
			sc.Edges = append(sc.Edges,
				Edge{From: "checkout", To: "queue", Mode: Async, Latency: Fixed(Millisecond)},
				Edge{From: "queue", To: "email", Mode: Async, Latency: Fixed(Millisecond)})
		}
		return sc
	}
	syncRun, _ := run(t, build(Sync))
	asyncRun, _ := run(t, build(Async))
	assert.Equal(t, 4*Millisecond+30*Millisecond+2*Second, syncRun.UserLatency.Max)
	assert.Equal(t, 4*Millisecond+30*Millisecond, asyncRun.UserLatency.Max)
	assert.Equal(t, 4*Millisecond+30*Millisecond+2*Second, asyncRun.CompletionLatency.Max, "until the queue has the email worker's ack")
}

func TestDeadline(t *testing.T) {
	build := func(deadline, handler Duration) *Scenario {
		sc := chain(Sync, Millisecond, Node{ID: "handler", Kind: Service, ServiceTime: Fixed(handler)})
		sc.Nodes[0].Timeout = deadline
		return sc
	}

	t.Run("a handler slower than the deadline leaves the caller with deadline exceeded, and stops", func(t *testing.T) {
		r, e := run(t, build(100*Millisecond, 150*Millisecond))
		assert.Equal(t, 100*Millisecond, r.UserLatency.Max, "blocked exactly until the deadline")
		assert.EqualValues(t, 1, r.Requests.TimedOut)
		assert.Equal(t, 1, count(e.Trace(), RecTimeout))
		assert.Equal(t, 1, count(e.Trace(), RecCancel))
		assert.Zero(t, count(e.Trace(), RecFinish), "the handler gave up the work")
		h := node(t, r, "handler")
		assert.EqualValues(t, 1, h.Cancelled)
		assert.Equal(t, 99*Millisecond, h.WastedWork, "from its arrival at 1ms to the deadline")
		assert.Equal(t, 100*Millisecond, r.CompletionLatency.Max, "nothing is left in flight after the deadline")
	})

	t.Run("a handler that ignores cancellation does the work anyway", func(t *testing.T) {
		sc := build(100*Millisecond, 150*Millisecond)
		sc.Nodes[1].IgnoresCancellation = true
		r, e := run(t, sc)
		assert.Equal(t, 100*Millisecond, r.UserLatency.Max, "blocked exactly until the deadline")
		assert.EqualValues(t, 1, r.Requests.TimedOut)
		assert.EqualValues(t, 0, r.Requests.OK)
		assert.Equal(t, 1, count(e.Trace(), RecTimeout))
		last := e.Trace()[len(e.Trace())-1]
		assert.Equal(t, RecReceive, last.Kind)
		assert.Equal(t, ReasonLate, last.Reason, "the response arrives after the caller gave up and is ignored")
		assert.EqualValues(t, 1, r.Counts.Processed, "the handler did the work anyway")
		assert.Zero(t, count(e.Trace(), RecCancel))
		assert.Equal(t, 150*Millisecond, node(t, r, "handler").WastedWork, "all of it for nobody")
	})

	t.Run("a call waiting for a worker when its deadline passes leaves the line", func(t *testing.T) {
		// Two callers at once into a one-worker handler.
		sc := build(100*Millisecond, 150*Millisecond)
		sc.Nodes[1].Concurrency = 1
		second := sc.Nodes[0]
		second.ID = "second"
		second.Timeout = 50 * Millisecond // it gives up while the first holds the worker
		sc.Nodes = append(sc.Nodes, second)
		sc.Edges = append(sc.Edges, Edge{From: "second", To: "handler", Mode: Sync, Latency: Fixed(Millisecond)})
		r, e := run(t, sc)
		assert.EqualValues(t, 2, r.Requests.TimedOut)
		assert.Equal(t, 2, count(e.Trace(), RecCancel))
		assert.EqualValues(t, 2, node(t, r, "handler").Cancelled)
		assert.Zero(t, count(e.Trace(), RecFinish))
		assert.Equal(t, 1, count(e.Trace(), RecStart), "the second never got a worker")
	})

	t.Run("a handler faster than the deadline answers normally", func(t *testing.T) {
		r, e := run(t, build(100*Millisecond, 50*Millisecond))
		assert.Equal(t, 52*Millisecond, r.UserLatency.Max)
		assert.EqualValues(t, 1, r.Requests.OK)
		assert.Equal(t, 0, count(e.Trace(), RecTimeout))
	})

	t.Run("a service's call timeout fails its own caller", func(t *testing.T) {
		sc := chain(Sync, 0,
			Node{ID: "front", Kind: Service, Timeout: 20 * Millisecond},
			Node{ID: "slow", Kind: Service, ServiceTime: Fixed(ms(50)), IgnoresCancellation: true},
		)
		r, _ := run(t, sc)
		assert.EqualValues(t, 1, r.Requests.Errors)
		assert.Equal(t, 20*Millisecond, r.UserLatency.Max)
		assert.Equal(t, 50*Millisecond, r.CompletionLatency.Max, "slow carries on for nobody")
		assert.EqualValues(t, 1, r.Counts.Failed, "front's message failed because its call timed out")

		sc.Nodes[2].IgnoresCancellation = false
		r, _ = run(t, sc)
		assert.EqualValues(t, 1, r.Requests.Errors)
		assert.Equal(t, 20*Millisecond, r.CompletionLatency.Max, "slow stops at the deadline")
		assert.EqualValues(t, 1, node(t, r, "slow").Cancelled)
	})
}

func ms(n int) Duration { return Duration(n) * Millisecond }

func TestWorkersAreHeldDuringSyncCalls(t *testing.T) {
	// Two requests at once into a one-worker service that calls a 100ms
	// database synchronously: the second waits for the whole first call.
	sc := &Scenario{Version: 1, Seed: 1,
		Nodes: []Node{
			{ID: "a", Kind: Client, Workload: &Workload{Type: Single}},
			{ID: "b", Kind: Client, Workload: &Workload{Type: Single}},
			{ID: "svc", Kind: Service, Concurrency: 1, ServiceTime: Fixed(ms(10))},
			{ID: "db", Kind: Database, ServiceTime: Fixed(ms(100))},
		},
		Edges: []Edge{{From: "a", To: "svc", Mode: Sync}, {From: "b", To: "svc", Mode: Sync}, {From: "svc", To: "db", Mode: Sync}},
	}
	r, e := run(t, sc)
	assert.Equal(t, ms(110), r.UserLatency.Min)
	assert.Equal(t, ms(220), r.UserLatency.Max)
	assert.Equal(t, 1, count(e.Trace(), RecWait))
	assert.Equal(t, ms(55), node(t, r, "svc").MeanWait, "one waited 0, the other 110ms")
}

func TestQueueCapacity(t *testing.T) {
	sc := &Scenario{Version: 1, Seed: 1,
		Nodes: []Node{
			{ID: "burst", Kind: Client, Workload: &Workload{Type: Poisson, Rate: 1000, Count: 50}},
			{ID: "queue", Kind: Queue, Capacity: 5},
			{ID: "worker", Kind: Worker, ServiceTime: Fixed(ms(100))},
		},
		Edges: []Edge{{From: "burst", To: "queue", Mode: Async}, {From: "queue", To: "worker", Mode: Async}},
	}
	r, e := run(t, sc)
	dropped := r.Counts.DropReasons[ReasonQueueFull.String()]
	assert.Positive(t, dropped, "50 arrivals in ~50ms into 5 slots and a 100ms worker")
	assert.Equal(t, dropped, r.Requests.Errors, "every rejected message is an error for its producer")
	assert.Equal(t, int(dropped), count(e.Trace(), RecRefuse), "the queue refuses each one; the producer counts it dropped")
	assert.EqualValues(t, 5, node(t, r, "queue").MaxDepth)
	assert.Equal(t, r.Counts.Processed, node(t, r, "worker").Departures)
	assert.EqualValues(t, 50, r.Counts.Processed+r.Counts.Dropped)
}

func TestFailuresReachTheCaller(t *testing.T) {
	sc := &Scenario{Version: 1, Seed: 9,
		Nodes: []Node{
			{ID: "users", Kind: Client, Workload: &Workload{Type: Poisson, Rate: 100, Count: 2000}},
			{ID: "api", Kind: Service, Concurrency: 100},
			{ID: "flaky", Kind: Service, Concurrency: 100, FailureRate: 0.25, ServiceTime: Fixed(ms(1))},
		},
		Edges: []Edge{{From: "users", To: "api", Mode: Sync}, {From: "api", To: "flaky", Mode: Sync}},
	}
	r, _ := run(t, sc)
	// 2000 Bernoulli(0.25) trials: sd = sqrt(2000·0.25·0.75) ≈ 19.4; allow 5 sd.
	assert.InDelta(t, 500, r.Requests.Errors, 5*19.4)
	assert.Equal(t, r.Requests.Errors, node(t, r, "flaky").Failed)
	assert.Equal(t, r.Requests.Errors, node(t, r, "api").Failed, "a failed sync call fails its caller")
	assert.EqualValues(t, 2000, r.Requests.OK+r.Requests.Errors)
}

func TestWorkloads(t *testing.T) {
	t.Run("closed-loop users each send their count", func(t *testing.T) {
		sc := chain(Sync, ms(1), Node{ID: "api", Kind: Service, ServiceTime: Fixed(ms(10))})
		sc.Nodes[0].Workload = &Workload{Type: Closed, Users: 7, Count: 30, Think: Exp(ms(100))}
		r, _ := run(t, sc)
		assert.EqualValues(t, 7*30, r.Requests.Started)
		assert.EqualValues(t, 7*30, r.Requests.OK)
	})

	t.Run("a closed loop never has more requests out than users", func(t *testing.T) {
		sc := chain(Sync, 0, Node{ID: "api", Kind: Service, Concurrency: 100, ServiceTime: Exp(ms(50))})
		sc.Nodes[0].Workload = &Workload{Type: Closed, Users: 5, Duration: 10 * Second}
		r, _ := run(t, sc)
		assert.LessOrEqual(t, node(t, r, "api").MaxInNode, int64(5))
		assert.Greater(t, r.Requests.Started, int64(500), "with no think time each user sends ~20 per second")
	})

	t.Run("a rate schedule sends each phase at its rate", func(t *testing.T) {
		sc := chain(Async, 0, Node{ID: "sink", Kind: Worker, Concurrency: 1000})
		sc.Nodes[0].Workload = &Workload{Type: Schedule, Phases: []RatePhase{
			{Duration: 10 * Second, Rate: 50}, {Duration: 5 * Second, Rate: 0}, {Duration: 10 * Second, Rate: 400},
		}}
		_, e := run(t, sc)
		perPhase := [3]int{}
		for _, rec := range e.Trace() {
			if rec.Kind == RecSend && rec.Node == 0 {
				switch {
				case rec.At <= 10*Second:
					perPhase[0]++
				case rec.At <= 15*Second:
					perPhase[1]++
				default:
					perPhase[2]++
				}
			}
		}
		// Poisson counts: mean 500 (sd 22) and 4000 (sd 63); allow 5 sd.
		assert.InDelta(t, 500, perPhase[0], 5*22.4)
		assert.Equal(t, 0, perPhase[1])
		assert.InDelta(t, 4000, perPhase[2], 5*63.2)
	})

	t.Run("a poisson client stops at its duration", func(t *testing.T) {
		sc := chain(Sync, 0, Node{ID: "api", Kind: Service, Concurrency: 100})
		sc.Nodes[0].Workload = &Workload{Type: Poisson, Rate: 200, Duration: 5 * Second}
		r, e := run(t, sc)
		assert.InDelta(t, 1000, r.Requests.Started, 5*31.6)
		for _, rec := range e.Trace() {
			require.LessOrEqual(t, rec.At, 5*Second)
		}
	})
}

func TestSpikeSyncVersusQueue(t *testing.T) {
	syncSc, err := ExampleByID("spike-sync")
	require.NoError(t, err)
	asyncSc, err := ExampleByID("spike-async")
	require.NoError(t, err)
	syncRun, _ := run(t, syncSc)
	asyncRun, _ := run(t, asyncSc)

	assert.Equal(t, syncRun.Requests.Started, asyncRun.Requests.Started, "common random numbers: the same arrivals")
	assert.Positive(t, syncRun.Requests.TimedOut, "sync: callers time out during the burst")
	assert.Zero(t, asyncRun.Requests.TimedOut, "async: callers only wait for the enqueue ack")
	assert.Less(t, asyncRun.UserLatency.P99, 10*Millisecond)
	assert.Greater(t, node(t, asyncRun, "queue").MaxDepth, int64(1000), "the queue absorbs the burst")
	assert.Equal(t, asyncRun.Requests.Started, node(t, asyncRun, "orders").Departures, "and drains it")
}

func TestStepAPI(t *testing.T) {
	sc, err := ExampleByID("closed-loop")
	require.NoError(t, err)

	t.Run("stepping one event at a time gives the same trace as Run", func(t *testing.T) {
		full, whole := run(t, sc)
		e, err := NewEngine(sc, Options{Trace: true})
		require.NoError(t, err)
		var stepped []Record
		steps := 0
		for {
			recs, ok := e.Step()
			if !ok {
				break
			}
			steps++
			stepped = append(stepped, recs...)
		}
		assert.Equal(t, whole.Trace(), stepped)
		assert.EqualValues(t, full.Events, steps)
		assert.True(t, e.Done())
	})

	t.Run("stepping without a trace still reports each step's records", func(t *testing.T) {
		e, err := NewEngine(sc, Options{})
		require.NoError(t, err)
		recs, ok := e.Step()
		require.True(t, ok)
		require.NotEmpty(t, recs)
		assert.Equal(t, RecSend, recs[0].Kind)
		assert.Empty(t, e.Trace())
	})

	t.Run("RunUntil stops at the given time", func(t *testing.T) {
		e, err := NewEngine(sc, Options{Trace: true})
		require.NoError(t, err)
		require.True(t, e.RunUntil(3*Second))
		assert.Equal(t, 3*Second, e.Now())
		for _, rec := range e.Trace() {
			require.LessOrEqual(t, rec.At, 3*Second)
		}
		e.Run()
		assert.Greater(t, e.Now(), 3*Second)
	})

	t.Run("Until cuts the run off and counts what is still in flight", func(t *testing.T) {
		cut := sc.Clone()
		cut.Until = 2 * Second
		r, _ := run(t, cut)
		assert.Equal(t, StopTime, r.Stop)
		assert.Equal(t, 2*Second, r.End)
		assert.Positive(t, r.Counts.InFlight+r.Requests.Waiting)
	})
}

func TestLimitsEndARunawayRunWithAReason(t *testing.T) {
	sc, err := ExampleByID("mm1")
	require.NoError(t, err)

	t.Run("event limit", func(t *testing.T) {
		lim := sc.Clone()
		lim.Limits.MaxEvents = 1000
		r, _ := run(t, lim)
		assert.Equal(t, StopEventLimit, r.Stop)
		assert.EqualValues(t, 1000, r.Events)
		assert.Contains(t, r.StopDetail, "limits.maxEvents")
	})

	t.Run("message limit", func(t *testing.T) {
		lim := sc.Clone()
		lim.Limits.MaxMessages = 300
		r, _ := run(t, lim)
		assert.Equal(t, StopMessageLimit, r.Stop)
		assert.EqualValues(t, 300, r.Counts.Produced)
		assert.Contains(t, r.StopDetail, "limits.maxMessages")
	})
}

func TestEngineKeepsItsOwnCopyOfTheScenario(t *testing.T) {
	sc := chain(Sync, ms(1), Node{ID: "api", Kind: Service, ServiceTime: Fixed(ms(10))})
	e, err := NewEngine(sc, Options{})
	require.NoError(t, err)
	sc.Nodes[1].ServiceTime = Fixed(ms(500))
	r := e.Run()
	assert.Equal(t, ms(12), r.UserLatency.Max)
}

func TestDescribeGivesASentenceForEveryRecord(t *testing.T) {
	for _, ex := range Examples() {
		sc := ex.Scenario
		if sc.Until == 0 {
			sc.Until = 5 * Second
		}
		_, e := run(t, sc)
		for i, rec := range e.Trace() {
			text := rec.Describe(e.Scenario())
			require.NotEmpty(t, text)
			// A sentence starts with a capital, unless with an identifier
			// (fetch_all), which keeps its case.
			require.Regexp(t, `^([A-Z]|[a-z]+_[a-z_]+).*\.$`, text, "%s record %d", ex.ID, i)
			require.NotContains(t, text, "%!", "%s record %d", ex.ID, i)
		}
	}
}

func TestReportMidRunIntegratesUpToNow(t *testing.T) {
	sc := chain(Sync, 0, Node{ID: "svc", Kind: Service, Concurrency: 1, ServiceTime: Fixed(10 * Second)})
	e, err := NewEngine(sc, Options{})
	require.NoError(t, err)
	e.RunUntil(5 * Second)
	svc := node(t, e.Report(), "svc")
	assert.InDelta(t, 1.0, svc.MeanInNode, 1e-9, "the request has been at the service the whole time")
	assert.InDelta(t, 1.0, svc.Utilization, 1e-9)
	r := e.Run()
	assert.InDelta(t, 1.0, node(t, r, "svc").MeanInNode, 1e-9, "taking a report mid-run changes nothing")
}

func TestFinishRunsToTheEndWithoutAReport(t *testing.T) {
	sc, err := ExampleByID("outbox")
	require.NoError(t, err)
	a, err := NewEngine(sc, Options{Trace: true})
	require.NoError(t, err)
	a.Finish()
	assert.True(t, a.Done())
	want, _ := run(t, sc)
	assert.Equal(t, want.TraceHash, a.TraceHash())
	assert.Equal(t, want.Events, a.Events())

	untraced, err := NewEngine(sc, Options{})
	require.NoError(t, err)
	untraced.Finish()
	assert.Empty(t, untraced.TraceHash(), "no trace, no hash")
}
