package core

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// example loads a built-in scenario or fails the test.
func example(t testing.TB, id string) *Scenario {
	t.Helper()
	sc, err := ExampleByID(id)
	require.NoError(t, err)
	return sc
}

// nodeByID returns the node with the given id, for changing it.
func nodeByID(t testing.TB, sc *Scenario, id string) *Node {
	t.Helper()
	i := sc.NodeIndex(id)
	require.GreaterOrEqual(t, i, 0, "no node %q", id)
	return &sc.Nodes[i]
}

func TestEventBus(t *testing.T) {
	sc := example(t, "event-driven")
	r, e := run(t, sc)

	t.Run("every subscriber gets one copy of every event", func(t *testing.T) {
		for _, id := range []string{"inventory", "email", "analytics"} {
			assert.EqualValues(t, 200, node(t, r, id).Departures, id)
		}
		assert.Equal(t, 200, count(e.Trace(), RecPublish))
	})

	t.Run("the publisher continues at once: the user never waits for the subscribers", func(t *testing.T) {
		assert.Less(t, r.UserLatency.Max, 200*Millisecond)
		assert.Greater(t, r.CompletionLatency.P95, 300*Millisecond, "the email is still being written long after")
	})

	t.Run("a slow subscriber does not slow the others", func(t *testing.T) {
		slower := sc.Clone()
		nodeByID(t, slower, "email").ServiceTime = &Dist{Type: LogNormal, Median: 3 * Second, Sigma: 0.5}
		r2, _ := run(t, slower)
		for _, id := range []string{"inventory", "analytics"} {
			assert.Equal(t, node(t, r, id).MeanSojourn, node(t, r2, id).MeanSojourn, "%s is untouched by email's pace", id)
		}
		assert.Equal(t, r.UserLatency, r2.UserLatency, "and so is the user")
		assert.Greater(t, node(t, r2, "bus").MaxDepth, node(t, r, "bus").MaxDepth, "email's own queue grows instead")
	})
}

func TestOutboxVersusDualWriteThroughABrokerOutage(t *testing.T) {
	outbox, eo := run(t, example(t, "outbox"))
	dual, ed := run(t, example(t, "dual-write"))

	// The orders placed while the broker was down, from the dual-write
	// trace: each is a send from the service to the broker in [2s, 4s).
	var duringOutage int64
	broker := int32(example(t, "dual-write").NodeIndex("broker"))
	for _, rec := range ed.Trace() {
		if rec.Kind == RecSend && rec.To == broker && rec.At >= 2*Second && rec.At < 4*Second {
			duringOutage++
		}
	}
	require.Positive(t, duringOutage)

	t.Run("dual write loses the events published while the broker was down", func(t *testing.T) {
		assert.Positive(t, dual.Counts.Lost)
		assert.Equal(t, map[string]int64{ReasonNodeDown.String(): dual.Counts.Lost}, dual.Counts.LostReasons)
		// Sends whose arrival fell in the outage; a send just before 2s can
		// arrive after, so the figures agree within the edge latency.
		assert.InDelta(t, duringOutage, dual.Counts.Lost, 3)
		assert.EqualValues(t, 400, dual.Requests.OK, "and every user was told the order went through")
		assert.Equal(t, dual.Requests.OK-dual.Counts.Lost, node(t, dual, "consumer").Departures)
	})

	t.Run("the outbox loses nothing: every committed order's event is handled", func(t *testing.T) {
		assert.Zero(t, outbox.Counts.Lost)
		committed := count(eo.Trace(), RecCommit)
		assert.EqualValues(t, outbox.Requests.OK, committed)
		// Distinct events the consumer handled, skipping duplicates.
		consumer := int32(example(t, "outbox").NodeIndex("consumer"))
		handled := map[int64]bool{}
		for _, rec := range eo.Trace() {
			if rec.Kind == RecStart && rec.Node == consumer {
				handled[rec.Value] = true
			}
		}
		assert.Len(t, handled, committed)
		assert.Positive(t, outbox.Counts.DropReasons[ReasonKeptInOutbox.String()], "publishes the broker refused, rows kept")
	})

	t.Run("a crash between publish and mark publishes again, and the idempotent consumer skips the duplicates", func(t *testing.T) {
		assert.Positive(t, outbox.Counts.DuplicatesSkipped)
		assert.Zero(t, outbox.Counts.DuplicatesProcessed)

		plain := example(t, "outbox")
		nodeByID(t, plain, "consumer").Idempotent = false
		r, _ := run(t, plain)
		assert.Equal(t, outbox.Counts.DuplicatesSkipped, r.Counts.DuplicatesProcessed, "without the dedupe store the same events are handled twice")
	})
}

