package web

import (
	"cmp"
	"math"
	"strconv"
	"strings"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/internal/fmtlite"
	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"
)

// IDTopologyTitle names the topology's <title>, its accessible name.
const IDTopologyTitle = "topology-title"

// Topology draws the scenario's nodes and edges as an SVG diagram, with each
// node's state at st and everything in flight placed along its edge. Its
// <title> says the same in words, for screen readers.
func Topology(sc *core.Scenario, st *core.State) g.Node {
	return topology(sc, st, nil, Motion{}, false, 0)
}

// phoneW is how wide, in CSS px, a vertical topology may be drawn to fit
// a phone's panel (340 px at 390 px, see .topology.vertical in style.css).
const phoneW = 336.0

// TopologyView says how the read-only topology is laid out.
type TopologyView struct {
	// Vertical lays it out top to bottom, for a narrow screen, where
	// left to right would shrink until its text cannot be read.
	Vertical bool
	// Zoom, if above 0, draws it at that multiple of its natural size
	// (after Vertical's scaling), scrolling in its panel where wider;
	// 0 fits it to the panel ([ZoomLevels]).
	Zoom float64
}

// Draw draws the topology as [Topology] does, laid out as v says, with
// what is in flight moving as m says.
func (v TopologyView) Draw(sc *core.Scenario, st *core.State, m Motion) g.Node {
	return topology(sc, st, nil, m, v.Vertical, v.Zoom)
}

// topology draws the diagram; with ed it is the sandbox's canvas, whose
// nodes and edges can be focused, selected, dragged and moved with keys.
func topology(sc *core.Scenario, st *core.State, ed *canvasState, m Motion, vertical bool, zoom float64) g.Node {
	l := layoutFor(sc, vertical)
	edges := make([]g.Node, 0, len(sc.Edges))
	for i := range sc.Edges {
		if geo, ok := edgeGeometry(sc, l, i); ok {
			edges = append(edges, topologyEdge(sc, &sc.Edges[i], geo, l.labels[i], i, ed))
		}
	}
	nodes, transits := topologyNodes(sc, st, l, ed), topologyTransits(sc, st, l, m)
	w, ht := max(l.width, 1), max(l.height, 1)
	// A group, not an image: each node is an image of its own whose
	// accessible name says what it is doing.
	id, class, role := IDTopology, "topology", g.Group{h.Role("group"), h.Aria("labelledby", IDTopologyTitle)}
	// The groups a step redraws have ids in the player ([TopologyView.Update]).
	nodesID, transitsID, frame := g.Group{h.ID(IDTopologyNodes)}, g.Group{h.ID(IDTopologyTransits)}, g.Attr("data-frame", topologyFrame(sc, vertical, zoom))
	if ed != nil {
		// Room to drag nodes into, whatever the scenario's size.
		w, ht = max(w+nodeW, canvasMinW), max(ht+nodeH, canvasMinH)
		id, class = IDCanvas, "topology canvas"
		if ed.connectFrom != "" {
			class += " connecting"
		}
		role = g.Group{h.Role("group"), h.Aria("labelledby", IDTopologyTitle), h.Aria("describedby", IDCanvasHelp)}
		nodesID, transitsID, frame = nil, nil, nil
	}
	vw, vh := num(w), num(ht)
	dw, dh := vw, vh // the size it is drawn at
	if vertical {
		// For a phone: drawn no wider than its panel there unless that
		// would take a box below 3/4 of its size (102 px, its text 9 px);
		// then it is wider, and scrolls in its panel.
		s := min(1, max(phoneW/w, 0.75))
		dw, dh, class = num(math.Round(w*s)), num(math.Round(ht*s)), class+" vertical"
		w, ht = w*s, ht*s
	}
	if zoom > 0 {
		// Zoomed: that size, not shrunk to the panel (style.css).
		dw, dh, class = num(math.Round(w*zoom)), num(math.Round(ht*zoom)), class+" zoomed"
	}
	return h.SVG(h.ID(id), h.Class(class), role,
		g.Attr("viewBox", "0 0 "+vw+" "+vh), h.Width(dw), h.Height(dh), frame,
		g.El("title", h.ID(IDTopologyTitle), g.Text(topologySummary(sc, st))),
		g.El("defs",
			arrowMarker("topology-arrow-sync", "arrowhead sync"),
			arrowMarker("topology-arrow-async", "arrowhead async"),
			arrowMarker("topology-arrow-dlq", "arrowhead dlq"),
			// Blocked callers are hatched, so that blocked, busy and idle
			// differ in more than colour.
			svgEl("pattern", []string{"id", "topology-hatch", "width", "8", "height", "8", "patternUnits", "userSpaceOnUse", "patternTransform", "rotate(45)"}, svgEl("line", []string{"class", "hatch-line", "x1", "0", "y1", "0", "x2", "0", "y2", "8"})),
		),
		g.El("g", h.Class("edges"), g.Group(edges)),
		g.El("g", nodesID, h.Class("nodes"), g.Group(nodes)),
		ed.edgeLabels(sc, l), // over the nodes: never under one
		g.El("g", transitsID, h.Class("transits"), g.Group(transits)),
	)
}

