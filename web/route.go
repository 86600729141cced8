package web

import (
	"math"
	"slices"

	"github.com/sync-vs-async/playground/core"
)

// route is the path an edge is drawn along: a polyline of horizontal and
// vertical runs, drawn with rounded corners, from the source's box to the
// target's.
type route []Point

// length is the route's length.
func (r route) length() float64 {
	s := 0.0
	for i := 1; i < len(r); i++ {
		s += dist(r[i-1], r[i])
	}
	return s
}

func dist(a, b Point) float64 { return math.Hypot(b.X-a.X, b.Y-a.Y) }

// at returns the point a fraction t of the way along the route, from 0
// (the start) to 1 (the end), by length: a message moving at a steady t
// moves at a steady speed.
func (r route) at(t float64) Point {
	p, _ := r.walk(t)
	return p
}

// beside returns the point t of the way along, moved d to the right of the
// direction of travel: where an answer coming back along the edge goes.
func (r route) beside(t, d float64) Point {
	p, dir := r.walk(t)
	return Point{p.X - dir.Y*d, p.Y + dir.X*d}
}

// walk returns the point t of the way along and the unit direction there.
func (r route) walk(t float64) (Point, Point) {
	if len(r) == 0 {
		return Point{}, Point{1, 0}
	}
	left := min(max(t, 0), 1) * r.length()
	for i := 1; i < len(r); i++ {
		d := dist(r[i-1], r[i])
		if d == 0 {
			continue
		}
		u := Point{(r[i].X - r[i-1].X) / d, (r[i].Y - r[i-1].Y) / d}
		if left <= d || i == len(r)-1 {
			f := min(left, d)
			return Point{r[i-1].X + u.X*f, r[i-1].Y + u.Y*f}, u
		}
		left -= d
	}
	return r[0], Point{1, 0}
}

// path is the route as SVG path data, each corner rounded.
func (r route) path() string {
	if len(r) == 0 {
		return ""
	}
	s := "M" + num(r[0].X) + "," + num(r[0].Y)
	for i := 1; i < len(r)-1; i++ {
		a, c, b := r[i-1], r[i], r[i+1]
		rad := min(8, dist(a, c)/2, dist(c, b)/2)
		p := toward(c, a, rad)
		q := toward(c, b, rad)
		s += " L" + num(p.X) + "," + num(p.Y) + " Q" + num(c.X) + "," + num(c.Y) + " " + num(q.X) + "," + num(q.Y)
	}
	e := r[len(r)-1]
	return s + " L" + num(e.X) + "," + num(e.Y)
}

// toward returns the point d from a on the way to b.
func toward(a, b Point, d float64) Point {
	l := dist(a, b)
	if l == 0 {
		return a
	}
	return Point{a.X + (b.X-a.X)*d/l, a.Y + (b.Y-a.Y)*d/l}
}

// rect is an axis-aligned box.
type rect struct{ x0, y0, x1, y1 float64 }

func (b rect) inside(p Point) bool { return p.X > b.x0 && p.X < b.x1 && p.Y > b.y0 && p.Y < b.y1 }

func (b rect) overlaps(o rect) bool {
	return b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1
}

func (b rect) grow(d float64) rect { return rect{b.x0 - d, b.y0 - d, b.x1 + d, b.y1 + d} }

// boxAt is the box of a node at p, h high: p is the centre of its top nodeH.
func boxAt(p Point, h float64) rect {
	return rect{p.X - nodeW/2, p.Y - nodeH/2, p.X + nodeW/2, p.Y - nodeH/2 + h}
}

// The sides of a box, each with the direction leaving it.
var sideDir = [4]Point{{1, 0}, {0, 1}, {-1, 0}, {0, -1}} // right, bottom, left, top

// edgeSides picks the sides an edge leaves a and enters b by: the pair
// facing each other across the gap between the boxes, left and right if
// the gap there is as wide as one between layers.
func edgeSides(a, b Point) (int, int) {
	gx, gy := math.Abs(b.X-a.X)-nodeW, math.Abs(b.Y-a.Y)-nodeH
	switch {
	case gx >= colGap-8 || gx >= 2*clearance && gy < 2*clearance:
		if b.X > a.X {
			return 0, 2
		}
		return 2, 0
	case gy >= 2*clearance:
		if b.Y > a.Y {
			return 1, 3
		}
		return 3, 1
	}
	return 1, 1 // boxes too close to face: under both
}

