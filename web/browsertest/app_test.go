//go:build !js

package browsertest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// Helpers that read and drive the playground page in a tab.

// stepTimeout is how long the page may take to show a step it was asked for.
const stepTimeout = 10 * time.Second

// openReady opens url in a new tab of browser and waits for "WASM ready".
func openReady(t *testing.T, browser context.Context, url string) *tab {
	t.Helper()
	p := openPage(t, browser, url)
	p.waitWASMReady(readyTimeout)
	return p
}

// openFreshReady opens url in a fresh tab (a new browser context, as when
// someone else opens a link) and waits for "WASM ready".
func openFreshReady(t *testing.T, browser context.Context, url string) *tab {
	t.Helper()
	p := openFreshPage(t, browser, url)
	p.waitWASMReady(readyTimeout)
	return p
}

// runState is the run the page shows, as the WASM program mirrors it on
// <body>: data-trace-hash, data-step and data-steps.
type runState struct {
	Hash  string `json:"hash"`
	Step  int    `json:"step"`
	Steps int    `json:"steps"`
}

const runStateJS = `(() => {
  const d = document.body.dataset;
  return {hash: d.traceHash ?? "", step: Number(d.step ?? -1), steps: Number(d.steps ?? -1)};
})()`

// state reads the run the page shows.
func (p *tab) state() runState {
	p.t.Helper()
	return mustRun(p, chromedp.Evaluate[runState](runStateJS))
}

// waitStep waits until <body data-step> is step, and fails the test with
// what it is instead, and the error banner, if it does not get there.
func (p *tab) waitStep(step int, msgAndArgs ...any) {
	p.t.Helper()
	msg := fmt.Sprintf("data-step should become %d", step)
	if len(msgAndArgs) > 0 {
		format, _ := msgAndArgs[0].(string)
		msg = fmt.Sprintf(format, msgAndArgs[1:]...) + ": " + msg
	}
	p.waitJS(fmt.Sprintf(`document.body.dataset.step === %q`, strconv.Itoa(step)), stepTimeout, "%s", msg)
}

// waitWhole waits until the page shows the whole of a run of steps steps
// (with its trace hash), not only its start, which it shows while the
// rest of a long run is prepared.
func (p *tab) waitWhole(steps int) {
	p.t.Helper()
	p.waitJS(fmt.Sprintf(`document.body.dataset.steps === %q && document.body.dataset.traceHash !== ""`, strconv.Itoa(steps)), time.Minute,
		"the page should show the whole run of %d steps", steps)
}

// waitJS polls until the expression is truthy, and fails the test with the
// page's state, error banner and console if it does not become so within
// timeout. msgAndArgs say what was expected.
func (p *tab) waitJS(expr string, timeout time.Duration, msgAndArgs ...any) {
	p.t.Helper()
	_, err := run(p, chromedp.Poll[bool](expr,
		chromedp.WithPollingTimeout(timeout),
		chromedp.WithPollingInterval(10*time.Millisecond),
	))
	if err == nil {
		return
	}
	msg := "waiting for " + expr
	if len(msgAndArgs) > 0 {
		format, _ := msgAndArgs[0].(string)
		msg = fmt.Sprintf(format, msgAndArgs[1:]...)
	}
	st, _ := run(p, chromedp.Evaluate[runState](runStateJS))
	banner, _ := run(p, chromedp.Evaluate[string](bannerTextJS))
	var console []string
	for _, m := range p.Messages() {
		console = append(console, "  "+describe(m))
	}
	p.t.Fatalf("%s: not within %v (%v)\nstate: %+v\nerror banner: %q\nconsole:\n%s",
		msg, timeout, err, st, banner, strings.Join(console, "\n"))
}

// shown is what the page shows of the current step.
type shown struct {
	Narration string `json:"narration"` // the text of #narration
	Current   string `json:"current"`   // the outerHTML of the event log's [aria-current=step] item, "" if none
	Topology  string `json:"topology"`  // the outerHTML of #topology
	Transits  int    `json:"transits"`  // the circles drawn for messages in flight
}

var shownJS = fmt.Sprintf(`(() => {
  const current = document.querySelector("#%s [aria-current=step]");
  const topology = document.getElementById(%q);
  return {
    narration: document.getElementById(%q)?.textContent ?? "",
    current: current ? current.outerHTML : "",
    topology: topology ? topology.outerHTML : "",
    transits: topology ? topology.querySelectorAll("circle.transit").length : 0,
  };
})()`, web.IDEventLog, web.IDTopology, web.IDNarration)

// shown reads what the page shows of the current step.
func (p *tab) shown() shown {
	p.t.Helper()
	return mustRun(p, chromedp.Evaluate[shown](shownJS))
}

// click clicks the element with the given id, as a mouse does.
func (p *tab) click(id string) {
	p.t.Helper()
	p.do(chromedp.Click(chromedp.ID(id)))
}

// press sends keys (see chromedp's kb package for the special ones) to the
// focused element.
func (p *tab) press(keys string) {
	p.t.Helper()
	p.do(chromedp.KeyEvent(keys))
}

// focusBody takes the focus from whatever has it, so that keys go to the
// page's body.
func (p *tab) focusBody() {
	p.t.Helper()
	p.do(chromedp.Evaluate[chromedp.Void](`document.activeElement?.blur(); window.focus();`))
	active := mustRun(p, chromedp.Evaluate[string](`document.activeElement?.tagName ?? ""`))
	require.Equal(p.t, "BODY", active, "the focused element after blur")
}

// bannerTextJS is the error banner's text, or "" while it is hidden.
var bannerTextJS = fmt.Sprintf(`(() => {
  const b = document.getElementById(%q);
  return b && !b.hidden ? b.textContent : "";
})()`, web.IDErrorBanner)

