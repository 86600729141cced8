package web

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/sync-vs-async/playground/core"
)

// crossesBox reports whether the segment ab passes through the inside of b
// (a segment along its border does not), by clipping the segment to b.
func crossesBox(a, c Point, b rect) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := c.X-a.X, c.Y-a.Y
	for _, e := range [][2]float64{{-dx, a.X - b.x0}, {dx, b.x1 - a.X}, {-dy, a.Y - b.y0}, {dy, b.y1 - a.Y}} {
		p, q := e[0], e[1]
		if p == 0 {
			if q <= 0 {
				return false // parallel to this side and on it or outside
			}
			continue
		}
		r := q / p
		if p < 0 {
			t0 = max(t0, r)
		} else {
			t1 = min(t1, r)
		}
	}
	return t1-t0 > 1e-9
}

// checkRoutes checks that every edge of sc is drawn, from a side of its
// source to a side of its target, in horizontal and vertical runs, and
// through no node's box, its own ends' included.
func checkRoutes(t *testing.T, name string, sc *core.Scenario, l layout) {
	t.Helper()
	for i, e := range sc.Edges {
		r, ok := edgeGeometry(sc, l, i)
		require.True(t, ok, "%s: edge %d is drawn", name, i)
		require.GreaterOrEqual(t, len(r), 2)
		f, to := sc.NodeIndex(e.From), sc.NodeIndex(e.To)
		onSide := func(p Point, n int) bool {
			b := boxAt(l.points[n], l.heights[n])
			near := func(a, b float64) bool { return a-b < 0.01 && b-a < 0.01 }
			return (near(p.X, b.x0) || near(p.X, b.x1)) && p.Y >= b.y0 && p.Y <= b.y1 ||
				(near(p.Y, b.y0) || near(p.Y, b.y1)) && p.X >= b.x0 && p.X <= b.x1
		}
		assert.True(t, onSide(r[0], f), "%s: %s → %s starts on a side of %s: %v", name, e.From, e.To, e.From, r)
		assert.True(t, onSide(r[len(r)-1], to), "%s: %s → %s ends on a side of %s: %v", name, e.From, e.To, e.To, r)
		for k := 1; k < len(r); k++ {
			a, c := r[k-1], r[k]
			assert.True(t, a.X == c.X || a.Y == c.Y, "%s: %s → %s: run %d is not horizontal or vertical: %v", name, e.From, e.To, k, r)
			for n := range sc.Nodes {
				assert.False(t, crossesBox(a, c, boxAt(l.points[n], l.heights[n])), "%s: %s → %s crosses %s: %v", name, e.From, e.To, sc.Nodes[n].ID, r)
			}
		}
	}
}

// checkLabels checks that no edge label covers a node or another label.
func checkLabels(t *testing.T, name string, sc *core.Scenario, l layout) {
	t.Helper()
	var placed []rect
	for i, e := range sc.Edges {
		w, h := labelSize(string(e.Mode))
		p := l.labels[i]
		b := rect{p.X - w/2, p.Y - h/2, p.X + w/2, p.Y + h/2}
		for n := range sc.Nodes {
			assert.False(t, b.overlaps(boxAt(l.points[n], l.heights[n])), "%s: the label of %s → %s covers %s", name, e.From, e.To, sc.Nodes[n].ID)
		}
		for j, o := range placed {
			assert.False(t, b.overlaps(o), "%s: the labels of edges %d and %d overlap", name, j, i)
		}
		placed = append(placed, b)
	}
}

