//go:build !js

package browsertest

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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

// wasmMemoryJS runs in every new document before the page's scripts: it
// keeps the WASM program's linear memory in window.__wasmMemory when the
// page instantiates it (streaming or from bytes), so a test can read how
// large the Go heap has grown (the memory never shrinks).
const wasmMemoryJS = `(() => {
  const keep = (result) => { window.__wasmMemory = (result.instance ?? result).exports.mem; return result; };
  const streaming = WebAssembly.instantiateStreaming;
  if (typeof streaming === "function") {
    WebAssembly.instantiateStreaming = (...args) => streaming.apply(WebAssembly, args).then(keep);
  }
  const bytes = WebAssembly.instantiate;
  WebAssembly.instantiate = (...args) => bytes.apply(WebAssembly, args).then(keep);
})();`

// recordWASMMemory, run in a tab before it navigates, makes the page keep
// its WASM memory (wasmMemoryJS); read its size with wasmMemoryMB.
var recordWASMMemory = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: wasmMemoryJS})
	return err
})

// wasmMemoryMB is the size of the tab's WASM memory in MiB, in a tab
// opened with recordWASMMemory.
func (p *tab) wasmMemoryMB() float64 {
	p.t.Helper()
	return mustRun(p, chromedp.Evaluate[float64](`window.__wasmMemory.buffer.byteLength / 1048576`))
}

// rendererMemoryMB returns the largest resident set (VmRSS) and the largest
// peak (VmHWM) of the renderer processes of the browser started by
// newBrowser, in MiB, read from /proc.
func rendererMemoryMB(t *testing.T, browser context.Context) (rss, peak float64) {
	t.Helper()
	proc := chromedp.FromContext(browser).Browser.Process()
	require.NotNil(t, proc, "the browser's process")
	parents := map[int]int{}
	dirs, err := filepath.Glob("/proc/[0-9]*")
	require.NoError(t, err)
	for _, dir := range dirs {
		stat, err := os.ReadFile(filepath.Join(dir, "stat"))
		if err != nil {
			continue // the process has ended
		}
		// pid (comm) state ppid ...: comm may hold spaces, so read after ")".
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		pid, _ := strconv.Atoi(filepath.Base(dir))
		if len(fields) > 1 {
			parents[pid], _ = strconv.Atoi(fields[1])
		}
	}
	descends := func(pid int) bool {
		for range 16 {
			if pid == proc.Pid {
				return true
			}
			pid = parents[pid]
		}
		return false
	}
	found := false
	for pid := range parents {
		if !descends(pid) {
			continue
		}
		cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		if err != nil || !strings.Contains(string(cmdline), "--type=renderer") {
			continue
		}
		f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			continue
		}
		s := bufio.NewScanner(f)
		for s.Scan() {
			name, value, ok := strings.Cut(s.Text(), ":")
			if !ok || (name != "VmRSS" && name != "VmHWM") {
				continue
			}
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 64)
			if name == "VmRSS" {
				rss = math.Max(rss, kb/1024)
			} else {
				peak = math.Max(peak, kb/1024)
			}
			found = true
		}
		f.Close()
	}
	require.True(t, found, "no renderer process of the browser (pid %d) in /proc", proc.Pid)
	return rss, peak
}

// scenario100k is the 100k-request run of the scale figures: the
// spike-async example at 14 times its arrival rates, with a last phase
// long enough that all 100,000 requests are sent. It has about 1.2M steps.
func scenario100k(t *testing.T) *core.Scenario {
	t.Helper()
	sc := example(t, "spike-async")
	w := sc.Nodes[sc.NodeIndex("shoppers")].Workload
	require.Len(t, w.Phases, 3, "spike-async's schedule")
	for i := range w.Phases {
		w.Phases[i].Rate *= 14
	}
	w.Phases[2].Duration = 60 * core.Second
	w.Count = 100_000
	return sc
}

// steppableJS runs in every new document before the page's scripts. It
// records when the body's data-steps is first set, the page showing a run
// it can step through (the start of a long one, while the rest runs), in
// window.__browsertestSteppableAt (ms since navigation start) with the
// steps it had then; and, at each change of data-step, the step and the
// data-steps of that moment in window.__browsertestMoves.
const steppableJS = `(() => {
  window.__browsertestMoves = [];
  new MutationObserver((changes) => {
    const d = document.body?.dataset;
    if (!d) return;
    for (const c of changes) {
      if (c.attributeName === "data-steps" && d.steps && window.__browsertestSteppableAt === undefined) {
        window.__browsertestSteppableAt = performance.now();
        window.__browsertestSteppableSteps = Number(d.steps);
      }
      if (c.attributeName === "data-step") window.__browsertestMoves.push([Number(d.step), Number(d.steps)]);
    }
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-steps", "data-step"]});
})();`

var recordSteppable = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: steppableJS})
	return err
})

