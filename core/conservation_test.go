package core

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomDist returns a distribution of any kind with a mean around scale.
func randomDist(r *rand.Rand, scale Duration) *Dist {
	d := Duration(r.Int64N(int64(scale))) + 1
	switch r.IntN(6) {
	case 0:
		return nil
	case 1:
		return Fixed(d)
	case 2:
		return &Dist{Type: Uniform, Min: d / 2, Max: d * 2}
	case 3:
		return Exp(d)
	case 4:
		return &Dist{Type: Normal, Mean: d, Stddev: d/3 + 1}
	default:
		return &Dist{Type: LogNormal, Median: d, Sigma: 0.1 + r.Float64()}
	}
}

func randomWorkload(r *rand.Rand) *Workload {
	switch r.IntN(4) {
	case 0:
		return &Workload{Type: Single, At: Duration(r.Int64N(int64(ms(10))))}
	case 1:
		return &Workload{Type: Poisson, Rate: 1 + r.Float64()*200, Count: 1 + r.IntN(60)}
	case 2:
		return &Workload{Type: Schedule, Count: r.IntN(80), Phases: []RatePhase{
			{Duration: ms(100 + r.IntN(200)), Rate: r.Float64() * 50},
			{Duration: ms(50 + r.IntN(100)), Rate: 100 + r.Float64()*400},
		}}
	default:
		return &Workload{Type: Closed, Users: 1 + r.IntN(5), Count: 1 + r.IntN(8), Think: randomDist(r, ms(20))}
	}
}

func randomRetry(r *rand.Rand) *RetryPolicy {
	if r.IntN(3) > 0 {
		return nil
	}
	jitters := []string{"", "none", "full", "equal", "decorrelated"}
	return &RetryPolicy{MaxAttempts: 1 + r.IntN(4), Base: ms(1 + r.IntN(20)), Jitter: jitters[r.IntN(len(jitters))]}
}