// routeEdges routes every edge of sc around the boxes of l, and places
// each edge's label where it covers no box and no other label.
func routeEdges(sc *core.Scenario, l *layout, from, to []int) {
	boxes := make([]rect, len(l.points))
	for i, p := range l.points {
		boxes[i] = boxAt(p, l.heights[i])
	}
	// The ports: each edge's ends, spread along the side they use, in the
	// order of what is at their other end, so that they do not cross there.
	type end struct {
		edge, which int // which: 0 the source's end, 1 the target's
		other       Point
	}
	ends := make([][]end, 4*len(l.points)) // by node and side
	sides := make([][2]int, len(sc.Edges))
	for e := range sc.Edges {
		a, b := from[e], to[e]
		if a < 0 || b < 0 || a == b {
			continue
		}
		sa, sb := edgeSides(l.points[a], l.points[b])
		sides[e] = [2]int{sa, sb}
		ends[4*a+sa] = append(ends[4*a+sa], end{e, 0, l.points[b]})
		ends[4*b+sb] = append(ends[4*b+sb], end{e, 1, l.points[a]})
	}
	ports := make([][2]Point, len(sc.Edges))
	for key, list := range ends {
		side := key % 4
		coord := func(x end) float64 {
			if side%2 == 1 {
				return x.other.X
			}
			return x.other.Y
		}
		sortStable(len(list), func(i, j int) bool { return coord(list[i]) < coord(list[j]) }, func(i, j int) {
			list[i], list[j] = list[j], list[i]
		})
		c, d := l.points[key/4], sideDir[side]
		span := nodeH
		if side%2 == 1 {
			span = nodeW
		}
		step := min(16, span*0.8/float64(len(list)))
		for k, en := range list {
			off := (float64(k) - float64(len(list)-1)/2) * step
			y := c.Y + d.X*off // the sides: about the name's line
			switch side {
			case 1:
				y = boxes[key/4].y1 // the bottom of a taller box
			case 3:
				y = boxes[key/4].y0
			}
			ports[en.edge][en.which] = Point{round1(c.X + d.X*nodeW/2 - d.Y*off), round1(y)}
		}
	}

	g := newGrid(boxes, sc.Edges, ports, sides)
	l.routes = make([]route, len(sc.Edges))
	for e := range sc.Edges {
		switch {
		case from[e] < 0 || to[e] < 0 || from[e] == to[e]:
		case g == nil:
			l.routes[e] = route{ports[e][0], ports[e][1]} // too many to route: straight across
		default:
			l.routes[e] = g.route(ports[e], sides[e])
		}
	}
	if g != nil {
		l.routeSteps = maxRouteSteps - max(g.budget, 0)
	}

	// Labels: the first spot along the route, on its longest runs first,
	// that covers no node and no label placed before.
	l.labels = make([]Point, len(sc.Edges))
	var placed []rect
	for e, r := range l.routes {
		if len(r) < 2 {
			continue
		}
		w, h := labelSize(string(sc.Edges[e].Mode))
		runs := make([]int, 0, len(r)-1)
		for i := 1; i < len(r); i++ {
			runs = append(runs, i)
		}
		sortStable(len(runs), func(i, j int) bool {
			return dist(r[runs[i]-1], r[runs[i]]) > dist(r[runs[j]-1], r[runs[j]])
		}, func(i, j int) { runs[i], runs[j] = runs[j], runs[i] })
		best, found := r.at(0.5), false
		for _, i := range runs {
			for _, f := range []float64{0.5, 0.3, 0.7, 0.15, 0.85} {
				p := Point{r[i-1].X + (r[i].X-r[i-1].X)*f, r[i-1].Y + (r[i].Y-r[i-1].Y)*f}
				box := rect{p.X - w/2, p.Y - h/2, p.X + w/2, p.Y + h/2}
				ok := true
				for _, b := range boxes {
					ok = ok && !box.overlaps(b.grow(2))
				}
				for _, b := range placed {
					ok = ok && !box.overlaps(b)
				}
				if ok {
					best, found = p, true
					break
				}
			}
			if found {
				break
			}
		}
		l.labels[e] = best
		placed = append(placed, rect{best.X - w/2, best.Y - h/2, best.X + w/2, best.Y + h/2})
	}
}

// labelSize is the box an edge's label takes, its text at 11px.
func labelSize(text string) (float64, float64) { return 6.5*float64(len(text)) + 8, 15 }

