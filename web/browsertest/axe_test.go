//go:build !js

package browsertest

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// axeSource is axe-core's axe.min.js, vendored (see testdata/README).
//
//go:embed testdata/axe.min.js
var axeSource string

// axeViolation is one rule that axe-core found broken on a page.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Nodes   int      `json:"nodes"`   // how many elements break it
	Targets []string `json:"targets"` // the selectors of the first few
	First   string   `json:"first"`   // the first one's markup and what is wrong with it
}

func (v axeViolation) String() string {
	return fmt.Sprintf("%s (%s, %d elements): %s — %s\n\tfirst: %s", v.ID, v.Impact, v.Nodes, v.Help, strings.Join(v.Targets, " | "), v.First)
}

// axeRunJS runs axe-core on the whole document with the options (a
// JavaScript object) and resolves to its critical and serious violations.
const axeRunJS = `axe.run(document, Object.assign({resultTypes: ["violations"]}, %s)).then(r => r.violations
  .filter(v => v.impact === "critical" || v.impact === "serious")
  .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
    targets: v.nodes.slice(0, 4).map(n => n.target.join(" ")),
    first: v.nodes[0].html.slice(0, 200) + " — " + v.nodes[0].failureSummary.replace(/\s+/g, " ")})))`

// axeColourRules are the rules whose outcome the colour scheme can change:
// the page is the same otherwise (no script reads the scheme), so the dark
// pass, on the same document as the light one, runs only these.
const axeColourRules = `{runOnly: {type: "rule", values: ["color-contrast", "link-in-text-block"]}}`

// colorScheme makes the tab's prefers-color-scheme scheme ("light" or "dark").
func colorScheme(scheme string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return chromedp.Void{}, err
	}
}

// axePages are the pages axe-core checks: the home page, the lessons'
// index, every lesson and the sandbox.
// TestAxe runs axe-core on every page, on a desktop and on a phone, in the
// light and dark colour schemes: no rule of impact critical or serious may
// be broken. One tab goes through them all, loading each page once per size:
// the scheme changes under the loaded page.
func TestAxe(t *testing.T) {
	browser := sharedBrowser(t)
	p := openPage(t, browser, "about:blank")
	pages := sitePages(t)
	if only := os.Getenv("AXE_ONLY"); only != "" { // e.g. AXE_ONLY=/sandbox,/lessons/outbox
		pages = strings.Split(only, ",")
	}
	start := time.Now()
	for _, s := range pageSizes {
		p.do(s.setup)
		for _, path := range pages {
			p.do(colorScheme("light"))
			p.goSettled(path)
			p.do(chromedp.Evaluate[chromedp.Void](axeSource))
			for _, scheme := range []string{"light", "dark"} {
				opts := "{}"
				if scheme == "dark" {
					p.do(colorScheme(scheme))
					require.True(t, mustRun(p, chromedp.Evaluate[bool](`matchMedia("(prefers-color-scheme: dark)").matches`)), "the dark scheme is on")
					opts = axeColourRules
				}
				vs := mustRun(p, chromedp.Evaluate[[]axeViolation](fmt.Sprintf(axeRunJS, opts), chromedp.EvalAwaitPromise))
				for _, v := range vs {
					t.Errorf("%s at %s, %s: %s", path, s.name, scheme, v)
				}
			}
		}
	}
	t.Logf("%d pages at 2 sizes in 2 schemes in %v", len(pages), time.Since(start).Round(time.Millisecond))
	p.do(chromedp.ResetViewport(), colorScheme(""))
}
