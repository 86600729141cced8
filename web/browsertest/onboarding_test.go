//go:build !js

package browsertest

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// visibleJS is true when the element with the id is rendered with a size.
const visibleJS = `(() => {
  const el = document.getElementById(%q);
  return !!el && el.checkVisibility() && el.getBoundingClientRect().height > 0;
})()`

// TestHomeStartsLessonOne: a newcomer on / reads what this is, sees "Start
// lesson 1" and "Open the sandbox" in the first screen, on a desktop and on
// a phone, reaches lesson 1 with the keyboard alone, and no loading pill is
// left on any page once the program runs.
func TestHomeStartsLessonOne(t *testing.T) {
	browser := sharedBrowser(t)
	first := core.Lessons()[0]
	for _, s := range pageSizes {
		t.Run(s.name, func(t *testing.T) {
			p := openFreshPage(t, browser, "about:blank")
			p.do(s.setup)
			p.goSettled("/")
			for _, link := range []struct{ id, text, href string }{
				{web.IDStartLesson, "Start lesson 1", web.LessonPath(first.ID)},
				{web.IDOpenSandbox, "Open the sandbox", "/sandbox"},
			} {
				got := mustRun(p, chromedp.Evaluate[[]any](fmt.Sprintf(`(() => {
				  const el = document.getElementById(%q);
				  if (!el) return ["", "", -1];
				  const r = el.getBoundingClientRect();
				  return [el.textContent, el.getAttribute("href"), r.bottom <= innerHeight && r.height > 0 ? 1 : 0];
				})()`, link.id)))
				assert.Equal(t, []any{link.text, link.href, 1.0}, got, "#%s: its words, where it goes, and in the first screen", link.id)
			}
			assert.False(t, mustRun(p, chromedp.Evaluate[bool](fmt.Sprintf(visibleJS, web.StatusID))), "no loading pill once the program runs")

			p.fromTop()
			p.tabTo("#"+web.IDStartLesson, false, 10)
			p.markDocument()
			p.do(chromedp.KeyEvent(kb.Enter))
			p.waitNewDocument()
			p.waitJS(fmt.Sprintf(`location.pathname === %q && `+statusReadyJS, web.LessonPath(first.ID)), readyTimeout, "Enter on Start lesson 1 opens lesson 1")
			assert.Equal(t, first.Title, mustRun(p, chromedp.Evaluate[string](`document.querySelector("h1")?.textContent ?? ""`)))
			assert.False(t, mustRun(p, chromedp.Evaluate[bool](fmt.Sprintf(visibleJS, web.StatusID))), "no loading pill on the lesson once it runs")

			p.goSettled("/lessons")
			durations := mustRun(p, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#lesson-index .duration")].map((el) => el.textContent)`))
			assert.Len(t, durations, len(core.Lessons()), "every lesson says how long it takes")
			for i, l := range core.Lessons() {
				if i < len(durations) {
					assert.Equal(t, fmt.Sprintf("About %d min", web.LessonMinutes(l)), durations[i], l.ID)
				}
			}
			href := mustRun(p, chromedp.Evaluate[string](`[...document.querySelectorAll("main a")].find((a) => a.textContent === "Open the sandbox")?.getAttribute("href") ?? ""`))
			assert.Equal(t, "/sandbox", href, "building your own goes to the sandbox")
			p.requireCleanConsole()
		})
	}
}