func TestPoisonMessageGoesToTheDeadLetterQueueAfterItsRetries(t *testing.T) {
	sc := example(t, "dlq-poison")
	r, e := run(t, sc)
	require.Len(t, r.DeadLetters, 1)
	dl := r.DeadLetters[0]

	t.Run("it lands in the DLQ after exactly maxReceiveCount deliveries", func(t *testing.T) {
		assert.EqualValues(t, 5, dl.Req)
		assert.EqualValues(t, nodeByID(t, sc, "queue").MaxReceiveCount, dl.Deliveries)
		assert.Equal(t, ReasonPoison.String(), dl.Reason)
		deliveries := 0
		for _, rec := range e.Trace() {
			if rec.Kind == RecDeliver && rec.Msg == dl.Msg {
				deliveries++
			}
		}
		assert.Equal(t, 4, deliveries, "one delivery and the seed's three retries")
	})

	t.Run("each redelivery waits the configured back-off", func(t *testing.T) {
		var delays []Duration
		for _, rec := range e.Trace() {
			if rec.Kind == RecRetry && rec.Msg == dl.Msg {
				delays = append(delays, Duration(rec.Value))
			}
		}
		assert.Equal(t, []Duration{Second, 2 * Second, 4 * Second}, delays)
	})

	t.Run("the other messages keep flowing meanwhile", func(t *testing.T) {
		var first, last Duration = -1, -1
		for _, rec := range e.Trace() {
			if rec.Msg == dl.Msg && rec.Kind == RecDeliver && first < 0 {
				first = rec.At
			}
			if rec.Msg == dl.Msg && rec.Kind == RecDeadLetter {
				last = rec.At
			}
		}
		others := 0
		consumer := int32(sc.NodeIndex("consumer"))
		for _, rec := range e.Trace() {
			if rec.Kind == RecFinish && rec.Node == consumer && rec.Msg != dl.Msg && rec.At > first && rec.At < last {
				others++
			}
		}
		assert.Greater(t, others, 3)
		assert.EqualValues(t, 39, r.Counts.Processed)
	})

	t.Run("onFailure dead-letter sends it there on the first failure", func(t *testing.T) {
		direct := sc.Clone()
		nodeByID(t, direct, "consumer").OnFailure = DeadLetter
		r, _ := run(t, direct)
		require.Len(t, r.DeadLetters, 1)
		assert.EqualValues(t, 1, r.DeadLetters[0].Deliveries)
	})

	t.Run("a redrive sends it back, and a poison message comes back again", func(t *testing.T) {
		redriven := sc.Clone()
		nodeByID(t, redriven, "dlq").RedriveAt = []Duration{10 * Second}
		r, e := run(t, redriven)
		assert.Equal(t, 1, count(e.Trace(), RecRedrive))
		require.Len(t, r.DeadLetters, 1)
		assert.Greater(t, r.DeadLetters[0].At, 10*Second)
		assert.EqualValues(t, 4, r.DeadLetters[0].Deliveries, "a fresh receive count after the redrive")
	})

	t.Run("without a DLQ it is dropped with the reason", func(t *testing.T) {
		noDLQ := sc.Clone()
		noDLQ.Nodes = noDLQ.Nodes[:3]
		noDLQ.Edges = noDLQ.Edges[:2]
		r, _ := run(t, noDLQ)
		assert.EqualValues(t, 1, r.Counts.DropReasons[ReasonGaveUp.String()])
	})
}

func TestCallerRetriesWithBackoff(t *testing.T) {
	sc := chain(Sync, 0, Node{ID: "api", Kind: Service, Retry: &RetryPolicy{MaxAttempts: 4, Base: 100 * Millisecond}},
		Node{ID: "broken", Kind: Service, ServiceTime: Fixed(ms(10)), FailureRate: 1})
	r, e := run(t, sc)

	var delays []int64
	for _, rec := range e.Trace() {
		if rec.Kind == RecRetry {
			delays = append(delays, rec.Value)
		}
	}
	assert.Equal(t, []int64{int64(100 * Millisecond), int64(200 * Millisecond), int64(400 * Millisecond)}, delays)
	assert.Equal(t, 4*ms(10)+700*Millisecond, r.UserLatency.Max, "four attempts of 10ms and three waits, then the error")
	assert.EqualValues(t, 1, r.Requests.Errors)
	assert.EqualValues(t, 4, r.Counts.Failed-1, "four failed attempts (and the api's own message)")
	assert.EqualValues(t, 3, r.Counts.Retried)

	t.Run("a retry is the same event: a slow but healthy callee handles it twice", func(t *testing.T) {
		// A callee that does not notice its caller gave up (as an HTTP
		// handler that never checks its context).
		sc := chain(Sync, 0, Node{ID: "api", Kind: Service, Timeout: 50 * Millisecond, Retry: &RetryPolicy{MaxAttempts: 2, Base: ms(1)}},
			Node{ID: "slow", Kind: Service, ServiceTime: Fixed(ms(80)), IgnoresCancellation: true})
		r, _ := run(t, sc)
		assert.EqualValues(t, 1, r.Counts.DuplicatesProcessed)
		nodeByID(t, sc, "slow").Idempotent = true
		r, _ = run(t, sc)
		assert.EqualValues(t, 0, r.Counts.DuplicatesProcessed)
	})

	t.Run("gRPC's retry policy waits a random time up to 0.1s·2ⁿ⁻¹, at most 1s", func(t *testing.T) {
		_, e := run(t, example(t, "grpc-retry"))
		seen, sum := 0, 0.0
		for _, rec := range e.Trace() {
			if rec.Kind != RecRetry {
				continue
			}
			seen++
			retry := rec.Attempt - 1 // the attempt the wait comes before, less the first
			ceiling := min(float64(100*Millisecond)*math.Pow(2, float64(retry-1)), float64(Second))
			assert.LessOrEqual(t, float64(rec.Value), ceiling, "retry %d", retry)
			assert.GreaterOrEqual(t, rec.Value, int64(0))
			sum += float64(rec.Value) / ceiling
		}
		assert.Greater(t, seen, 20)
		assert.LessOrEqual(t, mostAttempts(e), 4, "no call makes more than 4 attempts")
		// Full jitter: each wait over its ceiling is uniform on [0, 1].
		assert.InDelta(t, 0.5, sum/float64(seen), 5*math.Sqrt(1.0/12/float64(seen)))
	})
}

// mostAttempts returns the most attempts any call of e made.
func mostAttempts(e *Engine) int {
	most := 0
	for _, rec := range e.Trace() {
		most = max(most, int(rec.Attempt))
	}
	return most
}

func TestOrdering(t *testing.T) {
	parts, ep := run(t, example(t, "ordering-partitions"))
	queue, _ := run(t, example(t, "ordering-queue"))

	t.Run("keyed partitions keep every key in order", func(t *testing.T) {
		assert.Zero(t, parts.Counts.OutOfOrder)
		assert.EqualValues(t, 1000, parts.Counts.Processed)
	})

	t.Run("parallel consumers on one queue reorder some keys, and the run counts them", func(t *testing.T) {
		assert.Positive(t, queue.Counts.OutOfOrder)
		assert.Equal(t, parts.Requests.Started, queue.Requests.Started, "the same workload")
	})

	t.Run("each key goes to the partition Kafka would pick, read by the consumer range assignment gives it", func(t *testing.T) {
		sc := ep.Scenario()
		topic := int32(sc.NodeIndex("events"))
		owners := rangeAssign(6, []string{"consumer-a", "consumer-b", "consumer-c"})
		ownerOf := map[int32]string{}
		for i, ps := range owners {
			for _, p := range ps {
				ownerOf[int32(p)] = []string{"consumer-a", "consumer-b", "consumer-c"}[i]
			}
		}
		nextOffset := map[int32]int64{}
		for _, rec := range ep.Trace() {
			if rec.Node != topic || rec.Kind != RecEnqueue && rec.Kind != RecDeliver {
				continue
			}
			key := ep.reqs.at(rec.Req).key
			require.EqualValues(t, keyPartition([]byte(strconv.Itoa(int(key))), 6), rec.Partition)
			switch rec.Kind {
			case RecEnqueue:
				require.Equal(t, nextOffset[rec.Partition], rec.Offset, "offsets are consecutive")
				nextOffset[rec.Partition]++
			case RecDeliver:
				require.Equal(t, ownerOf[rec.Partition], sc.Nodes[rec.To].ID)
			}
		}
		assert.Len(t, nextOffset, 6, "20 keys reach all 6 partitions")
		for _, p := range parts.Partitions {
			assert.Zero(t, p.Lag)
			assert.Equal(t, nextOffset[p.Partition], p.Committed)
		}
	})
}

