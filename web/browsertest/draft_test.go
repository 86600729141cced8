//go:build !js

package browsertest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// The sandbox never loses the learner's work, and a page whose WASM
// program died says so.

// draftKey is the localStorage key of the sandbox's saved draft
// (wasm/draft.go).
const draftKey = "sandbox-draft"

// crashPanic is the panic line of the program's test-only crash hook
// (wasm/main.go's crashHook).
const crashPanic = "panic: crash-hook: the test asked the program to die"

// crashBannerJS reads static/app.js's banner for a dead program.
const crashBannerJS = `(() => {
  const b = document.querySelector(".crash-banner");
  if (!b) return {hidden: true, visible: false, text: "", role: ""};
  const s = getComputedStyle(b), r = b.getBoundingClientRect();
  return {hidden: b.hidden, visible: s.display !== "none" && s.visibility !== "hidden" && r.width > 0 && r.height > 0,
    text: b.textContent, role: b.getAttribute("role") ?? ""};
})()`

// savedDraft reads the draft the sandbox saved in localStorage.
func (p *tab) savedDraft() (core.SavedDraft, error) {
	p.t.Helper()
	text := mustRun(p, chromedp.Evaluate[string](fmt.Sprintf(`localStorage.getItem(%q) ?? ""`, draftKey)))
	return core.DecodeDraft([]byte(text))
}

// waitSaved waits until the saved draft satisfies ok and the page has
// published a save (data-saved on #sandbox), and returns it.
func (p *tab) waitSaved(what string, ok func(d core.SavedDraft) bool) core.SavedDraft {
	p.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for {
		d, err := p.savedDraft()
		saved := mustRun(p, chromedp.Evaluate[string](fmt.Sprintf(`document.getElementById(%q)?.dataset.saved ?? ""`, web.IDSandbox)))
		if err == nil && saved != "" && ok(d) {
			return d
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the saved draft should be %s within %v: data-saved=%q, draft: %v", what, stepTimeout, saved, err)
		}
		time.Sleep(20 * time.Millisecond) // polling a condition, as waitJS does
	}
}

// canonicalDraft is the builder's scenario as canonical JSON, read from
// its share link (see draft).
func (p *tab) canonicalDraft() string {
	p.t.Helper()
	sc, _ := p.draft()
	return canonicalJSON(p.t, sc)
}

func canonicalJSON(t *testing.T, sc *core.Scenario) string {
	t.Helper()
	b, err := sc.MarshalCanonical()
	require.NoError(t, err)
	return string(b)
}

