// Package core is the Sync vs Async Playground's simulator: a pure-Go,
// deterministic discrete-event simulation of request/response chains,
// brokers, async/await fan-out and the failures that make synchronous and
// asynchronous communication behave differently. It uses only the
// standard library, so it runs the same natively and in WebAssembly.
//
// # Describing a system
//
// A [Scenario] is a topology of [Node]s joined by [Edge]s, plus a seed. It
// is written as JSON ([ParseScenario] reads and validates it, with every
// problem a [FieldError] naming its path, such as nodes[2].concurrency) or
// built in Go:
//
//	sc := &core.Scenario{Version: 1, Seed: 1,
//		Nodes: []core.Node{
//			{ID: "client", Kind: core.Client, Workload: &core.Workload{Type: core.Single}},
//			{ID: "db", Kind: core.Database, ServiceTime: core.Fixed(10 * core.Millisecond)},
//		},
//		Edges: []core.Edge{{From: "client", To: "db", Mode: core.Sync, Latency: core.Fixed(2 * core.Millisecond)}},
//	}
//
// A client starts requests: one ([Single]), an open-loop Poisson stream, a
// rate schedule with spikes, or closed-loop users who think between
// requests; with Workload.Keys each request carries a key. Gateways,
// services, databases and workers have a concurrency, a service-time [Dist]
// (constant, uniform, exponential, normal or lognormal) and a failure rate,
// and call their downstream edges one by one or all at once (a gateway's
// default). Their waiting line is unbounded unless Node.MaxWaiting bounds
// it: what finds every worker busy and the line full is turned away at
// once with an error, as a 503, and counted as rejected; 0 lets nobody
// wait (Erlang's loss system). An edge's latency is one-way. A sync edge blocks the caller
// until the reply comes or the caller's Timeout passes; an async edge makes the
// sender wait only for the acknowledgement that the receiver has the
// message. A [RetryPolicy] retries failed calls and sends with exponential
// back-off and a choice of jitters (or gRPC's preset). A gateway, service
// or worker marked Node.Coroutine is an async function on an event loop:
// timed the same, but its sync calls are awaited (suspended, the loop
// free), not blocking, and it runs one task per message.
//
// # Brokers
//
// A [Queue] stores messages in order (up to its Capacity), acks its
// producer once a message is stored and delivers to its consumers as they
// have room; a consumer acks when done or nacks a failure, and a
// VisibilityTimeout redelivers a message whose ack never came. A [Bus]
// acks an event at once and gives every subscriber its own copy in its own
// queue. A [Topic] is a Kafka-style log of partitions, read strictly in
// order by each consumer group (the edge's Group). An [Outbox] commits a
// state change and its event row in one sync call, and a poller publishes
// the rows. A queue or topic moves a message delivered MaxReceiveCount
// times to its [DLQ], which can send them back (RedriveAt). A
// [RateLimiter] is a token bucket that rejects or delays what it has no
// token for. Idempotent consumers recognise duplicates and skip them.
//
// # Faults
//
// A scenario's [Fault]s are part of it and replay identically: a node
// [Down] for a window, a [Crash] that loses the work in hand and restarts,
// [Poison] requests that fail wherever they are handled, extra [Latency]
// on an edge, and [LostAck]s from a consumer.
//
// # Running it
//
// The engine never reads a clock, never sleeps, starts no goroutine and
// does no I/O; the caller drives it, like etcd's raft:
//
//	e, err := core.NewEngine(sc, core.Options{Trace: true})
//	for {
//		records, ok := e.Step() // one event; what it did, as trace records
//		if !ok {
//			break
//		}
//		for _, r := range records {
//			fmt.Println(r.At, r.Describe(e.Scenario()))
//		}
//	}
//	report := e.Report()
//
// [Engine.RunUntil] goes to a virtual time, [Engine.Run] to the end, and
// [Simulate] validates and runs in one call. A run ends for a
// [StopReason], with a sentence a person can act on: it completed, the
// clock reached Scenario.Until, a limit was reached, or the next
// event lies past the horizon.
//
// # Limits, budgets and the horizon
//
// Scenario.Limits caps events and messages (20 million and 5 million by
// default). So that no valid scenario can exhaust a browser tab's memory,
// every run also has a memory budget (Options.MaxMemory, 2 GiB by
// default), and Options.MaxRecords caps a trace: [Estimate] runs the first
// [PilotEvents] events and extrapolates, [Budget.Check] refuses a run
// whose estimate is over a [Budget] (such as [BrowserBudget]) naming the
// field to change, and the engine stops with [StopMemoryLimit] or
// [StopTraceLimit] before it goes over. Virtual time ends at [Horizon]
// (100 years): every time a scenario names is at most that, every other
// duration at most [MaxDuration], so no sum of times can overflow.
//
// # Determinism
//
// Time is virtual: integer nanoseconds ([Duration]). Future events sit in a
// binary heap ordered by (time, sequence number), so ties resolve in the
// order events were scheduled and the order is total. Every node and edge
// has its own PCG stream, seeded from the scenario's seed and the owner's
// id, so adding a node changes no one else's draws, and two wirings of the
// same workload see the same arrivals (common random numbers). The
// logarithm and exponential the samplers need are carried as ports of the
// pure-Go algorithms, so a trace is byte-identical natively and in
// WebAssembly: golden files under testdata/ (trace hashes, and the small
// examples' traces as text) are written natively and checked on both.
//
// # What comes out
//
// The trace has one [Record] per thing that happened, of 34 kinds
// ([RecordKind]): the path of a message (send, arrive, wait, start,
// finish, fail, reply, receive, timeout, cancel, done), brokers at work (enqueue,
// ack, deliver, nack, requeue, redeliver, dead-letter, redrive, publish,
// rebalance, offset-commit),
// outboxes (commit, poll, mark), limits and losses (refuse, drop, limited,
// retry, skip, lost) and faults (down, up, crash). [Record.Describe] turns
// each into a sentence. [Engine.TraceHash] digests the trace.
//
// The [Report] gives how long callers were blocked (user latency), how long
// until each request's last effect was done (completion latency) and the
// gap between the two (staleness), percentiles, throughput, per-node
// figures (L, λ and W, for which Little's law holds at every node, and
// how many a full waiting line turned away), topic partitions'
// lag, the dead letters, and where every message ended: produced =
// processed + failed + dropped + dead-lettered + lost + in flight
// ([Report.Conserved]). [Report.WriteText] prints it for a person.
//
// # Stepping back and forth
//
// A [Timeline] ([NewTimeline], or [NewTimelineBuilder] a slice at a time)
// turns a trace into the [State] of every node and every message in
// transit after any number of steps, so a player can step forward and back
// or jump to a time ([Timeline.StepAt]).
//
// # Comparing wirings
//
// [Counterpart] rewires a scenario the other way (sync calls between
// services become sends through queues, or brokers are removed and their
// consumers called), keeping node ids. [Compare] runs both, and both again
// with the deepest node down for the middle third, and measures them side
// by side as [Figure]s and the rows of a comparison table; [CompareJob]
// does the same a slice at a time.
//
// # Editing and sharing
//
// The builder edits a scenario in place through methods that keep it
// consistent ([Scenario.AddNode], [Scenario.Connect], [Scenario.RenameNode],
// [Scenario.RemoveNode], [Scenario.AddFault] and others); [SetField]
// returns a copy with one field, named by its path, set from the text of a
// form, and [NodeFields] and friends list the fields a form shows.
// [History] keeps snapshots for undo and redo, and [EncodeDraft] saves the
// work in progress within a size bound. [EncodeShareLink] makes the s=
// value that carries a whole scenario in a URL fragment and
// [DecodeShareLink] reads it back, bounded at every stage; [ParseFragment]
// reads the whole fragment (scenario, step, lesson, example).
//
// # Examples and lessons
//
// [Examples] are the built-in scenarios ([ExampleByID]), and [Lessons]
// walk a learner through them, with every number a lesson states filled in
// from its run.
//
// # Challenges
//
// A [Challenge] is a design task: a starting scenario with parts locked
// ([Locks]: the clients' workload, the fault schedule, named nodes), a
// goal, goal checks, a budget ([ChallengeBudget]: workers and nodes, the
// "cost"), the seeds every submission runs with, hints and a reference
// solution. A [Check] is data: a figure of [ChallengeFigures] (the one
// table of checkable figures, measured from a run's [Report] or, for a
// structural one such as "edges" or "workers", from the scenario),
// optionally narrowed to a node, an edge or a kind, compared with a bound.
// [Evaluate] (or an [EvaluateJob], a slice at a time) runs a scenario on
// every seed within [BrowserBudget] and returns a [Verdict]: each check's
// worst figure over the seeds against its bound. [Challenge.Edit] and
// [Challenge.CheckEdit] refuse an edit that changes a locked part, and
// Evaluate refuses a scenario whose locked parts differ from the start.
// [Challenges] are the built-in ones (core/challenges/*.json,
// [ChallengeByID]); [EncodeChallengeLink] and [DecodeChallengeLink] carry a
// whole challenge in a c= fragment value, with the bounds of share links.
package core
