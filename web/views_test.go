package web

import (
	"encoding/xml"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"html"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/sync-vs-async/playground/core"
)

// count returns how many times re matches s.
func count(re, s string) int {
	return len(regexp.MustCompile(re).FindAllStringIndex(s, -1))
}

// wellFormedSVG fails t unless s is one well-formed XML element.
func wellFormedSVG(t *testing.T, s string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(s))
	dec.Strict = true
	depth, roots := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		switch tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 {
				require.Empty(t, strings.TrimSpace(string(tok.(xml.CharData))), "text outside the root element")
			}
		}
	}
	require.Equal(t, 1, roots, "want exactly one root element")
}

var (
	tagRE  = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>`)
	idRE   = regexp.MustCompile(`\sid="([^"]*)"`)
	voidEl = []string{"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)

// oneElement fails t unless the HTML s is a single element with the given
// tag and id: what the WASM program can swap in by outerHTML.
func oneElement(t *testing.T, s, tag, id string) {
	t.Helper()
	require.True(t, strings.HasPrefix(s, "<"+tag+` id="`+id+`"`), "want <%s id=%q …>, got %.60s", tag, id, s)
	depth := 0
	for i, m := range tagRE.FindAllStringSubmatchIndex(s, -1) {
		closing, name := s[m[2]:m[3]] == "/", s[m[4]:m[5]]
		switch {
		case closing:
			depth--
		case !slices.Contains(voidEl, name):
			depth++
		}
		if depth == 0 {
			require.Equal(t, len(s), m[1], "element %d closes the root before the end", i)
		}
	}
	require.Zero(t, depth)
}

func TestRegionsAreOneElementWithTheirID(t *testing.T) {
	for _, id := range []string{"message-queue", "dlq-poison", "checkout-hybrid"} {
		tl := run(t, id)
		sc := tl.Scenario()
		for _, step := range []int{0, 1, tl.Len() / 2, tl.Len()} {
			t.Run(fmt.Sprintf("%s at step %d", id, step), func(t *testing.T) {
				top := render(t, Topology(sc, tl.At(step)))
				oneElement(t, top, "svg", IDTopology)
				wellFormedSVG(t, top)
				seq := render(t, Sequence(tl, step, false))
				oneElement(t, seq, "svg", IDSequence)
				wellFormedSVG(t, seq)
				oneElement(t, render(t, LogFilter(sc, true)), "form", IDLogFilter)
				oneElement(t, render(t, Landmarks(tl, core.NotableSteps(tl), 300)), "svg", IDLandmarks)
				oneElement(t, render(t, Narration(tl, step)), "p", IDNarration)
				oneElement(t, render(t, Stats(tl, step)), "dl", IDStats)
				oneElement(t, render(t, Controls(tl, step)), "div", IDControls)
				oneElement(t, render(t, ErrorBanner("")), "div", IDErrorBanner)
			})
		}
	}
}

func TestTopology(t *testing.T) {
	t.Run("draws one node group per node and one circle per transit, at every step", func(t *testing.T) {
		for _, id := range []string{"message-queue", "rest-chain", "await-gathered", "dlq-poison"} {
			tl := run(t, id)
			sc := tl.Scenario()
			for step := 0; step <= tl.Len(); step++ {
				st := tl.At(step)
				out := render(t, Topology(sc, st))
				require.Equal(t, len(sc.Nodes), count(`<g class="node [^"]*" data-node="`, out), "%s step %d", id, step)
				for _, n := range sc.Nodes {
					require.Equal(t, 1, count(`data-node="`+regexp.QuoteMeta(n.ID)+`"`, out))
				}
				require.Equal(t, len(st.InFlight), count(`<circle `, out), "%s step %d", id, step)
			}
		}
	})

	t.Run("vertical, lays a chain out top to bottom", func(t *testing.T) {
		tl := run(t, "rest-chain")
		sc, st := tl.Scenario(), tl.At(9)
		size := func(out string) (w, h float64) {
			m := regexp.MustCompile(`viewBox="0 0 ([0-9.]+) ([0-9.]+)"`).FindStringSubmatch(out)
			require.NotNil(t, m)
			fmt.Sscan(m[1], &w)
			fmt.Sscan(m[2], &h)
			return w, h
		}
		across := render(t, TopologyView{}.Draw(sc, st, Motion{}))
		down := render(t, TopologyView{Vertical: true}.Draw(sc, st, Motion{}))
		w, h := size(across)
		assert.Greater(t, w, h, "left to right")
		w, h = size(down)
		assert.Greater(t, h, 2*w, "top to bottom: a chain of %d is one column", len(sc.Nodes))
		// The same nodes, states and names: only the places differ.
		names := func(out string) []string {
			return regexp.MustCompile(`aria-label="[^"]*"`).FindAllString(out, -1)
		}
		assert.Equal(t, names(across), names(down))
	})

	t.Run("gives sync, async and dead-letter edges different classes", func(t *testing.T) {
		classes := map[string]map[string]bool{} // edge kind → classes seen
		for _, ex := range core.Examples() {
			out := render(t, Topology(ex.Scenario, &core.State{}))
			for _, e := range ex.Scenario.Edges {
				m := regexp.MustCompile(`<path class="edge ([^"]+)" data-from="` + regexp.QuoteMeta(e.From) +
					`" data-to="` + regexp.QuoteMeta(e.To) + `"`).FindStringSubmatch(out)
				require.NotNil(t, m, "%s: edge %s → %s", ex.ID, e.From, e.To)
				kind := string(e.Mode)
				if ex.Scenario.Nodes[ex.Scenario.NodeIndex(e.To)].Kind == core.DLQ {
					kind = "dlq"
				}
				if classes[kind] == nil {
					classes[kind] = map[string]bool{}
				}
				classes[kind][m[1]] = true
			}
		}
		require.Equal(t, map[string]bool{"sync": true}, classes["sync"])
		require.Equal(t, map[string]bool{"async": true}, classes["async"])
		require.Equal(t, map[string]bool{"dlq": true}, classes["dlq"])
	})

	t.Run("tells messages, replies and acks apart, and marks errors", func(t *testing.T) {
		tl := run(t, "rest-chain")
		out := render(t, Topology(tl.Scenario(), tl.At(1))) // the client's call is on its way
		assert.Contains(t, out, `<circle class="transit message sync"`)
		assert.Contains(t, out, "<title>message 0 of request 0, client → API Gateway</title>")
		out = render(t, Topology(tl.Scenario(), tl.At(17))) // the gateway's reply is on its way
		assert.Contains(t, out, `<circle class="transit reply sync"`)
		assert.Contains(t, out, "reply to message 0 of request 0, API Gateway → client")

		tl = run(t, "message-queue")
		out = render(t, Topology(tl.Scenario(), tl.At(5)))
		assert.Contains(t, out, `<circle class="transit ack async"`)

		sc := tl.Scenario()
		st := &core.State{Nodes: make([]core.NodeState, len(sc.Nodes)), InFlight: []core.Transit{
			{Kind: core.TransitAck, Msg: 1, Req: 1, From: 1, To: 0, Mode: core.CallAsync, Error: true},
		}}
		assert.Contains(t, render(t, Topology(sc, st)), `<circle class="transit ack async error"`)
	})

	t.Run("shows an unbounded concurrency as ∞, and a node that is down", func(t *testing.T) {
		tl := run(t, "rest-chain")
		out := render(t, Topology(tl.Scenario(), tl.At(3)))
		assert.Contains(t, out, "busy 1/∞")
		sc := tl.Scenario()
		st := &core.State{Nodes: make([]core.NodeState, len(sc.Nodes))}
		st.Nodes[2].Down = true
		out = render(t, Topology(sc, st))
		assert.Equal(t, 1, count(`class="node kind-service down"`, out))
		assert.Contains(t, out, "Service is down")
	})

	t.Run("moves what is in flight from its place at the step before", func(t *testing.T) {
		tl := run(t, "rest-chain")
		sc := tl.Scenario()
		// Step 1 at 0s: the client's call has just left; at step 2 (2ms)
		// it has arrived. Between step 4 (7ms, the gateway's call leaves)
		// and step 5 (9ms, it arrives), nothing else moves.
		require.Equal(t, core.RecSend, tl.Record(3).Kind)
		at4 := tl.At(4).At
		st := tl.At(4)
		still := render(t, TopologyView{}.Draw(sc, st, Motion{}))
		assert.NotContains(t, still, "<animateMotion", "no motion unless asked")
		assert.NotContains(t, render(t, TopologyView{}.Draw(sc, st, Motion{On: true, From: at4})), "<animateMotion", "nothing moved: the same time")
		// Stepping back from step 5's time (the call has arrived, p=1)
		// to step 4 (p=0): it glides back to the gateway.
		out := render(t, TopologyView{}.Draw(sc, st, Motion{On: true, From: tl.Record(4).At}))
		m := regexp.MustCompile(`<animateMotion dur="[^"]+" fill="freeze" calcMode="linear" path="M([-\d.]+),([-\d.]+)[^"]* L0,0">`).FindStringSubmatch(out)
		require.NotNil(t, m, out)
		dx, _ := strconv.ParseFloat(m[1], 64)
		assert.Greater(t, dx, 20.0, "it starts from further right, where it had got to")
		assert.Equal(t, 1, count("<animateMotion", out))
		assert.Contains(t, out, `<text class="transit-num"`, "the dot carries its message number")
	})

	t.Run("sums up the state in its title", func(t *testing.T) {
		tl := run(t, "message-queue")
		out := render(t, Topology(tl.Scenario(), tl.At(7)))
		assert.Contains(t, out, `<title id="topology-title">Message queue, step 7 at 5ms: Queue has 1 message out with consumers; Worker 1 of 1 busy; 1 answer in flight.</title>`)
		out = render(t, Topology(tl.Scenario(), tl.At(tl.Len())))
		assert.Contains(t, out, `step 12 at 2.007s: every node idle; nothing in flight.</title>`)
		assert.Contains(t, out, `aria-labelledby="topology-title"`)
	})
}

// hasCycle reports whether sc's edges form a cycle.
func hasCycle(sc *core.Scenario) bool {
	state := make([]int, len(sc.Nodes))
	var visit func(u int) bool
	visit = func(u int) bool {
		state[u] = 1
		for _, e := range sc.Edges {
			if sc.NodeIndex(e.From) != u {
				continue
			}
			v := sc.NodeIndex(e.To)
			if state[v] == 1 || (state[v] == 0 && visit(v)) {
				return true
			}
		}
		state[u] = 2
		return false
	}
	for i := range sc.Nodes {
		if state[i] == 0 && visit(i) {
			return true
		}
	}
	return false
}

func TestLayoutNodes(t *testing.T) {
	t.Run("puts every edge's target right of its source in every acyclic example", func(t *testing.T) {
		for _, ex := range core.Examples() {
			sc := ex.Scenario
			if hasCycle(sc) {
				continue
			}
			pts := LayoutNodes(sc)
			require.Len(t, pts, len(sc.Nodes))
			for _, e := range sc.Edges {
				from, to := pts[sc.NodeIndex(e.From)], pts[sc.NodeIndex(e.To)]
				assert.Greater(t, to.X, from.X, "%s: %s → %s", ex.ID, e.From, e.To)
			}
		}
	})

	t.Run("stacks a layer's nodes in scenario order, none on another", func(t *testing.T) {
		for _, ex := range core.Examples() {
			pts := LayoutNodes(ex.Scenario)
			for i := range pts {
				for j := i + 1; j < len(pts); j++ {
					require.NotEqual(t, pts[i], pts[j], "%s: nodes %d and %d", ex.ID, i, j)
					if pts[i].X == pts[j].X {
						require.Less(t, pts[i].Y, pts[j].Y, "%s: nodes %d and %d", ex.ID, i, j)
					}
				}
			}
		}
	})

	t.Run("places by the longest path from a client", func(t *testing.T) {
		sc := &core.Scenario{
			Nodes: []core.Node{{ID: "c", Kind: core.Client}, {ID: "a", Kind: core.Service}, {ID: "b", Kind: core.Service}, {ID: "d", Kind: core.Database}},
			Edges: []core.Edge{{From: "c", To: "a"}, {From: "a", To: "b"}, {From: "c", To: "d"}, {From: "b", To: "d"}},
		}
		pts := LayoutNodes(sc)
		assert.Less(t, pts[2].X, pts[3].X, "d is after b, though c calls it directly")
	})

	t.Run("ignores the edge that closes a cycle", func(t *testing.T) {
		sc := &core.Scenario{
			Nodes: []core.Node{{ID: "dlq", Kind: core.DLQ}, {ID: "p", Kind: core.Client}, {ID: "q", Kind: core.Queue}, {ID: "w", Kind: core.Worker}},
			Edges: []core.Edge{{From: "p", To: "q"}, {From: "q", To: "w"}, {From: "q", To: "dlq"}, {From: "dlq", To: "q"}},
		}
		require.True(t, hasCycle(sc))
		pts := LayoutNodes(sc)
		assert.Less(t, pts[1].X, pts[2].X)
		assert.Less(t, pts[2].X, pts[3].X)
		assert.Less(t, pts[2].X, pts[0].X, "the DLQ comes after its queue, not before")
		out := render(t, Topology(sc, &core.State{}))
		assert.Equal(t, 4, count(`<path class="edge `, out))
	})

	t.Run("copes with no nodes", func(t *testing.T) {
		assert.Empty(t, LayoutNodes(&core.Scenario{}))
		assert.Contains(t, render(t, Topology(&core.Scenario{}, &core.State{})), `viewBox="0 0 28 28"`)
	})
}

func TestSequence(t *testing.T) {
	tl := run(t, "dlq-poison")
	steps := regexp.MustCompile(`data-step="(\d+)"`)
	t.Run("reveals the run only up to the step, and highlights its row", func(t *testing.T) {
		for _, step := range []int{0, 1, 5, 23, 24, 100, 161, tl.Len()} {
			out := render(t, Sequence(tl, step, false))
			rows := count(`<g class="row `, out)
			assert.Equal(t, min(seqRows, step), rows, "step %d", step)
			for _, m := range steps.FindAllStringSubmatch(out, -1) {
				k, _ := strconv.Atoi(m[1])
				assert.LessOrEqual(t, k, step, "step %d: nothing after the current step is drawn", step)
			}
			assert.NotContains(t, out, " future", "step %d", step)
			if step == 0 {
				assert.Zero(t, count(` current"`, out))
				continue
			}
			assert.Equal(t, 1, count(`<g class="row [^"]* current" data-step="`+strconv.Itoa(step)+`"`, out), "step %d", step)
			assert.Equal(t, 1, count(` current"`, out), "step %d", step)
		}
	})

	t.Run("shows the whole run's next rows faded when asked", func(t *testing.T) {
		out := render(t, Sequence(tl, 5, true))
		assert.Equal(t, seqRows, count(`<g class="row `, out))
		assert.Equal(t, seqRows-5, count(`<g class="row [^"]* future"`, out))
		assert.Equal(t, 1, count(` current"`, out))
	})

	t.Run("draws an arrow for each record that sends, a mark for the others", func(t *testing.T) {
		out := render(t, Sequence(tl, seqRows, false))
		arrows, marks := 0, 0
		for i := range seqRows {
			if _, ok := sendsSomething(tl.Record(i)); ok {
				arrows++
			} else {
				marks++
			}
		}
		assert.Equal(t, arrows, count(`<line class="arrow `, out))
		assert.Equal(t, marks, count(`<rect class="mark`, out))
		assert.Equal(t, len(tl.Scenario().Nodes), count(`<line class="lane-line"`, out))
	})

	t.Run("labels the last lane's marks on their left, inside the diagram", func(t *testing.T) {
		// ordering-partitions: the consumers' lanes are last, and their
		// marks (arrive, start, finish) are many.
		op := run(t, "ordering-partitions")
		p, laneX, _ := sequenceParts(op, 300, false)
		last := 0.0
		for _, x := range laneX {
			last = max(last, x)
		}
		label := regexp.MustCompile(`<text class="mark-label" x="([0-9.]+)" y="[0-9.]+"( text-anchor="end")?>`)
		onLast := 0
		for _, m := range label.FindAllStringSubmatch(p.Rows, -1) {
			x, err := strconv.ParseFloat(m[1], 64)
			require.NoError(t, err)
			if x > last {
				assert.Fail(t, "a label right of the last lane", "x %v, the last lane at %v, the diagram %v wide", x, last, p.width)
			}
			if x == last-9 {
				onLast++
				assert.NotEmpty(t, m[2], "a label of the last lane ends left of its mark")
			}
		}
		assert.Positive(t, onLast, "the last lane's marks at step 300")
	})

	t.Run("styles sync calls, async sends and answers apart", func(t *testing.T) {
		rest := run(t, "rest-chain")
		out := render(t, Sequence(rest, rest.Len(), false))
		assert.Contains(t, out, `<line class="arrow sync"`)
		assert.Contains(t, out, `<line class="arrow answer"`)
		assert.NotContains(t, out, `<line class="arrow async"`)
		mq := run(t, "message-queue")
		out = render(t, Sequence(mq, mq.Len(), false))
		assert.Contains(t, out, `<line class="arrow async"`)
		assert.NotContains(t, out, `<line class="arrow sync"`)
		out = render(t, Sequence(tl, 505, false))
		assert.Contains(t, out, `<line class="arrow dlq"`)
		assert.Contains(t, out, `<line class="arrow error"`) // the nack
	})
}

// TestSequenceUpdate checks that the parts a page replaces at a step are
// exactly what the whole diagram draws there, and that the frame (what
// the page keeps) changes when, and only when, the kept part would. (The
// frame does not name the run: the page checks that it shows the same one.)
func TestSequenceUpdate(t *testing.T) {
	tl := run(t, "dlq-poison")
	frames := map[string]string{}
	for _, step := range []int{0, 1, 5, 23, 24, 25, 100, 161, 505, tl.Len()} {
		for _, future := range []bool{false, true} {
			out := render(t, Sequence(tl, step, future))
			p := SequenceUpdate(tl, step, future)
			assert.Contains(t, out, `<svg id="sequence" class="`+p.Class+`" `, "step %d", step)
			assert.Contains(t, out, ` data-frame="`+p.Frame+`">`, "step %d", step)
			assert.Contains(t, out, `<title id="sequence-title">`+p.Title+`</title>`, "step %d", step)
			assert.Contains(t, out, `<g id="sequence-activations" class="activations">`+p.Activations+`</g>`, "step %d", step)
			assert.Contains(t, out, `<g id="sequence-rows" class="rows">`+p.Rows+`</g>`, "step %d", step)
			// The rest of the diagram, without the parts: the same for
			// every step of the same frame.
			rest := strings.Replace(strings.Replace(out, p.Rows, "", 1), p.Activations, "", 1)
			rest = strings.Replace(strings.Replace(rest, p.Title, "", 1), `class="`+p.Class+`"`, "", 1)
			if prev, ok := frames[p.Frame]; ok {
				assert.Equal(t, prev, rest, "step %d: the kept part of frame %s changed", step, p.Frame)
			}
			frames[p.Frame] = rest
		}
	}
	assert.Greater(t, len(frames), 1, "the first steps draw fewer rows: a frame of their own")
}

// TestTopologyUpdate checks that the parts a page replaces at a step are
// exactly what the whole topology draws there, and that the rest of it
// (what the page keeps) is the same at every step of one frame.
func TestTopologyUpdate(t *testing.T) {
	tl := run(t, "dlq-poison")
	sc := tl.Scenario()
	for _, v := range []TopologyView{{}, {Vertical: true}, {Zoom: 1.5}} {
		var kept string
		frame := ""
		for _, step := range []int{0, 1, 5, 24, 100, 161, 505, tl.Len()} {
			st := tl.At(step)
			m := Motion{On: true, From: tl.At(max(step-1, 0)).At, Millis: Tween}
			out := render(t, v.Draw(sc, st, m))
			p := v.Update(sc, st, m)
			assert.Contains(t, out, ` data-frame="`+p.Frame+`">`, "step %d", step)
			assert.Equal(t, p.Frame, v.Frame(sc), "the frame a page checks before it updates the parts")
			assert.Contains(t, out, `<title id="topology-title">`+p.Title+`</title>`, "step %d", step)
			assert.Contains(t, out, `<g id="topology-nodes" class="nodes">`+p.Nodes+`</g>`, "step %d", step)
			assert.Contains(t, out, `<g id="topology-transits" class="transits">`+p.Transits+`</g>`, "step %d", step)
			assert.Equal(t, strings.Contains(p.Transits, "<animateMotion"), p.Moves, "step %d", step)
			rest := strings.Replace(strings.Replace(strings.Replace(out, p.Nodes, "", 1), p.Transits, "", 1), p.Title, "", 1)
			if frame != "" {
				assert.Equal(t, frame, p.Frame, "one layout, one frame")
				assert.Equal(t, kept, rest, "step %d: the part the page keeps changed", step)
			}
			frame, kept = p.Frame, rest
		}
	}
	assert.NotEqual(t, TopologyView{}.Update(sc, tl.At(1), Motion{}).Frame, TopologyView{Vertical: true}.Update(sc, tl.At(1), Motion{}).Frame)
	assert.NotEqual(t, TopologyView{}.Update(sc, tl.At(1), Motion{}).Frame, TopologyView{Zoom: 2}.Update(sc, tl.At(1), Motion{}).Frame)
}

// bars returns the activation bars of a rendered sequence diagram by lane
// x (the lane's centre less 4) as "kind from-to" in user units.
func bars(out string) []string {
	var got []string
	for _, m := range regexp.MustCompile(`<rect class="activation ([a-z ]+)" x="([\d.]+)" y="([\d.]+)" width="8" height="([\d.]+)"`).FindAllStringSubmatch(out, -1) {
		got = append(got, m[1]+" x="+m[2]+" y="+m[3]+" h="+m[4])
	}
	return got
}

func TestSequenceActivations(t *testing.T) {
	t.Run("sync: the client's bar spans the whole chain", func(t *testing.T) {
		tl := run(t, "rest-chain")
		out := render(t, Sequence(tl, tl.Len(), false))
		got := bars(out)
		// The client (first lane) is blocked from its call (row 0) to the
		// reply (row 17); each callee's work nests inside its caller's.
		client := "blocked x=" + num(seqTimeW+seqLaneW/2-4) + " y=" + num(seqHeaderH+seqRowH/2) + " h=" + num(17*seqRowH)
		assert.Contains(t, got, client, "%v", got)
		assert.Equal(t, 3, count(`class="activation blocked"`, out), "client, gateway and service each wait on the next")
		assert.Equal(t, 3, count(`class="activation work"`, out), "gateway, service and database each work")
		assert.Equal(t, 3, count(`class="activation-hatch"`, out), "blocked bars are hatched")
	})
	t.Run("mid-chain: the bars still going reach the current row and say so", func(t *testing.T) {
		tl := run(t, "rest-chain")
		out := render(t, Sequence(tl, 9, false))
		assert.Equal(t, 3, count(`class="activation blocked open"`, out))
		assert.Equal(t, 3, count(`class="activation work open"`, out), "gateway, service and the database that has just started")
	})
	t.Run("async: the producer's bar ends at the ack, long before the work does", func(t *testing.T) {
		tl := run(t, "message-queue")
		out := render(t, Sequence(tl, tl.Len(), false))
		assert.Equal(t, 1, count(`class="activation ack"`, out))
		assert.Zero(t, count(`class="activation blocked`, out), "nobody is blocked")
		ack := regexp.MustCompile(`class="activation ack" x="[\d.]+" y="[\d.]+" width="8" height="([\d.]+)"`).FindStringSubmatch(out)
		work := regexp.MustCompile(`class="activation work" x="[\d.]+" y="[\d.]+" width="8" height="([\d.]+)"`).FindStringSubmatch(out)
		require.NotNil(t, ack)
		require.NotNil(t, work)
		assert.Equal(t, num(7*seqRowH), ack[1], "send (row 0) to ack (row 7)")
		assert.Equal(t, num(2*seqRowH), work[1], "the worker's start (row 6) to its finish (row 8)")
	})
	t.Run("bars begun before the window start at its top", func(t *testing.T) {
		tl := run(t, "spike-sync")
		out := render(t, Sequence(tl, 5000, false))
		assert.Contains(t, out, `y="`+num(seqHeaderH-4)+`"`, "something began before the window")
		for _, b := range bars(out) {
			assert.NotContains(t, b, "h=-", b)
		}
	})
}

func TestEventLog(t *testing.T) {
	for _, id := range []string{"message-queue", "dlq-poison"} {
		tl := run(t, id)
		t.Run(id+": lists no step at step 0", func(t *testing.T) {
			out := render(t, EventLog(tl, 0))
			assert.Zero(t, count(`aria-current`, out))
			assert.Zero(t, count(`data-step`, out))
			assert.Equal(t, 1, count(`role="option"`, out), "an empty listbox still has an option, saying why")
		})
		t.Run(id+": lists steps 1 to the current one, the current one marked, none after", func(t *testing.T) {
			for step := 1; step <= tl.Len(); step++ {
				v := LogView{Step: step, Active: step, Top: LogScrollTop(LogView{Step: step, Height: 200}, step-1), Height: 200}
				out := render(t, LogRows(tl, v))
				require.Equal(t, 1, count(`aria-current="step"`, out), "step %d", step)
				require.Equal(t, 1, count(`<div role="option" id="log-step-`+strconv.Itoa(step)+`" class="[^"]*current[^"]*" data-step="`+strconv.Itoa(step)+`" aria-selected="true" aria-current="step"`, out), "step %d", step)
				for _, m := range regexp.MustCompile(`data-step="(\d+)"`).FindAllStringSubmatch(out, -1) {
					require.LessOrEqual(t, mustAtoi(t, m[1]), step, "no row after the current step %d", step)
				}
				want := html.EscapeString(tl.Record(step - 1).Describe(tl.Scenario()))
				require.Contains(t, html.UnescapeString(out), html.UnescapeString(want))
			}
		})
	}
	t.Run("draws only the rows near the viewport, and spacers of the others' height", func(t *testing.T) {
		tl := run(t, "dlq-poison")
		step := tl.Len()
		v := LogView{Step: step, Top: 100 * LogRowHeight, Height: 10 * LogRowHeight}
		out := render(t, LogRows(tl, v))
		rows := regexp.MustCompile(`data-step="(\d+)"`).FindAllStringSubmatch(out, -1)
		require.NotEmpty(t, rows)
		first, last := mustAtoi(t, rows[0][1]), mustAtoi(t, rows[len(rows)-1][1])
		assert.Equal(t, 101-logOverscan, first, "the first row drawn: the viewport's, less the overscan")
		assert.Equal(t, last-first+1, len(rows), "the rows drawn are consecutive")
		assert.LessOrEqual(t, len(rows), 10+2*logOverscan+1)
		pads := regexp.MustCompile(`<svg class="log-pad" aria-hidden="true" width="1" height="(\d+)">`).FindAllStringSubmatch(out, -1)
		require.Len(t, pads, 2)
		assert.Equal(t, (first-1)*LogRowHeight, mustAtoi(t, pads[0][1]), "the spacer above")
		assert.Equal(t, (step-last)*LogRowHeight, mustAtoi(t, pads[1][1]), "the spacer below")
	})
	t.Run("lists a filter's matches up to the current step", func(t *testing.T) {
		tl := run(t, "dlq-poison")
		steps := tl.Filter(core.LogFilter{Req: 3, Node: -1, Kind: -1})
		require.Greater(t, len(steps), 3)
		step := int(steps[2])
		out := render(t, LogRows(tl, LogView{List: LogList{Filtered: true, Steps: steps}, Step: step, Height: 400}))
		rows := regexp.MustCompile(`data-step="(\d+)"`).FindAllStringSubmatch(out, -1)
		require.Len(t, rows, 3)
		for i, m := range rows {
			assert.Equal(t, int(steps[i]), mustAtoi(t, m[1]))
		}
		assert.Contains(t, out, `aria-setsize="3"`)
		out = render(t, LogRows(tl, LogView{List: LogList{Filtered: true}, Step: step, Height: 400}))
		assert.Contains(t, out, "No step so far matches the filter.")
	})
	t.Run("scrolls as little as it takes to show a row", func(t *testing.T) {
		v := LogView{Step: 100, Top: 10 * LogRowHeight, Height: 5 * LogRowHeight}
		assert.Equal(t, v.Top, LogScrollTop(v, 12), "a row in view: no scroll")
		assert.Equal(t, 3*LogRowHeight, LogScrollTop(v, 3), "a row above: to its top")
		assert.Equal(t, 16*LogRowHeight, LogScrollTop(v, 20), "a row below: to its bottom")
		assert.Equal(t, 95*LogRowHeight, LogScrollTop(v, 500), "past the end: the last row")
		assert.Equal(t, 0, LogScrollTop(LogView{Step: 2, Height: 200}, 1), "a short list does not scroll")
	})
}

func TestNarration(t *testing.T) {
	tl := run(t, "dlq-poison")
	t.Run("invites a first step at step 0", func(t *testing.T) {
		assert.Contains(t, render(t, Narration(tl, 0)), "Press → or Step to send the first message.")
	})
	t.Run("tells the sentence of record k-1 at step k", func(t *testing.T) {
		for step := 1; step <= tl.Len(); step++ {
			out := html.UnescapeString(render(t, Narration(tl, step)))
			require.Contains(t, out, tl.Record(step-1).Describe(tl.Scenario()))
			require.Contains(t, out, fmt.Sprintf("Step %d of %d at ", step, tl.Len()))
		}
	})
	t.Run("counts the steps so far of a run's start", func(t *testing.T) {
		e, err := core.NewEngine(tl.Scenario(), core.Options{Trace: true})
		require.NoError(t, err)
		require.False(t, e.RunSome(5), "the run goes on")
		start := core.NewTimeline(tl.Scenario(), e.Trace())
		start.MarkPartial()
		out := html.UnescapeString(render(t, Narration(start, 3)))
		assert.Contains(t, out, fmt.Sprintf("Step 3 of %d so far at ", start.Len()))
		assert.Contains(t, StepValueText(start, 3), fmt.Sprintf("step 3 of %d so far at ", start.Len()))
		assert.NotContains(t, StepValueText(tl, 3), "so far", "the whole run's steps are not so far")
	})
	t.Run("is a polite, atomic live region", func(t *testing.T) {
		out := render(t, Narration(tl, 3))
		assert.Contains(t, out, `aria-live="polite"`)
		assert.Contains(t, out, `aria-atomic="true"`)
	})
}

func TestStats(t *testing.T) {
	tl := run(t, "message-queue")
	stat := func(out, name string) string {
		m := regexp.MustCompile(`data-stat="` + name + `"><dt>[^<]*</dt><dd>([^<]*)</dd>`).FindStringSubmatch(out)
		require.NotNil(t, m, name)
		return m[1]
	}
	out := render(t, Stats(tl, 0))
	assert.Equal(t, "0", stat(out, "started"))
	assert.Equal(t, "—", stat(out, "last-latency"))
	out = render(t, Stats(tl, 5))
	assert.Equal(t, "2", stat(out, "in-flight"))
	assert.Equal(t, "1", stat(out, "in-progress"))
	rest := run(t, "rest-chain")
	out = render(t, Stats(rest, 10))
	assert.Equal(t, "0", stat(out, "in-flight"), "step 10: the database is working, nothing is on the wire")
	assert.Equal(t, "1", stat(out, "in-progress"), "but the request is in progress")
	out = render(t, Stats(tl, tl.Len()))
	assert.Equal(t, "1", stat(out, "started"))
	assert.Equal(t, "1", stat(out, "answered"))
	assert.Equal(t, "1", stat(out, "completed"))
	assert.Equal(t, "5ms", stat(out, "last-latency"), "the producer was blocked only until the enqueue ack")
	assert.Equal(t, "2.007s", stat(out, "time"))
}

func TestControls(t *testing.T) {
	tl := run(t, "message-queue")
	out := render(t, Controls(tl, 5))
	t.Run("has real buttons, each with a name", func(t *testing.T) {
		buttons := regexp.MustCompile(`<button[^>]*>(.*?)</button>`).FindAllStringSubmatch(out, -1)
		require.Len(t, buttons, 7)
		for _, b := range buttons {
			assert.Contains(t, b[0], `type="button"`)
			name := regexp.MustCompile(`<span aria-hidden="true">[^<]*</span>`).ReplaceAllString(b[1], "")
			assert.NotEmpty(t, strings.TrimSpace(name), b[0])
		}
		assert.Contains(t, out, `id="play" class="play" aria-pressed="false"`)
	})
	t.Run("has a scrubber over every step", func(t *testing.T) {
		assert.Contains(t, out, `<input type="range" id="scrubber" class="scrubber" min="0" max="12" value="5" step="1" aria-label="Step" aria-valuetext="step 5 of 12 at 3ms">`)
	})
	t.Run("has a labelled speed menu with 1× selected", func(t *testing.T) {
		assert.Contains(t, out, `<label for="speed">Speed</label>`)
		assert.Contains(t, out, `<option value="1" selected>1×</option>`)
		assert.Equal(t, len(Speeds), count(`<option `, out))
	})
	t.Run("is enabled, for the WASM program to re-render", func(t *testing.T) {
		assert.NotContains(t, out, "disabled")
	})
}

// exportedIDs returns the values of the exported ID constants of ids.go and
// layout.go, read from the source so that a new one cannot be forgotten.
func exportedIDs(t *testing.T) map[string]string {
	ids := map[string]string{}
	fset := token.NewFileSet()
	for _, file := range []string{"ids.go", "layout.go"} {
		f, err := parser.ParseFile(fset, file, nil, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			spec, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, name := range spec.Names {
				if !(strings.HasPrefix(name.Name, "ID") || name.Name == "StatusID") || i >= len(spec.Values) {
					continue
				}
				if lit, ok := spec.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					v, err := strconv.Unquote(lit.Value)
					require.NoError(t, err)
					ids[name.Name] = v
				}
			}
			return true
		})
	}
	require.Greater(t, len(ids), 20)
	return ids
}

