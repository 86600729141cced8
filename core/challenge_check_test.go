package core

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// spike is the built-in challenge 2.
func spike(t *testing.T) *Challenge {
	t.Helper()
	ch, err := ChallengeByID("spike")
	require.NoError(t, err)
	return ch
}

// resultOf returns the verdict's result of the check on figure (and node).
func resultOf(t *testing.T, v *Verdict, figure string) CheckResult {
	t.Helper()
	for _, r := range v.Results {
		if r.Check.Figure == figure {
			return r
		}
	}
	t.Fatalf("no result for %q", figure)
	return CheckResult{}
}

// Challenge 2 is the issue's: no request fails and the p99 stays within the
// shoppers' deadline with at most 6 workers. Adding workers past the budget
// meets every goal but the cost, so it stays unsolved; a queue within the
// budget solves it.
func TestTheSpikeIsSolvedByAQueueNotByWorkersPastTheBudget(t *testing.T) {
	ch := spike(t)
	require.Equal(t, 6, ch.Budget.Workers)
	deadline := ch.Start.Nodes[ch.Start.NodeIndex("shoppers")].Timeout
	p99 := ch.Checks[1]
	require.Equal(t, "user p99", p99.Figure)
	assert.Equal(t, deadline.Milliseconds(), p99.Bound, "the p99's bound is the shoppers' deadline")
	assert.Contains(t, ch.GoalText(), "within 1,000 ms (their deadline), with at most 6 workers")

	more := ch.Start.Clone()
	more.Nodes[more.NodeIndex("orders")].Concurrency = 40
	v := evaluate(t, ch, more)
	assert.False(t, v.Passed)
	for _, r := range v.Results {
		assert.Equal(t, !r.Cost, r.Pass, "every goal but the cost passes with 40 workers: %s", r.Text)
	}
	cost := resultOf(t, v, "workers")
	assert.True(t, cost.Cost)
	assert.Equal(t, 40.0, cost.Measured)
	assert.Equal(t, "cost: workers: 40 workers (goal: at most 6 workers)", cost.Text)
	assert.Equal(t, []CheckResult{cost}, ch.CostOf(more), "the meter needs no run")

	// Through a queue, with the same 6 workers: the editing operations.
	queued := ch.Start.Clone()
	q := queued.AddNode(Queue, Pos{})
	require.True(t, queued.RemoveEdge(0))
	require.NoError(t, queued.Connect("shoppers", q, ""))
	require.NoError(t, queued.Connect(q, "orders", Async))
	v = evaluate(t, ch, queued)
	assert.True(t, v.Passed, strings.Join(v.Lines(), "\n"))
	assert.Equal(t, []uint64{3, 4, 5}, v.Seeds)
}

// The worst seed is the one a verdict shows: a check that passes on one
// seed and fails on another fails.
func TestAVerdictShowsTheWorstSeed(t *testing.T) {
	ch := spike(t)
	var per []float64
	for _, seed := range ch.Seeds {
		sc := ch.Solution.Clone()
		sc.Seed = seed
		r, _ := run(t, sc)
		per = append(per, r.UserLatency.P99.Milliseconds())
	}
	v := evaluate(t, ch, ch.Solution)
	got := resultOf(t, v, "user p99")
	assert.Equal(t, max(per[0], per[1], per[2]), got.Measured)
	assert.Contains(t, ch.Seeds, got.Seed)
	require.NotEqual(t, per[0], per[1], "the seeds differ")

	// A bound between the best and the worst seed fails.
	ch.Checks[1].Bound = (min(per[0], per[1], per[2]) + max(per[0], per[1], per[2])) / 2
	v = evaluate(t, ch, ch.Solution)
	assert.False(t, resultOf(t, v, "user p99").Pass)
	assert.False(t, v.Passed)
}

