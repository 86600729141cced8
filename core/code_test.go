package core

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seedAsync is the seed's asynchronous fetch_all, as the seed prints it
// (section "Async/Await (Language Level)").
const seedAsync = `# Asynchronous
async def fetch_all():
    user_task = fetch_user()      # Start
    orders_task = fetch_orders()  # Start
    reviews_task = fetch_reviews() # Start

    user, orders, reviews = await asyncio.gather(
        user_task, orders_task, reviews_task
    )  # Total: ~100ms (parallel)`

// codeRun runs step i of lesson id and resolves its code pane.
func codeRun(t *testing.T, id string, i int, knobs ...float64) (*LessonRun, *CodeView) {
	t.Helper()
	l := LessonByID(id)
	require.NotNil(t, l, id)
	if knobs != nil {
		var err error
		l, err = l.WithKnobs(i, KnobState(knobs))
		require.NoError(t, err)
	}
	run, err := l.Steps[i].Run()
	require.NoError(t, err)
	pane := l.Steps[i].CodePane(run.Scenario)
	require.NotNil(t, pane, "%s step %d has code", id, i+1)
	v, err := pane.Resolve(run)
	require.NoError(t, err)
	return run, v
}

// lineWith returns the line (from 1) of v whose text contains s.
func lineWith(t *testing.T, v *CodeView, s string) int {
	t.Helper()
	for i, l := range v.Lines {
		if strings.Contains(l.Text(), s) {
			return i + 1
		}
	}
	t.Fatalf("no line of %q contains %q", v.Title, s)
	return 0
}

func TestEveryCodeMarkResolvesToARecordOfItsRun(t *testing.T) {
	n := 0
	for _, l := range Lessons() {
		runs, err := l.Run()
		require.NoError(t, err)
		for i, s := range l.Steps {
			pane := s.CodePane(runs[i].Scenario)
			if pane == nil {
				continue
			}
			n++
			t.Run(l.ID+" step "+itoa(int64(i+1)), func(t *testing.T) {
				v, err := pane.Resolve(runs[i]) // fails if a mark never fires
				require.NoError(t, err)
				require.NotEmpty(t, v.Steps)
				// What the pane shows before the question is answered does
				// not give the answer away, and what it hides, a question
				// will show.
				shown := []string{v.Title, v.Note}
				for _, l := range v.Lines {
					shown = append(shown, l.Before+l.After)
					if l.Answer != "" {
						require.NotNil(t, s.Checkpoint, "a figure hidden until the answer needs a question")
					}
				}
				if c := s.Checkpoint; c != nil && len(c.Choices) == 0 {
					answer := regexp.MustCompile(`(^|[^0-9.])` + regexp.QuoteMeta(strconv.FormatFloat(c.Answer(runs[i]), 'f', -1, 64)) + `($|[^0-9])`)
					assert.False(t, answer.MatchString(strings.Join(shown, "\n")), "the pane shows the answer, %v", c.Answer(runs[i]))
				}
				last := 0
				for _, cs := range v.Steps {
					assert.Greater(t, cs.Step, last, "steps in order")
					assert.LessOrEqual(t, cs.Step, len(runs[i].Trace))
					assert.True(t, cs.Line >= 1 && cs.Line <= len(v.Lines), "line %d in the code", cs.Line)
					assert.NotEmpty(t, strings.TrimSpace(v.Lines[cs.Line-1].Text()), "a highlighted line is not blank")
					last = cs.Step
				}
			})
		}
	}
	assert.Equal(t, 5, n, "async-await's three steps and the outbox's two have code")
}

func TestACodeMarkThatNeverFiresIsAnError(t *testing.T) {
	run, err := LessonByID("async-await").Steps[0].Run()
	require.NoError(t, err)
	pane := awaitSequentialCode()
	pane.Marks = append(pane.Marks, CodeMark{Kind: RecDeadLetter, Node: "fetch_all", Nth: 1, Line: 2})
	_, err = pane.Resolve(run)
	assert.ErrorContains(t, err, "no record of the run matches")

	pane = awaitSequentialCode()
	pane.Marks[0].Line = 99
	_, err = pane.Resolve(run)
	assert.ErrorContains(t, err, "line 99 is not in the code")

	pane = awaitSequentialCode()
	pane.Source += "  # {{nonsense}}"
	_, err = pane.Resolve(run)
	assert.ErrorContains(t, err, "nonsense")

	pane = outboxIdempotentCode()
	_, err = pane.Resolve(run) // no consumer skips anything in this run
	assert.ErrorContains(t, err, "no request to follow")
}

