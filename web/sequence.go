package web

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/sync-vs-async/playground/core"
	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"
)

// idSequenceTitle names the sequence diagram's <title>.
const idSequenceTitle = "sequence-title"

// The sequence diagram's geometry, in SVG user units.
const (
	seqRows     = 24    // records shown at once
	seqAhead    = 4     // of them after the current step
	seqTimeW    = 66.0  // the column of row times
	seqLaneW    = 112.0 // between lanes
	seqHeaderH  = 34.0  // lane names
	seqRowH     = 24.0
	seqNameRune = 15 // longest lane name before it is cut
)

// sequenceWindow returns the records [start, end) that a diagram at step
// shows: seqRows of them, ending a few after the current one.
func sequenceWindow(n, step int) (start, end int) {
	end = min(n, max(step+seqAhead, seqRows))
	start = max(0, end-seqRows)
	return start, end
}

// laneOrder returns the nodes of sc in the order of their lanes: as the
// topology places them, left to right, then top to bottom.
func laneOrder(sc *core.Scenario) []int {
	pts := LayoutNodes(sc)
	order := make([]int, len(pts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(pts[a].X, pts[b].X); c != 0 {
			return c
		}
		return cmp.Compare(pts[a].Y, pts[b].Y)
	})
	return order
}

// Sequence draws the records around step as a sequence diagram, the way
// the seed draws its ASCII ones: a lane per node, time going down, an arrow
// for each record that sends something from one node to another and a mark
// on its lane for each local event. Rows are spaced evenly by record, each
// labelled with its virtual time; the current step's row is highlighted.
func Sequence(tl *core.Timeline, step int) g.Node {
	sc := tl.Scenario()
	n := tl.Len()
	step = min(max(step, 0), n)
	start, end := sequenceWindow(n, step)
	order := laneOrder(sc)
	laneX := make([]float64, len(sc.Nodes))
	lanes := make([]g.Node, 0, len(order))
	bottom := seqHeaderH + float64(max(end-start, 1))*seqRowH + 6
	for pos, i := range order {
		x := seqTimeW + seqLaneW*(float64(pos)+0.5)
		laneX[i] = x
		name := sc.Nodes[i].Name()
		lanes = append(lanes, g.El("g", h.Class("lane"),
			g.El("text", h.Class("lane-name"), g.Attr("x", num(x)), g.Attr("y", "20"),
				g.If(truncate(name, seqNameRune) != name, g.El("title", g.Text(name))),
				g.Text(truncate(name, seqNameRune))),
			g.El("line", h.Class("lane-line"), g.Attr("x1", num(x)), g.Attr("y1", num(seqHeaderH-6)),
				g.Attr("x2", num(x)), g.Attr("y2", num(bottom))),
		))
	}
	width := seqTimeW + seqLaneW*float64(max(len(order), 1)) + 8
	rows := make([]g.Node, 0, end-start)
	for i := start; i < end; i++ {
		var prev *core.Record
		if i > start {
			prev = tl.Record(i - 1)
		}
		y := seqHeaderH + (float64(i-start)+0.5)*seqRowH
		rows = append(rows, sequenceRow(sc, tl.Record(i), prev, i, i == step-1, y, width, laneX))
	}
	title := "Sequence diagram: no records."
	if n > 0 {
		title = fmt.Sprintf("Sequence diagram of steps %d to %d of %d.", start+1, end, n)
	}
	vw, vh := num(width), num(bottom+4)
	return h.SVG(h.ID(IDSequence), h.Class("sequence"), h.Role("img"), h.Aria("labelledby", idSequenceTitle),
		g.Attr("viewBox", "0 0 "+vw+" "+vh), h.Width(vw), h.Height(vh),
		g.El("title", h.ID(idSequenceTitle), g.Text(title)),
		g.El("defs",
			arrowMarker("sequence-arrow-sync", "arrowhead sync"),
			arrowMarker("sequence-arrow-async", "arrowhead async"),
			arrowMarker("sequence-arrow-answer", "arrowhead answer"),
			arrowMarker("sequence-arrow-error", "arrowhead error"),
			arrowMarker("sequence-arrow-dlq", "arrowhead dlq"),
		),
		g.El("g", h.Class("lanes"), g.Group(lanes)),
		g.El("g", h.Class("rows"), g.Group(rows)),
	)
}

