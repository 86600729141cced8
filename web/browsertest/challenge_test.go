//go:build !js

package browsertest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// The challenge pages: a built-in challenge failed, over budget, solved,
// kept across a reload; a teacher's challenge made in the sandbox and
// opened by someone else; hostile challenge links.

// checkTimeout is how long a challenge's check (a run per seed) may take.
const checkTimeout = 60 * time.Second

// waitChallenge waits until the challenge panel's check is over with the
// given state (failed, passed, solution) and the app is idle.
func (p *tab) waitChallenge(state, msg string) {
	p.t.Helper()
	p.waitJS(fmt.Sprintf(`document.getElementById(%q)?.dataset.state === %q && document.body.dataset.pending === "0"`, web.IDChallenge, state),
		checkTimeout, "%s: the challenge should be %s (it says: %s)", msg, state, "see #"+web.IDChallengeState)
}

// doneChallenges is what the pages keep as done.
func (p *tab) doneChallenges() string {
	p.t.Helper()
	return mustRun(p, chromedp.Evaluate[string](`localStorage.getItem("sync-vs-async-challenges") ?? ""`))
}

// TestChallengeSpike is the issue's scenario on challenge 2 ("survive the
// traffic spike"): it fails as it starts, adding a worker past the budget
// is over budget and stays unsolved, routing through a queue within
// budget solves it, it is marked done, and a reload keeps the work and
// the progress.
func TestChallengeSpike(t *testing.T) {
	browser := sharedBrowser(t)
	all := core.Challenges()
	require.Equal(t, "spike", all[1].ID, "challenge 2 is the spike")
	p := openFreshReady(t, browser, serverURL+web.ChallengePath("spike"))
	p.waitChallenge("failed", "the starting scenario")
	checks := p.text(web.IDChallengeChecks)
	assert.Contains(t, checks, "fails: failed requests", "the checklist names the failing check, not by colour alone")
	assert.Contains(t, checks, "must be at most 0 requests", "the bound beside the figure")
	assert.Contains(t, p.text(web.IDChallengeBudget), "workers 6 / 6 — within budget")
	assert.Equal(t, "polite", p.attr("#"+web.IDChallenge+" .challenge-results", "aria-live"), "the results are announced politely")
	// The workload is locked: the canvas marks its client, and no other node.
	ch, err := core.ChallengeByID("spike")
	require.NoError(t, err)
	lockedNodes := func() []string {
		return mustRun(p, chromedp.Evaluate[[]string](fmt.Sprintf(`Array.from(document.querySelectorAll("#%s [data-node].locked")).filter(n => n.querySelector(".node-lock") && n.getAttribute("aria-label").includes("Locked")).map(n => n.dataset.node)`, web.IDCanvas)))
	}
	assert.Equal(t, ch.LockedNodes(ch.Start), lockedNodes(), "the locked nodes are marked")

	// One worker too many: over budget at once, and still unsolved once checked.
	p.clickNode("orders")
	p.setField("nodes[1].concurrency", "7")
	p.waitJS(fmt.Sprintf(`(document.getElementById(%q)?.textContent ?? "").includes("workers 7 / 6 — over budget")`, web.IDChallengeBudget),
		stepTimeout, "the meter says over budget")
	p.waitChallenge("failed", "7 workers")
	assert.Contains(t, p.text(web.IDChallengeBudget), "workers 7 / 6 — over budget")
	assert.NotContains(t, p.doneChallenges(), "spike", "over budget is not solved")

	// Within budget, through a queue: the shoppers send to a queue that
	// the order service consumes.
	p.setField("nodes[1].concurrency", "6")
	p.waitJS(fmt.Sprintf(`(document.getElementById(%q)?.textContent ?? "").includes("workers 6 / 6")`, web.IDChallengeBudget), stepTimeout, "back within budget")
	p.click(web.PaletteButtonID(core.Queue))
	p.waitNode("queue")
	p.waitJS(fmt.Sprintf(`!!document.getElementById(%q)`, web.IDConnectTo), stepTimeout, "the queue's properties offer to connect it")
	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).value = "orders"; document.getElementById(%q).value = "async"`,
		web.IDConnectTo, web.IDConnectMode)))
	p.click(web.IDConnect)
	p.waitEdges(2)
	p.click(web.IDUndo) // the editor's undo works on a challenge too
	p.waitEdges(1)
	p.click(web.IDRedo)
	p.waitEdges(2)
	// The shoppers → orders edge goes to the queue instead.
	p.pressEdge(0)
	p.waitJS(fmt.Sprintf(`!!document.getElementById(%q)`, web.IDDeleteEdge), stepTimeout, "the edge is selected")
	p.click(web.IDDeleteEdge)
	p.waitEdges(1)
	p.clickNode("shoppers")
	p.waitJS(fmt.Sprintf(`!!document.getElementById(%q)`, web.IDConnectTo), stepTimeout, "the shoppers' properties offer to connect")
	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).value = "queue"`, web.IDConnectTo)))
	p.click(web.IDConnect)
	p.waitEdges(2)
	p.waitChallenge("passed", "through a queue")
	state := p.text(web.IDChallengeState)
	assert.Contains(t, state, "Challenge complete")
	assert.Contains(t, state, "Next challenge: "+all[2].Title, "it suggests the next one")
	assert.NotContains(t, p.text(web.IDChallengeChecks), "fails:")
	assert.Equal(t, "spike", p.doneChallenges())
	p.requireCleanConsole()

	// A reload keeps the work (and so the pass) and the progress.
	p.waitJS(`Number(document.getElementById("sandbox")?.dataset.saved ?? 0) > 0`, stepTimeout, "the work is saved")
	p.do(chromedp.Navigate(serverURL + web.ChallengePath("spike")))
	p.waitWASMReady(readyTimeout)
	p.waitChallenge("passed", "after the reload")
	p.waitNode("queue")
	p.do(chromedp.Navigate(serverURL + web.ChallengesPath))
	p.waitWASMReady(readyTimeout)
	p.waitJS(`document.querySelector('[data-done-for="spike"]')?.textContent === "✓ done"`, stepTimeout, "the index marks it done")
	assert.Equal(t, "not done yet", p.attrText(`[data-done-for="checkout"]`))
	p.requireCleanConsole()
}