func TestSeedFiguresHoldInTheAwaitRuns(t *testing.T) {
	seq, seqCode := codeRun(t, "async-await", 0)
	gath, gathCode := codeRun(t, "async-await", 1)
	for _, run := range []*LessonRun{seq, gath} {
		for _, id := range []string{"fetch_user", "fetch_orders", "fetch_reviews"} {
			assert.Equal(t, 100*Millisecond, nodeReport(run.Report, id).MeanSojourn, "%s takes 100ms", id)
		}
	}
	assert.Equal(t, 300*Millisecond, seq.Report.UserLatency.Max, "one by one: the sum")
	assert.Equal(t, 100*Millisecond, gath.Report.UserLatency.Max, "gathered: the slowest")

	// The gathered pane is the seed's code, word for word, once its
	// question is answered; until then the total is not in the code.
	var all, shown []string
	for _, l := range gathCode.Lines {
		all = append(all, l.Text())
		shown = append(shown, l.Before+l.After)
	}
	assert.Equal(t, seedAsync, strings.Join(all, "\n"))
	assert.NotContains(t, strings.Join(shown, "\n"), "100ms")
	assert.Contains(t, strings.Join(shown, "\n"), "# Total: ~ (parallel)")
	assert.Equal(t, "300ms", seqCode.Lines[awaitReturnLine-1].Answer)
	assert.NotContains(t, seqCode.Lines[awaitReturnLine-1].Before+seqCode.Lines[awaitReturnLine-1].After, "300")
}

func TestAwaitCodeHighlightsTheLineTheRunIsAt(t *testing.T) {
	t.Run("gathered: the gather line while the calls are in flight", func(t *testing.T) {
		run, v := codeRun(t, "async-await", 1)
		gather := lineWith(t, v, "await asyncio.gather(")
		tl := NewTimeline(run.Scenario, run.Trace)
		fa := run.Scenario.NodeIndex("fetch_all")
		three := 0
		for k := 0; k <= tl.Len(); k++ {
			calls := len(tl.At(k).Nodes[fa].Calls)
			if calls > 0 {
				assert.Equal(t, gather, v.LineAt(k), "step %d: %d calls in flight", k, calls)
			}
			if calls == 3 {
				three++
			}
		}
		assert.Greater(t, three, 3, "three calls are in flight together for several steps")
		assert.Equal(t, 0, v.LineAt(0), "nothing has run at step 0")
		for i, r := range run.Trace {
			if r.Kind == RecStart && r.Node == int32(fa) {
				assert.Equal(t, lineWith(t, v, "async def fetch_all"), v.LineAt(i+1), "fetch_all has just started")
				break
			}
		}
	})
	t.Run("one by one: each await in turn", func(t *testing.T) {
		run, v := codeRun(t, "async-await", 0)
		tl := NewTimeline(run.Scenario, run.Trace)
		fa := run.Scenario.NodeIndex("fetch_all")
		seen := map[string]bool{}
		for k := 0; k <= tl.Len(); k++ {
			calls := tl.At(k).Nodes[fa].Calls
			if len(calls) == 0 {
				continue
			}
			require.Len(t, calls, 1, "step %d: one call at a time", k)
			callee := run.Scenario.Nodes[calls[0].To].ID
			seen[callee] = true
			assert.Equal(t, lineWith(t, v, "await "+callee+"()"), v.LineAt(k), "step %d: awaiting %s", k, callee)
		}
		assert.Len(t, seen, 3)
		assert.Equal(t, awaitReturnLine, v.LineAt(tl.Len()), "at the end fetch_all has returned")
	})
}

func TestOutboxCodeFollowsOneOrderPublishedTwice(t *testing.T) {
	at := func(run *LessonRun, v *CodeView, kind RecordKind, node string, nth int) int {
		t.Helper()
		ni, seen := int32(run.Scenario.NodeIndex(node)), 0
		for i, r := range run.Trace {
			if r.Kind == kind && r.Node == ni && r.Req == v.Follow {
				if seen++; seen == nth {
					return v.LineAt(i + 1)
				}
			}
		}
		t.Fatalf("request %d has no %s #%d at %s", v.Follow, kind, nth, node)
		return 0
	}
	t.Run("idempotent", func(t *testing.T) {
		run, v := codeRun(t, "outbox", 1)
		require.GreaterOrEqual(t, v.Follow, int32(0))
		assert.Equal(t, lineWith(t, v, "tx.commit()"), at(run, v, RecCommit, "outbox", 1))
		assert.Equal(t, lineWith(t, v, "broker.publish"), at(run, v, RecSend, "outbox", 1))
		assert.Equal(t, lineWith(t, v, "broker.publish"), at(run, v, RecSend, "outbox", 2), "published again after the crash")
		assert.Equal(t, lineWith(t, v, "process(msg)"), at(run, v, RecStart, "consumer", 1))
		assert.Equal(t, lineWith(t, v, "if seen(msg.event_id)"), at(run, v, RecSkip, "consumer", 1), "the dedupe check catches the copy")
		assert.Equal(t, lineWith(t, v, "outbox.mark_published"), at(run, v, RecMark, "outbox", 1))
		assert.Contains(t, v.Note, "request "+itoa(int64(v.Follow)))
	})
	t.Run("without idempotency", func(t *testing.T) {
		// The step's dedupe switch turned off.
		run, v := codeRun(t, "outbox", 2, 0)
		assert.Equal(t, lineWith(t, v, "process(msg)"), at(run, v, RecStart, "consumer", 1))
		assert.Equal(t, lineWith(t, v, "process(msg)"), at(run, v, RecStart, "consumer", 2), "and processed again")
		for _, l := range v.Lines {
			assert.NotContains(t, l.Text(), "seen(", "no dedupe check without the store")
		}
	})
}
