//go:build js && wasm && !sandbox

package main

import (
	"strconv"
	"strings"

	"github.com/hack-pad/safejs"
	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/internal/fmtlite"
	"github.com/sync-vs-async/playground/web"
)

// Lesson pages come from the server with every step's text, scenario (as
// a share link), stop and checkpoint answer in the markup; this file only
// shows one step at a time, loads its scenario into the player, checks
// answers and keeps progress in localStorage. The lessons' Go code stays
// out of the WebAssembly binary.

type lessonState struct {
	id      string
	steps   int
	current int // 1-based
	misses  map[int]int
	// answered holds the steps whose question was answered (or whose
	// answer was given) on this visit: until then the player keeps the
	// run ahead hidden.
	answered map[int]bool
}

// progressKey is where progress lives in localStorage.
const progressKey = "sync-vs-async-progress"

// loadProgress reads the saved progress. What cannot be read (a person, an
// older page or another tab may have written it) is left out and
// described in dropped; the rest is kept, so one bad lesson costs no other.
func (a *app) loadProgress() (p core.LearnerProgress, dropped []string) {
	storage, err := a.dom.window.Get("localStorage")
	if err != nil || storage.IsNull() || storage.IsUndefined() {
		return core.LearnerProgress{}, nil
	}
	v, err := storage.Call("getItem", progressKey)
	if err != nil || v.IsNull() || v.IsUndefined() {
		return core.LearnerProgress{}, nil
	}
	s, err := v.String()
	if err != nil {
		return core.LearnerProgress{}, nil
	}
	return core.ParseProgress([]byte(s))
}

func (a *app) saveProgress(p core.LearnerProgress) error {
	data, err := p.Marshal()
	if err != nil {
		return err
	}
	storage, err := a.dom.window.Get("localStorage")
	if err != nil {
		return err
	}
	_, err = storage.Call("setItem", progressKey, string(data))
	return err
}

// markDone records step n of the current lesson as done. It reads the
// saved progress again first, so what other tabs saved meanwhile stays;
// only entries that could not be read are replaced.
func (a *app) markDone(n int) {
	p, _ := a.loadProgress()
	err := p.MarkDone(a.lesson.id, n, a.lesson.steps)
	if err == nil {
		err = a.saveProgress(p)
	}
	if err != nil {
		// Private browsing, a full store: the lesson still works. A log,
		// not an error, as nothing is wrong with the page.
		logLine("progress not saved:", err)
	}
}

// startLesson sets up a lesson page and shows the step its URL names.
func startLesson(a *app) error {
	d := a.dom
	article, err := d.byID(web.IDLesson)
	if err != nil {
		return err
	}
	steps, err := strconv.Atoi(str(article, "dataset", "steps"))
	if err != nil || steps < 1 {
		return fmtlite.Errorf("the lesson page has no steps")
	}
	a.lesson = &lessonState{id: str(article, "dataset", "lessonId"), steps: steps, misses: map[int]int{}}
	move := func(by int) action {
		return func(a *app) error {
			if err := a.showLessonStep(a.lesson.current + by); err != nil {
				return err
			}
			return a.focusLessonStep()
		}
	}
	if err := click(a, web.IDLessonPrev, move(-1)); err != nil {
		return err
	}
	if err := click(a, web.IDLessonNext, move(+1)); err != nil {
		return err
	}
	if err := on(d.document, "submit", func(ev safejs.Value) {
		form, err := ev.Get("target")
		if err != nil {
			return
		}
		id := str(form, "id")
		n, err := strconv.Atoi(strings.TrimPrefix(id, "checkpoint-"))
		if err != nil || !strings.HasPrefix(id, "checkpoint-") {
			return
		}
		if _, err := ev.Call("preventDefault"); err != nil {
			return
		}
		f := readAnswerForm(form)
		a.do(func(a *app) error { return a.check(n, f) })
	}); err != nil {
		return err
	}
	if err := startKnobs(a); err != nil {
		return err
	}
	if err := a.bindShowMe(); err != nil {
		return err
	}
	if err := on(d.window, "hashchange", func(safejs.Value) {
		hash := str(d.window, "location", "hash")
		a.do(func(a *app) error { return a.showLessonStep(lessonStepFrom(hash)) })
	}); err != nil {
		return err
	}
	return a.showLessonStep(lessonStepFrom(str(d.window, "location", "hash")))
}

// lessonStepFrom reads #step=N (1-based), or 1.
func lessonStepFrom(hash string) int {
	f, err := core.ParseFragment(hash)
	if err != nil || f.Step < 1 {
		return 1
	}
	return f.Step
}

// answerOf reads a checkpoint form's answer: the number typed, or the
// value of the choice picked ("" for none).
func answerOf(form safejs.Value) string {
	elements, err := form.Get("elements")
	if err != nil {
		return ""
	}
	answer, err := elements.Get("answer")
	if err != nil {
		return ""
	}
	return str(answer, "value")
}

