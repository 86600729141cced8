package core_test

import (
	"fmt"

	"github.com/sync-vs-async/playground/core"
)

// restChain is one request through client → gateway → service → database,
// every hop a sync call with a fixed 2ms latency and fixed service times.
func restChain() *core.Scenario {
	ms := core.Millisecond
	return &core.Scenario{
		Version: 1,
		Name:    "REST chain",
		Seed:    1,
		Nodes: []core.Node{
			{ID: "client", Kind: core.Client, Workload: &core.Workload{Type: core.Single}},
			{ID: "gateway", Kind: core.Gateway, ServiceTime: core.Fixed(5 * ms)},
			{ID: "service", Kind: core.Service, ServiceTime: core.Fixed(20 * ms)},
			{ID: "db", Kind: core.Database, ServiceTime: core.Fixed(10 * ms)},
		},
		Edges: []core.Edge{
			{From: "client", To: "gateway", Mode: core.Sync, Latency: core.Fixed(2 * ms)},
			{From: "gateway", To: "service", Mode: core.Sync, Latency: core.Fixed(2 * ms)},
			{From: "service", To: "db", Mode: core.Sync, Latency: core.Fixed(2 * ms)},
		},
	}
}

// A run of a sync chain: the client is blocked for every crossing (6 of
// 2ms) plus every node's work (5 + 20 + 10ms).
func ExampleNewEngine() {
	e, err := core.NewEngine(restChain(), core.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := e.Run()
	fmt.Println("user latency:", r.UserLatency.Max)
	fmt.Println("stopped:", r.Stop)
	// Output:
	// user latency: 47ms
	// stopped: completed
}

// Step processes one event at a time and returns what it did as records,
// each of which Describe turns into a sentence.
func ExampleEngine_Step() {
	e, err := core.NewEngine(restChain(), core.Options{Trace: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for range 3 {
		records, ok := e.Step()
		if !ok {
			break
		}
		for _, r := range records {
			fmt.Printf("%s: %s\n", r.At, r.Describe(e.Scenario()))
		}
	}
	// Output:
	// 0s: Client calls gateway with message 0 (request 0) and is blocked until the reply.
	// 2ms: Message 0 (request 0) reaches gateway.
	// 2ms: Gateway starts on message 0 (request 0).
	// 7ms: Gateway calls service with message 1 (request 0) and is blocked until the reply.
}

// Simulate validates and runs a scenario, here one parsed from JSON: the
// producer is answered as soon as the queue has stored its message, long
// before the worker is done.
func ExampleSimulate() {
	sc, err := core.ParseScenario([]byte(`{
		"version": 1, "seed": 1,
		"nodes": [
			{"id": "client", "kind": "client", "workload": {"type": "single"}},
			{"id": "orders", "kind": "queue"},
			{"id": "worker", "kind": "worker", "serviceTime": "200ms"}
		],
		"edges": [
			{"from": "client", "to": "orders", "mode": "async", "latency": "2ms"},
			{"from": "orders", "to": "worker", "mode": "async", "latency": "2ms"}
		]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, trace, err := core.Simulate(sc, core.Options{Trace: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("records:", len(trace))
	fmt.Println("user latency:", r.UserLatency.Max)
	fmt.Println("completion latency:", r.CompletionLatency.Max)
	fmt.Println("conserved:", r.Conserved() == nil)
	// Output:
	// records: 12
	// user latency: 4ms
	// completion latency: 206ms
	// conserved: true
}

// Compare runs two wirings of one workload with the same arrivals and
// service times. Under a spike, shoppers who call the order service wait in
// its line; shoppers who enqueue are answered once the queue has their
// order, and the queue's depth grows instead.
func ExampleCompare() {
	syncSc, err := core.ExampleByID("spike-sync")
	if err != nil {
		fmt.Println(err)
		return
	}
	asyncSc, err := core.ExampleByID("spike-async")
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := core.Compare(syncSc, asyncSc)
	if err != nil {
		fmt.Println(err)
		return
	}
	lower := func(name string) string {
		f, _ := c.Figure(name)
		if f.A < f.B {
			return c.NameA
		}
		return c.NameB
	}
	fmt.Println("lower user p99:", lower("user p99"))
	fmt.Println("lower peak queue depth:", lower("peak queue depth"))
	parts, _ := c.Figure("moving parts")
	fmt.Printf("%s: %v vs %v\n", parts.Name, parts.A, parts.B)
	// Output:
	// lower user p99: Traffic spike, through a queue
	// lower peak queue depth: Traffic spike, synchronous
	// moving parts: 3 vs 5
}
