package web

import (
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/sync-vs-async/playground/core"
)

// Point is a position in an SVG's user units.
type Point struct{ X, Y float64 }

// The topology's geometry, in SVG user units.
const (
	nodeW        = 136.0 // a node's box
	nodeH        = 80.0
	colGap       = 56.0 // between layers: room for edges' runs and a label
	rowGap       = 22.0 // between nodes of a layer
	laneW        = 18.0 // what an edge passing through a layer takes of it
	layoutMargin = 14.0
	clearance    = 9.0 // how far an edge keeps from a box it passes
	bendCost     = 36.0
)

// rowGapVertical is rowGap top to bottom (for a phone), where edges run
// between the layers, not between a layer's boxes.
const rowGapVertical = 8.0

// layout is where the topology puts everything.
type layout struct {
	points        []Point   // each node's centre: of its box, or of a taller box's top nodeH, where its name is
	heights       []float64 // each node's box height (nodeHeight)
	layers        []int     // each node's layer, from 0 at the left
	back          []bool    // each edge: does it close a cycle?
	routes        []route   // each edge's path (nil: not drawn)
	labels        []Point   // each edge's label, its centre
	routeSteps    int       // the steps the router searched (maxRouteSteps at most)
	width, height float64
}

// LayoutNodes places the nodes of sc for the topology diagram, left to right
// in call order, and returns each node's centre. A node with a position
// (set by the learner in the sandbox) stays where it was put.
func LayoutNodes(sc *core.Scenario) []Point {
	return layoutScenario(sc).points
}

// PrepareLayout lays sc out in the given orientation ahead of drawing it,
// which then finds the layout ready: a page can give the layout of a
// large topology (200 nodes: 100 ms and more in a browser) a turn of its
// own.
func PrepareLayout(sc *core.Scenario, vertical bool) { layoutFor(sc, vertical) }

// The last layout made, for each orientation: the views draw the same
// scenario at every step, and a layout with its routes is worth keeping.
var layoutCache struct {
	sync.Mutex
	key [2]string
	l   [2]layout
}

// layoutScenario lays sc out left to right.
func layoutScenario(sc *core.Scenario) layout { return layoutFor(sc, false) }

// layoutFor lays sc out, left to right or (vertical) top to bottom, and
// routes its edges, reusing the last layout of the same topology.
func layoutFor(sc *core.Scenario, vertical bool) layout {
	var b strings.Builder
	for i := range sc.Nodes {
		// What the layout reads of a node: its name, its kind (clients
		// start the layers), its height (a topic's grows with its
		// partitions) and where the learner put it.
		b.WriteString(sc.Nodes[i].ID + "/" + string(sc.Nodes[i].Kind) + "/" + num(nodeHeight(&sc.Nodes[i])))
		if p := sc.Nodes[i].Pos; p != nil {
			b.WriteString("@" + strconv.Itoa(p.X) + "," + strconv.Itoa(p.Y))
		}
		b.WriteByte(0)
	}
	for _, e := range sc.Edges {
		b.WriteString(e.From + ">" + e.To + ":" + string(e.Mode) + "\x00")
	}
	key, o := b.String(), 0
	if vertical {
		o = 1
	}
	layoutCache.Lock()
	defer layoutCache.Unlock()
	if layoutCache.key[o] != key || layoutCache.l[o].points == nil {
		layoutCache.key[o], layoutCache.l[o] = key, computeLayout(sc, vertical)
	}
	return layoutCache.l[o]
}

