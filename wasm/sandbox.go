//go:build js && wasm && sandbox

package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/hack-pad/safejs"
	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// The sandbox: the learner edits a draft scenario; every change is kept
// for undo, validated, and, when it validates, run again a slice at a
// time (so a long run keeps the page responsive and shows its progress).

type sandboxState struct {
	draft    *core.Scenario // what the learner is editing; it may not validate
	history  *core.History
	sel      web.Selection
	connect  string // the node a connection starts from, while picking its end
	problems core.Errors
	drafts   map[string]web.Draft
	template string

	runGen     int   // bumped to abandon a run in progress
	stale      bool  // the player shows a run of an older draft (or none yet)
	compareGen int   // bumped to abandon a comparison in progress
	req        int32 // the request the waterfall shows

	drag *dragState
	move pointerMove

	saving draftSaving // see draft.go
}

type dragState struct {
	id           string
	x0, y0       float64 // pointer, in canvas units, at pointerdown
	start        core.Pos
	at           core.Pos
	moved        bool
	before       *core.Scenario // for undo
	renderQueued bool
}

// startSandbox binds the sandbox's controls and opens what the URL names.
func startSandbox(a *app) error {
	a.sandbox = &sandboxState{history: core.NewHistory(200), sel: web.NoSelection(), drafts: map[string]web.Draft{}, req: -1}
	if err := bindPlayer(a); err != nil {
		return err
	}
	if err := bindSandbox(a); err != nil {
		return err
	}
	if err := bindDraft(a); err != nil {
		return err
	}
	a.do(func(a *app) error {
		if err := a.ready(); err != nil {
			return err
		}
		return a.openSandbox(str(a.dom.window, "location", "hash"))
	})
	return nil
}

