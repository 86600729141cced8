//go:build !js

package browsertest

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// Saved lesson progress that a person, an older page or another tab
// spoiled: the pages must still work, read what they can, and keep it.

// progressStorageKey is where the lesson pages keep progress.
const progressStorageKey = "sync-vs-async-progress"

// storedProgress is the raw saved progress, "" if there is none.
func (p *tab) storedProgress() string {
	p.t.Helper()
	return mustRun(p, chromedp.Evaluate[string](fmt.Sprintf(`localStorage.getItem(%q) ?? ""`, progressStorageKey)))
}

// indexProgress is what the lesson index says beside each lesson.
func (p *tab) indexProgress() map[string]string {
	p.t.Helper()
	return mustRun(p, chromedp.Evaluate[map[string]string](
		`Object.fromEntries([...document.querySelectorAll("[data-progress-for]")].map(s => [s.dataset.progressFor, s.textContent]))`))
}

// TestCorruptProgress stores spoiled progress, then opens the lesson index
// and the comparison lesson (as the report did, at step 1, whose visit
// marks it done) and moves a step: each page must work with a clean
// console, show and keep the good entries, and leave only good ones saved.
func TestCorruptProgress(t *testing.T) {
	browser := sharedBrowser(t)
	for _, c := range []struct {
		desc   string
		stored string
		// index is what the index says of the lessons that are not
		// "not started"; dropped, part of its status line ("" for none).
		index   map[string]string
		dropped string
		// want is the progress saved after step 1 of the comparison.
		want core.LearnerProgress
	}{
		{
			desc:    "one bad entry beside good ones is dropped alone",
			stored:  `{"blocked":{"steps":2,"done":{"1":true}},"outbox":5,"comparison":{"steps":2,"done":{"2":true}}}`,
			index:   map[string]string{"blocked": "1 of 2 steps done", "comparison": "1 of 2 steps done"},
			dropped: "lesson outbox: not a JSON object",
			want: core.LearnerProgress{
				"blocked":    {Steps: 2, Done: map[int]bool{1: true}},
				"comparison": {Steps: 2, Done: map[int]bool{1: true, 2: true}},
			},
		},
		{
			desc:   "a lesson without done, as reported, is kept and marked",
			stored: `{"comparison":{"steps":2}}`,
			index:  map[string]string{},
			want:   core.LearnerProgress{"comparison": {Steps: 2, Done: map[int]bool{1: true}}},
		},
		{
			desc:    "a value that is not an object is replaced",
			stored:  `[1,2]`,
			index:   map[string]string{},
			dropped: "not a JSON object",
			want:    core.LearnerProgress{"comparison": {Steps: 2, Done: map[int]bool{1: true}}},
		},
	} {
		t.Run(c.desc, func(t *testing.T) {
			// Store the value from the index, which only reads progress
			// (a page of the origin's that is not HTML asks for a favicon,
			// which is a 404 in the console), then open it again.
			p := openFreshReady(t, browser, serverURL+"/lessons")
			require.Empty(t, p.storedProgress(), "a fresh browser context has no progress")
			p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`localStorage.setItem(%q, %q)`, progressStorageKey, c.stored)))

			// The index reads what it can and says what it could not.
			p.do(chromedp.Navigate(serverURL + "/lessons"))
			p.waitWASMReady(readyTimeout)
			checkIndex(t, p, c.index, c.dropped)
			assert.Equal(t, c.stored, p.storedProgress(), "reading the index leaves the saved progress as it was")

			// The lesson opens at step 1, which marks it done.
			p.do(chromedp.Navigate(serverURL + web.LessonPath("comparison")))
			p.waitWASMReady(readyTimeout)
			assert.Empty(t, p.banner().Text, "no error banner")
			v := p.lessonView()
			assert.Equal(t, []int{1}, v.Visible, "only step 1 shows")
			assert.Equal(t, "Step 1 of 2", v.Position)
			stop1 := p.lessonStep(1).Stop
			// A long run is prepared after "WASM ready": wait for it.
			p.waitStep(stop1, "the player opens at step 1's data-stop")
			st := p.state()
			assert.Equal(t, p.nativeLessonHash(1), st.Hash, "the player runs step 1's scenario%s", wasmNote())
			assert.False(t, mustRun(p, chromedp.Evaluate[bool](fmt.Sprintf(`document.getElementById(%q).disabled`, web.IDScrubber))),
				"the scrubber is enabled")
			require.Greater(t, st.Steps, stop1, "step 1 stops before the end of its run")
			p.click(web.IDStepForward)
			p.waitStep(stop1+1, "Step forward on the lesson's player")
			p.waitJS(fmt.Sprintf(`(() => {
  try { return JSON.parse(localStorage.getItem(%q)).comparison.done["1"] === true; } catch { return false; }
})()`, progressStorageKey), stepTimeout, "visiting step 1 saves it as done")
			requireProgress(t, p, c.want, "after step 1")

			// Moving a step and back saves again, keeping the others.
			p.click(web.IDLessonNext)
			p.waitJS(fmt.Sprintf(`!document.getElementById(%q).hidden`, web.LessonStepID(2)), stepTimeout, "Next step shows step 2")
			p.waitStep(p.lessonStep(2).Stop, "step 2 loads at its data-stop")
			p.click(web.IDLessonPrev)
			p.waitJS(fmt.Sprintf(`!document.getElementById(%q).hidden`, web.LessonStepID(1)), stepTimeout, "Previous step shows step 1")
			p.waitStep(stop1, "step 1 loads at its data-stop")
			requireProgress(t, p, c.want, "after Next and Previous")
			p.requireCleanConsole()

			// The index now reads everything saved.
			p.do(chromedp.Navigate(serverURL + "/lessons"))
			p.waitWASMReady(readyTimeout)
			after := map[string]string{}
			for id, lp := range c.want {
				after[id] = fmt.Sprintf("%d of %d steps done", len(lp.Done), lp.Steps)
				if len(lp.Done) == lp.Steps {
					after[id] = "done"
				}
			}
			checkIndex(t, p, after, "")
			p.requireCleanConsole()
		})
	}
}

// checkIndex checks the lesson index's progress (every lesson not in want
// is "not started") and that its status line contains dropped, or is
// empty for "".
func checkIndex(t *testing.T, p *tab, want map[string]string, dropped string) {
	t.Helper()
	got := p.indexProgress()
	require.Len(t, got, len(core.Lessons()), "a progress slot per lesson")
	for id, text := range got {
		w, ok := want[id]
		if !ok {
			w = "not started"
		}
		assert.Equal(t, w, text, "the index's progress for %s", id)
	}
	status := p.text(web.IDProgressStatus)
	if dropped == "" {
		assert.Empty(t, status, "#%s says nothing when all saved progress was read", web.IDProgressStatus)
		return
	}
	assert.Contains(t, status, dropped, "#%s names what could not be read", web.IDProgressStatus)
}

// requireProgress checks that the saved progress reads, with nothing
// dropped, as want.
func requireProgress(t *testing.T, p *tab, want core.LearnerProgress, when string) {
	t.Helper()
	stored := p.storedProgress()
	got, dropped := core.ParseProgress([]byte(stored))
	assert.Empty(t, dropped, "%s: the saved progress %s", when, stored)
	require.Equal(t, want, got, "%s: the saved progress %s", when, stored)
}