// grid is the graph the router searches: the crossings of the lines just
// outside every box's sides (and through every port), joined where the
// way between them is clear of every box.
type grid struct {
	xs, ys  []float64
	blocked []bool     // by point
	closed  [2][]bool  // by point: is the run to the next point right, down blocked?
	used    [2][]uint8 // by point: how many edges take the run right, down

	// The search's state, by point and heading, kept from one route to
	// the next: touched lists the entries a search set, which the next
	// one resets (a fresh array per route was most of a large drawing).
	cost    []float64
	prev    []int32
	touched []int32
	budget  int // steps of search left for the drawing (maxRouteSteps)
}

// maxGridPoints bounds the router's grid: its points grow with the
// square of the nodes and edges (a 200-node, 1,000-edge scenario made
// 5.8 million, and drawing it froze the page for 8 s). A drawing over it
// has its edges straight, which at that size is what a reader can follow
// anyway. The examples' grids have a few thousand points.
const maxGridPoints = 200_000

// maxRouteSteps bounds the searching a drawing does, in steps (states
// taken off the heap) over all its edges: an edge routed once it has run
// out is drawn straight. The largest example takes 45 (223 before the
// search was A*); the 200-node, 1,000-edge scenario took 6.5 million with
// no bound (1.2 s natively, several in the browser). Within this bound it
// routes 404 of its edges, where Dijkstra's search routed 156 in 100,000
// steps.
const maxRouteSteps = 30_000

func newGrid(boxes []rect, edges []core.Edge, ports [][2]Point, sides [][2]int) *grid {
	var xs, ys []float64
	for _, b := range boxes {
		b = b.grow(clearance)
		xs = append(xs, b.x0, b.x1)
		ys = append(ys, b.y0, b.y1)
	}
	for e := range edges {
		for k := range 2 {
			s := stub(ports[e][k], sides[e][k])
			xs, ys = append(xs, s.X), append(ys, s.Y)
		}
	}
	g := &grid{xs: sortedUnique(xs), ys: sortedUnique(ys), budget: maxRouteSteps}
	n := len(g.xs) * len(g.ys)
	if n > maxGridPoints {
		return nil
	}
	g.blocked, g.closed = make([]bool, n), [2][]bool{make([]bool, n), make([]bool, n)}
	g.used = [2][]uint8{make([]uint8, n), make([]uint8, n)}
	// Each box marks the points (and the midpoints of the runs right and
	// down) too close to it, found by binary search on the sorted lines,
	// rather than every point asking every box (56 million questions for
	// 200 nodes, a second in the browser). The tests hold the marks to
	// that point-by-point question (hitsBox).
	nx, ny := len(g.xs), len(g.ys)
	x := func(i int) float64 { return g.xs[i] }
	y := func(j int) float64 { return g.ys[j] }
	midX := func(i int) float64 { return (g.xs[i] + g.xs[i+1]) / 2 }
	midY := func(j int) float64 { return (g.ys[j] + g.ys[j+1]) / 2 }
	mark := func(marks []bool, b rect, fx func(int) float64, nfx int, fy func(int) float64, nfy int) {
		i0, i1 := between(b.x0, b.x1, fx, nfx)
		j0, j1 := between(b.y0, b.y1, fy, nfy)
		for i := i0; i < i1; i++ {
			for j := j0; j < j1; j++ {
				marks[i*ny+j] = true
			}
		}
	}
	for _, b := range boxes {
		b = b.grow(clearance - 0.5) // strictly inside: a run along the clearance line is clear
		mark(g.blocked, b, x, nx, y, ny)
		mark(g.closed[0], b, midX, nx-1, y, ny)
		mark(g.closed[1], b, x, nx, midY, ny-1)
	}
	return g
}

// between returns the range [a, b) of the k < n for which lo < f(k) < hi,
// f rising with k.
func between(lo, hi float64, f func(int) float64, n int) (int, int) {
	first := func(ok func(float64) bool) int { // the first k with ok(f(k))
		a, b := 0, n
		for a < b {
			m := (a + b) / 2
			if ok(f(m)) {
				b = m
			} else {
				a = m + 1
			}
		}
		return a
	}
	return first(func(v float64) bool { return v > lo }), first(func(v float64) bool { return v >= hi })
}