// computeLayout is the layered (Sugiyama) layout: the edges that close a
// cycle are turned round, each node's layer is its longest path from a
// source, an edge spanning several layers gets a lane (a dummy node) in
// each layer it passes, barycenter sweeps order the layers to cut
// crossings, and the router draws every edge around the boxes.
func computeLayout(sc *core.Scenario, vertical bool) layout {
	n := len(sc.Nodes)
	from := make([]int, len(sc.Edges))
	to := make([]int, len(sc.Edges))
	out := make([][]int, n) // edge indexes leaving each node
	for i, e := range sc.Edges {
		from[i], to[i] = sc.NodeIndex(e.From), sc.NodeIndex(e.To)
		if from[i] >= 0 && to[i] >= 0 && from[i] != to[i] {
			out[from[i]] = append(out[from[i]], i)
		}
	}

	// A depth-first search from the clients (then from whatever they do not
	// reach) finds the edges that close a cycle: those into a node still on
	// the search's stack.
	l := layout{back: make([]bool, len(sc.Edges)), layers: make([]int, n), points: make([]Point, n)}
	mark := make([]int8, n) // 0 unseen, 1 on the stack, 2 finished
	var visit func(u int)
	visit = func(u int) {
		mark[u] = 1
		for _, e := range out[u] {
			switch mark[to[e]] {
			case 0:
				visit(to[e])
			case 1:
				l.back[e] = true
			}
		}
		mark[u] = 2
	}
	for pass := range 2 {
		for i := range sc.Nodes {
			if mark[i] == 0 && (pass == 1 || sc.Nodes[i].Kind == core.Client) {
				visit(i)
			}
		}
	}

	// Longest path over what is left, a DAG, in topological order.
	indegree := make([]int, n)
	for e := range sc.Edges {
		if from[e] >= 0 && to[e] >= 0 && from[e] != to[e] && !l.back[e] {
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

	order, up, down := orderLayers(l.layers, from, to)
	// Place the layers: along the layer axis one after another; across it
	// each node (or lane) as near the mean of its neighbours as the ones
	// before and after it in its layer allow, sweeping down and up.
	// A box that holds messages is taller than nodeH (nodeHeight): it
	// takes its height in its layer, and its point is its top nodeH's
	// centre, where its name is and where edges meet it.
	l.heights = make([]float64, n)
	tallest := nodeH
	for i := range sc.Nodes {
		l.heights[i] = nodeHeight(&sc.Nodes[i])
		tallest = max(tallest, l.heights[i])
	}
	along := nodeW
	if vertical {
		along = tallest
	}
	// How far a vertex reaches before and after its point across the
	// layer: a box's point is its name's line, a taller box reaches
	// further after it.
	before := func(v int) float64 {
		switch {
		case v >= n:
			return laneW / 2
		case vertical:
			return nodeW / 2
		}
		return nodeH / 2
	}
	after := func(v int) float64 {
		if v < n && !vertical {
			return l.heights[v] - nodeH/2
		}
		return before(v)
	}
	// Side by side on a phone, a layer's boxes sit closer: three fit its
	// width at a legible size (see phoneW).
	across := rowGap
	if vertical {
		across = rowGapVertical
	}
	gap := func(a, b int) float64 { return after(a) + across + before(b) } // between a's point and the next one's, b
	at := make([]float64, len(up))                                         // each vertex's centre across the layers
	for _, vs := range order {
		c := 0.0
		for _, v := range vs {
			at[v] = c + before(v)
			c += before(v) + after(v) + across
		}
	}
	place := func(vs []int, nb [][]int) {
		want := make([]float64, len(vs))
		for j, v := range vs {
			want[j] = at[v]
			if len(nb[v]) > 0 {
				want[j] = 0
				for _, u := range nb[v] {
					want[j] += at[u] / float64(len(nb[v]))
				}
			}
		}
		// As near as allowed, pushed down, then pushed up: the mean of the
		// two keeps every gap.
		fwd, bwd := append([]float64(nil), want...), append([]float64(nil), want...)
		for j := 1; j < len(vs); j++ {
			fwd[j] = max(fwd[j], fwd[j-1]+gap(vs[j-1], vs[j]))
		}
		for j := len(vs) - 2; j >= 0; j-- {
			bwd[j] = min(bwd[j], bwd[j+1]-gap(vs[j], vs[j+1]))
		}
		for j, v := range vs {
			at[v] = (fwd[j] + bwd[j]) / 2
		}
	}
	for range 4 {
		for k := 1; k < len(order); k++ {
			place(order[k], up)
		}
		for k := len(order) - 2; k >= 0; k-- {
			place(order[k], down)
		}
	}
	lo, hi := 0.0, 0.0
	for k, vs := range order {
		for _, v := range vs {
			if k == 0 && v == vs[0] || at[v]-before(v) < lo {
				lo = at[v] - before(v)
			}
			hi = max(hi, at[v]+after(v))
		}
	}
	for k, vs := range order {
		for _, v := range vs {
			if v < n {
				a := layoutMargin + along/2 + float64(k)*(along+colGap)
				b := math.Round(layoutMargin + at[v] - lo)
				l.points[v] = Point{a, b}
				if vertical {
					l.points[v] = Point{b, a - along/2 + nodeH/2}
				}
			}
		}
	}
	la := 2*layoutMargin + float64(len(order))*along + float64(max(len(order)-1, 0))*colGap
	lb := 2*layoutMargin + hi - lo
	l.width, l.height = la, lb
	if vertical {
		l.width, l.height = lb, la
	}

	for i := range sc.Nodes {
		if pos := sc.Nodes[i].Pos; pos != nil && !vertical {
			// Where the learner put it; the picture grows to hold it.
			l.points[i] = Point{float64(pos.X), float64(pos.Y)}
			l.width = max(l.width, l.points[i].X+nodeW/2+layoutMargin)
			l.height = max(l.height, l.points[i].Y-nodeH/2+l.heights[i]+layoutMargin)
		}
	}
	routeEdges(sc, &l, from, to)
	return l
}

// orderLayers orders the nodes of each layer, with a lane (a dummy, of
// index n and up) for each layer an edge passes without stopping, so as
// to cut the crossings between layers: barycenter sweeps down and up,
// keeping the best order seen. It starts from the scenario's order.
func orderLayers(layers, from, to []int) (order, up, down [][]int) {
	n := len(layers)
	count := 0
	for _, k := range layers {
		count = max(count, k+1)
	}
	order = make([][]int, count)
	for v, k := range layers {
		order[k] = append(order[k], v)
	}
	// The layered graph's links, each from a layer to the next: up and
	// down are each vertex's neighbours in the layer before and after.
	link := func(a, b int) {
		for len(up) <= max(a, b) {
			up, down = append(up, nil), append(down, nil)
		}
		down[a] = append(down[a], b)
		up[b] = append(up[b], a)
	}
	next := n
	for e := range from {
		a, b := from[e], to[e]
		if a < 0 || b < 0 || a == b {
			continue
		}
		if layers[a] > layers[b] {
			a, b = b, a
		}
		if layers[a] == layers[b] {
			continue
		}
		for k := layers[a] + 1; k < layers[b]; k++ {
			order[k] = append(order[k], next)
			link(a, next)
			a, next = next, next+1
		}
		link(a, b)
	}
	for len(up) < next {
		up, down = append(up, nil), append(down, nil)
	}
	pos := make([]float64, next)
	index := func() {
		for _, vs := range order {
			for j, v := range vs {
				pos[v] = float64(j)
			}
		}
	}
	crossings := func() int {
		index()
		c := 0
		for _, vs := range order {
			for i, a := range vs {
				for _, b := range vs[i+1:] {
					for _, x := range down[a] {
						for _, y := range down[b] {
							if pos[x] > pos[y] {
								c++
							}
						}
					}
				}
			}
		}
		return c
	}
	best, bestCount := cloneOrder(order), crossings()
	for iter := 0; iter < 8 && bestCount > 0; iter++ {
		sweep := func(k int, nb [][]int) {
			bary := func(v int) float64 {
				if len(nb[v]) == 0 {
					return pos[v]
				}
				s := 0.0
				for _, u := range nb[v] {
					s += pos[u]
				}
				return s / float64(len(nb[v]))
			}
			vs := order[k]
			sortStable(len(vs), func(i, j int) bool { return bary(vs[i]) < bary(vs[j]) }, func(i, j int) { vs[i], vs[j] = vs[j], vs[i] })
			for j, v := range order[k] {
				pos[v] = float64(j)
			}
		}
		index()
		if iter%2 == 0 {
			for k := 1; k < count; k++ {
				sweep(k, up)
			}
		} else {
			for k := count - 2; k >= 0; k-- {
				sweep(k, down)
			}
		}
		if c := crossings(); c < bestCount {
			best, bestCount = cloneOrder(order), c
		}
	}
	return best, up, down
}

func cloneOrder(o [][]int) [][]int {
	c := make([][]int, len(o))
	for i := range o {
		c[i] = append([]int(nil), o[i]...)
	}
	return c
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
	newNodeGap = nodeW + 38
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
