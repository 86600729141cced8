package web

import (
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/sync-vs-async/playground/core"
	g "maragu.dev/gomponents"
)

// spike is the comparison of the traffic spike through a synchronous call
// and through a queue, computed once: it runs 6624 requests four times.
var spike = sync.OnceValues(func() (*core.Comparison, error) {
	a, err := core.ExampleByID("spike-sync")
	if err != nil {
		return nil, err
	}
	b, err := core.ExampleByID("spike-async")
	if err != nil {
		return nil, err
	}
	return core.Compare(a, b)
})

func spikeComparison(t *testing.T) *core.Comparison {
	t.Helper()
	c, err := spike()
	require.NoError(t, err)
	return c
}

// element is a parsed XML element, for reading a chart back.
type element struct {
	name     string
	attrs    map[string]string
	children []*element
	text     string // the text directly inside it
}

// parseXML parses s, which must be one well-formed XML element.
func parseXML(t *testing.T, s string) *element {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(s))
	dec.Strict = true
	root := &element{}
	stack := []*element{root}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		top := stack[len(stack)-1]
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &element{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			top.children = append(top.children, e)
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			top.text += string(tok)
		}
	}
	require.Len(t, root.children, 1, "want exactly one root element")
	return root.children[0]
}

// all returns e and every element inside it for which match is true, in
// document order.
func (e *element) all(match func(*element) bool) []*element {
	var out []*element
	if match(e) {
		out = append(out, e)
	}
	for _, c := range e.children {
		out = append(out, c.all(match)...)
	}
	return out
}

// allText is the text inside e and its children.
func (e *element) allText() string {
	s := e.text
	for _, c := range e.children {
		s += c.allText()
	}
	return s
}

// is matches elements of the given name having every given class.
func is(name string, classes ...string) func(*element) bool {
	return func(e *element) bool {
		if e.name != name {
			return false
		}
		have := strings.Fields(e.attrs["class"])
		for _, c := range classes {
			if !slices.Contains(have, c) {
				return false
			}
		}
		return true
	}
}

// float reads a numeric attribute.
func (e *element) float(t *testing.T, attr string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(e.attrs[attr], 64)
	require.NoError(t, err, "%s=%q", attr, e.attrs[attr])
	return v
}

// pathCommands splits an SVG path into its commands and their numbers:
// "M1 2 H3" gives [{M [1 2]} {H [3]}].
type pathCommand struct {
	op   byte
	args []float64
}

func parsePath(t *testing.T, d string) []pathCommand {
	t.Helper()
	var out []pathCommand
	for _, m := range regexp.MustCompile(`([MLHVZ])([^MLHVZ]*)`).FindAllStringSubmatch(d, -1) {
		c := pathCommand{op: m[1][0]}
		for _, f := range strings.Fields(m[2]) {
			v, err := strconv.ParseFloat(f, 64)
			require.NoError(t, err, d)
			c.args = append(c.args, v)
		}
		out = append(out, c)
	}
	return out
}

// yTicks returns the values of a chart's y tick labels.
func yTicks(t *testing.T, root *element) []float64 {
	t.Helper()
	var out []float64
	for _, e := range root.all(is("text", "tick", "y")) {
		v, err := strconv.ParseFloat(strings.TrimSuffix(e.text, "%"), 64)
		require.NoError(t, err, e.text)
		out = append(out, v)
	}
	require.NotEmpty(t, out)
	return out
}

func TestChartsGolden(t *testing.T) {
	c := spikeComparison(t)
	tests := []struct {
		name string
		node g.Node
	}{
		{"chart-latency-spike", LatencyCDF(c.A, c.B, c.NameA, c.NameB)},
		{"chart-depth-spike-sync", DepthChart(c.A)},
		{"chart-depth-spike-async", DepthChart(c.B)},
		{"chart-throughput-spike", ThroughputChart(c.A, c.B, c.NameA, c.NameB)},
		{"chart-waterfall-message-queue-0", Waterfall(run(t, "message-queue"), 0)},
		{"chart-waterfall-checkout-hybrid-0", Waterfall(run(t, "checkout-hybrid"), 0)},
		{"chart-comparison-spike", ComparisonTable(c)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkGolden(t, tt.name, render(t, tt.node))
		})
	}
}