func topologyNodes(sc *core.Scenario, st *core.State, l layout, ed *canvasState) []g.Node {
	nodes := make([]g.Node, 0, len(sc.Nodes))
	for i := range sc.Nodes {
		nodes = append(nodes, topologyNode(sc, st, i, l.points[i], ed))
	}
	return nodes
}

func topologyTransits(sc *core.Scenario, st *core.State, l layout, m Motion) []g.Node {
	transits := make([]g.Node, 0, len(st.InFlight))
	for i := range st.InFlight {
		transits = append(transits, transitDot(sc, l, st, &st.InFlight[i], m))
	}
	return transits
}

// topologyFrame names what the player's topology keeps from step to step:
// its size, its edges and its markers, which depend on the layout and the
// zoom. (It does not name the scenario: the page checks that it shows the
// same one.)
func topologyFrame(sc *core.Scenario, vertical bool, zoom float64) string {
	return strconv.Itoa(len(sc.Nodes)) + "n" + strconv.Itoa(len(sc.Edges)) + "e" + cond(vertical, "v", "h") + num(zoom)
}

// TopologyParts is what the player's topology draws at a step, in the
// parts a step changes: a page showing the topology of the same Frame (and
// the same scenario) replaces only these, keeping the edges, the markers
// and the hatch pattern.
type TopologyParts struct {
	Frame           string // the frame the parts fit: the SVG's data-frame
	Title           string // the text of its <title>, its accessible name
	Nodes, Transits string // the markup of its nodes' and its transits' groups
	Moves           bool   // a transit glides (its animation starts from the SVG's time 0)
}

// Frame returns the frame of v's drawing of sc: a page whose drawing has
// another (its SVG's data-frame) draws it whole rather than updating its
// parts.
func (v TopologyView) Frame(sc *core.Scenario) string { return topologyFrame(sc, v.Vertical, v.Zoom) }

// Update returns the parts of v's drawing of sc at st (see Draw) that
// change from step to step.
func (v TopologyView) Update(sc *core.Scenario, st *core.State, m Motion) TopologyParts {
	l := layoutFor(sc, v.Vertical)
	var nodes, transits strings.Builder
	_ = g.Group(topologyNodes(sc, st, l, nil)).Render(&nodes)
	_ = g.Group(topologyTransits(sc, st, l, m)).Render(&transits)
	return TopologyParts{
		Frame: topologyFrame(sc, v.Vertical, v.Zoom), Title: topologySummary(sc, st),
		Nodes: nodes.String(), Transits: transits.String(),
		Moves: strings.Contains(transits.String(), "<animateMotion"),
	}
}

// nodeState returns node i's state, or an idle one if st does not have it.
func nodeState(st *core.State, i int) *core.NodeState {
	if i < len(st.Nodes) {
		return &st.Nodes[i]
	}
	return &core.NodeState{}
}

// arrowMarker is an arrowhead for the ends of lines; class colours it.
func arrowMarker(id, class string) g.Node {
	return svgEl("marker", []string{"id", id, "viewBox", "0 0 10 10", "refX", "9", "refY", "5", "markerWidth", "8", "markerHeight", "8", "markerUnits", "userSpaceOnUse", "orient", "auto"}, svgEl("path", []string{"class", class, "d", "M0,0 L10,5 L0,10 z"}))
}

// isBroker reports whether nodes of kind k hold messages for consumers.
func isBroker(k core.Kind) bool { return k == core.Queue || k == core.Bus || k == core.Topic }

// hasWorkers reports whether nodes of kind k handle messages with workers.
func hasWorkers(k core.Kind) bool {
	switch k {
	case core.Gateway, core.Service, core.Database, core.Worker, core.RateLimiter, core.Outbox:
		return true
	}
	return false
}

