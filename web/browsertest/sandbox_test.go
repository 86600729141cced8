//go:build !js

package browsertest

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// Helpers that drive the sandbox page.

// compareTimeout is how long a comparison may take in the browser.
const compareTimeout = 60 * time.Second

// nodeSel is the CSS selector of node id on the canvas.
func nodeSel(id string) string { return fmt.Sprintf(`#%s [data-node=%q]`, web.IDCanvas, id) }

// edgeSel is the CSS selector of edge i on the canvas.
func edgeSel(i int) string { return fmt.Sprintf(`#%s [data-edge="%d"]`, web.IDCanvas, i) }

// pressEdge presses the pointer on edge i of the canvas, which selects it
// (wherever the edge is on the screen, in view or not).
func (p *tab) pressEdge(i int) {
	p.t.Helper()
	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).dispatchEvent(new PointerEvent("pointerdown", {bubbles: true}))`, edgeSel(i))))
}

// openSandbox opens the sandbox at hash and waits until its run is loaded.
func openSandbox(t *testing.T, p *tab) {
	t.Helper()
	p.waitJS(fmt.Sprintf(`Number(document.body.dataset.steps ?? 0) > 0 && (document.getElementById(%q)?.textContent ?? "").startsWith("Ran")`, web.IDRunStatus),
		stepTimeout, "the sandbox should run its scenario")
}

// emptyCanvas starts from an empty canvas.
func (p *tab) emptyCanvas() {
	p.t.Helper()
	p.click(web.IDEmptyCanvas)
	p.waitJS(fmt.Sprintf(`document.querySelectorAll("#%s [data-node]").length === 0 && (document.getElementById(%q)?.textContent ?? "").includes("at least one node")`,
		web.IDCanvas, web.IDProblems), stepTimeout, "Empty canvas should leave no node and say a scenario needs one")
}

// waitNode waits until node id is on the canvas.
func (p *tab) waitNode(id string) {
	p.t.Helper()
	p.waitJS(fmt.Sprintf(`!!document.querySelector(%q)`, nodeSel(id)), stepTimeout, "node %q should be on the canvas", id)
}

// waitEdges waits until the canvas draws n edges.
func (p *tab) waitEdges(n int) {
	p.t.Helper()
	p.waitJS(fmt.Sprintf(`document.querySelectorAll("#%s [data-edge]").length === %d`, web.IDCanvas, n), stepTimeout,
		"the canvas should draw %d edges", n)
}

// waitRan waits until the run follows the latest change: the app is
// idle (the change done, the run's slices too), the run status says it
// ran and no problem is listed.
func (p *tab) waitRan(msg string) {
	p.t.Helper()
	p.settle(0)
	p.waitJS(fmt.Sprintf(`(document.getElementById(%q)?.textContent ?? "").startsWith("Ran") && document.getElementById(%q)?.classList.contains("ok")`,
		web.IDRunStatus, web.IDProblems), stepTimeout, "%s: the run should follow (problems: %s)", msg, "see #"+web.IDProblems)
}

// nodeCentre is where node id is on the screen, in CSS pixels.
func (p *tab) nodeCentre(id string) (x, y float64) {
	p.t.Helper()
	pt := mustRun(p, chromedp.Evaluate[[]float64](fmt.Sprintf(`(() => {
  const el = document.querySelector(%q);
  el.scrollIntoView({block: "center"});
  const r = el.querySelector("rect").getBoundingClientRect();
  return [r.left + r.width / 2, r.top + r.height / 2];
})()`, nodeSel(id))))
	require.Len(p.t, pt, 2)
	return pt[0], pt[1]
}

// clickNode clicks node id with the mouse.
func (p *tab) clickNode(id string) {
	p.t.Helper()
	x, y := p.nodeCentre(id)
	p.do(chromedp.MouseClickXY(x, y))
}

// dragNode drags node id by dx, dy CSS pixels with the mouse, in steps.
func (p *tab) dragNode(id string, dx, dy float64) {
	p.t.Helper()
	x, y := p.nodeCentre(id)
	left := chromedp.ButtonType(input.MouseButtonLeft)
	p.do(chromedp.MouseEvent(chromedp.MousePressed, x, y, left, chromedp.ClickCount(1)))
	for i := 1; i <= 5; i++ {
		f := float64(i) / 5
		p.do(chromedp.MouseEvent(chromedp.MouseMoved, x+f*dx, y+f*dy, left))
		time.Sleep(20 * time.Millisecond)
	}
	p.do(chromedp.MouseEvent(chromedp.MouseReleased, x+dx, y+dy, left, chromedp.ClickCount(1)))
}

// draft reads the builder's scenario the way a learner shares it: Copy
// link, then the scenario in the link.
func (p *tab) draft() (*core.Scenario, core.Fragment) {
	p.t.Helper()
	hash := p.copyLink()
	f, err := core.ParseFragment(hash)
	require.NoError(p.t, err, "the sandbox's link %q", hash)
	require.NotEmpty(p.t, f.Scenario, "the sandbox's link carries the scenario: %q", hash)
	sc, err := core.DecodeShareLink(f.Scenario)
	require.NoError(p.t, err)
	return sc, f
}

// setField types text into the field at path and leaves it (a change event).
func (p *tab) setField(path, text string) {
	p.t.Helper()
	id := web.FieldID(path)
	p.waitJS(fmt.Sprintf(`!!document.getElementById(%q)`, id), stepTimeout, "the field %s should be in the properties panel", path)
	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
  const el = document.getElementById(%q);
  el.focus();
  el.value = %q;
  el.dispatchEvent(new Event("change", {bubbles: true}));
})()`, id, text)))
}