func bindSandbox(a *app) error {
	d := a.dom
	ids := map[string]action{
		web.IDEmptyCanvas: func(a *app) error {
			a.sandbox.history.Do(a.sandbox.draft)
			a.sandbox.template = ""
			if err := a.writeHash("#"); err != nil {
				return err
			}
			a.touch()
			return a.openDraft(core.EmptyScenario(), -1)
		},
		web.IDUndo:       func(a *app) error { return a.undo() },
		web.IDRedo:       func(a *app) error { return a.redo() },
		web.IDCopyLink:   func(a *app) error { return a.sandboxLink() },
		web.IDCompareRun: func(a *app) error { return a.compare() },
	}
	for _, k := range core.Kinds {
		ids[web.PaletteButtonID(k)] = func(a *app) error { return a.addNode(k) }
	}
	if err := clicks(a, ids); err != nil {
		return err
	}
	if err := onValue(d, web.IDTemplate, "change", func(id string) {
		a.do(func(a *app) error { a.touch(); return a.loadTemplate(id) })
	}); err != nil {
		return err
	}

	// Clicks inside the properties panel and the problem list, by the
	// data attribute or id of what was clicked.
	if err := on(d.document, "click", func(ev safejs.Value) {
		target, err := ev.Get("target")
		if err != nil {
			return
		}
		el, err := target.Call("closest", "button")
		if err != nil || el.IsNull() {
			// A click on the canvas's background clears the selection.
			if id := str(target, "id"); id == web.IDCanvas {
				a.do(func(a *app) error { return a.selectThing(web.NoSelection()) })
			}
			return
		}
		id := str(el, "id")
		data := func(k string) string { return str(el, "dataset", k) }
		var act action
		switch {
		case data("goto") != "":
			path := data("goto")
			act = func(a *app) error { return a.gotoField(path) }
		case data("selectEdge") != "":
			i, _ := strconv.Atoi(data("selectEdge"))
			act = func(a *app) error { return a.selectThing(web.Selection{Edge: i}) }
		case data("selectNode") != "":
			n := data("selectNode")
			act = func(a *app) error { return a.selectThing(web.Selection{Node: n, Edge: -1}) }
		case data("removeFault") != "":
			i, _ := strconv.Atoi(data("removeFault"))
			act = func(a *app) error {
				return a.edit(func(sc *core.Scenario) error { sc.RemoveFault(i); return nil })
			}
		case id == web.IDDraftRestore:
			act = func(a *app) error {
				if d := a.sandbox.saving.offer; d != nil {
					return a.restoreDraft(d)
				}
				return nil
			}
		case id == web.IDDraftDiscard:
			act = func(a *app) error { return a.discardDraft() }
		case id == web.IDConnect:
			to, mode := a.value(web.IDConnectTo), core.Mode(a.value(web.IDConnectMode))
			act = func(a *app) error { return a.connectTo(to, mode) }
		case id == web.IDConnectStart:
			act = func(a *app) error { return a.startConnect() }
		case id == web.IDDeleteNode, id == web.IDDeleteEdge:
			act = func(a *app) error { return a.deleteSelected() }
		case id == web.IDFlipEdge:
			act = func(a *app) error { return a.flipSelected() }
		case id == web.IDAddFault:
			t := core.FaultType(a.value(web.IDFaultType))
			act = func(a *app) error { return a.addFault(t) }
		default:
			return
		}
		a.do(act)
	}); err != nil {
		return err
	}

	// A changed field: its path and its text.
	if err := on(d.document, "change", func(ev safejs.Value) {
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
			if b, _ := mustBool(target, "checked"); b {
				text = "true"
			}
		}
		a.do(func(a *app) error { return a.setField(path, text) })
	}); err != nil {
		return err
	}

	// Dragging a node: pointerdown on it, pointermove and pointerup anywhere.
	if err := on(d.document, "pointerdown", func(ev safejs.Value) {
		target, err := ev.Get("target")
		if err != nil {
			return
		}
		node, err := target.Call("closest", "#"+web.IDCanvas+" [data-node]")
		if err != nil || node.IsNull() {
			edge, err := target.Call("closest", "#"+web.IDCanvas+" [data-edge]")
			if err == nil && !edge.IsNull() {
				i, _ := strconv.Atoi(str(edge, "dataset", "edge"))
				a.do(func(a *app) error { return a.pickEdge(i) })
			}
			return
		}
		id := str(node, "dataset", "node")
		x, y, ok := a.canvasPoint(ev)
		if !ok {
			return
		}
		_, _ = ev.Call("preventDefault") // no text selection while dragging
		a.do(func(a *app) error { return a.pickNode(id, x, y) })
	}); err != nil {
		return err
	}
	if err := on(d.document, "pointermove", func(ev safejs.Value) {
		if a.sandbox.drag == nil { // read without the lock: a hint only
			return
		}
		x, y, ok := a.canvasPoint(ev)
		if ok {
			a.moveTo(x, y)
		}
	}); err != nil {
		return err
	}
	if err := on(d.document, "pointerup", func(safejs.Value) {
		a.do(func(a *app) error { return a.endDrag() })
	}); err != nil {
		return err
	}

	// Keys on the canvas, and undo/redo anywhere but in a text field.
	return on(d.document, "keydown", func(ev safejs.Value) {
		key := str(ev, "key")
		ctrl, _ := mustBool(ev, "ctrlKey")
		meta, _ := mustBool(ev, "metaKey")
		shift, _ := mustBool(ev, "shiftKey")
		tag := str(ev, "target", "tagName")
		if (ctrl || meta) && tag != "INPUT" && tag != "TEXTAREA" {
			var act action
			switch strings.ToLower(key) {
			case "z":
				act = func(a *app) error { return a.undo() }
				if shift {
					act = func(a *app) error { return a.redo() }
				}
			case "y":
				act = func(a *app) error { return a.redo() }
			default:
				return
			}
			_, _ = ev.Call("preventDefault")
			a.do(act)
			return
		}
		target, err := ev.Get("target")
		if err != nil {
			return
		}
		onCanvas, err := target.Call("closest", "#"+web.IDCanvas)
		if err != nil || onCanvas.IsNull() || ctrl || meta {
			return
		}
		node := str(target, "dataset", "node")
		edge := -1
		if s := str(target, "dataset", "edge"); s != "" {
			edge, _ = strconv.Atoi(s)
		}
		step := 10
		if shift {
			step = 50
		}
		var act action
		switch key {
		case "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown":
			if node == "" {
				return
			}
			dx, dy := 0, 0
			switch key {
			case "ArrowLeft":
				dx = -step
			case "ArrowRight":
				dx = step
			case "ArrowUp":
				dy = -step
			default:
				dy = step
			}
			act = func(a *app) error { return a.nudge(node, dx, dy) }
		case "Enter", " ":
			switch {
			case node != "":
				act = func(a *app) error { return a.pickNode(node, -1, -1) }
			case edge >= 0:
				act = func(a *app) error { return a.pickEdge(edge) }
			default:
				return
			}
		case "Delete", "Backspace":
			sel := web.Selection{Node: node, Edge: edge}
			act = func(a *app) error {
				if err := a.selectThing(sel); err != nil {
					return err
				}
				return a.deleteSelected()
			}
		case "c", "C":
			if node == "" {
				return
			}
			act = func(a *app) error {
				if err := a.selectThing(web.Selection{Node: node, Edge: -1}); err != nil {
					return err
				}
				return a.startConnect()
			}
		case "f", "F":
			if edge < 0 {
				return
			}
			act = func(a *app) error {
				if err := a.selectThing(web.Selection{Edge: edge}); err != nil {
					return err
				}
				return a.flipSelected()
			}
		case "Escape":
			act = func(a *app) error {
				a.sandbox.connect = ""
				return a.renderBuilder()
			}
		default:
			return
		}
		_, _ = ev.Call("preventDefault")
		a.do(act)
	})
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

