//go:build js && wasm && sandbox

package main

import (
	"strconv"
	"strings"
	"sync"

	"github.com/hack-pad/safejs"
	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
	"github.com/sync-vs-async/playground/web/editor"
)

// The sandbox: the learner edits a draft scenario; every change is kept
// for undo, validated, and, when it validates, run again a slice at a
// time (so a long run keeps the page responsive and shows its progress).
//
// What an edit does is the editor's (web/editor, tested natively): this
// file turns DOM events into editor actions and the editor's effects
// into DOM calls, and runs what the editor asks to run.

type sandboxState struct {
	ed *editor.State

	runGen     int   // bumped to abandon a run in progress
	stale      bool  // the player shows a run of an older draft (or none yet)
	compareGen int   // bumped to abandon a comparison in progress
	req        int32 // the request the waterfall shows

	canvasQueued bool // a redraw of the canvas during a drag waits for the next frame
	move         pointerMove

	saving draftSaving    // see draft.go
	chal   challengeState // see challenge.go
}

// startSandbox binds the sandbox's controls and opens what the URL names.
func startSandbox(a *app) error {
	a.sandbox = &sandboxState{ed: editor.New(), req: -1}
	for _, bind := range []func(*app) error{bindPlayer, bindSandbox, bindSandboxPanel, bindCanvas, bindDraft, bindChallenge} {
		if err := bind(a); err != nil {
			return err
		}
	}
	a.do(func(a *app) error {
		if err := a.ready(); err != nil {
			return err
		}
		if challengeProgram {
			return a.openChallenge(str(a.dom.window, "location", "hash"))
		}
		return a.openSandbox(str(a.dom.window, "location", "hash"))
	})
	return nil
}

// edits is the action that applies acts to the editor, in order.
func edits(acts ...editor.Action) action {
	return func(a *app) error {
		for _, act := range acts {
			if err := a.apply(act); err != nil {
				return err
			}
		}
		return nil
	}
}

// apply has the editor do act, then does what it says.
func (a *app) apply(act editor.Action) error {
	for _, e := range a.sandbox.ed.Apply(act) {
		if err := a.effect(e); err != nil {
			return err
		}
	}
	return nil
}

// effect does one thing the editor asked of the page.
func (a *app) effect(e editor.Effect) error {
	switch e.Kind {
	case editor.Render:
		return a.renderBuilder()
	case editor.RenderCanvas:
		a.queueCanvas()
	case editor.Run:
		return a.rerun(e.Step)
	case editor.Announce:
		a.status(e.Text)
	case editor.Focus:
		a.focusSelector(e.Text)
	case editor.FocusField:
		if id := web.FieldID(e.Text); a.dom.has(id) {
			a.focusSelector("#" + id)
		} else {
			a.focusSelector("#" + web.IDProperties + " input, #" + web.IDProperties + " select")
		}
	case editor.Save:
		a.touch()
	case editor.WriteHash:
		return a.writeHash(e.Text)
	case editor.Banner:
		a.showError(e.Text)
	case editor.CompareWith:
		if challengeProgram {
			return nil // a challenge page has no comparison
		}
		return a.compare(e.Scenario)
	case editor.CompareNote:
		a.compareStatus(e.Text)
	case editor.Share:
		return a.sandboxLink()
	}
	return nil
}

// bindSandbox binds the sandbox's own buttons and the template menu.
func bindSandbox(a *app) error {
	ids := map[string]action{
		web.IDEmptyCanvas: edits(editor.Action{Op: editor.Empty}),
		web.IDUndo:        edits(editor.Action{Op: editor.Undo}),
		web.IDRedo:        edits(editor.Action{Op: editor.Redo}),
		web.IDCopyLink:    edits(editor.Action{Op: editor.CopyLink}),
	}
	if !challengeProgram { // a challenge page has no comparison
		ids[web.IDCompareRun] = func(a *app) error {
			return a.apply(editor.Action{Op: editor.Compare, Text: a.value(web.IDCompareWith)})
		}
	}
	for _, k := range core.Kinds {
		ids[web.PaletteButtonID(k)] = edits(editor.Action{Op: editor.AddNode, Text: string(k)})
	}
	if err := clicks(a, ids); err != nil {
		return err
	}
	return onValue(a.dom, web.IDTemplate, "change", func(id string) {
		a.do(edits(editor.Action{Op: editor.Template, Text: id}))
	})
}

