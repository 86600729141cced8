package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sliceSizes are the slice sizes the tests run in: one event at a time, an
// odd size that ends slices anywhere, and a page-sized one.
var sliceSizes = []int{1, 7, 1000}

// slicedScenarios are every built-in example, plus runs that end by the
// clock and by the event limit rather than by running out of work.
func slicedScenarios(t *testing.T) map[string]*Scenario {
	out := map[string]*Scenario{}
	for _, ex := range Examples() {
		out[ex.ID] = ex.Scenario
	}
	until := example(t, "spike-async")
	until.Until = 25 * Second
	out["spike-async until 25s"] = until
	limited := example(t, "spike-sync")
	limited.Limits.MaxEvents = 5000
	out["spike-sync event limit"] = limited
	return out
}

// runInSlices runs sc in slices of n events, checking after each slice
// that Progress never goes down, stays below 1 until the run ends and is
// exactly 1 after. It returns the engine and every progress seen.
func runInSlices(t *testing.T, sc *Scenario, opt Options, n int) (*Engine, []float64) {
	t.Helper()
	e, err := NewEngine(sc, opt)
	require.NoError(t, err)
	progress := []float64{e.Progress()}
	for slices := 0; ; slices++ {
		require.Less(t, slices, 10_000_000, "RunSome never reported done")
		before := e.Events()
		done := e.RunSome(n)
		require.LessOrEqual(t, e.Events()-before, int64(n), "RunSome(%d) ran more events than asked", n)
		p := e.Progress()
		require.GreaterOrEqual(t, p, progress[len(progress)-1], "progress went down after slice %d", slices)
		progress = append(progress, p)
		require.Equal(t, e.Done(), done)
		if done {
			break
		}
		require.Less(t, p, 1.0, "progress is 1 before the run has ended")
	}
	require.Equal(t, 1.0, progress[len(progress)-1])
	assert.True(t, e.RunSome(n), "a finished run stays finished")
	return e, progress
}

func TestRunSomeInSlicesEndsExactlyAsFinish(t *testing.T) {
	for id, sc := range slicedScenarios(t) {
		for _, opt := range []Options{{Trace: true}, {}} {
			whole, err := NewEngine(sc, opt)
			require.NoError(t, err)
			whole.Finish()
			want := whole.Report()
			wantJSON, err := json.Marshal(want)
			require.NoError(t, err)
			for _, n := range sliceSizes {
				t.Run(fmt.Sprintf("%s/trace=%v/n=%d", id, opt.Trace, n), func(t *testing.T) {
					e, _ := runInSlices(t, sc, opt, n)
					got := e.Report()
					assert.Equal(t, whole.TraceHash(), e.TraceHash())
					if opt.Trace {
						assert.NotEmpty(t, e.TraceHash())
						assert.Equal(t, whole.Trace(), e.Trace())
					}
					assert.Equal(t, want, got)
					gotJSON, err := json.Marshal(got)
					require.NoError(t, err)
					assert.JSONEq(t, string(wantJSON), string(gotJSON))
					assert.Equal(t, whole.Now(), e.Now())
					r1, d1 := whole.Stopped()
					r2, d2 := e.Stopped()
					assert.Equal(t, r1, r2)
					assert.Equal(t, d1, d2)
				})
			}
		}
	}
	t.Run("the extra runs end the way they are meant to", func(t *testing.T) {
		sc := slicedScenarios(t)
		r, _ := run(t, sc["spike-async until 25s"])
		assert.Equal(t, StopTime, r.Stop)
		r, _ = run(t, sc["spike-sync event limit"])
		assert.Equal(t, StopEventLimit, r.Stop)
	})
}

func TestRunSomeDoesAtLeastOneEvent(t *testing.T) {
	e, err := NewEngine(example(t, "rest-chain"), Options{})
	require.NoError(t, err)
	assert.False(t, e.RunSome(0))
	assert.EqualValues(t, 1, e.Events(), "RunSome(0) counts as 1, so a loop over it ends")
	assert.False(t, e.RunSome(-5))
	assert.EqualValues(t, 2, e.Events())
}

