//go:build !js

package browsertest

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/web"
)

// codeView is what a lesson step's code pane and the player show at a step,
// read from the DOM only.
type codeView struct {
	Lines     []int  `json:"lines"`     // the lines marked current
	ARIA      []int  `json:"aria"`      // the lines with aria-current=true
	Text      string `json:"text"`      // the current line's code, as shown
	Now       string `json:"now"`       // the status line
	Arrow     bool   `json:"arrow"`     // the current line's gutter arrow is visible
	Node      string `json:"node"`      // fetch_all's box: its accessible name
	NodeClass string `json:"nodeClass"` // and its class
	MaxWait   string `json:"maxWait"`   // the numbers' "Client blocked (max)"
	Answer    bool   `json:"answer"`    // the total in the code is visible
	Overflow  int    `json:"overflow"`  // how far the page is wider than the window
	PaneRight int    `json:"paneRight"` // the pane's right edge, in px
	Width     int    `json:"width"`     // the window's width
}

func (p *tab) codeView(n int) codeView {
	p.t.Helper()
	return mustRun(p, chromedp.Evaluate[codeView](fmt.Sprintf(`(() => {
  const pane = document.getElementById(%q);
  const cur = [...pane.querySelectorAll(".code-line.current")];
  const line = cur[0];
  const node = document.querySelector('#topology [data-node="fetch_all"]');
  const answer = pane.querySelector(".code-answer");
  return {
    lines: cur.map(l => Number(l.dataset.line)),
    aria: [...pane.querySelectorAll('.code-line[aria-current="true"]')].map(l => Number(l.dataset.line)),
    text: line ? line.querySelector(".code-text").textContent : "",
    now: document.getElementById(%q).textContent,
    arrow: line ? getComputedStyle(line.querySelector(".code-arrow")).visibility === "visible" : false,
    node: node ? node.getAttribute("aria-label") : "",
    nodeClass: node ? node.getAttribute("class") : "",
    maxWait: document.querySelector('#stats [data-stat="max-latency"] dd')?.textContent ?? "",
    answer: answer ? getComputedStyle(answer).display !== "none" : false,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    paneRight: Math.round(pane.getBoundingClientRect().right),
    width: window.innerWidth,
  };
})()`, web.CodePaneID(n), web.CodeNowID(n))))
}

// TestLessonCodePaneFollowsTheRun steps through the async/await lesson's
// gathered step with the keyboard, on a desktop and on a phone, and reads
// from the page alone: while fetch_all's box says it awaits three calls,
// the code pane marks the `await asyncio.gather(` line (class, arrow,
// aria-current, status line), and the box says it awaits, suspended,
// never blocked. At the end the numbers give the seed's figures: ~100ms
// gathered, and 300ms awaited one by one at step 1. The total in the code
// stays "?" until the question is answered. axe-core finds nothing serious
// with a line marked.
func TestLessonCodePaneFollowsTheRun(t *testing.T) {
	browser := sharedBrowser(t)
	for _, size := range pageSizes {
		t.Run(size.name, func(t *testing.T) {
			p := openPage(t, browser, "about:blank")
			p.do(size.setup)
			p.goSettled(web.LessonPath("async-await") + "#step=2")
			require.Equal(t, 0, p.state().Step, "the gathered step has no stop")
			v := p.codeView(2)
			require.Empty(t, v.Lines, "nothing has run yet")
			assert.Equal(t, "The run has not reached this code yet.", v.Now)

			p.focusBody()
			steps, three := p.state().Steps, 0
			for k := 1; k <= steps; k++ {
				p.press(kb.ArrowRight)
				p.waitStep(k, "ArrowRight")
				v = p.codeView(2)
				assert.NotContains(t, v.Node, "blocked", "step %d: fetch_all never blocks", k)
				assert.NotContains(t, v.NodeClass, "blocked", "step %d", k)
				if !strings.Contains(v.Node, "awaits 3 calls") {
					continue
				}
				three++
				assert.Contains(t, v.Node, "the event loop is free", "step %d", k)
				assert.Contains(t, v.NodeClass, "awaiting", "step %d", k)
				require.Len(t, v.Lines, 1, "step %d: one current line", k)
				assert.Equal(t, v.Lines, v.ARIA, "step %d: the current line has aria-current", k)
				assert.Contains(t, v.Text, "await asyncio.gather(", "step %d: three calls in flight", k)
				assert.True(t, v.Arrow, "step %d: the arrow marks the line, not colour alone", k)
				assert.Equal(t, "Now at line "+strconv.Itoa(v.Lines[0])+": user, orders, reviews = await asyncio.gather(", v.Now, "step %d", k)
			}
			assert.Greater(t, three, 3, "three calls are in flight together for several steps")
			assert.Equal(t, "100ms", v.MaxWait, "gathered: the slowest of three 100ms calls")
			assert.False(t, v.Answer, "the total in the code waits for the answer")
			assert.LessOrEqual(t, v.Overflow, 0, "the page does not scroll sideways")
			assert.LessOrEqual(t, v.PaneRight, v.Width, "the pane fits the window")

			// The code scrolls on its own, and takes the focus for it.
			p.fromTop()
			p.tabTo("#"+web.CodePaneID(2)+" pre.code", false, 40)

			p.do(chromedp.Evaluate[chromedp.Void](axeSource))
			vs := mustRun(p, chromedp.Evaluate[[]axeViolation](fmt.Sprintf(axeRunJS, "{}"), chromedp.EvalAwaitPromise))
			for _, v := range vs {
				t.Errorf("with a line marked: %s", v)
			}

			p.fromTop()
			p.tabTo("#"+web.AnswerID(2), false, 60)
			p.press("100")
			p.press(kb.Enter)
			p.waitText(web.CheckpointResultID(2), "Right")
			assert.True(t, p.codeView(2).Answer, "answered: the total shows in the code")

			// Step 1: awaited one by one, each await in turn, 300ms.
			p.goSettled(web.LessonPath("async-await") + "#step=1")
			p.focusBody()
			steps, seen := p.state().Steps, map[string]bool{}
			for k := 1; k <= steps; k++ {
				p.press(kb.ArrowRight)
				p.waitStep(k, "ArrowRight")
				v = p.codeView(1)
				for _, f := range []string{"fetch_user", "fetch_orders", "fetch_reviews"} {
					if strings.Contains(v.Node, "awaits "+f) {
						seen[f] = true
						assert.Contains(t, v.Text, "await "+f+"()", "step %d", k)
					}
				}
			}
			assert.Len(t, seen, 3, "each call awaited in turn")
			assert.Equal(t, "300ms", v.MaxWait, "one by one: the sum of three 100ms calls")
			p.requireCleanConsole()
			p.do(chromedp.ResetViewport())
		})
	}
}