func TestChallengeValidationNamesTheField(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(ch *Challenge)
		field string
		msg   string
	}{
		{"unknown figure", func(ch *Challenge) { ch.Checks[2].Figure = "p999" }, "checks[2].figure", `unknown figure "p999"; known: user p50, user p95`},
		{"no figure", func(ch *Challenge) { ch.Checks[0].Figure = "" }, "checks[0].figure", "is required; known: user p50"},
		{"unknown node", func(ch *Challenge) { ch.Checks[2].Node = "ordres" }, "checks[2].node", `"ordres" is not a node of the starting scenario; its nodes are shoppers, orders`},
		{"node required", func(ch *Challenge) { ch.Checks[2].Node = "" }, "checks[2].node", `is required: the figure "arrivals per request" is about one node`},
		{"node not for the figure", func(ch *Challenge) { ch.Checks[1].Node = "orders" }, "checks[1].node", `does not apply to the figure "user p99"`},
		{"bad op", func(ch *Challenge) { ch.Checks[1].Op = "<" }, "checks[1].op", `"<" is not a comparison: use "<=", ">=" or "=="`},
		{"no op", func(ch *Challenge) { ch.Checks[1].Op = "" }, "checks[1].op", `is required`},
		{"huge bound", func(ch *Challenge) { ch.Checks[1].Bound = 1e300 }, "checks[1].bound", "must be a number between -1e15 and 1e15"},
		{"edge end", func(ch *Challenge) {
			ch.Checks = append(ch.Checks, Check{Figure: "edges", From: "shoppers", To: "nowhere", Op: AtLeast, Bound: 1})
		}, "checks[4].to", `"nowhere" is not a node of the starting scenario`},
		{"bad mode", func(ch *Challenge) { ch.Checks = append(ch.Checks, Check{Figure: "edges", Mode: "maybe", Op: AtLeast}) }, "checks[4].mode", `"maybe" is not a mode`},
		{"bad kind", func(ch *Challenge) { ch.Checks = append(ch.Checks, Check{Figure: "nodes", Kind: "cache", Op: AtLeast}) }, "checks[4].kind", `"cache" is not a node kind`},
		{"locked node", func(ch *Challenge) { ch.Locks.Nodes = []string{"orders", "db"} }, "locks.nodes[1]", `"db" is not a node of the starting scenario`},
		{"goal reference", func(ch *Challenge) { ch.Goal = "p99 within {7}" }, "goal", "{7} stands for nothing: use {0} to {3}"},
		{"budget", func(ch *Challenge) { ch.Budget.Workers = -1 }, "budget.workers", "must not be negative"},
		{"seeds", func(ch *Challenge) { ch.Seeds = []uint64{3, 4, 3} }, "seeds[2]", "3 is listed twice"},
		{"hint", func(ch *Challenge) { ch.Hints[1] = " " }, "hints[1]", "is empty"},
		{"title", func(ch *Challenge) { ch.Title = "" }, "title", "is required"},
		{"version", func(ch *Challenge) { ch.Version = 2 }, "version", "must be between 1 and 1, got 2"},
		{"start", func(ch *Challenge) { ch.Start.Nodes[1].Concurrency = -3 }, "start.nodes[1].concurrency", ""},
		{"no start", func(ch *Challenge) { ch.Start = nil }, "start", "is required"},
		{"solution changes a lock", func(ch *Challenge) { ch.Solution.Nodes[0].Timeout = 0 }, "solution.nodes[0].timeout", "is locked"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ch := spike(t)
			c.edit(ch)
			err := ch.Validate()
			require.Error(t, err)
			var errs Errors
			require.True(t, errors.As(err, &errs))
			var found bool
			for _, e := range errs {
				if e.Field == c.field {
					found = true
					assert.Contains(t, e.Message, c.msg)
				}
			}
			assert.True(t, found, "no error names %s: %v", c.field, err)
		})
	}
}

// A challenge file's JSON is read strictly, each error naming its field.
func TestParseChallengeNamesTheField(t *testing.T) {
	for _, c := range []struct{ json, want string }{
		{`{"version": 1, "title": "x", "checks": [], "colour": 1}`, "colour: is not a known field"},
		{`{"version": 1, "title": "x", "checks": [{"figure": "lost", "op": "<=", "bound": "none"}]}`, "checks[0].bound: want a number"},
		{`{"version": 1, "title": "x", "start": {"version": 1, "nodes": [{"id": "a", "kind": "client", "speed": 3}]}}`, "start.nodes[0].speed: is not a known field"},
		{`{"version": 1, "title": "x", "title": "y"}`, "title: appears twice"},
		{`{"version": 1,`, "challenge: is cut off"},
		{strings.Repeat(" ", MaxChallengeBytes+1), "challenge: is "},
	} {
		_, err := ParseChallenge([]byte(c.json))
		require.Error(t, err, c.json)
		assert.Contains(t, err.Error(), c.want)
	}
}