func TestProgress(t *testing.T) {
	t.Run("follows the share of planned requests sent", func(t *testing.T) {
		sc := example(t, "mm1") // poisson with a count and no end
		e, err := NewEngine(sc, Options{})
		require.NoError(t, err)
		assert.Zero(t, e.Progress())
		count := float64(sc.Nodes[0].Workload.Count)
		for !e.RunSome(997) {
			sent := float64(e.nodes[0].sent)
			assert.InDelta(t, min(sent/count, almostDone), e.Progress(), 1e-12)
		}
		assert.Equal(t, 1.0, e.Progress())
	})

	t.Run("a schedule counts the requests its phases are expected to send", func(t *testing.T) {
		// Not their time: a spike's quiet start is most of its time and
		// little of its work, and Estimate scales the pilot by this share.
		sc := example(t, "spike-async") // phases of 60s, no count
		var expected float64
		for _, p := range sc.Nodes[sc.NodeIndex("shoppers")].Workload.Phases {
			expected += p.Rate * p.Duration.Seconds()
		}
		e, err := NewEngine(sc, Options{})
		require.NoError(t, err)
		behindTheClock := false
		for !e.RunSome(500) {
			sent := float64(e.nodes[sc.NodeIndex("shoppers")].sent)
			assert.InDelta(t, min(sent/expected, 1, almostDone), e.Progress(), 1e-12)
			behindTheClock = behindTheClock || e.Progress() < e.Now().Seconds()/60-0.1
		}
		assert.True(t, behindTheClock, "during the quiet start the work done lags the time passed")
	})

	t.Run("follows the clock when until comes first", func(t *testing.T) {
		sc := example(t, "mm1")
		sc.Until = 100 * Second // the workload would take far longer
		e, err := NewEngine(sc, Options{})
		require.NoError(t, err)
		var seen []float64
		for !e.RunSome(5) {
			p := e.Progress()
			assert.InDelta(t, min(e.Now().Seconds()/100, almostDone), p, 1e-12)
			seen = append(seen, p)
		}
		require.NotEmpty(t, seen)
		assert.Equal(t, almostDone, seen[len(seen)-1], "the last slice is past 99s of 100s")
		assert.Equal(t, 1.0, e.Progress())
	})

	t.Run("a run heading for its event limit reports the share used", func(t *testing.T) {
		sc := example(t, "mm1")
		sc.Limits.MaxEvents = 4000 // of about 80,000
		e, err := NewEngine(sc, Options{})
		require.NoError(t, err)
		e.RunSome(2000)
		assert.InDelta(t, 0.5, e.Progress(), 1e-12)
	})

	t.Run("goes through the middle, not from 0 to 1 at the end", func(t *testing.T) {
		for id, sc := range slicedScenarios(t) {
			_, progress := runInSlices(t, sc, Options{}, 50)
			if len(progress) < 10 {
				continue // a few events: nothing to show
			}
			mid := 0
			for _, p := range progress {
				if p > 0.2 && p < 0.8 {
					mid++
				}
			}
			assert.Positive(t, mid, "%s: progress %v", id, progress)
		}
	})
}

func TestPlanWorkload(t *testing.T) {
	cases := []struct {
		name   string
		w      Workload
		count  int
		end    Duration
		weight float64
	}{
		{"single", Workload{Type: Single, At: Second}, 1, 0, 1},
		{"poisson count", Workload{Type: Poisson, Rate: 10, Count: 500}, 500, 0, 500},
		{"poisson duration", Workload{Type: Poisson, Rate: 10, Duration: 30 * Second}, 0, 30 * Second, 300},
		{"poisson both, count first", Workload{Type: Poisson, Rate: 10, Count: 100, Duration: 30 * Second}, 100, 30 * Second, 100},
		{"schedule", Workload{Type: Schedule, Phases: []RatePhase{{Duration: 10 * Second, Rate: 5}, {Duration: 20 * Second, Rate: 0}}}, 0, 30 * Second, 50},
		{"closed count", Workload{Type: Closed, Users: 4, Count: 25, Think: Exp(Second)}, 100, 0, 100},
		{"closed duration", Workload{Type: Closed, Users: 4, Duration: 10 * Second, Think: Fixed(Second)}, 0, 10 * Second, 40},
		{"open-ended", Workload{Type: Poisson, Rate: 10}, 0, 0, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pl := planWorkload(&c.w)
			assert.Equal(t, c.count, pl.count)
			assert.Equal(t, c.end, pl.end)
			assert.InDelta(t, c.weight, pl.weight, 1e-9)
		})
	}
}

