//go:build !js

package browsertest

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/web"
)

// logRows is what the event log shows: the data-step of every row in
// #event-log, its aria-activedescendant, and its rows' titles.
type logRows struct {
	Steps  []int    `json:"steps"`
	Active string   `json:"active"`
	Titles []string `json:"titles"`
	Size   string   `json:"size"` // the rows' aria-setsize
}

var logRowsJS = fmt.Sprintf(`(() => {
  const log = document.getElementById(%q);
  const rows = [...log.querySelectorAll("[data-step]")];
  return {
    steps: rows.map(r => Number(r.dataset.step)),
    active: log.getAttribute("aria-activedescendant") ?? "",
    titles: rows.map(r => r.title),
    size: rows[0]?.getAttribute("aria-setsize") ?? "",
  };
})()`, web.IDEventLog)

func (p *tab) logRows() logRows {
	p.t.Helper()
	return mustRun(p, chromedp.Evaluate[logRows](logRowsJS))
}

// requireNoFuture fails unless every row of the log is at or before the
// current step, and the current step's row is there.
func (p *tab) requireNoFuture(msg string) logRows {
	p.t.Helper()
	step := p.state().Step
	rows := p.logRows()
	require.NotEmpty(p.t, rows.Steps, "%s: the log's rows", msg)
	for _, s := range rows.Steps {
		require.LessOrEqual(p.t, s, step, "%s: a row (data-step=%d) after the current step %d", msg, s, step)
	}
	require.Contains(p.t, rows.Steps, step, "%s: the current step's row", msg)
	return rows
}

// TestNotableKey presses N and Shift+N in grpc-deadline, whose one
// notable step is its timeout, and checks the scrubber's mark for it.
func TestNotableKey(t *testing.T) {
	browser := sharedBrowser(t)
	p := openReady(t, browser, serverURL+"/#ex=grpc-deadline")
	mark := mustRun(p, chromedp.Evaluate[string](fmt.Sprintf(
		`document.querySelector("#%s [data-step]")?.getAttribute("aria-label") ?? ""`, web.IDLandmarks)))
	assert.Equal(t, "step 4: timeout of request 0", mark, "the scrubber's mark for the timeout")

	p.focusBody()
	before := p.actions()
	p.press("n")
	p.settle(before + 1)
	assert.Equal(t, 4, p.state().Step, "N jumps to the next notable step, the timeout")
	assert.Contains(t, p.text(web.IDNarration), "deadline exceeded", "the narration at the timeout")

	before = p.actions()
	p.press("n")
	p.settle(before + 1)
	assert.Equal(t, 4, p.state().Step, "N past the last notable step stays")

	p.press(kb.End)
	p.waitStep(p.state().Steps)
	before = p.actions()
	p.do(chromedp.KeyEvent("N", chromedp.KeyModifiers(chromedp.ModifierShift)))
	p.settle(before + 1)
	assert.Equal(t, 4, p.state().Step, "Shift+N goes back to the previous notable step")

	p.press(kb.Home)
	p.waitStep(0)
	p.click(web.IDNextNotable)
	p.waitStep(4, "the Next notable button")
	p.requireCleanConsole()
}

