package web

import (
	"strconv"
	"strings"

	"github.com/sync-vs-async/playground/core"
	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"
)

// IDSequenceTitle names the sequence diagram's <title>.
const IDSequenceTitle = "sequence-title"

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
// shows: the last seqRows up to and including the current one; with the
// future shown, seqRows of them ending a few after the current one.
func sequenceWindow(n, step int, future bool) (start, end int) {
	end = step
	if future {
		end = min(n, max(step+seqAhead, seqRows))
	}
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
	sortStable(len(order), func(i, j int) bool {
		a, b := pts[order[i]], pts[order[j]]
		return a.X < b.X || a.X == b.X && a.Y < b.Y
	}, func(i, j int) { order[i], order[j] = order[j], order[i] })
	return order
}

// Sequence draws the records up to step as a sequence diagram, the way the
// seed draws its ASCII ones: a lane per node, time going down, an arrow for
// each record that sends something from one node to another and a mark on
// its lane for each local event. Rows are spaced evenly by record, each
// labelled with its virtual time; the current step's row is highlighted.
// A bar on a lane shows the node at work, or waiting on an answer (blocked
// on a sync call: hatched), as the seed's diagrams draw activations.
//
// The run is revealed as it plays: nothing after step is drawn, so a
// prediction asked at step is never answered on screen. With future, a few
// rows after it are drawn faded, without their bars.
func Sequence(tl *core.Timeline, step int, future bool) g.Node {
	sc := tl.Scenario()
	p, laneX, order := sequenceParts(tl, step, future)
	lanes := make([]g.Node, 0, len(order))
	for _, i := range order {
		x := laneX[i]
		name := sc.Nodes[i].Name()
		lanes = append(lanes, g.El("g", h.Class("lane"),
			svgEl("text", []string{"class", "lane-name", "x", num(x), "y", "20"}, g.If(truncate(name, seqNameRune) != name, g.El("title", g.Text(name))), g.Text(truncate(name, seqNameRune))),
			svgEl("line", []string{"class", "lane-line", "x1", num(x), "y1", num(seqHeaderH - 6), "x2", num(x), "y2", num(p.bottom)}),
		))
	}
	vw, vh := num(p.width), num(p.bottom+4)
	return h.SVG(h.ID(IDSequence), h.Class(p.Class), h.Role("img"), h.Aria("labelledby", IDSequenceTitle),
		g.Attr("viewBox", "0 0 "+vw+" "+vh), h.Width(vw), h.Height(vh), g.Attr("data-frame", p.Frame),
		g.El("title", h.ID(IDSequenceTitle), g.Text(p.Title)),
		g.El("defs",
			arrowMarker("sequence-arrow-sync", "arrowhead sync"),
			arrowMarker("sequence-arrow-async", "arrowhead async"),
			arrowMarker("sequence-arrow-answer", "arrowhead answer"),
			arrowMarker("sequence-arrow-error", "arrowhead error"),
			arrowMarker("sequence-arrow-dlq", "arrowhead dlq"),
			svgEl("pattern", []string{"id", "sequence-hatch", "width", "6", "height", "6", "patternUnits", "userSpaceOnUse", "patternTransform", "rotate(45)"}, svgEl("line", []string{"class", "hatch-line", "x1", "0", "y1", "0", "x2", "0", "y2", "6"})),
		),
		g.El("g", h.Class("lanes"), g.Group(lanes)),
		g.El("g", h.ID(IDSequenceActivations), h.Class("activations"), g.Raw(p.Activations)),
		g.El("g", h.ID(IDSequenceRows), h.Class("rows"), g.Raw(p.Rows)),
	)
}

// SequenceParts is what a sequence diagram draws at a step, in the parts
// a step changes: a page showing the diagram of the same Frame (the same
// run, lanes and window height) replaces only these, keeping the lanes,
// the markers and the hatch pattern, which are most of what a browser
// would parse again for a jump.
type SequenceParts struct {
	Frame             string // the frame the parts fit: the diagram's data-frame
	Class, Title      string // the SVG's class and its <title>'s text
	Activations, Rows string // the markup of the activations' and the rows' groups
	width, bottom     float64
}

// SequenceUpdate returns the parts of the sequence diagram at step (see
// Sequence) that change from step to step.
func SequenceUpdate(tl *core.Timeline, step int, future bool) SequenceParts {
	p, _, _ := sequenceParts(tl, step, future)
	return p
}

