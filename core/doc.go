// Package core is the Sync vs Async Playground's simulator: a pure-Go,
// deterministic discrete-event simulation of request/response chains,
// queues with acknowledgements, async/await fan-out and the timing that
// makes synchronous and asynchronous communication behave differently.
//
// # What it models
//
// A [Scenario] is a topology of [Node]s joined by [Edge]s, plus a seed. A
// client starts requests (one, an open-loop Poisson stream, a rate schedule
// with spikes, or closed-loop users who think between requests). Each edge
// is either a sync call — the caller is blocked until the reply arrives or
// its timeout passes — or an async send — the caller waits only for the
// receiver's acknowledgement that it has the message. Gateways, services,
// databases and workers have a number of workers, a service-time
// distribution and a failure rate; they call their downstream edges one by
// one or all at once (await-all). A queue stores messages in order, acks
// its producer once a message is stored and delivers to its consumers as
// they have room.
//
// # How to drive it
//
// The engine never reads a clock, never sleeps, starts no goroutine and does
// no I/O; the caller drives it, like etcd's raft:
//
//	sc, err := core.ParseScenario(data)     // field-named errors: nodes[2].concurrency: ...
//	e, err := core.NewEngine(sc, core.Options{Trace: true})
//	for {
//		records, ok := e.Step()          // one event; what it did, as trace records
//		if !ok {
//			break
//		}
//		for _, r := range records {
//			fmt.Println(r.At, r.Describe(e.Scenario()))
//		}
//	}
//	report := e.Report()
//
// [Engine.RunUntil] goes to a virtual time and [Engine.Run] to the end.
// [Limits] end a run that would run away, with a reason a person can act on.
//
// # Determinism
//
// Time is virtual: integer nanoseconds ([Duration]). Future events sit in a
// binary heap ordered by (time, sequence number), so ties resolve in the
// order events were scheduled and the order is total. Every node and edge
// has its own PCG stream, seeded from the scenario's seed and the owner's
// id, so adding a node changes no one else's draws, and two wirings of the
// same workload see the same arrivals (common random numbers). The few
// transcendental functions the samplers need are carried as ports of the
// pure-Go algorithms, so a trace is byte-identical natively and in
// WebAssembly; golden files under testdata/ check that on both platforms.
//
// # What comes out
//
// The trace has one [Record] per thing that happened — send, arrive, wait,
// start, finish, fail, enqueue, ack, deliver, reply, receive, timeout, drop,
// done — each of which [Record.Describe] turns into a sentence. The
// [Report] gives how long callers were blocked (user latency), how long
// until each request's last effect was done (completion latency),
// percentiles, throughput, per-node figures (L, λ and W, for which Little's
// law holds) and where every message ended: produced = processed + failed +
// dropped + in flight ([Report.Conserved]).
package core
