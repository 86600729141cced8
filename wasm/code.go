//go:build js && wasm && !sandbox

package main

import (
	"strconv"

	"github.com/hack-pad/safejs"
	"github.com/sync-vs-async/playground/web"
)

// A lesson step's code pane comes from the server with the player steps at
// which its current line changes (data-code-steps); here the mark only
// follows the player: the line gets the class and aria-current, and the
// pane's status line says which line it is, when it changes.

// showCodeLine marks, in the shown lesson step's code pane (if it has
// one), the line current at the player's step.
func (a *app) showCodeLine() error {
	if a.lesson == nil {
		return nil
	}
	n, d := a.lesson.current, a.dom
	if !d.has(web.CodePaneID(n)) {
		return nil
	}
	pane, err := d.byID(web.CodePaneID(n))
	if err != nil {
		return err
	}
	data, err := pane.Get("dataset")
	if err != nil {
		return err
	}
	line, other := web.CodeLineAt(str(data, "codeSteps"), a.step), str(data, "traceHash") != a.hash
	if other {
		line = -1
	}
	if str(data, "current") == strconv.Itoa(line) {
		return nil // unchanged: nothing to move or announce
	}
	if err := data.Set("current", strconv.Itoa(line)); err != nil {
		return err
	}
	if err := d.each("#"+web.CodePaneID(n)+" .code-line.current", func(el safejs.Value) error {
		return markCodeLine(el, false)
	}); err != nil {
		return err
	}
	now := web.CodeNowText(0, "")
	if other {
		now = web.CodeOtherRun
	}
	if line > 0 && d.has(web.CodeLineID(n, line)) {
		el, err := d.byID(web.CodeLineID(n, line))
		if err != nil {
			return err
		}
		if err := markCodeLine(el, true); err != nil {
			return err
		}
		now = web.CodeNowText(line, str(el, "dataset", "say"))
	}
	return d.set(web.CodeNowID(n), "textContent", now)
}

// markCodeLine makes a code line current, or not.
func markCodeLine(el safejs.Value, current bool) error {
	classes, err := el.Get("classList")
	if err != nil {
		return err
	}
	if current {
		if _, err := classes.Call("add", "current"); err != nil {
			return err
		}
		_, err = el.Call("setAttribute", "aria-current", "true")
		return err
	}
	if _, err := classes.Call("remove", "current"); err != nil {
		return err
	}
	_, err = el.Call("removeAttribute", "aria-current")
	return err
}