func TestRateLimiter(t *testing.T) {
	build := func(onLimit string) *Scenario {
		sc := chain(Sync, 0,
			Node{ID: "limit", Kind: RateLimiter, Rate: 10, Burst: 5, OnLimit: onLimit},
			Node{ID: "api", Kind: Service, Concurrency: 100})
		sc.Nodes[0].Workload = &Workload{Type: Poisson, Rate: 100, Duration: 10 * Second}
		return sc
	}

	t.Run("reject: no more than burst + rate·t pass in any stretch of time", func(t *testing.T) {
		r, e := run(t, build(Reject))
		api := int32(e.Scenario().NodeIndex("api"))
		var passed []Duration
		for _, rec := range e.Trace() {
			if rec.Kind == RecArrive && rec.Node == api {
				passed = append(passed, rec.At)
			}
		}
		for i := range passed {
			for j := i; j < len(passed); j++ {
				window := (passed[j] - passed[i]).Seconds()
				require.LessOrEqual(t, float64(j-i+1), 5+10*window+1e-9, "between %s and %s", passed[i], passed[j])
			}
		}
		assert.InDelta(t, 100, len(passed), 6, "about 10 per second over 10 seconds")
		assert.Equal(t, r.Requests.Started-int64(len(passed)), r.Requests.Errors)
		assert.Positive(t, r.Counts.DropReasons[ReasonRateLimited.String()])
	})

	t.Run("wait: everything passes, at the bucket's pace", func(t *testing.T) {
		r, _ := run(t, build(Wait))
		assert.Zero(t, r.Requests.Errors)
		assert.EqualValues(t, r.Requests.Started, r.Requests.OK)
		assert.Greater(t, r.End, Duration(float64(r.Requests.Started-5)/10*float64(Second))-Second)
	})

	t.Run("wait: what waits for a token is at the limiter, in L as in W", func(t *testing.T) {
		// Twenty requests at once, a token every 100 ms and none saved up:
		// request k (from 0) waits k·100 ms at the limiter, so the limiter
		// holds 20, 19, ... 1 messages for 100 ms each: L·T = Σ k·0.1 s.
		sc := chain(Sync, 0,
			Node{ID: "limit", Kind: RateLimiter, Rate: 10, OnLimit: Wait},
			Node{ID: "api", Kind: Service, Concurrency: 100})
		sc.Nodes[0].Workload = &Workload{Type: Closed, Users: 20, Count: 1}
		r, _ := run(t, sc)
		limit := node(t, r, "limit")
		assert.EqualValues(t, 20, limit.MaxInNode, "all twenty are at the limiter at first")
		assert.EqualValues(t, 19, limit.MaxDepth, "nineteen of them wait for a token")
		assert.Equal(t, 1900*Millisecond, r.End)
		assert.InEpsilon(t, 19.0, limit.MeanInNode*r.End.Seconds(), 1e-9, "L·T is the sum of the waits: 0.1 s·(0 + 1 + ... + 19)")
		assert.InEpsilon(t, limit.MeanInNode, limit.ArrivalRate*limit.MeanSojourn.Seconds(), 1e-9, "L = λW")
	})

	t.Run("wait: a crash loses what waits for a token, and the limiter is empty after", func(t *testing.T) {
		sc := chain(Sync, 0,
			Node{ID: "limit", Kind: RateLimiter, Rate: 10, OnLimit: Wait},
			Node{ID: "api", Kind: Service, Concurrency: 100})
		sc.Nodes[0].Workload = &Workload{Type: Closed, Users: 20, Count: 1}
		sc.Nodes[0].Timeout = 5 * Second
		sc.Faults = []Fault{{Type: Crash, Node: "limit", At: 450 * Millisecond, Restart: Second}}
		r, e := run(t, sc)
		assert.EqualValues(t, 15, r.Counts.LostReasons[ReasonCrash.String()], "five passed before the crash; fifteen waited")
		assert.Zero(t, e.nodes[e.Scenario().NodeIndex("limit")].st.inNode, "the crash takes away exactly what was counted")
		limit := node(t, r, "limit")
		assert.EqualValues(t, 20, limit.Arrivals)
		assert.EqualValues(t, 20, limit.Departures, "five passed, fifteen were lost with the crash")
	})
}

