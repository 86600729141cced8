package core

import (
	"math/rand/v2"
	"os"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func timeline(t testing.TB, sc *Scenario) (*Timeline, *Report) {
	t.Helper()
	r, e := run(t, sc)
	return NewTimeline(e.Scenario(), e.Trace()), r
}

// replay builds the state after step records the slow way, from nothing.
func replay(tl *Timeline, step int) *State {
	s := &State{Nodes: make([]NodeState, len(tl.sc.Nodes))}
	for i := range step {
		tl.apply(s, i)
	}
	return s
}

func TestTimelineJumpsAgreeWithAReplayFromTheStart(t *testing.T) {
	for _, id := range []string{"rest-chain", "message-queue", "event-driven", "outbox", "dlq-poison", "ordering-partitions", "lost-ack"} {
		t.Run(id, func(t *testing.T) {
			tl, _ := timeline(t, example(t, id))
			r := rand.New(rand.NewPCG(1, 2))
			steps := []int{0, 1, tl.Len(), tl.Len() / 2, snapshotEvery, snapshotEvery - 1, snapshotEvery + 1}
			for range 40 {
				steps = append(steps, r.IntN(tl.Len()+1))
			}
			for _, k := range steps {
				k = min(k, tl.Len())
				require.Equal(t, replay(tl, k), tl.At(k).clone(), "step %d", k)
			}
		})
	}
}

func TestTimelineStepsBackExactly(t *testing.T) {
	tl, _ := timeline(t, example(t, "spike-async"))
	forward := make([]*State, 0, 600)
	for k := 1000; k < 1600; k++ {
		forward = append(forward, tl.At(k).clone())
	}
	for k := 1599; k >= 1000; k-- {
		require.Equal(t, forward[k-1000], tl.At(k).clone(), "step %d, going back", k)
	}
}

func TestTimelineEndStateAgreesWithTheReport(t *testing.T) {
	for _, ex := range Examples() {
		t.Run(ex.ID, func(t *testing.T) {
			tl, r := timeline(t, ex.Scenario)
			end := tl.At(tl.Len())
			assert.Equal(t, r.Requests.Started, end.Started)
			assert.Equal(t, r.Requests.OK, end.Answered)
			assert.Equal(t, r.Requests.Errors, end.Errors)
			assert.Equal(t, r.Requests.TimedOut, end.TimedOut)
			assert.Equal(t, r.Requests.Complete, end.Completed)
			assert.Equal(t, r.Counts.DeadLettered, end.DeadLettered)
			assert.Equal(t, r.Counts.Lost, end.Lost)
			assert.Equal(t, r.UserLatency.Max, end.MaxUserLatency)
			if r.Stop == StopCompleted {
				assert.Empty(t, end.InFlight, "nothing is travelling when the run is over")
				var held int64
				for i, n := range end.Nodes {
					assert.Zero(t, n.Busy, "node %s", ex.Scenario.Nodes[i].ID)
					assert.Empty(t, n.Waiting, "node %s", ex.Scenario.Nodes[i].ID)
					assert.Empty(t, n.Calls, "node %s waits on nothing once the run is over", ex.Scenario.Nodes[i].ID)
					if ex.Scenario.Nodes[i].Kind != DLQ {
						held += int64(len(n.Queue) + n.Unacked)
					}
				}
				assert.Equal(t, r.Counts.Stored, held)
			}
		})
	}
}

func TestTimelineStateStaysWithinBounds(t *testing.T) {
	for _, id := range []string{"spike-sync", "spike-async", "notifications", "closed-loop"} {
		t.Run(id, func(t *testing.T) {
			sc := example(t, id)
			tl, _ := timeline(t, sc)
			s := &State{Nodes: make([]NodeState, len(sc.Nodes))}
			for i := range tl.Len() {
				tl.apply(s, i)
				for j, n := range s.Nodes {
					require.GreaterOrEqual(t, n.Busy, 0)
					require.LessOrEqual(t, n.Busy, sc.Nodes[j].EffectiveConcurrency()+1_000_000*btoiInt(sc.Nodes[j].Kind == Client || isBroker(sc.Nodes[j].Kind)))
					require.GreaterOrEqual(t, n.Unacked, 0)
				}
				for _, f := range s.InFlight {
					require.LessOrEqual(t, f.Start, s.At)
					require.GreaterOrEqual(t, f.End, f.Start)
					if f.EndStep >= 0 {
						require.Greater(t, f.EndStep, s.Step, "a transit that has ended is no longer in flight")
					}
				}
			}
		})
	}
}

func btoiInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestTimelineShowsTheSeedsAsyncDiagram(t *testing.T) {
	// Producer → queue → worker: after the enqueue ack reaches the
	// producer, the message is still on its way to, or at, the worker.
	tl, _ := timeline(t, example(t, "message-queue"))
	producerAcked := -1
	for i := range tl.Len() {
		if r := tl.Record(i); r.Kind == RecReceive && r.Node == 0 {
			producerAcked = i + 1
		}
	}
	require.Positive(t, producerAcked)
	s := tl.At(producerAcked)
	assert.EqualValues(t, 1, s.Answered)
	worker := tl.Scenario().NodeIndex("worker")
	onItsWay := len(s.InFlight) == 1 && s.InFlight[0].To == int32(worker)
	assert.True(t, onItsWay || s.Nodes[worker].Busy == 1, "the work is not done when the producer continues")
	assert.Zero(t, s.Completed)
}

func TestTimelineShowsTheSeedsSyncChainBlocked(t *testing.T) {
	// The seed's first diagram: at step 9 (the database starts) the client,
	// the gateway and the service are each blocked on the next one down,
	// and the database is busy.
	sc := example(t, "rest-chain")
	tl, _ := timeline(t, sc)
	s := tl.At(9)
	require.Equal(t, RecStart, tl.Record(8).Kind)
	node := func(id string) *NodeState { return &s.Nodes[sc.NodeIndex(id)] }
	for _, c := range [][2]string{{"client", "gateway"}, {"gateway", "service"}, {"service", "db"}} {
		n := node(c[0])
		require.Len(t, n.Calls, 1, c[0])
		assert.Equal(t, 1, n.Blocked(), c[0])
		assert.Equal(t, int32(sc.NodeIndex(c[1])), n.Calls[0].To, "%s waits on %s", c[0], c[1])
	}
	assert.Equal(t, 1, node("db").Busy)
	assert.Empty(t, node("db").Calls)
	assert.Equal(t, Duration(0), node("client").Calls[0].Since, "the client has waited since it sent")
	// The reply reaches the client at the last step but one: nobody waits.
	s = tl.At(tl.Len() - 1)
	for i := range s.Nodes {
		assert.Empty(t, s.Nodes[i].Calls)
	}
}

func TestTimelineAsyncSenderWaitsOnlyForTheAck(t *testing.T) {
	sc := example(t, "message-queue")
	tl, _ := timeline(t, sc)
	producer := sc.NodeIndex("producer")
	s := tl.At(1)
	require.Len(t, s.Nodes[producer].Calls, 1)
	assert.Zero(t, s.Nodes[producer].Blocked(), "an async send waits for an ack, not blocked on the work")
	assert.Equal(t, CallAsync, s.Nodes[producer].Calls[0].Mode)
	for k := 1; k <= tl.Len(); k++ {
		if r := tl.Record(k - 1); r.Kind == RecReceive && int(r.Node) == producer {
			assert.Empty(t, tl.At(k).Nodes[producer].Calls, "the ack ends the wait")
			assert.Positive(t, tl.At(k).Nodes[sc.NodeIndex("worker")].Busy+len(tl.At(k).InFlight), "while the work goes on")
			return
		}
	}
	t.Fatal("the producer never got its ack")
}

// TestTimelineCallsAgreeWithTheRecords checks the calls a node waits on
// against a count straight from the records: sends from the node less the
// answers and deadlines that reached it, with a crash clearing them.
func TestTimelineCallsAgreeWithTheRecords(t *testing.T) {
	for _, id := range []string{"rest-chain", "grpc-retry", "grpc-deadline", "api-gateway", "spike-sync", "lost-ack", "outbox"} {
		t.Run(id, func(t *testing.T) {
			sc := example(t, id)
			tl, _ := timeline(t, sc)
			open := make([]map[int32]bool, len(sc.Nodes))
			for i := range open {
				open[i] = map[int32]bool{}
			}
			r := rand.New(rand.NewPCG(3, 4))
			for k := 1; k <= tl.Len(); k++ {
				rec := tl.Record(k - 1)
				switch n := rec.Node; rec.Kind {
				case RecSend:
					open[n][rec.Msg] = true
				case RecReceive, RecTimeout:
					delete(open[n], rec.Msg)
				case RecCrash:
					clear(open[n])
				}
				if r.IntN(20) != 0 && k != tl.Len() {
					continue
				}
				s := tl.At(k)
				for i := range sc.Nodes {
					got := map[int32]bool{}
					for _, c := range s.Nodes[i].Calls {
						got[c.Msg] = true
					}
					// A failed or cancelled handler stops waiting early:
					// what the node waits on is a subset of what was sent
					// and not answered.
					for m := range got {
						require.True(t, open[i][m], "step %d: %s waits on message %d, which it did not send or was answered", k, sc.Nodes[i].ID, m)
					}
				}
			}
		})
	}
}

func TestTimelineShowsWhatBrokersHold(t *testing.T) {
	t.Run("a broker's unacked messages are the ones in a consumer's hands", func(t *testing.T) {
		for _, id := range []string{"message-queue", "dlq-poison", "lost-ack", "ordering-partitions", "notifications"} {
			sc := example(t, id)
			tl, _ := timeline(t, sc)
			s := &State{Nodes: make([]NodeState, len(sc.Nodes))}
			for i := range tl.Len() {
				tl.apply(s, i)
				for j := range s.Nodes {
					require.Len(t, s.Nodes[j].InHand, s.Nodes[j].Unacked, "%s step %d node %s", id, i+1, sc.Nodes[j].ID)
				}
			}
		}
	})
	t.Run("a DLQ's entries say how often the message was delivered and why", func(t *testing.T) {
		sc := example(t, "dlq-poison")
		tl, r := timeline(t, sc)
		dlq, queue := sc.NodeIndex("dlq"), sc.NodeIndex("queue")
		end := tl.At(tl.Len())
		require.Len(t, end.Nodes[dlq].Letters, int(r.Counts.DeadLettered))
		l := end.Nodes[dlq].Letters[0]
		assert.Equal(t, Letter{Msg: 5, Attempts: 4, Reason: ReasonPoison}, l)
		assert.Equal(t, r.Counts.Redelivered, end.Nodes[queue].Redelivered, "the queue delivered the poison message again three times")
	})
	t.Run("an outbox counts the rows it published", func(t *testing.T) {
		sc := example(t, "outbox")
		tl, _ := timeline(t, sc)
		ob := nodeOfKind(t, sc, Outbox)
		marks := 0
		for i := range tl.Len() {
			if r := tl.Record(i); r.Kind == RecMark && int(r.Node) == ob {
				marks++
			}
		}
		assert.Positive(t, marks)
		assert.EqualValues(t, marks, tl.At(tl.Len()).Nodes[ob].Published)
	})
	t.Run("a topic's partitions: offsets, keys, and each group's place", func(t *testing.T) {
		sc := example(t, "ordering-partitions")
		tl, _ := timeline(t, sc)
		topic := nodeOfKind(t, sc, Topic)
		groups := tl.Groups(topic)
		require.NotEmpty(t, groups)
		rnd := rand.New(rand.NewPCG(5, 6))
		for range 30 {
			k := rnd.IntN(tl.Len() + 1)
			st := tl.At(k)
			parts := st.Nodes[topic].Partitions
			assert.LessOrEqual(t, len(parts), sc.Nodes[topic].Partitions)
			for p := range parts {
				ps := &parts[p]
				for _, c := range ps.Groups {
					assert.LessOrEqual(t, c.Committed, c.Read, "step %d partition %d", k, p)
					assert.LessOrEqual(t, c.Read, ps.End, "step %d partition %d", k, p)
					assert.GreaterOrEqual(t, ps.Lag(&c), int64(0))
					assert.Contains(t, groups[c.Group].Members, c.Owner, "the owner is a member of the group")
				}
			}
		}
		end := tl.At(tl.Len())
		var written int64
		for p := range end.Nodes[topic].Partitions {
			ps := &end.Nodes[topic].Partitions[p]
			written += ps.End
			for _, c := range ps.Groups {
				assert.Zero(t, ps.Lag(&c), "partition %d: the run is over, everything committed", p)
			}
			assert.NotEqual(t, int32(-1), ps.Keys[PartKeys-1], "keyed records: the newest has a key")
		}
		enqueued := 0
		for i := range tl.Len() {
			if rec := tl.Record(i); rec.Kind == RecEnqueue && int(rec.Node) == topic {
				enqueued++
			}
		}
		assert.EqualValues(t, enqueued, written, "every record written has its offset")
	})
}

// nodeOfKind returns the index of sc's node of kind k (the last, if several).
func nodeOfKind(t *testing.T, sc *Scenario, k Kind) int {
	t.Helper()
	found := -1
	for i, n := range sc.Nodes {
		if n.Kind == k {
			found = i
		}
	}
	require.GreaterOrEqual(t, found, 0, "a node of kind %s", k)
	return found
}

func TestStepAtFindsTheLastStepAtATime(t *testing.T) {
	tl, _ := timeline(t, example(t, "rest-chain"))
	assert.Equal(t, 0, tl.StepAt(-1))
	assert.Equal(t, 1, tl.StepAt(0), "the send at 0s")
	assert.Equal(t, tl.Len(), tl.StepAt(Minute))
	k := tl.StepAt(10 * Millisecond)
	assert.LessOrEqual(t, tl.Record(k-1).At, 10*Millisecond)
	assert.Greater(t, tl.Record(k).At, 10*Millisecond)
}

// BenchmarkTimelineJump100k jumps to random steps of a trace of at least
// 100,000 records; the figure to watch is ns/op (jump_100k_ms in make bench).
func BenchmarkTimelineJump100k(b *testing.B) {
	sc, err := ExampleByID("spike-async")
	if err != nil {
		b.Fatal(err)
	}
	sc.Nodes[0].Workload.Phases[2].Duration = 80 * Second
	e, err := NewEngine(sc, Options{Trace: true})
	if err != nil {
		b.Fatal(err)
	}
	e.Run()
	tl := NewTimeline(e.Scenario(), e.Trace())
	if tl.Len() < 100_000 {
		b.Fatalf("trace has %d records, want at least 100,000", tl.Len())
	}
	// Each op is 100 jumps, so that even -benchtime 3x measures enough.
	const jumps = 100
	r := rand.New(rand.NewPCG(1, 1))
	for b.Loop() {
		for range jumps {
			tl.At(r.IntN(tl.Len() + 1))
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N*jumps), "ms/jump")
}

// TestTimelineBuilderInSlices: a timeline built a slice at a time is the
// one NewTimeline builds, and its progress climbs to exactly 1.
func TestTimelineBuilderInSlices(t *testing.T) {
	for _, id := range []string{"rest-chain", "outbox", "spike-async"} {
		sc := example(t, id)
		_, e := run(t, sc)
		want := NewTimeline(e.Scenario(), e.Trace())
		for _, n := range []int{1, 7, 1000} {
			b := NewTimelineBuilder(e.Scenario(), e.Trace())
			last := -1.0
			for !b.Step(n) {
				require.Nil(t, b.Timeline(), "%s/%d: no timeline before it is ready", id, n)
				p := b.Progress()
				require.GreaterOrEqual(t, p, last, "%s/%d: progress never goes back", id, n)
				require.Less(t, p, 1.0, "%s/%d", id, n)
				last = p
			}
			require.Equal(t, 1.0, b.Progress())
			got := b.Timeline()
			require.Equal(t, want.ends, got.ends, "%s/%d: the same transits", id, n)
			require.Equal(t, want.snapshots, got.snapshots, "%s/%d: the same snapshots", id, n)
		}
	}
}

// TestTimelineSnapshotsStayLinear: with a queue thousands deep, or 200
// nodes, the snapshots together take about snapshotBytesPerRecord bytes per
// record (not a large state copied every few hundred records), and jumps
// still agree with a replay.
func TestTimelineSnapshotsStayLinear(t *testing.T) {
	ring, err := ParseScenario(mustRead(t, "testdata/heavy-async-ring.json"))
	require.NoError(t, err)
	ring.Limits.MaxEvents = 200_000
	for name, sc := range map[string]*Scenario{"a deep queue": example(t, "spike-async"), "200 nodes": ring} {
		t.Run(name, func(t *testing.T) {
			tl, _ := timeline(t, sc)
			largest, held := 0, 0
			for _, s := range tl.snapshots {
				held += s.bytes()
				largest = max(largest, s.bytes())
			}
			require.Greater(t, largest, snapshotEvery*snapshotBytesPerRecord, "the state gets large enough to matter")
			require.LessOrEqual(t, held, 2*snapshotBytesPerRecord*tl.Len()+largest, "snapshots take %d bytes for %d records", held, tl.Len())
			r := rand.New(rand.NewPCG(3, 4))
			for range 30 {
				k := r.IntN(tl.Len() + 1)
				require.Equal(t, replay(tl, k), tl.At(k).clone(), "step %d", k)
			}
		})
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return data
}

func TestRunTimelineIsTheWholeRun(t *testing.T) {
	sc, err := ExampleByID("checkout-hybrid")
	require.NoError(t, err)
	tl, e, err := RunTimeline(sc)
	require.NoError(t, err)
	r, whole := run(t, sc)
	assert.Equal(t, len(whole.Trace()), tl.Len())
	assert.Equal(t, r.TraceHash, e.TraceHash())
	assert.True(t, e.Done())

	_, _, err = RunTimeline(&Scenario{Version: 1})
	assert.Error(t, err, "an invalid scenario is refused, not run")
}

// pairWithAMap pairs recs as the timeline did before openTransits: with a
// map from transit key to the record that started it.
func pairWithAMap(recs []Record) []int32 {
	ends := make([]int32, len(recs))
	open := map[transitKey]int32{}
	for i := range recs {
		ends[i] = -1
		r := &recs[i]
		if k, ok := endsTransit(r); ok {
			if j, ok := open[k]; ok {
				ends[j] = int32(i)
				delete(open, k)
			}
		}
		if _, k, ok := startsTransit(r); ok {
			open[k] = int32(i)
		}
	}
	return ends
}

// TestTimelinePairsAsAMapDoes holds the per-message slots of openTransits
// to the map they replaced, on every example and on random topologies
// (retries, brokers, fan-out: messages with more than one transit open).
func TestTimelinePairsAsAMapDoes(t *testing.T) {
	var all []*Scenario
	for _, ex := range Examples() {
		all = append(all, ex.Scenario)
	}
	for seed := range uint64(100) {
		all = append(all, randomScenario(seed))
	}
	collided := 0
	for i, sc := range all {
		_, e := run(t, sc)
		recs := e.Trace()
		b := NewTimelineBuilder(e.Scenario(), recs)
		for range len(recs) {
			b.Step(1) // pairing only: one record a step
		}
		if b.open.more != nil {
			collided++
		}
		require.Equal(t, pairWithAMap(recs), b.t.ends[:len(recs)], "scenario %d (%s)", i, sc.Name)
	}
	t.Logf("%d of %d runs had a message with two transits open at once", collided, len(all))
}

// TestOpenTransitsKeepsTheNewestOfAKey opens and closes transits of one
// message in the orders that put a key in the map while the slot holds
// another: each take finds what a map would.
func TestOpenTransitsKeepsTheNewestOfAKey(t *testing.T) {
	a, b := transitKey{msg: 3, to: 1}, transitKey{msg: 3, to: 2, answer: true}
	var o openTransits
	ref := map[transitKey]int32{}
	put := func(k transitKey, i int32) { o.put(k, i); ref[k] = i }
	take := func(k transitKey) {
		t.Helper()
		got, ok := o.take(k)
		want, wok := ref[k]
		delete(ref, k)
		require.Equal(t, wok, ok, "take %v", k)
		require.Equal(t, want, got, "take %v", k)
	}
	put(a, 0)
	put(b, 1) // the slot holds a: b goes to the map
	take(a)
	put(b, 2) // the slot is free: b replaces the map's older b
	take(b)
	take(b) // gone: the older one must not come back
	put(a, 3)
	put(a, 4)
	take(a)
	take(a)
	take(transitKey{msg: -1, to: 1})
	put(transitKey{msg: -1, to: 1}, 5)
	take(transitKey{msg: -1, to: 1})
}

// TestTraceCopiedMidRunStaysTheRun: a trace copied while the run goes on
// (which in WASM makes the table's full chunks views of the copy), then
// copied again at the end, is the trace of a run copied once, record for
// record, through Trace and through Record.
func TestTraceCopiedMidRunStaysTheRun(t *testing.T) {
	sc := example(t, "spike-async")
	_, whole := run(t, sc)
	want := whole.Trace()
	require.Greater(t, len(want), 3*chunkSize, "a trace of several chunks")
	e, err := NewEngine(sc, Options{Trace: true})
	require.NoError(t, err)
	for !e.RunSome(7_919) {
		e.Trace() // copied, and shared, part way
	}
	got := e.Trace()
	require.Equal(t, len(want), len(got))
	for i := range want {
		require.Equal(t, want[i], got[i], "record %d", i)
		require.Equal(t, want[i], e.Record(i), "Record(%d)", i)
	}
}

// TestReservedTraceIsTheRun reserves room for the trace of spike-async
// after a pilot, as the browser does, with too little room, about the
// right room and too much, and copies it part way: the trace, each record
// and the hash stay those of a run that reserved nothing. In WebAssembly
// the records then live in the reservation (records_js.go); natively
// ReserveTrace does nothing, and the test holds the same.
func TestReservedTraceIsTheRun(t *testing.T) {
	sc := example(t, "spike-async")
	_, whole := run(t, sc)
	want := whole.Trace()
	require.Greater(t, len(want), 3*chunkSize, "a trace of several chunks")
	for _, tc := range []struct {
		name    string
		reserve int64
		partial bool
	}{
		{"too little room", int64(len(want) / 3), false},
		{"about the room", int64(len(want)), false},
		{"room to spare", int64(2 * len(want)), false},
		{"about the room, copied part way", int64(len(want)), true},
		{"too little room, copied part way", int64(len(want) / 3), true},
		{"the room ReserveTrace finds", -1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := NewEngine(sc, Options{Trace: true})
			require.NoError(t, err)
			e.RunSome(1_000) // the pilot's records are moved into the room
			if tc.reserve < 0 {
				e.ReserveTrace()
			}
			e.reserveTrace(tc.reserve)
			e.reserveTrace(tc.reserve / 2) // less than there is: nothing
			var mine []Record              // a caller's append to a trace copied part way
			for !e.RunSome(7_919) {
				if tc.partial {
					part := e.Trace()
					require.Equal(t, want[:len(part)], part)
					mine = append(part, Record{Kind: RecFail, Value: -42})
				}
			}
			if tc.partial {
				require.NotEmpty(t, mine)
				assert.Equal(t, int64(-42), mine[len(mine)-1].Value, "the run does not write over what a caller appended to its trace")
			}
			got := e.Trace()
			require.Equal(t, len(want), len(got))
			for i := range want {
				require.Equal(t, want[i], got[i], "record %d", i)
				require.Equal(t, want[i], e.Record(i), "Record(%d)", i)
			}
			assert.Equal(t, whole.TraceHash(), e.TraceHash())
			if tc.reserve < 0 {
				_, ok := e.trace.contiguous()
				assert.Equal(t, runtime.GOOS == "js", ok, "in WebAssembly the run fits the room ReserveTrace found")
			}
		})
	}
}

// TestTimelineOfARunPartWay builds a timeline from the trace of a run that
// is still going (at the end of a RunSome, between events), as the
// playground does to let a learner step through the start of a long run
// while the rest of it runs: at every step it has, its state is the whole
// run's, except that a message whose arrival is still to come has no
// arrival yet (its end is its start, its end step -1) rather than the one
// the whole run finds later.
func TestTimelineOfARunPartWay(t *testing.T) {
	for _, ex := range Examples() {
		t.Run(ex.ID, func(t *testing.T) {
			sc := ex.Scenario
			_, whole := run(t, sc)
			full := NewTimeline(sc, whole.Trace())
			e, err := NewEngine(sc, Options{Trace: true})
			require.NoError(t, err)
			cuts := 0
			for _, n := range []int{1, 97, 1_009, 7_919} {
				if e.RunSome(n) {
					break
				}
				part := e.Trace()
				require.Less(t, len(part), full.Len(), "a run part way has fewer steps")
				early := NewTimeline(sc, part)
				require.Equal(t, len(part), early.Len())
				for step := 0; step <= early.Len(); step++ {
					want := full.At(step).clone()
					for i := range want.InFlight {
						if tr := &want.InFlight[i]; tr.EndStep > len(part) {
							tr.End, tr.EndStep = tr.Start, -1
						}
					}
					got := early.At(step)
					require.Equal(t, *want, *got, "%s: state at step %d of %d, the run part way", ex.ID, step, len(part))
				}
				cuts++
			}
			require.Positive(t, cuts, "%s ran past its first event", ex.ID)
		})
	}
}