func sequenceParts(tl *core.Timeline, step int, future bool) (SequenceParts, []float64, []int) {
	sc := tl.Scenario()
	n := tl.Len()
	step = min(max(step, 0), n)
	start, end := sequenceWindow(n, step, future)
	order := laneOrder(sc)
	laneX := make([]float64, len(sc.Nodes))
	for pos, i := range order {
		laneX[i] = seqTimeW + seqLaneW*(float64(pos)+0.5)
	}
	p := SequenceParts{
		width:  seqTimeW + seqLaneW*float64(max(len(order), 1)) + 8,
		bottom: seqHeaderH + float64(max(end-start, 1))*seqRowH + 6,
		Class:  "sequence" + cond(future, " with-future", ""),
	}
	// The frame is the window's height and the lanes; the page also
	// checks that it is the same run (the same *core.Timeline).
	p.Frame = strconv.Itoa(max(end-start, 1)) + "x" + strconv.Itoa(len(order))
	var rows markup
	for i := start; i < end; i++ {
		var prev *core.Record
		if i > start {
			prev = tl.Record(i - 1)
		}
		y := seqHeaderH + (float64(i-start)+0.5)*seqRowH
		sequenceRow(&rows, sc, tl.Record(i), prev, i, i == step-1, i >= step, y, p.width, laneX)
	}
	p.Rows = rows.String()
	var acts strings.Builder
	for _, a := range activationBars(tl, start, step, laneX) {
		_ = a.Render(&acts)
	}
	p.Activations = acts.String()
	p.Title = "Sequence diagram: nothing has happened yet."
	switch {
	case n == 0:
		p.Title = "Sequence diagram: no records."
	case end > start:
		p.Title = "Sequence diagram of steps " + strconv.Itoa(start+1) + " to " + strconv.Itoa(end) + " of " + strconv.Itoa(n) + "."
	}
	return p, laneX, order
}

// activation is a span of a node's lane: a worker handling a message, or a
// sender waiting on an answer.
type activation struct {
	node     int32
	req      int32
	kind     string // "work", "blocked" (a sync call) or "ack" (an async send's)
	from, to int    // rows, -1 for above the window; to -1 while it lasts
}

// maxNested is how many activations of one lane are drawn side by side;
// more overlap the last.
const maxNested = 3

// activationBars draws the activations of rows [start, step): those that
// begin and end there, those that end there having begun earlier (from the
// top), and those still going at step (to the current row).
func activationBars(tl *core.Timeline, start, step int, laneX []float64) []g.Node {
	if step <= start {
		return nil
	}
	sc := tl.Scenario()
	type key struct {
		node, msg int32
		call      bool
	}
	var acts []activation
	open := map[key]int{} // index into acts
	closeAct := func(k key, row int) {
		if j, ok := open[k]; ok {
			acts[j].to = row
			delete(open, k)
			return
		}
		kind := "work"
		if k.call {
			kind = callBar(sc, k.node)
			if tl.Record(row).Mode == core.CallAsync {
				kind = "ack"
			}
		}
		acts = append(acts, activation{node: k.node, kind: kind, from: -1, to: row})
	}
	for i := start; i < step; i++ {
		r := tl.Record(i)
		switch r.Kind {
		case core.RecStart, core.RecSkip:
			open[key{r.Node, r.Msg, false}] = len(acts)
			acts = append(acts, activation{node: r.Node, req: r.Req, kind: "work", from: i, to: -1})
		case core.RecSend:
			kind := callBar(sc, r.Node)
			if r.Mode != core.CallSync {
				kind = "ack"
			}
			open[key{r.Node, r.Msg, true}] = len(acts)
			acts = append(acts, activation{node: r.Node, req: r.Req, kind: kind, from: i, to: -1})
		case core.RecFinish:
			closeAct(key{r.Node, r.Msg, false}, i)
		case core.RecFail, core.RecCancel:
			// A handler that fails or is cancelled stops waiting on the
			// calls it made for its request (as core's timeline does).
			if _, ok := open[key{r.Node, r.Msg, false}]; ok || r.Kind == core.RecFail {
				closeAct(key{r.Node, r.Msg, false}, i)
			}
			for k, j := range open {
				if k.call && k.node == r.Node && acts[j].req == r.Req {
					acts[j].to = i
					delete(open, k)
				}
			}
		case core.RecReceive, core.RecTimeout:
			// A broker receives its consumers' acks for what it delivered:
			// it waited on no send of its own. A late answer ends no wait.
			_, ok := open[key{r.Node, r.Msg, true}]
			if ok || r.Node >= 0 && r.Reason != core.ReasonLate && r.Reason != core.ReasonCallerGone && !isBroker(sc.Nodes[r.Node].Kind) {
				closeAct(key{r.Node, r.Msg, true}, i)
			}
		case core.RecCrash:
			for k, j := range open {
				if k.node == r.Node {
					acts[j].to = i
					delete(open, k)
				}
			}
		}
	}
	// What was going on before the window and still is: the state at step
	// has it, less what began in the window.
	st := tl.At(step)
	for node := range st.Nodes {
		ns := &st.Nodes[node]
		work, calls := ns.Busy, 0
		for k := range open {
			if int(k.node) == node && !k.call {
				work--
			}
		}
		for _, c := range ns.Calls {
			if _, ok := open[key{int32(node), c.Msg, true}]; !ok && calls < maxNested {
				calls++
				acts = append(acts, activation{node: int32(node), kind: cond(c.Mode == core.CallSync, callBar(sc, int32(node)), "ack"), from: -1, to: -1})
			}
		}
		for range min(work, maxNested) {
			acts = append(acts, activation{node: int32(node), kind: "work", from: -1, to: -1})
		}
	}
	return drawActivations(acts, start, step, laneX)
}

