//go:build !js

package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// Links and files that are partly wrong: the page keeps what it can, says
// what it dropped, and keeps working.

// sharedOption is the example menu's option for a scenario that is not a
// built-in one (web.exampleMenu).
const sharedOption = "Shared or imported scenario"

// waitHeading waits until the page's heading is name.
func (p *tab) waitHeading(name string, msgAndArgs ...any) {
	p.t.Helper()
	p.waitJS(fmt.Sprintf(`document.getElementById(%q)?.textContent === %q`, web.IDScenarioTitle, name), stepTimeout, msgAndArgs...)
}

// stepsOn checks that the page still steps: ArrowRight moves one step on.
func (p *tab) stepsOn(msg string) {
	p.t.Helper()
	st := p.state()
	p.focusBody()
	p.press(kb.ArrowRight)
	p.waitStep(st.Step+1, "%s", msg)
}

// TestLinkWithABadStep opens good share links whose step is not a step:
// the linked scenario opens at step 0 and the banner names step.
func TestLinkWithABadStep(t *testing.T) {
	browser := sharedBrowser(t)
	sc := example(t, "event-driven")
	native := nativeRun(t, sc)
	s, err := core.EncodeShareLink(sc)
	require.NoError(t, err)

	for _, step := range []string{"-1", "1e30", "abc", "99999999999999999999"} {
		t.Run("step="+step, func(t *testing.T) {
			p := openFreshReady(t, browser, serverURL+"/#s="+s+"&step="+step)
			b := p.waitBanner()
			t.Logf("banner: %s", b.Text)
			assert.True(t, b.Visible, "the banner is visible: %+v", b)
			assert.Contains(t, b.Text, fmt.Sprintf("step=%q", step), "the banner names step and its value")
			p.waitHeading(sc.Name, "the linked scenario must open despite step=%s", step)
			st := p.state()
			assert.Equal(t, native.Hash, st.Hash, "the linked scenario's run (data-trace-hash)%s", wasmNote())
			assert.Equal(t, 0, st.Step, "a bad step opens at step 0")
			assert.Equal(t, sharedOption, p.exampleMenuShows())
			p.stepsOn("ArrowRight after a link with a bad step")
			p.requireCleanConsole()
		})
	}

	t.Run("a step past the end shows the last", func(t *testing.T) {
		p := openFreshReady(t, browser, serverURL+"/#s="+s+"&step=100000000")
		p.waitHeading(sc.Name, "the linked scenario opens")
		p.waitStep(native.Steps, "a step past the end is clamped to the last")
		assert.Empty(t, p.banner().Text, "a whole number is a good step")
		p.requireCleanConsole()
	})
}

// TestEmptyScenarioLink opens links whose s= is empty: the page says the
// link is damaged, naming s, and shows the default example.
func TestEmptyScenarioLink(t *testing.T) {
	browser := sharedBrowser(t)
	def := example(t, core.DefaultExample)
	native := nativeRun(t, def)
	for _, fragment := range []string{"s=", "s=&step=3", "s"} {
		t.Run(fragment, func(t *testing.T) {
			p := openFreshReady(t, browser, serverURL+"/#"+fragment)
			b := p.waitBanner()
			t.Logf("banner: %s", b.Text)
			assert.True(t, b.Visible, "the banner is visible: %+v", b)
			assert.Contains(t, b.Text, "s= is empty", "the banner names s")
			assert.Contains(t, b.Text, "showing "+def.Name+" instead", "the banner says what is shown")
			p.waitHeading(def.Name, "the default example is shown")
			assert.Equal(t, native.Hash, p.state().Hash, "the default example's run")
			p.stepsOn("ArrowRight after an empty link")
			p.requireCleanConsole()
		})
	}
}

// TestLinkWithScenarioAndExample opens a link that has both s= and ex=: the
// scenario in s= opens (it is the scenario itself), the menu shows it as a
// shared one rather than the example, and the banner names both.
func TestLinkWithScenarioAndExample(t *testing.T) {
	browser := sharedBrowser(t)
	sc := example(t, "event-driven")
	native := nativeRun(t, sc)
	s, err := core.EncodeShareLink(sc)
	require.NoError(t, err)

	for _, c := range []struct{ name, fragment string }{
		{"ex first", "ex=outbox&s=" + s + "&step=2"},
		{"s first", "s=" + s + "&ex=outbox&step=2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := openFreshReady(t, browser, serverURL+"/#"+c.fragment)
			b := p.waitBanner()
			t.Logf("banner: %s", b.Text)
			assert.Contains(t, b.Text, "(s=)", "the banner names s")
			assert.Contains(t, b.Text, `ex="outbox"`, "the banner names ex")
			p.waitHeading(sc.Name, "s= wins over ex=")
			st := p.state()
			assert.Equal(t, native.Hash, st.Hash, "the run is s='s scenario%s", wasmNote())
			assert.Equal(t, 2, st.Step, "the step still applies")
			assert.Equal(t, sharedOption, p.exampleMenuShows(), "the menu must not claim the example outbox")
			assert.Equal(t, "", mustRun(p, chromedp.Evaluate[string](fmt.Sprintf(`document.getElementById(%q).value`, web.IDExampleSelect))))
			p.stepsOn("ArrowRight after a link with s= and ex=")
			p.requireCleanConsole()
		})
	}
}