// TestEventLogKeyboard reaches the event log with Tab, moves through its
// rows with the keys, activates one, and filters it.
func TestEventLogKeyboard(t *testing.T) {
	browser := sharedBrowser(t)
	sc := example(t, "dlq-poison")
	const start = 200
	p := openReady(t, browser, shareLink(t, sc, start))
	rows := p.requireNoFuture("at the link's step")
	assert.Equal(t, web.LogRowID(start), rows.Active, "the log follows the current step")
	assert.Equal(t, strconv.Itoa(start), rows.Size, "the log lists steps 1 to the current one")
	assert.Less(t, len(rows.Steps), 60, "only the rows near the viewport are drawn")

	p.fromTop()
	p.tabTo("#"+web.IDEventLog, false, 40)
	player := start
	press := func(key string, want int) {
		t.Helper()
		before := p.actions()
		p.press(key)
		p.settle(before + 1)
		rows := p.logRows()
		require.Equal(t, web.LogRowID(want), rows.Active, "after %q the active row", key)
		require.Contains(t, rows.Steps, want, "after %q the active row is drawn", key)
		require.Equal(t, player, p.state().Step, "moving in the log does not move the player")
	}
	press(kb.ArrowUp, start-1)
	press(kb.ArrowUp, start-2)
	press(kb.ArrowDown, start-1)
	press(kb.Home, 1)
	press(kb.PageDown, 1+(mustRun(p, chromedp.Evaluate[int](fmt.Sprintf(`document.getElementById(%q).clientHeight`, web.IDEventLog)))/web.LogRowHeight-1))
	press(kb.End, start)
	const k = start - 5
	for s := start - 1; s >= k; s-- {
		press(kb.ArrowUp, s)
	}
	before := p.actions()
	p.press(kb.Enter)
	p.settle(before + 1)
	assert.Equal(t, k, p.state().Step, "Enter on the row of step %d moves the player there", k)
	rows = p.requireNoFuture("after Enter")
	assert.Equal(t, strconv.Itoa(k), rows.Size, "the log now ends at step %d", k)
	p.requireFocus("#"+web.IDEventLog, "after Enter")
	player = k

	// Space activates too.
	press(kb.ArrowUp, k-1)
	before = p.actions()
	p.press(" ")
	p.settle(before + 1)
	assert.Equal(t, k-1, p.state().Step, "Space on a row moves the player to its step")

	// The filter: request 3's records only, still none after the current step.
	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).focus()`, web.IDLogReq)))
	before = p.actions()
	p.press("3")
	p.settle(before + 1)
	rows = p.logRows()
	require.NotEmpty(t, rows.Steps, "request 3 has records before step %d", k-1)
	for i, title := range rows.Titles {
		assert.Regexp(t, `(?i)\brequest 3\b`, title, "row %d (step %d) of the filtered log", i, rows.Steps[i])
		assert.LessOrEqual(t, rows.Steps[i], k-1, "a filtered row after the current step")
	}
	p.requireCleanConsole()
}

// TestLandmarksFollowTheScrubbersWidth narrows and widens the window and
// checks that the scrubber's marks are drawn again for its new width, a
// column of web.MarkEvery pixels each.
func TestLandmarksFollowTheScrubbersWidth(t *testing.T) {
	browser := sharedBrowser(t)
	p := openFreshPage(t, browser, serverURL+"/#ex=dlq-poison")
	p.do(chromedp.EmulateViewport(1280, 900))
	p.waitWASMReady(60 * time.Second)
	columns := func(width int) int { return max(width/web.MarkEvery, 1) * web.MarkEvery }
	// The columns the marks' viewBox has once it is drawn for the
	// scrubber's present width: a signal the app publishes, waited on.
	waitColumns := func(msg string) {
		t.Helper()
		got := mustRun(p, chromedp.Evaluate[[]int](fmt.Sprintf(`new Promise((resolve, reject) => {
  const deadline = performance.now() + 20000;
  const check = () => {
    const width = Math.floor(document.getElementById(%q).getBoundingClientRect().width);
    const box = Number(document.getElementById(%q).getAttribute("viewBox").split(" ")[2]);
    if (Math.abs(box - Math.max(Math.floor(width / %d), 1) * %d) < %d) return resolve([width, box]);
    if (performance.now() > deadline) return resolve([width, box]);
    requestAnimationFrame(check);
  };
  check();
})`, web.IDScrubber, web.IDLandmarks, web.MarkEvery, web.MarkEvery, web.MarkEvery), chromedp.EvalAwaitPromise))
		require.Len(t, got, 2)
		assert.InDelta(t, columns(got[0]), got[1], web.MarkEvery, "%s: the marks' width (viewBox) for a scrubber %d px wide", msg, got[0])
	}
	waitColumns("at 1280 px")
	wide := p.landmarksBox()
	p.do(chromedp.EmulateViewport(700, 900))
	waitColumns("at 700 px")
	assert.Less(t, p.landmarksBox(), wide, "a narrower window, fewer columns")
	p.do(chromedp.EmulateViewport(1280, 900))
	waitColumns("back at 1280 px")
	assert.Equal(t, wide, p.landmarksBox(), "as wide as before")
	p.requireCleanConsole()
}

// landmarksBox is the width of the scrubber marks' viewBox.
func (p *tab) landmarksBox() int {
	p.t.Helper()
	return mustRun(p, chromedp.Evaluate[int](fmt.Sprintf(`Number(document.getElementById(%q).getAttribute("viewBox").split(" ")[2])`, web.IDLandmarks)))
}