// TestBrowser100k opens the share link of a 100,000-request scenario in a
// fresh browser (cold cache), as someone sent the link does, and measures:
// browser_100k_ready_ms, from navigation start until the page shows the
// run and can be stepped (its start, while the rest runs);
// browser_100k_whole_ms, until the whole run is ready (data-wasm);
// browser_100k_wasm_memory_mb, the WASM memory the run left;
// browser_100k_renderer_rss_mb and its peak, the renderer process's
// resident memory; browser_100k_reopen_ms, the median time to open the
// link again in the running page until its step shows (decode, pilot,
// show). The test holds that the page steps through the run's start while
// the rest runs, and that it ran what core runs and steps afterwards; the
// figures are for make bench, not bounds.
func TestBrowser100k(t *testing.T) {
	browser := newBrowser(t)
	sc := scenario100k(t)
	native := nativeRun(t, sc)
	require.Greater(t, native.Steps, 1_000_000, "the 100k-request run's steps")

	p := openPage(t, browser, shareLink(t, sc, 0), recordReadyAt, recordWASMMemory, recordSteppable)
	p.waitJS(`window.__browsertestSteppableAt !== undefined`, 90*time.Second, "the page should show the run's start")
	ready := mustRun(p, chromedp.Evaluate[float64](`window.__browsertestSteppableAt`))
	early := mustRun(p, chromedp.Evaluate[int](`window.__browsertestSteppableSteps`))
	require.Positive(t, early, "steps shown first")
	require.Less(t, early, native.Steps, "the page shows the start of the run before the whole of it")
	// A step forward moves at once, while the rest runs.
	p.click(web.IDStepForward)
	p.waitStep(1, "Step forward while the rest of the 100k-request run is prepared")
	moves := mustRun(p, chromedp.Evaluate[[][2]int](`window.__browsertestMoves`))
	require.Contains(t, moves, [2]int{1, early}, "step 1 shown with the %d steps of the run's start", early)
	assert.Contains(t, mustRun(p, chromedp.TextContent(chromedp.ID(web.IDShareStatus))),
		fmt.Sprintf("(steps 0 to %d can be stepped through meanwhile)", early), "the status line says which steps can be stepped through")
	assert.Contains(t, mustRun(p, chromedp.TextContent(chromedp.ID(web.IDNarration))), fmt.Sprintf("Step 1 of %d so far at ", early),
		"the narration counts the steps so far")

	p.waitWASMReady(90 * time.Second)
	whole := p.readyAt()
	st := p.state()
	assert.Equal(t, 1, st.Step, "the whole run takes over at the step the learner moved to")
	assert.Contains(t, mustRun(p, chromedp.TextContent(chromedp.ID(web.IDNarration))), fmt.Sprintf("Step 1 of %d at ", native.Steps),
		"the narration counts the whole run's steps")
	require.Equal(t, native.Steps, st.Steps, "data-steps of the 100k-request run%s", wasmNote())
	assert.Equal(t, native.Hash, st.Hash, "data-trace-hash of the 100k-request run: WASM must equal native%s", wasmNote())
	memory := p.wasmMemoryMB()
	rss, peak := rendererMemoryMB(t, browser)

	// Steppable: a step forward moves at once.
	p.click(web.IDStepForward)
	p.waitStep(st.Step+1, "Step forward after the 100k-request run")

	var reopens []float64
	for i := range 3 {
		step := 11 + i
		ms, err := run(p, chromedp.Evaluate[float64](reloadJS(shareLink(t, sc, step)[len(serverURL)+1:], step), chromedp.EvalAwaitPromise))
		require.NoError(t, err, "opening the 100k-request link again through the fragment")
		reopens = append(reopens, ms)
		p.waitWhole(native.Steps)
	}
	require.Equal(t, native.Hash, p.state().Hash, "data-trace-hash after reopening the link")
	// A link to a step past the run's start shows it once the whole run is
	// ready: the start alone is not shown.
	far := native.Steps - 5
	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
  window.__statusSeen = [];
  const status = document.getElementById(%q);
  new MutationObserver(() => window.__statusSeen.push(status.textContent)).observe(status, {childList: true, characterData: true, subtree: true});
})()`, web.IDShareStatus)))
	_, err := run(p, chromedp.Evaluate[float64](reloadJS(shareLink(t, sc, far)[len(serverURL)+1:], far), chromedp.EvalAwaitPromise))
	require.NoError(t, err, "opening the 100k-request link at step %d", far)
	farState := p.state()
	assert.Equal(t, native.Steps, farState.Steps, "a step past the run's start is shown with the whole run")
	assert.Equal(t, native.Hash, farState.Hash, "a step past the run's start is shown with the whole run")
	seen := mustRun(p, chromedp.Evaluate[[]string](`window.__statusSeen`))
	require.NotEmpty(t, seen, "the status line showed the run's progress")
	for _, s := range seen {
		assert.NotContains(t, s, "stepped through", "no steps were shown before the whole run")
	}
	reopenMemory := p.wasmMemoryMB()
	reopenRSS, reopenPeak := rendererMemoryMB(t, browser)
	p.requireCleanConsole()

	t.Logf("%d steps; after 3 reopens: WASM memory %.0f MiB, renderer %.0f MiB (peak %.0f MiB)",
		st.Steps, reopenMemory, reopenRSS, reopenPeak)
	t.Logf("steppable first: the run's first %d steps of %d; the whole run at browser_100k_whole_ms", early, st.Steps)
	t.Logf("browser_100k_ready_ms: %.0f ms", ready)
	t.Logf("browser_100k_whole_ms: %.0f ms", whole)
	t.Logf("browser_100k_wasm_memory_mb: %.0f MB", memory)
	t.Logf("browser_100k_renderer_rss_mb: %.0f MB", rss)
	t.Logf("browser_100k_renderer_peak_mb: %.0f MB", peak)
	t.Logf("browser_100k_reopen_ms: %.0f ms", median(reopens))
}
