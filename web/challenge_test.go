package web

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
)

// The challenge pages' views, as goldens (go test ./web -update rewrites
// them), and what they must say.

func spikeChallenge(t *testing.T) *core.Challenge {
	t.Helper()
	ch, err := core.ChallengeByID("spike")
	require.NoError(t, err)
	return ch
}

func TestChallengeGolden(t *testing.T) {
	all := core.Challenges()
	ch := spikeChallenge(t)
	v := NewChallengeView(ch, all)
	over := ch.Start.Clone()
	over.Nodes[over.NodeIndex("orders")].Concurrency = 7
	job, err := core.NewEvaluateJob(ch, ch.Start)
	require.NoError(t, err)
	for done := false; !done; {
		done, err = job.Step(1 << 20)
		require.NoError(t, err)
	}
	failed := VerdictRows(job.Result())
	tl, e, err := core.RunTimeline(ch.Start)
	require.NoError(t, err)
	for _, tt := range []struct {
		name string
		html string
	}{
		{"challenge-index", render(t, ChallengeIndexPage(ChallengeSummaries(all)))},
		{"challenge-panel-spike", render(t, ChallengePanel(v))},
		{"challenge-checklist-spike-start", render(t, ChallengeChecklist(failed))},
		{"challenge-budget-spike-over", render(t, BudgetMeter(CostRows(ch, over)))},
		{"challenge-confirm", render(t, ChallengeConfirm("Start again?", "Reset"))},
		{"challenge-hints-2", render(t, ChallengeHints(ch.HintTexts()[:2]))},
		{"challenge-done", render(t, ChallengeDone(v.Next, "/"))},
		{"challenge-page-spike", render(t, ChallengePage(v, Sandbox{Builder: Builder{Scenario: e.Scenario(), Selection: NoSelection()}, Timeline: tl}))},
		{"challenge-make-form", render(t, MakeChallengeForm(MakeFigures()))},
	} {
		t.Run(tt.name, func(t *testing.T) { checkGolden(t, tt.name, tt.html) })
	}
}

// TestChallengeIndexInOrder: every built-in challenge, in the core's
// order of rising difficulty, links to its page and has a done slot.
func TestChallengeIndexInOrder(t *testing.T) {
	all := core.Challenges()
	require.GreaterOrEqual(t, len(all), 12)
	html := render(t, ChallengeIndexPage(ChallengeSummaries(all)))
	at := 0
	for _, ch := range all {
		i := strings.Index(html[at:], `href="`+ChallengePath(ch.ID)+`"`)
		require.GreaterOrEqual(t, i, 0, "%s is listed after the one before it", ch.ID)
		at += i
		assert.Contains(t, html, `data-done-for="`+ch.ID+`"`)
		assert.Contains(t, html, HTMLEscapeString(ch.GoalText()))
	}
}

// TestChallengeRows: the checklist shows the core's verdict, ✓ and ✗
// with a word (not colour alone), the measured figure beside the bound,
// and the budget meter says over budget.
func TestChallengeRows(t *testing.T) {
	ch := spikeChallenge(t)
	over := ch.Start.Clone()
	over.Nodes[over.NodeIndex("orders")].Concurrency = 7
	meter := render(t, BudgetMeter(CostRows(ch, over)))
	assert.Contains(t, meter, "workers 7 / 6 — over budget")
	assert.Contains(t, meter, "fails: ")
	within := render(t, BudgetMeter(CostRows(ch, ch.Start)))
	assert.Contains(t, within, "— within budget")
	assert.Contains(t, within, "passes: ")

	job, err := core.NewEvaluateJob(ch, ch.Start)
	require.NoError(t, err)
	for done := false; !done; {
		done, err = job.Step(1 << 20)
		require.NoError(t, err)
	}
	v := job.Result()
	require.False(t, v.Passed, "the spike's start fails")
	rows := VerdictRows(v)
	list := render(t, ChallengeChecklist(rows))
	for i, r := range v.Results {
		if r.Cost {
			continue
		}
		assert.Contains(t, list, HTMLEscapeString(rows[i].Measured+" (must be "+r.Check.BoundText()+")"))
		mark := "✗"
		if r.Pass {
			mark = "✓"
		}
		assert.Equal(t, mark, map[CheckState]string{CheckPassed: "✓", CheckFailed: "✗"}[rows[i].State])
	}
	assert.Contains(t, list, "fails: ")
}

func TestChallengeProgress(t *testing.T) {
	known := []string{"checkout", "spike", "fan-out"}
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"spike", "spike"},
		{"fan-out spike spike", "spike fan-out"},
		{"nope <script> spike", "spike"},
		{strings.Repeat("spike ", 1000), ""}, // not something the pages wrote
	} {
		got := FormatChallengeProgress(ParseChallengeProgress(tt.in, known), known)
		assert.Equal(t, tt.want, got, "%q", tt.in)
	}
}