// sandboxFragment opens what a sandbox URL names: a scenario, a template,
// or the default template. A bad link says what is wrong over the
// default template.
func (a *app) sandboxFragment(hash string) error {
	l, err := resolveFragment(hash)
	switch {
	case err != nil:
		if err := a.loadTemplate(core.DefaultExample); err != nil {
			return err
		}
		a.showError(err.Error() + " — showing a template instead.")
		return nil
	case l.sc == nil:
		return a.loadTemplate(core.DefaultExample)
	}
	a.sandbox.template = l.example
	if err := a.openDraft(l.sc, max(l.step, 0)); err != nil || l.notice == "" {
		return err
	}
	a.showError(l.notice) // a bad step or both s= and ex=: the link still opened
	return nil
}

// loadTemplate makes the template id the draft, with an undo entry for
// what was there before.
func (a *app) loadTemplate(id string) error {
	sc, err := core.ExampleByID(id)
	if err != nil {
		return err
	}
	a.showError("")
	if a.sandbox.draft != nil {
		a.sandbox.history.Do(a.sandbox.draft)
	}
	a.sandbox.template = id
	if err := a.openDraft(sc, -1); err != nil {
		return err
	}
	return a.writeHash("#ex=" + id)
}

// openDraft makes sc the draft (no undo entry) and runs it, showing step
// (-1: the end).
func (a *app) openDraft(sc *core.Scenario, step int) error {
	s := a.sandbox
	s.draft = sc
	s.sel, s.connect, s.drafts, s.req = web.NoSelection(), "", map[string]web.Draft{}, -1
	if err := a.dom.set(web.IDTemplate, "value", s.template); err != nil {
		return err
	}
	return a.changed(step)
}

// edit applies change to a copy of the draft; if it works, the copy
// becomes the draft, the old one goes on the undo list, and the run
// follows.
func (a *app) edit(change func(sc *core.Scenario) error) error {
	next := a.sandbox.draft.Clone()
	if err := change(next); err != nil {
		return err
	}
	return a.commit(next)
}

// commit makes next the draft, the old one going on the undo list, and
// the run follows. The draft is no longer the template it came from.
func (a *app) commit(next *core.Scenario) error {
	s := a.sandbox
	s.history.Do(s.draft)
	s.draft, s.template = next, ""
	if err := a.dom.set(web.IDTemplate, "value", ""); err != nil {
		return err
	}
	a.touch()
	return a.changed(-1)
}

// changed validates the draft, redraws the builder and, when the draft
// validates, runs it again.
func (a *app) changed(step int) error {
	s := a.sandbox
	s.problems = nil
	// The draft is validated now; its cost is checked against the
	// browser's budget once its run has done its pilot (see preparation):
	// a run too big for the tab is then a problem of the field that sets
	// its size, listed like any other.
	e, err := core.NewEngine(s.draft.Clone(), runOptions)
	if err != nil {
		s.problems = asProblems(err)
	}
	s.runGen++
	if err := a.undoButtons(); err != nil {
		return err
	}
	if len(s.problems) > 0 {
		return a.paused()
	}
	return a.runDraft(e, step)
}

// asProblems is err as the problems the panel lists, each of a field.
func asProblems(err error) core.Errors {
	var errs core.Errors
	if errors.As(err, &errs) {
		return errs
	}
	return core.Errors{{Field: "scenario", Message: err.Error()}}
}

// paused shows the draft's problems and that the run waits for them.
func (a *app) paused() error {
	a.sandbox.stale = true
	a.runStatus("Paused: fix the problems below and the run follows.")
	return a.renderBuilder()
}

