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

// A challenge page is the sandbox with a challenge panel: the learner
// edits with the sandbox's editor, each edit vetted by the challenge's
// locks (core.Challenge.CheckEdit); every run is followed by the core's
// check (core.EvaluateJob, on every seed of the challenge), a slice at a
// time, and the checklist shows its verdict. The page carries the
// challenge itself (data-challenge, a c= link value), so this program
// links none of the built-in challenges.
//
// The learner's work on a challenge is kept in localStorage under
// workKey, the challenges done under challengesDoneKey; the sandbox's own
// draft (draft.go) is left alone.

// challengeProgram is true in challenge.wasm, the challenge pages'
// program, and false in sandbox.wasm (challenge_make.go).
const challengeProgram = true

const (
	challengesDoneKey = "sync-vs-async-challenges"
	workKeyPrefix     = "challenge-work:"
)

// challengeState is a challenge page's state; on the sandbox page only
// the make-a-challenge form's.
type challengeState struct {
	ch    *core.Challenge // nil until opened, or if the link was bad
	key   string          // the localStorage key of the learner's work
	id    string          // the built-in challenge's id, "" for a teacher's
	gen   int             // bumped to abandon a check in progress
	last  []web.CheckRow  // the last verdict's rows
	hints int             // hints shown
	ask   action          // what the confirm's "yes" does
	back  string          // the button to focus once the confirm is gone

	make    bool         // this is the make-a-challenge page (challenge_form.go)
	lastRun *core.Engine // its last run, whose figures the form shows
}

// bindChallenge binds the challenge panel's buttons, found by what was
// clicked (the confirm's are drawn anew each time).
func bindChallenge(a *app) error {
	return on(a.dom.document, "click", func(ev safejs.Value) {
		target, err := ev.Get("target")
		if err != nil {
			return
		}
		el, err := target.Call("closest", "button")
		if err != nil || el.IsNull() {
			return
		}
		var act action
		switch str(el, "id") {
		case web.IDChallengeHint:
			act = (*app).nextHint
		case web.IDShowSolution:
			act = (*app).askSolution
		case web.IDChallengeReset:
			act = (*app).askReset
		case web.IDConfirmYes:
			act = func(a *app) error { return a.answer(true) }
		case web.IDConfirmNo:
			act = func(a *app) error { return a.answer(false) }
		case web.IDMakeCreate:
			act = (*app).makeChallenge
		case web.IDMakeCopy:
			act = (*app).copyMadeLink
		default:
			return
		}
		a.do(act)
	})
}

// openChallenge opens the page's challenge (the panel's data-challenge, or
// for a teacher's the c= of the URL) on the learner's saved work or its
// start. A bad link says what is wrong, and the page stays a working
// sandbox on a template.
func (a *app) openChallenge(hash string) error {
	c := &a.sandbox.chal
	panel, err := a.dom.byID(web.IDChallenge)
	if err != nil {
		c.make = true
		return a.openMake(hash)
	}
	c.id = str(panel, "dataset", "challengeId")
	link := str(panel, "dataset", "challenge")
	if c.id == "" {
		f, err := core.ParseFragment(hash)
		switch {
		case err != nil:
			return a.badChallenge(err)
		case f.Challenge == "":
			return a.badChallenge(errNoChallenge)
		}
		link = f.Challenge
	}
	ch, err := core.DecodeChallengeLink(link)
	if err != nil {
		return a.badChallenge(err)
	}
	c.ch = ch
	c.key = workKeyPrefix + c.id
	if c.id == "" {
		c.key = workKeyPrefix + "link-" + strconv.FormatUint(uint64(fnv32(link)), 36)
		if err := a.showCustomChallenge(ch); err != nil {
			return err
		}
	}
	a.sandbox.ed.Locks = ch
	sc := a.savedWork()
	note := "Your work on this challenge is kept in this browser."
	if sc == nil {
		sc, note = ch.Start.Clone(), "This is the challenge's starting scenario."
	} else {
		note = "Restored your work on this challenge."
	}
	if err := a.apply(editor.Action{Op: editor.Open, Scenario: sc, Index: -1}); err != nil {
		return err
	}
	a.status(note)
	return nil
}