func TestFaults(t *testing.T) {
	t.Run("a node that is down refuses what arrives meanwhile", func(t *testing.T) {
		sc := chain(Sync, ms(1), Node{ID: "api", Kind: Service, Concurrency: 100, ServiceTime: Fixed(ms(5))})
		sc.Nodes[0].Workload = &Workload{Type: Poisson, Rate: 100, Duration: 3 * Second}
		sc.Faults = []Fault{{Type: Down, Node: "api", At: Second, Until: 2 * Second}}
		r, e := run(t, sc)
		var refused int64
		for _, rec := range e.Trace() {
			if rec.Kind == RecRefuse {
				refused++
				require.GreaterOrEqual(t, rec.At, Second)
				require.Less(t, rec.At, 2*Second)
				require.Equal(t, ReasonNodeDown, rec.Reason)
			}
		}
		assert.InDelta(t, 100, refused, 5*10)
		assert.Equal(t, refused, r.Requests.Errors)
		assert.Equal(t, 1, count(e.Trace(), RecDown))
		assert.Equal(t, 1, count(e.Trace(), RecUp))
	})

	t.Run("a latency spike adds exactly its delay to each crossing inside its window", func(t *testing.T) {
		sc := chain(Sync, ms(2), Node{ID: "api", Kind: Service, Concurrency: 100, ServiceTime: Fixed(ms(5))})
		sc.Nodes[0].Workload = &Workload{Type: Poisson, Rate: 50, Duration: 3 * Second}
		sc.Faults = []Fault{{Type: Latency, From: "client", To: "api", At: Second, Until: 2 * Second, Add: 300 * Millisecond}}
		r, e := run(t, sc)
		assert.Equal(t, ms(9), r.UserLatency.Min, "outside the window")
		assert.Equal(t, ms(609), r.UserLatency.Max, "request and reply both inside it")
		assert.Contains(t, e.m.user.exact, ms(309), "only one of them inside")
		for _, d := range e.m.user.exact {
			require.Contains(t, []Duration{ms(9), ms(309), ms(609)}, d)
		}
	})

	t.Run("a crash loses the work in hand; a caller without a deadline waits forever", func(t *testing.T) {
		sc := chain(Sync, 0, Node{ID: "api", Kind: Service, Concurrency: 4, ServiceTime: Fixed(ms(100))})
		sc.Nodes[0].Workload = &Workload{Type: Closed, Users: 4, Count: 5}
		sc.Faults = []Fault{{Type: Crash, Node: "api", At: ms(250), Restart: ms(10)}}
		r, _ := run(t, sc)
		assert.EqualValues(t, 4, r.Counts.LostReasons[ReasonCrash.String()])
		assert.EqualValues(t, 4, r.Requests.Waiting)
		assert.Contains(t, r.StopDetail, "4 clients wait for answers that will never come")

		sc.Nodes[0].Timeout = ms(500)
		r, _ = run(t, sc)
		assert.EqualValues(t, 4, r.Requests.TimedOut, "with a deadline they find out and move on")
		assert.EqualValues(t, 20, r.Requests.Started)
	})

	t.Run("a lost ack means a redelivery: handled twice, unless the consumer is idempotent", func(t *testing.T) {
		r, e := run(t, example(t, "lost-ack"))
		assert.Positive(t, r.Counts.Redelivered)
		assert.Positive(t, r.Counts.DuplicatesProcessed)
		assert.Equal(t, r.Counts.DuplicatesProcessed, r.Counts.DuplicatesSkipped, "the two consumers see the same faults")
		plain := int32(e.Scenario().NodeIndex("plain"))
		for _, rec := range e.Trace() {
			if rec.Kind == RecSkip {
				require.NotEqual(t, plain, rec.Node, "only the idempotent consumer skips")
			}
		}
	})

	t.Run("a lost ack without a visibility timeout leaves the message waiting forever", func(t *testing.T) {
		sc := example(t, "lost-ack")
		nodeByID(t, sc, "q-plain").VisibilityTimeout = 0
		r, _ := run(t, sc)
		assert.Positive(t, r.Counts.Stored)
		assert.Contains(t, r.StopDetail, "wait for an ack that will never come")
	})
}

func TestHybridCheckoutAndGateway(t *testing.T) {
	t.Run("the user's wait excludes the background work", func(t *testing.T) {
		r, _ := run(t, example(t, "checkout-hybrid"))
		assert.Less(t, r.UserLatency.Max, node(t, r, "email").MeanSojourn, "the slowest checkout is faster than the average email")
		assert.Greater(t, r.Staleness.Mean, Second)
	})

	t.Run("a parallel gateway answers when the slowest branch has", func(t *testing.T) {
		sc := chain(Sync, ms(10), Node{ID: "gateway", Kind: Gateway, ServiceTime: Fixed(ms(2))})
		for id, d := range map[string]Duration{"product": ms(20), "price": ms(10), "review": ms(40)} {
			sc.Nodes = append(sc.Nodes, Node{ID: id, Kind: Service, ServiceTime: Fixed(d)})
			sc.Edges = append(sc.Edges, Edge{From: "gateway", To: id, Mode: Sync, Latency: Fixed(ms(1))})
		}
		r, _ := run(t, sc)
		assert.Equal(t, 2*ms(10)+ms(2)+2*ms(1)+ms(40), r.UserLatency.Max)
	})

	t.Run("ProductUpdated reindexing happens after the edit is answered", func(t *testing.T) {
		r, _ := run(t, example(t, "api-gateway"))
		assert.EqualValues(t, 20, node(t, r, "search").Departures)
		assert.Greater(t, r.Staleness.Max, 100*Millisecond)
	})
}

func TestNotificationsSlowSMSDoesNotDelayEmailOrPush(t *testing.T) {
	sc := example(t, "notifications")
	r, _ := run(t, sc)
	faster := sc.Clone()
	nodeByID(t, faster, "sms-provider").ServiceTime = Fixed(ms(10))
	nodeByID(t, faster, "sms-limit").Rate = 1000
	r2, _ := run(t, faster)

	assert.Greater(t, node(t, r, "sms-q").MaxDepth, int64(50), "SMS backs up behind its rate limit")
	for _, id := range []string{"email", "push", "email-q", "push-q"} {
		assert.Equal(t, node(t, r, id).MeanSojourn, node(t, r2, id).MeanSojourn, "%s is the same whatever SMS does", id)
	}
}

// unkeyedPartitions runs the ordering example with n unkeyed records
// through its 6-partition topic, set up by tweak, and returns the
// partition of each record in the order they were appended, and the run.
func unkeyedPartitions(t *testing.T, n int, tweak func(topic *Node)) ([]int32, *Report) {
	t.Helper()
	sc := example(t, "ordering-partitions")
	wl := nodeByID(t, sc, "app").Workload
	wl.Keys, wl.Count = 0, n
	tweak(nodeByID(t, sc, "events"))
	r, e := run(t, sc)
	topic := int32(sc.NodeIndex("events"))
	var parts []int32
	for _, rec := range e.Trace() {
		if rec.Node == topic && rec.Kind == RecEnqueue {
			parts = append(parts, rec.Partition)
		}
	}
	require.Len(t, parts, n)
	return parts, r
}

