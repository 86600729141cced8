//go:build !js

package browsertest

import (
	"fmt"
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

// Knobs in lesson steps: moved with the keyboard, they rerun the step in
// the player, and the step's words and figures follow the new run.

// knobRun is step i (from 0) of lesson id run natively with its knobs in
// state st: what the page must show once the knobs are there.
func knobRun(t *testing.T, id string, i int, st core.KnobState) (*core.Lesson, *core.LessonRun) {
	t.Helper()
	l := core.LessonByID(id)
	require.NotNil(t, l, id)
	moved, err := l.WithKnobs(i, st)
	require.NoError(t, err)
	runs, err := moved.Run()
	require.NoError(t, err)
	return moved, runs[i]
}

// stepText is the text of the .lesson-text of step n.
func (p *tab) stepText(n int) string {
	p.t.Helper()
	return mustRun(p, chromedp.Evaluate[string](fmt.Sprintf(
		`document.querySelector("#%s > .lesson-text")?.textContent ?? ""`, web.LessonStepID(n))))
}

// waitRun waits until the player shows the run of step n's data-scenario
// (its trace hash, computed natively) and the app is idle.
func (p *tab) waitRun(n int, msg string) {
	p.t.Helper()
	want := p.nativeLessonHash(n)
	p.waitJS(fmt.Sprintf(`document.body.dataset.traceHash === %q && document.body.dataset.pending === "0"`, want), readyTimeout,
		"%s: the player should run step %d's new scenario", msg, n)
}

// endStats jumps the player to the end of its run (End, from the body)
// and returns the "Numbers so far" panel's text there.
func (p *tab) endStats() string {
	p.t.Helper()
	p.focusBody()
	before := p.actions()
	p.press(kb.End)
	p.settle(before + 1)
	require.Equal(p.t, p.state().Steps, p.state().Step, "End shows the end of the run")
	return p.text(web.IDStats)
}

// TestLessonKnobNotifications lowers the SMS rate limit of the
// notifications lesson with the keyboard alone: the slider's readout, the
// run in the player, the numbers at its end, the step's text and the
// checkpoint's answer all follow the new position, and the text's figures
// are those of a native run of it.
func TestLessonKnobNotifications(t *testing.T) {
	browser := sharedBrowser(t)
	p := openFreshReady(t, browser, serverURL+web.LessonPath("notifications"))
	l := core.LessonByID("notifications")
	require.NotNil(t, l)
	step := &l.Steps[0]
	require.Len(t, step.Knobs, 1)
	k := step.Knobs[0]
	id := web.KnobID(1, k.ID)

	textBefore := p.stepText(1)
	hashBefore := p.state().Hash
	statsBefore := p.endStats()
	require.Equal(t, formatNumber(k.Default), p.inputValue(id), "the slider starts at the default")

	// To the slider with Tab, then down with the arrow keys.
	p.fromTop()
	p.tabTo("#"+id, false, 60)
	presses := int((k.Default - k.Target) / k.Step)
	require.Positive(t, presses, "the target is below the default")
	for range presses {
		p.press(kb.ArrowLeft)
	}
	require.Equal(t, formatNumber(k.Target), p.inputValue(id), "the arrows moved the slider")
	p.waitRun(1, "after the arrows")
	p.requireCleanConsole()

	_, run := knobRun(t, l.ID, 0, core.KnobState{k.Target})
	figs := core.LessonFigures(run)
	want := web.KnobValueText(formatNumber(k.Target), k.Unit)
	assert.Equal(t, want, p.text(web.KnobValueID(1, k.ID)), "the readout")
	assert.Equal(t, want, p.attr("#"+id, "aria-valuetext"))

	// The step's claim follows: its text is the one filled from the new
	// run, and its figures are that run's.
	textAfter := p.stepText(1)
	wantText, err := core.FillFigures(step.Text, run)
	require.NoError(t, err)
	assert.Equal(t, wantText, textAfter)
	assert.NotEqual(t, textBefore, textAfter, "the text changed with the knob")
	assert.Contains(t, textAfter, "an SMS waits "+figs["sms-q.wait"], "the SMS wait of the new run")
	assert.Contains(t, textAfter, "Email messages wait "+figs["email-q.wait"])
	assert.Contains(t, p.text(web.KnobStatusID(1)), "Run again with "+k.Label+" at "+want+".", "the status line says what was rerun")

	// The player runs the new scenario, and its numbers differ.
	assert.NotEqual(t, hashBefore, p.state().Hash)
	sc, err := core.DecodeShareLink(p.lessonStep(1).Scenario)
	require.NoError(t, err)
	assert.Equal(t, k.Target, sc.Nodes[sc.NodeIndex("sms-limit")].Rate, "the step's scenario has the new limit")
	statsAfter := p.endStats()
	assert.NotEqual(t, statsBefore, statsAfter, "the numbers at the end of the run changed")

	// The checkpoint grades against the new run.
	assert.Equal(t, formatNumber(step.Checkpoint.Answer(run)), p.attr("#"+web.CheckpointID(1), "data-answer"))
	// The try-it link opens the new scenario.
	assert.Equal(t, "/sandbox#s="+p.lessonStep(1).Scenario, p.attr("#"+web.LessonStepID(1)+" a.try-it", "href"))

	// And back up: the default's text and run again.
	p.tabTo("#"+id, false, 60)
	for range presses {
		p.press(kb.ArrowRight)
	}
	p.waitRun(1, "back at the default")
	assert.Equal(t, textBefore, p.stepText(1))
	assert.Equal(t, hashBefore, p.state().Hash)
	p.requireCleanConsole()
}

// TestLessonKnobSwitchAndButton operates a switch (Space) and a toggle
// button (Enter) with the keyboard: each reruns its step at the knob's
// target, with the text of that run.
func TestLessonKnobSwitchAndButton(t *testing.T) {
	browser := sharedBrowser(t)
	for _, tc := range []struct {
		lesson string
		step   int // from 1
		key    string
	}{
		{"outbox", 3, " "},
		{"async-await", 3, kb.Enter},
	} {
		t.Run(tc.lesson, func(t *testing.T) {
			p := openFreshReady(t, browser, serverURL+web.LessonPath(tc.lesson)+"#step="+strconv.Itoa(tc.step))
			l := core.LessonByID(tc.lesson)
			step := &l.Steps[tc.step-1]
			require.Len(t, step.Knobs, 1)
			k := step.Knobs[0]
			id := web.KnobID(tc.step, k.ID)
			require.Equal(t, []int{tc.step}, p.lessonView().Visible)
			hashBefore := p.state().Hash

			p.fromTop()
			p.tabTo("#"+id, false, 60)
			p.press(tc.key)
			p.waitRun(tc.step, k.Label)
			p.requireCleanConsole()
			assert.NotEqual(t, hashBefore, p.state().Hash)

			_, run := knobRun(t, tc.lesson, tc.step-1, step.TargetKnobs())
			want, err := core.FillFigures(step.Text, run)
			require.NoError(t, err)
			assert.Equal(t, want, p.stepText(tc.step), "the text of the target's run")
			switch k.Kind {
			case core.KnobSwitch:
				checked := mustRun(p, chromedp.Evaluate[bool](fmt.Sprintf(`document.getElementById(%q).checked`, id)))
				assert.Equal(t, k.Target == 1, checked)
			case core.KnobButton:
				assert.Equal(t, strconv.FormatBool(k.Target == 1), p.attr("#"+id, "aria-pressed"))
			}
			if c := step.Checkpoint; c != nil {
				assert.Equal(t, formatNumber(c.Answer(run)), p.attr("#"+web.CheckpointID(tc.step), "data-answer"))
			}
			p.requireFocus("#"+id, "the focus stays on the knob")
			// The code beside the run is the position's: its trace hash is
			// the run the player shows, and its code the position's (the
			// outbox without its dedupe store has no dedupe check).
			if pane := step.CodePane(run.Scenario); pane != nil {
				assert.Equal(t, p.state().Hash, p.attr("#"+web.CodePaneID(tc.step), "data-trace-hash"), "the code pane follows the position's run")
				code := mustRun(p, chromedp.Evaluate[string](fmt.Sprintf(`document.getElementById(%q).querySelector("code").textContent`, web.CodePaneID(tc.step))))
				v, err := pane.Resolve(run)
				require.NoError(t, err)
				for _, l := range v.Lines {
					// A figure the question asks for sits between Before
					// and After (shown as "?" until answered).
					for _, part := range []string{l.Before, l.After} {
						assert.Contains(t, code, strings.TrimSpace(part), "the position's code")
					}
				}
			}
		})
	}
}

// TestLessonKnobsOnAPhone shows every step that has knobs at 390px: the
// page does not scroll sideways and every knob is on screen at a size a
// finger can use.
func TestLessonKnobsOnAPhone(t *testing.T) {
	browser := sharedBrowser(t)
	p := openPage(t, browser, "about:blank")
	p.do(phone)
	defer p.do(chromedp.ResetViewport())
	for _, l := range core.Lessons() {
		for i, step := range l.Steps {
			if len(step.Knobs) == 0 {
				continue
			}
			p.goSettled(web.LessonPath(l.ID) + "#step=" + strconv.Itoa(i+1))
			w := mustRun(p, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
			assert.LessOrEqual(t, w[0], w[1], "%s step %d: the page scrolls sideways at 390px", l.ID, i+1)
			for _, k := range step.Knobs {
				box := mustRun(p, chromedp.Evaluate[[]float64](fmt.Sprintf(`(() => {
  const r = document.getElementById(%q).getBoundingClientRect();
  return [r.left, r.right, r.width, r.height];
})()`, web.KnobID(i+1, k.ID))))
				assert.GreaterOrEqual(t, box[0], 0.0, "%s %s: on screen", l.ID, k.ID)
				assert.LessOrEqual(t, box[1], float64(w[1]), "%s %s: on screen", l.ID, k.ID)
				assert.GreaterOrEqual(t, box[3], 18.0, "%s %s: tall enough to tap", l.ID, k.ID)
			}
		}
	}
	p.requireCleanConsole()
}

// formatNumber writes v as the page does.
func formatNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
