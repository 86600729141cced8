//go:build !js

package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// TestStepping clicks Step forward k times, checking that each step shows
// something new, then Step back k times, checking that each step shows
// exactly what it showed on the way forward.
func TestStepping(t *testing.T) {
	browser := sharedBrowser(t)
	p := openReady(t, browser, serverURL+"/")
	const k = 6
	require.GreaterOrEqual(t, p.state().Steps, k, "the default example needs %d steps for this test", k)

	forward := []shown{p.shown()}
	assert.Empty(t, forward[0].Current, "at step 0 no event log item is current")
	for step := 1; step <= k; step++ {
		p.click(web.IDStepForward)
		p.waitStep(step, "after %d click(s) on Step forward", step)
		s := p.shown()
		prev := forward[step-1]
		assert.NotEqual(t, prev.Narration, s.Narration, "step %d: the narration must change", step)
		assert.Contains(t, s.Narration, fmt.Sprintf("Step %d of ", step), "step %d: the narration", step)
		assert.NotEmpty(t, s.Current, "step %d: an event log item is [aria-current=step]", step)
		assert.NotEqual(t, prev.Current, s.Current, "step %d: the current event log item must change", step)
		assert.Contains(t, s.Current, fmt.Sprintf(`data-step="%d"`, step), "step %d: the current event log item is the step's", step)
		forward = append(forward, s)
	}
	assert.Equal(t, k, p.state().Step, "data-step after %d clicks", k)
	assert.NotEqual(t, forward[0].Topology, forward[k].Topology, "the topology must change between step 0 and step %d", k)
	transits := false
	for _, s := range forward {
		transits = transits || s.Transits > 0
	}
	assert.True(t, transits, "a message in flight (circle.transit) must appear in the topology within %d steps", k)

	for step := k - 1; step >= 0; step-- {
		p.click(web.IDStepBack)
		p.waitStep(step, "Step back to %d", step)
		s := p.shown()
		assert.Equal(t, forward[step].Narration, s.Narration, "step %d: back, the narration must be what it was going forward", step)
		assert.Equal(t, forward[step].Current, s.Current, "step %d: back, the current event log item must be what it was going forward", step)
		// The glide differs (it runs backwards); where everything is
		// drawn does not.
		assert.Equal(t, stripMotion(forward[step].Topology), stripMotion(s.Topology), "step %d: back, the topology markup must be byte-for-byte what it was going forward, but for the glide", step)
	}
	p.requireCleanConsole()
}

// TestKeyboard drives the playback with the keys, the focus on the page's body.
func TestKeyboard(t *testing.T) {
	browser := sharedBrowser(t)
	p := openReady(t, browser, serverURL+"/")
	steps := p.state().Steps
	require.Greater(t, steps, 3)

	p.focusBody()
	for _, c := range []struct {
		name string
		key  string
		want int
	}{
		{"ArrowRight", kb.ArrowRight, 1},
		{"ArrowLeft", kb.ArrowLeft, 0},
		{"End", kb.End, steps},
		{"Home", kb.Home, 0},
	} {
		p.press(c.key)
		p.waitStep(c.want, "%s", c.name)
	}

	// Space plays: the play button is pressed and the steps advance on their
	// own; Space again pauses.
	p.press(" ")
	p.waitJS(fmt.Sprintf(`document.getElementById(%q).getAttribute("aria-pressed") === "true"`, web.IDPlay),
		stepTimeout, "Space should start playing: #%s aria-pressed=true", web.IDPlay)
	p.waitJS(`Number(document.body.dataset.step) >= 2`, stepTimeout, "while playing, data-step should advance on its own")
	before := p.actions()
	p.press(" ")
	p.waitJS(fmt.Sprintf(`document.getElementById(%q).getAttribute("aria-pressed") === "false"`, web.IDPlay),
		stepTimeout, "Space again should pause: #%s aria-pressed=false", web.IDPlay)
	paused := p.state().Step
	// Idle means the play clock has no next step scheduled: paused, the
	// step cannot move any more, and must not have moved since the pause.
	p.settle(before + 1)
	assert.Equal(t, paused, p.state().Step, "paused, data-step must not advance")
	p.requireCleanConsole()
}