// everyChart renders each chart, on real runs and on empty ones.
func everyChart(t *testing.T) map[string]string {
	c := spikeComparison(t)
	empty := &core.Report{}
	return map[string]string{
		"latency":             render(t, LatencyCDF(c.A, c.B, c.NameA, c.NameB)),
		"depth":               render(t, DepthChart(c.B)),
		"throughput":          render(t, ThroughputChart(c.A, c.B, c.NameA, c.NameB)),
		"waterfall mq":        render(t, Waterfall(run(t, "message-queue"), 0)),
		"waterfall checkout":  render(t, Waterfall(run(t, "checkout-hybrid"), 0)),
		"waterfall dlq":       render(t, Waterfall(run(t, "dlq-poison"), 1)),
		"comparison":          render(t, ComparisonTable(c)),
		"empty latency":       render(t, LatencyCDF(nil, empty, "", "")),
		"empty depth":         render(t, DepthChart(nil)),
		"empty throughput":    render(t, ThroughputChart(empty, nil, "", "")),
		"waterfall, no such":  render(t, Waterfall(run(t, "message-queue"), 99)),
		"empty comparison":    render(t, ComparisonTable(&core.Comparison{})),
		"depth of an unknown": render(t, DepthChart(c.A, "no-such-node")),
	}
}

func TestChartsAreSafeAndAccessible(t *testing.T) {
	for name, out := range everyChart(t) {
		t.Run(name, func(t *testing.T) {
			require.NotContains(t, out, "style=", "the CSP forbids style attributes")
			require.NotContains(t, out, "<script")
			require.Zero(t, count(`\son[a-z]+=`, out))

			root := parseXML(t, out)
			require.Contains(t, []string{"figure", "table"}, root.name)
			require.NotEmpty(t, root.attrs["id"])
			require.Len(t, root.all(is("figcaption")), 1)

			ids := map[string]int{}
			for _, e := range root.all(func(e *element) bool { return e.attrs["id"] != "" }) {
				ids[e.attrs["id"]]++
			}
			for id, n := range ids {
				require.Equal(t, 1, n, "id %q", id)
			}

			svgs := regexp.MustCompile(`(?s)<svg.*?</svg>`).FindAllString(out, -1)
			for _, s := range svgs {
				wellFormedSVG(t, s)
			}
			for _, svg := range root.all(is("svg", "chart-svg")) {
				assert.Equal(t, "img", svg.attrs["role"])
				for _, ref := range strings.Fields(svg.attrs["aria-labelledby"] + " " + svg.attrs["aria-describedby"]) {
					assert.Equal(t, 1, ids[ref], "a reference to id %q", ref)
				}
				title, desc := svg.all(is("title")), svg.all(is("desc"))
				require.NotEmpty(t, title)
				require.Len(t, desc, 1)
				assert.Equal(t, svg.attrs["aria-labelledby"], title[0].attrs["id"])
				assert.NotEmpty(t, strings.TrimSpace(title[0].text))
				assert.NotEmpty(t, strings.TrimSpace(desc[0].text))
			}
			for _, swatch := range root.all(is("svg", "swatch")) {
				assert.Equal(t, "true", swatch.attrs["aria-hidden"], "a legend's sample is decoration")
			}
		})
	}
}