// Locks refuse an edit through the editing operations, naming what is
// locked; what is not locked stays editable; a label or a position is free.
func TestLocksRefuseEditsNamingWhatIsLocked(t *testing.T) {
	ch, err := ChallengeByID("outbox") // the workload, the faults, the broker and the consumer
	require.NoError(t, err)
	sc := ch.Start
	refused := []struct {
		name  string
		edit  func(sc *Scenario) error
		field string
		msg   string
	}{
		{"the client's workload", func(sc *Scenario) error {
			next, err := SetField(sc, "nodes[0].workload.rate", "80")
			if err == nil {
				*sc = *next
			}
			return err
		}, "nodes[0].workload", `is locked: the challenge does not let the client "users" change`},
		{"removing the client", func(sc *Scenario) error { sc.RemoveNode("users"); return nil }, "nodes", `the client "users" is locked by the challenge: it cannot be removed or renamed`},
		{"renaming a locked node", func(sc *Scenario) error { return sc.RenameNode("broker", "kafka") }, "nodes", `the node "broker" is locked`},
		{"a locked node's field", func(sc *Scenario) error { sc.Nodes[4].Concurrency = 40; return nil }, "nodes[4].concurrency", `the node "consumer"`},
		{"a new client", func(sc *Scenario) error { sc.AddNode(Client, Pos{}); return nil }, "nodes[5]", "no client can be added"},
		{"a new fault", func(sc *Scenario) error { _, err := sc.AddFault(Crash, "orders"); return err }, "faults", "the challenge's fault schedule cannot be changed"},
		{"removing the fault", func(sc *Scenario) error { sc.RemoveFault(0); return nil }, "faults", "fault schedule"},
		{"changing the fault", func(sc *Scenario) error {
			next, err := SetField(sc, "faults[0].until", "3s")
			if err == nil {
				*sc = *next
			}
			return err
		}, "faults[0]", "fault schedule"},
		{"the stop time", func(sc *Scenario) error { sc.Until = Second; return nil }, "until", "is locked"},
		{"removing the broker takes the fault", func(sc *Scenario) error { sc.RemoveNode("broker"); return nil }, "faults", "fault schedule"},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			next, err := ch.Edit(sc, c.edit)
			require.Error(t, err)
			assert.Nil(t, next)
			var errs Errors
			require.True(t, errors.As(err, &errs), "%v", err)
			var found bool
			for _, e := range errs {
				found = found || e.Field == c.field && strings.Contains(e.Message, c.msg)
			}
			assert.True(t, found, "want %s: ...%s..., got %v", c.field, c.msg, err)
		})
	}
	allowed := []func(sc *Scenario) error{
		func(sc *Scenario) error { sc.Nodes[0].Label = "Buyers"; return nil },
		func(sc *Scenario) error { sc.MoveNode("users", Pos{X: 5, Y: 5}); return nil },
		func(sc *Scenario) error { sc.Nodes[1].OnSendError = ""; return nil },
		func(sc *Scenario) error { sc.RemoveNode("db"); return nil },
		func(sc *Scenario) error { return sc.Connect("orders", sc.AddNode(Outbox, Pos{}), Sync) },
	}
	for i, edit := range allowed {
		next, err := ch.Edit(sc, edit)
		require.NoError(t, err, "allowed edit %d", i)
		assert.NotNil(t, next)
	}
	assert.Equal(t, []string{"users", "broker", "consumer"}, ch.LockedNodes(sc))
	var none *Challenge
	_, err = none.Edit(sc, func(sc *Scenario) error { sc.Until = Second; return nil })
	assert.NoError(t, err, "no challenge, no locks")
}

// A scenario pasted or imported whole cannot dodge a lock: Evaluate
// compares its locked parts with the start and refuses, naming them.
func TestEvaluateRefusesAScenarioThatChangedALockedPart(t *testing.T) {
	ch := spike(t)
	sc := ch.Solution.Clone()
	sc.Nodes[0].Workload.Phases[1].Rate = 40 // no spike, no problem
	_, err := Evaluate(ch, sc)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `nodes[0].workload: is locked: the challenge does not let the client "shoppers" change`)

	sc = ch.Solution.Clone()
	sc.Until = 5 * Second // stop before the burst's backlog shows
	_, err = Evaluate(ch, sc)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "until: is locked")

	sc = ch.Solution.Clone()
	sc.Nodes[1].Concurrency = -1
	_, err = Evaluate(ch, sc)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nodes[1].concurrency")
}

// Evaluation refuses, before it starts, a run that would not fit the
// budget the browser runs it with, naming the field to change.
func TestEvaluateRefusesARunOverTheBudget(t *testing.T) {
	ch := spike(t)
	j, err := NewEvaluateJob(ch, ch.Solution)
	require.NoError(t, err)
	j.Budget = Budget{MaxMemory: 1 << 20}
	done, err := j.Step(1000)
	assert.True(t, done)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nodes[0].workload.phases")
	assert.Nil(t, j.Result())
	_, again := j.Step(1000)
	assert.Equal(t, err, again, "the job is over")
}

// An EvaluateJob stepped a little at a time gives Evaluate's verdict, its
// progress never going down.
func TestEvaluateJobInSlicesIsEvaluate(t *testing.T) {
	ch := spike(t)
	whole := evaluate(t, ch, ch.Solution)
	j, err := NewEvaluateJob(ch, ch.Solution)
	require.NoError(t, err)
	last, steps := 0.0, 0
	stages := map[string]bool{}
	for {
		stages[j.Stage()] = true
		done, err := j.Step(5000)
		require.NoError(t, err)
		p := j.Progress()
		assert.GreaterOrEqual(t, p, last)
		last = p
		steps++
		if done {
			break
		}
	}
	assert.Greater(t, steps, 10)
	assert.Equal(t, 1.0, last)
	assert.Equal(t, "done", j.Stage())
	assert.True(t, stages["seed 1 of 3"] && stages["seed 3 of 3"] && stages["measuring"], "%v", stages)
	assert.Equal(t, whole, j.Result())
}

