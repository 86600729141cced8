//go:build !js

package browsertest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// Predict, then reveal, in the browser: a question is answered from what
// the page shows; an answer out of its range is refused with a message;
// a first miss gives the hint, a second the answer; then the player plays
// on to the event, and "Show me" plays it again; the stop's note follows
// the player's step; and every lesson completes with the keyboard on a
// phone.

// visibleText is the text of the first element matching the CSS selector
// that is not hidden, "" if none.
func (p *tab) visibleText(selector string) string {
	p.t.Helper()
	return mustRun(p, chromedp.Evaluate[string](fmt.Sprintf(
		`([...document.querySelectorAll(%q)].find(e => !e.hidden && !e.closest("[hidden]"))?.textContent ?? "").trim()`, selector)))
}

// formData reads data-name of checkpoint n's form.
func (p *tab) formData(n int, name string) string {
	p.t.Helper()
	return p.attr("#"+web.CheckpointID(n), "data-"+name)
}

// answerBox tabs to checkpoint n's number box from the top of the page,
// clears it, and types s.
func (p *tab) typeAnswer(n int, s string) {
	p.t.Helper()
	p.fromTop()
	p.tabTo("#"+web.AnswerID(n), false, 40)
	for range p.inputValue(web.AnswerID(n)) {
		p.press(kb.Backspace)
	}
	p.press(s)
	require.Equal(p.t, s, p.inputValue(web.AnswerID(n)))
}

// submitAnswer presses Enter in the answer box and waits for the app to
// be done with it (and with any play it started).
func (p *tab) submitAnswer(n int) string {
	p.t.Helper()
	p.clearResult(n)
	before := p.actions()
	p.press(kb.Enter)
	p.settle(before + 1)
	return p.text(web.CheckpointResultID(n))
}

// The ordering lesson's first question, answered as a learner would: the
// key and the partition of the asked user's first event are read from the
// narration and the event log, not from the core.
func TestOrderingAnsweredFromTheScreen(t *testing.T) {
	browser := sharedBrowser(t)
	p := openFreshReady(t, browser, serverURL+web.LessonPath("ordering"))
	label := p.visibleText("label[for=" + web.AnswerID(1) + "]")
	user := regexp.MustCompile(`user (\d+)'s`).FindStringSubmatch(label)
	require.NotNil(t, user, "the question names a user: %q", label)
	assert.Regexp(t, `murmur2\(key\)\)? % 6`, p.visibleText(".lesson-step .lesson-text"), "the text gives the partition function")

	key := `key "user-` + user[1] + `"`
	partitionRE := regexp.MustCompile(regexp.QuoteMeta(key) + `, to partition (\d+)`)
	narration := p.text(web.IDNarration)
	logRow := p.visibleText("#" + web.IDEventLog + " [aria-current=step] .log-text")
	t.Logf("narration: %s\nlog row: %s", narration, logRow)
	fromNarration, fromLog := partitionRE.FindStringSubmatch(narration), partitionRE.FindStringSubmatch(logRow)
	require.NotNil(t, fromNarration, "the narration at the stop shows %s and its partition", key)
	require.NotNil(t, fromLog, "the event log's current row shows %s and its partition", key)
	require.Equal(t, fromNarration[1], fromLog[1])

	p.typeAnswer(1, fromLog[1])
	assert.Equal(t, "Right.", p.submitAnswer(1), "the partition read off the screen is the answer")

	// The player plays on to the asked user's next event and stops there;
	// the explanation names that row, which is the current one.
	reveal := mustAtoi(t, p.formData(1, "reveal"))
	p.waitStep(reveal, "after the answer the run plays on to the event")
	current := p.visibleText("#" + web.IDEventLog + " [aria-current=step] .log-text")
	assert.Regexp(t, regexp.QuoteMeta(key)+`, to partition `+fromLog[1]+` `, current, "the event: the same key, the same partition")
	assert.True(t, p.visible(web.CheckpointExplanationID(1)))
	explanation := p.text(web.CheckpointExplanationID(1))
	assert.Contains(t, explanation, "See step "+strconv.Itoa(reveal)+" in the event log: “"+current+"”", "the explanation names the highlighted row")
	assert.Contains(t, strings.Fields(p.attr("#"+web.LogRowID(reveal), "class")), "current", "that row is highlighted")
	assert.Contains(t, p.visibleText(".lesson-step .stop-note"), "next event", "the note follows the step")
	p.requireCleanConsole()
}