func TestLatencyCDF(t *testing.T) {
	c := spikeComparison(t)
	root := parseXML(t, render(t, LatencyCDF(c.A, c.B, c.NameA, c.NameB)))

	t.Run("draws two step lines from 0% up to 100%", func(t *testing.T) {
		paths := root.all(is("path", "cdf"))
		require.Len(t, paths, 2)
		for i, p := range paths {
			cmds := parsePath(t, p.attrs["d"])
			first, last := cmds[0], cmds[len(cmds)-1]
			assert.InDelta(t, chartTop+plotH, first.args[1], 0.05, "path %d starts at 0%%", i)
			assert.InDelta(t, chartTop, last.args[1], 0.05, "path %d ends at 100%%", i)
			for j := 1; j < len(cmds); j++ { // a CDF never goes back or down
				assert.GreaterOrEqual(t, cmds[j].args[0], cmds[j-1].args[0], "path %d, point %d", i, j)
				assert.LessOrEqual(t, cmds[j].args[1], cmds[j-1].args[1], "path %d, point %d", i, j)
			}
		}
		assert.Contains(t, paths[0].attrs["class"], "run-a")
		assert.Contains(t, paths[1].attrs["class"], "run-b")
	})

	t.Run("tells the runs apart by marker shape, not only by colour", func(t *testing.T) {
		assert.Len(t, root.all(is("circle", "marker", "run-a")), 3+1, "p50, p95, p99 and the legend's")
		assert.Len(t, root.all(is("rect", "marker", "run-b")), 3+1)
	})

	t.Run("places the slower run's p50 right of the faster one's", func(t *testing.T) {
		a, b := root.all(is("circle", "marker", "run-a"))[0], root.all(is("rect", "marker", "run-b"))[0]
		require.Greater(t, c.A.UserLatency.P50, c.B.UserLatency.P50)
		assert.Greater(t, a.float(t, "cx"), b.float(t, "x")+4)
	})

	t.Run("says the percentiles in words", func(t *testing.T) {
		desc := root.all(is("desc"))[0].text
		for _, r := range []*core.Report{c.A, c.B} {
			for _, d := range []core.Duration{r.UserLatency.P50, r.UserLatency.P95, r.UserLatency.P99} {
				assert.Contains(t, desc, formatTime(d))
			}
		}
		assert.Contains(t, desc, c.NameA)
		assert.Contains(t, desc, c.NameB)
	})

	t.Run("spans the slowest latency, with 0% to 100% on the y axis", func(t *testing.T) {
		ys := yTicks(t, root)
		assert.Equal(t, []float64{0, 25, 50, 75, 100}, ys)
		xs := root.all(is("text", "tick", "x"))
		assert.Equal(t, "0s", xs[0].text)
		assert.Equal(t, formatTime(max(c.A.UserLatency.Max, c.B.UserLatency.Max)), xs[len(xs)-1].text)
	})
}

func TestDepthChart(t *testing.T) {
	c := spikeComparison(t)
	for _, r := range []*core.Report{c.A, c.B} {
		t.Run("reaches the deepest backlog of "+r.Scenario, func(t *testing.T) {
			root := parseXML(t, render(t, DepthChart(r)))
			var peak int64
			withDepth := 0
			for _, n := range r.Nodes {
				if n.Depth != nil {
					withDepth++
					peak = max(peak, n.Depth.Max())
				}
			}
			require.Positive(t, peak)
			ys := yTicks(t, root)
			top := slices.Max(ys)
			assert.GreaterOrEqual(t, top, float64(peak))
			assert.Less(t, top, 2*float64(peak), "not so high that the line is squashed")

			lines := root.all(is("path", "depth"))
			assert.Len(t, lines, withDepth)
			// The line's highest point is the peak, in SVG units.
			highest := chartTop + plotH
			for _, cmd := range parsePath(t, lines[0].attrs["d"]) {
				switch cmd.op {
				case 'M':
					highest = min(highest, cmd.args[1])
				case 'V':
					highest = min(highest, cmd.args[0])
				}
			}
			assert.InDelta(t, chartTop+plotH-float64(peak)/top*plotH, highest, 0.1)
			// The x axis ends at the end of the run.
			last := parsePath(t, lines[0].attrs["d"])
			assert.InDelta(t, chartLeft+plotW, last[len(last)-1].args[0], 0.05)
			assert.Len(t, root.all(is("li")), withDepth, "a legend entry per line")
		})
	}

	t.Run("draws only the nodes asked for", func(t *testing.T) {
		sc, err := core.ExampleByID("checkout-hybrid")
		require.NoError(t, err)
		e, err := core.NewEngine(sc, core.Options{})
		require.NoError(t, err)
		r := e.Run()
		var all []string
		for _, n := range r.Nodes {
			if n.Depth != nil {
				all = append(all, n.ID)
			}
		}
		require.NotEmpty(t, all)
		out := render(t, DepthChart(r))
		assert.Equal(t, len(all), count(`<path class="line depth `, out))
		out = render(t, DepthChart(r, all[0], "no-such-node"))
		assert.Equal(t, 1, count(`<path class="line depth `, out))
		assert.Contains(t, out, `data-node="`+all[0]+`"`)
	})
}