// figureCells reads the comparison's row for figure name: the values of
// its two cells (their data-value: the text is written for people, in
// whatever unit reads best).
func (p *tab) figureCells(name string) [2]float64 {
	p.t.Helper()
	cells := mustRun(p, chromedp.Evaluate[[]string](fmt.Sprintf(`Array.from(document.querySelectorAll("#%s td")).map(td => td.dataset.value ?? "")`,
		web.ComparisonFigureID(name))))
	require.Len(p.t, cells, 2, "the row of %q", name)
	var out [2]float64
	for i, c := range cells {
		v, err := strconv.ParseFloat(c, 64)
		require.NoError(p.t, err, "cell %d of %q: %q", i, name, c)
		out[i] = v
	}
	return out
}

// runCompare presses Compare and waits for the figures.
func (p *tab) runCompare() {
	p.t.Helper()
	p.click(web.IDCompareRun)
	p.waitJS(fmt.Sprintf(`!!document.querySelector("#%s #%s")`, web.IDCompareOut, web.IDComparison), compareTimeout,
		"Compare should show the comparison (status: %s)", "#"+web.IDCompareState)
}

// TestSandboxMouse builds client → api → mailer from an empty canvas with
// the mouse, drags a node, switches one edge from sync to async, and
// compares with the sync wiring: the async one answers the user sooner.
//
// What each edit does is web/editor's, whose scripts (testdata/*.txt)
// cover it natively: connecting and its refusals, field errors, undo and
// redo, dragging. Here each control is used once, to show that it reaches
// the editor and that the page draws and runs what the editor says.
func TestSandboxMouse(t *testing.T) {
	browser := sharedBrowser(t)
	p := openReady(t, browser, serverURL+"/sandbox")
	p.do(chromedp.EmulateViewport(1280, 900))
	openSandbox(t, p)
	p.emptyCanvas()

	for _, k := range []core.Kind{core.Client, core.Service, core.Service} {
		p.click(web.PaletteButtonID(k))
	}
	p.waitNode("client")
	p.waitNode("service")
	p.waitNode("service2")

	// Connect by picking: select, "connect", pick the target.
	p.clickNode("client")
	p.click(web.IDConnectStart)
	p.clickNode("service")
	p.waitEdges(1)
	// Connect with the form: select, choose the target, "Connect".
	p.clickNode("service")
	p.waitJS(fmt.Sprintf(`!!document.getElementById(%q)`, web.IDConnectTo), stepTimeout, "a node's properties offer to connect it")
	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).value = "service2"`, web.IDConnectTo)))
	p.click(web.IDConnect)
	p.waitEdges(2)
	p.waitRan("client → service → service2")

	// Drag service2 down and right: its position is kept in the scenario.
	before, _ := p.draft()
	p.dragNode("service2", 60, 90)
	after, _ := p.draft()
	i := after.NodeIndex("service2")
	require.GreaterOrEqual(t, i, 0)
	require.NotNil(t, after.Nodes[i].Pos, "a dragged node keeps its position")
	bp := before.Nodes[before.NodeIndex("service2")].Pos
	require.NotNil(t, bp, "a node added from the palette has a position")
	assert.Greater(t, after.Nodes[i].Pos.Y, bp.Y+40, "dragging down moves the node down")

	// Make the mailer slow: a field's change reaches the editor, the run
	// follows.
	p.clickNode("service2")
	path := fmt.Sprintf("nodes[%d].serviceTime.mean", i)
	p.setField(path, "200ms")
	p.waitRan("the slow mailer")
	slow, _ := p.draft()
	require.Equal(t, "200ms", core.FieldText(slow, path), "the field's change is in the draft")

	// Undo and redo the change.
	hashSlow := p.state().Hash
	p.click(web.IDUndo)
	p.waitJS(fmt.Sprintf(`document.body.dataset.traceHash !== %q`, hashSlow), stepTimeout, "Undo should bring back the previous run")
	p.click(web.IDRedo)
	p.waitJS(fmt.Sprintf(`document.body.dataset.traceHash === %q`, hashSlow), stepTimeout, "Redo should bring back the slow mailer's run")

	// Switch service → service2 to async: select the edge, flip it.
	p.clickEdgeLine(1)
	p.waitJS(fmt.Sprintf(`!!document.getElementById(%q)`, web.IDFlipEdge), stepTimeout, "selecting an edge shows its properties")
	p.click(web.IDFlipEdge)
	p.waitJS(fmt.Sprintf(`document.querySelector(%q)?.getAttribute("aria-label")?.startsWith("async")`, edgeSel(1)), stepTimeout,
		"the edge should be async")
	p.waitRan("the async mailer")
	sc, _ := p.draft()
	require.Equal(t, core.Async, sc.Edges[1].Mode)
	require.Equal(t, nativeRun(t, sc).Hash, p.state().Hash, "the page runs the scenario it shows, as core does")

	// Compare with the counterpart (the sync wiring) and read the figures.
	p.runCompare()
	other, err := core.Counterpart(sc)
	require.NoError(t, err)
	want, err := core.Compare(sc, other)
	require.NoError(t, err)
	userP50 := p.figureCells("user p50")
	wantP50, _ := want.Figure("user p50")
	assert.InDelta(t, wantP50.A, userP50[0], 0.05*wantP50.A+0.1, "user p50 of the async wiring, as core computes it")
	assert.InDelta(t, wantP50.B, userP50[1], 0.05*wantP50.B+0.1, "user p50 of the sync wiring, as core computes it")
	assert.Less(t, userP50[0], userP50[1], "the async wiring answers the user sooner than the sync one")
	p99 := p.figureCells("user p99")
	assert.Less(t, p99[0], p99[1], "and its tail is shorter too")
	// Picking an event in the log draws its request's waterfall.
	e, err := core.NewEngine(sc, core.Options{Trace: true})
	require.NoError(t, err)
	e.Run()
	tl := core.NewTimeline(e.Scenario(), e.Trace())
	p.focusBody()
	p.press(kb.End)
	p.waitStep(tl.Len())
	endReq := tl.Record(tl.Len() - 1).Req
	visible := mustRun(p, chromedp.Evaluate[[]int](fmt.Sprintf(`Array.from(document.querySelectorAll("#%s [data-step]")).map(el => Number(el.dataset.step))`, web.IDEventLog)))
	pick := -1
	for _, step := range visible {
		if r := tl.Record(step - 1).Req; r >= 0 && r != endReq {
			pick = step
			break
		}
	}
	require.Positive(t, pick, "the log near the end shows an event of another request than the last one's")
	req := tl.Record(pick - 1).Req
	p.waitJS(fmt.Sprintf(`(document.querySelector("#%s #%s")?.textContent ?? "").includes("Request %d ")`, web.IDWaterfallOut, web.IDWaterfall, endReq),
		stepTimeout, "at the end, the waterfall of the last request, %d", endReq)
	// Scrolled into view first, as a person does before clicking: the log
	// draws the rows near its viewport afresh when it scrolls. The log
	// scrolls itself at an animation frame (scrollLog), and a scroll
	// event comes at one too: two frames before and after the scroll let
	// the program's own scroll land first and the learner's reach the app.
	row := fmt.Sprintf(`#%s [data-step="%d"]`, web.IDEventLog, pick)
	const twoFrames = `new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))`
	done := p.actions()
	_, err = run(p, chromedp.Evaluate[chromedp.Void](`(async () => { await `+twoFrames+`; document.querySelector('`+row+`').scrollIntoView({block: "center"}); await `+twoFrames+`; })()`, chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	p.settle(done)
	p.do(chromedp.Click(chromedp.CSS(row)))
	p.waitStep(pick)
	p.waitJS(fmt.Sprintf(`(document.querySelector("#%s #%s")?.textContent ?? "").includes("Request %d ")`, web.IDWaterfallOut, web.IDWaterfall, req),
		stepTimeout, "picking an event of request %d in the log draws its waterfall", req)
	for _, id := range []string{web.IDLatencyChart, web.IDThroughputChart} {
		assert.True(t, mustRun(p, chromedp.Evaluate[bool](fmt.Sprintf(`!!document.querySelector("#%s #%s svg")`, web.IDCompareOut, id))), "chart %s", id)
	}
	p.requireCleanConsole()
}

// TestSandboxKeyboard builds client → service from an empty canvas with
// the keyboard alone: palette, moving a node, connecting, flipping.
func TestSandboxKeyboard(t *testing.T) {
	browser := sharedBrowser(t)
	p := openReady(t, browser, serverURL+"/sandbox")
	openSandbox(t, p)
	p.emptyCanvas()

	p.fromTop()
	p.tabTo("#"+web.PaletteButtonID(core.Client), false, 60)
	p.press(kb.Enter)
	p.waitNode("client")
	p.requireFocus(nodeSel("client"), "a new node takes the focus")
	x0 := p.nodeCentreX("client")
	p.press(kb.ArrowRight)
	p.press(kb.ArrowRight)
	p.waitJS(fmt.Sprintf(`document.activeElement?.matches(%q)`, nodeSel("client")), stepTimeout, "the moved node keeps the focus")
	assert.Greater(t, p.nodeCentreX("client"), x0, "ArrowRight moves the node right")

	p.fromTop()
	p.tabTo("#"+web.PaletteButtonID(core.Service), false, 60)
	p.press(kb.Enter)
	p.waitNode("service")

	// Connect: focus the client, C, Tab to the service, Enter.
	p.fromTop()
	p.tabTo(nodeSel("client"), false, 80)
	p.press("c")
	p.waitJS(fmt.Sprintf(`document.getElementById(%q)?.classList.contains("connecting")`, web.IDCanvas), stepTimeout, "C starts connecting")
	p.tabTo(nodeSel("service"), false, 5)
	p.press(kb.Enter)
	p.waitEdges(1)
	p.waitRan("client → service")

	// Flip the edge with F.
	p.tabTo(edgeSel(0), true, 10) // edges come before nodes in the canvas's order
	p.press("f")
	p.waitJS(fmt.Sprintf(`document.querySelector(%q)?.getAttribute("aria-label")?.startsWith("async")`, edgeSel(0)), stepTimeout,
		"F flips the edge to async")
	p.waitRan("client ⇢ service")
	sc, _ := p.draft()
	require.Len(t, sc.Edges, 1)
	assert.Equal(t, core.Async, sc.Edges[0].Mode)

	// Ctrl+Z undoes the flip.
	p.focusBody()
	p.do(chromedp.KeyEvent("z", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	p.waitJS(fmt.Sprintf(`document.querySelector(%q)?.getAttribute("aria-label")?.startsWith("sync")`, edgeSel(0)), stepTimeout,
		"Ctrl+Z undoes the flip")
	p.requireCleanConsole()
}

func (p *tab) nodeCentreX(id string) float64 {
	p.t.Helper()
	x, _ := p.nodeCentre(id)
	return x
}

// TestSandboxTemplateLink loads a template, moves a node, copies the link
// and opens it in a fresh tab: the same builder state, run and step.
func TestSandboxTemplateLink(t *testing.T) {
	browser := sharedBrowser(t)
	p := openReady(t, browser, serverURL+"/sandbox")
	openSandbox(t, p)
	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
  const sel = document.getElementById(%q);
  sel.value = "checkout-hybrid";
  sel.dispatchEvent(new Event("change", {bubbles: true}));
})()`, web.IDTemplate)))
	tmpl := example(t, "checkout-hybrid")
	p.waitNode(tmpl.Nodes[len(tmpl.Nodes)-1].ID)
	p.waitRan("the template")
	require.Equal(t, nativeRun(t, tmpl).Hash, p.state().Hash, "the template runs as core runs it")

	// Move a node with the keyboard, step back a little, and share.
	id := tmpl.Nodes[1].ID
	p.fromTop()
	p.tabTo(nodeSel(id), false, 80)
	p.press(kb.ArrowDown)
	p.waitJS(`document.getElementById("share-status")?.textContent.startsWith("Moved")`, stepTimeout, "the move is announced")
	p.focusBody()
	p.press(kb.Home)
	p.waitStep(0)
	for range 5 {
		p.press(kb.ArrowRight)
	}
	p.waitStep(5)
	mine, f := p.draft()
	require.Equal(t, 5, f.Step)
	require.NotNil(t, mine.Nodes[1].Pos)
	canvas := p.canvasNodes()

	q := openFreshReady(t, browser, serverURL+"/sandbox#"+f.String())
	q.waitStep(5, "the link reopens at its step")
	theirs, _ := q.draft()
	a, err := mine.MarshalCanonical()
	require.NoError(t, err)
	b, err := theirs.MarshalCanonical()
	require.NoError(t, err)
	assert.JSONEq(t, string(a), string(b), "the link reopens the same builder state, positions included")
	assert.Equal(t, canvas, q.canvasNodes(), "every node where it was")
	assert.Equal(t, p.state().Hash, q.state().Hash, "the same run")
	q.requireCleanConsole()
	p.requireCleanConsole()
}

// canvasNodes maps each node on the canvas to its transform.
func (p *tab) canvasNodes() map[string]string {
	p.t.Helper()
	return mustRun(p, chromedp.Evaluate[map[string]string](fmt.Sprintf(`Object.fromEntries(Array.from(document.querySelectorAll("#%s [data-node]")).map(n => [n.dataset.node, n.getAttribute("transform")]))`, web.IDCanvas)))
}

// TestSandboxScreens takes screenshots of the sandbox with a comparison,
// on a desktop and on a phone, for a person to look at.
func TestSandboxScreens(t *testing.T) {
	browser := sharedBrowser(t)
	dir, err := os.MkdirTemp("", "sandbox-screens-")
	require.NoError(t, err)
	p := openReady(t, browser, serverURL+"/sandbox#ex=spike-async")
	openSandbox(t, p)
	p.runCompare()
	p.do(chromedp.EmulateViewport(1280, 900))
	p.clickNode("orders") // the properties panel shows a worker's fields
	p.waitJS(fmt.Sprintf(`!!document.getElementById(%q)`, web.IDDeleteNode), stepTimeout, "the worker's properties")
	for _, s := range screens {
		p.do(s.setup)
		data := mustRun(p, fullPageScreenshot())
		img, err := png.Decode(bytes.NewReader(data))
		require.NoError(t, err, s.name)
		assert.Equal(t, s.width, img.Bounds().Dx(), "%s: width", s.name)
		path := filepath.Join(dir, "sandbox-"+s.name+".png")
		require.NoError(t, os.WriteFile(path, data, 0o644))
		t.Logf("screenshot %dx%d: %s", img.Bounds().Dx(), img.Bounds().Dy(), path)
	}
	p.requireCleanConsole()
}

// TestSandboxCounterpartOfSyncSpike compares the synchronous spike
// template with the compare menu's default, its counterpart: it runs (the
// shoppers now send through a queue to the same service), both wirings are
// drawn, the page shows the core's figures, and the queue's faster answer
// is marked better.
func TestSandboxCounterpartOfSyncSpike(t *testing.T) {
	browser := sharedBrowser(t)
	p := openReady(t, browser, serverURL+"/sandbox#ex=spike-sync")
	openSandbox(t, p)
	p.runCompare()
	sc := example(t, "spike-sync")
	other, err := core.Counterpart(sc)
	require.NoError(t, err)
	want, err := core.Compare(sc, other)
	require.NoError(t, err)
	wantP50, _ := want.Figure("user p50")
	got := p.figureCells("user p50")
	assert.Equal(t, [2]float64{wantP50.A, wantP50.B}, got, "user p50 of both wirings, as core computes it")
	assert.Equal(t, 1, want.Better(wantP50))
	assert.True(t, mustRun(p, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector("#%s td:last-child")?.classList.contains("better")`,
		web.ComparisonFigureID("user p50")))), "the queue's answer is marked better")
	drawn := mustRun(p, chromedp.Evaluate[[]string](fmt.Sprintf(`Array.from(document.querySelectorAll("#%s .compared-topology svg [data-node]")).map(n => n.dataset.node)`,
		web.IDCompareOut)))
	assert.ElementsMatch(t, []string{"shoppers", "orders", "shoppers", "orders-queue", "orders"}, drawn, "both wirings drawn")
	p.requireCleanConsole()
}