func TestUnkeyedRecordsWithTheRoundRobinPartitioner(t *testing.T) {
	parts, r := unkeyedPartitions(t, 10_000, func(topic *Node) { topic.Partitioner = RoundRobin })
	for i, p := range parts {
		require.EqualValues(t, i%6, p, "record %d", i)
	}
	for _, p := range r.Partitions {
		assert.EqualValues(t, 10_000/6+btoi(p.Partition < 10_000%6), p.End)
	}
}

// Kafka 3.3+'s built-in partitioner (KIP-794): unkeyed records fill a
// batch on one partition, chosen uniformly at random, then move on. Over
// 10,000 records the runs are exactly a batch long (a new batch may draw
// the same partition again, so runs of the same partition are multiples
// of it), and the partitions even out: each holds 1/6 of the batches
// within a few standard errors.
func TestUnkeyedRecordsWithTheStickyPartitioner(t *testing.T) {
	for _, batch := range []int{0, 5, 100} {
		want := cmp.Or(batch, defaultBatchRecords)
		parts, r := unkeyedPartitions(t, 10_000, func(topic *Node) { topic.BatchRecords = batch })
		run := 1
		for i := 1; i <= len(parts); i++ {
			if i < len(parts) && parts[i] == parts[i-1] {
				run++
				continue
			}
			if i < len(parts) {
				require.Zero(t, run%want, "batch %d: a run of %d records on partition %d ends at record %d", want, run, parts[i-1], i)
			}
			run = 1
		}
		batches := float64(10_000) / float64(want)
		se := math.Sqrt(batches * (1.0 / 6) * (5.0 / 6))
		for _, p := range r.Partitions {
			got := float64(p.End) / float64(want)
			assert.InDelta(t, batches/6, got, 4*se+1, "batch %d: batches on partition %d", want, p.Partition)
		}
	}
	t.Run("the default partitioner is sticky", func(t *testing.T) {
		parts, _ := unkeyedPartitions(t, 64, func(*Node) {})
		for i := range defaultBatchRecords {
			assert.Equal(t, parts[0], parts[i])
		}
	})
}

func btoi(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func TestThePartitionerIsValidated(t *testing.T) {
	for _, tc := range []struct {
		name  string
		tweak func(topic, app *Node)
		field string // "" means valid
		msg   string
	}{
		{"sticky with a batch is valid", func(topic, _ *Node) { topic.Partitioner, topic.BatchRecords = Sticky, 32 }, "", ""},
		{"round robin is valid", func(topic, _ *Node) { topic.Partitioner = RoundRobin }, "", ""},
		{"an unknown partitioner names both", func(topic, _ *Node) { topic.Partitioner = "random" }, "partitioner", "sticky or roundRobin"},
		{"a batch means nothing to round robin", func(topic, _ *Node) { topic.Partitioner, topic.BatchRecords = RoundRobin, 8 }, "batchRecords", "only to the sticky"},
		{"a negative batch is refused", func(topic, _ *Node) { topic.BatchRecords = -1 }, "batchRecords", "between 1 and"},
		{"a partitioner is a topic's", func(_, app *Node) { app.Partitioner = Sticky }, "partitioner", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := example(t, "ordering-partitions")
			tc.tweak(nodeByID(t, sc, "events"), nodeByID(t, sc, "app"))
			err := sc.Validate()
			if tc.field == "" {
				require.NoError(t, err)
				return
			}
			var errs Errors
			require.ErrorAs(t, err, &errs)
			require.Len(t, errs, 1, "%v", errs)
			assert.True(t, strings.HasSuffix(errs[0].Field, "."+tc.field), errs[0].Field)
			assert.Contains(t, errs[0].Message, tc.msg)
		})
	}
}

