//go:build js && wasm && sandbox && challenge

package main

import (
	"strconv"
	"strings"

	"github.com/hack-pad/safejs"
	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
	"github.com/sync-vs-async/playground/web/editor"
)

// /challenges/make: the sandbox's "Make a challenge from this" opens
// its scenario here (the #s= link it keeps in its URL), in the editor and
// the player; the form's bounds are filled in from each run, and "Make
// the link" makes a challenge link (#c=1.…), validated by the core (any
// problem named by its field), that opens at /challenges/custom.

// openMake opens the scenario the URL names, or else the sandbox's saved
// work (the sandbox saves it as its page is left), or else the default
// template, for the form.
func (a *app) openMake(hash string) error {
	l, err := resolveFragment(hash)
	if err == nil && l.sc == nil {
		if d := a.savedDraft(); d != nil {
			l.sc = d.Scenario
		}
	}
	if err != nil || l.sc == nil {
		sc, exErr := core.ExampleByID(core.DefaultExample)
		if exErr != nil {
			return exErr
		}
		l.sc, l.example = sc, core.DefaultExample
		if err != nil {
			a.showError(err.Error() + " — showing a template instead.")
		}
	}
	return a.apply(editor.Action{Op: editor.Open, Scenario: l.sc, Text: l.example, Index: -1})
}

// showMakeForm fills the form's bounds in from the current run and shows
// it.
func (a *app) showMakeForm() error {
	s := a.sandbox
	e := s.chal.lastRun
	if s.stale || e == nil || len(s.ed.Problems) > 0 {
		return a.makeStatus("The bounds follow the run: fix the problems and it runs.")
	}
	r := e.Report()
	for i, def := range core.ChallengeFigures() {
		c := core.Check{Figure: def.Name}
		text := ""
		if v, ok := c.Measure(r, s.ed.Draft); ok {
			text = strconv.FormatFloat(roundBound(v), 'f', -1, 64)
		}
		if def.Name == "workers" {
			if err := a.dom.set(web.IDMakeWorkers, "value", text); err != nil {
				return err
			}
		}
		if err := a.dom.set(web.MakeBoundID(i), "value", text); err != nil {
			return err
		}
	}
	if a.value(web.IDMakeTitle) == "" {
		if err := a.dom.set(web.IDMakeTitle, "value", s.ed.Draft.Name); err != nil {
			return err
		}
	}
	return a.makeStatus("The bounds are this run's figures: pick the checks, tighten or loosen them, then make the link.")
}

// roundBound rounds a measured figure to two decimals, for a bound.
func roundBound(v float64) float64 {
	if v == float64(int64(v)) {
		return v
	}
	return float64(int64(v*100+0.5)) / 100
}

func (a *app) makeStatus(msg string) error { return a.dom.set(web.IDMakeStatus, "textContent", msg) }

// checked reads a checkbox.
func (a *app) checked(id string) bool {
	el, err := a.dom.byID(id)
	if err != nil {
		return false
	}
	b, _ := boolProp(el, "checked")
	return b
}

// makeChallenge reads the form and makes the challenge link, or says
// what is wrong, naming the field.
func (a *app) makeChallenge() error {
	s := a.sandbox
	if s.stale || len(s.ed.Problems) > 0 {
		return a.makeStatus("Wait for the run (and fix any problem) first: a challenge starts from a scenario that runs.")
	}
	ch := &core.Challenge{Version: core.ChallengeVersion, Start: s.ed.Draft.Clone(),
		Title: strings.TrimSpace(a.value(web.IDMakeTitle)), Goal: strings.TrimSpace(a.value(web.IDMakeGoal))}
	if msg := a.readMakeChecks(ch); msg != "" {
		return a.makeStatus(msg)
	}
	for _, line := range strings.Split(a.value(web.IDMakeHints), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			ch.Hints = append(ch.Hints, line)
		}
	}
	if ch.Goal == "" {
		ch.Goal = "Change the design so that every check passes."
	}
	// The core validates the whole challenge, naming the field at fault
	// ("title: is required", "checks: must have at least one check").
	enc, err := core.EncodeChallengeLink(ch)
	if err != nil {
		return a.makeStatus("Cannot make the link: " + err.Error())
	}
	href := str(a.dom.window, "location", "origin") + web.PageURL(siteBase(a.dom), web.CustomChallengePath) + "#" + core.Fragment{Challenge: enc, Step: -1}.String()
	if err := a.dom.set(web.IDMakeLink, "value", href); err != nil {
		return err
	}
	a.focusSelector("#" + web.IDMakeLink)
	return a.makeStatus("Made the link: copy it and share it. It opens the challenge for anyone, with these checks and locks.")
}

// readMakeChecks reads the form's checks, locks and budget into ch, or
// says what cannot be read.
func (a *app) readMakeChecks(ch *core.Challenge) string {
	for i, def := range core.ChallengeFigures() {
		if !a.checked(web.MakeCheckID(i)) {
			continue
		}
		text := strings.TrimSpace(a.value(web.MakeBoundID(i)))
		bound, err := strconv.ParseFloat(text, 64)
		if err != nil || bound != bound || bound > 1e15 || bound < -1e15 {
			return "The bound for " + def.Name + " must be a number, not “" + text + "”."
		}
		op := core.AtLeast
		if def.LowerIsBetter {
			op = core.AtMost
		}
		ch.Checks = append(ch.Checks, core.Check{Figure: def.Name, Op: op, Bound: bound})
	}
	ch.Locks.Workload = a.checked(web.IDMakeLockWorkload)
	ch.Locks.Faults = a.checked(web.IDMakeLockFaults)
	for _, id := range strings.Fields(a.value(web.IDMakeLockNodes)) {
		if ch.Start.NodeIndex(id) < 0 {
			return "Nodes to lock: this scenario has no node “" + id + "”."
		}
		ch.Locks.Nodes = append(ch.Locks.Nodes, id)
	}
	for _, f := range []struct {
		id, name string
		to       *int
	}{{web.IDMakeWorkers, "Most workers in all", &ch.Budget.Workers}, {web.IDMakeNodes, "Most nodes", &ch.Budget.Nodes}} {
		text := strings.TrimSpace(a.value(f.id))
		if text == "" {
			continue
		}
		n, err := strconv.Atoi(text)
		if err != nil || n < 0 || n > 1_000_000 {
			return f.name + " must be a whole number from 0, not “" + text + "”."
		}
		*f.to = n
	}
	return ""
}

// copyMadeLink puts the made link on the clipboard.
func (a *app) copyMadeLink() error {
	href := a.value(web.IDMakeLink)
	say := func(msg string) {
		if err := a.makeStatus(msg); err != nil {
			logLine("make:", err)
		}
	}
	if href == "" {
		say("Make the link first.")
		return nil
	}
	clipboard, err := a.dom.window.Get("navigator")
	if err == nil {
		clipboard, err = clipboard.Get("clipboard")
	}
	if err != nil || clipboard.IsUndefined() {
		say("Select the link and copy it.")
		return nil
	}
	promise, err := clipboard.Call("writeText", href)
	if err != nil {
		say("Select the link and copy it.")
		return nil
	}
	return then(promise,
		func(safejs.Value) { a.do(func(a *app) error { say("Link copied."); return nil }) },
		func(error) { a.do(func(a *app) error { say("Select the link and copy it."); return nil }) })
}