func sortedUnique(v []float64) []float64 {
	// Sorted as whole tenths (each line is at a tenth of a pixel, round1):
	// slices.Sort on int64s is already in every program for durations,
	// where sorting float64s (sort.Float64s is slices.Sort too) added its
	// own copy of the sort, about 12 KB of WebAssembly.
	tenths := make([]int64, len(v))
	for i := range v {
		tenths[i] = int64(math.Round(v[i] * 10))
	}
	slices.Sort(tenths) // thousands of lines for 200 nodes: not by insertion
	out := v[:0]
	for i, k := range tenths {
		if i == 0 || k != tenths[i-1] {
			out = append(out, float64(k)/10)
		}
	}
	return out
}

// stub is where an edge leaving (or entering) by a side at port p meets
// the grid: just clear of its box.
func stub(p Point, side int) Point {
	d := sideDir[side]
	return Point{round1(p.X + d.X*clearance), round1(p.Y + d.Y*clearance)}
}

// route finds the cheapest way from one port to the other over the grid:
// length, plus a cost for each bend and for each run another edge already
// takes. It is A* over point and heading, guided by the Manhattan distance
// to the goal (and a bend where one is still needed): no way there costs
// less, and a step never costs less than it brings the goal nearer, so
// the search stops as soon as nothing left to search could be cheaper,
// with a way exactly as cheap as Dijkstra's algorithm finds. Dijkstra's
// search, used before, went every way as cheap in all directions: the
// examples took 2,130 steps in all (now 669), and the dense scenario
// routed 156 of its 1,000 edges within its budget.
func (g *grid) route(ports [2]Point, sides [2]int) route {
	start, goal, enter := g.ends(ports, sides)
	ny := len(g.ys)
	if g.cost == nil {
		g.cost, g.prev = make([]float64, len(g.blocked)*4), make([]int32, len(g.blocked)*4)
		for i := range g.cost {
			g.cost[i] = inf
		}
	}
	for _, s := range g.touched {
		g.cost[s] = inf
	}
	cost, prev := g.cost, g.prev
	gx, gy := g.xs[goal/ny], g.ys[goal%ny]
	// togo is the heuristic, a cost no way from point (i, j) heading dir
	// to the goal can beat: the length of the straightest way there, and
	// a bend unless the goal lies straight ahead and is entered that way.
	togo := func(i, j, dir int) float64 {
		x, y := g.xs[i], g.ys[j]
		c := math.Abs(gx-x) + math.Abs(gy-y)
		ahead := false
		switch dir {
		case 0:
			ahead = y == gy && gx >= x
		case 1:
			ahead = x == gx && gy >= y
		case 2:
			ahead = y == gy && gx <= x
		case 3:
			ahead = x == gx && gy <= y
		}
		if !ahead || dir != enter {
			c += bendCost
		}
		return c
	}
	s0 := start*4 + sides[0]
	cost[s0], prev[s0] = 0, -1
	g.touched = append(g.touched[:0], int32(s0))
	h := heap{{togo(start/ny, start%ny, sides[0]), 0, int32(s0)}}
	bestCost, best := inf, -1
	for len(h) > 0 {
		if g.budget--; g.budget < 0 {
			return route{ports[0], ports[1]} // out of search: straight across
		}
		it := h.pop()
		s := int(it.s)
		if it.cost > cost[s] {
			continue
		}
		if it.key >= bestCost {
			break // no way through what is left is cheaper
		}
		p, dir := s/4, s%4
		if p == goal {
			c := it.cost
			if dir != enter {
				c += bendCost
			}
			if c < bestCost {
				bestCost, best = c, s
			}
			continue
		}
		for nd := range 4 {
			q, step, ok := g.move(p, dir, nd, goal)
			if !ok {
				continue
			}
			if c, ns := it.cost+step, q*4+nd; c < cost[ns] {
				if cost[ns] == inf {
					g.touched = append(g.touched, int32(ns))
				}
				cost[ns], prev[ns] = c, int32(s)
				h.push(hitem{c + togo(q/ny, q%ny, nd), c, int32(ns)})
			}
		}
	}
	if routeFound != nil {
		routeFound(g, ports, sides, bestCost)
	}
	if best < 0 {
		return route{ports[0], ports[1]} // no way round: straight across
	}
	pts := []Point{ports[1]}
	for s := best; s >= 0; s = int(prev[s]) {
		p := s / 4
		pts = append(pts, Point{g.xs[p/ny], g.ys[p%ny]})
		if prev[s] >= 0 {
			q := int(prev[s]) / 4
			g.used[s%2][min(p, q)]++
		}
	}
	pts = append(pts, ports[0])
	for i, j := 0, len(pts)-1; i < j; i, j = i+1, j-1 {
		pts[i], pts[j] = pts[j], pts[i]
	}
	// Keep the corners only.
	r := route{pts[0]}
	for i := 1; i < len(pts); i++ {
		p := pts[i]
		if p == r[len(r)-1] {
			continue
		}
		if n := len(r); n >= 2 && collinear(r[n-2], r[n-1], p) {
			r[n-1] = p
			continue
		}
		r = append(r, p)
	}
	return r
}