// bindSandboxPanel binds the buttons inside the properties panel, the
// problem list and the draft notice (redrawn, so found by what was
// clicked), and the fields.
func bindSandboxPanel(a *app) error {
	if err := on(a.dom.document, "click", func(ev safejs.Value) {
		target, err := ev.Get("target")
		if err != nil {
			return
		}
		el, err := target.Call("closest", "button")
		if err != nil || el.IsNull() {
			// A click on the canvas's background clears the selection.
			if str(target, "id") == web.IDCanvas {
				a.do(edits(editor.Action{Op: editor.Select, Index: -1}))
			}
			return
		}
		if act := a.buttonAction(el); act != nil {
			a.do(act)
		}
	}); err != nil {
		return err
	}
	// A changed field: its path and its text.
	return on(a.dom.document, "change", func(ev safejs.Value) {
		target, err := ev.Get("target")
		if err != nil {
			return
		}
		path := str(target, "dataset", "path")
		if path == "" {
			return
		}
		text := str(target, "value")
		if str(target, "dataset", "bool") != "" {
			text = ""
			if b, _ := boolProp(target, "checked"); b {
				text = "true"
			}
		}
		a.do(edits(editor.Action{Op: editor.SetField, Text: path, Value: text}))
	})
}

// buttonAction is what a click on a button of the panels does, or nil.
func (a *app) buttonAction(el safejs.Value) action {
	data := func(k string) string { return str(el, "dataset", k) }
	index := func(k string) int { i, _ := strconv.Atoi(data(k)); return i }
	var act editor.Action
	switch id := str(el, "id"); {
	case data("goto") != "":
		act = editor.Action{Op: editor.GotoField, Text: data("goto")}
	case data("selectEdge") != "":
		act = editor.Action{Op: editor.Select, Index: index("selectEdge")}
	case data("selectNode") != "":
		act = editor.Action{Op: editor.Select, Node: data("selectNode"), Index: -1}
	case data("removeFault") != "":
		act = editor.Action{Op: editor.RemoveFault, Index: index("removeFault")}
	case id == web.IDConnect:
		act = editor.Action{Op: editor.Connect, Node: a.value(web.IDConnectTo), Text: a.value(web.IDConnectMode)}
	case id == web.IDConnectStart:
		act = editor.Action{Op: editor.StartConnect}
	case id == web.IDDeleteNode, id == web.IDDeleteEdge:
		act = editor.Action{Op: editor.Delete}
	case id == web.IDFlipEdge:
		act = editor.Action{Op: editor.Flip}
	case id == web.IDAddFault:
		act = editor.Action{Op: editor.AddFault, Text: a.value(web.IDFaultType)}
	case !challengeProgram && id == web.IDDraftRestore: // a challenge page keeps its work apart (challenge.go)
		return func(a *app) error {
			if d := a.sandbox.saving.offer; d != nil {
				return a.restoreDraft(d)
			}
			return nil
		}
	case id == web.IDDraftDiscard:
		return (*app).discardDraft
	default:
		return nil
	}
	return edits(act)
}

// bindCanvas binds the pointer (dragging a node: pointerdown on it,
// pointermove and pointerup anywhere) and the keys.
func bindCanvas(a *app) error {
	d := a.dom
	if err := on(d.document, "pointerdown", a.pointerDown); err != nil {
		return err
	}
	if err := on(d.document, "pointermove", func(ev safejs.Value) {
		if !a.sandbox.ed.Dragging() { // read without the lock: a hint only
			return
		}
		if x, y, ok := a.canvasPoint(ev); ok {
			a.moveTo(x, y)
		}
	}); err != nil {
		return err
	}
	if err := on(d.document, "pointerup", func(safejs.Value) {
		a.do(edits(editor.Action{Op: editor.EndDrag}))
	}); err != nil {
		return err
	}
	return on(d.document, "keydown", a.sandboxKey)
}

// pointerDown picks the node (starting a drag) or the edge under the
// pointer.
func (a *app) pointerDown(ev safejs.Value) {
	target, err := ev.Get("target")
	if err != nil {
		return
	}
	node, err := target.Call("closest", "#"+web.IDCanvas+" [data-node]")
	if err != nil || node.IsNull() {
		// An edge's line, or its label (drawn over the nodes).
		edge, err := target.Call("closest", "#"+web.IDCanvas+" [data-edge], #"+web.IDCanvas+" [data-edge-label]")
		if err == nil && !edge.IsNull() {
			i, err := strconv.Atoi(str(edge, "dataset", "edge") + str(edge, "dataset", "edgeLabel"))
			if err == nil {
				a.do(edits(editor.Action{Op: editor.PickEdge, Index: i}))
			}
		}
		return
	}
	x, y, ok := a.canvasPoint(ev)
	if !ok {
		return
	}
	_, _ = ev.Call("preventDefault") // no text selection while dragging
	a.do(edits(editor.Action{Op: editor.PickNode, Node: str(node, "dataset", "node"), X: x, Y: y}))
}