func (a *app) runDraft(e *core.Engine, step int) error {
	s := a.sandbox
	s.stale = true
	gen := s.runGen
	if err := a.renderBuilder(); err != nil {
		return err
	}
	p := &preparation{e: e, current: func() bool { return s.runGen == gen }, status: a.runStatus,
		refuse: func(err error) error {
			s.problems = asProblems(err)
			return a.paused()
		},
		done: func(hash string, tl *core.Timeline) error {
			s.stale = false
			a.scenario, a.example, a.hash, a.timeline = e.Scenario(), s.template, hash, tl
			a.stop()
			msg := fmt.Sprintf("Ran %d steps; the numbers below are this run's.", a.timeline.Len())
			if note := stopNote(e); note != "" {
				msg = note
			}
			a.runStatus(msg)
			if step < 0 {
				step = a.timeline.Len()
			}
			return a.show(step)
		}}
	return p.start(a)
}

func (a *app) runStatus(msg string) {
	if err := a.dom.set(web.IDRunStatus, "textContent", msg); err != nil {
		fmt.Println("run status:", err)
	}
}

// builder is the editing state the views draw.
func (a *app) builder() web.Builder {
	s := a.sandbox
	b := web.Builder{Scenario: s.draft, Selection: s.sel, ConnectFrom: s.connect, Problems: s.problems, Drafts: s.drafts}
	if !s.stale && a.timeline != nil {
		b.State = a.timeline.At(a.step)
	}
	return b
}

// renderBuilder redraws the canvas, the properties and the problems,
// keeping the keyboard focus where it was.
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
		return `#` + web.IDCanvas + ` [data-node="` + n + `"]`
	}
	if e := str(el, "dataset", "edge"); e != "" {
		return `#` + web.IDCanvas + ` [data-edge="` + e + `"]`
	}
	if id := str(el, "id"); id != "" {
		return "#" + id
	}
	return ""
}

func (a *app) refocus(selector string) error {
	if selector == "" {
		return nil
	}
	el, err := a.dom.document.Call("querySelector", selector)
	if err != nil || el.IsNull() {
		return nil // it is gone (deleted); the focus stays on the page
	}
	_, err = el.Call("focus")
	return err
}

func (a *app) focusSelector(selector string) {
	if err := a.refocus(selector); err != nil {
		fmt.Println("focus:", err)
	}
}

func (a *app) undoButtons() error {
	if err := a.dom.set(web.IDUndo, "disabled", !a.sandbox.history.CanUndo()); err != nil {
		return err
	}
	return a.dom.set(web.IDRedo, "disabled", !a.sandbox.history.CanRedo())
}

func (a *app) undo() error { return a.travel(a.sandbox.history.Undo, "undo", "Undone.") }
func (a *app) redo() error { return a.travel(a.sandbox.history.Redo, "redo", "Redone.") }

// travel moves the draft back or forward in its history.
func (a *app) travel(step func(cur *core.Scenario) (*core.Scenario, bool), verb, done string) error {
	s := a.sandbox
	to, ok := step(s.draft)
	if !ok {
		a.status("Nothing to " + verb + ".")
		return nil
	}
	s.draft, s.template, s.drafts = to, "", map[string]web.Draft{}
	s.fixSelection()
	a.status(done)
	a.touch()
	return a.changed(-1)
}

// fixSelection drops a selection that no longer exists.
func (s *sandboxState) fixSelection() {
	if s.sel.Node != "" && s.draft.NodeIndex(s.sel.Node) < 0 {
		s.sel = web.NoSelection()
	}
	if s.sel.Edge >= len(s.draft.Edges) {
		s.sel = web.NoSelection()
	}
	if s.connect != "" && s.draft.NodeIndex(s.connect) < 0 {
		s.connect = ""
	}
}

func (a *app) selectThing(sel web.Selection) error {
	a.sandbox.sel = sel
	a.sandbox.fixSelection()
	return a.renderBuilder()
}