func TestThroughputChart(t *testing.T) {
	c := spikeComparison(t)
	root := parseXML(t, render(t, ThroughputChart(c.A, c.B, c.NameA, c.NameB)))
	lines := root.all(is("path", "throughput"))
	require.Len(t, lines, 2)
	top := slices.Max(yTicks(t, root))
	var end core.Duration
	for _, r := range []*core.Report{c.A, c.B} {
		end = max(end, r.End, core.Duration(len(r.Completed.Values))*r.Completed.Width)
	}
	for i, r := range []*core.Report{c.A, c.B} {
		t.Run("draws every bucket of "+r.Scenario+", and the area is the requests completed", func(t *testing.T) {
			cmds := parsePath(t, lines[i].attrs["d"])
			var segments int
			var area float64 // in requests: rate × seconds
			x, y := cmds[0].args[0], cmds[0].args[1]
			for _, cmd := range cmds[1:] {
				switch cmd.op {
				case 'H':
					segments++
					rate := (chartTop + plotH - y) / plotH * top
					seconds := (cmd.args[0] - x) / plotW * end.Seconds()
					area += rate * seconds
					x = cmd.args[0]
				case 'V':
					y = cmd.args[0]
				}
			}
			assert.Equal(t, len(r.Completed.Values), segments)
			var total int64
			for _, v := range r.Completed.Values {
				total += v
			}
			assert.Equal(t, r.Requests.Complete, total)
			assert.InEpsilon(t, float64(total), area, 0.01)
		})
	}
	t.Run("tells the runs apart by line style and the shaded area", func(t *testing.T) {
		assert.Contains(t, lines[0].attrs["class"], "run-a")
		assert.Contains(t, lines[1].attrs["class"], "run-b")
		assert.Len(t, root.all(is("path", "area", "run-a")), 1)
	})
}

