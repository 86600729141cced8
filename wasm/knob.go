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

// A lesson step's knobs (see web/knob.go). The server ran the step at
// every position of its knobs and left each position in a <template>: its
// scenario as a share link, its stop, its text, stop note and checkpoint
// answer and explanation, all filled from that run. Moving a knob copies
// the new position's into the step and runs its scenario in the player,
// so the numbers on the page and the words about them come from the same
// scenario. No lesson code is needed here.

// startKnobs listens for the knobs of every step: a switch's or a
// slider's change (a slider fires one per key press, and one when a drag
// ends), a slider's input (its readout follows the drag), a button's click.
func startKnobs(a *app) error {
	d := a.dom
	knobOf := func(ev safejs.Value) (id string, ok bool) {
		target, err := ev.Get("target")
		if err != nil || str(target, "dataset", "knob") == "" {
			return "", false
		}
		return str(target, "id"), true
	}
	if err := on(d.document, "change", func(ev safejs.Value) {
		if id, ok := knobOf(ev); ok {
			a.do(func(a *app) error { return a.moveKnob(id) })
		}
	}); err != nil {
		return err
	}
	if err := on(d.document, "input", func(ev safejs.Value) {
		if id, ok := knobOf(ev); ok {
			a.do(func(a *app) error { return a.sliderReadout(id) })
		}
	}); err != nil {
		return err
	}
	return on(d.document, "click", func(ev safejs.Value) {
		target, err := ev.Get("target")
		if err != nil {
			return
		}
		button, err := target.Call("closest", "button[data-knob]")
		if err != nil || button.IsNull() {
			return
		}
		id := str(button, "id")
		a.do(func(a *app) error {
			el, err := a.dom.byID(id)
			if err != nil {
				return err
			}
			pressed := pressedButton(el)
			if _, err := el.Call("setAttribute", "aria-pressed", strconv.FormatBool(!pressed)); err != nil {
				return err
			}
			return a.moveKnob(id)
		})
	})
}

// knobValue is a knob control's value as the templates' keys write it.
func knobValue(el safejs.Value) string {
	switch str(el, "type") {
	case "checkbox":
		if checked, err := el.Get("checked"); err == nil {
			if on, err := checked.Truthy(); err == nil && on {
				return "1"
			}
		}
		return "0"
	case "range":
		return str(el, "value")
	}
	if pressedButton(el) {
		return "1"
	}
	return "0"
}

// sliderReadout writes a slider's value beside it and in its aria-valuetext.
func (a *app) sliderReadout(id string) error {
	el, err := a.dom.byID(id)
	if err != nil {
		return err
	}
	text := web.KnobValueText(str(el, "value"), str(el, "dataset", "unit"))
	if _, err := el.Call("setAttribute", "aria-valuetext", text); err != nil {
		return err
	}
	return a.dom.set(id+"-value", "textContent", text)
}

// moveKnob shows the step of the knob with the given id at its knobs'
// new position, and runs it.
func (a *app) moveKnob(id string) error {
	el, err := a.dom.byID(id)
	if err != nil {
		return err
	}
	if str(el, "type") == "range" {
		if err := a.sliderReadout(id); err != nil {
			return err
		}
	}
	section, err := el.Call("closest", ".lesson-step")
	if err != nil || section.IsNull() {
		return fmtlite.Errorf("knob %s is not in a lesson step", id)
	}
	tpl, err := knobVariant(section)
	if err != nil {
		return err
	}
	scenario, stop := str(tpl, "dataset", "scenario"), str(tpl, "dataset", "stop")
	if err := showKnobVariant(section, tpl); err != nil {
		return err
	}
	n, _ := strconv.Atoi(strings.TrimPrefix(str(section, "id"), "lesson-step-"))
	// The status says what was rerun; a screen reader also hears the
	// step's new text, which the eye finds just above.
	text, _ := section.Call("querySelector", ".lesson-text")
	status, err := a.dom.byID(web.KnobStatusID(n))
	if err != nil {
		return err
	}
	if err := a.dom.inner(status, web.KnobStatus(knobSays(el), str(text, "textContent"))); err != nil {
		return err
	}
	if a.lesson == nil || a.lesson.current != n {
		return nil // shown (and run) when the learner gets to it
	}
	sc, err := core.DecodeShareLink(scenario)
	if err != nil {
		return fmtlite.Errorf("step %d: %w", n, err)
	}
	s, _ := strconv.Atoi(stop)
	return a.load(sc, "", s)
}

// knobVariant returns the template of the position the step's knobs are
// in now.
func knobVariant(section safejs.Value) (safejs.Value, error) {
	var key []string
	if err := eachIn(section, "[data-knob]", func(k safejs.Value) error {
		key = append(key, str(k, "dataset", "knob")+"="+knobValue(k))
		return nil
	}); err != nil {
		return safejs.Null(), err
	}
	want := strings.Join(key, "&")
	tpl, err := section.Call("querySelector", `template.knob-variant[data-knobs="`+want+`"]`)
	if err != nil || tpl.IsNull() {
		return safejs.Null(), fmtlite.Errorf("this step has no run for %s", want)
	}
	return tpl, nil
}

