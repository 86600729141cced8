//go:build !js

package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// exportBase is the sub-path the exported site is served under, as
// GitHub Pages serves a project at /REPO/.
const exportBase = "/course/"

// exportTo runs the server binary's export into dir under exportBase.
func exportTo(t *testing.T, dir string, args ...string) {
	t.Helper()
	out, err := exec.Command(serverBin, append([]string{"export", "-base", exportBase, dir}, args...)...).CombinedOutput()
	require.NoError(t, err, "export: %s", out)
	t.Logf("%s", strings.TrimSpace(string(out)))
}

// setNetwork turns the tab's network off or on, as DevTools' "Offline"
// does: Network.emulateNetworkConditions for its requests and
// Network.overrideNetworkState for navigator.onLine.
func setNetwork(offline bool) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return chromedp.Void{}, err
		}
		params := map[string]any{"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
		if err := t.Call(ctx, "Network.emulateNetworkConditions", params, nil); err != nil {
			// Newer Chromium: the same by rule, service worker included.
			yes := true
			_, err = cdp.Call(ctx, t, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
				EmulateOfflineServiceWorker: &yes,
				MatchedNetworkConditions:    []*network.Conditions{{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}},
			})
			if err != nil {
				return chromedp.Void{}, err
			}
		}
		_, err := cdp.Call(ctx, t, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: offline, DownloadThroughput: -1, UploadThroughput: -1,
		})
		return chromedp.Void{}, err
	}
}

