package browsertest

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// stripMotion leaves out the glide of a topology's markup: the same
// picture glides differently arriving from the step before or after.
func stripMotion(html string) string {
	return regexp.MustCompile(`<animateMotion[^>]*></animateMotion>`).ReplaceAllString(html, "")
}

// nodeNames reads each topology node's accessible name, by its data-node.
func (p *tab) nodeNames() map[string]string {
	p.t.Helper()
	return mustRun(p, chromedp.Evaluate[map[string]string](`Object.fromEntries([...document.querySelectorAll("#`+web.IDTopology+` [data-node]")].map(n => [n.dataset.node, n.getAttribute("aria-label")]))`))
}

// goTo moves the player to step with the scrubber, as a keyboard user
// would with the keys, and waits for the page to show it.
func (p *tab) goTo(step int) {
	p.t.Helper()
	p.do(chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById("` + web.IDScrubber + `"); s.value = "` + strconv.Itoa(step) + `"; s.dispatchEvent(new Event("input", {bubbles: true})); })()`))
	p.waitStep(step, "scrubbed to %d", step)
}

// setChecked ticks or clears the checkbox id with a click, as a person
// does, and waits for the app to have acted on it.
func (p *tab) setChecked(id string, want bool) {
	p.t.Helper()
	if mustRun(p, chromedp.Evaluate[bool](`document.getElementById("`+id+`").checked`)) == want {
		return
	}
	before := p.actions()
	p.click(id)
	p.settle(before + 1)
}

// The default example is the REST chain.

func TestBlockedCallersAreNamedSo(t *testing.T) {
	browser := sharedBrowser(t)
	p := openReady(t, browser, serverURL+"/")
	// Step 9: the database has started on the service's call.
	p.goTo(9)
	names := p.nodeNames()
	for node, on := range map[string]string{"client": "API Gateway", "gateway": "Service", "service": "Database"} {
		assert.Contains(t, names[node], "blocked, waiting for "+on, node)
	}
	assert.Contains(t, names["db"], ": busy", "the database works")
	assert.NotContains(t, names["db"], "blocked")
	// The wait grows as the run goes on: at step 11 (the database's reply
	// is on its way) the client has waited longer.
	wait := regexp.MustCompile(`for (\d+)ms`)
	before := wait.FindStringSubmatch(names["client"])
	p.goTo(11)
	after := wait.FindStringSubmatch(p.nodeNames()["client"])
	require.NotNil(t, before)
	require.NotNil(t, after)
	b, _ := strconv.Atoi(before[1])
	a, _ := strconv.Atoi(after[1])
	assert.Greater(t, a, b, "the client's wait grows as you step")
	p.requireCleanConsole()
}

// dotAcrossFrames reads where message msg's dot is drawn (its bounding
// box's left edge) on two animation frames in a row, just after a step.
const dotAcrossFramesJS = `new Promise(done => {
  const at = () => document.querySelector("#` + web.IDTopology + ` .transit-dot[data-msg='%d']")?.getBoundingClientRect().x ?? -1;
  const first = at();
  requestAnimationFrame(() => requestAnimationFrame(() => done([first, at()])));
})`

func TestMessagesGlideUnlessMotionIsReduced(t *testing.T) {
	browser := sharedBrowser(t)
	for _, reduce := range []string{"", "switch", "prefers-reduced-motion"} {
		t.Run("reduced by "+cond(reduce == "", "nothing", reduce), func(t *testing.T) {
			p := openReady(t, browser, serverURL+"/")
			switch reduce {
			case "switch":
				p.setChecked(web.IDMotion, false)
			case "prefers-reduced-motion":
				p.do(reduceMotion, chromedp.Reload())
				p.waitWASMReady(readyTimeout)
				assert.False(t, mustRun(p, chromedp.Evaluate[bool](`document.getElementById("`+web.IDMotion+`").checked`)),
					"the switch starts off for a reader who asked for reduced motion")
			}
			// Step 4 (7ms): the gateway's call to the service leaves;
			// step 5 (9ms): stepping back from it, the dot glides back.
			p.goTo(5)
			p.focusBody()
			p.click(web.IDStepBack)
			p.waitStep(4, "step back")
			xs := mustRun(p, chromedp.Evaluate[[]float64](fmt.Sprintf(dotAcrossFramesJS, 1), chromedp.EvalAwaitPromise))
			require.Len(t, xs, 2)
			require.NotEqual(t, -1.0, xs[0], "message 1 is drawn")
			if reduce != "" {
				assert.Equal(t, xs[0], xs[1], "with motion off the dot jumps")
			} else {
				assert.NotEqual(t, xs[0], xs[1], "the dot moves between two frames")
			}
			p.requireCleanConsole()
		})
	}
}

// reduceMotion makes the tab's prefers-reduced-motion "reduce".
var reduceMotion chromedp.Action[chromedp.Void] = func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
	_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
	})
	return chromedp.Void{}, err
}

func cond(b bool, a, c string) string {
	if b {
		return a
	}
	return c
}

func TestTheSequenceDiagramHidesTheFuture(t *testing.T) {
	browser := sharedBrowser(t)
	p := openReady(t, browser, serverURL+"/")
	p.goTo(6)
	maxStep := func() int {
		return mustRun(p, chromedp.Evaluate[int](`Math.max(0, ...[...document.querySelectorAll("#`+web.IDSequence+` [data-step]")].map(e => +e.dataset.step))`))
	}
	assert.Equal(t, 6, maxStep(), "the diagram has no element for a step after the current one")
	p.setChecked(web.IDShowFuture, true)
	assert.Equal(t, 1, mustRun(p, chromedp.Evaluate[int](`document.querySelectorAll("#`+web.IDSequence+` .row.current").length`)))
	assert.Greater(t, maxStep(), 6, "the run ahead, faded")
	assert.Positive(t, mustRun(p, chromedp.Evaluate[int](`document.querySelectorAll("#`+web.IDSequence+` .row.future").length`)))
	p.setChecked(web.IDShowFuture, false)
	assert.Equal(t, 6, maxStep())
	p.requireCleanConsole()
}

func TestALessonKeepsTheFutureHiddenUntilAnswered(t *testing.T) {
	browser := sharedBrowser(t)
	p := openFreshPage(t, browser, serverURL+web.LessonPath("blocked"))
	p.waitWASMReady(readyTimeout)
	disabled := func() bool {
		return mustRun(p, chromedp.Evaluate[bool](`document.getElementById("`+web.IDShowFuture+`").disabled`))
	}
	require.NotEmpty(t, p.attr("#"+web.CheckpointID(1), "data-answer"), "step 1 asks a question")
	assert.True(t, disabled(), "the run ahead cannot be shown before the question is answered")
	step := p.state().Step
	assert.Zero(t, mustRun(p, chromedp.Evaluate[int](fmt.Sprintf(
		`document.querySelectorAll("#%s [data-step]").length - [...document.querySelectorAll("#%s [data-step]")].filter(e => +e.dataset.step <= %d).length`,
		web.IDSequence, web.IDSequence, step))), "nothing after the stop is drawn")

	want := p.attr("#"+web.CheckpointID(1), "data-answer")
	p.fromTop()
	p.tabTo("#"+web.AnswerID(1), false, 30)
	p.press(want)
	p.press(kb.Enter)
	p.waitText(web.CheckpointResultID(1), "Right", "the right answer")
	assert.False(t, disabled(), "answered: the learner may look ahead")
	p.setChecked(web.IDShowFuture, true)
	assert.Positive(t, mustRun(p, chromedp.Evaluate[int](`document.querySelectorAll("#`+web.IDSequence+` .row.future").length`)))
	p.requireCleanConsole()
}

func TestProgressLeavesTheStatusLineOnceReady(t *testing.T) {
	browser := sharedBrowser(t)
	p := openReady(t, browser, serverURL+"/")
	p.selectExample("ordering-partitions") // long enough to be prepared in slices
	p.settle(p.actions())
	status := p.text(web.IDShareStatus)
	assert.NotContains(t, status, "Preparing", "the run is shown: its preparation's progress is gone")
	assert.NotContains(t, status, "Running")
	p.requireCleanConsole()
}

// TestTheNumbersFollowTheStep steps the spike through a queue forward,
// back and far, and reads every figure of the numbers panel: each must
// be what the native run says at that step (the page writes the values
// that change in place, so a value it forgot to write would show the
// figure of an earlier step).
func TestTheNumbersFollowTheStep(t *testing.T) {
	browser := sharedBrowser(t)
	sc := example(t, "spike-async")
	tl, _, err := core.RunTimeline(sc)
	require.NoError(t, err)
	p := openReady(t, browser, shareLink(t, sc, 0))
	n := tl.Len()
	for _, step := range []int{1, 2, 3, 40, 39, n / 2, 5, n, n - 1, 0} {
		p.goTo(step)
		shown := mustRun(p, chromedp.Evaluate[map[string]string](`Object.fromEntries([...document.querySelectorAll("#`+web.IDStats+` [data-stat]")].map(s => [s.dataset.stat, s.querySelector("dd").textContent]))`))
		want := map[string]string{}
		for _, s := range web.StatValues(tl, step) {
			want[s.Name] = s.Value
		}
		assert.Equal(t, want, shown, "the numbers at step %d", step)
	}
	p.requireCleanConsole()
}

// TestTheTopologyZooms zooms the REST chain's topology in twice with the
// buttons: it is drawn at 150% of its natural size, wider than before,
// the status says so, a step keeps the zoom, and Fit brings it back.
func TestTheTopologyZooms(t *testing.T) {
	browser := sharedBrowser(t)
	p := openReady(t, browser, serverURL+"/")
	type drawn struct {
		Width   float64 `json:"width"`
		Natural float64 `json:"natural"`
		Zoomed  bool    `json:"zoomed"`
		Status  string  `json:"status"`
	}
	read := func() drawn {
		return mustRun(p, chromedp.Evaluate[drawn](`(() => {
  const svg = document.getElementById("`+web.IDTopology+`");
  return {width: svg.getBoundingClientRect().width, natural: svg.viewBox.baseVal.width,
    zoomed: svg.classList.contains("zoomed"), status: document.getElementById("`+web.IDZoomLevel+`").textContent};
})()`))
	}
	fit := read()
	assert.False(t, fit.Zoomed)
	assert.Equal(t, "Fit to the panel", fit.Status)
	for range 2 {
		before := p.actions()
		p.click(web.IDZoomIn)
		p.settle(before + 1)
	}
	z := read()
	assert.True(t, z.Zoomed)
	assert.Equal(t, "150%", z.Status)
	assert.InDelta(t, 1.5*z.Natural, z.Width, 1, "drawn at 150%% of its natural size")
	assert.Greater(t, z.Width, fit.Width, "wider than fitted")
	p.goTo(5)
	assert.InDelta(t, z.Width, read().Width, 1, "a step keeps the zoom")
	before := p.actions()
	p.click(web.IDZoomFit)
	p.settle(before + 1)
	assert.Equal(t, fit, read(), "Fit goes back")
	p.requireCleanConsole()
}