// showKnobVariant copies a position's scenario, stop, texts and answer
// from its template into the step, and points the try-it link at it.
func showKnobVariant(section, tpl safejs.Value) error {
	scenario := str(tpl, "dataset", "scenario")
	if err := copyData(section, tpl, "scenario", "stop"); err != nil {
		return err
	}
	content, err := tpl.Get("content")
	if err != nil {
		return err
	}
	// The texts, element by element (the Show me button keeps its
	// listener: only its data and the words before it change).
	for _, sel := range []string{".lesson-text", ".checkpoint-explanation > p:first-child", ".checkpoint-hint"} {
		from, err1 := content.Call("querySelector", sel)
		to, err2 := section.Call("querySelector", sel)
		if err1 != nil || err2 != nil || from.IsNull() || to.IsNull() {
			continue
		}
		if err := to.Set("textContent", str(from, "textContent")); err != nil {
			return err
		}
	}
	if err := swapRevealPointer(section, content); err != nil {
		return err
	}
	if err := swapStopNotes(section, content); err != nil {
		return err
	}
	if err := swapCodePane(section, content); err != nil {
		return err
	}
	if answer := str(tpl, "dataset", "answer"); answer != "" {
		if form, err := section.Call("querySelector", "form.checkpoint"); err == nil && !form.IsNull() {
			if err := copyData(form, tpl, "answer", "reveal", "min", "max"); err != nil {
				return err
			}
		}
	}
	if link, err := section.Call("querySelector", "a.try-it"); err == nil && !link.IsNull() {
		// The sandbox's address as the page wrote it (under a static
		// export's base path, /course/sandbox/), with the new fragment.
		href, err := link.Call("getAttribute", "href")
		if err != nil {
			return err
		}
		sandbox, _ := href.String()
		sandbox, _, _ = strings.Cut(sandbox, "#")
		return link.Set("href", sandbox+"#s="+scenario)
	}
	return nil
}

// knobSays puts a knob's new position in words: "Workers at 20 workers",
// "Dedupe store off".
func knobSays(el safejs.Value) string {
	label := ""
	if labels, err := el.Get("labels"); err == nil && !labels.IsUndefined() && !labels.IsNull() {
		if first, err := labels.Index(0); err == nil && !first.IsUndefined() && !first.IsNull() {
			label = strings.TrimSpace(str(first, "textContent"))
		}
	}
	switch str(el, "type") {
	case "range":
		return label + " at " + web.KnobValueText(str(el, "value"), str(el, "dataset", "unit"))
	case "checkbox":
		if knobValue(el) == "1" {
			return label + " on"
		}
		return label + " off"
	}
	label = strings.TrimSpace(str(el, "textContent"))
	if knobValue(el) == "1" {
		return "“" + label + "” done"
	}
	return "“" + label + "” undone"
}

// pressedButton reports whether a toggle button is pressed.
func pressedButton(el safejs.Value) bool {
	v, err := el.Call("getAttribute", "aria-pressed")
	if err != nil || v.IsNull() {
		return false
	}
	s, err := v.String()
	return err == nil && s == "true"
}

// swapCodePane puts the position's code pane (from the template's
// content) in place of the step's, so that its lines and marks are
// those of the run the player now shows.
func swapCodePane(section, content safejs.Value) error {
	from, err := content.Call("querySelector", ".code-pane")
	if err != nil || from.IsNull() {
		return nil // no code beside this step
	}
	to, err := section.Call("querySelector", ".code-pane")
	if err != nil || to.IsNull() {
		return nil
	}
	clone, err := from.Call("cloneNode", true)
	if err != nil {
		return err
	}
	_, err = to.Call("replaceWith", clone)
	return err
}

// swapRevealPointer copies the position's pointer to its event: the words
// ("See step N in the event log: …") and the Show me button's stretch.
func swapRevealPointer(section, content safejs.Value) error {
	from, err1 := content.Call("querySelector", ".reveal-pointer")
	to, err2 := section.Call("querySelector", ".reveal-pointer")
	if err1 != nil || err2 != nil || from.IsNull() || to.IsNull() {
		return nil
	}
	words, err1 := from.Get("firstChild")
	old, err2 := to.Get("firstChild")
	if err1 == nil && err2 == nil && !words.IsNull() && !old.IsNull() {
		if err := old.Set("data", str(words, "data")); err != nil {
			return err
		}
	}
	fb, err1 := from.Call("querySelector", "button")
	tb, err2 := to.Call("querySelector", "button")
	if err1 != nil || err2 != nil || fb.IsNull() || tb.IsNull() {
		return nil
	}
	return copyData(tb, fb, "from", "to")
}

// copyData copies the data attributes named by keys from one element to
// another.
func copyData(to, from safejs.Value, keys ...string) error {
	ds, err := to.Get("dataset")
	for _, key := range keys {
		if err == nil {
			err = ds.Set(key, str(from, "dataset", key))
		}
	}
	return err
}

// swapStopNotes puts the position's stop notes (each with the stretch of
// steps it holds for) in place of the step's.
func swapStopNotes(section, content safejs.Value) error {
	old, err := section.Call("querySelectorAll", ".stop-note")
	if err != nil {
		return err
	}
	n, err := old.Length()
	if err != nil || n == 0 {
		return err
	}
	first, err := old.Index(0)
	if err != nil {
		return err
	}
	notes, err := content.Call("querySelectorAll", ".stop-note")
	if err != nil {
		return err
	}
	m, err := notes.Length()
	if err != nil {
		return err
	}
	for i := range m {
		note, err := notes.Index(i)
		if err == nil {
			note, err = note.Call("cloneNode", true)
		}
		if err == nil {
			_, err = first.Call("before", note)
		}
		if err != nil {
			return err
		}
	}
	for i := range n {
		el, err := old.Index(i)
		if err == nil {
			_, err = el.Call("remove")
		}
		if err != nil {
			return err
		}
	}
	return nil
}