func TestPlaygroundPage(t *testing.T) {
	var pages []string
	for _, ex := range core.Examples() {
		tl := run(t, ex.ID)
		for _, step := range []int{0, tl.Len() / 3} {
			pages = append(pages, render(t, PlaygroundPage(Playground{
				Examples: core.Examples(), Current: ex.ID, Scenario: tl.Scenario(), Timeline: tl, Step: step,
				Error: "it broke",
			})))
		}
	}
	pages = append(pages, render(t, PlaygroundPage(Playground{})))

	t.Run("has no inline style, script or event handler", func(t *testing.T) {
		for _, out := range pages {
			require.NotContains(t, out, "style=")
			require.NotContains(t, out, "<style")
			require.NotContains(t, out, "javascript:")
			require.Zero(t, count(`\son[a-z]+=`, out))
			for _, m := range regexp.MustCompile(`(?s)<script([^>]*)>(.*?)</script>`).FindAllStringSubmatch(out, -1) {
				require.Contains(t, m[1], ` src="`)
				require.Empty(t, m[2], "inline script")
			}
		}
	})

	t.Run("loads wasm_exec.js, then app.js", func(t *testing.T) {
		out := pages[0]
		assert.Contains(t, out, `<script src="/static/wasm_exec.js" defer></script><script src="/static/app.js" defer data-wasm="/static/main.wasm"></script>`)
		assert.Contains(t, out, `<link rel="icon" href="data:,">`)
		assert.Contains(t, out, `<html lang="en">`)
		assert.Contains(t, out, `name="viewport"`)
	})

	t.Run("has exactly one element for each exported id, and no id twice", func(t *testing.T) {
		ids := exportedIDs(t)
		for _, out := range pages[:len(pages)-1] {
			seen := map[string]int{}
			for _, m := range idRE.FindAllStringSubmatch(out, -1) {
				seen[m[1]]++
			}
			for name, id := range ids {
				require.Equal(t, 1, seen[id], "%s (%q)", name, id)
			}
			for id, n := range seen {
				require.Equal(t, 1, n, "id %q", id)
			}
			for _, m := range regexp.MustCompile(`(?:aria-labelledby|for)="([^"]+)"`).FindAllStringSubmatch(out, -1) {
				require.Equal(t, 1, seen[m[1]], "a reference to id %q", m[1])
			}
		}
	})

	t.Run("renders the controls disabled until the WASM program enables them", func(t *testing.T) {
		out := pages[0]
		for _, id := range ControlIDs {
			require.Regexp(t, `id="`+id+`"[^>]* disabled `+RequiresWASM, out)
		}
		assert.Equal(t, len(ControlIDs), count(RequiresWASM, out))
	})

	t.Run("selects the current example and names each by its scenario", func(t *testing.T) {
		out := pages[0]
		assert.Contains(t, out, `<option value="api-gateway" selected>API gateway fan-out with async reindexing</option>`)
		menu := regexp.MustCompile(`(?s)<select id="example".*?</select>`).FindString(out)
		assert.Equal(t, len(core.Examples()), count(`<option value="[a-z0-9-]+"`, menu))
		assert.Equal(t, 1, count(`<option [^>]*selected>[^×]*?</option>`, regexp.MustCompile(`(?s)<select id="speed".*?</select>`).ReplaceAllString(out, "")))
		custom := render(t, PlaygroundPage(Playground{Examples: core.Examples(), Scenario: &core.Scenario{Name: "Mine"}}))
		assert.Contains(t, custom, `<option value="" disabled selected>Shared or imported scenario</option>`)
	})

	t.Run("hides the error banner without an error, and shows the error", func(t *testing.T) {
		assert.Contains(t, pages[0], `<div id="error-banner" class="error-banner" role="alert">it broke</div>`)
		assert.Contains(t, render(t, ErrorBanner("")), `role="alert" hidden></div>`)
	})
}