func TestMaxWaiting(t *testing.T) {
	// Three users call a one-worker service at once; its line holds one.
	build := func(waiting int) *Scenario {
		sc := chain(Sync, 0, Node{ID: "api", Kind: Service, Concurrency: 1, MaxWaiting: &waiting, ServiceTime: Fixed(ms(100))})
		sc.Nodes[0].Workload = &Workload{Type: Closed, Users: 3, Count: 1}
		return sc
	}
	refusals := func(e *Engine) []Record {
		var out []Record
		for _, rec := range e.Trace() {
			if rec.Kind == RecRefuse {
				out = append(out, rec)
			}
		}
		return out
	}

	t.Run("a request that finds every worker busy and the line full is turned away at once", func(t *testing.T) {
		r, e := run(t, build(1))
		refused := refusals(e)
		require.Len(t, refused, 1, "the first is served, the second waits, the third is turned away")
		assert.Equal(t, Duration(0), refused[0].At)
		assert.Equal(t, ReasonLineFull, refused[0].Reason)
		assert.Equal(t, "All workers of api are busy and 1 message already waits, the most it allows: it turns message 2 (request 2) away.",
			refused[0].Describe(e.Scenario()))
		assert.Equal(t, Requests{Started: 3, OK: 2, Errors: 1, Complete: 3}, r.Requests)
		assert.EqualValues(t, 1, node(t, r, "api").Rejected)
		assert.EqualValues(t, 2, node(t, r, "api").Arrivals, "a request turned away never arrived in the node's figures")
		assert.Equal(t, map[string]int64{"waiting line full": 1}, r.Counts.DropReasons)
		var got string
		for _, rec := range e.Trace() {
			if rec.Kind == RecReceive && rec.Msg == refused[0].Msg {
				got = rec.Describe(e.Scenario())
			}
		}
		assert.Equal(t, "Client gets an error for message 2 (request 2) after waiting 0s (waiting line full).", got)
		var text strings.Builder
		require.NoError(t, r.WriteText(&text))
		assert.Contains(t, text.String(), "api turned 1 away: every worker busy and the waiting line full\n")
	})

	t.Run("with maxWaiting 0 nobody waits: a loss system", func(t *testing.T) {
		r, e := run(t, build(0))
		refused := refusals(e)
		require.Len(t, refused, 2)
		assert.Equal(t, "All workers of api are busy and it lets nobody wait: it turns message 1 (request 1) away.", refused[0].Describe(e.Scenario()))
		assert.Zero(t, count(e.Trace(), RecWait))
		assert.EqualValues(t, 2, node(t, r, "api").Rejected)
		assert.Zero(t, node(t, r, "api").MeanWait)
	})

	t.Run("left out, the line is unbounded", func(t *testing.T) {
		sc := build(0)
		sc.Nodes[1].MaxWaiting = nil
		r, e := run(t, sc)
		assert.Empty(t, refusals(e))
		assert.EqualValues(t, 3, r.Requests.OK)
		assert.Zero(t, node(t, r, "api").Rejected)
	})

	t.Run("a caller's retry policy applies to a rejection as to any failure", func(t *testing.T) {
		sc := build(1)
		sc.Nodes[0].Retry = &RetryPolicy{MaxAttempts: 2, Base: ms(150)}
		r, e := run(t, sc)
		require.Len(t, refusals(e), 1)
		assert.EqualValues(t, 3, r.Requests.OK, "the retry at 150 ms finds room in line")
		assert.EqualValues(t, 1, r.Counts.Retried)
		assert.Equal(t, 1, count(e.Trace(), RecRetry))
	})

	t.Run("a direct async send turned away gets an error, not an ack", func(t *testing.T) {
		none := 0
		sc := chain(Async, 0, Node{ID: "w", Kind: Worker, MaxWaiting: &none, ServiceTime: Fixed(ms(100))})
		sc.Nodes[0].Workload = &Workload{Type: Closed, Users: 2, Count: 1}
		r, e := run(t, sc)
		refused := refusals(e)
		require.Len(t, refused, 1)
		var answers []Record
		for _, rec := range e.Trace() {
			if rec.Kind == RecAck && rec.Msg == refused[0].Msg {
				answers = append(answers, rec)
			}
		}
		require.Len(t, answers, 1, "one answer, and no 202 before it")
		assert.Equal(t, ReasonLineFull, answers[0].Reason)
		assert.Equal(t, Requests{Started: 2, OK: 1, Errors: 1, Complete: 2}, r.Requests)
	})

	t.Run("a broker's delivery turned away is requeued, not dead-lettered as the consumer's failure", func(t *testing.T) {
		// The worker is busy with a direct call when the queue delivers;
		// it lets nobody wait, so it nacks the delivery, which the queue
		// delivers again after its back-off, even though the worker
		// dead-letters what it fails.
		none := 0
		sc := &Scenario{Version: 1, Seed: 1,
			Nodes: []Node{
				{ID: "direct", Kind: Client, Workload: &Workload{Type: Single}},
				{ID: "producer", Kind: Client, Workload: &Workload{Type: Single, At: ms(10)}},
				{ID: "q", Kind: Queue, Retry: &RetryPolicy{Base: ms(40)}},
				{ID: "w", Kind: Worker, MaxWaiting: &none, OnFailure: DeadLetter, ServiceTime: Fixed(ms(100))},
				{ID: "dlq", Kind: DLQ},
			},
			Edges: []Edge{
				{From: "direct", To: "w", Mode: Sync, Latency: Fixed(ms(1))},
				{From: "producer", To: "q", Mode: Async, Latency: Fixed(ms(1))},
				{From: "q", To: "w", Mode: Async, Latency: Fixed(ms(1))},
				{From: "q", To: "dlq", Mode: Async},
			},
		}
		r, e := run(t, sc)
		assert.Positive(t, node(t, r, "w").Rejected)
		assert.Positive(t, r.Counts.Redelivered)
		assert.Zero(t, r.Counts.DeadLettered)
		assert.EqualValues(t, 2, node(t, r, "w").Departures, "both are handled in the end")
		assert.Equal(t, Requests{Started: 2, OK: 2, Complete: 2}, r.Requests)
		assert.Positive(t, count(e.Trace(), RecNack))
	})
}

// Lag is per consumer group: two groups read one topic independently,
// each with its own offsets. A slow group falls further behind than a fast
// one, both catch up by the end, and each group's lag over time peaks at
// its reported most, which is at least each of its partitions' most.
func TestConsumerGroupsKeepTheirOwnLag(t *testing.T) {
	sc := example(t, "ordering-partitions")
	sc.Nodes = append(sc.Nodes, Node{ID: "audit", Kind: Worker, Concurrency: 1, ServiceTime: Exp(4 * Millisecond)})
	sc.Edges = append(sc.Edges, Edge{From: "events", To: "audit", Mode: Async, Latency: Fixed(Millisecond), Group: "audit"})
	r, _ := run(t, sc)
	require.Len(t, r.GroupLags, 2)
	lag := map[string]GroupLag{}
	for _, g := range r.GroupLags {
		lag[g.Group] = g
		assert.Zero(t, g.Lag, "%s caught up by the end", g.Group)
		assert.Equal(t, g.MaxLag, slices.Max(g.Series.Values), "%s: the series peaks at the most", g.Group)
	}
	fast, slow := lag["group"], lag["audit"]
	assert.Positive(t, fast.MaxLag)
	assert.Greater(t, slow.MaxLag, fast.MaxLag, "one consumer at 4ms a record is behind six workers at 8ms")
	perGroup := map[int32]int64{}
	for _, p := range r.Partitions {
		assert.Equal(t, p.End, p.Committed, "partition %d, group %d: committed to the end", p.Partition, p.Group)
		perGroup[p.Group] = max(perGroup[p.Group], p.MaxLag)
	}
	assert.LessOrEqual(t, perGroup[0], fast.MaxLag)
	assert.LessOrEqual(t, perGroup[1], slow.MaxLag)
	assert.Positive(t, perGroup[1])
	var text strings.Builder
	require.NoError(t, r.WriteText(&text))
	assert.Contains(t, text.String(), fmt.Sprintf("consumer group audit on events: 0 records behind at the end, at most %d\n", slow.MaxLag))
}