// TestSandboxLongRun opens a traffic spike of 100,000 requests: the run
// goes in slices, showing its progress, and the page keeps answering (a
// timer is never held up for long); then Compare does the same with its
// progress bar. It logs sandbox_run_100k_ms and the longest pause of each
// (sandbox_run_longest_pause_ms, sandbox_compare_longest_pause_ms).
//
// The run's pauses are timed from the end of the edit that starts it: the
// page handles a field's change event in the event's own task (the Go
// program runs every goroutine it woke before it returns to the page), so
// the run's first slice, and the browser's drawing of the edit, come
// after. The edit itself, and selecting the node before it, are timed on
// their own (sandbox_select_pause_ms, sandbox_edit_pause_ms): they are
// the page answering a person, not the run.
func TestSandboxLongRun(t *testing.T) {
	browser := sharedBrowser(t)
	sc := example(t, "spike-async")
	w := sc.Nodes[sc.NodeIndex("shoppers")].Workload
	for i := range w.Phases {
		w.Phases[i].Rate *= 14
	}
	w.Count = 1000
	enc, err := core.EncodeShareLink(sc)
	require.NoError(t, err)
	p := openReady(t, browser, serverURL+"/sandbox#"+core.Fragment{Scenario: enc}.String())
	openSandbox(t, p)
	// Watch the run status's texts and the longest gap between timer
	// ticks (a frozen page delays them), then ask for 100,000 requests.
	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
  window.__seen = new Set(); window.__gap = 0; window.__last = performance.now();
  const status = document.getElementById(%q);
  new MutationObserver(() => window.__seen.add(status.textContent)).observe(status, {childList: true, characterData: true, subtree: true});
  window.__said = []; const live = document.getElementById(%q);
  new MutationObserver(() => window.__said.push(live.textContent)).observe(live, {childList: true, characterData: true, subtree: true});
  window.__tick = setInterval(() => { const now = performance.now(); window.__gap = Math.max(window.__gap, now - window.__last); window.__last = now; }, 10);
  window.__start = performance.now();
})()`, web.IDRunStatus, web.StatusLiveID(web.IDRunStatus))))
	p.clickNode("shoppers")
	path := fmt.Sprintf("nodes[%d].workload.count", sc.NodeIndex("shoppers"))
	p.waitJS(fmt.Sprintf(`!!document.getElementById(%q)`, web.FieldID(path)), stepTimeout, "the workload's count in the properties panel")
	t.Logf("sandbox_select_pause_ms: %.0f ms", mustRun(p, chromedp.Evaluate[float64](`window.__gap`)))
	edit := mustRun(p, chromedp.Evaluate[float64](fmt.Sprintf(`(() => {
  const el = document.getElementById(%q);
  const start = performance.now();
  el.focus();
  el.value = "100000";
  el.dispatchEvent(new Event("change", {bubbles: true}));
  const end = performance.now();
  window.__gap = 0; window.__last = end;
  return end - start;
})()`, web.FieldID(path))))
	t.Logf("sandbox_edit_pause_ms: %.0f ms", edit)
	w.Count = 100_000
	p.waitJS(fmt.Sprintf(`Array.from(window.__seen).some(s => s.startsWith("Ran")) && (document.getElementById(%q)?.textContent ?? "").startsWith("Ran")`, web.IDRunStatus), 3*compareTimeout,
		"the 100,000-request run should finish")
	elapsed := mustRun(p, chromedp.Evaluate[float64](`performance.now() - window.__start`))
	seen := mustRun(p, chromedp.Evaluate[[]string](`Array.from(window.__seen)`))
	gap := mustRun(p, chromedp.Evaluate[float64](`window.__gap`))
	var progress []string
	for _, s := range seen {
		if strings.HasPrefix(s, "Running… ") {
			progress = append(progress, s)
		}
	}
	t.Logf("run status went through %d progress texts: %v", len(progress), progress)
	require.GreaterOrEqual(t, len(progress), 2, "a long run shows its progress more than once")
	t.Logf("sandbox_run_100k_ms: %.0f ms", elapsed)
	t.Logf("sandbox_run_longest_pause_ms: %.0f ms", gap)
	require.Equal(t, nativeRun(t, sc).Hash, p.state().Hash, "the sliced run is the run core makes in one go")
	// A screen reader hears each phase once: the line people see went
	// through its percentages, its live region did not.
	said := mustRun(p, chromedp.Evaluate[[]string](`window.__said`))
	t.Logf("the run status's live region said: %q", said)
	phases := map[string]int{}
	for _, s := range said {
		phases[strings.SplitN(s, "…", 2)[0]]++
		assert.NotRegexp(t, `… \d+%`, s, "no percentage is read out")
	}
	assert.Equal(t, 1, phases["Running"], "the run is announced once")
	assert.LessOrEqual(t, phases["Preparing the step-through"], 1, "the step-through's preparation is announced at most once")
	require.NotEmpty(t, said)
	assert.Equal(t, p.text(web.IDRunStatus), said[len(said)-1], "the live region ends saying what the line shows")

	// Compare with its counterpart... which for a client → queue → worker
	// wiring is the sync one (the queue taken out).
	p.do(chromedp.Evaluate[chromedp.Void](`window.__gap = 0; window.__bar = []; const bar = document.getElementById("` + web.IDCompareBar + `");
  new MutationObserver(() => { if (!bar.hidden) window.__bar.push(Number(bar.value)); }).observe(bar, {attributes: true});`))
	p.click(web.IDCompareRun)
	p.waitJS(fmt.Sprintf(`!!document.querySelector("#%s #%s")`, web.IDCompareOut, web.IDComparison), 3*compareTimeout, "the comparison should finish")
	bar := mustRun(p, chromedp.Evaluate[[]float64](`window.__bar`))
	t.Logf("compare progress bar values: %v", bar)
	t.Logf("sandbox_compare_longest_pause_ms: %.0f ms", mustRun(p, chromedp.Evaluate[float64](`window.__gap`)))
	inBetween := 0
	for _, v := range bar {
		if v > 0 && v < 1 {
			inBetween++
		}
	}
	require.GreaterOrEqual(t, inBetween, 2, "the progress bar moves while comparing")
	p99 := p.figureCells("user p99")
	assert.Less(t, p99[0], p99[1], "through the queue the shoppers' p99 is lower than when they wait for the orders service")
	p.requireCleanConsole()
}

// TestSandboxMalformedLinks: a broken link says what is wrong in the error
// banner, over a working template the learner can edit.
func TestSandboxMalformedLinks(t *testing.T) {
	browser := sharedBrowser(t)
	good, err := core.EncodeShareLink(example(t, core.DefaultExample))
	require.NoError(t, err)
	cases := []struct{ name, fragment, want string }{
		{"garbage", "s=garbage", "no version"},
		{"truncated", ("s=" + good)[:len("s="+good)/2], "cut off"},
		{"unknown template", "ex=nope", `no built-in scenario "nope"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := openFreshReady(t, browser, serverURL+"/sandbox#"+c.fragment)
			openSandbox(t, p)
			b := p.waitBanner()
			assert.True(t, b.Visible, "the error banner must be visible: %+v", b)
			assert.Contains(t, b.Text, c.want)
			assert.Contains(t, b.Text, "showing a template instead")
			assert.Equal(t, nativeRun(t, example(t, core.DefaultExample)).Hash, p.state().Hash, "the default template runs")
			p.click(web.PaletteButtonID(core.Worker))
			p.waitNode("worker")
			p.requireCleanConsole()
		})
	}
}