func TestWaterfall(t *testing.T) {
	// messagesOf lists the messages of request req in order of first
	// appearance, read from the trace.
	messagesOf := func(tl *core.Timeline, req int32) []int32 {
		var msgs []int32
		for i := range tl.Len() {
			if r := tl.Record(i); r.Req == req && r.Msg >= 0 && !slices.Contains(msgs, r.Msg) {
				msgs = append(msgs, r.Msg)
			}
		}
		return msgs
	}
	// spanOf returns the handling bar of node id in a row.
	spanOf := func(t *testing.T, root *element, id string) (from, to float64) {
		t.Helper()
		bars := root.all(func(e *element) bool { return is("rect", "span")(e) && e.attrs["data-node"] == id })
		require.NotEmpty(t, bars, id)
		x := bars[0].float(t, "x")
		return x, x + bars[0].float(t, "width")
	}
	const eps = 0.05 // SVG units, as written

	for _, tc := range []struct {
		id  string
		req int32
	}{{"message-queue", 0}, {"checkout-hybrid", 0}, {"dlq-poison", 1}, {"rest-chain", 0}} {
		t.Run(tc.id+": a row per message of the request, in order, after the client's", func(t *testing.T) {
			tl := run(t, tc.id)
			root := parseXML(t, render(t, Waterfall(tl, tc.req)))
			msgs := messagesOf(tl, tc.req)
			require.NotEmpty(t, msgs)
			rows := root.all(is("g", "waterfall-row", "message"))
			require.Len(t, rows, len(msgs))
			for i, row := range rows {
				assert.Equal(t, strconv.Itoa(int(msgs[i])), row.attrs["data-msg"])
				label := row.all(is("text", "row-label"))[0].allText()
				assert.True(t, strings.HasPrefix(label, "message "+strconv.Itoa(int(msgs[i]))+" · "), label)
			}
			req := root.all(is("g", "waterfall-row", "request"))
			require.Len(t, req, 1)
			assert.True(t, strings.HasPrefix(req[0].all(is("text", "row-label"))[0].allText(), "request "+strconv.Itoa(int(tc.req))+" · "))
		})
	}

	t.Run("message-queue: the producer's span ends before the worker's starts", func(t *testing.T) {
		root := parseXML(t, render(t, Waterfall(run(t, "message-queue"), 0)))
		_, producerEnd := spanOf(t, root, "producer")
		workerStart, _ := spanOf(t, root, "worker")
		assert.LessOrEqual(t, producerEnd, workerStart+eps)
		svg := root.all(is("svg", "chart-svg"))[0] // not the legend
		assert.Len(t, svg.all(is("rect", "span", "client")), 1)
		assert.Len(t, svg.all(is("line", "pending")), 1, "the request is in flight after the producer has its ack")
		desc := root.all(is("desc"))[0].text
		assert.Contains(t, desc, "answered after 5ms, complete after 2.007s")
	})

	t.Run("checkout-hybrid: sync calls nest inside the caller's span, the async hop follows it", func(t *testing.T) {
		root := parseXML(t, render(t, Waterfall(run(t, "checkout-hybrid"), 0)))
		from, to := spanOf(t, root, "checkout")
		for _, callee := range []string{"cart", "payment"} {
			f, e := spanOf(t, root, callee)
			assert.GreaterOrEqual(t, f, from-eps, callee)
			assert.LessOrEqual(t, e, to+eps, callee)
		}
		for _, worker := range []string{"email", "inventory", "warehouse"} {
			f, _ := spanOf(t, root, worker)
			assert.GreaterOrEqual(t, f, to-eps, worker)
		}
		_, email := spanOf(t, root, "email")
		assert.Greater(t, email, to+100, "the email is sent long after the checkout answered")
		assert.NotEmpty(t, root.all(is("line", "wire")))
		assert.NotEmpty(t, root.all(is("line", "answer")))
	})

	t.Run("shows waiting in a queue apart from handling", func(t *testing.T) {
		tl := run(t, "spike-async")
		root := parseXML(t, render(t, Waterfall(tl, 3000))) // in the middle of the spike: a long wait
		waits := root.all(is("rect", "waiting"))
		require.NotEmpty(t, waits)
		assert.Greater(t, waits[0].float(t, "width"), 100.0)
	})

	t.Run("says when a request has no records", func(t *testing.T) {
		out := render(t, Waterfall(run(t, "message-queue"), 99))
		assert.Contains(t, out, "Request 99 has no records")
		assert.Zero(t, count(`waterfall-row`, out))
	})
}