// A failing record on a topic is tried again in place, its partition
// waiting, retry.maxAttempts times in all, then published to the
// dead-letter topic; the partition then moves on. Kafka keeps no receive
// count, so maxReceiveCount is refused on a topic.
func TestAFailingRecordIsRetriedInPlaceThenDeadLettered(t *testing.T) {
	sc := example(t, "ordering-partitions")
	events := nodeByID(t, sc, "events")
	events.Retry = &RetryPolicy{MaxAttempts: 4, Base: 20 * Millisecond}
	sc.Nodes = append(sc.Nodes, Node{ID: "events.DLT", Kind: DLQ})
	sc.Edges = append(sc.Edges, Edge{From: "events", To: "events.DLT", Mode: Async})
	sc.Faults = []Fault{{Type: Poison, Node: "app", Requests: []int{7}}}
	r, e := run(t, sc)
	require.Len(t, r.DeadLetters, 1)
	assert.EqualValues(t, 7, r.DeadLetters[0].Req)
	assert.EqualValues(t, 4, r.DeadLetters[0].Deliveries, "tried 4 times in all")
	var part int32 = -1
	var retries []Record
	for _, rec := range e.Trace() {
		if rec.Req == 7 && rec.Kind == RecRetry {
			retries = append(retries, rec)
			part = rec.Partition
		}
	}
	require.Len(t, retries, 3)
	assert.Contains(t, retries[0].Describe(sc), "will be tried again in place in 20ms (try 2)")
	assert.Contains(t, retries[0].Describe(sc), fmt.Sprintf("partition %d waits until then", part))
	// Nothing else of that partition was delivered while it waited.
	from, until := retries[0].At, retries[2].At+Duration(retries[2].Value)
	for _, rec := range e.Trace() {
		if rec.Kind == RecDeliver && rec.Partition == part && rec.Req != 7 && rec.At > from && rec.At < until {
			t.Fatalf("partition %d delivered %s while its head was retried", part, rec.Describe(sc))
		}
	}
	for _, rec := range e.Trace() {
		if rec.Kind == RecDeadLetter {
			assert.Contains(t, rec.Describe(sc), "publishes it to the dead-letter topic events.DLT")
		}
	}

	events.MaxReceiveCount = 3
	err := sc.Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "retry.maxAttempts")
}

// When a queue's visibility timeout passes while its consumer still holds
// the message (waiting on a call of its own), the queue goes on with a
// copy — delivering it again, or here, past maxReceiveCount, to the DLQ —
// and the consumer finishes its own, unaware; its late ack settles it.
// (The queue used to take the very message back, so the consumer's call
// answered a message that was no longer in flight and its worker stayed
// busy for ever.)
func TestAConsumerStillHoldingAMessageTheQueueTookBackFinishesIt(t *testing.T) {
	sc := &Scenario{Version: 1, Seed: 1,
		Nodes: []Node{
			{ID: "producer", Kind: Client, Workload: &Workload{Type: Poisson, Rate: 100, Count: 2}},
			{ID: "q", Kind: Queue, VisibilityTimeout: 20 * Millisecond, MaxReceiveCount: 1},
			{ID: "w", Kind: Worker, Concurrency: 1, ServiceTime: Fixed(10 * Millisecond)},
			{ID: "db", Kind: Database, ServiceTime: Fixed(40 * Millisecond)},
			{ID: "dlq", Kind: DLQ},
		},
		Edges: []Edge{
			{From: "producer", To: "q", Mode: Async},
			{From: "q", To: "w", Mode: Async},
			{From: "w", To: "db", Mode: Sync},
			{From: "q", To: "dlq", Mode: Async},
		},
	}
	r, _ := run(t, sc)
	assert.Equal(t, StopCompleted, r.Stop, r.StopDetail)
	assert.EqualValues(t, 2, r.Requests.Complete)
	assert.EqualValues(t, 2, node(t, r, "w").Departures, "the worker finished both")
	assert.Len(t, r.DeadLetters, 2, "each was held past its visibility timeout once, the most allowed")
}

// With a key prefix the keys are text, and a topic puts each record on
// murmur2 of the key's UTF-8 bytes, non-ASCII prefixes included.
func TestKeysWithAPrefixArePartitionedAsText(t *testing.T) {
	for _, prefix := range []string{"", "user-", "ユーザー-"} {
		sc := example(t, "ordering-partitions")
		nodeByID(t, sc, "app").Workload.KeyPrefix = prefix
		require.NoError(t, sc.Validate())
		_, e := run(t, sc)
		topic := int32(sc.NodeIndex("events"))
		seen := 0
		for _, rec := range e.Trace() {
			if rec.Node != topic || rec.Kind != RecEnqueue {
				continue
			}
			key := prefix + strconv.Itoa(int(e.reqs.at(rec.Req).key))
			require.Equal(t, int32(keyPartition([]byte(key), 6)), rec.Partition, "key %q", key)
			seen++
		}
		assert.Equal(t, 1000, seen)
	}
	sc := example(t, "ordering-partitions")
	w := nodeByID(t, sc, "app").Workload
	w.KeyPrefix, w.Keys = "user-", 0
	err := sc.Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "keyPrefix: applies only with keys")
}

// When a consumer of a group crashes, its partitions wait until the
// session timeout passes, then the group gives them (by range assignment
// over the members left) to the others, which resume from the last
// committed offset; when it is back, the group rebalances again.
func TestAGroupRebalancesWhenAConsumerIsGoneLongerThanTheSessionTimeout(t *testing.T) {
	sc := example(t, "ordering-partitions")
	nodeByID(t, sc, "app").Workload = &Workload{Type: Poisson, Rate: 200, Count: 3000, Keys: 20}
	nodeByID(t, sc, "events").SessionTimeout = 2 * Second
	sc.Faults = []Fault{{Type: Crash, Node: "consumer-a", At: Second, Restart: 5 * Second}}
	r, e := run(t, sc)
	assert.EqualValues(t, 3000, r.Requests.Complete)
	idx := func(id string) int32 { return int32(sc.NodeIndex(id)) }
	topic, a := idx("events"), idx("consumer-a")
	// Range assignment: a, b, c read 0–1, 2–3, 4–5; with b and c alone,
	// b reads 0–2 and c 3–5.
	owner := map[int32]int32{0: a, 1: a, 2: idx("consumer-b"), 3: idx("consumer-b"), 4: idx("consumer-c"), 5: idx("consumer-c")}
	var moves []Record
	for _, rec := range e.Trace() {
		switch {
		case rec.Kind == RecRebalance:
			moves = append(moves, rec)
			owner[rec.Partition] = rec.To
		case rec.Kind == RecDeliver && rec.Node == topic:
			require.Equal(t, owner[rec.Partition], rec.To, "at %s: %s", rec.At, rec.Describe(sc))
			if rec.At > Second && rec.At < 3*Second {
				assert.NotEqual(t, a, rec.To, "nothing goes to the crashed consumer")
				assert.NotContains(t, []int32{0, 1}, rec.Partition, "its partitions wait for the session timeout")
			}
		}
	}
	var at []Duration
	for _, m := range moves {
		at = append(at, m.At)
	}
	assert.Equal(t, []Duration{3 * Second, 3 * Second, 3 * Second, 6 * Second, 6 * Second, 6 * Second}, at,
		"partitions 0, 1 (to b) and 3 (to c) move when the session times out, and back when a restarts")
	assert.Contains(t, moves[0].Describe(sc), "resuming from offset")
	assert.Equal(t, a, owner[0], "a has its partitions back")
}