// pickNode selects a node, or, while connecting, connects to it; x and y
// (canvas units, negative from the keyboard) start a drag.
func (a *app) pickNode(id string, x, y float64) error {
	s := a.sandbox
	if s.connect != "" && s.connect != id {
		from := s.connect
		s.connect = ""
		if err := a.connect(from, id, core.Sync); err != nil {
			return err
		}
		a.focusSelector(`#` + web.IDCanvas + ` [data-node="` + id + `"]`)
		return nil
	}
	s.connect = ""
	if x >= 0 {
		i := s.draft.NodeIndex(id)
		if i >= 0 {
			p := web.LayoutNodes(s.draft)[i]
			start := core.Pos{X: int(p.X), Y: int(p.Y)}
			s.drag = &dragState{id: id, x0: x, y0: y, start: start, at: start}
		}
	}
	if err := a.selectThing(web.Selection{Node: id, Edge: -1}); err != nil {
		return err
	}
	a.focusSelector(`#` + web.IDCanvas + ` [data-node="` + id + `"]`)
	return nil
}

func (a *app) pickEdge(i int) error {
	a.sandbox.connect = ""
	if err := a.selectThing(web.Selection{Edge: i}); err != nil {
		return err
	}
	a.focusSelector(`#` + web.IDCanvas + ` [data-edge="` + strconv.Itoa(i) + `"]`)
	return nil
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

// moveTo notes the pointer at x, y and queues a dragTo, unless one is
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
		return a.dragTo(x, y)
	})
}

// dragTo moves the dragged node with the pointer; only the canvas is
// redrawn (a position does not change the run).
func (a *app) dragTo(x, y float64) error {
	s := a.sandbox
	d := s.drag
	if d == nil {
		return nil
	}
	p := web.ClampPos(float64(d.start.X)+x-d.x0, float64(d.start.Y)+y-d.y0)
	if !d.moved && math.Abs(x-d.x0)+math.Abs(y-d.y0) < 4 { // a click, not a drag
		return nil
	}
	if !d.moved {
		d.moved = true
		d.before = s.draft.Clone()
		web.PinLayout(s.draft)
	}
	d.at = p
	s.draft.MoveNode(d.id, p)
	if d.renderQueued {
		return nil
	}
	d.renderQueued = true
	a.later(func(a *app) error {
		if s.drag != d {
			return nil
		}
		d.renderQueued = false
		return a.dom.replace(web.IDCanvas, web.Canvas(a.builder()))
	})
	return nil
}

func (a *app) endDrag() error {
	d := a.sandbox.drag
	a.sandbox.drag = nil
	if d == nil || !d.moved {
		return nil
	}
	return a.moved(d.before, d.id, d.at)
}

// nudge moves a node with the keyboard.
func (a *app) nudge(id string, dx, dy int) error {
	s := a.sandbox
	i := s.draft.NodeIndex(id)
	if i < 0 {
		return nil
	}
	p := web.LayoutNodes(s.draft)[i]
	to := web.ClampPos(p.X+float64(dx), p.Y+float64(dy))
	before := s.draft
	s.draft = before.Clone()
	web.PinLayout(s.draft)
	s.draft.MoveNode(id, to)
	s.sel = web.Selection{Node: id, Edge: -1}
	return a.moved(before, id, to)
}

// moved records a move of node id to p (the draft holds it already) for
// undo. A position does not change the run, so nothing runs again.
func (a *app) moved(before *core.Scenario, id string, p core.Pos) error {
	s := a.sandbox
	s.history.Do(before)
	s.template = ""
	if err := a.dom.set(web.IDTemplate, "value", ""); err != nil {
		return err
	}
	if err := a.undoButtons(); err != nil {
		return err
	}
	a.touch()
	a.status(fmt.Sprintf("Moved %s to %d, %d.", id, p.X, p.Y))
	return a.renderBuilder()
}

// addNode adds a node of kind k to the right of the rightmost node,
// selects it and puts the keyboard focus on it.
func (a *app) addNode(k core.Kind) error {
	var id string
	err := a.edit(func(sc *core.Scenario) error {
		web.PinLayout(sc)
		id = sc.AddNode(k, web.NewNodePos(sc))
		return nil
	})
	if err != nil {
		return err
	}
	a.sandbox.sel = web.Selection{Node: id, Edge: -1}
	if err := a.renderBuilder(); err != nil {
		return err
	}
	a.status("Added " + string(k) + " " + id + ".")
	a.focusSelector(`#` + web.IDCanvas + ` [data-node="` + id + `"]`)
	return nil
}