func TestRoutesGoAroundNodes(t *testing.T) {
	t.Run("every template, laid out automatically, both ways", func(t *testing.T) {
		for _, ex := range core.Examples() {
			for _, vertical := range []bool{false, true} {
				name := fmt.Sprintf("%s (vertical %v)", ex.ID, vertical)
				l := computeLayout(ex.Scenario, vertical)
				checkRoutes(t, name, ex.Scenario, l)
				checkLabels(t, name, ex.Scenario, l)
			}
		}
	})

	t.Run("a queue added in the builder, right of the chain, fed by the gateway", func(t *testing.T) {
		// The case: the new node goes right of the rightmost, in
		// line with the chain, and the edge used to be drawn through it.
		sc, err := core.ExampleByID("rest-chain")
		require.NoError(t, err)
		PinLayout(sc)
		q := sc.AddNode(core.Queue, NewNodePos(sc))
		require.NoError(t, sc.Connect("gateway", q, core.Async))
		l := computeLayout(sc, false)
		checkRoutes(t, "rest-chain + queue", sc, l)
		checkLabels(t, "rest-chain + queue", sc, l)
	})

	t.Run("nodes placed anywhere, apart", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		for trial := range 200 {
			sc := &core.Scenario{}
			var boxes []rect
			for len(sc.Nodes) < 3+rng.IntN(7) {
				p := Point{float64(80 + rng.IntN(900)), float64(50 + rng.IntN(500))}
				ok := true
				for _, b := range boxes {
					ok = ok && !boxAt(p, nodeH).grow(2*clearance).overlaps(b)
				}
				if ok {
					boxes = append(boxes, boxAt(p, nodeH))
					sc.Nodes = append(sc.Nodes, core.Node{ID: fmt.Sprint("n", len(sc.Nodes)), Kind: core.Service,
						Pos: &core.Pos{X: int(p.X), Y: int(p.Y)}})
				}
			}
			for range len(sc.Nodes) + rng.IntN(4) {
				a, b := rng.IntN(len(sc.Nodes)), rng.IntN(len(sc.Nodes))
				if a != b {
					sc.Edges = append(sc.Edges, core.Edge{From: sc.Nodes[a].ID, To: sc.Nodes[b].ID, Mode: core.Sync})
				}
			}
			checkRoutes(t, fmt.Sprint("trial ", trial), sc, computeLayout(sc, false))
		}
	})
}

func TestRoute(t *testing.T) {
	r := route{{0, 0}, {10, 0}, {10, 30}}
	assert.Equal(t, 40.0, r.length())
	assert.Equal(t, Point{0, 0}, r.at(0))
	assert.Equal(t, Point{10, 10}, r.at(0.5), "half way by length, not by corner")
	assert.Equal(t, Point{10, 30}, r.at(1))
	assert.Equal(t, Point{5, 4}, r.beside(0.125, 4), "right of the way it goes: below a run to the right")
	assert.Equal(t, "M0,0 L5,0 Q10,0 10,5 L10,30", r.path(), "a corner rounded, by at most half the shorter run")

	box := rect{50, 0, 100, 100}
	assert.True(t, crossesBox(Point{0, 50}, Point{200, 50}, box), "straight through")
	assert.True(t, crossesBox(Point{75, -10}, Point{75, 20}, box), "into it")
	assert.False(t, crossesBox(Point{0, 0}, Point{200, 0}, box), "along its border")
	assert.False(t, crossesBox(Point{0, 120}, Point{200, 120}, box), "below it")
}