// drawActivations places each activation on its lane, side by side with
// the ones it overlaps (up to maxNested), as a narrow bar.
func drawActivations(acts []activation, start, step int, laneX []float64) []g.Node {
	rowY := func(row int) float64 { return seqHeaderH + (float64(row-start)+0.5)*seqRowH }
	top, current := seqHeaderH-4.0, rowY(step-1)
	// Longest first, so that a caller's bar lies under its callees'.
	sortStable(len(acts), func(i, j int) bool { return acts[i].from < acts[j].from }, func(i, j int) { acts[i], acts[j] = acts[j], acts[i] })
	ends := make(map[int32][]float64) // per lane, where each column's last bar ends
	out := make([]g.Node, 0, len(acts))
	for _, a := range acts {
		if a.node < 0 || int(a.node) >= len(laneX) {
			continue
		}
		y1, y2 := top, current+seqRowH/2-2
		if a.from >= 0 {
			y1 = rowY(a.from)
		}
		if a.to >= 0 {
			y2 = rowY(a.to)
		}
		col := ends[a.node]
		depth := len(col)
		for d, end := range col {
			if end <= y1 {
				depth = d
				break
			}
		}
		depth = min(depth, maxNested-1)
		if depth == len(col) {
			col = append(col, y2)
		} else {
			col[depth] = max(col[depth], y2)
		}
		ends[a.node] = col
		x := laneX[a.node] - 4 + 5*float64(depth)
		class := "activation " + a.kind + cond(a.to < 0, " open", "")
		out = append(out, svgEl("rect", []string{"class", class, "x", num(x), "y", num(y1), "width", "8", "height", num(max(y2-y1, 3))}))
		if a.kind == "blocked" {
			out = append(out, svgEl("rect", []string{"class", "activation-hatch", "x", num(x), "y", num(y1), "width", "8", "height", num(max(y2-y1, 3)), "fill", "url(#sequence-hatch)"}))
		}
	}
	return out
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

func sequenceRow(m *markup, sc *core.Scenario, r, prev *core.Record, i int, current, future bool, y, width float64, laneX []float64) {
	class := "row kind-" + r.Kind.String()
	switch {
	case current:
		class += " current"
	case future:
		class += " future"
	}
	timeClass := "row-time"
	if prev != nil && prev.At == r.At {
		timeClass += " repeat" // the same time as the row above: drawn fainter
	}
	label := recordLabel(sc, r)
	m.open("g", "class", class, "data-step", strconv.Itoa(i+1))
	m.el("title", "Step "+strconv.Itoa(i+1)+" at "+formatTime(r.At)+": "+r.Describe(sc))
	m.el("rect", "", "class", "row-bg", "x", "0", "y", num(y-seqRowH/2), "width", num(width), "height", num(seqRowH))
	m.el("text", formatTime(r.At), "class", timeClass, "x", num(seqTimeW-8), "y", num(y+4))
	inLane := func(i int32) bool { return i >= 0 && int(i) < len(laneX) }
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
		line := []string{"class", "arrow " + style, "x1", num(x1), "y1", num(y), "x2", num(end), "y2", num(y), "marker-end", "url(#sequence-arrow-" + style + ")"}
		if lost {
			line[1] += " lost"
			line = line[:len(line)-2]
		}
		m.el("line", "", line...)
		if lost {
			m.el("text", "✕", "class", "lost-mark", "x", num(end), "y", num(y+4))
		}
		text := []string{"class", "arrow-label", "x", num(x1 + dir*6), "y", num(y - 4), "text-anchor", "end"}
		if dir > 0 {
			text = text[:len(text)-2]
		}
		m.el("text", label, text...)
	default:
		x := seqTimeW + 8
		if inLane(r.Node) {
			x = laneX[r.Node]
		}
		markClass := "mark"
		if isBad(r.Kind) {
			markClass += " bad"
		}
		m.el("rect", "", "class", markClass, "x", num(x-4), "y", num(y-4), "width", "8", "height", "8", "transform", "rotate(45 "+num(x)+" "+num(y)+")")
		if x > width-seqLaneW {
			// The last lane: its label goes left of the mark, in the room
			// between the lanes; on the right, the diagram's edge clipped
			// anything longer than "arrive #23".
			m.el("text", label, "class", "mark-label", "x", num(x-9), "y", num(y+4), "text-anchor", "end")
		} else {
			m.el("text", label, "class", "mark-label", "x", num(x+9), "y", num(y+4))
		}
	}
	m.close("g")
}