// TestPlayButton clicks Play: the playback must start and keep going until
// Pause is clicked. It records every change of the play button's
// aria-pressed, so that a playback that starts and stops at once shows.
func TestPlayButton(t *testing.T) {
	browser := sharedBrowser(t)
	p := openReady(t, browser, serverURL+"/")
	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
  window.__pressed = [];
  const play = document.getElementById(%q);
  new MutationObserver(() => window.__pressed.push(play.getAttribute("aria-pressed") + "@" + document.body.dataset.step))
    .observe(play, {attributes: true, attributeFilter: ["aria-pressed"]});
})()`, web.IDPlay)))

	p.click(web.IDPlay)
	_, err := run(p, chromedp.Poll[bool](`Number(document.body.dataset.step) >= 3`,
		chromedp.WithPollingTimeout(3*time.Second), chromedp.WithPollingInterval(20*time.Millisecond)))
	history := mustRun(p, chromedp.Evaluate[[]string](`window.__pressed`))
	require.NoError(t, err,
		"APP BUG: a click on Play must start the playback, and data-step must advance on its own; "+
			"it is %d after 3s, and #%s's aria-pressed went %q (value@data-step). "+
			"Likely cause: wasm/main.go's document click handler (for event log items) does "+
			"closest(\"[data-step]\"), which also matches <body data-step>, so every click on the page "+
			"also queues stop() and show(current step) — the Play click is undone at once",
		p.state().Step, web.IDPlay, history)

	p.click(web.IDPlay)
	p.waitJS(fmt.Sprintf(`document.getElementById(%q).getAttribute("aria-pressed") === "false"`, web.IDPlay),
		stepTimeout, "a second click on Play should pause")
	p.requireCleanConsole()
}

// TestClicks checks that one click on Step forward moves exactly one step,
// however its event bubbles; that a click on an event log item jumps to its
// step, and a click elsewhere does nothing.
func TestClicks(t *testing.T) {
	browser := sharedBrowser(t)
	p := openReady(t, browser, serverURL+"/")
	// Each click must be one action: a stray second one (a handler
	// queueing twice) shows in the count once the app is idle.
	for step := 1; step <= 5; step++ {
		before := p.settle(0)
		p.click(web.IDStepForward)
		p.waitStep(step)
		assert.Equal(t, before+1, p.settle(before+1), "one click on Step forward is one action")
		assert.Equal(t, step, p.state().Step, "one click on Step forward moves one step")
	}

	before := p.actions()
	p.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`#%s [data-step="2"]`, web.IDEventLog))))
	p.waitStep(2, "a click on the event log's item 2 jumps to step 2")
	assert.Equal(t, before+1, p.settle(before+1), "a click on an event log item is one action")

	// A click on the narration must do nothing: the Step forward after it
	// is the one action both cause, and it lands on step 3.
	before = p.actions()
	p.do(chromedp.Click(chromedp.ID(web.IDNarration)))
	p.click(web.IDStepForward)
	p.waitStep(3, "Step forward after a click on the narration")
	assert.Equal(t, before+1, p.settle(before+1), "a click on the narration queues no action")
	assert.Equal(t, 3, p.state().Step, "a click on the narration does not move")

	p.requireCleanConsole()
}

