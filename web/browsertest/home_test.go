//go:build !js

package browsertest

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// readyTimeout is how long the WASM program may take to say it has started.
const readyTimeout = 10 * time.Second

func TestHomePage(t *testing.T) {
	browser := sharedBrowser(t)
	p := openPage(t, browser, serverURL+"/")
	sc := example(t, core.DefaultExample)

	title := mustRun(p, chromedp.Title())
	assert.Equal(t, sc.Name+" · "+web.ProductName, title, "<title>: the scenario, then the product")

	p.waitWASMReady(readyTimeout)
	role := mustRun(p, chromedp.AttributeValue(chromedp.ID(web.StatusID), "role"))
	assert.Equal(t, "status", role.Value, "the role of #%s", web.StatusID)
	// The loading state is shown only while loading: once the program
	// runs, no status pill is left on the page.
	shown := mustRun(p, chromedp.Evaluate[bool](fmt.Sprintf(`(() => {
	  const el = document.getElementById(%q);
	  return !!el && el.checkVisibility() && el.getBoundingClientRect().height > 0;
	})()`, web.StatusID)))
	assert.False(t, shown, "the loading state is hidden once the program is ready")

	// The WASM program runs the default example itself: the same run as
	// natively.
	want := nativeRun(t, sc)
	got := p.state()
	assert.Equal(t, want.Hash, got.Hash, "data-trace-hash: the WASM run must be byte-identical to the native one%s", wasmNote())
	assert.Equal(t, want.Steps, got.Steps, "data-steps%s", wasmNote())
	assert.Equal(t, 0, got.Step, "data-step")

	// Every control works once the WASM program runs. At step 0, Reset and
	// Step back have nothing to do, so they stay disabled until a step.
	assert.ElementsMatch(t, []string{web.IDHome, web.IDStepBack}, p.disabledControls(),
		"the controls still disabled at step 0 after WASM ready")
	p.focusBody()
	p.press(kb.ArrowRight)
	p.waitStep(1)
	assert.Empty(t, p.disabledControls(), "the controls still disabled at step 1")

	p.requireCleanConsole()
}

// disabledControls returns the ids of web.ControlIDs that are disabled.
func (p *tab) disabledControls() []string {
	p.t.Helper()
	ids, err := json.Marshal(web.ControlIDs)
	require.NoError(p.t, err)
	return mustRun(p, chromedp.Evaluate[[]string](fmt.Sprintf(
		`%s.filter((id) => { const el = document.getElementById(id); return !el || el.disabled; })`, ids)))
}

func TestHomePageStructure(t *testing.T) {
	browser := sharedBrowser(t)
	p := openPage(t, browser, serverURL+"/")
	sc := example(t, core.DefaultExample)

	lang := mustRun(p, chromedp.Evaluate[string](`document.documentElement.lang`))
	assert.Equal(t, "en", lang, "<html lang>")

	viewport := mustRun(p, chromedp.Evaluate[string](
		`document.querySelector('meta[name="viewport"]')?.content ?? ""`))
	assert.Contains(t, viewport, "width=device-width", "<meta name=viewport>")

	// Read before and after the WASM program starts: it must not change the
	// structure.
	for _, when := range []string{"server-rendered", "after WASM ready"} {
		if when != "server-rendered" {
			p.waitWASMReady(readyTimeout)
		}
		h1s := mustRun(p, chromedp.Evaluate[[]string](
			`Array.from(document.querySelectorAll("h1"), (h) => h.textContent)`))
		assert.Equal(t, []string{sc.Name}, h1s, "%s: the page has one <h1>, the scenario's name", when)
		header := mustRun(p, chromedp.Evaluate[string](
			`document.querySelector("header.site-header .site-name")?.textContent.trim() ?? ""`))
		assert.Equal(t, web.ProductName, header, "%s: the site header names the product", when)
		assert.Contains(t, mustRun(p, chromedp.Title()), web.ProductName, "%s: <title>", when)
	}
	p.requireCleanConsole()
}
