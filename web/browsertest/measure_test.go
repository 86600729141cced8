//go:build !js

package browsertest

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// Measurements, logged as `name: value unit` lines.

// readyAtJS runs in every new document before the page's scripts. It records
// in window.__browsertestReadyAt the time, in milliseconds since navigation
// start (performance.now), at which the body's data-wasm first reads
// ready. A MutationObserver sees the change in the microtask after it, so
// the figure does not depend on how often the test polls.
var readyAtJS = fmt.Sprintf(`(() => {
  const observer = new MutationObserver(() => {
    if (document.body?.dataset.wasm === %q) {
      window.__browsertestReadyAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ["data-wasm"]});
})();`, web.WasmReady)

// recordReadyAt, run in a tab before it navigates, makes the page record
// when it is ready (readyAtJS); read the time with readyAt.
var recordReadyAt = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: readyAtJS})
	return err
})

// readyAt returns the time from navigation start to "WASM ready", in
// milliseconds, in a tab opened with recordReadyAt.
func (p *tab) readyAt() float64 {
	p.t.Helper()
	return mustRun(p, chromedp.Poll[float64](`window.__browsertestReadyAt`,
		chromedp.WithPollingTimeout(time.Second)))
}

// median returns the median of samples, which it sorts.
func median(samples []float64) float64 {
	slices.Sort(samples)
	n := len(samples)
	if n%2 == 1 {
		return samples[n/2]
	}
	return (samples[n/2-1] + samples[n/2]) / 2
}

// TestPageInteractive measures page_interactive_ms: the time from navigation
// start to "WASM ready", with a cold cache and a fresh browser profile, as the
// median of several loads, each in a new browser.
func TestPageInteractive(t *testing.T) {
	requireChromium(t)
	const loads = 5
	var samples []float64
	for i := range loads {
		t.Run(fmt.Sprintf("load%d", i+1), func(t *testing.T) {
			browser := newBrowser(t)
			p := openPage(t, browser, serverURL+"/", recordReadyAt)
			p.waitWASMReady(readyTimeout)
			ms := p.readyAt()
			t.Logf("navigation start to WASM ready: %.1f ms", ms)
			samples = append(samples, ms)
			p.requireCleanConsole()
		})
	}
	require.Len(t, samples, loads, "every load must succeed")
	t.Logf("page_interactive_ms: %d ms", int(math.Round(median(samples))))
}

// bigRunSteps is how many steps the run of TestJump100k must have at least.
const bigRunSteps = 100_000

// timeUntilStepJS runs the JavaScript statement trigger and resolves to
// the milliseconds until <body data-step> is target, failing after
// timeout.
func timeUntilStepJS(target int, timeout time.Duration, trigger string) string {
	return timeUntilStepLaidOutJS(target, timeout, trigger, "")
}

// timeUntilStepLaidOutJS is timeUntilStepJS, which first runs the
// statement then once the step is shown (a forced layout, say).
func timeUntilStepLaidOutJS(target int, timeout time.Duration, trigger, then string) string {
	return fmt.Sprintf(`(async () => {
  const want = %q;
  const t0 = performance.now();
  const done = new Promise((resolve, reject) => {
    const observer = new MutationObserver(() => {
      if (document.body.dataset.step === want) {
        observer.disconnect();
        %s
        resolve(performance.now() - t0);
      }
    });
    observer.observe(document.body, {attributes: true, attributeFilter: ["data-step"]});
    setTimeout(() => { observer.disconnect(); reject(new Error("data-step is " + document.body.dataset.step + ", not " + want + ", after %d ms")); }, %d);
  });
  %s
  return await done;
})()`, strconv.Itoa(target), then, timeout.Milliseconds(), timeout.Milliseconds(), trigger)
}

// jumpJS sets the scrubber to a step, as dragging it does (an input event),
// and resolves to the milliseconds until the page shows that step.
func jumpJS(target int) string {
	return timeUntilStepJS(target, 30*time.Second, fmt.Sprintf(
		`const scrubber = document.getElementById(%q); scrubber.value = want; scrubber.dispatchEvent(new Event("input", {bubbles: true}));`,
		web.IDScrubber))
}

// jumpRenderJS is jumpJS, timed until the page has also laid out what
// the jump drew (the topology, the sequence diagram, the log): the
// style and layout a frame would need, all but the paint.
func jumpRenderJS(target int) string {
	return timeUntilStepLaidOutJS(target, 30*time.Second, fmt.Sprintf(
		`const scrubber = document.getElementById(%q); scrubber.value = want; scrubber.dispatchEvent(new Event("input", {bubbles: true}));`,
		web.IDScrubber), `void document.body.offsetHeight; void document.getElementById(`+strconv.Quote(web.IDEventLog)+`).scrollTop;`)
}

