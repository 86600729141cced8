//go:build js && wasm && !sandbox

package main

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// Predict, then reveal, in the browser: an answer is checked against its
// stated range first; a first miss shows the hint, a second the answer
// and the explanation; once answered the player plays on to the event the
// question was about, and "Show me" plays the steps before it again. The
// stop notes follow the player's step.

// answerForm is what a checkpoint's form says, read when it is submitted.
type answerForm struct {
	kind, given, want, tolerance, unit string
	min, max                           string // the stated range; "" for an open end
	reveal                             int    // the player step of the event asked about, 0 for none
}

// readAnswerForm reads a submitted checkpoint form.
func readAnswerForm(form safejs.Value) answerForm {
	data := func(name string) string { return str(form, "dataset", name) }
	reveal, _ := strconv.Atoi(data("reveal"))
	return answerForm{kind: data("kind"), given: answerOf(form), want: data("answer"), tolerance: data("tolerance"),
		unit: data("unit"), min: data("min"), max: data("max"), reveal: reveal}
}

// check marks the answer to step n's checkpoint: refused if out of its
// range; right; or not quite, with the hint the first time and the answer
// and explanation the second.
func (a *app) check(n int, f answerForm) error {
	d := a.dom
	result := web.CheckpointResultID(n)
	given := strings.TrimSpace(f.given)
	if given == "" {
		return d.set(result, "textContent", "Answer first: type a number or pick a choice.")
	}
	g, err1 := strconv.ParseFloat(given, 64)
	w, err2 := strconv.ParseFloat(f.want, 64)
	tol, _ := strconv.ParseFloat(f.tolerance, 64)
	if err1 != nil || err2 != nil || math.IsNaN(g) || math.IsInf(g, 0) {
		return d.set(result, "textContent", "That is not a number the check understands; try digits, like 42.")
	}
	if msg := web.OutOfRange(g, f.kind, f.min, f.max, f.unit); msg != "" {
		if err := d.set(result, "className", "checkpoint-result wrong"); err != nil {
			return err
		}
		return d.set(result, "textContent", msg)
	}
	right := core.AnswerMatches(g, w, tol, f.kind == "choice")
	class := "checkpoint-result wrong"
	if right {
		class = "checkpoint-result right"
	}
	if err := d.set(result, "className", class); err != nil {
		return err
	}
	l := a.lesson
	switch {
	case right:
		a.markDone(n)
		if err := d.set(result, "textContent", "Right."); err != nil {
			return err
		}
	case l.misses[n] == 0:
		l.misses[n]++
		if !d.has(web.CheckpointHintID(n)) {
			return d.set(result, "textContent", "Not quite. Step through the run again and have another go.")
		}
		if err := d.attr(web.CheckpointHintID(n), "hidden", "", true); err != nil {
			return err
		}
		return d.set(result, "textContent", "Not quite. Read the hint below and have another go.")
	default:
		l.misses[n]++
		answer := web.FormatAnswer(w, f.unit)
		if f.kind == "choice" {
			answer = "“" + a.choiceLabel(n, f.want) + "”"
		}
		if err := d.set(result, "textContent", "Not quite: the run says "+answer+". The explanation below says why."); err != nil {
			return err
		}
	}
	return a.revealAnswer(n, f)
}

// revealAnswer follows a right answer, or the answer told: the run ahead
// may be shown, the explanation shows, and the player plays on to the
// event the question was about.
func (a *app) revealAnswer(n int, f answerForm) error {
	d, l := a.dom, a.lesson
	if l.answered == nil {
		l.answered = map[int]bool{}
	}
	l.answered[n] = true
	if err := a.lockFuture(false); err != nil {
		return err
	}
	if err := d.attr(web.CheckpointExplanationID(n), "hidden", "", true); err != nil {
		return err
	}
	if f.reveal <= 0 {
		return nil
	}
	return a.afterLoad(func(a *app) error {
		from := a.step
		if from >= f.reveal || f.reveal-from > 2*showMeBefore {
			from = max(f.reveal-showMeBefore, 0)
		}
		return a.playTo(from, f.reveal)
	})
}

// showMeBefore is how many steps before its event the run starts when it
// plays on to it from far away (web's "Show me" starts as far back).
const showMeBefore = 6

// playTo shows step from, then plays at the chosen pace up to step to,
// where it stops; any other move of the learner's stops it first.
func (a *app) playTo(from, to int) error {
	a.stop()
	if err := a.show(from); err != nil {
		return err
	}
	if a.step >= to {
		return nil
	}
	a.playing = true
	a.gen++
	if err := a.playButton(); err != nil {
		return err
	}
	a.revealTick(a.gen, to)
	return nil
}

// revealTick is playTo's clock: like tick, but it stops at step to.
func (a *app) revealTick(gen, to int) {
	a.clock = a.after(time.Duration(float64(time.Second)/a.speed), func(a *app) error {
		if a.gen != gen || !a.playing {
			return nil
		}
		a.clock = nil
		if err := a.show(a.step + 1); err != nil {
			a.stop()
			return err
		}
		if a.step >= to || a.step >= a.timeline.Len() {
			a.stop()
			return nil
		}
		a.revealTick(gen, to)
		return nil
	})
}

// bindShowMe wires every "Show me" button: it plays its stretch again.
func (a *app) bindShowMe() error {
	for n := 1; n <= a.lesson.steps; n++ {
		if !a.dom.has(web.ShowMeID(n)) {
			continue
		}
		button, err := a.dom.byID(web.ShowMeID(n))
		if err != nil {
			return err
		}
		if err := click(a, web.ShowMeID(n), func(a *app) error {
			// Read when clicked: a knob's position changes the stretch.
			from, _ := strconv.Atoi(str(button, "dataset", "from"))
			to, _ := strconv.Atoi(str(button, "dataset", "to"))
			return a.afterLoad(func(a *app) error { return a.playTo(from, to) })
		}); err != nil {
			return err
		}
	}
	return nil
}

// followStep shows, of the current lesson step's notes, the one that
// holds at the player's step (see web.StepNoteView).
func (a *app) followStep() error {
	if a.lesson == nil || a.lesson.current < 1 {
		return nil
	}
	step := a.step
	return a.dom.each("#"+web.LessonStepID(a.lesson.current)+" .stop-note", func(p safejs.Value) error {
		from, err1 := strconv.Atoi(str(p, "dataset", "from"))
		to, err2 := strconv.Atoi(str(p, "dataset", "to"))
		shown := err1 == nil && err2 == nil && step >= from && step < to
		hidden, err := boolProp(p, "hidden")
		if err == nil && hidden == !shown {
			return nil // as it should be: leave the DOM alone
		}
		return p.Set("hidden", !shown)
	})
}