// banner reads the error banner: whether a person sees it (not hidden, laid
// out with a size, not display:none or visibility:hidden) and its text.
type banner struct {
	Hidden  bool   `json:"hidden"`  // the hidden attribute
	Visible bool   `json:"visible"` // on screen with a size
	Text    string `json:"text"`
	Role    string `json:"role"`
}

func (p *tab) banner() banner {
	p.t.Helper()
	return mustRun(p, chromedp.Evaluate[banner](fmt.Sprintf(`(() => {
  const b = document.getElementById(%q);
  if (!b) return {hidden: true, visible: false, text: "", role: ""};
  const s = getComputedStyle(b);
  const r = b.getBoundingClientRect();
  return {
    hidden: b.hidden,
    visible: !b.hidden && s.display !== "none" && s.visibility !== "hidden" && r.width > 0 && r.height > 0,
    text: b.textContent,
    role: b.getAttribute("role") ?? "",
  };
})()`, web.IDErrorBanner)))
}

// waitBanner waits until the error banner shows, and returns it.
func (p *tab) waitBanner() banner {
	p.t.Helper()
	p.waitJS(bannerTextJS+` !== ""`, stepTimeout, "the error banner should show a message")
	return p.banner()
}

// text is the textContent of the element with the given id.
func (p *tab) text(id string) string {
	p.t.Helper()
	return mustRun(p, chromedp.Evaluate[string](fmt.Sprintf(`document.getElementById(%q)?.textContent ?? ""`, id)))
}

// selectExample chooses a built-in example in the menu, as a person does
// (the change event), and waits until its name is the page's heading.
func (p *tab) selectExample(id string) {
	p.t.Helper()
	sc, err := core.ExampleByID(id)
	require.NoError(p.t, err)
	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
  const sel = document.getElementById(%q);
  sel.value = %q;
  sel.dispatchEvent(new Event("change", {bubbles: true}));
})()`, web.IDExampleSelect, id)))
	p.waitJS(fmt.Sprintf(`document.getElementById(%q)?.textContent === %q && document.body.dataset.step === "0"`,
		web.IDScenarioTitle, sc.Name), stepTimeout, "choosing %q in the example menu should show %q", id, sc.Name)
}

// nativeRun runs sc with core, as the WASM program does, and returns its
// trace hash and number of steps.
func nativeRun(t *testing.T, sc *core.Scenario) runState {
	t.Helper()
	e, err := core.NewEngine(sc, core.Options{Trace: true})
	require.NoError(t, err)
	report := e.Run()
	return runState{Hash: report.TraceHash, Steps: len(e.Trace())}
}

// example returns the built-in scenario id.
func example(t *testing.T, id string) *core.Scenario {
	t.Helper()
	sc, err := core.ExampleByID(id)
	require.NoError(t, err)
	return sc
}

// shareLink returns the URL of the playground that a share link for sc at
// step opens.
func shareLink(t *testing.T, sc *core.Scenario, step int) string {
	t.Helper()
	s, err := core.EncodeShareLink(sc)
	require.NoError(t, err)
	return serverURL + "/#" + core.Fragment{Scenario: s, Step: step}.String()
}

// encodeRawShare encodes scenario JSON as the value of a share link's s=
// parameter, as core.EncodeShareLink does, but without validating or
// re-marshalling it, so it can carry an invalid scenario.
func encodeRawShare(t *testing.T, scenarioJSON []byte) string {
	t.Helper()
	link, err := core.EncodeShareLinkBytes(scenarioJSON)
	require.NoError(t, err)
	return link
}

// exampleMenuShows returns the text of the option that the example menu
// shows, "" when it shows none (selectedIndex -1).
func (p *tab) exampleMenuShows() string {
	p.t.Helper()
	return mustRun(p, chromedp.Evaluate[string](fmt.Sprintf(`(() => {
  const sel = document.getElementById(%q);
  return sel.selectedIndex < 0 ? "" : sel.options[sel.selectedIndex].textContent;
})()`, web.IDExampleSelect)))
}

// Waiting on the app, not the clock. The WASM program publishes on <body>
// data-actions, the number of queued actions it has done (in order, one at
// a time), and data-pending, the number queued or on a timer (the play
// clock, a long run's next slice, a draft's save): "0" only while there is
// none, and non-zero from the moment one is queued or scheduled.
//
// So a test reads data-actions, gives its input (an input's handlers have
// run when chromedp's input command or a dispatchEvent returns, and queued
// what they queue), then settles: waits until data-actions has moved past
// the actions the input must cause and data-pending is "0". Then whatever
// the input caused is done, and nothing is scheduled to happen later. An
// input that must cause nothing proves it by being followed by one that
// must cause exactly one action (a step, say): actions run in order, so
// once that one is done so is anything the first caused, and the count
// (before + 1, not more) shows it caused none. No sleeping: a sleep only
// hopes that a stray action would have landed by then.

// actions reads <body data-actions>, -1 before the app published it.
func (p *tab) actions() int {
	p.t.Helper()
	return mustRun(p, chromedp.Evaluate[int](`Number(document.body.dataset.actions ?? -1)`))
}

// settle waits until the app has done at least n actions in all and has
// nothing queued or scheduled, and returns data-actions.
func (p *tab) settle(n int) int {
	p.t.Helper()
	return p.settleWithin(n, stepTimeout)
}

// settleWithin is settle with its own timeout, for a flood of input.
func (p *tab) settleWithin(n int, timeout time.Duration) int {
	p.t.Helper()
	p.waitJS(fmt.Sprintf(`Number(document.body.dataset.actions ?? -1) >= %d && document.body.dataset.pending === "0"`, n), timeout,
		"the app should have done %d actions and be idle (data-actions, data-pending)", n)
	return p.actions()
}