// nodeStateLine is the one line of figures a node's box shows.
func nodeStateLine(n *core.Node, ns *core.NodeState) string {
	var parts []string
	switch {
	case n.Kind == core.DLQ:
		parts = append(parts, "held "+strconv.Itoa(len(ns.Queue)))
	case n.Kind == core.Topic:
		// Consumer lag: records written that no group has committed yet.
		parts = append(parts, "lag "+strconv.Itoa(len(ns.Queue)+ns.Unacked), "in flight "+strconv.Itoa(ns.Unacked))
	case isBroker(n.Kind):
		parts = append(parts, "queued "+strconv.Itoa(len(ns.Queue)), "unacked "+strconv.Itoa(ns.Unacked))
	case n.Kind == core.Outbox:
		parts = append(parts, "rows "+strconv.Itoa(len(ns.Queue)), "busy "+strconv.Itoa(ns.Busy))
	case n.Coroutine:
		parts = append(parts, plural(ns.Busy, "task"))
	case hasWorkers(n.Kind):
		parts = append(parts, "busy "+strconv.Itoa(ns.Busy)+"/"+formatConcurrency(n.EffectiveConcurrency()))
		if len(ns.Waiting) > 0 || n.EffectiveConcurrency() < unbounded {
			parts = append(parts, "waiting "+strconv.Itoa(len(ns.Waiting)))
		}
	}
	return strings.Join(parts, " · ")
}

// cond returns a if b holds, else c.
func cond(b bool, a, c string) string {
	if b {
		return a
	}
	return c
}

// nodeActivity says in a word what a node that does work is doing: "down",
// "blocked" (a worker or a user waits on a sync call's reply), "busy",
// "waiting for ack" (an async send not yet acknowledged) or "idle". Nodes
// that hold messages rather than work on them have none: "".
func nodeActivity(n *core.Node, ns *core.NodeState) string {
	switch {
	case ns.Down:
		return "down"
	case ns.Blocked() > 0 && n.Coroutine:
		return "awaiting" // suspended: it holds no thread (see awaitingLines)
	case ns.Blocked() > 0:
		return "blocked"
	case !hasWorkers(n.Kind) && n.Kind != core.Client:
		return ""
	case ns.Busy > 0 && n.Coroutine:
		return "running"
	case ns.Busy > 0:
		return "busy"
	case len(ns.Calls) > 0:
		return "waiting for ack"
	}
	return "idle"
}

// waitingFor says what a blocked node waits on: "API Gateway", "3 × API
// Gateway" when several of its workers (or users) wait on the same node, or
// "2 calls" when they wait on different ones; and since when (the oldest
// call). ok is false when it waits on no sync call.
func waitingFor(sc *core.Scenario, ns *core.NodeState) (what string, since core.Duration, ok bool) {
	to, same, k := int32(-1), true, 0
	for i := range ns.Calls {
		c := &ns.Calls[i]
		if c.Mode != core.CallSync {
			continue
		}
		if k == 0 {
			to, since = c.To, c.Since
		}
		same = same && c.To == to
		k++
	}
	switch {
	case k == 0:
		return "", 0, false
	case k == 1:
		return nodeName(sc, to), since, true
	case same:
		return strconv.Itoa(k) + " × " + nodeName(sc, to), since, true
	}
	return strconv.Itoa(k) + " calls", since, true
}