// TestExport clicks Export JSON: the browser downloads rest-chain.json, the
// scenario on the page, which core reads back to the same scenario.
func TestExport(t *testing.T) {
	browser := sharedBrowser(t)
	p := openReady(t, browser, serverURL+"/")
	dir := t.TempDir()

	// Downloads go to dir, not ~/Downloads, and say when they are done.
	progress := chromedp.Events(p.ctx, cdpbrowser.DownloadProgress)
	p.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir, EventsEnabled: new(true),
		})
		return err
	}))
	t.Cleanup(func() {
		_, _ = chromedp.Run(browser, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
				Behavior: cdpbrowser.SetDownloadBehaviorBehaviorDeny,
			})
			return err
		}))
	})

	p.click(web.IDExport)
	deadline := time.After(stepTimeout)
	done := make(chan error, 1)
	go func() {
		for ev, err := range progress {
			if err != nil {
				done <- err
				return
			}
			switch ev.State {
			case cdpbrowser.DownloadProgressStateCompleted:
				done <- nil
				return
			case cdpbrowser.DownloadProgressStateCanceled:
				done <- errors.New("the download was canceled")
				return
			}
		}
	}()
	select {
	case err := <-done:
		require.NoError(t, err, "Export JSON's download")
	case <-deadline:
		t.Fatalf("Export JSON: no download completed within %v", stepTimeout)
	}

	data, err := os.ReadFile(filepath.Join(dir, core.DefaultExample+".json"))
	require.NoError(t, err, "Export JSON downloads %s.json", core.DefaultExample)
	exported, err := core.ParseScenario(data)
	require.NoError(t, err, "the exported file is a valid scenario")
	assert.Equal(t, nativeRun(t, example(t, core.DefaultExample)).Hash, nativeRun(t, exported).Hash,
		"the exported scenario runs as the one on the page")
	assert.Empty(t, p.banner().Text, "Export JSON shows no error")
	p.requireCleanConsole()
}

// TestTabOrder tabs through the page: the focus reaches every control, in
// the order of the page (the scenario's tools, then the playback bar), and
// the focused control shows it has the focus.
func TestTabOrder(t *testing.T) {
	browser := sharedBrowser(t)
	p := openReady(t, browser, serverURL+"/")
	// At step 1 every control is enabled (Reset and Step back are not at 0).
	p.focusBody()
	p.press(kb.ArrowRight)
	p.waitStep(1)
	p.do(chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0); document.activeElement?.blur();`))

	type focused struct {
		ID           string `json:"id"`
		Tag          string `json:"tag"`
		FocusVisible bool   `json:"focusVisible"`
		Outline      string `json:"outline"`
	}
	var order []string
	for i := range 2 * len(web.ControlIDs) {
		p.press(kb.Tab)
		f := mustRun(p, chromedp.Evaluate[focused](`(() => {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  return {id: el.id, tag: el.tagName, focusVisible: el.matches(":focus-visible"),
    outline: s.outlineStyle + " " + s.outlineWidth};
})()`))
		if i < 3 && f.Tag != "BODY" {
			// After a Tab or two the focus is on something a person can
			// operate, and shows it.
			assert.True(t, f.FocusVisible, "Tab %d: the focused <%s id=%q> matches :focus-visible", i+1, f.Tag, f.ID)
			assert.NotContains(t, f.Outline, "none", "Tab %d: the focused <%s id=%q> has an outline", i+1, f.Tag, f.ID)
		}
		switch i {
		case 4:
			assert.Equal(t, web.IDStartLesson, f.ID, "after five Tabs the focus is on the introduction's Start lesson 1 (the first four are the site name and the Lessons, Sandbox and Challenges links)")
		case 5:
			assert.Equal(t, web.IDOpenSandbox, f.ID, "then on its Open the sandbox")
		case 6:
			assert.Contains(t, web.ControlIDs, f.ID, "then on a control")
		}
		if slices.Contains(web.ControlIDs, f.ID) && !slices.Contains(order, f.ID) {
			order = append(order, f.ID)
			assert.True(t, f.FocusVisible, "the focused control #%s matches :focus-visible", f.ID)
		}
	}
	want := []string{
		web.IDExampleSelect, web.IDCopyLink, web.IDExport, web.IDImport,
		web.IDHome, web.IDStepBack, web.IDPlay, web.IDStepForward, web.IDEnd, web.IDPrevNotable, web.IDNextNotable, web.IDSpeed, web.IDMotion, web.IDShowFuture, web.IDScrubber,
		web.IDZoomOut, web.IDZoomFit, web.IDZoomIn,
		web.IDLogReq, web.IDLogNode, web.IDLogKind,
	}
	assert.ElementsMatch(t, web.ControlIDs, want, "the test's order lists every control of web.ControlIDs")
	assert.Equal(t, want, order, "the order in which Tab reaches the controls")
	p.requireCleanConsole()
}