// attrText is the text of the element the selector finds.
func (p *tab) attrText(selector string) string {
	p.t.Helper()
	return mustRun(p, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q)?.textContent ?? ""`, selector)))
}

// TestChallengeKeyboard: hints, the solution and reset work from the
// keyboard, and the solution asks (in the page) before it replaces the
// learner's work, which Undo brings back.
func TestChallengeKeyboard(t *testing.T) {
	browser := sharedBrowser(t)
	ch, err := core.ChallengeByID("spike")
	require.NoError(t, err)
	p := openFreshReady(t, browser, serverURL+web.ChallengePath("spike"))
	p.waitChallenge("failed", "the start")
	p.fromTop()
	p.tabTo("#"+web.IDChallengeHint, false, 40)
	p.press(kb.Enter)
	p.waitJS(fmt.Sprintf(`document.querySelectorAll("#%s li").length === 1`, web.IDChallengeHints), stepTimeout, "Enter reveals one hint")
	assert.Equal(t, ch.HintTexts()[0], p.attrText("#"+web.IDChallengeHints+" li"))
	assert.Equal(t, "polite", p.attr("#"+web.IDChallengeHints, "aria-live"))

	p.tabTo("#"+web.IDShowSolution, false, 5)
	p.press(kb.Enter)
	p.waitJS(fmt.Sprintf(`document.activeElement?.id === %q`, web.IDConfirmNo), stepTimeout, "the confirm takes the focus, on Cancel")
	p.press(kb.Enter)
	p.waitJS(fmt.Sprintf(`document.getElementById(%q)?.hidden && document.activeElement?.id === %q`, web.IDChallengeAsk, web.IDShowSolution),
		stepTimeout, "Cancel closes it and gives the focus back")
	assert.Equal(t, 0, mustRun(p, chromedp.Evaluate[int](`document.querySelectorAll('#canvas [data-node="queue"]').length`)), "nothing replaced")

	p.press(kb.Enter)
	p.waitJS(fmt.Sprintf(`document.activeElement?.id === %q`, web.IDConfirmNo), stepTimeout, "asks again")
	p.do(chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift)))
	p.waitJS(fmt.Sprintf(`document.activeElement?.id === %q`, web.IDConfirmYes), stepTimeout, "Shift+Tab reaches the yes button")
	p.press(kb.Enter)
	p.waitNode("queue")
	p.waitChallenge("solution", "the reference solution passes, but is not the learner's")
	assert.NotContains(t, p.doneChallenges(), "spike", "showing the solution does not complete the challenge")
	p.click(web.IDUndo)
	p.waitJS(`document.querySelectorAll('#canvas [data-node="queue"]').length === 0`, stepTimeout, "Undo brings the learner's design back")
	p.waitChallenge("failed", "the learner's design again")
	p.requireCleanConsole()
}

// TestTeacherChallenge makes a challenge in the sandbox (a check, the
// workload locked, a budget, a hint) and opens its link in a fresh
// browser context: the same checks and locks.
func TestTeacherChallenge(t *testing.T) {
	browser := sharedBrowser(t)
	p := openFreshReady(t, browser, serverURL+web.SandboxPath)
	openSandbox(t, p)
	p.markDocument()
	p.click(web.IDMakeChallenge)
	p.waitNewDocument()
	p.waitWASMReady(readyTimeout)
	p.waitJS(fmt.Sprintf(`location.pathname === %q && document.body.dataset.wasm === "ready" && (document.getElementById(%q)?.value ?? "") !== ""`,
		web.MakeChallengePath, web.MakeBoundID(2)), readyTimeout, "the make page fills the bounds in from the run")
	p.settle(0)
	figs := web.MakeFigures()
	p99 := -1
	for i, f := range figs {
		if f.Name == "user p99" {
			p99 = i
		}
	}
	require.GreaterOrEqual(t, p99, 0)
	measured := p.inputValue(web.MakeBoundID(p99))
	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
  document.getElementById(%q).checked = true;
  document.getElementById(%q).value = "Keep it fast";
  document.getElementById(%q).value = "Look at the slowest node.";
  document.getElementById(%q).value = "99";
})()`, web.MakeCheckID(p99), web.IDMakeTitle, web.IDMakeHints, web.IDMakeWorkers)))
	p.click(web.IDMakeCreate)
	p.waitJS(fmt.Sprintf(`(document.getElementById(%q)?.value ?? "").includes("#c=1.")`, web.IDMakeLink), stepTimeout,
		"the link (status: %s)", p.text(web.IDMakeStatus))
	link := p.inputValue(web.IDMakeLink)
	require.True(t, strings.HasPrefix(link, serverURL+web.CustomChallengePath+"#c=1."), link)
	p.requireCleanConsole()

	q := openFreshReady(t, browser, link)
	q.waitJS(fmt.Sprintf(`["failed", "passed"].includes(document.getElementById(%q)?.dataset.state) && document.body.dataset.pending === "0"`, web.IDChallenge),
		checkTimeout, "the shared challenge is checked")
	assert.Equal(t, "Keep it fast", q.attrText("#"+web.IDSandbox+" h1"))
	checks := q.text(web.IDChallengeChecks)
	assert.Contains(t, checks, "user p99")
	assert.Contains(t, checks, "must be at most "+groupMs(measured), "the teacher's bound")
	assert.Contains(t, q.text(web.IDChallengeBudget), "/ 99")
	assert.Contains(t, q.text(web.IDChallengeLocks), "the workload")
	// The lock holds: the client's rate cannot change.
	sc, err := core.ExampleByID(core.DefaultExample)
	require.NoError(t, err)
	client := sc.Nodes[0].ID
	q.clickNode(client)
	q.setField("nodes[0].timeout", "7s")
	q.waitJS(`(document.querySelector("#properties .field-error")?.textContent ?? "").includes("locked")`, stepTimeout,
		"the locked field says so")
	q.requireCleanConsole()
}