// A consumer that commits its offset every 10 records and crashes
// resumes, when it restarts, from its last committed offset: the records
// it processed since that commit are processed again, and the duplicates
// are exactly those, counted from the trace.
func TestACrashedConsumerResumesFromItsLastCommittedOffset(t *testing.T) {
	sc := example(t, "ordering-partitions")
	nodeByID(t, sc, "events").CommitEvery = 10
	sc.Faults = []Fault{{Type: Crash, Node: "consumer-a", At: 2 * Second, Restart: 200 * Millisecond}}
	r, e := run(t, sc)
	assert.EqualValues(t, 1000, r.Requests.Complete)
	topic, a := int32(sc.NodeIndex("events")), int32(sc.NodeIndex("consumer-a"))
	// Per partition of consumer-a: records it finished since its last
	// commit before the crash.
	since := map[int32]int{}
	commits := 0
	for _, rec := range e.Trace() {
		if rec.At >= 2*Second {
			break
		}
		switch {
		case rec.Kind == RecOffsetCommit && rec.Node == topic && rec.From == a:
			since[rec.Partition] = 0
			commits++
			assert.Contains(t, rec.Describe(sc), "commits offset")
		case rec.Kind == RecReceive && rec.Node == topic && rec.From == a && rec.Reason == ReasonNone:
			since[rec.Partition]++
		}
	}
	want := 0
	for _, n := range since {
		want += n
	}
	require.Positive(t, commits)
	require.Positive(t, want, "the crash should come between commits")
	assert.EqualValues(t, want, r.Counts.DuplicatesProcessed, "exactly the records processed since the last commit")
	for _, p := range r.Partitions {
		assert.Equal(t, p.End, p.Committed, "partition %d read to the end", p.Partition)
	}

	t.Run("committing after each record leaves nothing to do again", func(t *testing.T) {
		sc := sc.Clone()
		nodeByID(t, sc, "events").CommitEvery = 0
		r, e := run(t, sc)
		assert.Zero(t, r.Counts.DuplicatesProcessed)
		assert.Zero(t, count(e.Trace(), RecOffsetCommit), "no separate commit records when every record commits")
	})
}

// The event log says each record's key and partition.
func TestTheTraceSaysEachRecordsKeyAndPartition(t *testing.T) {
	sc := example(t, "ordering-partitions")
	nodeByID(t, sc, "app").Workload.KeyPrefix = "user-"
	_, e := run(t, sc)
	topic := int32(sc.NodeIndex("events"))
	for _, rec := range e.Trace() {
		if rec.Node == topic && rec.Kind == RecEnqueue {
			key := fmt.Sprintf("%q", "user-"+strconv.Itoa(int(e.reqs.at(rec.Req).key)))
			assert.Contains(t, rec.Describe(sc), fmt.Sprintf(", key %s, to partition %d at offset %d.", key, rec.Partition, rec.Offset))
		}
	}
	nodeByID(t, sc, "app").Workload.Keys = 0
	nodeByID(t, sc, "app").Workload.KeyPrefix = ""
	_, e = run(t, sc)
	for _, rec := range e.Trace() {
		if rec.Node == topic && rec.Kind == RecEnqueue {
			assert.Contains(t, rec.Describe(sc), "with no key")
			break
		}
	}
}

// A consumer that is down (not crashed) is not there to fail anything: a
// record on its way to it goes back to its partition without counting as
// a try, so even a topic that dead-letters at the first failure loses
// none. Once the session timeout passes, its partitions move, and the new
// owners read from the last committed offset: what it processed since is
// processed again.
func TestAConsumerThatIsDownFailsNothingAndItsPartitionsMoveOn(t *testing.T) {
	sc := example(t, "ordering-partitions")
	events := nodeByID(t, sc, "events")
	events.Retry = &RetryPolicy{MaxAttempts: 1}
	events.CommitEvery = 10
	events.SessionTimeout = Second
	sc.Nodes = append(sc.Nodes, Node{ID: "events.DLT", Kind: DLQ})
	sc.Edges = append(sc.Edges, Edge{From: "events", To: "events.DLT", Mode: Async})
	sc.Faults = []Fault{{Type: Down, Node: "consumer-a", At: 2 * Second, Until: 10 * Second}}
	r, e := run(t, sc)
	assert.Empty(t, r.DeadLetters, "nothing failed: consumer-a was only away")
	assert.EqualValues(t, 1000, r.Requests.Complete)
	topic, a := int32(sc.NodeIndex("events")), int32(sc.NodeIndex("consumer-a"))
	// What consumer-a processed and did not commit before its partitions
	// moved (it finishes the work in its hands even while down).
	since := map[int32]int{}
	moved := false
	for _, rec := range e.Trace() {
		switch {
		case rec.Kind == RecRebalance:
			moved = true
		case moved:
		case rec.Kind == RecOffsetCommit && rec.Node == topic && rec.From == a:
			since[rec.Partition] = 0
		case rec.Kind == RecReceive && rec.Node == topic && rec.From == a && rec.Reason == ReasonNone:
			since[rec.Partition]++
		}
	}
	require.True(t, moved, "its partitions move after the session timeout")
	want := 0
	for _, n := range since {
		want += n
	}
	// Done again by other consumers: each node counts the duplicates it
	// applies itself, so here they show as records processed twice.
	require.Positive(t, want)
	assert.EqualValues(t, 1000+want, r.Counts.Processed, "its uncommitted work, done again by the partitions' new owners")
}