func TestOpenEndedWorkloadReportsOnlyByTime(t *testing.T) {
	// Validation refuses an open-ended workload, so make one behind its back.
	sc := example(t, "mm1")
	e, err := NewEngine(sc, Options{})
	require.NoError(t, err)
	e.nodes[0].wl = &Workload{Type: Poisson, Rate: sc.Nodes[0].Workload.Rate}
	e.RunSome(1000)
	assert.Equal(t, float64(e.Events())/float64(e.maxEvents), e.Progress(),
		"no count, no end, no until: nothing to measure against but the event limit")
	e.sc.Until = 2 * e.Now()
	assert.InDelta(t, 0.5, e.Progress(), 1e-12)
}

// compareInSlices runs a CompareJob in slices of n events, checking that
// it goes through every stage in order, that Progress never goes down and
// ends at exactly 1, and that there is no result before the end.
func compareInSlices(t *testing.T, a, b *Scenario, n, seeds int) *Comparison {
	t.Helper()
	j, err := NewCompareJob(a, b)
	require.NoError(t, err)
	j.seeds = seeds // fewer than NoiseSeeds, to keep slices of 1 event quick
	stages := []string{j.Stage()}
	last := j.Progress()
	assert.Zero(t, last)
	for steps := 0; ; steps++ {
		require.Less(t, steps, 10_000_000, "Step never reported done")
		require.Nil(t, j.Result())
		done, err := j.Step(n)
		require.NoError(t, err)
		p := j.Progress()
		require.GreaterOrEqual(t, p, last, "progress went down in stage %q", j.Stage())
		last = p
		if s := j.Stage(); s != stages[len(stages)-1] {
			stages = append(stages, s)
		}
		if done {
			break
		}
		require.Less(t, p, 1.0)
	}
	assert.Equal(t, 1.0, j.Progress())
	want := []string{"running A", "running B", "A with an outage", "B with an outage"}
	for k := 2; k <= seeds; k++ {
		for _, s := range want[:4] {
			want = append(want, fmt.Sprintf("seed %d of %d: %s", k, seeds, s))
		}
	}
	assert.Equal(t, append(want, "measuring", "done"), stages)
	done, err := j.Step(n)
	assert.True(t, done)
	assert.NoError(t, err)
	require.NotNil(t, j.Result())
	return j.Result()
}

func TestCompareJobInSlicesGivesCompares(t *testing.T) {
	pairs := map[string][2]*Scenario{
		"spike": {example(t, "spike-sync"), example(t, "spike-async")},
	}
	for _, id := range []string{"rest-chain", "message-queue", "dlq-poison", "api-gateway"} {
		sc := example(t, id)
		other, err := Counterpart(sc)
		require.NoError(t, err)
		pairs[id] = [2]*Scenario{sc, other}
	}
	for id, p := range pairs {
		j, err := NewCompareJob(p[0], p[1])
		require.NoError(t, err)
		j.seeds = 2
		for done := false; !done; {
			done, err = j.Step(math.MaxInt)
			require.NoError(t, err)
		}
		want := j.Result()
		for _, n := range sliceSizes {
			t.Run(fmt.Sprintf("%s/n=%d", id, n), func(t *testing.T) {
				got := compareInSlices(t, p[0], p[1], n, 2)
				assert.Equal(t, want, got)
			})
		}
	}
}

func TestCompareJobProgressWeighsRunsByPlannedRequests(t *testing.T) {
	// A compared with a workload ten times larger: A's two runs are a
	// small part of the work.
	a := example(t, "mm1")
	a.Nodes[0].Workload.Count = 100
	b := example(t, "mm1")
	b.Nodes[0].Workload.Count = 1000
	j, err := NewCompareJob(a, b)
	require.NoError(t, err)
	for j.Stage() == "running A" {
		_, err := j.Step(1_000_000)
		require.NoError(t, err)
	}
	// Until the first seed's runs are done, the job plans on every seed.
	assert.InDelta(t, 100.0/(NoiseSeeds*2200), j.Progress(), 1e-12)
	for j.Stage() == "running B" {
		_, err := j.Step(1_000_000)
		require.NoError(t, err)
	}
	assert.InDelta(t, 1100.0/(NoiseSeeds*2200), j.Progress(), 1e-12)
}

