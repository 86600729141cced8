package editor

import (
	"math"
	"strconv"
	"strings"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// The edits of the canvas and the properties panel.

// pickNode selects node id or, while connecting, connects to it; x and y
// (canvas units, negative from the keyboard) start a drag.
func (s *State) pickNode(id string, x, y float64) {
	if s.ConnectFrom != "" && s.ConnectFrom != id {
		from := s.ConnectFrom
		s.ConnectFrom = ""
		s.connect(from, id, "")
		s.emit(Render, "") // connecting is over, connected or not
		s.emit(Focus, web.NodeSelector(id))
		return
	}
	s.ConnectFrom = ""
	if i := s.Draft.NodeIndex(id); x >= 0 && i >= 0 {
		p := web.LayoutNodes(s.Draft)[i]
		start := core.Pos{X: int(p.X), Y: int(p.Y)}
		s.drag = &drag{id: id, x0: x, y0: y, start: start, at: start}
	}
	s.choose(web.Selection{Node: id, Edge: -1})
	s.emit(Focus, web.NodeSelector(id))
}

// dragTo moves the dragged node with the pointer. A position does not
// change the run: only the canvas is redrawn, and the move goes on the
// undo list when the drag ends.
func (s *State) dragTo(x, y float64) {
	d := s.drag
	if d == nil {
		return
	}
	if !d.moved && math.Abs(x-d.x0)+math.Abs(y-d.y0) < 4 { // a click, not a drag
		return
	}
	if !d.moved {
		d.moved = true
		d.before = s.Draft.Clone()
		web.PinLayout(s.Draft)
	}
	d.at = web.ClampPos(float64(d.start.X)+x-d.x0, float64(d.start.Y)+y-d.y0)
	s.Draft.MoveNode(d.id, d.at)
	s.emit(RenderCanvas, "")
}

func (s *State) endDrag() {
	d := s.drag
	s.drag = nil
	if d != nil && d.moved {
		s.moved(d.before, d.id, d.at)
	}
}

// nudge moves node id by dx, dy with the keyboard.
func (s *State) nudge(id string, dx, dy float64) {
	i := s.Draft.NodeIndex(id)
	if i < 0 {
		return
	}
	p := web.LayoutNodes(s.Draft)[i]
	to := web.ClampPos(p.X+dx, p.Y+dy)
	before := s.Draft
	s.Draft = before.Clone()
	web.PinLayout(s.Draft)
	s.Draft.MoveNode(id, to)
	s.Selection = web.Selection{Node: id, Edge: -1}
	s.moved(before, id, to)
}

// moved records a move of node id to p (the draft holds it already) for
// undo. A position does not change the run, so nothing runs again.
func (s *State) moved(before *core.Scenario, id string, p core.Pos) {
	s.History.Do(before)
	s.Template = ""
	s.emit(Save, "")
	s.emit(Announce, "Moved "+id+" to "+strconv.Itoa(p.X)+", "+strconv.Itoa(p.Y)+".")
	s.emit(Render, "")
}

// addNode adds a node of kind k to the right of the rightmost node and
// selects it.
func (s *State) addNode(k core.Kind) {
	var id string
	if err := s.edit(func(sc *core.Scenario) error {
		web.PinLayout(sc)
		id = sc.AddNode(k, web.NewNodePos(sc))
		return nil
	}); err != nil {
		s.emit(Announce, "Cannot add a "+string(k)+": "+err.Error())
		return
	}
	s.Selection = web.Selection{Node: id, Edge: -1}
	s.emit(Announce, "Added "+string(k)+" "+id+".")
	s.emit(Focus, web.NodeSelector(id))
}

func (s *State) startConnect() {
	if s.Selection.Node == "" {
		s.emit(Announce, "Select the node to connect from first.")
		return
	}
	s.ConnectFrom = s.Selection.Node
	s.emit(Announce, "Connecting from "+s.ConnectFrom+": pick the node it calls (click it, or Tab to it and press Enter). Escape cancels.")
	s.emit(Render, "")
	s.emit(Focus, web.NodeSelector(s.ConnectFrom))
}

// connect adds an edge from → to in mode (the core's DefaultMode if "":
// async into a queue, bus or topic, sync otherwise), or async where the
// kinds allow only that, and selects it.
func (s *State) connect(from, to string, mode core.Mode) {
	err := s.edit(func(sc *core.Scenario) error {
		if mode == "" {
			mode = sc.DefaultMode(to)
		}
		err := sc.Connect(from, to, mode)
		if err != nil && mode == core.Sync && sc.Connect(from, to, core.Async) == nil {
			return nil
		}
		return err
	})
	if err != nil {
		s.emit(Announce, "Cannot connect "+from+" to "+to+": "+err.Error())
		return
	}
	s.Selection = web.Selection{Edge: len(s.Draft.Edges) - 1}
	e := s.Draft.Edges[s.Selection.Edge]
	s.emit(Announce, "Connected "+from+" → "+to+" ("+string(e.Mode)+").")
}

func (s *State) deleteSelected() {
	sel := s.Selection
	switch {
	case sel.Node != "":
		if err := s.edit(func(sc *core.Scenario) error { sc.RemoveNode(sel.Node); return nil }); err != nil {
			s.emit(Announce, "Cannot delete "+sel.Node+": "+err.Error())
			return
		}
		s.emit(Announce, "Deleted "+sel.Node+" and its edges.")
	case sel.Edge >= 0:
		if err := s.edit(func(sc *core.Scenario) error { sc.RemoveEdge(sel.Edge); return nil }); err != nil {
			s.emit(Announce, "Cannot delete the edge: "+err.Error())
			return
		}
		s.emit(Announce, "Deleted the edge.")
	default:
		return
	}
	s.Selection = web.NoSelection()
}

func (s *State) flipSelected() {
	i := s.Selection.Edge
	if i < 0 {
		return
	}
	if err := s.edit(func(sc *core.Scenario) error { sc.FlipEdge(i); return nil }); err != nil {
		s.emit(Announce, "Cannot flip the edge: "+err.Error())
		return
	}
	e := s.Draft.Edges[i]
	s.emit(Announce, e.From+" → "+e.To+" is now "+string(e.Mode)+".")
}

func (s *State) addFault(t core.FaultType) {
	id := s.Selection.Node
	if id == "" {
		return
	}
	err := s.edit(func(sc *core.Scenario) error {
		_, err := sc.AddFault(t, id)
		return err
	})
	if err != nil {
		s.emit(Announce, "Cannot add a "+string(t)+" fault: "+err.Error())
		return
	}
	s.emit(Announce, "Added a "+string(t)+" fault on "+id+".")
}

// setField writes a field from the form. Text that cannot be read stays
// in the field with its error beside it; the rest keeps working.
func (s *State) setField(path, text string) {
	var next *core.Scenario
	var err error
	if list, i, _ := core.FieldElement(path); list == "nodes" && path == web.NodeIDPath(i) && i < len(s.Draft.Nodes) {
		// The id is the node's name in every edge and fault: renaming is
		// an edit of its own.
		next = s.Draft.Clone()
		old := next.Nodes[i].ID
		if err = next.RenameNode(old, strings.TrimSpace(text)); err == nil && s.Selection.Node == old {
			s.Selection.Node = next.Nodes[i].ID
		}
	} else {
		next, err = core.SetField(s.Draft, path, text)
	}
	if err == nil && s.Locks != nil {
		err = s.Locks.CheckEdit(s.Draft, next)
	}
	if err != nil {
		s.Drafts[path] = web.Draft{Text: text, Error: asProblems(err)[0].Message}
		s.emit(Render, "")
		return
	}
	delete(s.Drafts, path)
	s.commit(next)
}

// gotoField selects the element a problem names and focuses its field.
func (s *State) gotoField(path string) {
	kind, i, _ := core.FieldElement(path)
	sel := web.NoSelection()
	switch {
	case kind == "nodes" && i < len(s.Draft.Nodes):
		sel.Node = s.Draft.Nodes[i].ID
	case kind == "edges" && i < len(s.Draft.Edges):
		sel.Edge = i
	case kind == "faults" && i < len(s.Draft.Faults):
		f := s.Draft.Faults[i]
		sel.Node = f.Node
		if sel.Node == "" {
			sel.Node = f.From
		}
	}
	s.choose(sel)
	s.emit(FocusField, path)
}

// compare finds what to compare the draft with: its counterpart (the
// same workload wired the other way) or a template.
func (s *State) compare(with string) {
	if len(s.Problems) > 0 {
		s.emit(CompareNote, "Fix the problems first: only a scenario that runs can be compared.")
		return
	}
	var other *core.Scenario
	var err error
	if with == web.CompareCounterpart {
		other, err = core.Counterpart(s.Draft)
		if err == nil && sameWiring(s.Draft, other) {
			s.emit(CompareNote, "Your wiring has no call that could go the other way (a call to a database stays sync: its answer is needed): its counterpart is the same. Add a service that it calls, or pick a template to compare with.")
			return
		}
	} else {
		other, err = core.ExampleByID(with)
	}
	if err != nil {
		s.emit(CompareNote, "Cannot compare: "+err.Error())
		return
	}
	s.out = append(s.out, Effect{Kind: CompareWith, Scenario: other})
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