// TestRedrawKeepsThePageWhereItIs: a selected edge keeps the focus when
// a redraw replaces the canvas (an edit's, a finished run's), without
// scrolling the page back to it. It scrolled: a run finishing while the learner reached for a
// button further down moved the page under the pointer, and the click
// landed on whatever was there instead (TestChallengeSpike's Delete edge,
// 1 run in 5).
func TestRedrawKeepsThePageWhereItIs(t *testing.T) {
	browser := sharedBrowser(t)
	p := openReady(t, browser, serverURL+"/sandbox#ex=spike-async")
	openSandbox(t, p)
	p.do(chromedp.EmulateViewport(1280, 700))
	p.pressEdge(0)
	p.waitJS(fmt.Sprintf(`!!document.getElementById(%q) && document.activeElement?.dataset?.edge === "0"`, web.IDDeleteEdge), stepTimeout, "the edge is selected and focused")
	// The canvas out of sight above; then a change to the edge, made
	// without taking the focus, runs the scenario again.
	y := mustRun(p, chromedp.Evaluate[float64](fmt.Sprintf(`(() => {
  const canvas = document.getElementById(%q);
  scrollTo(0, canvas.getBoundingClientRect().bottom + scrollY + 100);
  const y = scrollY, field = document.getElementById(%q);
  field.value = "4ms";
  field.dispatchEvent(new Event("change", {bubbles: true}));
  return y;
})()`, web.IDCanvas, web.FieldID("edges[0].latency.max"))))
	require.Positive(t, y)
	p.waitRan("the edge's new latency")
	assert.Equal(t, "0", mustRun(p, chromedp.Evaluate[string](`document.activeElement?.dataset?.edge ?? ""`)), "the redrawn edge has the focus back")
	assert.Equal(t, y, mustRun(p, chromedp.Evaluate[float64](`scrollY`)), "the page did not scroll")
	p.do(chromedp.ResetViewport())
	p.requireCleanConsole()
}