func TestCompareJobKeepsItsOwnCopies(t *testing.T) {
	a, b := example(t, "spike-sync"), example(t, "spike-async")
	want, err := Compare(a, b)
	require.NoError(t, err)
	j, err := NewCompareJob(a, b)
	require.NoError(t, err)
	a.Nodes[1].Concurrency, b.Seed = 1, 99
	for done := false; !done; {
		done, err = j.Step(5000)
		require.NoError(t, err)
	}
	assert.Equal(t, want, j.Result())
}

func TestCompareJobRefusesInvalidScenarios(t *testing.T) {
	bad := func() *Scenario {
		sc := example(t, "spike-sync")
		sc.Nodes[1].Concurrency = -1
		return sc
	}
	good := example(t, "spike-async")
	for _, c := range []struct {
		name   string
		a, b   *Scenario
		prefix string
	}{
		{"first", bad(), good, "first scenario: "},
		{"second", good, bad(), "second scenario: "},
	} {
		t.Run(c.name, func(t *testing.T) {
			j, err := NewCompareJob(c.a, c.b)
			require.Error(t, err)
			assert.Nil(t, j)
			assert.ErrorContains(t, err, c.prefix+"nodes[1].concurrency")
			var fields Errors
			require.True(t, errors.As(err, &fields), "the field errors are kept: %v", err)
			assert.Equal(t, "nodes[1].concurrency", fields[0].Field)
			_, cerr := Compare(c.a, c.b)
			assert.Equal(t, err.Error(), cerr.Error(), "Compare reports it the same way")
		})
	}
}

func TestHashAndCopyInSlicesEqualOneGo(t *testing.T) {
	for _, ex := range Examples() {
		t.Run(ex.ID, func(t *testing.T) {
			one, err := NewEngine(ex.Scenario, Options{Trace: true})
			require.NoError(t, err)
			one.Finish()
			sliced, err := NewEngine(ex.Scenario, Options{Trace: true})
			require.NoError(t, err)
			sliced.Finish()
			for !sliced.HashSome(7) {
			}
			for !sliced.CopySome(13) {
			}
			require.Equal(t, hashTrace(&one.trace), sliced.TraceHash())
			require.Equal(t, one.Trace(), sliced.Trace())
		})
	}
}

// The hash is computed as records are emitted; it must equal the digest
// of the finished trace, computed in one go or in slices of any size, and
// that of a run that hashes without keeping the trace, stepped or run in
// slices of events.
func TestStreamedHashEqualsTheFinishedTracesHash(t *testing.T) {
	for _, ex := range Examples() {
		t.Run(ex.ID, func(t *testing.T) {
			e, err := NewEngine(ex.Scenario, Options{Trace: true})
			require.NoError(t, err)
			r := e.Run()
			require.NotEmpty(t, r.TraceHash)
			assert.Equal(t, hashTrace(&e.trace), r.TraceHash, "in one go")
			assert.Equal(t, e.trace.len(), r.TraceLen)
			for _, slice := range []int{1, 7, 4096} {
				var th traceHasher
				for !th.add(&e.trace, int32(e.trace.len()), slice) {
				}
				assert.Equal(t, r.TraceHash, th.sum(), "in slices of %d records", slice)
			}

			// Hashed, not kept, run in slices of events.
			h, err := NewEngine(ex.Scenario, Options{Hash: true})
			require.NoError(t, err)
			for !h.RunSome(97) {
			}
			hr := h.Report()
			assert.Equal(t, r.TraceHash, hr.TraceHash, "hashed without keeping the trace")
			assert.Equal(t, r.TraceLen, hr.TraceLen)
			assert.Empty(t, h.Trace())

			// Stepped: the records Step returns are the trace's.
			s, err := NewEngine(ex.Scenario, Options{Hash: true})
			require.NoError(t, err)
			var th traceHasher
			var stepped []Record
			for {
				recs, ok := s.Step()
				if !ok {
					break
				}
				for i := range recs {
					th.record(&recs[i])
				}
				stepped = append(stepped, recs...)
			}
			assert.Equal(t, r.TraceHash, th.sum(), "stepped")
			require.Equal(t, stepped, e.Trace(), "the kept trace, packed and unpacked, is the records as made")
			assert.Equal(t, r.TraceHash, s.TraceHash())
		})
	}
}