func TestFormatTime(t *testing.T) {
	tests := []struct {
		in   core.Duration
		want string
	}{
		{0, "0s"},
		{500 * core.Microsecond, "500µs"},
		{2 * core.Millisecond, "2ms"},
		{238855992, "238.9ms"},
		{2005 * core.Millisecond, "2.005s"},
		{2 * core.Second, "2s"},
		{75*core.Second + 260*core.Millisecond, "1m15.3s"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, formatTime(tt.in), "%d", tt.in)
	}
}

func TestWrapName(t *testing.T) {
	assert.Equal(t, []string{"Worker"}, wrapName("Worker", 17))
	assert.Equal(t, []string{"Queue (idempotent", "consumer)"}, wrapName("Queue (idempotent consumer)", 17))
	assert.Equal(t, []string{"Supercalifragili…"}, wrapName("Supercalifragilisticexpialidocious", 17))
}

func mustAtoi(t testing.TB, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	require.NoError(t, err)
	return n
}

func TestLandmarks(t *testing.T) {
	t.Run("names the timeout of grpc-deadline", func(t *testing.T) {
		tl := run(t, "grpc-deadline")
		out := render(t, Landmarks(tl, core.NotableSteps(tl), 300))
		assert.Contains(t, out, `data-step="4" role="img" aria-label="step 4: timeout of request 0"`)
	})
	t.Run("draws at most one mark per column, and every notable step is in one", func(t *testing.T) {
		tl := run(t, "grpc-retry")
		steps := core.NotableSteps(tl)
		require.Greater(t, len(steps), 50)
		for _, width := range []int{30, 90, 300, 3000} {
			out := render(t, Landmarks(tl, steps, width))
			xs := regexp.MustCompile(`<rect [^>]*x="(\d+)"`).FindAllStringSubmatch(out, -1)
			require.NotEmpty(t, xs)
			require.LessOrEqual(t, len(xs), width/MarkEvery, "width %d", width)
			seen := map[string]bool{}
			for _, x := range xs {
				require.False(t, seen[x[1]], "width %d: two marks at x=%s", width, x[1])
				seen[x[1]] = true
			}
			// Each mark's name counts the steps it stands for.
			covered := 0
			for _, m := range regexp.MustCompile(`aria-label="step \d+: [^",]+(?:, and (\d+) more to step \d+)?"`).FindAllStringSubmatch(out, -1) {
				covered++
				if m[1] != "" {
					covered += mustAtoi(t, m[1])
				}
			}
			assert.Equal(t, len(steps), covered, "width %d: the marks stand for every notable step", width)
		}
	})
	t.Run("says when there is none", func(t *testing.T) {
		tl := run(t, "rest-chain")
		out := render(t, Landmarks(tl, core.NotableSteps(tl), 300))
		assert.NotContains(t, out, "<rect")
		assert.Contains(t, out, "none in this run")
	})
}