// sandboxKey handles undo and redo anywhere but in a text field, and
// the keys of the canvas's nodes and edges.
func (a *app) sandboxKey(ev safejs.Value) {
	key := str(ev, "key")
	ctrl, _ := boolProp(ev, "ctrlKey")
	meta, _ := boolProp(ev, "metaKey")
	shift, _ := boolProp(ev, "shiftKey")
	var acts []editor.Action
	if tag := str(ev, "target", "tagName"); (ctrl || meta) && tag != "INPUT" && tag != "TEXTAREA" {
		switch k := strings.ToLower(key); {
		case k == "z" && !shift:
			acts = []editor.Action{{Op: editor.Undo}}
		case k == "z", k == "y":
			acts = []editor.Action{{Op: editor.Redo}}
		}
	} else if target, err := ev.Get("target"); err == nil && !ctrl && !meta {
		if onCanvas, err := target.Call("closest", "#"+web.IDCanvas); err == nil && !onCanvas.IsNull() {
			edge := -1
			if s := str(target, "dataset", "edge"); s != "" {
				edge, _ = strconv.Atoi(s)
			}
			acts = editor.KeyActions(key, str(target, "dataset", "node"), edge, shift)
		}
	}
	if len(acts) > 0 {
		_, _ = ev.Call("preventDefault")
		a.do(edits(acts...))
	}
}

// value reads the value of a form control.
func (a *app) value(id string) string {
	el, err := a.dom.byID(id)
	if err != nil {
		return ""
	}
	return str(el, "value")
}

// canvasPoint converts an event's pointer position to canvas units.
func (a *app) canvasPoint(ev safejs.Value) (float64, float64, bool) {
	svg, err := a.dom.byID(web.IDCanvas)
	if err != nil {
		return 0, 0, false
	}
	rect, err := svg.Call("getBoundingClientRect")
	if err != nil {
		return 0, 0, false
	}
	num := func(v safejs.Value, p string) float64 {
		x, err := v.Get(p)
		if err != nil {
			return 0
		}
		f, _ := x.Float()
		return f
	}
	vb, err := svg.Get("viewBox")
	if err == nil {
		vb, err = vb.Get("baseVal")
	}
	if err != nil {
		return 0, 0, false
	}
	w, h := num(rect, "width"), num(rect, "height")
	if w <= 0 || h <= 0 {
		return 0, 0, false
	}
	x := (num(ev, "clientX") - num(rect, "left")) * num(vb, "width") / w
	y := (num(ev, "clientY") - num(rect, "top")) * num(vb, "height") / h
	return x, y, true
}

// pointerMove is the latest pointer position of a drag not yet acted on.
// A flood of pointermoves coalesces into it, with at most one action
// queued, so it builds no backlog; pointerdown and pointerup always queue,
// after it, so the drag ends where the pointer was.
type pointerMove struct {
	mu     sync.Mutex
	x, y   float64
	queued bool
}

// moveTo notes the pointer at x, y and queues a DragTo, unless one is
// queued already: it will take this position.
func (a *app) moveTo(x, y float64) {
	m := &a.sandbox.move
	m.mu.Lock()
	m.x, m.y = x, y
	queued := m.queued
	m.queued = true
	m.mu.Unlock()
	if queued {
		return
	}
	a.do(func(a *app) error {
		m.mu.Lock()
		x, y := m.x, m.y
		m.queued = false
		m.mu.Unlock()
		return a.apply(editor.Action{Op: editor.DragTo, X: x, Y: y})
	})
}

// queueCanvas redraws the canvas in the next frame, once however many
// moves of a drag come first.
func (a *app) queueCanvas() {
	s := a.sandbox
	if s.canvasQueued {
		return
	}
	s.canvasQueued = true
	a.later(func(a *app) error {
		s.canvasQueued = false
		if !s.ed.Dragging() {
			return nil // the drag's end drew the builder
		}
		return a.dom.replace(web.IDCanvas, web.Canvas(a.builder()))
	})
}