// A challenge that a run of the learner's cuts short fails, saying why.
func TestAVerdictFailsARunThatStoppedEarly(t *testing.T) {
	ch, err := ChallengeByID("poison")
	require.NoError(t, err)
	v := evaluate(t, ch, ch.Start)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Stopped, "the run with seed 31 stopped early (event limit)")
	assert.Contains(t, v.Lines()[len(v.Lines())-1], "✗ the run with seed 31 stopped early")
}

func TestGoalTextFillsInTheBounds(t *testing.T) {
	ch := spike(t)
	ch.Goal = "p99 {1}, {workers}, {nodes}, {x}, {"
	assert.Equal(t, "p99 1,000 ms, 6 workers, {nodes}, {x}, {", ch.GoalText())
	for _, ch := range Challenges() {
		assert.NotContains(t, ch.GoalText(), "{", ch.ID)
		for _, r := range []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"} {
			assert.NotContains(t, ch.Goal, r+" ms", "%s: a bound typed into the goal; use {N}", ch.ID)
		}
	}
}

func TestBuiltInChallengesAreComplete(t *testing.T) {
	all := Challenges()
	require.GreaterOrEqual(t, len(all), 12)
	ids := map[string]bool{}
	for _, ch := range all {
		ids[ch.ID] = true
	}
	for i, ch := range all {
		assert.NotEmpty(t, ch.Hints, ch.ID)
		assert.NotNil(t, ch.Solution, ch.ID)
		assert.NotEmpty(t, ch.Seeds, "%s: more than one seed, so that luck does not pass", ch.ID)
		assert.Greater(t, len(ch.Seeds), 1, ch.ID)
		if i < len(all)-1 {
			assert.Equal(t, all[i+1].ID, ch.Next, "%s suggests the next one", ch.ID)
		} else {
			assert.Empty(t, ch.Next)
		}
		assert.True(t, ids[ch.ID])
		back, err := ChallengeByID(ch.ID)
		require.NoError(t, err)
		assert.Equal(t, ch, back)
	}
	_, err := ChallengeByID("nope")
	assert.EqualError(t, err, `no built-in challenge "nope"`)
}

// Goals and hints state no figure of their own: every number in them is a
// placeholder filled from a check, the budget or the starting scenario.
func TestChallengeTextsTypeNoFigures(t *testing.T) {
	for _, ch := range Challenges() {
		for i, text := range append([]string{ch.Goal}, ch.Hints...) {
			for _, ref := range goalRefs(text) {
				text = strings.Replace(text, "{"+ref+"}", "", 1)
			}
			text = strings.NewReplacer("p50", "", "p95", "", "p99", "").Replace(text) // the percentiles' names
			assert.False(t, strings.ContainsAny(text, "0123456789"), "%s text %d types a number: %s", ch.ID, i, text)
		}
		for _, text := range append([]string{ch.GoalText()}, ch.HintTexts()...) {
			assert.NotContains(t, text, "{", ch.ID)
		}
	}
	ch := spike(t)
	assert.Contains(t, ch.HintTexts()[0], "its 6 workers finish them, and the shoppers wait in that line until their deadline (1s) passes")
	ch.Hints[0] = "{start:nodes[7].timeout}"
	assert.ErrorContains(t, ch.Validate(), "hints[0]: {start:nodes[7].timeout} stands for nothing")
}

func TestNodeDiffNamesTheField(t *testing.T) {
	ch := spike(t)
	a := ch.Start.Nodes[0]
	b := a
	b.Label, b.Pos = "Other", &Pos{X: 3}
	assert.Equal(t, "", nodeDiff(&a, &b), "labels and positions are free")
	b.Timeout = 5 * Second
	assert.Equal(t, "timeout", nodeDiff(&a, &b))
	b = a
	b.Workload = &Workload{Type: Poisson, Rate: 1, Count: 1}
	assert.Equal(t, "workload", nodeDiff(&a, &b))
	b = a
	b.Concurrency = 3 // a field a does not write
	assert.Equal(t, "concurrency", nodeDiff(&a, &b))
	b = a
	b.ID = "x"
	assert.Equal(t, "id", nodeDiff(&a, &b))
	assert.Equal(t, []jsonField{{"a", []byte(`"x\"y"`)}, {"b", []byte(`{"c":[1,2]}`)}, {"d", []byte(`3`)}},
		topLevelFields([]byte(`{"a":"x\"y","b":{"c":[1,2]},"d":3}`)))
}