// TestTopologyZoom draws the topology at each zoom level: fitted it has
// its natural size and shrinks to its panel; zoomed it is drawn at that
// multiple and marked so that it scrolls rather than shrinks.
func TestTopologyZoom(t *testing.T) {
	sc, err := core.ExampleByID("rest-chain")
	require.NoError(t, err)
	tl, _, err := core.RunTimeline(sc)
	require.NoError(t, err)
	size := func(zoom float64, vertical bool) (w, h float64, zoomed bool) {
		var b strings.Builder
		require.NoError(t, TopologyView{Zoom: zoom, Vertical: vertical}.Draw(sc, tl.At(3), Motion{}).Render(&b))
		m := regexp.MustCompile(`^<svg id="topology" class="([^"]*)"[^>]* width="([0-9.]+)" height="([0-9.]+)"`).FindStringSubmatch(b.String())
		require.NotNil(t, m, b.String()[:200])
		w, _ = strconv.ParseFloat(m[2], 64)
		h, _ = strconv.ParseFloat(m[3], 64)
		return w, h, strings.Contains(m[1], "zoomed")
	}
	for _, vertical := range []bool{false, true} {
		w0, h0, zoomed := size(0, vertical)
		assert.False(t, zoomed, "fitted")
		for _, z := range ZoomLevels[1:] {
			w, h, zoomed := size(z, vertical)
			assert.True(t, zoomed, "at %v", z)
			assert.InDelta(t, w0*z, w, 1, "width at %v (vertical %v)", z, vertical)
			assert.InDelta(t, h0*z, h, 1, "height at %v (vertical %v)", z, vertical)
		}
	}
	assert.Equal(t, "Fit to the panel", ZoomText(0))
	assert.Equal(t, "150%", ZoomText(1.5))
}