// randomScenario builds a valid topology that mixes every node kind, both
// edge modes, retries, failures, timeouts, bounded queues, visibility
// timeouts, dead letter queues, keys, every fault and, sometimes, an async
// loop back upstream. Nodes are created in order and sync edges only point
// forward, so sync calls never form a cycle.
func randomScenario(seed uint64) *Scenario {
	r := rand.New(rand.NewPCG(seed, 99))
	sc := &Scenario{Version: 1, Seed: seed, Limits: Limits{MaxEvents: 40_000, MaxMessages: 4_000}}
	if r.IntN(4) == 0 {
		sc.Until = ms(50 + r.IntN(500))
	}
	clients := 1 + r.IntN(2)
	for i := range clients {
		n := Node{ID: fmt.Sprintf("c%d", i), Kind: Client, Workload: randomWorkload(r)}
		if r.IntN(2) == 0 {
			n.Workload.Keys = 1 + r.IntN(10)
		}
		if r.IntN(3) == 0 {
			n.Timeout = ms(1 + r.IntN(100))
		}
		n.Retry = randomRetry(r)
		sc.Nodes = append(sc.Nodes, n)
	}
	inner := []Kind{Gateway, Service, Database, Queue, Worker, Bus, Topic, Outbox, RateLimiter}
	count := 1 + r.IntN(8)
	for i := range count {
		k := inner[r.IntN(len(inner))]
		n := Node{ID: fmt.Sprintf("%s%d", k, i), Kind: k}
		switch k {
		case Queue:
			n.ServiceTime = randomDist(r, ms(5))
			n.Capacity = r.IntN(3) * r.IntN(20)
			if r.IntN(2) == 0 {
				n.VisibilityTimeout = ms(5 + r.IntN(50))
			}
			n.MaxReceiveCount = r.IntN(4)
			n.Retry = randomRetry(r)
		case Bus:
			n.ServiceTime = randomDist(r, ms(2))
			n.Capacity = r.IntN(2) * r.IntN(30)
		case Topic:
			n.Partitions = 1 + r.IntN(6)
			tries := r.IntN(4) // drawn where maxReceiveCount was, so the other topologies stay the same
			n.Retry = randomRetry(r)
			if n.Retry != nil && tries > 0 {
				n.Retry.MaxAttempts = tries // tries in place, then the dead-letter topic
			}
		case Outbox:
			n.ServiceTime = randomDist(r, ms(3))
			n.Interval = ms(1 + r.IntN(30))
			n.Batch = r.IntN(5)
		case RateLimiter:
			n.Rate = 10 + r.Float64()*500
			n.Burst = r.IntN(5)
			if r.IntN(2) == 0 {
				n.OnLimit = Wait
			}
		default:
			n.ServiceTime = randomDist(r, ms(10))
			n.Concurrency = r.IntN(4)
			if r.IntN(3) == 0 {
				n.FailureRate = r.Float64() * 0.3
			}
			if k != Database {
				if r.IntN(4) == 0 {
					n.Timeout = ms(1 + r.IntN(50))
				}
				if r.IntN(2) == 0 {
					n.Calls = Parallel
				}
				n.Retry = randomRetry(r)
				if r.IntN(4) == 0 {
					n.OnSendError = Ignore
				}
			}
			if r.IntN(4) == 0 {
				n.OnFailure = DeadLetter
			}
			n.Idempotent = r.IntN(3) == 0
		}
		sc.Nodes = append(sc.Nodes, n)
	}
	mode := func() Mode {
		if r.IntN(2) == 0 {
			return Sync
		}
		return Async
	}
	edge := func(from, to int, m Mode) {
		sc.Edges = append(sc.Edges, Edge{From: sc.Nodes[from].ID, To: sc.Nodes[to].ID, Mode: m, Latency: randomDist(r, ms(3))})
	}
	// allowed picks a mode for an edge from kind fk to kind tk, or false.
	allowed := func(fk, tk Kind) (Mode, bool) {
		switch {
		case fk == Database || tk == Client || fk == DLQ || tk == DLQ:
			return "", false
		case isBroker(fk):
			return Async, isConsumer(tk)
		case fk == Outbox:
			return Async, isBroker(tk)
		case tk == Outbox:
			return Sync, fk == Service || fk == Worker || fk == Gateway
		}
		return mode(), true
	}
	for i := range clients {
		for range 10 {
			to := clients + r.IntN(count)
			if m, ok := allowed(Client, sc.Nodes[to].Kind); ok {
				edge(i, to, m)
				break
			}
		}
	}
	if len(sc.Edges) < clients {
		// No node a client may call: give it a plain service.
		sc.Nodes = append(sc.Nodes, Node{ID: "fallback", Kind: Service})
		sc.Edges = nil
		for i := range clients {
			edge(i, len(sc.Nodes)-1, Sync)
		}
	}
	outs := make([]int, len(sc.Nodes))
	for i := clients; i < len(sc.Nodes); i++ {
		k := sc.Nodes[i].Kind
		used := map[int]bool{}
		want := r.IntN(3)
		if k == Outbox || k == RateLimiter {
			want = 1
		}
		for try := 0; outs[i] < want && try < 10; try++ {
			if i+1 >= len(sc.Nodes) {
				break
			}
			to := i + 1 + r.IntN(len(sc.Nodes)-i-1)
			m, ok := allowed(k, sc.Nodes[to].Kind)
			if !ok || used[to] {
				continue
			}
			used[to] = true
			edge(i, to, m)
			if k == Topic && r.IntN(2) == 0 {
				sc.Edges[len(sc.Edges)-1].Group = fmt.Sprintf("g%d", r.IntN(2))
			}
			outs[i]++
		}
		if (k == Outbox || k == RateLimiter) && outs[i] == 0 {
			// It needs exactly one outgoing edge: add a node for it.
			target := Node{ID: fmt.Sprintf("sink%d", i), Kind: Queue}
			if k == RateLimiter {
				target.Kind = Database
			}
			sc.Nodes = append(sc.Nodes, target)
			outs = append(outs, 0)
			m, _ := allowed(k, target.Kind)
			edge(i, len(sc.Nodes)-1, m)
			outs[i]++
		}
		if (k == Queue || k == Topic) && r.IntN(2) == 0 {
			sc.Nodes = append(sc.Nodes, Node{ID: fmt.Sprintf("dlq%d", i), Kind: DLQ})
			outs = append(outs, 0)
			if r.IntN(2) == 0 {
				sc.Nodes[len(sc.Nodes)-1].RedriveAt = []Duration{ms(100 + r.IntN(300))}
			}
			edge(i, len(sc.Nodes)-1, Async)
		}
		// Now and then an async message loops back upstream.
		if (k == Service || k == Worker || k == Gateway) && i > clients && r.IntN(8) == 0 {
			back := clients + r.IntN(i-clients)
			if bk := sc.Nodes[back].Kind; bk != Database && bk != Outbox && bk != DLQ && !used[back] {
				edge(i, back, Async)
			}
		}
	}
	// Faults on random nodes.
	for range r.IntN(3) {
		target := sc.Nodes[clients+r.IntN(len(sc.Nodes)-clients)]
		at := ms(r.IntN(200))
		switch r.IntN(5) {
		case 0:
			if target.Kind != DLQ {
				sc.Faults = append(sc.Faults, Fault{Type: Down, Node: target.ID, At: at, Until: at + ms(1+r.IntN(100))})
			}
		case 1:
			if target.Kind != DLQ {
				sc.Faults = append(sc.Faults, Fault{Type: Crash, Node: target.ID, At: at, Restart: ms(r.IntN(50))})
			}
		case 2:
			sc.Faults = append(sc.Faults, Fault{Type: Poison, Node: sc.Nodes[r.IntN(clients)].ID, Requests: []int{r.IntN(5), r.IntN(20)}})
		case 3:
			ed := sc.Edges[r.IntN(len(sc.Edges))]
			sc.Faults = append(sc.Faults, Fault{Type: Latency, From: ed.From, To: ed.To, At: at, Until: at + ms(50), Add: ms(1 + r.IntN(40))})
		case 4:
			if isConsumer(target.Kind) {
				sc.Faults = append(sc.Faults, Fault{Type: LostAck, Node: target.ID, At: at, Until: at + ms(1+r.IntN(100))})
			}
		}
	}
	return sc
}