// sendsSomething reports whether r sends something from r.Node to r.To,
// and if so which style its arrow has: "sync", "async", "answer", "error"
// or "dlq".
func sendsSomething(r *core.Record) (string, bool) {
	switch r.Kind {
	case core.RecSend, core.RecDeliver:
		if r.Mode == core.CallSync {
			return "sync", true
		}
		return "async", true
	case core.RecDeadLetter:
		return "dlq", true
	case core.RecReply, core.RecAck, core.RecNack:
		if r.Kind == core.RecNack || (r.Reason != core.ReasonNone && r.Reason != core.ReasonAckLost) {
			return "error", true
		}
		return "answer", true
	}
	return "", false
}

// isBad reports whether a record is something going wrong, drawn in the
// error colour.
func isBad(k core.RecordKind) bool {
	switch k {
	case core.RecFail, core.RecTimeout, core.RecCancel, core.RecDrop, core.RecRefuse, core.RecLost, core.RecCrash,
		core.RecDown, core.RecDeadLetter, core.RecNack:
		return true
	}
	return false
}

func sequenceRow(sc *core.Scenario, r, prev *core.Record, i int, current bool, y, width float64, laneX []float64) g.Node {
	class := "row kind-" + r.Kind.String()
	if current {
		class += " current"
	}
	timeClass := "row-time"
	if prev != nil && prev.At == r.At {
		timeClass += " repeat" // the same time as the row above: drawn fainter
	}
	label := r.Kind.String()
	if r.Msg >= 0 {
		label += " #" + strconv.Itoa(int(r.Msg))
	}
	inLane := func(i int32) bool { return i >= 0 && int(i) < len(laneX) }
	var body g.Node
	style, arrow := sendsSomething(r)
	switch {
	case arrow && inLane(r.Node) && inLane(r.To) && r.Node != r.To:
		x1, x2 := laneX[r.Node], laneX[r.To]
		dir := 1.0
		if x2 < x1 {
			dir = -1
		}
		lost := r.Reason == core.ReasonAckLost
		end := x2 - dir*2
		if lost {
			end = (x1 + x2) / 2
		}
		lineClass := "arrow " + style
		if lost {
			lineClass += " lost"
		}
		body = g.Group{
			g.El("line", h.Class(lineClass), g.Attr("x1", num(x1)), g.Attr("y1", num(y)), g.Attr("x2", num(end)), g.Attr("y2", num(y)),
				g.If(!lost, g.Attr("marker-end", "url(#sequence-arrow-"+style+")"))),
			g.If(lost, g.El("text", h.Class("lost-mark"), g.Attr("x", num(end)), g.Attr("y", num(y+4)), g.Text("✕"))),
			g.El("text", h.Class("arrow-label"), g.Attr("x", num(x1+dir*6)), g.Attr("y", num(y-4)),
				g.If(dir < 0, g.Attr("text-anchor", "end")), g.Text(label)),
		}
	default:
		x := seqTimeW + 8
		if inLane(r.Node) {
			x = laneX[r.Node]
		}
		markClass := "mark"
		if isBad(r.Kind) {
			markClass += " bad"
		}
		body = g.Group{
			g.El("rect", h.Class(markClass), g.Attr("x", num(x-4)), g.Attr("y", num(y-4)), g.Attr("width", "8"), g.Attr("height", "8"),
				g.Attr("transform", "rotate(45 "+num(x)+" "+num(y)+")")),
			g.El("text", h.Class("mark-label"), g.Attr("x", num(x+9)), g.Attr("y", num(y+4)), g.Text(label)),
		}
	}
	return g.El("g", h.Class(class), h.Data("step", strconv.Itoa(i+1)),
		g.El("title", g.Text(fmt.Sprintf("Step %d at %s: %s", i+1, formatTime(r.At), r.Describe(sc)))),
		g.El("rect", h.Class("row-bg"), g.Attr("x", "0"), g.Attr("y", num(y-seqRowH/2)), g.Attr("width", num(width)), g.Attr("height", num(seqRowH))),
		g.El("text", h.Class(timeClass), g.Attr("x", num(seqTimeW-8)), g.Attr("y", num(y+4)), g.Text(formatTime(r.At))),
		body,
	)
}