// crossingsOf counts the crossings between consecutive layers of a layered
// graph ordered as order says (adjacency down, as orderLayers builds it).
func crossingsOf(order, down [][]int) int {
	pos := map[int]int{}
	for _, vs := range order {
		for j, v := range vs {
			pos[v] = j
		}
	}
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

func TestOrderLayers(t *testing.T) {
	t.Run("never more crossings than the scenario's own order, on every template", func(t *testing.T) {
		for _, ex := range core.Examples() {
			sc := ex.Scenario
			l := computeLayout(sc, false)
			from, to := make([]int, len(sc.Edges)), make([]int, len(sc.Edges))
			for i, e := range sc.Edges {
				from[i], to[i] = sc.NodeIndex(e.From), sc.NodeIndex(e.To)
			}
			order, _, down := orderLayers(l.layers, from, to)
			// The order before the sweeps: the scenario's, lanes after.
			var initial [][]int
			for _, vs := range order {
				initial = append(initial, append([]int(nil), vs...))
			}
			for _, vs := range initial {
				sortInts(vs)
			}
			assert.LessOrEqual(t, crossingsOf(order, down), crossingsOf(initial, down), ex.ID)
		}
	})

	t.Run("untangles a crossing the scenario's order makes", func(t *testing.T) {
		// c calls a and b; a calls y, b calls x; listed x before y.
		layers := []int{0, 1, 1, 2, 2} // c, a, b, x, y
		from := []int{0, 0, 1, 2}
		to := []int{1, 2, 4, 3}
		order, _, down := orderLayers(layers, from, to)
		assert.Equal(t, 1, crossingsOf([][]int{{0}, {1, 2}, {3, 4}}, down), "as listed, a → y crosses b → x")
		assert.Zero(t, crossingsOf(order, down), "ordered: %v", order)
	})

	t.Run("gives an edge over several layers a lane in each", func(t *testing.T) {
		layers := []int{0, 1, 2, 3} // a → b → c → d, and a → d
		order, up, _ := orderLayers(layers, []int{0, 1, 2, 0}, []int{1, 2, 3, 3})
		assert.Len(t, order[1], 2)
		assert.Len(t, order[2], 2)
		assert.Len(t, up, 6, "four nodes and two lanes")
	})
}

func sortInts(v []int) {
	for i := range v {
		for j := i + 1; j < len(v); j++ {
			if v[j] < v[i] {
				v[i], v[j] = v[j], v[i]
			}
		}
	}
}

// TestLayoutReport logs, for every template, the edges drawn through a
// node and the pairs of edges that cross, in the drawn picture (run with -v
// to read them); it checks nothing.
func TestLayoutReport(t *testing.T) {
	totalT, totalC := 0, 0
	for _, ex := range core.Examples() {
		sc := ex.Scenario
		l := layoutScenario(sc)
		paths := make([][]Point, len(sc.Edges))
		for i := range sc.Edges {
			geo, _ := edgeGeometry(sc, l, i)
			for k := 0; k <= 400; k++ {
				paths[i] = append(paths[i], geo.at(float64(k)/400))
			}
		}
		through, crossings := 0, 0
		for i, e := range sc.Edges {
			for n := range sc.Nodes {
				if n != sc.NodeIndex(e.From) && n != sc.NodeIndex(e.To) {
					for k := 1; k < len(paths[i]); k++ {
						if crossesBox(paths[i][k-1], paths[i][k], boxAt(l.points[n], l.heights[n]).grow(-1)) {
							through++
							break
						}
					}
				}
			}
			for j := i + 1; j < len(sc.Edges); j++ {
				if pathsCross(paths[i], paths[j]) {
					crossings++
				}
			}
		}
		totalT += through
		totalC += crossings
		t.Logf("%-20s through nodes %d, crossing pairs %d, %4.0f × %4.0f", ex.ID, through, crossings, l.width, l.height)
	}
	t.Logf("total: through nodes %d, crossing pairs %d", totalT, totalC)
}

func pathsCross(a, b []Point) bool {
	cross := func(o, p, q Point) float64 { return (p.X-o.X)*(q.Y-o.Y) - (p.Y-o.Y)*(q.X-o.X) }
	for i := 1; i < len(a); i++ {
		for j := 1; j < len(b); j++ {
			d1, d2 := cross(b[j-1], b[j], a[i-1]), cross(b[j-1], b[j], a[i])
			d3, d4 := cross(a[i-1], a[i], b[j-1]), cross(a[i-1], a[i], b[j])
			if d1*d2 < 0 && d3*d4 < 0 {
				return true
			}
		}
	}
	return false
}

// TestRoutingIsBudgeted: every example's drawing is routed well within
// the router's budget (so none of its edges is drawn straight for want of
// search), and the heavy 200-node, 1,000-edge scenario stops searching at
// the budget, its other edges straight across, instead of searching 6.5
// million steps (8 s of frozen page in the browser).
func TestRoutingIsBudgeted(t *testing.T) {
	for _, ex := range core.Examples() {
		for _, vertical := range []bool{false, true} {
			l := computeLayout(ex.Scenario, vertical)
			assert.Less(t, l.routeSteps, maxRouteSteps/10, "%s (vertical %v): routing steps", ex.ID, vertical)
		}
	}
	data, err := os.ReadFile("../core/testdata/heavy-dense.json")
	require.NoError(t, err)
	sc, err := core.ParseScenario(data)
	require.NoError(t, err)
	l := computeLayout(sc, false)
	assert.Equal(t, maxRouteSteps, l.routeSteps, "the dense scenario uses the whole budget")
	straight := 0
	for _, r := range l.routes {
		if len(r) == 2 {
			straight++
		}
	}
	assert.Greater(t, straight, len(sc.Edges)/2, "most of the dense scenario's edges are drawn straight")
	t.Logf("dense: %d of %d edges straight", straight, len(sc.Edges))
}

// hitsBox reports whether p is closer to a box than the clearance allows,
// asking every box: what newGrid's marks must say of each point.
func hitsBox(boxes []rect, p Point) bool {
	for _, b := range boxes {
		if b.grow(clearance - 0.5).inside(p) {
			return true
		}
	}
	return false
}

// TestGridMarksAgreeWithHitsBox: newGrid marks the points, and the
// midpoints of the runs, that hitsBox says are too close to a box, on
// random boxes (overlapping, touching, sharing lines) and on every
// example's layout.
func TestGridMarksAgreeWithHitsBox(t *testing.T) {
	check := func(name string, boxes []rect) {
		t.Helper()
		g := newGrid(boxes, nil, nil, nil)
		require.NotNil(t, g, name)
		ny := len(g.ys)
		for i, x := range g.xs {
			for j, y := range g.ys {
				p := i*ny + j
				require.Equal(t, hitsBox(boxes, Point{x, y}), g.blocked[p], "%s: point %d,%d", name, i, j)
				if i+1 < len(g.xs) {
					require.Equal(t, hitsBox(boxes, Point{(x + g.xs[i+1]) / 2, y}), g.closed[0][p], "%s: run right of %d,%d", name, i, j)
				}
				if j+1 < ny {
					require.Equal(t, hitsBox(boxes, Point{x, (y + g.ys[j+1]) / 2}), g.closed[1][p], "%s: run down from %d,%d", name, i, j)
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(7, 8))
	for k := range 200 {
		boxes := make([]rect, 1+r.IntN(12))
		for i := range boxes {
			// On a coarse lattice, so that lines and edges coincide often.
			// Half-unit offsets put one box's lines on another's edge (the
			// lines are clearance out, hitsBox's edge clearance-0.5).
			x, y := float64(r.IntN(12))*nodeW/2+float64(r.IntN(3))/2, float64(r.IntN(12))*nodeH/2+float64(r.IntN(3))/2
			boxes[i] = rect{x, y, x + nodeW/float64(1+r.IntN(2)), y + nodeH*float64(1+r.IntN(3))/2}
		}
		check(fmt.Sprintf("random %d", k), boxes)
	}
	for _, ex := range core.Examples() {
		l := computeLayout(ex.Scenario, false)
		boxes := make([]rect, len(l.points))
		for i, p := range l.points {
			boxes[i] = boxAt(p, l.heights[i])
		}
		check(ex.ID, boxes)
	}
}

// TestPrepareLayoutIsTheDrawingsLayout lays out each example ahead of
// drawing it, in both orientations, one after another, as the page does
// in a turn of its own: the drawing then finds the layout it would have
// made. ordering-queue follows ordering-partitions, with the same names
// and wiring: the kept layout was once that of the partitioned topic
// (taller) for the queue too.
func TestPrepareLayoutIsTheDrawingsLayout(t *testing.T) {
	for _, ex := range core.Examples() {
		for _, vertical := range []bool{false, true} {
			PrepareLayout(ex.Scenario, vertical)
			o := 0
			if vertical {
				o = 1
			}
			layoutCache.Lock()
			prepared := layoutCache.l[o]
			layoutCache.Unlock()
			require.NotNil(t, prepared.points, "%s: a layout was made", ex.ID)
			assert.Equal(t, computeLayout(ex.Scenario, vertical), prepared, "%s (vertical %v)", ex.ID, vertical)
			assert.Equal(t, prepared, layoutFor(ex.Scenario, vertical), "%s (vertical %v): the drawing's layout", ex.ID, vertical)
		}
	}
}

// dijkstraCost is what the router searched with before A*: Dijkstra's
// algorithm over point and heading (the same ends and moves, grid.ends
// and grid.move), with no heuristic and no budget. It returns the cost of
// the cheapest way (inf for none) on g as it stands.
func dijkstraCost(g *grid, ports [2]Point, sides [2]int) float64 {
	start, goal, enter := g.ends(ports, sides)
	cost := map[int]float64{}
	s0 := start*4 + sides[0]
	cost[s0] = 0
	h := heap{{0, 0, int32(s0)}}
	best := inf
	for len(h) > 0 {
		it := h.pop()
		s := int(it.s)
		if it.cost > cost[s] {
			continue
		}
		if it.cost >= best {
			break
		}
		p, dir := s/4, s%4
		if p == goal {
			c := it.cost
			if dir != enter {
				c += bendCost
			}
			best = min(best, c)
			continue
		}
		for nd := range 4 {
			q, step, ok := g.move(p, dir, nd, goal)
			if !ok {
				continue
			}
			ns := q*4 + nd
			if old, seen := cost[ns]; !seen || it.cost+step < old {
				cost[ns] = it.cost + step
				h.push(hitem{cost[ns], cost[ns], int32(ns)}) // keyed by cost alone
			}
		}
	}
	return best
}

// TestRoutesAreAsCheapAsDijkstras: the router's A* finds, for every edge
// it routes within its budget, a way exactly as cheap as Dijkstra's
// algorithm does on the same grid, on every example in both orientations,
// on random placements, and on the dense scenario (the edges routed
// before the budget ran out).
func TestRoutesAreAsCheapAsDijkstras(t *testing.T) {
	var name string
	checked := 0
	routeFound = func(g *grid, ports [2]Point, sides [2]int, cost float64) {
		checked++
		want := dijkstraCost(g, ports, sides)
		if math.IsInf(want, 1) {
			assert.True(t, math.IsInf(cost, 1), "%s: A* found a way where Dijkstra found none", name)
			return
		}
		assert.InDelta(t, want, cost, 1e-9, "%s: ports %v", name, ports)
	}
	defer func() { routeFound = nil }()
	for _, ex := range core.Examples() {
		for _, vertical := range []bool{false, true} {
			name = fmt.Sprintf("%s (vertical %v)", ex.ID, vertical)
			computeLayout(ex.Scenario, vertical)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 100 {
		name = fmt.Sprint("random placement ", trial)
		sc := &core.Scenario{}
		for i := range 4 + rng.IntN(6) {
			sc.Nodes = append(sc.Nodes, core.Node{ID: fmt.Sprint("n", i), Kind: core.Service,
				Pos: &core.Pos{X: 80 + rng.IntN(900), Y: 50 + rng.IntN(500)}})
		}
		for range len(sc.Nodes) + rng.IntN(6) {
			a, b := rng.IntN(len(sc.Nodes)), rng.IntN(len(sc.Nodes))
			if a != b {
				sc.Edges = append(sc.Edges, core.Edge{From: sc.Nodes[a].ID, To: sc.Nodes[b].ID, Mode: core.Sync})
			}
		}
		computeLayout(sc, false)
	}
	before := checked
	data, err := os.ReadFile("../core/testdata/heavy-dense.json")
	require.NoError(t, err)
	sc, err := core.ParseScenario(data)
	require.NoError(t, err)
	name = "dense"
	computeLayout(sc, false)
	assert.Greater(t, checked-before, 300, "the dense scenario's routes checked")
	t.Logf("%d routes checked, %d of them the dense scenario's", checked, checked-before)
}