// errNoChallenge is what a teacher's page says without a c= in its URL.
var errNoChallenge = &core.ChallengeLinkError{Reason: "this page opens a challenge from its link (#c=1.…), and the address has none"}

// badChallenge says what is wrong with the challenge link and leaves a
// working sandbox on the default template.
func (a *app) badChallenge(err error) error {
	sc, exErr := core.ExampleByID(core.DefaultExample)
	if exErr != nil {
		return exErr
	}
	if err := a.apply(editor.Action{Op: editor.Open, Scenario: sc, Text: core.DefaultExample, Index: -1}); err != nil {
		return err
	}
	a.showError(err.Error() + " — the editor below shows a template instead, and works as the sandbox does.")
	if err := a.dom.set(web.IDChallengeGoal, "textContent", "No challenge: the link could not be opened (see above)."); err != nil {
		return err
	}
	return a.challengeState("No challenge to check.", "")
}

// showCustomChallenge draws a teacher's challenge in the panel and the
// heading.
func (a *app) showCustomChallenge(ch *core.Challenge) error {
	v := web.NewChallengeView(ch, nil)
	if err := a.dom.replace(web.IDChallenge, web.ChallengePanel(v)); err != nil {
		return err
	}
	if h1, err := a.dom.document.Call("querySelector", "#"+web.IDSandbox+" h1"); err == nil && !h1.IsNull() {
		_ = h1.Set("textContent", web.PlainText(ch.Title))
	}
	_ = a.dom.document.Set("title", web.PlainText(ch.Title)+" · "+web.ChallengesTitle)
	// The panel was drawn anew: its buttons need the program.
	return a.dom.each("#"+web.IDChallenge+" ["+web.RequiresWASM+"]", func(el safejs.Value) error {
		_, err := el.Call("removeAttribute", "disabled")
		return err
	})
}

// fnv32 is FNV-1a: a short name for a link's saved work.
func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

// savedWork is the learner's saved work on the challenge, or nil if there
// is none, it cannot be read, or it changes a locked part.
func (a *app) savedWork() *core.Scenario {
	c := &a.sandbox.chal
	st, err := storage(a.dom, "localStorage")
	if err != nil {
		return nil
	}
	v, err := st.Call("getItem", c.key)
	if err != nil || v.IsNull() || v.IsUndefined() {
		return nil
	}
	text, _ := v.String()
	sc, err := core.DecodeShareLink(text)
	if err != nil || c.ch.CheckLocks(sc) != nil {
		return nil
	}
	return sc
}

// saveWork keeps the draft as the learner's work on the challenge.
func (a *app) saveWork() {
	c := &a.sandbox.chal
	s := a.sandbox
	if c.ch == nil {
		return
	}
	s.saving.dirty = false
	enc, err := core.EncodeShareLink(s.ed.Draft)
	if err != nil {
		return // a draft too large for a link: the last one saved stays
	}
	if st, err := storage(a.dom, "localStorage"); err == nil {
		if _, err := st.Call("setItem", c.key, enc); err == nil {
			s.saving.count++
			_ = a.dom.attr(web.IDSandbox, "data-saved", strconv.Itoa(s.saving.count), false)
		}
	}
}

// challengeChanged follows an edit: the check in progress is abandoned,
// the budget is measured at once (no run needed), and the goal checks
// wait for the run.
func (a *app) challengeChanged() {
	c := &a.sandbox.chal
	if c.ch == nil {
		return
	}
	c.gen++
	rows := web.PendingRows(c.ch, c.last)
	rows = append(rows[:len(c.ch.Checks)], web.CostRows(c.ch, a.sandbox.ed.Draft)...)
	msg := "Checking once the run is done…"
	if len(a.sandbox.ed.Problems) > 0 {
		msg = "Fix the problems below: the checks run once the design runs."
	}
	if err := a.drawChecks(rows, "pending", msg); err != nil {
		logLine("challenge:", err)
	}
}