// sandboxFragment opens what a sandbox URL names: a scenario, a template,
// or the default template. A bad link says what is wrong over the
// default template.
func (a *app) sandboxFragment(hash string) error {
	l, err := resolveFragment(hash)
	if err != nil || l.sc == nil {
		if err := a.apply(editor.Action{Op: editor.Template, Text: core.DefaultExample}); err != nil {
			return err
		}
		if err != nil {
			a.showError(err.Error() + " — showing a template instead.")
		}
		return nil
	}
	if err := a.apply(editor.Action{Op: editor.Open, Scenario: l.sc, Text: l.example, Index: max(l.step, 0)}); err != nil || l.notice == "" {
		return err
	}
	a.showError(l.notice) // a bad step or both s= and ex=: the link still opened
	return nil
}

// rerun abandons the run in progress and, unless the draft has
// problems, runs it again, showing step (-1: the end).
func (a *app) rerun(step int) error {
	s := a.sandbox
	s.runGen++
	s.stale = true
	s.req = -1
	a.challengeChanged()
	if len(s.ed.Problems) > 0 {
		a.runStatus("Paused: fix the problems below and the run follows.")
		return nil
	}
	// The editor validated the draft; its cost is checked against the
	// browser's budget once its run has done its pilot (see preparation):
	// a run too big for the tab is then a problem of the field that sets
	// its size, listed like any other.
	e, err := core.NewEngine(s.ed.Draft.Clone(), runOptions)
	if err != nil {
		return a.apply(editor.Action{Op: editor.Refuse, Err: err})
	}
	gen := s.runGen
	p := &preparation{e: e, current: func() bool { return s.runGen == gen }, status: a.runStatus,
		refuse: func(err error) error { return a.apply(editor.Action{Op: editor.Refuse, Err: err}) },
		done: func(hash string, tl *core.Timeline) error {
			s.stale = false
			a.scenario, a.example, a.hash, a.timeline = e.Scenario(), s.ed.Template, hash, tl
			a.stop()
			msg := "Ran " + strconv.Itoa(a.timeline.Len()) + " steps; the numbers below are this run's."
			if note := stopNote(e); note != "" {
				msg = note
			}
			a.runStatus(msg)
			a.challengeRan(e)
			if step < 0 {
				step = a.timeline.Len()
			}
			return a.show(step)
		}}
	return p.start(a)
}

func (a *app) runStatus(msg string) {
	if err := a.say(web.IDRunStatus, msg); err != nil {
		logLine("run status:", err)
	}
}

// builder is the editing state the views draw, with the run's state at
// the current step once the run follows the draft.
func (a *app) builder() web.Builder {
	s := a.sandbox
	b := s.ed.Builder()
	if !s.stale && a.timeline != nil {
		b.State = a.timeline.At(a.step)
	}
	return b
}

// renderBuilder redraws the canvas, the properties, the problems, undo
// and redo and the template menu, keeping the keyboard focus where it
// was.
func (a *app) renderBuilder() error {
	focus := a.focused()
	b := a.builder()
	if err := a.dom.replace(web.IDCanvas, web.Canvas(b)); err != nil {
		return err
	}
	if err := a.dom.replace(web.IDProperties, web.Properties(b)); err != nil {
		return err
	}
	if err := a.dom.replace(web.IDProblems, web.Problems(b.Problems)); err != nil {
		return err
	}
	if err := a.undoButtons(); err != nil {
		return err
	}
	if err := a.dom.set(web.IDTemplate, "value", a.sandbox.ed.Template); err != nil {
		return err
	}
	return a.refocus(focus)
}

// focused describes the focused element so that it can be found again
// after a redraw: by id, or by the node or edge it stands for.
func (a *app) focused() string {
	el, err := a.dom.document.Get("activeElement")
	if err != nil || el.IsNull() || el.IsUndefined() {
		return ""
	}
	if n := str(el, "dataset", "node"); n != "" {
		return web.NodeSelector(n)
	}
	if e := str(el, "dataset", "edge"); e != "" {
		return web.EdgeSelector(e)
	}
	if id := str(el, "id"); id != "" {
		return "#" + id
	}
	return ""
}

// refocus gives the focus back to the element selector finds after a
// redraw replaced the one that had it, without scrolling: the page stays
// where the learner has it. (Scrolling to it moved the page as a run
// finished, and a click on its way to a button landed on what scrolled
// under the pointer.)
func (a *app) refocus(selector string) error { return a.focusOn(selector, false) }