// TestImportKeepsTheScenarioInTheURL imports a file: the address bar then
// holds its share link, so that a reload opens it again.
func TestImportKeepsTheScenarioInTheURL(t *testing.T) {
	browser := sharedBrowser(t)
	p := openFreshReady(t, browser, serverURL+"/")
	const name = "Imported and reloaded"
	data := exampleJSON(t, "message-queue", func(m map[string]any) { m["name"] = name })
	path := filepath.Join(t.TempDir(), "mine.json")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	sc, err := core.ParseScenario(data)
	require.NoError(t, err)
	native := nativeRun(t, sc)

	p.do(chromedp.SetUploadFiles(chromedp.ID(web.IDImport), []string{path}))
	p.waitHeading(name, "the import shows the file's scenario")
	hash := mustRun(p, chromedp.Evaluate[string](`location.hash`))
	require.True(t, strings.HasPrefix(hash, "#s=1."), "location.hash after an import holds its share link: %q", hash)
	f, err := core.ParseFragment(hash)
	require.NoError(t, err)
	linked, err := core.DecodeShareLink(f.Scenario)
	require.NoError(t, err)
	assert.Equal(t, sc, linked, "the link in the address bar is the imported scenario")

	p.do(chromedp.Reload())
	p.waitWASMReady(readyTimeout)
	p.waitHeading(name, "a reload after an import shows the imported scenario again")
	st := p.state()
	assert.Equal(t, native.Hash, st.Hash, "the reloaded run%s", wasmNote())
	assert.Equal(t, 0, st.Step)
	assert.Empty(t, p.banner().Text, "no error after the reload")
	p.requireCleanConsole()
}

// TestImportTooLargeFile gives the Import input a file a few MB over the
// limit: the page must refuse it without reading it, say so, and keep
// working, importing a good file next.
func TestImportTooLargeFile(t *testing.T) {
	browser := sharedBrowser(t)
	p := openFreshReady(t, browser, serverURL+"/")
	before := p.state()
	// Count reads of any file's contents.
	p.do(chromedp.Evaluate[chromedp.Void](`(() => {
  window.textReads = 0;
  const text = Blob.prototype.text;
  Blob.prototype.text = function() { window.textReads++; return text.call(this); };
})()`))

	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	require.NoError(t, os.WriteFile(big, []byte(`{"name": "`+strings.Repeat("x", core.MaxScenarioBytes+3<<20)+`"}`), 0o644))
	p.do(chromedp.SetUploadFiles(chromedp.ID(web.IDImport), []string{big}))
	b := p.waitBanner()
	t.Logf("banner: %s", b.Text)
	assert.Contains(t, b.Text, "big.json is 4.0 MB", "the banner names the file and its size")
	assert.Contains(t, b.Text, fmt.Sprintf("at most 1.0 MB (%d bytes)", core.MaxScenarioBytes), "the banner gives the limit")
	assert.Equal(t, 0, mustRun(p, chromedp.Evaluate[int](`window.textReads`)), "a file over the limit must not be read")
	assert.Equal(t, before.Hash, p.state().Hash, "the scenario on the page stays")
	p.stepsOn("ArrowRight after refusing a big file")

	const name = "Small enough"
	small := filepath.Join(dir, "small.json")
	require.NoError(t, os.WriteFile(small, exampleJSON(t, "mm1", func(m map[string]any) { m["name"] = name }), 0o644))
	p.do(chromedp.SetUploadFiles(chromedp.ID(web.IDImport), []string{small}))
	p.waitHeading(name, "a good file imports after a refused one")
	assert.Equal(t, 1, mustRun(p, chromedp.Evaluate[int](`window.textReads`)), "the good file is read once")
	assert.Empty(t, p.banner().Text, "the good file clears the banner")
	p.requireCleanConsole()
}

// TestNameWithBidiControlsInTitle opens a link whose scenario's name hides
// a right-to-left override: neither the tab's title nor the heading may
// carry it (or the scenario is refused, naming the field).
func TestNameWithBidiControlsInTitle(t *testing.T) {
	browser := sharedBrowser(t)
	sc := example(t, "event-driven")
	sc.Name = "Orders \u202Etxt.exe\u2066\t(copy)"
	data, err := sc.MarshalCanonical()
	require.NoError(t, err)
	p := openFreshReady(t, browser, serverURL+"/#s="+encodeRawShare(t, data))
	p.waitJS(fmt.Sprintf(`document.getElementById(%q).textContent.startsWith("Orders") || %s !== ""`,
		web.IDScenarioTitle, bannerTextJS), stepTimeout, "the link opens, or is refused")
	title := mustRun(p, chromedp.Title())
	heading := p.text(web.IDScenarioTitle)
	t.Logf("title %q, heading %q, banner %q", title, heading, p.banner().Text)
	for _, s := range []string{title, heading} {
		for _, r := range s {
			assert.False(t, unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r), "%q holds %U", s, r)
		}
	}
	if b := p.banner().Text; b != "" {
		assert.Contains(t, b, "name", "a refused name is named")
	} else {
		assert.Equal(t, "Orders txt.exe (copy) · "+web.ProductName, title)
		assert.Equal(t, "Orders txt.exe (copy)", heading)
	}
	p.requireCleanConsole()
}