// ends returns where a search for the way between ports starts and ends
// on the grid (just clear of each box), and enter, the heading that goes
// into the target.
func (g *grid) ends(ports [2]Point, sides [2]int) (start, goal, enter int) {
	index := func(p Point) int { return search(g.xs, p.X)*len(g.ys) + search(g.ys, p.Y) }
	return index(stub(ports[0], sides[0])), index(stub(ports[1], sides[1])), (sides[1] + 2) % 4
}

// move is one step of a search from point p, heading dir, to the next
// point q heading nd: what it costs (its length, a bend if it turns, and
// for each edge already taking that run), or false if the way is shut: a
// turn back, the grid's edge, a box (the goal's own aside), or a run
// through a box.
func (g *grid) move(p, dir, nd, goal int) (q int, cost float64, ok bool) {
	if nd == (dir+2)%4 {
		return 0, 0, false // no turning back
	}
	ny := len(g.ys)
	i, j := p/ny, p%ny
	ni, nj := i+int(sideDir[nd].X), j+int(sideDir[nd].Y)
	if ni < 0 || nj < 0 || ni >= len(g.xs) || nj >= ny {
		return 0, 0, false
	}
	q = ni*ny + nj
	if g.blocked[q] && q != goal || g.closed[nd%2][min(p, q)] {
		return 0, 0, false
	}
	cost = math.Abs(g.xs[ni]-g.xs[i]) + math.Abs(g.ys[nj]-g.ys[j])
	if nd != dir {
		cost += bendCost
	}
	return q, cost + 20*float64(g.used[nd%2][min(p, q)]), true
}

func collinear(a, b, c Point) bool {
	return (a.X == b.X && b.X == c.X) || (a.Y == b.Y && b.Y == c.Y)
}

// sortStable sorts n things by less, by insertion: the lists are short,
// and the slices package's generic sorts would cost the WASM programs
// about 10 KB each.
func sortStable(n int, less func(i, j int) bool, swap func(i, j int)) {
	for i := 1; i < n; i++ {
		for j := i; j > 0 && less(j, j-1); j-- {
			swap(j, j-1)
		}
	}
}

// search finds x in the sorted v.
func search(v []float64, x float64) int {
	lo, hi := 0, len(v)
	for lo < hi {
		m := (lo + hi) / 2
		if v[m] < x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// routeFound, if set (by a test), is told the cost of each way route finds
// (inf for none) before the grid counts the edge on its runs.
var routeFound func(g *grid, ports [2]Point, sides [2]int, cost float64)

// inf is the cost of a state not reached yet.
var inf = math.Inf(1)

// hitem is a search state in the heap: its cost so far, and the key it is
// ordered by, that cost plus the heuristic's.
type hitem struct {
	key, cost float64
	s         int32
}

// before orders the heap: by key, and of equal keys the one further on
// first, so that of ways as cheap the search follows one to the end
// rather than all of them a step at a time.
func (a hitem) before(b hitem) bool { return a.key < b.key || a.key == b.key && a.cost > b.cost }

// heap is a binary min-heap of search states, in the order of before.
type heap []hitem

func (h *heap) push(it hitem) {
	*h = append(*h, it)
	a := *h
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if !a[i].before(a[p]) {
			break
		}
		a[p], a[i] = a[i], a[p]
		i = p
	}
}

func (h *heap) pop() hitem {
	a := *h
	top := a[0]
	last := len(a) - 1
	a[0] = a[last]
	a = a[:last]
	for i := 0; ; {
		c := 2*i + 1
		if c >= len(a) {
			break
		}
		if c+1 < len(a) && a[c+1].before(a[c]) {
			c++
		}
		if !a[c].before(a[i]) {
			break
		}
		a[i], a[c] = a[c], a[i]
		i = c
	}
	*h = a
	return top
}