// topologyNode draws node i: a rounded box with its kind and what it is
// doing, its name and its figures. A blocked node is hatched and says what
// it waits for; its accessible name says the same in words.
func topologyNode(sc *core.Scenario, st *core.State, i int, p Point, ed *canvasState) g.Node {
	n, ns := &sc.Nodes[i], nodeState(st, i)
	class := "node kind-" + string(n.Kind)
	caption := kindWord(n)
	activity := nodeActivity(n, ns)
	if activity != "" {
		caption += " · " + activity
		if len(caption) > 20 {
			caption = activity // the box is narrow: the kind is in the name
		}
		class += " " + strings.ReplaceAll(activity, " ", "-")
	}
	if ns.Busy > 0 || len(ns.Waiting) > 0 || len(ns.Queue) > 0 || ns.Unacked > 0 || len(ns.Calls) > 0 {
		class += " active"
	}
	if len(ns.Waiting) > 0 {
		class += " backlog"
	}
	figures := nodeStateLine(n, ns)
	state, status := figures, activity
	if what, since, ok := waitingFor(sc, ns); ok && !ns.Down {
		// The box is narrow: the time goes in the caption, the callee's
		// name on the last line.
		waited := formatTime(st.At - since)
		caption = "blocked · " + waited
		state = "waiting for " + truncate(what, 11)
		status += ", waiting for " + what + " for " + waited
		if n.Coroutine {
			caption, state, status = awaitingLines(what, waited)
		}
	}
	tray, held := holdings(sc, st, i)
	if held == "" {
		held = figures // what it holds says more than the figures
	}
	if held != "" {
		status += cond(status != "", "; ", "") + held
	}
	name := wrapName(n.Name(), 17)
	if tray != nil && len(name) > 1 {
		name = []string{truncate(n.Name(), 17)} // one line: the tray is below
	}
	// On the canvas a node is a button, and its name must hold the words
	// it shows: a space between two <text>s, which draws nothing, keeps
	// their words apart for those that read the text of the box.
	var sep g.Node
	if ed != nil {
		sep = g.Text(" ")
	}
	lines := make([]g.Node, 0, 2*len(name))
	for i, line := range name {
		lines = append(lines, sep, g.El("text", h.Class("node-name"), g.Attr("x", num(nodeW/2)), g.Attr("y", num(37+float64(i)*15)), g.Text(line)))
	}
	boxH := nodeHeight(n)
	label := n.Name() + " (" + kindWord(n) + ")" + cond(status != "", ": "+status, "")
	var access g.Node = g.Group{h.Role("img"), h.Aria("label", label)}
	title := g.El("title", g.Text(label))
	if ed != nil {
		// A button's name must hold its text, a <title>'s too: it has
		// none, and its name is what its box shows, in order.
		title = nil
		class += ed.nodeClass(n.ID)
		visible := caption + " " + strings.Join(name, " ") + cond(state != "", " "+state, "")
		access = ed.nodeAttrs(n, visible)
	}
	return g.El("g", h.Class(class), h.Data("node", n.ID), access,
		g.Attr("transform", "translate("+num(p.X-nodeW/2)+" "+num(p.Y-nodeH/2)+")"),
		title,
		g.El("rect", h.Class("node-box"), g.Attr("width", num(nodeW)), g.Attr("height", num(boxH)), g.Attr("rx", "8")),
		g.If(activity == "blocked", g.El("rect", h.Class("node-hatch"), g.Attr("width", num(nodeW)), g.Attr("height", num(boxH)), g.Attr("rx", "8"),
			g.Attr("fill", "url(#topology-hatch)"))),
		g.El("text", h.Class("node-kind"), g.Attr("x", num(nodeW/2)), g.Attr("y", "16"), g.Text(caption)),
		g.If(ed != nil && ed.isLocked(n.ID), padlock),
		g.Group(lines),
		tray,
		g.If(state != "", sep),
		g.If(state != "", g.El("text", h.Class(cond(activity == "blocked", "node-state wait", "node-state")), g.Attr("x", num(nodeW/2)), g.Attr("y", num(boxH-10)), g.Text(state))),
	)
}

// padlock marks a node a challenge locks, in its box's top left corner
// (its name says so in words: nodeAttrs).
var padlock = svgEl("g", []string{"class", "node-lock", "aria-hidden", "true", "transform", "translate(7 6)"}, padlockShapes...)

// padlockShapes draw a padlock 10 wide and 13 high from (0, 0).
var padlockShapes = []g.Node{
	svgEl("path", []string{"class", "node-lock-shackle", "d", "M2,6 V3.5 A3,3 0 0 1 8,3.5 V6"}),
	svgEl("rect", []string{"class", "node-lock-body", "x", "0", "y", "6", "width", "10", "height", "7", "rx", "1.5"}),
}

// padlockIcon is the padlock on its own, in a line of text: the list of
// what a challenge locks. (An emoji there showed as an empty box where the
// system has no emoji font.)
var padlockIcon = svgEl("svg", []string{"class", "lock-icon", "viewBox", "-1 -1 12 15", "width", "12", "height", "15",
	"aria-hidden", "true", "focusable", "false"}, padlockShapes...)

// edgeGeometry returns the route that edge i follows, around every box
// between its ends (see [routeEdges]); a point t of the way along it is
// route.at(t).
func edgeGeometry(sc *core.Scenario, l layout, i int) (route, bool) {
	if i >= len(l.routes) || len(l.routes[i]) < 2 {
		return nil, false
	}
	return l.routes[i], true
}