// showLessonStep shows step n (clamped) and loads its scenario into the
// player at the step's stop.
func (a *app) showLessonStep(n int) error {
	l := a.lesson
	n = min(max(n, 1), l.steps)
	l.current = n
	d := a.dom
	for i := 1; i <= l.steps; i++ {
		if err := d.attr(web.LessonStepID(i), "hidden", "", i == n); err != nil {
			return err
		}
	}
	if err := d.each("#"+web.IDLessonSteps+" a[data-lesson-step]", func(link safejs.Value) error {
		var err error
		if str(link, "dataset", "lessonStep") == strconv.Itoa(n) {
			_, err = link.Call("setAttribute", "aria-current", "step")
		} else {
			_, err = link.Call("removeAttribute", "aria-current")
		}
		return err
	}); err != nil {
		return err
	}
	if err := d.set(web.IDLessonPosition, "textContent", fmtlite.Sprintf("Step %d of %d", n, l.steps)); err != nil {
		return err
	}
	if err := a.lessonButtons(); err != nil {
		return err
	}
	if err := a.replaceHash("#step=" + strconv.Itoa(n)); err != nil {
		return err
	}
	section, err := d.byID(web.LessonStepID(n))
	if err != nil {
		return err
	}
	sc, err := core.DecodeShareLink(str(section, "dataset", "scenario"))
	if err != nil {
		return fmtlite.Errorf("step %d: %w", n, err)
	}
	stop, _ := strconv.Atoi(str(section, "dataset", "stop"))
	if err := a.load(sc, "", stop); err != nil {
		return err
	}
	if !d.has(web.CheckpointID(n)) {
		a.markDone(n) // nothing to answer: reading it is doing it
	}
	return nil
}

// lessonButtons disables Previous on the first step and Next on the last,
// and "Show the whole run" while the step's question is not answered.
func (a *app) lessonButtons() error {
	l := a.lesson
	if err := a.dom.set(web.IDLessonPrev, "disabled", l.current == 1); err != nil {
		return err
	}
	if err := a.dom.set(web.IDLessonNext, "disabled", l.current == l.steps); err != nil {
		return err
	}
	return a.lockFuture(a.dom.has(web.CheckpointID(l.current)) && !l.answered[l.current])
}

// focusLessonStep moves the focus to the shown step's heading, so that a
// keyboard user who pressed Next reads on from the new step (and does not
// land on a button that has just been disabled).
func (a *app) focusLessonStep() error {
	heading, err := a.dom.document.Call("querySelector", "#"+web.LessonStepID(a.lesson.current)+" h2")
	if err != nil || heading.IsNull() {
		return err
	}
	if _, err := heading.Call("setAttribute", "tabindex", "-1"); err != nil {
		return err
	}
	_, err = heading.Call("focus")
	return err
}

// choiceLabel is the text of choice want (its index, as a string) of step
// n's checkpoint.
func (a *app) choiceLabel(n int, want string) string {
	i, err := strconv.Atoi(want)
	if err != nil {
		return want
	}
	label, err := a.dom.document.Call("querySelector", "label[for='"+web.AnswerChoiceID(n, i)+"']")
	if err != nil || label.IsNull() {
		return want
	}
	return strings.TrimSpace(str(label, "textContent"))
}

// startIndex fills in the lesson index's progress and its reset button.
func startIndex(a *app) error {
	if err := a.showProgress(); err != nil {
		return err
	}
	return click(a, web.IDResetProgress, func(a *app) error {
		storage, err := a.dom.window.Get("localStorage")
		if err == nil {
			_, err = storage.Call("removeItem", progressKey)
		}
		if err != nil {
			return err
		}
		if err := a.showProgress(); err != nil {
			return err
		}
		return a.dom.set(web.IDProgressStatus, "textContent", "Progress reset.")
	})
}

// showProgress writes each lesson's progress beside it, and says so in
// the status line if some saved progress could not be read.
func (a *app) showProgress() error {
	p, dropped := a.loadProgress()
	if err := a.dom.each("[data-progress-for]", func(span safejs.Value) error {
		return span.Set("textContent", progressText(p[str(span, "dataset", "progressFor")]))
	}); err != nil {
		return err
	}
	if len(dropped) == 0 {
		return nil
	}
	return a.dom.set(web.IDProgressStatus, "textContent",
		"Some saved progress could not be read and is not shown: "+strings.Join(dropped, "; ")+".")
}

// progressText is what the index says of a lesson's progress.
func progressText(lp core.LessonProgress) string {
	switch {
	case len(lp.Done) == 0:
		return "not started"
	case len(lp.Done) >= lp.Steps:
		return "done"
	}
	return fmtlite.Sprintf("%d of %d steps done", len(lp.Done), lp.Steps)
}
