// Package editor is the sandbox's editor as a pure state machine: the
// draft scenario, its undo history, the selection, connecting, dragging,
// the texts typed into fields that could not be read, and the problems
// that keep the draft from running.
//
// The browser program drives it the way a raft node is driven: it turns
// each DOM event into an [Action], calls [State.Apply], and does what the
// returned [Effect]s say (redraw, announce, focus, save, run). The editor
// touches no DOM, no clock and no storage, so the same actions give the
// same state and effects natively, where scripted tests drive it through
// testdata/*.txt and print what each step changed.
package editor

import (
	"errors"
	"strconv"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// Op says what an [Action] does; the comment of each says which of the
// action's fields it reads.
type Op uint8

// The actions.
const (
	Select        Op = iota // select node Node, or else edge Index (-1: nothing)
	PickNode                // a click or Enter on node Node: select it, or end a connection there; X, Y (canvas units; -1 from the keyboard) start a drag
	PickEdge                // a click or Enter on edge Index
	DragTo                  // the pointer is at X, Y during a drag
	EndDrag                 // the pointer is let go
	Nudge                   // move node Node by X, Y with the keyboard
	AddNode                 // add a node of kind Text
	StartConnect            // connect from the selected node: the next node picked is the end
	CancelConnect           // stop connecting (Escape)
	Connect                 // connect the selected node to Node in mode Text
	Delete                  // delete the selected node or edge
	Flip                    // switch the selected edge between sync and async
	AddFault                // add a fault of type Text on the selected node
	RemoveFault             // remove fault Index
	SetField                // set the field at path Text from the text Value
	GotoField               // select the element of the field at path Text and focus the field
	Undo                    // go back one change
	Redo                    // go forward one change
	Template                // open template Text, as a change Undo takes back
	Empty                   // start from an empty canvas, as a change Undo takes back
	Open                    // open Scenario (from template Text, or "") at step Index, with no undo entry
	OpenLink                // open Scenario (from template Text, or "") at step Index, as a change Undo takes back
	Refuse                  // the run refused the draft: Err names the field to change
	Compare                 // compare the draft with Text: web.CompareCounterpart or a template id
	CopyLink                // share a link to the draft
)

// Action is one thing the learner (or the page) did. One struct for every
// kind keeps the WASM program small; Op says which fields matter.
type Action struct {
	Op       Op
	Node     string
	Index    int // an edge or fault index, or a step
	Text     string
	Value    string
	X, Y     float64
	Scenario *core.Scenario
	Err      error
}

// EffectKind says what an [Effect] asks of the page.
type EffectKind uint8

// The effects.
const (
	Render       EffectKind = iota // redraw the builder: canvas, properties, problems, undo and redo, the template menu
	RenderCanvas                   // redraw the canvas alone, soon (a node is being dragged)
	Run                            // the draft changed: drop the run in progress and run it again, showing step Step (-1: the end), unless it has problems
	Announce                       // say Text in the status line (a live region)
	Focus                          // focus the element the CSS selector Text finds, if any
	FocusField                     // focus the field at path Text, or else the properties' first field
	Save                           // save the draft a moment from now (the URL and storage)
	WriteHash                      // put Text in the URL
	Banner                         // show Text in the error banner ("" hides it)
	CompareWith                    // compare the draft with Scenario
	CompareNote                    // say Text in the comparison's status line
	Share                          // put a link to the draft in the URL and on the clipboard
)

// Effect is one thing the page must do after an action.
type Effect struct {
	Kind     EffectKind
	Text     string
	Step     int
	Scenario *core.Scenario
}

// historyLimit is how many changes Undo can go back.
const historyLimit = 200

// State is the editor's state. The page reads it to draw (see
// [State.Builder]) and changes it only through [State.Apply].
type State struct {
	Draft       *core.Scenario // what the learner is editing; it may not validate; nil until opened
	History     *core.History
	Selection   web.Selection
	ConnectFrom string               // the node a connection starts from, while picking its end
	Problems    core.Errors          // why the draft does not run
	Drafts      map[string]web.Draft // field texts that could not be read, by path
	Template    string               // the template the draft is, unchanged; "" once edited
	// Locks, when set, refuses an edit that would change a locked part of
	// the draft, with its message naming the part: a *core.Challenge. An
	// interface, so that a program that edits no challenge links none of
	// the checking.
	Locks interface {
		CheckEdit(before, after *core.Scenario) error
		LockedNodes(sc *core.Scenario) []string
	}

	drag *drag
	out  []Effect // the effects of the action being applied
}

// drag is a node being dragged with the pointer.
type drag struct {
	id     string
	x0, y0 float64 // the pointer, in canvas units, when it went down
	start  core.Pos
	at     core.Pos
	moved  bool
	before *core.Scenario // the draft before the drag, for undo
}

// New returns an editor with nothing open yet.
func New() *State {
	return &State{History: core.NewHistory(historyLimit), Selection: web.NoSelection(), Drafts: map[string]web.Draft{}}
}

// Dragging reports whether a node is being dragged.
func (s *State) Dragging() bool { return s.drag != nil }

// Builder is what the canvas and the properties panel draw (without a
// run's state: the page adds it).
func (s *State) Builder() web.Builder {
	b := web.Builder{Scenario: s.Draft, Selection: s.Selection, ConnectFrom: s.ConnectFrom, Problems: s.Problems, Drafts: s.Drafts}
	if s.Locks != nil && s.Draft != nil {
		b.Locked = s.Locks.LockedNodes(s.Draft)
	}
	return b
}

// Apply does a and returns what the page must do about it, in order.
func (s *State) Apply(a Action) []Effect {
	s.out = nil
	if s.Draft == nil && a.Op != Template && a.Op != Empty && a.Op != Open && a.Op != OpenLink {
		return nil // nothing to edit yet
	}
	switch a.Op {
	case Select:
		s.choose(web.Selection{Node: a.Node, Edge: a.Index})
	case PickNode:
		s.pickNode(a.Node, a.X, a.Y)
	case PickEdge:
		s.ConnectFrom = ""
		s.choose(web.Selection{Edge: a.Index})
		s.emit(Focus, edgeSelector(a.Index))
	case DragTo:
		s.dragTo(a.X, a.Y)
	case EndDrag:
		s.endDrag()
	case Nudge:
		s.nudge(a.Node, a.X, a.Y)
	case AddNode:
		s.addNode(core.Kind(a.Text))
	case StartConnect:
		s.startConnect()
	case CancelConnect:
		s.ConnectFrom = ""
		s.emit(Render, "")
	case Connect:
		if s.Selection.Node != "" && a.Node != "" {
			s.connect(s.Selection.Node, a.Node, core.Mode(a.Text))
		}
	case Delete:
		s.deleteSelected()
	case Flip:
		s.flipSelected()
	case AddFault:
		s.addFault(core.FaultType(a.Text))
	case RemoveFault:
		if err := s.edit(func(sc *core.Scenario) error { sc.RemoveFault(a.Index); return nil }); err != nil {
			s.emit(Announce, "Cannot remove the fault: "+err.Error())
		}
	case SetField:
		s.setField(a.Text, a.Value)
	case GotoField:
		s.gotoField(a.Text)
	case Undo:
		s.travel(s.History.Undo, "undo", "Undone.")
	case Redo:
		s.travel(s.History.Redo, "redo", "Redone.")
	default:
		s.applyWhole(a)
	}
	return s.out
}

// applyWhole does the actions about the whole draft: opening one,
// running, comparing and sharing it.
func (s *State) applyWhole(a Action) {
	switch a.Op {
	case Template:
		s.loadTemplate(a.Text)
	case Empty:
		s.History.Do(s.Draft)
		s.Template = ""
		s.emit(WriteHash, "#")
		s.emit(Save, "")
		s.open(core.EmptyScenario(), -1)
	case Open:
		s.Template = a.Text
		s.open(a.Scenario, a.Index)
	case OpenLink:
		s.History.Do(s.Draft)
		s.Template = a.Text
		s.open(a.Scenario, a.Index)
		s.emit(Announce, "Opened the link from the address bar; Undo goes back to what you had.")
		s.emit(Save, "")
	case Refuse:
		s.Problems = asProblems(a.Err)
		s.out = append(s.out, Effect{Kind: Run, Step: -1})
		s.emit(Render, "")
	case Compare:
		s.compare(a.Text)
	case CopyLink:
		if len(s.Problems) > 0 {
			s.emit(Announce, "Fix the problems first: a link opens a scenario that runs.")
			return
		}
		s.emit(Share, "")
	}
}

// emit adds an effect; a second Render is the first one (the page draws
// the state the whole action leaves, once).
func (s *State) emit(k EffectKind, text string) {
	if k == Render {
		for _, e := range s.out {
			if e.Kind == Render {
				return
			}
		}
	}
	s.out = append(s.out, Effect{Kind: k, Text: text})
}

// edgeSelector finds edge i's element on the canvas.
func edgeSelector(i int) string { return web.EdgeSelector(strconv.Itoa(i)) }

// choose selects sel, if it still exists, and redraws.
func (s *State) choose(sel web.Selection) {
	s.Selection = sel
	s.fixSelection()
	s.emit(Render, "")
}

// fixSelection drops a selection, or a connection's start, that no
// longer exists.
func (s *State) fixSelection() {
	if s.Selection.Node != "" && s.Draft.NodeIndex(s.Selection.Node) < 0 {
		s.Selection = web.NoSelection()
	}
	if s.Selection.Edge >= len(s.Draft.Edges) {
		s.Selection = web.NoSelection()
	}
	if s.ConnectFrom != "" && s.Draft.NodeIndex(s.ConnectFrom) < 0 {
		s.ConnectFrom = ""
	}
}

// open makes sc the draft (no undo entry) and runs it, showing step (-1:
// the end).
func (s *State) open(sc *core.Scenario, step int) {
	s.Draft = sc
	s.Selection, s.ConnectFrom, s.Drafts, s.drag = web.NoSelection(), "", map[string]web.Draft{}, nil
	s.changed(step)
}

// loadTemplate makes template id the draft, with an undo entry for what
// was there before.
func (s *State) loadTemplate(id string) {
	sc, err := core.ExampleByID(id)
	if err != nil {
		s.emit(Banner, err.Error())
		return
	}
	s.emit(Banner, "")
	if s.Draft != nil {
		s.History.Do(s.Draft)
		s.emit(Save, "")
	}
	s.Template = id
	s.open(sc, -1)
	s.emit(WriteHash, "#ex="+id)
}

// edit applies change to a copy of the draft; if it works, the copy
// becomes the draft (see commit). The error is change's.
func (s *State) edit(change func(sc *core.Scenario) error) error {
	next := s.Draft.Clone()
	if err := change(next); err != nil {
		return err
	}
	if s.Locks != nil {
		if err := s.Locks.CheckEdit(s.Draft, next); err != nil {
			return err
		}
	}
	s.commit(next)
	return nil
}

// commit makes next the draft, the old one going on the undo list, and
// the run follows. The draft is no longer the template it came from.
func (s *State) commit(next *core.Scenario) {
	s.History.Do(s.Draft)
	s.Draft, s.Template = next, ""
	s.emit(Save, "")
	s.changed(-1)
}

// changed validates the new draft; the run follows it (or waits for its
// problems to be fixed), showing step.
func (s *State) changed(step int) {
	s.drag = nil // a drag does not outlive the draft it moved a node of
	s.Problems = asProblems(s.Draft.Validate())
	s.out = append(s.out, Effect{Kind: Run, Step: step})
	s.emit(Render, "")
}

// asProblems is err as the problems the panel lists, each of a field.
func asProblems(err error) core.Errors {
	if err == nil {
		return nil
	}
	var errs core.Errors
	if errors.As(err, &errs) && len(errs) > 0 {
		return errs
	}
	return core.Errors{{Field: "scenario", Message: err.Error()}}
}

// travel moves the draft back or forward in its history.
func (s *State) travel(step func(cur *core.Scenario) (*core.Scenario, bool), verb, done string) {
	to, ok := step(s.Draft)
	if !ok {
		s.emit(Announce, "Nothing to "+verb+".")
		return
	}
	s.Draft, s.Template, s.Drafts = to, "", map[string]web.Draft{}
	s.fixSelection()
	s.emit(Announce, done)
	s.emit(Save, "")
	s.changed(-1)
}