func TestComparisonTable(t *testing.T) {
	c := spikeComparison(t)
	root := parseXML(t, render(t, ComparisonTable(c)))
	tables := root.all(is("table"))
	require.Len(t, tables, 2)
	for _, table := range tables {
		require.Len(t, table.all(is("caption")), 1)
	}

	t.Run("has the seed's seven aspects in its order", func(t *testing.T) {
		var aspects []string
		for _, th := range tables[0].all(is("th")) {
			if th.attrs["scope"] == "row" {
				aspects = append(aspects, strings.TrimSpace(th.text))
			}
		}
		assert.Equal(t, []string{"Latency", "Coupling", "Failure handling", "Complexity", "Scalability", "Consistency", "Debugging"}, aspects)
	})

	t.Run("cites only figures it measured, and links each to its row", func(t *testing.T) {
		ids := map[string]bool{}
		for _, e := range root.all(func(e *element) bool { return e.attrs["id"] != "" }) {
			ids[e.attrs["id"]] = true
		}
		links := tables[0].all(is("a"))
		require.NotEmpty(t, links)
		cited := 0
		for _, row := range c.Table {
			cited += len(row.Figures)
		}
		assert.Len(t, links, cited)
		for _, a := range links {
			_, ok := c.Figure(a.text)
			assert.True(t, ok, "cites %q", a.text)
			assert.True(t, ids[strings.TrimPrefix(a.attrs["href"], "#")], "%s links to %s", a.text, a.attrs["href"])
		}
	})

	t.Run("fills the aspects with what each run shows", func(t *testing.T) {
		rows := tables[0].all(is("tr"))[1:]
		require.Len(t, rows, len(c.Table))
		for i, row := range rows {
			cells := row.all(is("td"))
			require.Len(t, cells, 2)
			var a, b []string
			for _, name := range c.Table[i].Figures {
				f, _ := c.Figure(name)
				a, b = append(a, name+": "+withUnitOf(f.A, f.Unit)), append(b, name+": "+withUnitOf(f.B, f.Unit))
			}
			assert.Equal(t, strings.Join(a, ", "), cells[0].allText())
			assert.Equal(t, strings.Join(b, ", "), cells[1].allText())
		}
		p50, _ := c.Figure("user p50")
		assert.Contains(t, rows[0].all(is("td"))[0].allText(), "user p50: "+readableMs(p50.A), "durations as a person writes them")
	})

	t.Run("lists every figure with both values and marks the one better beyond the noise", func(t *testing.T) {
		rows := tables[1].all(is("tr"))[1:]
		require.Len(t, rows, len(c.Figures))
		for i, f := range c.Figures {
			cells := rows[i].all(is("td"))
			require.Len(t, cells, 2)
			assert.Equal(t, f.Name, strings.TrimSpace(rows[i].all(is("th"))[0].text))
			for j, v := range []float64{f.A, f.B} {
				text := cells[j].allText()
				assert.True(t, strings.HasPrefix(text, withUnitOf(v, f.Unit)), "%s: %q", f.Name, text)
				better := c.Better(f) == []int{-1, 1}[j]
				assert.Equal(t, strconv.FormatFloat(v, 'g', -1, 64), cells[j].attrs["data-value"], "%s, run %d", f.Name, j)
				assert.Equal(t, better, strings.Contains(cells[j].attrs["class"], "better"), "%s, run %d", f.Name, j)
				assert.Equal(t, better, strings.Contains(text, "(better)"), "%s, run %d", f.Name, j)
			}
		}
		user, _ := c.Figure("user p99")
		require.Less(t, user.B, user.A, "the queue answers the spike faster")
		assert.Contains(t, rows[2].all(is("td"))[1].attrs["class"], "better")
	})
}

func TestTicks(t *testing.T) {
	tests := []struct {
		hi   float64
		n    int
		want float64 // the step
	}{
		{1, 5, 0.2},
		{100, 4, 50},
		{3124, 5, 1000},
		{2.007e9, 6, 0.5e9},
		{71.2e9, 6, 20e9},
		{0, 5, 1},
		{7, 5, 2},
	}
	for _, tt := range tests {
		assert.InDelta(t, tt.want, niceStep(tt.hi, tt.n), tt.want*1e-9, "%g in %d", tt.hi, tt.n)
	}
	ticks, top := ticksUpTo(3124, 5, 1, countLabel)
	assert.Equal(t, 4000.0, top)
	assert.Equal(t, "4000", ticks[len(ticks)-1].label)
	within := ticksWithin(float64(71*core.Second), 6, 1, timeLabel)
	assert.Equal(t, []string{"0s", "20s", "40s", "1m"}, []string{within[0].label, within[1].label, within[2].label, within[3].label})
	assert.Equal(t, "1m20s", timeLabel(float64(80*core.Second)))
	assert.Equal(t, "5 ms", withUnitOf(4.982197, "ms"))
	assert.Equal(t, "89.1%", withUnitOf(89.085, "%"))
	assert.Equal(t, "0.04 per request", withUnitOf(0.0412, "per request"))
	assert.Equal(t, "failed-during-an-outage", slug("failed during an outage"))
	assert.Equal(t, "depth-chart-traffic-spike-through-a-queue", DepthChartID("Traffic spike, through a queue"))
}