func (a *app) startConnect() error {
	s := a.sandbox
	if s.sel.Node == "" {
		a.status("Select the node to connect from first.")
		return nil
	}
	s.connect = s.sel.Node
	a.status("Connecting from " + s.connect + ": pick the node it calls (click it, or Tab to it and press Enter). Escape cancels.")
	if err := a.renderBuilder(); err != nil {
		return err
	}
	a.focusSelector(`#` + web.IDCanvas + ` [data-node="` + s.connect + `"]`)
	return nil
}

func (a *app) connectTo(to string, mode core.Mode) error {
	if a.sandbox.sel.Node == "" || to == "" {
		return nil
	}
	return a.connect(a.sandbox.sel.Node, to, mode)
}

// connect adds an edge, choosing async where the kinds allow only that.
func (a *app) connect(from, to string, mode core.Mode) error {
	err := a.edit(func(sc *core.Scenario) error {
		err := sc.Connect(from, to, mode)
		if err != nil && mode == core.Sync {
			if sc.Connect(from, to, core.Async) == nil {
				return nil
			}
		}
		return err
	})
	if err != nil {
		a.status("Cannot connect " + from + " to " + to + ": " + err.Error())
		return nil
	}
	a.sandbox.sel = web.Selection{Edge: len(a.sandbox.draft.Edges) - 1}
	e := a.sandbox.draft.Edges[a.sandbox.sel.Edge]
	a.status("Connected " + from + " → " + to + " (" + string(e.Mode) + ").")
	return a.renderBuilder()
}

func (a *app) deleteSelected() error {
	s := a.sandbox
	sel := s.sel
	switch {
	case sel.Node != "":
		if err := a.edit(func(sc *core.Scenario) error { sc.RemoveNode(sel.Node); return nil }); err != nil {
			return err
		}
		a.status("Deleted " + sel.Node + " and its edges.")
	case sel.Edge >= 0:
		if err := a.edit(func(sc *core.Scenario) error { sc.RemoveEdge(sel.Edge); return nil }); err != nil {
			return err
		}
		a.status("Deleted the edge.")
	default:
		return nil
	}
	s.sel = web.NoSelection()
	return a.renderBuilder()
}

func (a *app) flipSelected() error {
	i := a.sandbox.sel.Edge
	if i < 0 {
		return nil
	}
	if err := a.edit(func(sc *core.Scenario) error { sc.FlipEdge(i); return nil }); err != nil {
		return err
	}
	e := a.sandbox.draft.Edges[i]
	a.status(e.From + " → " + e.To + " is now " + string(e.Mode) + ".")
	return nil
}

func (a *app) addFault(t core.FaultType) error {
	id := a.sandbox.sel.Node
	if id == "" {
		return nil
	}
	var msg string
	err := a.edit(func(sc *core.Scenario) error {
		_, err := sc.AddFault(t, id)
		return err
	})
	if err != nil {
		msg = "Cannot add a " + string(t) + " fault: " + err.Error()
	} else {
		msg = "Added a " + string(t) + " fault on " + id + "."
	}
	a.status(msg)
	return nil
}

// setField writes a field from the form. Text that cannot be read stays
// in the field with its error beside it; the rest keeps working.
func (a *app) setField(path, text string) error {
	s := a.sandbox
	var next *core.Scenario
	var err error
	if list, i, _ := core.FieldElement(path); list == "nodes" && path == web.NodeIDPath(i) && i < len(s.draft.Nodes) {
		// The id is the node's name in every edge and fault: renaming is
		// an edit of its own.
		next = s.draft.Clone()
		old := next.Nodes[i].ID
		if err = next.RenameNode(old, strings.TrimSpace(text)); err == nil && s.sel.Node == old {
			s.sel.Node = next.Nodes[i].ID
		}
	} else {
		next, err = core.SetField(s.draft, path, text)
	}
	if err != nil {
		msg := err.Error()
		var errs core.Errors
		if errors.As(err, &errs) && len(errs) > 0 {
			msg = errs[0].Message
		}
		s.drafts[path] = web.Draft{Text: text, Error: msg}
		return a.renderBuilder()
	}
	delete(s.drafts, path)
	return a.commit(next)
}

