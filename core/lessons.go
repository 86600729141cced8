package core

import (
	"errors"
	"reflect"
	"slices"

	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// allLessons builds the course: every section of the seed, in order, from
// "what does blocked mean" to "how do you keep order in an async system".
// It is a function, not a package variable, so that a program that never
// asks for lessons (the WebAssembly player) does not carry them.
func allLessons() []*Lesson {
	return []*Lesson{
		{
			ID: "blocked", Title: "Blocked or not", Seed: "Core Concepts",
			Summary: "A sync caller waits for the whole answer; an async producer waits only for the ack.",
			Steps: []LessonStep{
				{
					Title:   "A synchronous call",
					Example: "rest-chain",
					Text: "The client sends one request down a chain of sync calls: gateway, service, database. " +
						"Each caller holds on until the one it called answers. Step through and watch the client: " +
						"it does nothing else until the reply comes back.",
					Stop: &LessonStop{Kind: RecStart, Node: "db", Nth: 1, Note: "The database is working; the client, gateway and service are all still waiting.",
						Then: []LessonStop{
							{Kind: RecFinish, Node: "db", Nth: 1, Note: "The database is done; its answer travels back through the service and the gateway. The client is still waiting."},
							{Kind: RecReceive, Node: "client", Nth: 1, Note: "The client has its reply: it was blocked from its send until now."},
						}},
					Checkpoint: &Checkpoint{
						Question: "How long is the client blocked, in milliseconds?", Unit: "ms",
						Answer:  userBlockedMs,
						Reveal:  revealAt(RecReceive, "client", 1),
						Hint:    "Add up what is still to come: each reply crosses the network back (2ms a hop, like the requests did), and each node finishes its own work. The sequence diagram's times show what the first half cost.",
						Explain: "{{user.max}}: every network crossing plus every node's work. Total time = network + processing; the client is blocked until the response.",
					},
				},
				{
					Title:   "An asynchronous send",
					Example: "message-queue",
					Text: "Now the producer sends a message to a queue. The queue stores it and acknowledges at once; the " +
						"producer continues, while the worker spends its time on the message later. " +
						"The work is done {{completion.max}} after the send.",
					Stop: &LessonStop{Kind: RecEnqueue, Node: "queue", Nth: 1, Note: "The queue has stored the message; its ack is about to travel back to the producer.",
						Then: []LessonStop{{Kind: RecReceive, Node: "producer", Nth: 1, Note: "The producer has its ack and moves on; the message's work goes on without it."}}},
					Checkpoint: &Checkpoint{
						Question: "How long is the producer blocked, in milliseconds?", Unit: "ms",
						Answer:  userBlockedMs,
						Reveal:  revealAt(RecReceive, "producer", 1),
						Hint:    "The producer waits for the queue's ack, not for the worker: its way to the queue, plus the ack's way back. The times in the sequence diagram say how long a crossing takes.",
						Explain: "{{user.max}}: the way to the queue, storing the message, and the ack back. The {{worker.sojourn}} of work is not in it.",
					},
					TryIt: true,
				},
			},
			Claims: []Claim{{
				Text: "The sync caller waits for all the work; the async producer waits only for the enqueue ack.",
				Check: func(runs []*LessonRun) error {
					syncR, asyncR := runs[0].Report, runs[1].Report
					if syncR.UserLatency.Max != syncR.CompletionLatency.Max {
						return errors.New("sync: the client should be blocked until everything is done")
					}
					if asyncR.UserLatency.Max*100 > asyncR.CompletionLatency.Max {
						return fmtlite.Errorf("async: the producer waited %s of %s", asyncR.UserLatency.Max, asyncR.CompletionLatency.Max)
					}
					return nil
				},
			}},
		},
		{
			ID: "rest-and-grpc", Title: "The REST chain and gRPC deadlines", Seed: "Synchronous Patterns",
			Summary: "Latency adds up along a sync chain; a deadline turns a slow answer into an error.",
			Steps: []LessonStep{
				{
					Title:   "Latency adds up",
					Example: "rest-chain",
					Text: "Client → API Gateway → Service → Database, each hop a sync call with 2ms of network each way. " +
						"Each request and each reply crosses the network, and each node adds its own work. " +
						"(The seed's drawing counts four arrows. Count the crossings yourself as you step.)",
					Checkpoint: &Checkpoint{
						Question: "How many one-way network crossings does request 0 make?", Unit: "crossings",
						Answer:  func(r *LessonRun) float64 { return float64(Crossings(r, 0)) },
						Reveal:  revealAt(RecReceive, "client", 1),
						Hint:    "Count the arrows of request 0 in the sequence diagram as you step: every call goes one way, and every reply comes back the other.",
						Explain: "{{crossings}}: three calls, each there and back — not the four arrows of the seed's drawing. With 2ms each and 5 + 20 + 10ms of work, the client waits {{user.max}}.",
					},
				},
				{
					Title:   "A unary call with a deadline",
					Example: "grpc-deadline",
					Text:    "A gRPC client stub blocks until the response or its deadline. Here the deadline is 100ms and the handler needs 150ms.",
					// gRPC cancels a call whose deadline passes, client and
					// server side; the handler stops if it watches its
					// context: https://grpc.io/docs/guides/deadlines/
					Stop: &LessonStop{Kind: RecStart, Node: "handler", Nth: 1, Note: "The handler has started; the stub waits, and its deadline is running.",
						Then: []LessonStop{{Kind: RecTimeout, Nth: 1, Note: "The deadline has passed: the stub gives up, and gRPC cancels the call on the server's side too."}}},
					Checkpoint: &Checkpoint{
						Question: "What does the client get?",
						Choices:  []string{"The response, after about 150ms", "DEADLINE_EXCEEDED, after 100ms", "Nothing: it waits forever"},
						Answer: func(r *LessonRun) float64 {
							if r.Report.Requests.TimedOut > 0 {
								return 1
							}
							return 0
						},
						Reveal: revealAt(RecTimeout, "", 1),
						Hint:   "Compare the two figures in the text: the handler's work and the deadline. Which one runs out first?",
						Explain: "DEADLINE_EXCEEDED after {{user.max}}. This handler watches its context, so it stops and frees its worker at the deadline; " +
							"one that ignored the cancellation (ignoresCancellation in the sandbox) would finish and reply to nobody — wasted work.",
					},
					TryIt: true,
				},
			},
		},
		{
			ID: "async-await", Title: "Async/await: one by one or gathered", Seed: "Async/Await (Language Level)",
			Summary: "Awaiting three 100ms fetches one by one takes their sum; gathering them takes the slowest.",
			Steps: []LessonStep{
				{
					Title: "Awaited one by one", Example: "await-sequential", Code: awaitSequentialCode(),
					Text: "fetch_all() awaits fetch_user, then fetch_orders, then fetch_reviews, 100ms each.",
					Checkpoint: &Checkpoint{
						Question: "How long does fetch_all take, in milliseconds?", Unit: "ms",
						Answer:  userBlockedMs,
						Explain: "{{user.max}}: the sum. Each await suspends fetch_all until its fetch answers, so the next fetch cannot start before.",
						Reveal:  revealAt(RecReceive, "caller", 1),
						Hint:    "Step through and watch fetch_all's lane: does fetch_orders start before fetch_user has answered?",
					},
				},
				{
					Title: "Started together, then gathered", Example: "await-gathered", Code: awaitGatheredCode(),
					// asyncio.gather runs its awaitables concurrently:
					// https://docs.python.org/3/library/asyncio-task.html#asyncio.gather
					// (every technology fact a lesson states: LessonFacts).
					Text: "Now all three start at once and fetch_all waits for all of them (asyncio.gather).",
					Checkpoint: &Checkpoint{
						Question: "How long does fetch_all take now, in milliseconds?", Unit: "ms",
						Answer:  userBlockedMs,
						Explain: "{{user.max}}: the fetches overlap, so the wait is the slowest one, not the sum.",
						Reveal:  revealAt(RecReceive, "caller", 1),
						Hint:    "Step until all three fetches have started: they run at the same time, so fetch_all waits for the last one to answer, not for each in turn.",
					},
				},
				{
					Title: "Unequal fetches", Example: "await-gathered", Code: awaitGatheredCode(),
					Knobs: []Knob{unequalFetchesKnob()},
					Text:  "Make the fetches unequal with the button (its label says how), and gather them again.",
					Checkpoint: &Checkpoint{
						Question: "How long does fetch_all take, in milliseconds?", Unit: "ms",
						Answer:  userBlockedMs,
						Explain: "{{user.max}}: the slowest fetch, not the sum of the three.",
						Reveal:  revealAt(RecReceive, "caller", 1),
						Hint:    "Gathered fetches overlap: the wait is set by one of them. Which one?",
					},
					TryIt: true,
				},
			},
		},
		{
			ID: "message-queues", Title: "Message queues: ack, consumer, producer", Seed: "Message Queues",
			Summary: "The queue acks the producer once it has the message, delivers it to a consumer, and deletes it on the consumer's ack.",
			Steps: []LessonStep{
				{
					Title: "Enqueue, ack, deliver, ack", Example: "message-queue",
					Text: "Follow one message: the producer enqueues it, the queue acks, the queue delivers it to the worker, " +
						"and the worker acks when it is done. Only then is it deleted.",
					Stop: &LessonStop{Kind: RecDeliver, Node: "queue", Nth: 1, Note: "Delivered but not yet acknowledged: if the worker died now, the queue would still have it.",
						Then: []LessonStop{{Kind: RecReceive, Node: "queue", Nth: 1, Note: "The worker's ack is in: the queue deletes the message, and its work is done."}}},
					Checkpoint: &Checkpoint{
						Question: "After how many milliseconds is the message's work done and deleted?", Unit: "ms",
						Answer:  completionMs,
						Reveal:  revealAt(RecDone, "", 1),
						Hint:    "The producer's ack is not the end: the worker still has to do its work and ack it to the queue. Look at the worker's service time in the topology and add the crossings.",
						Explain: "{{completion.max}}: the producer had its ack after {{user.max}}; the rest happened without it.",
					},
				},
				{
					Title: "Competing consumers", Example: "spike-async",
					Text: "Ten workers take messages from one queue as they have room. Whoever is free gets the next one; " +
						"the producers never see them. {{requests}} orders, each acked to its shopper in at most {{user.max}}.",
					TryIt: true,
				},
			},
		},
		{
			ID: "event-driven", Title: "Event-driven: one event, many subscribers", Seed: "Event-Driven Architecture",
			Summary: "The publisher continues at once; each subscriber gets its own copy and works at its own pace.",
			Steps: []LessonStep{
				{
					Title: "OrderCreated", Example: "event-driven",
					Text: "The order service publishes OrderCreated to the event bus and answers the shopper. Inventory, email and analytics " +
						"are subscribed.",
					Stop: &LessonStop{Kind: RecArrive, Node: "bus", Nth: 1, Note: "The first OrderCreated event reaches the event bus.",
						Then: []LessonStop{{Kind: RecPublish, Nth: 1, Note: "One event in, three copies out, each in its subscriber's own queue."}}},
					Checkpoint: &Checkpoint{
						Question: "How many copies of each OrderCreated event are handled?", Unit: "copies",
						Answer: func(r *LessonRun) float64 {
							var handled int64
							for _, id := range []string{"inventory", "email", "analytics"} {
								handled += nodeReport(r.Report, id).Departures
							}
							return float64(handled) / float64(r.Report.Requests.Started)
						},
						Reveal:  revealAt(RecPublish, "", 1),
						Hint:    "Count the event bus's subscribers in the topology: each gets its own copy.",
						Explain: "3: one for each subscriber ({{inventory.departures}}, {{email.departures}} and {{analytics.departures}} handled). The shopper waited at most {{user.max}}; the slowest email went out {{completion.max}} after its order.",
					},
				},
				{
					Title: "A slower email service", Example: "event-driven",
					Knobs: []Knob{emailSlowerKnob()},
					Text: "Make email ten times slower with the switch. Email takes {{email.sojourn}} a message and up to {{bus.maxDepth}} wait on the bus; " +
						"either way inventory takes {{inventory.sojourn}} a message and the shopper waits at most {{user.max}}.",
					TryIt: true,
				},
			},
			Claims: []Claim{{
				Text: "A slow subscriber slows nobody else.",
				Check: func(runs []*LessonRun) error {
					a, b := nodeReport(runs[0].Report, "inventory"), nodeReport(runs[1].Report, "inventory")
					if a.MeanSojourn != b.MeanSojourn || !reflect.DeepEqual(runs[0].Report.UserLatency, runs[1].Report.UserLatency) {
						return errors.New("inventory or the shopper changed when email slowed down")
					}
					return nil
				},
			}},
		},
		{
			ID: "comparison", Title: "The comparison table, measured", Seed: "Comparison",
			Summary: "The same burst of orders through a sync call and through a queue: every row of the seed's table, with a number.",
			Steps: []LessonStep{
				{
					Title: "Synchronous", Example: "spike-sync",
					// The median is the client's timeout when most requests
					// time out; the claim below checks that it is.
					Text: "Latency includes the full processing, but only {{ok}} of {{requests}} shoppers got an answer. The other {{timeouts}} waited out " +
						"their {{shoppers.timeout}} timeout when the burst outran the service, so the median shopper waits {{user.p50}}: the timeout itself, not the work. " +
						"Failure handling is not an immediate error either: a shopper learns that something went wrong only when its timeout runs out, " +
						"and even then does not know whether its order will be done. " +
						"Consistency is immediate for those who got an answer: their order was done when they were told. " +
						"For those who timed out, the service, which never checks whether its caller is still there, finished their orders up to {{staleness.max}} after they gave up.",
				},
				{
					Title: "Asynchronous", Example: "spike-async",
					Knobs: []Knob{asyncWorkersKnob()},
					Text: "Latency is just the enqueue: the median shopper waits {{user.p50}} and nobody times out ({{timeouts}}). " +
						"The queue buffers the burst (up to {{queue.maxDepth}} waiting): shoppers add orders at the burst's pace and the workers take them at theirs, " +
						"so a shopper's wait does not depend on how many workers there are, and they can be sized for the work alone: " +
						"change their number with the slider and the queue and the wait for the work change, the shoppers' wait does not. " +
						"The price is eventual consistency: an order is done on average {{staleness.mean}} after its shopper was told, and at worst {{staleness.max}}.",
					Checkpoint: &Checkpoint{
						Question: "Which wiring had shoppers time out?",
						Choices:  []string{"Synchronous", "Asynchronous", "Both", "Neither"},
						Answer: func(r *LessonRun) float64 {
							syncOut, asyncOut := r.Lesson[0].Report.Requests.TimedOut > 0, r.Lesson[1].Report.Requests.TimedOut > 0
							switch {
							case syncOut && !asyncOut:
								return 0
							case asyncOut && !syncOut:
								return 1
							case syncOut:
								return 2
							}
							return 3
						},
						Explain: "Synchronous: the async shoppers only waited for the queue's ack ({{user.max}} at most).",
						Reveal:  revealEnd,
						Hint:    "Look back at step 1: how many shoppers timed out there? Here a shopper waits only for the queue's ack.",
					},
					TryIt: true,
				},
			},
			Claims: []Claim{{
				Text: "Most sync shoppers time out, so the sync median is the client's timeout; everyone else got an answer.",
				Check: func(runs []*LessonRun) error {
					s := runs[0].Report
					timeout := runs[0].Scenario.Nodes[runs[0].Scenario.NodeIndex("shoppers")].Timeout
					switch {
					case s.Requests.TimedOut*2 <= s.Requests.Started:
						return fmtlite.Errorf("only %d of %d timed out: the median is not the timeout", s.Requests.TimedOut, s.Requests.Started)
					case s.UserLatency.P50 != timeout:
						return fmtlite.Errorf("the median wait %s is not the timeout %s", s.UserLatency.P50, timeout)
					case s.Requests.OK+s.Requests.TimedOut != s.Requests.Started:
						return fmtlite.Errorf("%d ok and %d timed out of %d: some failed otherwise", s.Requests.OK, s.Requests.TimedOut, s.Requests.Started)
					}
					return nil
				},
			}, {
				Text:  "An async shopper's wait does not depend on how many workers there are.",
				Check: shopperWaitIgnoresWorkers,
			}, {
				Text: "Sync times shoppers out during the burst; async does not, but finishes the work later.",
				Check: func(runs []*LessonRun) error {
					s, a := runs[0].Report, runs[1].Report
					switch {
					case s.Requests.TimedOut == 0:
						return errors.New("sync had no timeouts")
					case a.Requests.TimedOut != 0:
						return errors.New("async had timeouts")
					case a.Staleness.Mean < Second:
						return errors.New("async orders should finish well after their shoppers were told")
					case a.UserLatency.P50 >= s.UserLatency.P50:
						return errors.New("async callers should wait less")
					}
					return nil
				},
			}},
		},
		{
			ID: "traffic-spikes", Title: "Traffic spikes: the queue as a shock absorber", Seed: "Handling traffic spikes",
			Summary: "A burst above capacity times out sync callers; a queue absorbs it, grows, and drains.",
			Steps: []LessonStep{
				{
					Title: "The burst, sync", Example: "spike-sync",
					// Whether a handler notices its caller left depends on
					// it: Go's net/http cancels the request's context when
					// the client goes, but only a handler that checks it
					// stops (https://pkg.go.dev/net/http#Request.Context).
					Text: "400 orders a second for ten seconds into a service that does about 100. Work piles up inside the service; " +
						"{{timeouts}} shoppers give up, and this service, which never checks whether its caller is still there, goes on working for them anyway.",
				},
				{
					Title: "The burst, through a queue", Example: "spike-async",
					Text: "The same burst into a queue. The queue grows and drains at the workers' pace; " +
						"every shopper was answered within {{user.max}}.",
					Checkpoint: &Checkpoint{
						Question: "How deep does the queue get at its peak (messages)?", Unit: "messages",
						Answer:    peakDepth("queue"),
						Tolerance: 500,
						Explain:   "{{queue.maxDepth}} (within 500 counts as right: the arrivals are random). The burst brings in four times what the workers can serve; the rest waits in the queue.",
						Reveal:    revealPeak("queue"),
						Hint:      "About 400 orders a second arrive for ten seconds and the workers serve about 100 a second: what is left over each second waits in the queue.",
					},
					TryIt: true,
				},
			},
		},
		{
			ID: "checkout", Title: "Hybrid checkout", Seed: "E-commerce Order Processing",
			Summary: "Validate and pay synchronously; email, inventory and warehouse asynchronously.",
			Steps: []LessonStep{{
				Title: "The user's wait", Example: "checkout-hybrid",
				Text: "The user waits for the cart check and the payment: {{user.p50}} for the median user. " +
					"The confirmation email, the inventory update and the warehouse notice happen outside the user's wait; the last of them lands up to {{staleness.max}} later.",
				Stop: &LessonStop{Kind: RecReceive, Node: "user", Nth: 1, Note: "The user has the confirmation; the email has not been sent yet.",
					Then: []LessonStop{{Kind: RecFinish, Node: "email", Nth: 1, Note: "The first email is out, long after its user had the confirmation."}}},
				Checkpoint: &Checkpoint{
					Question: "Is the slowest checkout faster than the average email?",
					Choices:  []string{"Yes", "No"},
					Answer: func(r *LessonRun) float64 {
						if r.Report.UserLatency.Max < nodeReport(r.Report, "email").MeanSojourn {
							return 0
						}
						return 1
					},
					Explain: "Yes: {{user.max}} against {{email.sojourn}}. Background tasks do not block the checkout.",
					Reveal:  revealAt(RecFinish, "email", 1),
					Hint:    "The user waited for the cart check and the payment only. How long did this first user wait, and how long does the email service take (its service time in the topology)?",
				},
				TryIt: true,
			}},
		},
		{
			ID: "api-gateway", Title: "API gateway fan-out, with async reindexing", Seed: "Microservices Communication",
			Summary: "Parallel sync calls cost the slowest branch; ProductUpdated reindexes search later.",
			Steps: []LessonStep{
				{
					Title: "Product, price, review in parallel", Example: "api-gateway",
					Tweak: func(sc *Scenario) {
						// Fixed times, so each page costs exactly the same.
						for id, d := range map[string]Duration{"product": 20 * Millisecond, "price": 10 * Millisecond, "review": 40 * Millisecond} {
							sc.Nodes[sc.NodeIndex(id)].ServiceTime = Fixed(d)
						}
					},
					Knobs: []Knob{gatewayNetworkKnob()},
					Text: "The gateway calls product (20ms), price (10ms) and review (40ms) at once, 1ms away each way, takes 2ms itself " +
						"and answers when all three have. Add 10ms of network each way between the client and the gateway with the slider.",
					Checkpoint: &Checkpoint{
						Question: "What does a parallel fan-out cost the client?",
						Choices:  []string{"The sum of the branches", "The slowest branch", "The fastest branch"},
						Answer: func(r *LessonRun) float64 {
							// What a page cost beyond the network and the gateway's
							// own work, set against the sum, the max and the min of
							// the branches' times, all read from the scenario.
							sc := r.Scenario
							var overhead, sum, slowest Duration
							fastest := maxDuration
							for _, e := range sc.Edges {
								switch {
								case e.From == "client" && e.To == "gateway":
									overhead += 2 * e.Latency.MeanValue()
								case e.From == "gateway":
									branch := sc.Nodes[sc.NodeIndex(e.To)].ServiceTime.MeanValue()
									sum += branch
									slowest, fastest = max(slowest, branch), min(fastest, branch)
								}
							}
							overhead += sc.Nodes[sc.NodeIndex("gateway")].ServiceTime.MeanValue()
							overhead += 2 * sc.Edges[slices.IndexFunc(sc.Edges, func(e Edge) bool { return e.From == "gateway" })].Latency.MeanValue()
							fanout := r.Report.UserLatency.P50 - overhead
							for i, candidate := range []Duration{sum, slowest, fastest} {
								if fanout == candidate {
									return float64(i)
								}
							}
							return -1
						},
						Reveal:  revealAt(RecReceive, "client", 1),
						Hint:    "Step through one page: the gateway sends all three calls at once. When does it answer the client: after the first reply, or after the last?",
						Explain: "The slowest branch: {{user.p50}} is the network, the gateway's 2ms and review's 40ms; product and price finished while review was still working.",
					},
				},
				{
					Title: "ProductUpdated", Example: "api-gateway",
					Text: "When a product changes, the catalogue answers the editor and sends ProductUpdated to a queue; search reindexes " +
						"{{search.departures}} times, each taking {{search.sojourn}} on average, outside anyone's wait.",
					TryIt: true,
				},
			},
		},
		{
			ID: "notifications", Title: "Notification system: channels and rate limits", Seed: "Notification System",
			Summary: "Per-channel queues keep a slow, rate-limited SMS provider from delaying email and push.",
			Steps: []LessonStep{{
				Title: "Three channels", Example: "notifications",
				Knobs: []Knob{smsRateKnob()},
				Text: "SMS goes through a rate limit and a slow provider, so the SMS queue backs up: an SMS waits {{sms-q.wait}} on average in its queue. " +
					"Email messages wait {{email-q.wait}} in theirs, push {{push-q.wait}}. Lower the SMS limit to 2 a second with the slider and see which queues notice.",
				Checkpoint: &Checkpoint{
					Question: "How many SMS messages wait in their queue at the worst moment?", Unit: "messages",
					Answer:    peakDepth("sms-q"),
					Tolerance: 20,
					Explain:   "{{sms-q.maxDepth}}. Retries and the rate limit are per channel, and the main flow is not blocked.",
					Reveal:    revealPeak("sms-q"),
					Hint:      "Compare how fast SMS messages arrive with the 5 a second the rate limit lets out: the difference piles up in the SMS queue.",
				},
				TryIt: true,
			}},
		},
		{
			ID: "outbox", Title: "Outbox vs dual write, and idempotent consumers", Seed: "Ensuring Delivery",
			Summary: "During a broker outage, dual write loses events; the outbox loses none, and its duplicates need an idempotent consumer.",
			Steps: []LessonStep{
				{
					Title: "Dual write", Example: "dual-write",
					Text: "The service writes its database, then publishes, ignoring a failed publish. The broker is down from 2s to 4s, " +
						"and every user is told their order went through.",
					Stop: &LessonStop{Kind: RecLost, Nth: 1, Note: "The order is in the database; its event is gone.",
						Then: []LessonStop{{Kind: RecUp, Node: "broker", Nth: 1, Note: "The broker is back: events are published again, and the ones lost during the outage stay lost."}}},
					Checkpoint: &Checkpoint{
						Question: "How many events does dual write lose?", Unit: "events",
						Answer:    lostCount,
						Tolerance: 10,
						Explain:   "{{lost}}: about every order placed during the two-second outage. The orders exist; nobody downstream will ever hear of them.",
						Reveal:    revealAt(RecLost, "", -1),
						Hint:      "Every order placed while the broker is down loses its event. How many orders a second arrive (the users' rate in the topology), and for how long is the broker down?",
					},
				},
				{
					Title: "The outbox", Example: "outbox", Code: outboxIdempotentCode(),
					Stop: &LessonStop{Kind: RecCrash, Node: "outbox", Nth: 1, Note: outboxCrashNote},
					Text: "Now the event row is written in the same transaction as the order, and a poller publishes it. During the outage " +
						"rows just wait. A crash between publish and mark sends a few rows twice: " +
						"{{duplicatesSkipped}} duplicates, which the idempotent consumer skips.",
					Checkpoint: &Checkpoint{
						Question: "How many events does the outbox lose?", Unit: "events",
						Answer:  lostCount,
						Explain: "{{lost}}. No message is lost even if the queue is down — but delivery is at least once, so consumers must be idempotent.",
						Reveal:  revealEnd,
						Hint:    "Where does an order's event wait while the broker is down? Step to 2s and watch the outbox's rows.",
					},
				},
				{
					Title: "Without idempotency", Example: "outbox", CodeFor: outboxCodeFor,
					Knobs: []Knob{dedupeKnob()},
					Stop:  &LessonStop{Kind: RecCrash, Node: "outbox", Nth: 1, Note: outboxCrashNote},
					Text:  "Turn the consumer's dedupe store off with the switch: the duplicates it skipped are handled twice. Skipped: {{duplicatesSkipped}}; handled twice: {{duplicates}}.",
					TryIt: true,
				},
			},
			Claims: []Claim{{
				Text: "Dual write loses events during the outage; the outbox loses none; duplicates are skipped only with idempotency.",
				Check: func(runs []*LessonRun) error {
					dual, outbox, plain := runs[0].Report.Counts, runs[1].Report.Counts, runs[2].Report.Counts
					switch {
					case dual.Lost == 0:
						return errors.New("dual write lost nothing")
					case outbox.Lost != 0:
						return fmtlite.Errorf("the outbox lost %d", outbox.Lost)
					case outbox.DuplicatesSkipped == 0 || outbox.DuplicatesProcessed != 0:
						return errors.New("the idempotent consumer should skip the outbox's duplicates")
					case !runs[2].Scenario.Nodes[runs[2].Scenario.NodeIndex("consumer")].Idempotent && plain.DuplicatesProcessed != outbox.DuplicatesSkipped:
						return errors.New("without idempotency the same duplicates should be handled")
					}
					return nil
				},
			}},
		},
		{
			ID: "dead-letters", Title: "Retries, backoff and the dead letter queue", Seed: "Handling Failures",
			Summary: "A poison message is retried with backoff, then parked in the DLQ while the rest keeps flowing.",
			Steps: []LessonStep{
				{
					Title: "A poison message", Example: "dlq-poison",
					// SQS: a message that is received and not deleted is
					// visible again when its visibility timeout ends; a
					// consumer may change that timeout per message, in whole
					// seconds (ChangeMessageVisibility); the redrive policy
					// moves a message whose receive count exceeds
					// maxReceiveCount to the DLQ:
					// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
					// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
					// RabbitMQ requeues a nacked or rejected message at once:
					// https://www.rabbitmq.com/docs/confirms
					Text: "One request is a poison message: it fails every time. The seed retries a failure 3 times: one delivery and 3 more, " +
						"so this queue's redrive policy allows {{queue.maxReceiveCount}} receives. The queue works as SQS does: a message the consumer " +
						"did not delete comes back when its visibility timeout ends, and here the consumer sets that timeout after each failure to back off, " +
						"{{deadLetterBackoffs}}. (A RabbitMQ nack would requeue it at once; a delay there takes a separate retry queue.) " +
						"Once the message has been received {{queue.maxReceiveCount}} times and still fails, the redrive policy moves it to the dead letter queue instead of delivering it again. " +
						"Meanwhile {{processed}} other messages are processed.",
					Stop: &LessonStop{Kind: RecFail, Node: "consumer", Nth: -1, Note: "The message fails on its last allowed receive: the consumer tells the queue, and the queue decides what happens next.",
						Then: []LessonStop{{Kind: RecEnqueue, Node: "dlq", Nth: 1, Note: "Its last allowed receive failed too: the message is in the DLQ, with its reason and delivery count."}}},
					Checkpoint: &Checkpoint{
						Question: "Which request's message reaches the DLQ?", Unit: "request",
						Answer: func(r *LessonRun) float64 {
							if len(r.Report.DeadLetters) == 0 {
								return -1
							}
							return float64(r.Report.DeadLetters[0].Req)
						},
						Reveal:  revealAt(RecDeadLetter, "", 1),
						Hint:    "Filter the event log by kind “fail”: which request's message fails every time it is delivered?",
						Names:   true,
						Explain: "Request {{deadLetterReq}}, after {{deadLetterDeliveries}} deliveries. Manual investigation or automated handling can redrive it.",
					},
				},
				{
					Title: "Retries with jitter", Example: "grpc-retry",
					// gRPC's retry policy, values from the example of gRFC A6:
					// https://github.com/grpc/proposal/blob/master/A6-client-retries.md
					Text: "Retries are not free: a flaky inventory service fails 30% of calls, and the checkout retries with gRPC's retry policy " +
						"(up to {{checkout.retryAttempts}} attempts, each retry after a random wait of up to {{checkout.retryCeilings}}: full jitter). {{retried}} retries later, {{ok}} of {{requests}} orders succeed, and the median user waits {{user.p50}}.",
					TryIt: true,
				},
			},
			Claims: []Claim{{
				Text:  "The poison message is delivered once and retried as often as the seed says, with a doubling back-off, then dead-lettered; every other message is processed.",
				Check: deadLetterAfterSeedRetries,
			}},
		},
		{
			ID: "ordering", Title: "Keeping order with keyed partitions", Seed: "Maintaining Order",
			Summary: "Same key, same partition, one consumer, in order; a plain queue with parallel consumers reorders.",
			Steps: []LessonStep{
				{
					Title: "Partition = murmur2(key) % 6", Example: "ordering-partitions", Tweak: userKeys,
					// Kafka's default partitioner for keyed records and its
					// order within a partition, with sources: LessonFacts.
					Text: "Events of 20 users go to 6 partitions by their key, as Kafka does: partition = toPositive(murmur2(key)) % 6. " +
						"Each partition is read by one consumer, in order. Out-of-order handlings: {{outOfOrder}}.",
					Stop: &LessonStop{Kind: RecEnqueue, Node: "events", Key: askedUser, Nth: 1,
						Note: "User 7's first event: the narration and the event log's last row say its key and the partition it went to.",
						Then: []LessonStop{{Kind: RecEnqueue, Node: "events", Key: askedUser, Nth: 2, Note: "User 7's next event: the same key, so the same partition."}}},
					Checkpoint: &Checkpoint{
						Question: "Which partition will user 7's next event go to?", Unit: "partition",
						Answer: func(r *LessonRun) float64 {
							if i := askedUserNext(r); i >= 0 {
								return float64(r.Trace[i].Partition)
							}
							return -1
						},
						Range: func(r *LessonRun) (float64, float64) {
							return 0, float64(r.Scenario.Nodes[r.Scenario.NodeIndex("events")].Partitions - 1)
						},
						Reveal:  askedUserNext,
						Names:   true,
						Hint:    "Find user 7's first event in the event log (key \"user-7\"): which partition did it go to? The partition depends on the key alone.",
						Explain: "Partition {{userPartition}}: toPositive(murmur2(\"user-7\")) % 6, the same as its first event. Every event of that user lands there, so one consumer sees them in order.",
					},
				},
				{
					Title: "One queue, parallel consumers", Example: "ordering-queue", Tweak: userKeys,
					Text: "The same events through one queue: whoever is free takes the next message, so a user's later event can be " +
						"handled before an earlier one.",
					Checkpoint: &Checkpoint{
						Question: "How many times are a user's events handled out of order?", Unit: "times",
						Answer:    func(r *LessonRun) float64 { return float64(r.Report.Counts.OutOfOrder) },
						Tolerance: 5,
						Explain:   "{{outOfOrder}} (keyed partitions: 0). Partition by key, use sequence numbers, or an ordered queue where order matters.",
						Reveal:    revealLastWhere(func(_ *LessonRun, r *Record) bool { return r.Kind == RecFinish && r.Reason == ReasonOutOfOrder }),
						Hint:      "Three consumers each take the next message when free, and their handling times vary: a user's later event can finish first. The numbers panel counts these (“Out of order”) as you step; how many in 1000 events?",
					},
					TryIt: true,
				},
			},
			Claims: []Claim{{
				Text: "Keyed partitions keep every key in order; parallel consumers on one queue do not.",
				Check: func(runs []*LessonRun) error {
					if runs[0].Report.Counts.OutOfOrder != 0 || runs[1].Report.Counts.OutOfOrder == 0 {
						return errors.New("partitions should keep order and the queue should not")
					}
					return nil
				},
			}},
		},
		{
			ID: "when-to-use", Title: "When to use which", Seed: "When to Use What · Interview Questions",
			Summary: "The seed's checklists and interview questions, each answered by a run you have just done.",
			Steps: []LessonStep{
				{
					Title: "Need an immediate response", Example: "checkout-hybrid",
					Text: "Credit card validation before checkout: the user cannot be told \"done\" before the payment is.",
					Checkpoint: &Checkpoint{
						Question: "Credit card validation before checkout: sync or async?",
						Choices:  []string{"Sync", "Async"},
						Answer: func(r *LessonRun) float64 {
							// As the checkout in this run calls the payment.
							for _, e := range r.Scenario.Edges {
								if e.To == "payment" && e.Mode == Async {
									return 1
								}
							}
							return 0
						},
						Explain: "Sync: the answer decides what the user sees, so the payment stays sync (the user waits {{user.p50}}). Email sending is the async one ({{email.sojourn}} on average).",
						Reveal: revealWhere(func(r *LessonRun, rec *Record) bool {
							return rec.Kind == RecSend && rec.To == int32(r.Scenario.NodeIndex("payment"))
						}),
						Hint: "Can the checkout tell the user “done” before it knows whether the card was accepted?",
					},
				},
				{
					Title: "Handling traffic spikes", Example: "spike-async",
					Text: "Q: When would you use one over the other? Here a burst of four times what the workers can serve arrives.",
					Checkpoint: &Checkpoint{
						Question: "Buffering a traffic spike: sync or async?",
						Choices:  []string{"Sync", "Async"},
						Answer: func(r *LessonRun) float64 {
							if r.Report.Requests.TimedOut == 0 && nodeReport(r.Report, "queue").MaxDepth > 0 {
								return 1 // the queue absorbed the burst and nobody timed out
							}
							return 0
						},
						Explain: "Async: the queue is the shock absorber. A: long tasks, decoupling, spikes. Here a queue absorbed a 4× burst " +
							"({{queue.maxDepth}} deep) with {{timeouts}} timeouts.",
						Reveal: revealPeak("queue"),
						Hint:   "Look back at the comparison lesson: which wiring timed shoppers out during the burst, and which kept them waiting only for an ack?",
					},
				},
				{
					Title: "Ensuring delivery", Example: "outbox",
					Text: "Q: How do you ensure delivery, even while the broker is down?",
					Checkpoint: &Checkpoint{
						Question: "Which pattern publishes an event atomically with the state change?",
						Choices:  []string{"Dual write", "Transactional outbox", "Dead letter queue"},
						Answer: func(r *LessonRun) float64 {
							if r.Report.Counts.Lost == 0 && r.Scenario.NodeIndex("outbox") >= 0 {
								return 1 // this run's outbox lost nothing through the outage
							}
							return 0
						},
						Explain: "The transactional outbox. A: the outbox for atomic publish ({{lost}} lost through an outage), acks and " +
							"retries, dead letter queues, and idempotent consumers ({{duplicatesSkipped}} duplicates skipped).",
						Reveal: revealAt(RecCommit, "", 1),
						Hint:   "Which of the three writes the event in the same database transaction as the order? Step to the first commit and read it.",
					},
				},
				{
					Title: "Ordering and trade-offs", Example: "ordering-queue",
					Text: "Q: How do you handle ordering? A: partition by key ({{outOfOrder}} reorderings here without it). Q: The trade-offs? " +
						"Decoupling, scale and resilience, against complexity, eventual consistency (up to {{staleness.max}} here) and harder debugging.",
					TryIt: true,
				},
			},
		},
	}
}

// outboxCrashNote explains the outbox's crash, and the errors it causes.
const outboxCrashNote = "The outbox crashes after publishing a batch but before marking it: those rows will go out again (duplicates). " +
	"For the 100ms it takes to restart it cannot take orders either: the orders that arrive now get an error and nothing of them is written. " +
	"That is the “Errors” figure: refused orders, not lost events."

// userKeys writes the ordering lessons' keys as user ids, "user-1" to
// "user-20", so that a record's key reads as whose event it is.
func userKeys(sc *Scenario) { sc.Nodes[sc.NodeIndex("app")].Workload.KeyPrefix = "user-" }

// askedUser is the user whose partition the ordering lesson asks for.
const askedUser = 7

// askedUserNext finds askedUser's second event on the ordering topic.
func askedUserNext(r *LessonRun) int {
	return (&LessonStop{Kind: RecEnqueue, Node: "events", Key: askedUser, Nth: 2}).Find(r)
}

// Answers several checkpoints share.

// userBlockedMs is how long the longest-blocked client waited, in ms.
func userBlockedMs(r *LessonRun) float64 { return millis(r.Report.UserLatency.Max) }

// completionMs is how long the slowest request took to complete, in ms.
func completionMs(r *LessonRun) float64 { return millis(r.Report.CompletionLatency.Max) }

// lostCount is how many messages the run lost.
func lostCount(r *LessonRun) float64 { return float64(r.Report.Counts.Lost) }

// peakDepth is the most messages that waited at once at node id.
func peakDepth(id string) func(*LessonRun) float64 {
	return func(r *LessonRun) float64 { return float64(nodeReport(r.Report, id).MaxDepth) }
}