// groupMs writes a bound as the checklist does ("1,250 ms").
func groupMs(s string) string {
	var v float64
	fmt.Sscan(s, &v)
	return web.FigureText(v, "ms")
}

// TestHostileChallengeLinks: a challenge link that is too long, from a
// newer version, or checks an unknown figure shows a clear error naming
// the problem, and the editor below keeps working.
func TestHostileChallengeLinks(t *testing.T) {
	browser := sharedBrowser(t)
	unknown, err := core.EncodeShareLinkBytes([]byte(`{"version":1,"title":"x","goal":"y","start":` + startJSON(t) + `,"checks":[{"figure":"happiness","op":"<=","bound":1}]}`))
	require.NoError(t, err)
	for _, tt := range []struct{ name, c, want string }{
		{"oversized", "1." + strings.Repeat("A", core.MaxShareLinkBytes+1), "characters long"},
		{"bad version", "9." + unknown[2:], "newer version"},
		{"unknown figure", unknown, `checks[0].figure: unknown figure "happiness"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := openFreshReady(t, browser, serverURL+web.CustomChallengePath+"#c="+tt.c)
			b := p.waitBanner()
			assert.True(t, b.Visible)
			assert.Contains(t, b.Text, tt.want)
			openSandbox(t, p)
			p.click(web.PaletteButtonID(core.Service))
			p.waitNode("service2")
			p.settle(0)
			p.requireCleanConsole()
		})
	}
}

func startJSON(t *testing.T) string {
	t.Helper()
	sc, err := core.ExampleByID(core.DefaultExample)
	require.NoError(t, err)
	data, err := sc.MarshalCanonical()
	require.NoError(t, err)
	return string(data)
}
