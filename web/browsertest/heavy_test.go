//go:build !js

package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// heavyTimeout is how long a heavy link may take to be refused or to run
// to the budget's end: a run of two million records takes seconds.
const heavyTimeout = 90 * time.Second

// gapWatchJS starts a 10 ms timer that keeps the longest pause between two
// of its ticks: what a learner feels as a frozen page.
const gapWatchJS = `(() => {
  const w = window.__gaps = {max: 0, last: performance.now()};
  setInterval(() => { const n = performance.now(); w.max = Math.max(w.max, n - w.last); w.last = n; }, 10);
})()`

// TestHeavyLinks opens each heavy but valid scenario of core's table (as
// the share links a hostile or careless sender would make) in the
// playground: each is refused with a message naming the field to change,
// or runs and stops within the browser's budget. The page must answer
// throughout (a 10 ms timer never pauses 200 ms or more) and the program
// must be alive afterwards (a step still moves).
func TestHeavyLinks(t *testing.T) {
	browser := sharedBrowser(t)
	root, err := repoRoot()
	require.NoError(t, err)
	files, err := filepath.Glob(filepath.Join(root, "core", "testdata", "heavy-*.json"))
	require.NoError(t, err)
	require.Len(t, files, 8, "core's table of heavy scenarios (go test ./core -run TestHeavy -update writes them)")

	for _, file := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(file), "heavy-"), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			sc, err := core.ParseScenario(data)
			require.NoError(t, err)
			opt := core.BrowserBudget.Options(core.Options{Trace: true})
			cost, err := core.Estimate(sc, opt)
			require.NoError(t, err)
			refusal := core.BrowserBudget.Check(sc, cost)

			p := openReady(t, browser, serverURL+"/")
			before := p.state()
			p.do(chromedp.Evaluate[chromedp.Void](gapWatchJS))
			link, err := core.EncodeShareLink(sc)
			require.NoError(t, err)
			p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`location.hash = %q`, "#"+core.Fragment{Scenario: link}.String())))
			if refusal != nil {
				field := refusal.(core.Errors)[0].Field
				p.waitJS(bannerTextJS+` !== ""`, heavyTimeout, "the refusal should show in the error banner")
				assert.Contains(t, p.banner().Text, field, "the refusal names the field to change")
				assert.Equal(t, before.Hash, p.state().Hash, "the page keeps the run it had")
			} else {
				p.waitJS(fmt.Sprintf(`document.body.dataset.traceHash !== %q && document.body.dataset.traceHash !== ""`, before.Hash),
					heavyTimeout, "the heavy run should be shown")
				e, err := core.NewEngine(sc, opt)
				require.NoError(t, err)
				r := e.Run()
				assert.Equal(t, r.TraceHash, p.state().Hash, "the page ran what core runs under the same budget")
				assert.LessOrEqual(t, int64(p.state().Steps), core.BrowserBudget.MaxRecords)
				assert.Contains(t, p.text(web.IDShareStatus), string(r.Stop), "the page says why the run stopped early")
			}
			gap := mustRun(p, chromedp.Evaluate[float64](`window.__gaps.max`))
			t.Logf("heavy_%s_longest_pause_ms: %.0f ms", name, gap)
			assert.Less(t, gap, 200.0, "the longest pause of a 10 ms timer")

			// Alive: a step still moves.
			step := p.state().Step
			p.click(web.IDStepForward)
			p.waitStep(step+1, "after the heavy link, Step forward")
		})
	}
}