// TestStaticExport exports the site under a sub-path and serves it with
// the standard library's file server alone: the home page, a lesson and
// the sandbox work with a clean console, a share link reopens the same
// run, a lesson completes, an inline script is refused by the pages' CSP
// meta; then, with the network gone, the home page, a lesson never
// opened and the sandbox still work from the service worker's copy, and a
// new export replaces that copy on reload, the lesson's progress kept.
func TestStaticExport(t *testing.T) {
	browser := sharedBrowser(t)
	dir := t.TempDir()
	exportTo(t, dir)

	// The network as the test controls it: while down, every request
	// fails as it would with the cable out.
	var down atomic.Bool
	files := http.StripPrefix(strings.TrimSuffix(exportBase, "/"), http.FileServer(http.Dir(dir)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			panic(http.ErrAbortHandler)
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	site := srv.URL + exportBase

	// The home page, in a profile of its own; the service worker caches
	// the site meanwhile.
	p := openFreshPage(t, browser, site)
	p.waitWASMReady(readyTimeout)
	sc := example(t, core.DefaultExample)
	assert.Equal(t, nativeRun(t, sc).Hash, p.state().Hash, "the exported page runs the default example%s", wasmNote())
	p.waitJS(`document.body.dataset.sw === "ready"`, 2*time.Minute, "the service worker caches the site on the first visit")
	notice := func() string {
		return mustRun(p, chromedp.Evaluate[string](`document.querySelector(".site-notice")?.textContent ?? ""`))
	}
	t.Logf("notice after the first visit: %q", notice())

	// A share link, opened by someone else, shows the same run at the same step.
	p.focusBody()
	for range 3 {
		p.press(kb.ArrowRight)
	}
	p.waitStep(3)
	want := p.state()
	hash := p.copyLink()
	require.True(t, strings.HasPrefix(hash, "#s=1."), "the share link's fragment: %q", hash)
	href := mustRun(p, chromedp.Evaluate[string](`location.href`))
	require.True(t, strings.HasPrefix(href, site), "the share link stays under the base: %s", href)
	other := openFreshReady(t, browser, href)
	other.waitStep(want.Step, "the share link's step")
	assert.Equal(t, want.Hash, other.state().Hash, "the share link reopens the same trace")
	other.requireCleanConsole()

	// Every link of the page stays under the base.
	links := mustRun(p, chromedp.Evaluate[[]string](`[...document.querySelectorAll("a[href], link[href], script[src]")].map(e => e.href || e.src).filter(u => !u.startsWith("data:"))`))
	for _, u := range links {
		assert.True(t, strings.HasPrefix(u, site), "a link leaves the base: %s", u)
	}

	// A lesson completes: the right answer at each step.
	p.do(chromedp.Navigate(site + "lessons/blocked/"))
	p.waitWASMReady(readyTimeout)
	v := p.lessonView()
	for n := 1; n <= v.Steps; n++ {
		if n > 1 {
			p.click(web.IDLessonNext)
			p.waitJS(fmt.Sprintf(`!document.getElementById(%q).hidden`, web.LessonStepID(n)), stepTimeout)
		}
		answer := p.attr("#"+web.CheckpointID(n), "data-answer")
		p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).focus()`, web.AnswerID(n))))
		p.press(answer)
		p.press(kb.Enter)
		p.waitJS(fmt.Sprintf(`document.getElementById(%q).textContent === "Right."`, web.CheckpointResultID(n)), stepTimeout,
			"step %d's right answer %s", n, answer)
	}
	progress := p.storedProgress()
	require.Contains(t, progress, `"blocked"`, "the lesson's progress is saved")
	p.requireCleanConsole()

	p.do(chromedp.Navigate(site + "sandbox/"))
	p.waitWASMReady(readyTimeout)
	p.requireCleanConsole()

	// The CSP meta is in force: an inline script is refused.
	csp := openFreshReady(t, browser, site+"lessons/")
	refused := mustRun(csp, chromedp.Evaluate[string](`new Promise((resolve) => {
  document.addEventListener("securitypolicyviolation", (e) => resolve(e.violatedDirective));
  const s = document.createElement("script");
  s.textContent = "document.body.dataset.inlineRan = 'yes'";
  document.head.append(s);
  setTimeout(() => resolve(document.body.dataset.inlineRan === "yes" ? "ran" : "no report"), 5000);
})`, chromedp.EvalAwaitPromise))
	assert.Equal(t, "script-src-elem", refused, "the page's CSP refuses an inline script")

	// Offline: the network is gone, in the tab and at the server.
	p.do(setNetwork(true))
	down.Store(true)
	for _, page := range []string{"", "lessons/outbox/", "sandbox/"} {
		p.do(chromedp.Navigate(site + page))
		p.waitWASMReady(readyTimeout)
		p.waitJS(`(document.querySelector(".site-notice")?.textContent ?? "").includes("offline")`, stepTimeout,
			"%s says it is offline", site+page)
	}
	p.do(chromedp.Navigate(site + "lessons/outbox/"))
	p.waitWASMReady(readyTimeout)
	assert.Equal(t, p.nativeLessonHash(1), p.state().Hash, "offline, the lesson runs its first step%s", wasmNote())
	t.Logf("offline notice: %q", notice())
	p.requireCleanConsole()

	// Back online, a new build: the reload shows it, and the worker
	// replaces the cache.
	down.Store(false)
	p.do(setNetwork(false))
	exportTo(t, dir, "-stamp", "rebuilt")
	sw, err := os.ReadFile(filepath.Join(dir, "sw.js"))
	require.NoError(t, err)
	version := regexp.MustCompile(`const VERSION = "([0-9a-f]+)";`).FindSubmatch(sw)
	require.NotNil(t, version)
	p.do(chromedp.Navigate(site))
	p.waitWASMReady(readyTimeout)
	assert.Equal(t, "rebuilt", mustRun(p, chromedp.Evaluate[string](`document.querySelector('meta[name="build"]')?.content ?? ""`)),
		"the reload shows the new build")
	p.waitJS(`document.body.dataset.sw === "updated"`, 2*time.Minute, "the new service worker takes over")
	assert.Contains(t, notice(), "new version", "the page says an update is ready")
	caches := mustRun(p, chromedp.Evaluate[[]string](`caches.keys()`, chromedp.EvalAwaitPromise))
	assert.Equal(t, []string{"playground-" + string(version[1])}, caches, "the new version's cache alone")
	assert.Equal(t, progress, p.storedProgress(), "the lesson's progress survives")
	p.requireCleanConsole()
}