// focusSelector moves the focus to what selector finds, scrolled into view.
func (a *app) focusSelector(selector string) {
	if err := a.focusOn(selector, true); err != nil {
		logLine("focus:", err)
	}
}

func (a *app) focusOn(selector string, scroll bool) error {
	if selector == "" {
		return nil
	}
	el, err := a.dom.document.Call("querySelector", selector)
	if err != nil || el.IsNull() {
		return nil // it is gone (deleted); the focus stays on the page
	}
	_, err = el.Call("focus", map[string]any{"preventScroll": !scroll})
	return err
}

func (a *app) undoButtons() error {
	h := a.sandbox.ed.History
	if err := a.dom.set(web.IDUndo, "disabled", !h.CanUndo()); err != nil {
		return err
	}
	return a.dom.set(web.IDRedo, "disabled", !h.CanRedo())
}

// sandboxLink puts a link to the draft (positions and all) and the step in
// the address bar and on the clipboard.
func (a *app) sandboxLink() error {
	enc, err := core.EncodeShareLink(a.sandbox.ed.Draft)
	if err != nil {
		return err
	}
	f := core.Fragment{Scenario: enc, Step: a.step}
	a.sandbox.saving.wrote = "#" + f.String()
	return a.shareHash(a.sandbox.saving.wrote)
}

// compare runs the draft against other, a slice at a time, with a
// progress bar, and shows the figures and charts.
func (a *app) compare(other *core.Scenario) error {
	s := a.sandbox
	job, err := core.NewCompareJob(s.ed.Draft, other)
	if err != nil {
		a.compareStatus("Cannot compare: " + err.Error())
		return nil
	}
	job.Options = core.BrowserBudget.Options(core.Options{})
	s.compareGen++
	if err := a.dom.attr(web.IDCompareBar, "hidden", "", true); err != nil {
		return err
	}
	if err := a.dom.set(web.IDCompareRun, "disabled", true); err != nil {
		return err
	}
	return a.compareSlice(job, s.compareGen)
}

// compareSlice does a slice of the comparison and queues the next, or
// shows the result.
func (a *app) compareSlice(job *core.CompareJob, gen int) error {
	if a.sandbox.compareGen != gen {
		return nil
	}
	done, err := stepWithin(job.Step)
	if err != nil {
		a.compareDone()
		a.compareStatus("Cannot compare: " + err.Error())
		return nil
	}
	if err := a.dom.set(web.IDCompareBar, "value", job.Progress()); err != nil {
		return err
	}
	if !done {
		a.compareStatus("Comparing: " + job.Stage() + ", " + strconv.Itoa(int(100*job.Progress())) + "%…")
		a.later(func(a *app) error { return a.compareSlice(job, gen) })
		return nil
	}
	a.compareDone()
	c := job.Result()
	if err := a.dom.replace(web.IDCompareOut, web.CompareResult(c)); err != nil {
		return err
	}
	a.compareStatus("Compared " + c.NameA + " with " + c.NameB + ": the figures are below.")
	return nil
}

func (a *app) compareDone() {
	if err := a.dom.attr(web.IDCompareBar, "hidden", "", false); err != nil {
		logLine("compare:", err)
	}
	if err := a.dom.set(web.IDCompareRun, "disabled", false); err != nil {
		logLine("compare:", err)
	}
}

func (a *app) compareStatus(msg string) {
	if err := a.dom.set(web.IDCompareState, "textContent", msg); err != nil {
		logLine("compare status:", err)
	}
}

// showWaterfall draws the waterfall of the request the current step is
// about, when that changes.
func (a *app) showWaterfall() error {
	s := a.sandbox
	if challengeProgram || a.step == 0 || a.timeline == nil { // a challenge page has no waterfall
		return nil
	}
	req := a.timeline.Record(a.step - 1).Req
	if req < 0 || req == s.req {
		return nil
	}
	s.req = req
	return a.dom.replace(web.IDWaterfallOut, web.WaterfallPanel(a.timeline, req))
}

// renderCanvas redraws the canvas alone (the step changed), keeping the
// keyboard focus on the node or edge that had it.
func (a *app) renderCanvas() error {
	focus := a.focused()
	if err := a.dom.replace(web.IDCanvas, web.Canvas(a.builder())); err != nil {
		return err
	}
	return a.refocus(focus)
}