// reloadJS sets location.hash to a share link's fragment, which the page
// opens on hashchange, and resolves to the milliseconds until the page
// shows the link's step.
func reloadJS(hash string, target int) string {
	return timeUntilStepJS(target, time.Minute, fmt.Sprintf(`location.hash = %q;`, hash))
}

// TestJump100k measures jump_100k_ms: in a run of more than 100,000 steps
// (the spike-async example with its last phase lasting 80s, opened from a
// share link), the time from setting the scrubber to a far step to the page
// showing it, as the median of 10 jumps. It also logs how long that link
// took to load, as load_100k_ms (navigation start to "WASM ready", so with
// the WASM program's start), and run_100k_ms: the median time to open it
// again through the fragment in the running page until its step shows
// (decode, the pilot, the run's start shown; the rest is prepared after).
// Then jump_render_100k_ms and jump_render_100k_max_ms: the median and the
// worst of 18 jumps, near and far, each timed until the page has laid out
// what it drew (topology, sequence diagram, event log, numbers), which has
// to fit in a frame (16 ms).
func TestJump100k(t *testing.T) {
	browser := sharedBrowser(t)
	sc := example(t, "spike-async")
	phases := sc.Nodes[0].Workload.Phases
	require.Len(t, phases, 3, "spike-async's schedule")
	phases[2].Duration = 80 * core.Second
	native := nativeRun(t, sc)
	require.GreaterOrEqual(t, native.Steps, bigRunSteps, "the extended spike-async run must have at least %d steps", bigRunSteps)

	start := time.Now()
	p := openFreshPage(t, browser, shareLink(t, sc, 0), recordReadyAt)
	p.waitWASMReady(60 * time.Second)
	wall := time.Since(start)
	loaded := p.readyAt()
	st := p.state()
	require.Equal(t, native.Steps, st.Steps, "data-steps of the 100k run%s", wasmNote())
	assert.Equal(t, native.Hash, st.Hash, "data-trace-hash of the 100k run: WASM must equal native%s", wasmNote())
	t.Logf("the %d-step run loaded in %.0f ms from navigation start (%v from opening the tab)", st.Steps, loaded, wall.Round(time.Millisecond))
	t.Logf("load_100k_ms: %d ms", int(math.Round(loaded)))

	// The run itself, without starting the WASM program: a new fragment
	// (hashchange) makes the page decode, run and show the scenario again.
	var reloads []float64
	for i := range 3 {
		step := 7 + i
		ms, err := run(p, chromedp.Evaluate[float64](reloadJS(shareLink(t, sc, step)[len(serverURL)+1:], step), chromedp.EvalAwaitPromise))
		require.NoError(t, err, "reloading the 100k run through the fragment")
		reloads = append(reloads, ms)
		p.waitWhole(native.Steps)
	}
	require.Equal(t, native.Steps, p.state().Steps, "data-steps after reloading the 100k run")
	t.Logf("run_100k_ms: %.0f ms", median(reloads))

	n := st.Steps
	targets := []int{n - 1, 1, n / 2, n - 100, 100, 3 * n / 4, n / 4, n - 5000, 5000, n}
	samples := make([]float64, 0, len(targets))
	for _, target := range targets {
		ms, err := run(p, chromedp.Evaluate[float64](jumpJS(target), chromedp.EvalAwaitPromise))
		require.NoError(t, err, "jump to step %d", target)
		samples = append(samples, ms)
		t.Logf("jump to step %d: %.1f ms", target, ms)
	}
	assert.Equal(t, n, p.state().Step, "data-step after the last jump")
	t.Logf("jump_100k_ms: %.1f ms", median(samples))

	// jump_render_100k_ms: the same jumps and more, each timed until the
	// page is laid out again, the median and the worst. One frame is 16 ms.
	var render []float64
	for i, target := range append(targets, 2, n-2, n/3, 2*n/3, 17, n-17, n/2+1, 3) {
		if i%2 == 1 {
			target = n - target // both directions, near and far
		}
		ms, err := run(p, chromedp.Evaluate[float64](jumpRenderJS(target), chromedp.EvalAwaitPromise))
		require.NoError(t, err, "jump to step %d", target)
		render = append(render, ms)
	}
	worst := slices.Max(render)
	t.Logf("jump_render_100k_ms: %.1f ms", median(render))
	t.Logf("jump_render_100k_max_ms: %.1f ms", worst)
	t.Logf("the quickest of those jumps, laid out: %.1f ms (what a jump costs on a quiet machine, about)", slices.Min(render))
	p.requireCleanConsole()
}