// gotoField selects the element a problem names and focuses its field.
func (a *app) gotoField(path string) error {
	s := a.sandbox
	kind, i, _ := core.FieldElement(path)
	switch {
	case kind == "nodes" && i < len(s.draft.Nodes):
		s.sel = web.Selection{Node: s.draft.Nodes[i].ID, Edge: -1}
	case kind == "edges" && i < len(s.draft.Edges):
		s.sel = web.Selection{Edge: i}
	case kind == "faults" && i < len(s.draft.Faults):
		f := s.draft.Faults[i]
		id := f.Node
		if id == "" {
			id = f.From
		}
		s.sel = web.Selection{Node: id, Edge: -1}
	default:
		s.sel = web.NoSelection()
	}
	s.fixSelection()
	if err := a.renderBuilder(); err != nil {
		return err
	}
	if a.dom.has(web.FieldID(path)) {
		a.focusSelector("#" + web.FieldID(path))
	} else {
		a.focusSelector("#" + web.IDProperties + " input, #" + web.IDProperties + " select")
	}
	return nil
}

// sandboxLink puts a link to the draft (positions and all) and the step in
// the address bar and on the clipboard.
func (a *app) sandboxLink() error {
	s := a.sandbox
	if len(s.problems) > 0 {
		a.status("Fix the problems first: a link opens a scenario that runs.")
		return nil
	}
	enc, err := core.EncodeShareLink(s.draft)
	if err != nil {
		return err
	}
	f := core.Fragment{Scenario: enc, Step: a.step}
	a.sandbox.saving.wrote = "#" + f.String()
	return a.shareHash(a.sandbox.saving.wrote)
}

// compare runs the draft against the chosen other wiring, a slice at a
// time, with a progress bar, and shows the figures and charts.
func (a *app) compare() error {
	s := a.sandbox
	if len(s.problems) > 0 {
		a.compareStatus("Fix the problems first: only a scenario that runs can be compared.")
		return nil
	}
	mine := s.draft.Clone()
	var other *core.Scenario
	var err error
	switch with := a.value(web.IDCompareWith); with {
	case web.CompareCounterpart:
		other, err = core.Counterpart(mine)
		if err == nil && sameWiring(mine, other) {
			a.compareStatus("Your wiring has no call that could go the other way (a client's own call stays sync, so that it measures what the user waits for): its counterpart is the same. Add a service that it calls, or pick a template to compare with.")
			return nil
		}
	default:
		other, err = core.ExampleByID(with)
	}
	if err != nil {
		a.compareStatus("Cannot compare: " + err.Error())
		return nil
	}
	job, err := core.NewCompareJob(mine, other)
	if err != nil {
		a.compareStatus("Cannot compare: " + err.Error())
		return nil
	}
	job.Options = core.BrowserBudget.Options(core.Options{})
	s.compareGen++
	gen := s.compareGen
	if err := a.dom.attr(web.IDCompareBar, "hidden", "", true); err != nil {
		return err
	}
	if err := a.dom.set(web.IDCompareRun, "disabled", true); err != nil {
		return err
	}
	var slice action
	slice = func(a *app) error {
		if s.compareGen != gen {
			return nil
		}
		done, err := job.Step(runSliceEvents)
		if err != nil {
			a.compareDone()
			a.compareStatus("Cannot compare: " + err.Error())
			return nil
		}
		if err := a.dom.set(web.IDCompareBar, "value", job.Progress()); err != nil {
			return err
		}
		if !done {
			a.compareStatus(fmt.Sprintf("Comparing: %s, %d%%…", job.Stage(), int(100*job.Progress())))
			a.later(slice)
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
	return slice(a)
}

func (a *app) compareDone() {
	if err := a.dom.attr(web.IDCompareBar, "hidden", "", false); err != nil {
		fmt.Println("compare:", err)
	}
	if err := a.dom.set(web.IDCompareRun, "disabled", false); err != nil {
		fmt.Println("compare:", err)
	}
}

func (a *app) compareStatus(msg string) {
	if err := a.dom.set(web.IDCompareState, "textContent", msg); err != nil {
		fmt.Println("compare status:", err)
	}
}

// showWaterfall draws the waterfall of the request the current step is
// about, when that changes.
func (a *app) showWaterfall() error {
	s := a.sandbox
	if a.step == 0 || a.timeline == nil {
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

// sameWiring reports whether two scenarios have the same nodes and edges.
func sameWiring(a, b *core.Scenario) bool {
	if len(a.Nodes) != len(b.Nodes) || len(a.Edges) != len(b.Edges) {
		return false
	}
	for i := range a.Edges {
		if a.Edges[i].From != b.Edges[i].From || a.Edges[i].To != b.Edges[i].To || a.Edges[i].Mode != b.Edges[i].Mode {
			return false
		}
	}
	return true
}