// TestDepthChartShowsConsumerLag: a topic's waiting records are its
// consumers' lag, and the chart says so.
func TestDepthChartShowsConsumerLag(t *testing.T) {
	sc, err := core.ExampleByID("ordering-partitions")
	require.NoError(t, err)
	e, err := core.NewEngine(sc, core.Options{})
	require.NoError(t, err)
	e.Run()
	r := e.Report()
	var topic string
	for _, n := range r.Nodes {
		if n.Kind == core.Topic {
			topic = n.ID
		}
	}
	require.NotEmpty(t, topic, "the example has a topic")
	out := render(t, DepthChart(r))
	assert.Contains(t, out, topic+" (consumer lag)")
	assert.Contains(t, out, "Queue depth and consumer lag over time")

	spike := render(t, DepthChart(spikeComparison(t).B))
	assert.NotContains(t, spike, "consumer lag", "no topic, no lag")
}

// TestWaterfallModel holds the waterfall's spans, before any drawing, to
// what the trace says, exactly: which kind of segment, how it began and
// ended (client, skip, error, failed, open), where, and when: a plain
// sync chain, a poison message nacked and dead-lettered, and a consumer
// that skips a redelivered duplicate after its ack was lost.
func TestWaterfallModel(t *testing.T) {
	kinds := [...]string{wfSpan: "span", wfWaiting: "waiting", wfWire: "wire", wfAnswer: "answer", wfPending: "pending"}
	for _, tc := range []struct {
		id  string
		req int32
	}{{"rest-chain", 0}, {"dlq-poison", 5}, {"lost-ack", 19}} {
		t.Run(tc.id, func(t *testing.T) {
			tl := run(t, tc.id)
			sc := tl.Scenario()
			w := buildWaterfall(tl, tc.req)
			var b strings.Builder
			fmt.Fprintf(&b, "request %d of %s: %s to %s\n", tc.req, tc.id, w.t0, w.t1)
			for _, row := range w.rows {
				fmt.Fprintf(&b, "row message %d at %s (handled %v)\n", row.msg, sc.Nodes[row.node].ID, row.handled)
				for _, s := range row.segs {
					how := s.how.class()
					if how == "" {
						how = "-"
					}
					fmt.Fprintf(&b, "  %-7s %-13s at %-10s %s to %s (step %d)\n", kinds[s.kind], how, sc.Nodes[s.node].ID, s.from, s.to, s.step)
				}
			}
			checkGolden(t, "waterfall-model-"+tc.id, b.String())
		})
	}
}

// TestComparisonMarksNothingAgainstItself compares a wiring with itself
// under another seed: every difference is noise, and no figure is marked.
func TestComparisonMarksNothingAgainstItself(t *testing.T) {
	a, err := core.ExampleByID("spike-sync")
	require.NoError(t, err)
	b := a.Clone()
	b.Seed += 1000
	c, err := core.Compare(a, b)
	require.NoError(t, err)
	out := render(t, ComparisonTable(c))
	assert.NotContains(t, out, "better-mark")
	assert.Contains(t, out, "Each wiring ran with 5 seeds, the same 5 for both (common random numbers)")
	differ := 0
	for _, f := range c.Figures {
		if f.A != f.B {
			differ++
		}
	}
	assert.Positive(t, differ, "the seeds do give different figures")
}

// TestComparisonExplainsAndDrawsItsOutage checks that the outage behind
// "failed during an outage" is said in words and marked on its chart.
func TestComparisonExplainsAndDrawsItsOutage(t *testing.T) {
	c := spikeComparison(t)
	require.NotNil(t, c.DownA)
	require.NotNil(t, c.DownB)
	note := render(t, ComparisonTable(c))
	assert.Contains(t, note, "with "+c.DownA.Node+" down from "+readableDuration(c.DownA.At)+" to "+readableDuration(c.DownA.Until))
	chart := parseXML(t, render(t, OutageChart(c)))
	spans := chart.all(func(e *element) bool {
		return e.name == "rect" && strings.Contains(e.attrs["class"], "outage-span") && e.attrs["data-from"] != ""
	})
	require.Len(t, spans, 2)
	for i, d := range []*core.Fault{c.DownA, c.DownB} {
		assert.Equal(t, num(float64(d.At)), spans[i].attrs["data-from"])
		assert.Equal(t, num(float64(d.Until)), spans[i].attrs["data-until"])
	}
}