// An answer outside the stated range is refused, naming the range, and
// does not count as a miss; a first miss shows the hint, a second the
// answer with the explanation, and the run plays on; "Show me" plays the
// stretch before the event again.
func TestRangeHintThenAnswer(t *testing.T) {
	browser := sharedBrowser(t)
	p := openFreshReady(t, browser, serverURL+web.LessonPath("ordering"))
	stop := p.lessonStep(1).Stop
	lo, hi := p.formData(1, "min"), p.formData(1, "max")
	require.Equal(t, "0", lo)
	require.Equal(t, "5", hi, "six partitions")
	assert.Contains(t, p.visibleText("label[for="+web.AnswerID(1)+"]"), "(0–5)", "the question states its range")
	want := mustAtoi(t, p.formData(1, "answer"))

	p.typeAnswer(1, "9")
	res := p.submitAnswer(1)
	assert.Contains(t, res, "Out of range", "9 is refused")
	assert.Contains(t, res, "from 0 to 5", "the message names the range")
	assert.Contains(t, res, "9", "and the answer refused")
	assert.False(t, p.visible(web.CheckpointHintID(1)), "an answer out of range is not a miss: no hint yet")
	assert.Equal(t, stop, p.state().Step, "the player stays at the stop")

	wrong := strconv.Itoa((want + 1) % 6)
	p.typeAnswer(1, wrong)
	res = p.submitAnswer(1)
	assert.True(t, strings.HasPrefix(res, "Not quite"), "a first miss: %q", res)
	assert.NotContains(t, res, "partition "+strconv.Itoa(want), "the first miss does not give the answer")
	require.True(t, p.visible(web.CheckpointHintID(1)), "the hint shows after a first miss")
	hint := p.text(web.CheckpointHintID(1))
	assert.Contains(t, hint, "event log", "the hint says what to look at: %q", hint)
	assert.False(t, p.visible(web.CheckpointExplanationID(1)), "no explanation yet")
	assert.Equal(t, stop, p.state().Step, "the run does not move on a miss")

	wrong = strconv.Itoa((want + 2) % 6)
	p.typeAnswer(1, wrong)
	res = p.submitAnswer(1)
	assert.Contains(t, res, "the run says partition "+strconv.Itoa(want), "the second miss gives the answer")
	assert.True(t, p.visible(web.CheckpointExplanationID(1)), "and the explanation")
	reveal := mustAtoi(t, p.formData(1, "reveal"))
	p.waitStep(reveal, "told the answer, the run plays on to the event")

	// Show me: back a few steps, then on to the event again.
	from := mustAtoi(t, p.attr("#"+web.ShowMeID(1), "data-from"))
	require.Less(t, from, reveal)
	p.fromTop()
	p.tabTo("#"+web.ShowMeID(1), false, 60)
	p.press(kb.Enter)
	p.waitJS(fmt.Sprintf(`Number(document.body.dataset.step) < %d`, reveal), stepTimeout, "Show me goes back before the event")
	p.waitStep(reveal, "and plays to it")
	p.settle(p.actions())
	assert.Equal(t, reveal, p.state().Step, "it stops at the event")
	p.requireCleanConsole()
}

// The stop's note follows the player's step: at the REST chain's stop the
// database is working; once it is done, the note says so.
func TestStopNotesFollowTheStep(t *testing.T) {
	browser := sharedBrowser(t)
	p := openFreshReady(t, browser, serverURL+web.LessonPath("blocked"))
	note := func() string { return p.visibleText("#" + web.LessonStepID(1) + " .stop-note") }
	assert.Contains(t, note(), "is working", "at the stop")
	next := mustAtoi(t, mustRun(p, chromedp.Evaluate[string](fmt.Sprintf(
		`document.querySelectorAll("#%s .stop-note")[1].dataset.from`, web.LessonStepID(1)))))
	p.focusBody()
	for s := p.state().Step; s < next; s++ {
		p.press(kb.ArrowRight)
		p.waitStep(s + 1)
	}
	assert.NotContains(t, note(), "is working", "step %d: the database is done", next)
	assert.Contains(t, note(), "done")
	p.press(kb.ArrowLeft)
	p.waitStep(next - 1)
	assert.Contains(t, note(), "is working", "back a step, the note is back")
	p.requireCleanConsole()
}

// Every lesson completes with the keyboard alone on a phone: each step's
// question answered (a number typed, a choice picked with the arrows),
// Enter, then Next step; the index then says it is done.
func TestEveryLessonByKeyboardOnAPhone(t *testing.T) {
	browser := sharedBrowser(t)
	p := openFreshPage(t, browser, serverURL+"/lessons", phone)
	p.waitWASMReady(readyTimeout)
	for _, l := range core.Lessons() {
		p.goSettled(web.LessonPath(l.ID))
		for n := 1; n <= len(l.Steps); n++ {
			p.waitStep(p.lessonStep(n).Stop, "%s step %d opens at its stop", l.ID, n)
			if l.Steps[n-1].Checkpoint != nil {
				want := p.formData(n, "answer")
				if p.formData(n, "kind") == "choice" {
					p.fromTop()
					p.tabTo("#"+web.CheckpointID(n)+" input[type=radio]", false, 60)
					p.press(" ")
					p.pickChoice(n, want, len(l.Steps[n-1].Checkpoint.Choices))
				} else {
					p.typeAnswer(n, want)
				}
				res := p.submitAnswer(n)
				require.Equal(t, "Right.", res, "%s step %d: the answer %s", l.ID, n, want)
				p.waitStep(mustAtoi(t, p.formData(n, "reveal")), "%s step %d: the run plays on to the event", l.ID, n)
			}
			if n < len(l.Steps) {
				p.tabTo("#"+web.IDLessonNext, false, 80)
				p.press(kb.Enter)
				p.waitJS(fmt.Sprintf(`!document.getElementById(%q).hidden`, web.LessonStepID(n+1)), stepTimeout, "%s: Next step", l.ID)
			}
		}
		p.requireCleanConsole()
	}
	p.goSettled("/lessons")
	for _, l := range core.Lessons() {
		assert.Equal(t, "done", p.visibleText(`[data-progress-for="`+l.ID+`"]`), "%s completed on a phone with the keyboard", l.ID)
	}
	w := mustRun(p, chromedp.Evaluate[int](`document.documentElement.clientWidth`))
	assert.LessOrEqual(t, w, 390, "a phone's width")
}
