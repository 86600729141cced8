package core

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNotableStepsListTheTroubleOfARun(t *testing.T) {
	t.Run("the timeout of grpc-deadline", func(t *testing.T) {
		tl, _ := timeline(t, example(t, "grpc-deadline"))
		steps := NotableSteps(tl)
		require.NotEmpty(t, steps)
		assert.Equal(t, RecTimeout, tl.Record(int(steps[0])-1).Kind, "the first notable step of grpc-deadline")
	})
	t.Run("nothing in a run where nothing goes wrong", func(t *testing.T) {
		tl, _ := timeline(t, example(t, "rest-chain"))
		assert.Empty(t, NotableSteps(tl))
	})
	t.Run("duplicates, whether skipped or handled again", func(t *testing.T) {
		assert.True(t, Notable(&Record{Kind: RecSkip}))
		assert.True(t, Notable(&Record{Kind: RecStart, Reason: ReasonDuplicate}))
		assert.False(t, Notable(&Record{Kind: RecStart}))
	})
	t.Run("every notable record, and only those, in order", func(t *testing.T) {
		kinds := map[RecordKind]bool{}
		for _, id := range []string{"dlq-poison", "lost-ack", "grpc-deadline", "spike-sync"} {
			tl, _ := timeline(t, example(t, id))
			var want []int32
			for i := range tl.Len() {
				switch r := tl.Record(i); r.Kind {
				case RecTimeout, RecFail, RecCrash, RecRedeliver, RecDeadLetter, RecLost, RecSkip:
					want = append(want, int32(i+1))
					kinds[r.Kind] = true
				case RecStart:
					if r.Reason == ReasonDuplicate {
						want = append(want, int32(i+1))
					}
				}
			}
			require.Equal(t, want, NotableSteps(tl), id)
		}
		assert.GreaterOrEqual(t, len(kinds), 3, "the runs tried show several notable kinds: %v", kinds)
	})
}

func TestNextAndPrevStepAgreeWithALinearSearch(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		var steps []int32
		s := 0
		for range r.IntN(20) {
			s += 1 + r.IntN(5)
			steps = append(steps, int32(s))
		}
		for step := 0; step <= s+2; step++ {
			next, nextOK, prev, prevOK, upTo := step, false, step, false, 0
			for _, v := range steps {
				if int(v) > step && !nextOK {
					next, nextOK = int(v), true
				}
				if int(v) < step {
					prev, prevOK = int(v), true
				}
				if int(v) <= step {
					upTo++
				}
			}
			n, ok := NextStep(steps, step)
			require.Equal(t, []any{next, nextOK}, []any{n, ok}, "next after %d in %v", step, steps)
			p, ok := PrevStep(steps, step)
			require.Equal(t, []any{prev, prevOK}, []any{p, ok}, "previous before %d in %v", step, steps)
			require.Equal(t, upTo, CountUpTo(steps, step), "how many of %v are at most %d", steps, step)
		}
	}
}

func TestFilterPicksTheRecordsThatMatch(t *testing.T) {
	tl, _ := timeline(t, example(t, "dlq-poison"))
	all := LogFilter{Req: -1, Node: -1, Kind: -1}
	assert.True(t, all.None())
	assert.Len(t, tl.Filter(all), tl.Len(), "no filter picks every step")
	for _, f := range []LogFilter{
		{Req: 3, Node: -1, Kind: -1},
		{Req: -1, Node: 1, Kind: -1},
		{Req: -1, Node: -1, Kind: int(RecFail)},
		{Req: 2, Node: 1, Kind: int(RecArrive)},
		{Req: -1, Node: -1, Kind: -1, Notable: true},
		{Req: 100000, Node: -1, Kind: -1},
	} {
		assert.False(t, f.None())
		var want []int32
		for i := range tl.Len() {
			r := tl.Record(i)
			if (f.Req < 0 || r.Req == f.Req) && (f.Node < 0 || r.Node == f.Node || r.From == f.Node || r.To == f.Node) &&
				(f.Kind < 0 || int(r.Kind) == f.Kind) && (!f.Notable || Notable(r)) {
				want = append(want, int32(i+1))
			}
		}
		assert.Equal(t, want, tl.Filter(f), "%+v", f)
	}
	assert.NotEmpty(t, tl.Filter(LogFilter{Req: 3, Node: -1, Kind: -1}), "request 3 has records")
}

// TestRequestRecordsBoundEveryRecordOfARequest checks, for every example,
// that RequestRecords brackets each request's records tightly (the first
// and last it names are the request's own) and says no for a request
// without records.
func TestRequestRecordsBoundEveryRecordOfARequest(t *testing.T) {
	for _, ex := range Examples() {
		tl, _ := timeline(t, ex.Scenario)
		first, last := map[int32]int{}, map[int32]int{}
		for i := range tl.Len() {
			q := tl.Record(i).Req
			if q < 0 {
				continue
			}
			if _, ok := first[q]; !ok {
				first[q] = i
			}
			last[q] = i
		}
		require.NotEmpty(t, first, ex.ID)
		for q, f := range first {
			gotFirst, gotLast, ok := tl.RequestRecords(q)
			require.True(t, ok, "%s request %d", ex.ID, q)
			assert.Equal(t, f, gotFirst, "%s request %d", ex.ID, q)
			assert.Equal(t, last[q], gotLast, "%s request %d", ex.ID, q)
		}
		for _, q := range []int32{-1, int32(len(first)) + 1000} {
			_, _, ok := tl.RequestRecords(q)
			assert.False(t, ok, "%s request %d has no records", ex.ID, q)
		}
	}
}
