//go:build !js

package browsertest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// copyLink clicks Copy link and returns location.hash once the page has
// said where the link is (copied, or shown to copy by hand).
func (p *tab) copyLink() string {
	p.t.Helper()
	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).textContent = ""`, web.IDShareStatus)))
	p.click(web.IDCopyLink)
	p.waitJS(fmt.Sprintf(`document.getElementById(%q).textContent !== ""`, web.IDShareStatus), stepTimeout,
		"Copy link should say in #%s that the link was copied, or show it", web.IDShareStatus)
	status := p.text(web.IDShareStatus)
	p.t.Logf("#%s after Copy link: %s", web.IDShareStatus, status)
	href := mustRun(p, chromedp.Evaluate[string](`location.href`))
	if status != "Link copied." {
		assert.Equal(p.t, "Copy this link: "+href, status, "#%s when the clipboard refuses", web.IDShareStatus)
	}
	return mustRun(p, chromedp.Evaluate[string](`location.hash`))
}

// TestShareLink steps, copies the link, and opens it in a fresh tab, which
// must show the same run at the same step.
func TestShareLink(t *testing.T) {
	browser := sharedBrowser(t)

	cases := []struct {
		name    string
		example string // "" for the default, as the page opens
		step    int
	}{
		{"default example", "", 4},
		{"event-driven", "event-driven", 9},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := openReady(t, browser, serverURL+"/")
			id := c.example
			if id != "" {
				p.selectExample(id)
			} else {
				id = core.DefaultExample
			}
			sc := example(t, id)
			native := nativeRun(t, sc)
			assert.Equal(t, native.Hash, p.state().Hash, "data-trace-hash of %s: the WASM run must equal the native one%s", id, wasmNote())

			p.focusBody()
			for range c.step {
				p.press(kb.ArrowRight)
			}
			p.waitStep(c.step)
			want := p.state()
			narration := p.text(web.IDNarration)

			hash := p.copyLink()
			assert.True(t, strings.HasPrefix(hash, "#s=1."), "location.hash after Copy link starts with #s=1.: %q", hash)
			assert.Contains(t, hash, fmt.Sprintf("step=%d", c.step), "location.hash after Copy link")
			f, err := core.ParseFragment(hash)
			require.NoError(t, err, "core reads the copied fragment")
			linked, err := core.DecodeShareLink(f.Scenario)
			require.NoError(t, err, "core decodes the copied scenario")
			assert.Equal(t, sc.Name, linked.Name, "the linked scenario")
			p.requireCleanConsole()

			q := openFreshReady(t, browser, serverURL+"/"+hash)
			got := q.state()
			assert.Equal(t, want.Hash, got.Hash, "the link reopens the same run (data-trace-hash)")
			assert.Equal(t, c.step, got.Step, "the link reopens at the step (data-step)")
			assert.Equal(t, narration, q.text(web.IDNarration), "the link reopens with the same narration")
			assert.Equal(t, sc.Name, q.text(web.IDScenarioTitle), "the reopened page's heading is the scenario's name")
			assert.Contains(t, mustRun(q, chromedp.Title()), sc.Name,
				"APP BUG: the reopened page's <title> must name the linked scenario; wasm/app.go's renderScenario "+
					"sets #%s but leaves document.title as the server rendered it, for the default example", web.IDScenarioTitle)
			assert.Empty(t, q.banner().Text, "no error banner for a good link")
			assert.NotEmpty(t, q.exampleMenuShows(),
				"APP BUG: the example menu of a page opened from a share link must show something (such as "+
					"\"Custom scenario\"); wasm/app.go sets #%s's value to \"\", which the server-rendered menu "+
					"has no option for, so it shows a blank", web.IDExampleSelect)
			q.requireCleanConsole()
		})
	}
}

// TestMalformedLinks opens broken share links in fresh tabs: each must say
// in the error banner what is wrong, keep a working page that steps, and
// leave the console clean.
func TestMalformedLinks(t *testing.T) {
	browser := sharedBrowser(t)

	good, err := core.EncodeShareLink(example(t, core.DefaultExample))
	require.NoError(t, err)
	invalid := exampleJSON(t, core.DefaultExample, func(m map[string]any) {
		m["nodes"].([]any)[1].(map[string]any)["concurrency"] = -1
	})

	cases := []struct {
		name     string
		fragment string
		want     []string // each must be in the banner's text
	}{
		{"garbage", "s=garbage", []string{"share link", "no version"}},
		{"not base64url", "s=1.!!!", []string{"share link", "base64url"}},
		{"future version", "s=9.AAAA", []string{"share link", "newer version", "format 9"}},
		{"truncated", ("s=" + good)[:len("s="+good)/2], []string{"share link", "cut off"}},
		{"invalid scenario", "s=" + encodeRawShare(t, invalid) + "&step=2", []string{"nodes[1].concurrency"}},
		{"bad step", "step=abc", []string{`step="abc"`, "whole number"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := openFreshReady(t, browser, serverURL+"/#"+c.fragment)
			b := p.waitBanner()
			assert.True(t, b.Visible, "the error banner must be visible: %+v", b)
			assert.Equal(t, "alert", b.Role, "the error banner's role")
			for _, w := range c.want {
				assert.Contains(t, b.Text, w, "the error banner must name the problem")
			}
			t.Logf("banner: %s", b.Text)

			// The page still works: a scenario is on it, and it steps.
			st := p.state()
			assert.NotEmpty(t, st.Hash, "a scenario is loaded despite the bad link")
			p.focusBody()
			p.press(kb.ArrowRight)
			p.waitStep(st.Step+1, "ArrowRight after a bad link")
			p.requireCleanConsole()
		})
	}
}

// exampleJSON returns the built-in scenario id as JSON, after edit has
// changed its generic form.
func exampleJSON(t *testing.T, id string, edit func(map[string]any)) []byte {
	t.Helper()
	data, err := example(t, id).MarshalCanonical()
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	edit(m)
	out, err := json.MarshalIndent(m, "", "  ")
	require.NoError(t, err)
	return out
}

// TestImport sets scenario files on the Import input: a valid one loads, an
// invalid one names the field in the error banner.
func TestImport(t *testing.T) {
	browser := sharedBrowser(t)
	p := openReady(t, browser, serverURL+"/")
	dir := t.TempDir()

	const name = "Imported: event-driven, renamed"
	valid := exampleJSON(t, "event-driven", func(m map[string]any) { m["name"] = name })
	validPath := filepath.Join(dir, "valid.json")
	require.NoError(t, os.WriteFile(validPath, valid, 0o644))
	sc, err := core.ParseScenario(valid)
	require.NoError(t, err)
	native := nativeRun(t, sc)

	p.do(chromedp.SetUploadFiles(chromedp.ID(web.IDImport), []string{validPath}))
	p.waitJS(fmt.Sprintf(`document.getElementById(%q).textContent === %q`, web.IDScenarioTitle, name), stepTimeout,
		"importing %s should make %q the page's heading", validPath, name)
	st := p.state()
	assert.Equal(t, native.Hash, st.Hash, "the imported scenario's run (data-trace-hash) must equal the native one%s", wasmNote())
	assert.Equal(t, 0, st.Step, "an import starts at step 0")
	assert.Equal(t, "Imported valid.json.", p.text(web.IDShareStatus))
	assert.NotEmpty(t, p.exampleMenuShows(),
		"APP BUG: after an import the example menu must show something (such as \"Custom scenario\"); "+
			"wasm/app.go sets #%s's value to \"\", which the menu has no option for, so it shows a blank", web.IDExampleSelect)
	assert.Empty(t, p.banner().Text, "no error banner for a valid file")
	assert.Contains(t, mustRun(p, chromedp.Title()), name,
		"APP BUG: <title> must name the imported scenario; wasm/app.go's renderScenario sets #%s but "+
			"leaves document.title as the server rendered it, for the default example", web.IDScenarioTitle)

	invalid := exampleJSON(t, "event-driven", func(m map[string]any) {
		m["nodes"].([]any)[1].(map[string]any)["concurrency"] = -1
	})
	invalidPath := filepath.Join(dir, "invalid.json")
	require.NoError(t, os.WriteFile(invalidPath, invalid, 0o644))
	p.do(chromedp.SetUploadFiles(chromedp.ID(web.IDImport), []string{invalidPath}))
	b := p.waitBanner()
	assert.True(t, b.Visible, "the error banner must be visible: %+v", b)
	assert.Contains(t, b.Text, "invalid.json", "the banner names the file")
	assert.Contains(t, b.Text, "nodes[1].concurrency", "the banner names the field")
	t.Logf("banner: %s", b.Text)
	assert.Equal(t, name, p.text(web.IDScenarioTitle), "an invalid file leaves the scenario on the page")
	assert.Equal(t, st.Hash, p.state().Hash, "an invalid file leaves the run on the page")

	// The page still steps.
	p.focusBody()
	p.press(kb.ArrowRight)
	p.waitStep(1, "ArrowRight after a failed import")
	p.requireCleanConsole()
}