// challengeRan starts the check of the draft that has just run (e),
// a slice at a time.
func (a *app) challengeRan(e *core.Engine) {
	c := &a.sandbox.chal
	c.lastRun = e
	if c.make {
		if err := a.showMakeForm(); err != nil {
			logLine("make:", err)
		}
	}
	if c.ch == nil {
		return
	}
	c.gen++
	gen := c.gen
	job, err := core.NewEvaluateJob(c.ch, a.sandbox.ed.Draft)
	if err != nil {
		if err := a.challengeState("Cannot check this design: "+err.Error(), "failed"); err != nil {
			logLine("challenge:", err)
		}
		return
	}
	_ = a.dom.attr(web.IDChallengeBar, "hidden", "", true)
	a.later(func(a *app) error { return a.checkSlice(job, gen) })
}

// checkSlice does a slice of the check and queues the next, or shows the
// verdict.
func (a *app) checkSlice(job *core.EvaluateJob, gen int) error {
	c := &a.sandbox.chal
	if c.gen != gen {
		return nil
	}
	done, err := stepWithin(job.Step)
	_ = a.dom.set(web.IDChallengeBar, "value", job.Progress())
	if err != nil {
		_ = a.dom.attr(web.IDChallengeBar, "hidden", "", false)
		return a.challengeState("Cannot check this design: "+err.Error(), "failed")
	}
	if !done {
		if err := a.dom.set(web.IDChallengeState, "textContent", "Checking: "+job.Stage()+"…"); err != nil {
			return err
		}
		a.later(func(a *app) error { return a.checkSlice(job, gen) })
		return nil
	}
	_ = a.dom.attr(web.IDChallengeBar, "hidden", "", false)
	return a.showVerdict(job.Result())
}

// showVerdict draws the checklist of v and says where the challenge
// stands; a pass is kept as done, and suggests the next challenge.
func (a *app) showVerdict(v *core.Verdict) error {
	c := &a.sandbox.chal
	rows := web.VerdictRows(v)
	c.last = rows
	passing := 0
	for _, r := range v.Results {
		if r.Pass {
			passing++
		}
	}
	if !v.Passed {
		msg := strconv.Itoa(passing) + " of " + strconv.Itoa(len(v.Results)) + " checks pass: not solved yet."
		if v.Stopped != "" {
			msg += " " + v.Stopped + "."
		}
		return a.drawChecks(rows, "failed", msg)
	}
	if c.ch.Solution != nil && c.ch.Solution.Equal(a.sandbox.ed.Draft) {
		return a.drawChecks(rows, "solution", "This is the reference solution, and it passes every check. Build a design of your own to complete the challenge.")
	}
	if err := a.drawChecks(rows, "passed", ""); err != nil {
		return err
	}
	a.markDone()
	panel, err := a.dom.byID(web.IDChallenge)
	if err != nil {
		return err
	}
	var next *web.ChallengeSummary
	if id := str(panel, "dataset", "nextId"); id != "" {
		next = &web.ChallengeSummary{ID: id, Title: str(panel, "dataset", "nextTitle")}
	}
	el, err := a.dom.byID(web.IDChallengeState)
	if err != nil {
		return err
	}
	return a.dom.inner(el, web.ChallengeDone(next, siteBase(a.dom)))
}

// drawChecks draws the checklist and the budget meter from rows, and the
// panel's state (for styles and tests) and status line.
func (a *app) drawChecks(rows []web.CheckRow, state, msg string) error {
	if err := a.dom.replace(web.IDChallengeChecks, web.ChallengeChecklist(rows)); err != nil {
		return err
	}
	if err := a.dom.replace(web.IDChallengeBudget, web.BudgetMeter(rows)); err != nil {
		return err
	}
	return a.challengeState(msg, state)
}

func (a *app) challengeState(msg, state string) error {
	if state != "" {
		if err := a.dom.attr(web.IDChallenge, "data-state", state, false); err != nil {
			return err
		}
	}
	if msg == "" {
		return nil
	}
	return a.dom.set(web.IDChallengeState, "textContent", msg)
}

// markDone keeps the built-in challenge as done.
func (a *app) markDone() {
	id := a.sandbox.chal.id
	if id == "" {
		return
	}
	done := a.loadDone(nil)
	if strings.Contains(" "+done+" ", " "+id+" ") {
		return
	}
	if st, err := storage(a.dom, "localStorage"); err == nil {
		_, _ = st.Call("setItem", challengesDoneKey, strings.TrimSpace(done+" "+id))
	}
}