// The digest tells apart traces that differ in any one field of one record.
func TestTraceHashSeesEveryField(t *testing.T) {
	base := Record{At: 5, Kind: RecSend, Node: 1, From: 1, To: 2, Msg: 3, Req: 4, Attempt: 1, Mode: CallSync, Partition: -1, Offset: -1, Value: 9}
	variants := []func(*Record){
		func(r *Record) { r.At++ }, func(r *Record) { r.Kind++ }, func(r *Record) { r.Node++ },
		func(r *Record) { r.From++ }, func(r *Record) { r.To++ }, func(r *Record) { r.Msg++ },
		func(r *Record) { r.Req++ }, func(r *Record) { r.Attempt++ }, func(r *Record) { r.Mode++ },
		func(r *Record) { r.Reason++ }, func(r *Record) { r.Partition++ }, func(r *Record) { r.Offset++ },
		func(r *Record) { r.Value++ },
	}
	digest := func(rs ...Record) string {
		var th traceHasher
		for i := range rs {
			th.record(&rs[i])
		}
		return th.sum()
	}
	seen := map[string]int{digest(base): -1, digest(): -2, digest(base, base): -3}
	require.Len(t, seen, 3)
	for i, change := range variants {
		r := base
		change(&r)
		h := digest(r)
		_, dup := seen[h]
		assert.False(t, dup, "variant %d hashes like another", i)
		seen[h] = i
	}
}

// TestMostRequestsBoundsPoissonArrivals runs Poisson arrivals over a
// time, and a schedule of phases, with 300 seeds each: the requests sent
// exceed the planned (expected) count in about half the runs, and
// mostRequests (mean + 3 standard deviations) in at most a few, as a
// Poisson count exceeds it about once in 700 runs.
func TestMostRequestsBoundsPoissonArrivals(t *testing.T) {
	for _, w := range []Workload{
		{Type: Poisson, Rate: 100, Duration: 4 * Second},
		{Type: Schedule, Phases: []RatePhase{{Rate: 50, Duration: 2 * Second}, {Rate: 400, Duration: Second}, {Rate: 20, Duration: 3 * Second}}},
	} {
		sc := &Scenario{
			Version: FormatVersion, Name: "arrivals",
			Nodes: []Node{
				{ID: "users", Kind: Client, Workload: &w},
				{ID: "server", Kind: Service, Concurrency: 1000, ServiceTime: Fixed(Millisecond)},
			},
			Edges: []Edge{{From: "users", To: "server", Mode: Sync}},
		}
		planned, most := plannedRequests(sc), mostRequests(sc)
		require.InDelta(t, planned+3*math.Sqrt(planned), most, 1e-9, "%s: planned %v", w.Type, planned)
		overPlanned, overMost := 0, 0
		for seed := range uint64(300) {
			sc.Seed = seed + 1
			e, err := NewEngine(sc, Options{})
			require.NoError(t, err)
			sent := float64(e.Run().Requests.Started)
			if sent > planned {
				overPlanned++
			}
			if sent > most {
				overMost++
			}
		}
		assert.Greater(t, overPlanned, 100, "%s: runs that sent more than planned", w.Type)
		assert.LessOrEqual(t, overMost, 3, "%s: runs that sent more than mostRequests", w.Type)
	}
}

// TestReserveTraceFitsASpike is the sandbox's traffic spike of 100,000
// requests (spike-async at 14 times its rates): the room ReserveTrace
// finds after the pilot holds the whole trace, which the planned count
// (91,000 requests; 91,530 were sent) left 4,500 records short, so the
// browser had to copy 1.1M records at the end.
func TestReserveTraceFitsASpike(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("1.1M records: the room is the same number natively")
	}
	sc := example(t, "spike-async")
	w := sc.Nodes[sc.NodeIndex("shoppers")].Workload
	for i := range w.Phases {
		w.Phases[i].Rate *= 14
	}
	w.Count = 100_000
	e, err := NewEngine(sc, Options{Trace: true})
	require.NoError(t, err)
	e.RunSome(PilotEvents)
	room := e.traceRoom()
	e.Finish()
	assert.GreaterOrEqual(t, room, int64(e.TraceLen()), "the room for the trace holds it")
	assert.Less(t, room, int64(3*e.TraceLen()), "and not thrice over")
}
