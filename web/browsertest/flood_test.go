//go:build !js

package browsertest

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/web"
)

// A flood of input, dispatched from the page's own script all at once:
// the app must act on every key, and a drag must end where the pointer
// did, however many moves came first.

// floodTimeout is how long the page may take over a flood of input.
const floodTimeout = 60 * time.Second

// floodExample has more than 1,000 steps (3,125 natively).
const floodExample = "grpc-retry"

// TestFloodKeys presses ArrowRight 1,000 times in one go: data-step must
// end at exactly 1,000, every press having landed.
func TestFloodKeys(t *testing.T) {
	browser := sharedBrowser(t)
	p := openReady(t, browser, serverURL+"/")
	p.selectExample(floodExample)
	require.Greater(t, p.state().Steps, 1000, "%s must have more than 1,000 steps", floodExample)
	p.focusBody()
	before := p.settle(0)

	start := time.Now()
	p.do(chromedp.Evaluate[chromedp.Void](`(() => {
  for (let i = 0; i < 1000; i++) {
    document.body.dispatchEvent(new KeyboardEvent("keydown", {key: "ArrowRight", bubbles: true, cancelable: true}));
  }
})()`))
	done := p.settleWithin(before+1000, floodTimeout)
	t.Logf("1,000 ArrowRight presses done in %v", time.Since(start))
	assert.Equal(t, before+1000, done, "each press is one action")
	assert.Equal(t, 1000, p.state().Step, "every one of the 1,000 presses moved one step")
	p.requireCleanConsole()
}

// floodDragJS drags node %q (its box's centre) with 500 pointermoves and a
// pointerup, all dispatched at once. Moves 1..499 go out to twice
// (dx, dy); the 500th comes back to (dx, dy), so a drag that lost its last
// move ends far from the pointer. It returns where the pointer ended, in
// client coordinates, whole pixels (as a mouse reports them).
const floodDragJS = `((sel, dx, dy) => {
  const node = document.querySelector(sel);
  node.scrollIntoView({block: "center"});
  const box = node.querySelector("rect");
  const r = box.getBoundingClientRect();
  const x = Math.round(r.left + r.width / 2), y = Math.round(r.top + r.height / 2);
  const ev = (type, cx, cy, buttons) => new PointerEvent(type, {bubbles: true, cancelable: true, composed: true,
    pointerId: 1, pointerType: "mouse", isPrimary: true, clientX: cx, clientY: cy, button: 0, buttons});
  box.dispatchEvent(ev("pointerdown", x, y, 1));
  for (let i = 1; i < 500; i++) {
    document.body.dispatchEvent(ev("pointermove", x + Math.round(2 * dx * i / 499), y + Math.round(2 * dy * i / 499), 1));
  }
  document.body.dispatchEvent(ev("pointermove", x + dx, y + dy, 1));
  document.body.dispatchEvent(ev("pointerup", x + dx, y + dy, 0));
  return [x + dx, y + dy];
})(%q, %d, %d)`

// nodeOffJS is how far, in canvas units, node %q's box's centre is from
// the client point (%f, %f).
const nodeOffJS = `((sel, px, py) => {
  const svg = document.getElementById(%q);
  const r = document.querySelector(sel).querySelector("rect").getBoundingClientRect();
  const s = svg.viewBox.baseVal.width / svg.getBoundingClientRect().width;
  return [(r.left + r.width / 2 - px) * s, (r.top + r.height / 2 - py) * s];
})(%q, %f, %f)`

// TestFloodDrag drags a sandbox node with 500 pointermoves and a pointerup
// at once: the node must end under the pointer, and a later pointermove
// without a button pressed must not move it (the drag ended).
func TestFloodDrag(t *testing.T) {
	browser := sharedBrowser(t)
	p := openReady(t, browser, serverURL+"/sandbox")
	p.do(chromedp.EmulateViewport(1280, 900))
	openSandbox(t, p)
	id := mustRun(p, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector("#%s [data-node]")?.dataset.node ?? ""`, web.IDCanvas)))
	require.NotEmpty(t, id, "the sandbox's template has a node on the canvas")
	sel := nodeSel(id)
	before := p.settle(0)
	startAt := p.canvasNodes()[id]

	const dx, dy = 70, 50
	end := mustRun(p, chromedp.Evaluate[[]float64](fmt.Sprintf(floodDragJS, sel, dx, dy)))
	require.Len(t, end, 2)
	// pointerdown and pointerup are an action each; the moves at least one.
	done := p.settleWithin(before+3, floodTimeout)
	// Logged, not asserted: the count includes the redraws (one per
	// frame), and how many moves coalesce depends on when the app runs.
	t.Logf("a drag of 500 pointermoves took %d actions", done-before)
	at := p.canvasNodes()[id]
	assert.NotEqual(t, startAt, at, "the drag moved node %s", id)
	off := mustRun(p, chromedp.Evaluate[[]float64](fmt.Sprintf(nodeOffJS, web.IDCanvas, sel, end[0], end[1])))
	require.Len(t, off, 2)
	// Within 2 canvas units: the grab was half a pixel off the centre,
	// and positions are whole units.
	assert.LessOrEqual(t, math.Hypot(off[0], off[1]), 2.0,
		"node %s ends under the pointer: it is (%.1f, %.1f) canvas units off", id, off[0], off[1])

	// A move with no button pressed, then a pointerup, which is one action
	// always: once it is done, so is anything the move caused.
	before = p.actions()
	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`((x, y) => {
  const ev = (type, buttons) => new PointerEvent(type, {bubbles: true, cancelable: true, composed: true,
    pointerId: 1, pointerType: "mouse", isPrimary: true, clientX: x, clientY: y, button: 0, buttons});
  document.body.dispatchEvent(ev("pointermove", 0));
  document.body.dispatchEvent(ev("pointerup", 0));
})(%f, %f)`, end[0]+120, end[1]+90)))
	assert.Equal(t, before+1, p.settle(before+1), "a pointermove after the drag queues no action")
	assert.Equal(t, at, p.canvasNodes()[id], "a pointermove after the drag ended does not move node %s", id)
	p.requireCleanConsole()
}