// loadDone reads the challenges done as stored, keeping the ids of known
// (nil: any that looks like an id).
func (a *app) loadDone(known []string) string {
	st, err := storage(a.dom, "localStorage")
	if err != nil {
		return ""
	}
	v, err := st.Call("getItem", challengesDoneKey)
	if err != nil || v.IsNull() || v.IsUndefined() {
		return ""
	}
	s, _ := v.String()
	if known == nil {
		return s
	}
	return web.FormatChallengeProgress(web.ParseChallengeProgress(s, known), known)
}

// startChallengeIndex marks the challenges done on the index.
func startChallengeIndex(a *app) error {
	var known []string
	if err := a.dom.each("[data-done-for]", func(el safejs.Value) error {
		known = append(known, str(el, "dataset", "doneFor"))
		return nil
	}); err != nil {
		return err
	}
	done := web.ParseChallengeProgress(a.loadDone(known), known)
	return a.dom.each("[data-done-for]", func(el safejs.Value) error {
		text := "not done yet"
		if done[str(el, "dataset", "doneFor")] {
			text = "✓ done"
		}
		return el.Set("textContent", text)
	})
}

// nextHint reveals one more hint.
func (a *app) nextHint() error {
	c := &a.sandbox.chal
	if c.ch == nil || c.hints >= len(c.ch.Hints) {
		return nil
	}
	c.hints++
	if err := a.dom.replace(web.IDChallengeHints, web.ChallengeHints(c.ch.HintTexts()[:c.hints])); err != nil {
		return err
	}
	if c.hints == len(c.ch.Hints) {
		_ = a.dom.attr(web.IDChallengeHint, "aria-disabled", "true", false)
	}
	return a.dom.set(web.IDChallengeHint, "textContent", web.HintButtonText(c.hints, len(c.ch.Hints)))
}

// askSolution asks before the reference solution replaces the learner's
// design in the editor (and so in the player, to step through).
func (a *app) askSolution() error {
	c := &a.sandbox.chal
	switch {
	case c.ch == nil:
		return nil
	case c.ch.Solution == nil:
		return a.challengeState("This challenge has no reference solution.", "")
	}
	sol := c.ch.Solution
	return a.ask(web.IDShowSolution, "Open the reference solution in the editor and the player? It replaces your design; Undo brings your design back.",
		"Open the solution", replaceWith(sol, 0, "Opened the reference solution at its first step; Undo brings your design back."))
}

// askReset asks before the starting scenario replaces the learner's design.
func (a *app) askReset() error {
	c := &a.sandbox.chal
	if c.ch == nil {
		return nil
	}
	start := c.ch.Start
	return a.ask(web.IDChallengeReset, "Start again from the challenge's starting scenario? It replaces your design; Undo brings your design back.",
		"Reset", replaceWith(start, -1, "Back to the starting scenario; Undo brings your design back."))
}

// replaceWith is the action that makes a copy of sc the draft, at step
// (-1: the end), as a change Undo takes back, and says msg.
func replaceWith(sc *core.Scenario, step int, msg string) action {
	return func(a *app) error {
		ed := a.sandbox.ed
		ed.History.Do(ed.Draft)
		if err := a.apply(editor.Action{Op: editor.Open, Scenario: sc.Clone(), Index: step}); err != nil {
			return err
		}
		a.showError("")
		a.status(msg)
		a.touch()
		return a.undoButtons()
	}
}

// ask shows the in-page confirm and focuses its safe choice.
func (a *app) ask(from, question, yes string, act action) error {
	c := &a.sandbox.chal
	c.ask, c.back = act, from
	if err := a.dom.replace(web.IDChallengeAsk, web.ChallengeConfirm(question, yes)); err != nil {
		return err
	}
	a.focusSelector("#" + web.IDConfirmNo)
	return nil
}

// answer closes the confirm, doing what it asked on yes.
func (a *app) answer(yes bool) error {
	c := &a.sandbox.chal
	act, back := c.ask, c.back
	c.ask = nil
	if err := a.dom.replace(web.IDChallengeAsk, web.ChallengeConfirm("", "")); err != nil {
		return err
	}
	a.focusSelector("#" + back)
	if yes && act != nil {
		return act(a)
	}
	return nil
}