func TestConservationOnRandomTopologies(t *testing.T) {
	const topologies = 1000
	all := sha256.New()
	kinds := map[Kind]int{}
	stops := map[StopReason]int{}
	var failed, dropped, timedOut, deadLettered, lost, retried, dups, skipped, outOfOrder int64
	for seed := range uint64(topologies) {
		sc := randomScenario(seed)
		require.NoError(t, sc.Validate(), "topology %d", seed)
		e, err := NewEngine(sc, Options{Trace: true})
		require.NoError(t, err)
		r := e.Run()
		require.NoError(t, r.Conserved(), "topology %d", seed)
		requireNoNegativeDurations(t, r)
		q := r.Requests
		require.Equal(t, q.Started, q.OK+q.Errors+q.TimedOut+q.Waiting, "topology %d", seed)
		require.LessOrEqual(t, q.Complete, q.Started)
		if r.Stop == StopCompleted && r.Counts.Stored == 0 && q.Waiting == 0 {
			require.Equal(t, q.Started, q.Complete, "topology %d: completed runs complete every request", seed)
		}
		for _, n := range sc.Nodes {
			kinds[n.Kind]++
		}
		stops[r.Stop]++
		failed += r.Counts.Failed
		dropped += r.Counts.Dropped
		deadLettered += r.Counts.DeadLettered
		lost += r.Counts.Lost
		retried += r.Counts.Retried
		dups += r.Counts.DuplicatesProcessed
		skipped += r.Counts.DuplicatesSkipped
		outOfOrder += r.Counts.OutOfOrder
		timedOut += q.TimedOut
		fmt.Fprintf(all, "%d %s\n", seed, r.TraceHash)
	}
	// The generator must really mix everything, or the test proves little.
	for _, k := range Kinds {
		assert.Greater(t, kinds[k], 80, "kind %s", k)
	}
	assert.Greater(t, stops[StopCompleted], 100)
	assert.Greater(t, stops[StopTime], 50)
	assert.Positive(t, failed)
	assert.Positive(t, dropped)
	assert.Positive(t, timedOut)
	assert.Positive(t, deadLettered)
	assert.Positive(t, lost)
	assert.Positive(t, retried)
	assert.Positive(t, dups)
	assert.Positive(t, skipped)
	assert.Positive(t, outOfOrder)
	golden(t, "random-topologies.golden", []byte(hex.EncodeToString(all.Sum(nil))+"\n"))
}

// withBoundedLines returns sc with a short line (0 to 2 places) on about
// half of its gateways, services, databases and workers, drawn from a
// stream of its own so that randomScenario's draws stay as they are.
func withBoundedLines(sc *Scenario, seed uint64) *Scenario {
	sc = sc.Clone()
	r := rand.New(rand.NewPCG(seed, 7))
	for i := range sc.Nodes {
		switch sc.Nodes[i].Kind {
		case Gateway, Service, Database, Worker:
			if r.IntN(2) == 0 {
				w := r.IntN(3)
				sc.Nodes[i].MaxWaiting = &w
			}
		}
	}
	return sc
}

func TestConservationWithBoundedLines(t *testing.T) {
	// The random topologies again, with short lines: requests turned away
	// by sync callers, direct async senders and brokers alike still end
	// exactly once, and each rejection is counted with its reason.
	const topologies = 300
	var rejected int64
	for seed := range uint64(topologies) {
		sc := withBoundedLines(randomScenario(seed), seed)
		require.NoError(t, sc.Validate(), "topology %d", seed)
		r, e := run(t, sc)
		requireNoNegativeDurations(t, r)
		var n int64
		for _, nr := range r.Nodes {
			n += nr.Rejected
		}
		var records int64
		for _, rec := range e.Trace() {
			if rec.Kind == RecRefuse && rec.Reason == ReasonLineFull {
				records++
			}
		}
		require.Equal(t, records, n, "topology %d: every rejection in the trace is counted at its node", seed)
		rejected += n
	}
	assert.Greater(t, rejected, int64(1000), "the lines are short enough to turn many away")
}