// undoKey presses Ctrl+Z on the page.
func (p *tab) undoKey() {
	p.t.Helper()
	p.focusBody()
	p.do(chromedp.KeyEvent("z", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
}

// closeTab closes the tab as a person does.
func (p *tab) closeTab() {
	p.t.Helper()
	id := chromedp.FromContext(p.ctx).Target.TargetID
	_, err := chromedp.CallBrowser(p.ctx, target.CloseTarget, target.CloseTargetParams{TargetID: id})
	require.NoError(p.t, err)
}

// waitCrashBanner waits for static/app.js's banner and checks that it is
// an alert a person sees, and that the status no longer says loading.
func (p *tab) waitCrashBanner() banner {
	p.t.Helper()
	p.waitJS(`!!document.querySelector(".crash-banner")`, stepTimeout, "a dead program gets a banner")
	b := mustRun(p, chromedp.Evaluate[banner](crashBannerJS))
	assert.True(p.t, b.Visible, "the banner is visible: %+v", b)
	assert.Equal(p.t, "alert", b.Role, "the banner's role")
	assert.Contains(p.t, b.Text, "has stopped", "the banner says what happened")
	assert.Contains(p.t, b.Text, "Reload with your work")
	assert.Equal(p.t, "WASM stopped", p.text(web.StatusID), "the status says the program stopped")
	assert.Equal(p.t, "Reload with your work", mustRun(p, chromedp.Evaluate[string](`document.activeElement?.textContent ?? ""`)),
		"the reload button has the focus")
	return b
}

// markDocument marks the document, so that waitNewDocument can tell when
// another replaced it.
func (p *tab) markDocument() {
	p.t.Helper()
	p.do(chromedp.Evaluate[chromedp.Void](`window.__oldDocument = true`))
}

// waitNewDocument waits until a document without markDocument's mark has
// loaded. While the page navigates an evaluation can fail: that is retried.
func (p *tab) waitNewDocument() {
	p.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for {
		fresh, err := run(p, chromedp.Evaluate[bool](`!window.__oldDocument && document.readyState !== "loading"`))
		if err == nil && fresh {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the page did not load again within %v (%v)", stepTimeout, err)
		}
		time.Sleep(20 * time.Millisecond) // polling a condition, as waitJS does
	}
}

// enabledControls lists the controls in main that are not disabled, but
// for the crash banner's own button.
func (p *tab) enabledControls() []string {
	p.t.Helper()
	return mustRun(p, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("main button, main input, main select, main textarea"))
  .filter(el => !el.disabled && !el.closest(".crash-banner")).map(el => el.id || el.outerHTML.slice(0, 60))`))
}

// requireOnlyCrashInConsole is requireCleanConsole for a tab whose program
// the test killed crashes times: each crash's panic line and exit code
// must be there, and nothing else may be a problem.
func (p *tab) requireOnlyCrashInConsole(crashes int) {
	p.t.Helper()
	messages := p.Messages()
	panics, exits := 0, 0
	var bad []string
	for _, m := range consoleProblems(messages) {
		first, _, _ := strings.Cut(strings.TrimSpace(m.Text), "\n")
		switch {
		case m.Type == chromedp.ConsoleLog && first == crashPanic:
			panics++
		case m.Type == chromedp.ConsoleWarning && m.Text == "exit code: 2":
			exits++
		default:
			bad = append(bad, "  "+describe(m))
		}
	}
	for _, m := range messages {
		p.t.Logf("console %s", describe(m))
	}
	assert.Equal(p.t, crashes, panics, "the crash hook's panic line, once per crash")
	assert.Equal(p.t, crashes, exits, "the exit code, once per crash")
	require.Empty(p.t, bad, "the console has problems besides the crash the test caused")
}

// TestSandboxDraft edits, undoes and redoes, then (a) closes the tab and
// opens the sandbox again: the work is offered back and restored with its
// undo history; (c) a link put in the address bar opens; (b) the program
// dies: the page says so, and its reload button brings the work back.
func TestSandboxDraft(t *testing.T) {
	browser := sharedBrowser(t)
	// Every tab of the test shares one fresh browser context: its storage.
	home := openFreshPage(t, browser, "about:blank")

	p := openTab(t, home.ctx, nil, serverURL+"/sandbox")
	p.waitWASMReady(readyTimeout)
	openSandbox(t, p)
	assert.Empty(t, p.text(web.IDDraftNotice), "no saved work to offer in a fresh browser")
	p.click(web.PaletteButtonID(core.Worker))
	p.waitNode("worker")
	p.waitRan("a worker added")
	withWorker := p.canonicalDraft()
	p.click(web.PaletteButtonID(core.Worker))
	p.waitNode("worker2")
	p.waitRan("a second worker added")
	mine := p.canonicalDraft()
	p.click(web.IDUndo)
	p.waitJS(fmt.Sprintf(`!document.querySelector(%q)`, nodeSel("worker2")), stepTimeout, "Undo takes the second worker out")
	p.click(web.IDRedo)
	p.waitNode("worker2")
	p.waitRan("the second worker back")

	saved := p.waitSaved("the redone draft with its history", func(d core.SavedDraft) bool {
		return canonicalJSON(t, d.Scenario) == mine && len(d.Undo) == 2
	})
	assert.Greater(t, saved.SavedAt, int64(0))
	hash := mustRun(p, chromedp.Evaluate[string](`location.hash`))
	f, err := core.ParseFragment(hash)
	require.NoError(t, err, "the URL after the save: %q", hash)
	linked, err := core.DecodeShareLink(f.Scenario)
	require.NoError(t, err, "the URL carries the draft as a share link: %q", hash)
	assert.Equal(t, mine, canonicalJSON(t, linked), "the URL's scenario is the draft")
	p.requireCleanConsole()
	p.closeTab()

	// (a) The sandbox again, without the link: the work is offered back.
	q := openTab(t, home.ctx, nil, serverURL+"/sandbox")
	q.waitWASMReady(readyTimeout)
	openSandbox(t, q)
	notice := q.text(web.IDDraftNotice)
	assert.True(t, strings.HasPrefix(notice, "You have unsaved work from "), "the notice: %q", notice)
	assert.Contains(t, notice, "Restore · Discard")
	assert.Equal(t, "polite", mustRun(q, chromedp.Evaluate[string](fmt.Sprintf(`document.getElementById(%q).getAttribute("aria-live") ?? ""`, web.IDDraftNotice))),
		"the notice is announced")
	assert.True(t, q.visible(web.IDDraftNotice), "the notice is visible")
	assert.Equal(t, canonicalJSON(t, example(t, core.DefaultExample)), q.canonicalDraft(), "until restored, the page shows the default template")
	q.fromTop()
	q.tabTo("#"+web.IDDraftRestore, false, 20)
	q.press(kb.Enter)
	q.waitJS(fmt.Sprintf(`document.getElementById(%q).textContent === ""`, web.IDDraftNotice), stepTimeout, "Restore answers the offer")
	q.waitNode("worker2")
	q.waitRan("the restored draft")
	assert.Equal(t, mine, q.canonicalDraft(), "Restore brings the draft back")
	q.undoKey()
	q.waitJS(fmt.Sprintf(`!document.querySelector(%q)`, nodeSel("worker2")), stepTimeout, "Ctrl+Z after restoring")
	q.waitRan("undone after restoring")
	assert.Equal(t, withWorker, q.canonicalDraft(), "Ctrl+Z goes back through the restored history")

	// (c) A link put in the address bar opens, as a change Undo takes back.
	other := example(t, "spike-async")
	enc, err := core.EncodeShareLink(other)
	require.NoError(t, err)
	q.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`location.hash = %q`, "#"+core.Fragment{Scenario: enc}.String())))
	q.waitNode(other.Nodes[len(other.Nodes)-1].ID)
	q.waitRan("the linked template")
	assert.Equal(t, canonicalJSON(t, other), q.canonicalDraft(), "the hash's scenario is the draft")
	q.undoKey()
	q.waitNode("worker")
	q.waitRan("undone the link")
	assert.Equal(t, withWorker, q.canonicalDraft(), "Undo goes back to the work before the link")
	q.requireCleanConsole()

	// (b) The program dies, in a tab that can kill it (the test-only hook).
	r := openTab(t, home.ctx, nil, serverURL+"/sandbox?crash-hook=1")
	r.waitWASMReady(readyTimeout)
	openSandbox(t, r)
	require.True(t, strings.HasPrefix(r.text(web.IDDraftNotice), "You have unsaved work"), "q's work is offered")
	r.click(web.IDDraftDiscard)
	r.waitJS(fmt.Sprintf(`document.getElementById(%q).textContent === ""`, web.IDDraftNotice), stepTimeout, "Discard answers the offer")
	assert.Equal(t, "Discarded the saved work.", r.text(web.IDShareStatus))
	// An empty canvas does not run, so only localStorage has it, not the URL.
	r.emptyCanvas()
	r.waitSaved("the empty canvas", func(d core.SavedDraft) bool { return len(d.Scenario.Nodes) == 0 && len(d.Undo) == 1 })
	r.do(chromedp.Evaluate[chromedp.Void](`crashGo()`))
	r.waitCrashBanner()
	assert.Empty(t, r.enabledControls(), "every control is disabled once the program is dead")

	r.markDocument()
	r.do(chromedp.Click(chromedp.CSS(".crash-banner button")))
	r.waitNewDocument()
	r.waitWASMReady(readyTimeout)
	r.waitJS(fmt.Sprintf(`document.querySelectorAll("#%s [data-node]").length === 0 && (document.getElementById(%q)?.textContent ?? "").includes("at least one node")`,
		web.IDCanvas, web.IDProblems), stepTimeout, "the reload brings back the empty canvas")
	assert.Empty(t, r.text(web.IDDraftNotice), "after a crash the work comes back without asking")
	assert.True(t, strings.HasPrefix(r.text(web.IDShareStatus), "Restored your work from "), r.text(web.IDShareStatus))
	r.undoKey()
	r.waitRan("undone after the reload")
	assert.Equal(t, canonicalJSON(t, example(t, core.DefaultExample)), r.canonicalDraft(), "Ctrl+Z goes back to before the empty canvas")
	r.requireOnlyCrashInConsole(1)
}

// TestCrashBanner: a playground whose program dies says so and reloads
// with its link; a program that dies while it starts does not leave
// "Loading the simulator…" on the page.
func TestCrashBanner(t *testing.T) {
	browser := sharedBrowser(t)

	t.Run("the playground, and its reload keeps the link", func(t *testing.T) {
		sc := example(t, "event-driven")
		p := openFreshReady(t, browser, serverURL+"/?crash-hook=1#ex=event-driven")
		require.Equal(t, sc.Name, p.text(web.IDScenarioTitle))
		p.do(chromedp.Evaluate[chromedp.Void](`crashGo()`))
		p.waitCrashBanner()
		assert.Empty(t, p.enabledControls(), "every control is disabled once the program is dead")
		p.markDocument()
		p.press(kb.Enter) // the focused reload button
		p.waitNewDocument()
		p.waitWASMReady(readyTimeout)
		p.waitJS(fmt.Sprintf(`document.getElementById(%q)?.textContent === %q`, web.IDScenarioTitle, sc.Name), stepTimeout,
			"the reloaded page shows the linked scenario")
		p.requireOnlyCrashInConsole(1)
	})

	t.Run("a program that dies while starting", func(t *testing.T) {
		p := openFreshPage(t, browser, serverURL+"/sandbox?crash-hook=start")
		p.waitCrashBanner()
		assert.Empty(t, p.enabledControls(), "no control is enabled by a program that never started")
		p.requireOnlyCrashInConsole(1)
	})
}