// edgeClass is the class of an edge and of its arrowhead: sync calls,
// async sends and moves to a dead letter queue each look different.
func edgeClass(sc *core.Scenario, e *core.Edge) string {
	if t := sc.NodeIndex(e.To); t >= 0 && sc.Nodes[t].Kind == core.DLQ {
		return "dlq"
	}
	if e.Mode == core.Sync {
		return "sync"
	}
	return "async"
}

func topologyEdge(sc *core.Scenario, e *core.Edge, geo route, label Point, i int, ed *canvasState) g.Node {
	class := edgeClass(sc, e)
	line := svgEl("path", []string{"class", "edge " + class, "data-from", e.From, "data-to", e.To, "d", geo.path(), "marker-end", "url(#topology-arrow-" + class + ")"})
	if ed == nil {
		return line
	}
	// On the canvas an edge is a control: a wide invisible stroke makes it
	// easy to hit, and it can be focused and selected like a node.
	return ed.edgeControl(e, i, geo, label, line)
}

// Motion says how the topology shows what moved since the picture before:
// with On, everything in flight glides from where it was at time From to
// where it is now (backwards too, when stepping back), in tween; without,
// it is simply drawn where it is.
type Motion struct {
	On     bool
	From   core.Duration
	Millis int // how long the glide takes; 0 for Tween
}

// Tween is how long, in milliseconds, a message takes to glide between two
// steps' places when nothing hurries it.
const Tween = 280

// transitDot draws something in flight as a numbered circle on its edge:
// a message on the edge itself, an answer a little below it, on its way
// back. A sync call's dot is solid, an async send's has a dashed ring.
func transitDot(sc *core.Scenario, l layout, st *core.State, t *core.Transit, m Motion) g.Node {
	p := t.Progress(st.At)
	pos, ok := transitPosition(sc, l, t, p)
	if !ok {
		pos = Point{-100, -100} // off the picture: there is no edge to put it on
	}
	class, r := "transit message", 6.0
	switch t.Kind {
	case core.TransitReply:
		class, r = "transit reply", 5.5
	case core.TransitAck:
		class, r = "transit ack", 5
	case core.TransitNack:
		class, r = "transit nack", 5
	}
	if t.Mode == core.CallAsync {
		class += " async"
	} else if t.Mode == core.CallSync {
		class += " sync"
	}
	if t.Error {
		class += " error"
	}
	var glide g.Node
	if p0 := t.Progress(m.From); m.On && ok && p0 != p {
		glide = svgEl("animateMotion", []string{"dur", strconv.Itoa(cmp.Or(m.Millis, Tween)) + "ms", "fill", "freeze", "calcMode", "linear", "path", motionPath(sc, l, t, p0, p, pos)})
	}
	return svgEl("g", []string{"class", "transit-dot", "data-msg", strconv.Itoa(int(t.Msg))}, g.El("title", g.Text(transitTitle(sc, t))), svgEl("circle", []string{"class", class, "cx", num(pos.X), "cy", num(pos.Y), "r", num(r)}), svgEl("text", []string{"class", "transit-num", "x", num(pos.X), "y", num(pos.Y - r - 3)}, g.Text(strconv.Itoa(int(t.Msg)))), glide)
}

// motionPath is the way along t's edge from progress p0 to p1, as offsets
// from end, its place at p1: an animateMotion path that ends at no offset.
func motionPath(sc *core.Scenario, l layout, t *core.Transit, p0, p1 float64, end Point) string {
	const steps = 6
	var b strings.Builder
	for i := 0; i <= steps; i++ {
		q, _ := transitPosition(sc, l, t, p0+(p1-p0)*float64(i)/steps)
		b.WriteString(cond(i == 0, "M", " L"))
		b.WriteString(num(q.X-end.X) + "," + num(q.Y-end.Y))
	}
	return b.String()
}

