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
		return &Workload{Type: Schedule, Count: r.IntN(80), Phases: []Phase{
			{Duration: ms(100 + r.IntN(200)), Rate: r.Float64() * 50},
			{Duration: ms(50 + r.IntN(100)), Rate: 100 + r.Float64()*400},
		}}
	default:
		return &Workload{Type: Closed, Users: 1 + r.IntN(5), Count: 1 + r.IntN(8), Think: randomDist(r, ms(20))}
	}
}

// randomScenario builds a valid topology that mixes every node kind, both
// edge modes, failures, timeouts, bounded queues and, sometimes, an async
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
		if r.IntN(3) == 0 {
			n.Timeout = ms(1 + r.IntN(100))
		}
		sc.Nodes = append(sc.Nodes, n)
	}
	inner := []Kind{Gateway, Service, Database, Queue, Worker}
	count := 1 + r.IntN(7)
	for i := range count {
		k := inner[r.IntN(len(inner))]
		n := Node{ID: fmt.Sprintf("%s%d", k, i), Kind: k, ServiceTime: randomDist(r, ms(10))}
		switch k {
		case Queue:
			n.Capacity = r.IntN(3) * r.IntN(20)
		default:
			n.Concurrency = r.IntN(4)
			if r.IntN(3) == 0 {
				n.FailureRate = r.Float64() * 0.3
			}
			if k != Database && r.IntN(4) == 0 {
				n.Timeout = ms(1 + r.IntN(50))
			}
			if k != Database && r.IntN(2) == 0 {
				n.Calls = Parallel
			}
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
	for i := range clients {
		edge(i, clients+r.IntN(count), mode())
	}
	for i := clients; i < len(sc.Nodes); i++ {
		k := sc.Nodes[i].Kind
		if k == Database {
			continue
		}
		used := map[int]bool{}
		for range r.IntN(3) {
			if i+1 >= len(sc.Nodes) {
				break
			}
			to := i + 1 + r.IntN(len(sc.Nodes)-i-1)
			if used[to] {
				continue
			}
			tk := sc.Nodes[to].Kind
			if k == Queue && (tk == Queue || tk == Database) {
				continue
			}
			used[to] = true
			m := mode()
			if k == Queue {
				m = Async
			}
			edge(i, to, m)
		}
		// Now and then an async message loops back upstream.
		if k != Queue && i > clients && r.IntN(8) == 0 {
			back := clients + r.IntN(i-clients)
			if sc.Nodes[back].Kind != Database && !used[back] {
				edge(i, back, Async)
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
	var failed, dropped, timedOut int64
	for seed := range uint64(topologies) {
		sc := randomScenario(seed)
		require.NoError(t, sc.Validate(), "topology %d", seed)
		e, err := NewEngine(sc, Options{Trace: true})
		require.NoError(t, err)
		r := e.Run()
		require.NoError(t, r.Conserved(), "topology %d", seed)
		q := r.Requests
		require.Equal(t, q.Started, q.OK+q.Errors+q.TimedOut+q.Waiting, "topology %d", seed)
		require.LessOrEqual(t, q.Complete, q.Started)
		if r.Stop == StopCompleted && r.Counts.Stored == 0 {
			require.Equal(t, q.Started, q.Complete, "topology %d: completed runs complete every request", seed)
		}
		for _, n := range sc.Nodes {
			kinds[n.Kind]++
		}
		stops[r.Stop]++
		failed += r.Counts.Failed
		dropped += r.Counts.Dropped
		timedOut += q.TimedOut
		fmt.Fprintf(all, "%d %s\n", seed, r.TraceHash)
	}
	// The generator must really mix everything, or the test proves little.
	for _, k := range Kinds {
		assert.Greater(t, kinds[k], 100, "kind %s", k)
	}
	assert.Greater(t, stops[StopCompleted], 100)
	assert.Greater(t, stops[StopTime], 50)
	assert.Positive(t, failed)
	assert.Positive(t, dropped)
	assert.Positive(t, timedOut)
	golden(t, "random-topologies.golden", []byte(hex.EncodeToString(all.Sum(nil))+"\n"))
}
