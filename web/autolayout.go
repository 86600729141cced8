package web

import (
	"math"

	"github.com/sync-vs-async/playground/core"
)

// Point is a position in an SVG's user units.
type Point struct{ X, Y float64 }

// The topology's geometry, in SVG user units.
const (
	nodeW        = 136.0 // a node's box
	nodeH        = 80.0
	colGap       = 38.0 // between layers
	rowGap       = 22.0 // between nodes of a layer
	layoutMargin = 14.0
	backRoom     = 44.0 // below the nodes, for edges that loop back
)

// layout is where the topology puts everything.
type layout struct {
	points        []Point // each node's centre
	layers        []int   // each node's layer, from 0 at the left
	back          []bool  // each edge: does it close a cycle (drawn looping back)?
	width, height float64
}

// LayoutNodes places the nodes of sc for the topology diagram, left to right
// in call order, and returns each node's centre. A node's layer (column) is
// the longest path to it from a client, ignoring the edges that close a
// cycle; the nodes of a layer stack top to bottom in their order in
// sc.Nodes, centred on the tallest layer. A node with a position (set by
// the learner in the sandbox) stays where it was put.
func LayoutNodes(sc *core.Scenario) []Point {
	return layoutScenario(sc).points
}

func layoutScenario(sc *core.Scenario) layout {
	n := len(sc.Nodes)
	from := make([]int, len(sc.Edges))
	to := make([]int, len(sc.Edges))
	out := make([][]int, n) // edge indexes leaving each node
	for i, e := range sc.Edges {
		from[i], to[i] = sc.NodeIndex(e.From), sc.NodeIndex(e.To)
		if from[i] >= 0 && to[i] >= 0 {
			out[from[i]] = append(out[from[i]], i)
		}
	}

	// A depth-first search from the clients (then from whatever they do not
	// reach) finds the edges that close a cycle: those into a node still on
	// the search's stack.
	l := layout{back: make([]bool, len(sc.Edges)), layers: make([]int, n), points: make([]Point, n)}
	const (
		unseen = iota
		onStack
		finished
	)
	mark := make([]int, n)
	var visit func(u int)
	visit = func(u int) {
		mark[u] = onStack
		for _, e := range out[u] {
			switch mark[to[e]] {
			case unseen:
				visit(to[e])
			case onStack:
				l.back[e] = true
			}
		}
		mark[u] = finished
	}
	for i := range sc.Nodes {
		if sc.Nodes[i].Kind == core.Client && mark[i] == unseen {
			visit(i)
		}
	}
	for i := range sc.Nodes {
		if mark[i] == unseen {
			visit(i)
		}
	}

	// Longest path over what is left, a DAG, in topological order.
	indegree := make([]int, n)
	for e := range sc.Edges {
		if from[e] >= 0 && to[e] >= 0 && !l.back[e] {
			indegree[to[e]]++
		}
	}
	var ready []int
	for i := range n {
		if indegree[i] == 0 {
			ready = append(ready, i)
		}
	}
	for len(ready) > 0 {
		u := ready[0]
		ready = ready[1:]
		for _, e := range out[u] {
			if l.back[e] {
				continue
			}
			v := to[e]
			l.layers[v] = max(l.layers[v], l.layers[u]+1)
			if indegree[v]--; indegree[v] == 0 {
				ready = append(ready, v)
			}
		}
	}

	// Each layer stacks its nodes top to bottom, centred on the tallest
	// layer; a box that holds messages is taller (nodeHeight), and the
	// point is the centre of its top nodeH, where edges meet it.
	layerCount := 0
	total := map[int]float64{}
	for i, layer := range l.layers {
		layerCount = max(layerCount, layer+1)
		if total[layer] > 0 {
			total[layer] += rowGap
		}
		total[layer] += nodeHeight(&sc.Nodes[i])
	}
	tallest := 0.0
	for _, t := range total {
		tallest = max(tallest, t)
	}
	filled := map[int]float64{}
	for i, layer := range l.layers {
		l.points[i] = Point{
			X: layoutMargin + nodeW/2 + float64(layer)*(nodeW+colGap),
			Y: layoutMargin + math.Floor((tallest-total[layer])/2) + filled[layer] + nodeH/2,
		}
		filled[layer] += nodeHeight(&sc.Nodes[i]) + rowGap
	}
	l.width = 2*layoutMargin + float64(layerCount)*nodeW + float64(max(layerCount-1, 0))*colGap
	l.height = 2*layoutMargin + tallest
	placed := false
	for i := range sc.Nodes {
		if pos := sc.Nodes[i].Pos; pos != nil {
			// Where the learner put it; the picture grows to hold it.
			l.points[i] = Point{float64(pos.X), float64(pos.Y)}
			placed = true
		}
	}
	if placed {
		// With positions set, an edge loops back only when it points left.
		for e := range sc.Edges {
			if from[e] >= 0 && to[e] >= 0 {
				l.back[e] = l.points[to[e]].X <= l.points[from[e]].X
			}
		}
		for i, p := range l.points {
			l.width = max(l.width, p.X+nodeW/2+layoutMargin)
			l.height = max(l.height, p.Y-nodeH/2+nodeHeight(&sc.Nodes[i])+layoutMargin)
		}
	}
	for _, b := range l.back {
		if b {
			l.height += backRoom
			break
		}
	}
	return l
}

// PinLayout gives every node of sc without a position the one LayoutNodes
// gives it, so that moving or adding one node in the builder moves no
// other.
func PinLayout(sc *core.Scenario) {
	points := LayoutNodes(sc)
	for i := range sc.Nodes {
		if sc.Nodes[i].Pos == nil {
			sc.Nodes[i].Pos = &core.Pos{X: int(points[i].X), Y: int(points[i].Y)}
		}
	}
}

// newNodeGap is how far right of the rightmost node a new one goes, and
// newRowAt where it wraps onto a new row instead.
const (
	newNodeGap = nodeW + colGap
	newRowAt   = 1100
)

// NewNodePos is where the builder puts a node added to sc (whose layout is
// pinned): on the lowest row of nodes, right of its rightmost one, or, past
// newRowAt, at the start of a new row below.
func NewNodePos(sc *core.Scenario) core.Pos {
	first := core.Pos{X: int(layoutMargin + nodeW/2), Y: int(layoutMargin + nodeH/2)}
	lowest, any := 0, false
	for _, n := range sc.Nodes {
		if n.Pos != nil && (!any || n.Pos.Y > lowest) {
			lowest, any = n.Pos.Y, true
		}
	}
	if !any {
		return first
	}
	right := 0
	for _, n := range sc.Nodes {
		if n.Pos != nil && n.Pos.Y > lowest-int(nodeH) {
			right = max(right, n.Pos.X)
		}
	}
	if p := (core.Pos{X: right + int(newNodeGap), Y: lowest}); p.X <= newRowAt {
		return p
	}
	return core.Pos{X: first.X, Y: lowest + int(nodeH+rowGap)}
}

// ClampPos keeps a node centred at x, y wholly on the canvas.
func ClampPos(x, y float64) core.Pos {
	clamp := func(v, half float64) int { return int(min(max(v, half+layoutMargin), 20_000-half)) }
	return core.Pos{X: clamp(x, nodeW/2), Y: clamp(y, nodeH/2)}
}