// transitPosition finds where t is, p of the way along its trip.
func transitPosition(sc *core.Scenario, l layout, t *core.Transit, p float64) (Point, bool) {
	f, to := int(t.From), int(t.To)
	answer := t.Kind != core.TransitMessage
	// A message travels along the edge From → To; an answer goes back along
	// the edge its caller used, To → From, a little apart from the calls.
	for _, forward := range []bool{!answer, answer} {
		a, b := f, to
		if !forward {
			a, b = to, f
		}
		for i, e := range sc.Edges {
			if sc.NodeIndex(e.From) != a || sc.NodeIndex(e.To) != b {
				continue
			}
			geo, ok := edgeGeometry(sc, l, i)
			if !ok {
				break
			}
			if !forward {
				p = 1 - p
			}
			if answer {
				// Beside the line: below an edge drawn left to right.
				return geo.beside(p, 9), true
			}
			return geo.at(p), true
		}
	}
	if f < 0 || to < 0 || f >= len(l.points) || to >= len(l.points) {
		return Point{}, false
	}
	a, b := l.points[f], l.points[to]
	return Point{a.X + (b.X-a.X)*p, a.Y + (b.Y-a.Y)*p}, true
}

// transitTitle names what travels, as its tooltip says it: "message 5 of
// request 3, client → gateway".
func transitTitle(sc *core.Scenario, t *core.Transit) string {
	what := "message " + strconv.Itoa(int(t.Msg))
	switch {
	case t.Kind == core.TransitReply && t.Error:
		what = "error reply to " + what
	case t.Kind == core.TransitReply:
		what = "reply to " + what
	case t.Kind == core.TransitAck && t.Error:
		what = "error answer to " + what
	case t.Kind == core.TransitAck:
		what = "ack for " + what
	case t.Kind == core.TransitNack:
		what = "nack for " + what
	}
	if t.Req >= 0 {
		what += " of request " + strconv.Itoa(int(t.Req))
	}
	return what + ", " + nodeName(sc, t.From) + " → " + nodeName(sc, t.To)
}

func nodeName(sc *core.Scenario, i int32) string {
	if i < 0 || int(i) >= len(sc.Nodes) {
		return "?"
	}
	return sc.Nodes[i].Name()
}

// topologySummary says in words what the diagram shows: "Step 4 at 3ms:
// Queue awaits 1 ack; Worker 1 of 1 busy; 1 answer in flight."
func topologySummary(sc *core.Scenario, st *core.State) string {
	var parts []string
	for i := range sc.Nodes {
		n, ns := &sc.Nodes[i], nodeState(st, i)
		name := n.Name()
		if ns.Down {
			parts = append(parts, name+" is down")
		}
		if what, _, ok := waitingFor(sc, ns); ok && !ns.Down {
			parts = append(parts, name+cond(n.Coroutine, " is suspended awaiting "+what+" (its event loop is free)", " is blocked waiting for "+what))
		}
		switch {
		case n.Kind == core.DLQ:
			if len(ns.Queue) > 0 {
				parts = append(parts, name+" holds "+plural(len(ns.Queue), "dead letter"))
			}
		case isBroker(n.Kind):
			if len(ns.Queue) > 0 {
				parts = append(parts, name+" holds "+plural(len(ns.Queue), "message"))
			}
			if ns.Unacked > 0 {
				// Out with consumers: not yet acked (a queue, a bus) or not
				// yet committed (a topic, whose consumers never ack).
				parts = append(parts, name+" has "+plural(ns.Unacked, "message")+" out with consumers")
			}
		case n.Kind == core.Outbox && len(ns.Queue) > 0:
			parts = append(parts, name+" has "+plural(len(ns.Queue), "row")+" to publish")
		}
		if hasWorkers(n.Kind) && ns.Busy > 0 && !n.Coroutine {
			if c := n.EffectiveConcurrency(); c < unbounded {
				parts = append(parts, fmtlite.Sprintf("%s %d of %d busy", name, ns.Busy, c))
			} else {
				parts = append(parts, fmtlite.Sprintf("%s handles %d", name, ns.Busy))
			}
		}
		if len(ns.Waiting) > 0 {
			parts = append(parts, fmtlite.Sprintf("%d waiting at %s", len(ns.Waiting), name))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "every node idle")
	}
	messages, answers := 0, 0
	for i := range st.InFlight {
		if st.InFlight[i].Kind == core.TransitMessage {
			messages++
		} else {
			answers++
		}
	}
	switch {
	case messages > 0 && answers > 0:
		parts = append(parts, plural(messages, "message")+" and "+plural(answers, "answer")+" in flight")
	case messages > 0:
		parts = append(parts, plural(messages, "message")+" in flight")
	case answers > 0:
		parts = append(parts, plural(answers, "answer")+" in flight")
	default:
		parts = append(parts, "nothing in flight")
	}
	return fmtlite.Sprintf("%s, step %d at %s: %s.", sc.Name, st.Step, formatTime(st.At), strings.Join(parts, "; "))
}
