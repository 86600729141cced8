package web

import (
	"math"
	"strconv"
	"strings"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/internal/fmtlite"
	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"
)

// The charts of a comparison: what two wirings of one workload measured,
// drawn as SVG. Each view returns one <figure> with an id, so the WASM
// program can replace it whole; inside, the SVG has role="img" and a
// <title> and <desc> that say the key figures in words. Two runs are told
// apart by colour and by line style and marker, so the charts also work
// without colour; text sizes and colours come from classes (style.css),
// because the page's CSP forbids style attributes.

// The ids of the charts that a page shows once. Each chart's <title> and
// <desc> have its id with "-title" and "-desc" appended.
const (
	IDLatencyChart    = "latency-chart"    // [LatencyCDF]
	IDThroughputChart = "throughput-chart" // [ThroughputChart]
	IDWaterfall       = "waterfall"        // [Waterfall]
	IDComparison      = "comparison"       // [ComparisonTable]
	IDOutageChart     = "outage-chart"     // [OutageChart]
)

// DepthChartID is the id of the [DepthChart] of a run of the named
// scenario: a page shows one per run.
func DepthChartID(scenario string) string { return "depth-chart-" + slug(scenario) }

// ComparisonFigureID is the id of the row of figure name in the
// [ComparisonTable]; the aspects' "backed by" links point to it.
func ComparisonFigureID(name string) string { return IDComparison + "-" + slug(name) }

// The geometry of a chart, in SVG user units: a plot area inside margins
// for tick labels and axis titles. The SVG scales to its column; on a
// phone, style.css enlarges the text instead of letting it shrink.
const (
	chartW      = 560.0
	chartH      = 300.0
	chartLeft   = 60.0 // y tick labels
	chartRight  = 46.0 // the last x tick label, the CDF's percentile labels
	chartTop    = 40.0 // the y axis title
	chartBottom = 50.0 // x tick labels and the x axis title
	plotW       = chartW - chartLeft - chartRight
	plotH       = chartH - chartTop - chartBottom
)

// frame maps data to SVG units in a plot area.
type frame struct {
	left, top, width, height float64 // the plot area
	x0, x1, y0, y1           float64 // the data it spans
}

// plotFrame is the standard plot area over the data [x0, x1] × [y0, y1].
func plotFrame(x0, x1, y0, y1 float64) frame {
	return frame{left: chartLeft, top: chartTop, width: plotW, height: plotH, x0: x0, x1: x1, y0: y0, y1: y1}
}

func (f frame) x(v float64) float64 {
	if f.x1 <= f.x0 {
		return f.left
	}
	return f.left + (v-f.x0)/(f.x1-f.x0)*f.width
}

func (f frame) y(v float64) float64 {
	if f.y1 <= f.y0 {
		return f.top + f.height
	}
	return f.top + f.height - (v-f.y0)/(f.y1-f.y0)*f.height
}

func (f frame) bottom() float64 { return f.top + f.height }
func (f frame) right() float64  { return f.left + f.width }

// tick is one labelled value on an axis.
type tick struct {
	at    float64
	label string
}

// niceStep returns the step, 1, 2 or 5 times a power of ten, that cuts
// [0, hi] into at most n parts.
func niceStep(hi float64, n int) float64 {
	if hi <= 0 || n < 1 {
		return 1
	}
	raw := hi / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	switch {
	case p >= raw:
		return p
	case 2*p >= raw:
		return 2 * p
	case 5*p >= raw:
		return 5 * p
	}
	return 10 * p
}

// ticksUpTo returns ticks 0, step, 2·step … up to the first at or past
// hi, and that last value: the top of the axis.
func ticksUpTo(hi float64, n int, minStep float64, label func(float64) string) ([]tick, float64) {
	step := max(niceStep(hi, n), minStep)
	k := max(math.Ceil(hi/step-1e-9), 1)
	ticks := make([]tick, 0, int(k)+1)
	for i := 0.0; i <= k; i++ {
		ticks = append(ticks, tick{i * step, label(i * step)})
	}
	return ticks, k * step
}

// ticksWithin returns ticks 0, step … no further than hi, for an axis that
// ends exactly at hi (the end of a run).
func ticksWithin(hi float64, n int, minStep float64, label func(float64) string) []tick {
	step := max(niceStep(hi, n), minStep)
	var ticks []tick
	for i := 0.0; i*step <= hi*(1+1e-9); i++ {
		ticks = append(ticks, tick{i * step, label(i * step)})
	}
	return ticks
}

// timeLabel labels a time axis in nanoseconds.
func timeLabel(v float64) string {
	s := formatTime(core.Duration(math.Round(v)))
	if whole, ok := strings.CutSuffix(s, "m0s"); ok {
		return whole + "m" // "1m" reads better on an axis than "1m0s"
	}
	return s
}

// countLabel labels an axis of counts or rates.
func countLabel(v float64) string { return formatFigure(v) }

// percentLabel labels a percentage axis.
func percentLabel(v float64) string { return formatFigure(v) + "%" }

// formatFigure writes a measured number with as many decimals as it
// needs: none from 100, one from 1, two below.
func formatFigure(v float64) string {
	prec := 2
	switch a := math.Abs(v); {
	case a >= 100:
		prec = 0
	case a >= 1:
		prec = 1
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// withUnitOf writes a figure's value and unit as a person would: "5 ms",
// "15.4 s", "89.1%", "1 message", "3,099 requests".
func withUnitOf(v float64, unit string) string {
	switch unit {
	case "ms":
		return readableMs(v)
	case "%":
		return formatFigure(v) + "%"
	case "requests", "messages":
		return quantity(v, strings.TrimSuffix(unit, "s"), unit)
	case "requests/s":
		return quantity(v, "request/s", unit)
	}
	return groupedFigure(v) + " " + unit
}

// slug makes a name into an id fragment: lower case letters and digits,
// with a hyphen for each run of anything else.
func slug(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			hyphen = false
		} else {
			hyphen = true
		}
	}
	return b.String()
}

// axes draws the grid, the axis lines, the tick labels and the axis
// titles of a plot.
func axes(f frame, xs, ys []tick, xTitle, yTitle string) g.Node {
	nodes := make([]g.Node, 0, 2*(len(xs)+len(ys))+4)
	for _, t := range ys {
		y := num(f.y(t.at))
		nodes = append(nodes,
			svgEl("line", []string{"class", "grid", "x1", num(f.left), "y1", y, "x2", num(f.right()), "y2", y}),
			svgEl("text", []string{"class", "tick y", "x", num(f.left - 6), "y", num(f.y(t.at) + 4)}, g.Text(t.label)),
		)
	}
	for i, t := range xs {
		x := num(f.x(t.at))
		class := "tick x"
		if i%2 == 1 && i < len(xs)-1 && len(xs) > 4 {
			class += " odd" // hidden on a phone, where the labels would touch
		}
		nodes = append(nodes,
			svgEl("line", []string{"class", "axis", "x1", x, "y1", num(f.bottom()), "x2", x, "y2", num(f.bottom() + 5)}),
			svgEl("text", []string{"class", class, "x", x, "y", num(f.bottom() + 19)}, g.Text(t.label)),
		)
	}
	nodes = append(nodes,
		svgEl("line", []string{"class", "axis", "x1", num(f.left), "y1", num(f.bottom()), "x2", num(f.right()), "y2", num(f.bottom())}),
		svgEl("text", []string{"class", "axis-title", "x", num(f.left + f.width/2), "y", num(f.bottom() + 42)}, g.Text(xTitle)),
	)
	if yTitle != "" {
		// Above the plot and level, not turned along the axis: easier to
		// read, and it leaves the left margin to the tick labels.
		nodes = append(nodes,
			svgEl("line", []string{"class", "axis", "x1", num(f.left), "y1", num(f.top), "x2", num(f.left), "y2", num(f.bottom())}),
			svgEl("text", []string{"class", "axis-title y", "x", "4", "y", num(f.top - 20)}, g.Text(yTitle)),
		)
	}
	return g.El("g", h.Class("axes"), g.Group(nodes))
}

// chartFigure wraps a chart's SVG, its legend and its caption in the
// <figure> with the given id. The SVG's <title> is its accessible name
// and its <desc> the figures in words.
func chartFigure(id, class, title, desc, caption string, height float64, legend g.Node, body ...g.Node) g.Node {
	vw, vh := num(chartW), num(height)
	return h.Figure(h.ID(id), h.Class("chart "+class),
		h.SVG(h.Class("chart-svg"), h.Role("img"), h.Aria("labelledby", id+"-title"), h.Aria("describedby", id+"-desc"),
			g.Attr("viewBox", "0 0 "+vw+" "+vh), h.Width(vw), h.Height(vh),
			g.El("title", h.ID(id+"-title"), g.Text(title)),
			g.El("desc", h.ID(id+"-desc"), g.Text(desc)),
			g.Group(body),
		),
		legend,
		h.FigCaption(g.Text(caption)),
	)
}

// legendItem is one entry of a chart's legend: a sample of the line or
// shape, and its name.
type legendItem struct {
	sample g.Node // drawn in a 32×12 box
	name   string
}

// legend lists what the lines of a chart are, in HTML, so that it wraps
// on a narrow screen and keeps a readable size.
func legend(items []legendItem) g.Node {
	lis := make([]g.Node, 0, len(items))
	for _, it := range items {
		lis = append(lis, h.Li(
			h.SVG(h.Class("swatch"), g.Attr("viewBox", "0 0 32 12"), h.Width("32"), h.Height("12"),
				h.Aria("hidden", "true"), g.Attr("focusable", "false"), it.sample),
			g.Text(it.name),
		))
	}
	return h.Ul(h.Class("chart-legend"), g.Group(lis))
}

// lineSample is a legend's sample of a line of the given classes.
func lineSample(class string) g.Node {
	return svgEl("line", []string{"class", "line " + class, "x1", "1", "y1", "6", "x2", "31", "y2", "6"})
}

// comparedRun is one of the two runs a chart compares.
type comparedRun struct {
	class  string // "run-a" or "run-b": colour, line style and marker
	name   string
	report *core.Report
}

// comparedRuns names the two runs, "Run A" and "Run B" if they have no
// name; a nil report counts as a run that measured nothing.
func comparedRuns(a, b *core.Report, nameA, nameB string) [2]comparedRun {
	orName := func(n, or string) string {
		if n == "" {
			return or
		}
		return n
	}
	orEmpty := func(r *core.Report) *core.Report {
		if r == nil {
			return &core.Report{}
		}
		return r
	}
	return [2]comparedRun{
		{"run-a", orName(nameA, "Run A"), orEmpty(a)},
		{"run-b", orName(nameB, "Run B"), orEmpty(b)},
	}
}

// runMarker marks a point of a run: a circle for run A, a square for run B.
func runMarker(class string, x, y float64, title string) g.Node {
	t := g.If(title != "", g.El("title", g.Text(title)))
	if class == "run-b" {
		return svgEl("rect", []string{"class", "marker " + class, "x", num(x - 4), "y", num(y - 4), "width", "8", "height", "8"}, t)
	}
	return svgEl("circle", []string{"class", "marker " + class, "cx", num(x), "cy", num(y), "r", "4.5"}, t)
}

// runLegend is the legend of a chart of two runs: lines with their
// markers, or (area) without markers and run A a shaded area under its line.
func runLegend(runs [2]comparedRun, area bool) g.Node {
	items := make([]legendItem, 0, len(runs))
	for i, r := range runs {
		sample := g.Group{lineSample(r.class), runMarker(r.class, 16, 6, "")}
		if area {
			sample = g.Group{lineSample(r.class)}
		}
		if area && i == 0 {
			sample = g.Group{svgEl("rect", []string{"class", "area " + r.class, "x", "1", "y", "4", "width", "30", "height", "8"}),
				svgEl("line", []string{"class", "line " + r.class, "x1", "1", "y1", "4", "x2", "31", "y2", "4"})}
		}
		items = append(items, legendItem{sample, r.name})
	}
	return legend(items)
}

// cdfPoint is a point of a cumulative distribution: pct of the values are
// at most at.
type cdfPoint struct {
	pct float64
	at  core.Duration
}

// cdfPoints returns the points of a summary's distribution: its quantiles
// (0%, 5% … 100%), with p99 between 95% and 100%.
func cdfPoints(s core.Summary) []cdfPoint {
	n := len(s.Quantiles) - 1
	if n < 1 {
		return nil
	}
	pts := make([]cdfPoint, 0, n+2)
	for i, d := range s.Quantiles {
		p := 100 * float64(i) / float64(n)
		if len(pts) > 0 && pts[len(pts)-1].pct < 99 && p > 99 {
			pts = append(pts, cdfPoint{99, s.P99})
		}
		pts = append(pts, cdfPoint{p, d})
	}
	return pts
}

// LatencyCDF draws both runs' user-perceived latency as cumulative
// distributions on one axis: each line climbs to the share of requests
// answered within a time, so the line further left is the faster run.
// Marks show each run's p50, p95 and p99.
func LatencyCDF(a, b *core.Report, nameA, nameB string) g.Node {
	runs := comparedRuns(a, b, nameA, nameB)
	var slowest core.Duration
	for _, r := range runs {
		slowest = max(slowest, r.report.UserLatency.Max)
		if q := r.report.UserLatency.Quantiles; len(q) > 0 {
			slowest = max(slowest, q[len(q)-1])
		}
	}
	xs, top := ticksUpTo(float64(slowest), 5, 1, timeLabel)
	f := plotFrame(0, top, 0, 100)
	ys := []tick{{0, "0%"}, {25, "25%"}, {50, "50%"}, {75, "75%"}, {100, "100%"}}
	body := []g.Node{axes(f, xs, ys, "User-perceived latency", "Requests answered (%)")}

	// The percentiles' guide lines, labelled in the right margin: p99
	// above its line and p95 below, so that they never overlap.
	guides := make([]g.Node, 0, 6)
	for _, p := range []struct {
		pct  float64
		name string
		dy   float64
	}{{50, "p50", -3}, {95, "p95", 12}, {99, "p99", -3}} {
		y := f.y(p.pct)
		guides = append(guides,
			svgEl("line", []string{"class", "guide", "x1", num(f.left), "y1", num(y), "x2", num(f.right()), "y2", num(y)}),
			svgEl("text", []string{"class", "guide-label", "x", num(f.right() + 4), "y", num(y + p.dy)}, g.Text(p.name)),
		)
	}
	body = append(body, g.El("g", h.Class("guides"), g.Group(guides)))

	var sentences []string
	for _, r := range runs {
		s := r.report.UserLatency
		pts := cdfPoints(s)
		if len(pts) == 0 {
			sentences = append(sentences, r.name+": no request was answered.")
			continue
		}
		var d strings.Builder
		d.WriteString("M" + num(f.x(float64(pts[0].at))) + " " + num(f.y(0)))
		for i := 1; i < len(pts); i++ {
			x := num(f.x(float64(pts[i].at)))
			d.WriteString(" L" + x + " " + num(f.y(pts[i-1].pct)) + " L" + x + " " + num(f.y(pts[i].pct)))
		}
		marks := make([]g.Node, 0, 3)
		for _, p := range []struct {
			pct  float64
			name string
			at   core.Duration
		}{{50, "p50", s.P50}, {95, "p95", s.P95}, {99, "p99", s.P99}} {
			marks = append(marks, runMarker(r.class, f.x(float64(p.at)), f.y(p.pct), r.name+" "+p.name+": "+formatTime(p.at)))
		}
		body = append(body, g.El("g", h.Class("run "+r.class),
			svgEl("path", []string{"class", "line cdf " + r.class, "d", d.String()}),
			g.Group(marks),
		))
		sentences = append(sentences, fmtlite.Sprintf("%s: %s answered; p50 %s, p95 %s, p99 %s, slowest %s.",
			r.name, plural(int(s.Count), "request"), formatTime(s.P50), formatTime(s.P95), formatTime(s.P99), formatTime(s.Max)))
	}
	return chartFigure(IDLatencyChart, "latency-chart",
		"User-perceived latency of "+runs[0].name+" and "+runs[1].name+", as cumulative distributions",
		strings.Join(sentences, " "),
		"User-perceived latency: each line climbs to the share of requests answered within that time, so further left is faster. Marks show p50, p95 and p99.",
		chartH, runLegend(runs, false), body...)
}

// depthSeriesClasses is how many line styles the depth chart cycles through.
const depthSeriesClasses = 6

// DepthChart draws the number of messages waiting at each of the given
// nodes over the run, from 0 to r.End; without ids, at every node with a
// depth series. Each line is the largest depth in each bucket of time.
func DepthChart(r *core.Report, ids ...string) g.Node {
	if r == nil {
		r = &core.Report{}
	}
	var nodes []*core.NodeReport
	add := func(n *core.NodeReport) {
		if n.Depth != nil {
			nodes = append(nodes, n)
		}
	}
	if len(ids) == 0 {
		for i := range r.Nodes {
			add(&r.Nodes[i])
		}
	}
	for _, id := range ids {
		for i := range r.Nodes {
			if r.Nodes[i].ID == id {
				add(&r.Nodes[i])
			}
		}
	}
	var peak int64
	for _, n := range nodes {
		peak = max(peak, n.Depth.Max())
	}
	end := float64(r.End)
	ys, top := ticksUpTo(float64(peak), 5, 1, countLabel)
	f := plotFrame(0, end, 0, top)
	xs := ticksWithin(end, 6, 1, timeLabel)
	body := []g.Node{axes(f, xs, ys, "Time since the run started", "Messages waiting")}

	items := make([]legendItem, 0, len(nodes))
	sentences := make([]string, 0, len(nodes))
	var width core.Duration
	topics := false
	for i, n := range nodes {
		class := "series-" + strconv.Itoa(i%depthSeriesClasses+1)
		name := n.ID // the report has ids, not the scenario's labels
		if n.Kind == core.Topic {
			// What waits in a topic is what its consumers have yet to
			// read: their lag.
			name += " (consumer lag)"
			topics = true
		}
		s := n.Depth
		width = max(width, s.Width)
		body = append(body, svgEl("path", []string{"class", "line depth " + class, "data-node", n.ID, "d", depthPath(f, s, r.End)}))
		items = append(items, legendItem{lineSample(class), name})
		m := s.Max()
		at := core.Duration(0)
		for j, v := range s.Values {
			if v == m {
				at = core.Duration(j) * s.Width
				break
			}
		}
		sentences = append(sentences, fmtlite.Sprintf("%s: at most %s waiting, first reached at %s.", name, plural(int(m), "message"), formatTime(at)))
	}
	if len(nodes) == 0 {
		sentences = append(sentences, "No node kept messages waiting.")
	}
	caption := "Queue depth: messages waiting at each node over the run"
	if width > 0 {
		caption += ", the largest number in each " + formatTime(width)
	}
	title := "Queue depth over time"
	if topics {
		caption += "; at a topic, its consumers' lag: records written and not yet read"
		title = "Queue depth and consumer lag over time"
	}
	if r.Scenario != "" {
		title += " in " + r.Scenario
	}
	return chartFigure(DepthChartID(r.Scenario), "depth-chart", title, strings.Join(sentences, " "), caption+".",
		chartH, legend(items), body...)
}

// depthPath draws a depth series as a step line from 0 to end: a
// horizontal segment for each run of buckets of equal value, the last
// held until end (a level holds until it changes).
func depthPath(f frame, s *core.Series, end core.Duration) string {
	if len(s.Values) == 0 {
		return "M" + num(f.x(0)) + " " + num(f.y(0)) + " H" + num(f.x(float64(end)))
	}
	var d strings.Builder
	d.WriteString("M" + num(f.x(0)) + " " + num(f.y(float64(s.Values[0]))))
	for i := 1; i < len(s.Values); i++ {
		at := core.Duration(i) * s.Width
		if at >= end {
			break
		}
		if s.Values[i] != s.Values[i-1] {
			d.WriteString(" H" + num(f.x(float64(at))) + " V" + num(f.y(float64(s.Values[i]))))
		}
	}
	d.WriteString(" H" + num(f.x(float64(end))))
	return d.String()
}

// bucketPath draws n buckets of the given width as a step line with one
// horizontal segment ("H") per bucket, at the height value gives.
func bucketPath(f frame, width core.Duration, n int, value func(int) float64) string {
	if n == 0 {
		return ""
	}
	var d strings.Builder
	d.WriteString("M" + num(f.x(0)) + " " + num(f.y(value(0))))
	for i := range n {
		d.WriteString(" H" + num(f.x(float64(core.Duration(i+1)*width))))
		if i+1 < n {
			d.WriteString(" V" + num(f.y(value(i+1))))
		}
	}
	return d.String()
}

// ThroughputChart draws the requests each run completed per second over
// time: each bucket of Report.Completed divided by its width.
func ThroughputChart(a, b *core.Report, nameA, nameB string) g.Node {
	return throughputChart(IDThroughputChart, a, b, nameA, nameB, nil)
}

// OutageChart is the ThroughputChart of the comparison's runs with an
// outage, the outage of each marked on the time axis as a shaded span.
func OutageChart(c *core.Comparison) g.Node {
	return throughputChart(IDOutageChart, c.OutageA, c.OutageB, c.NameA, c.NameB, []*core.Fault{c.DownA, c.DownB})
}

// throughputChart is ThroughputChart with the id given and, for each run,
// the outage (a down fault, or nil) to mark.
func throughputChart(id string, a, b *core.Report, nameA, nameB string, downs []*core.Fault) g.Node {
	runs := comparedRuns(a, b, nameA, nameB)
	var end core.Duration
	var peak float64
	for _, r := range runs {
		c := r.report.Completed
		end = max(end, r.report.End, core.Duration(len(c.Values))*c.Width)
		if c.Width > 0 {
			peak = max(peak, float64(c.Max())/c.Width.Seconds())
		}
	}
	ys, top := ticksUpTo(peak, 5, 0, countLabel)
	f := plotFrame(0, float64(end), 0, top)
	xs := ticksWithin(float64(end), 6, 1, timeLabel)
	body := []g.Node{axes(f, xs, ys, "Time since the run started", "Completed requests per second")}
	sentences := make([]string, 0, len(runs)+len(downs))
	items := []legendItem(nil)
	for i, d := range downs {
		if d == nil {
			continue
		}
		// Each run's outage as a band: A's over the top half of the plot,
		// B's over the bottom, so that two that overlap both show.
		x0, x1 := f.x(float64(d.At)), f.x(float64(d.Until))
		y, ht := f.top+float64(i)*f.height/2, f.height/2
		what := runs[i].name + ": " + d.Node + " down from " + readableDuration(d.At) + " to " + readableDuration(d.Until)
		body = append(body, svgEl("rect", []string{"class", "outage-span " + runs[i].class, "data-from", num(float64(d.At)), "data-until", num(float64(d.Until)), "x", num(x0), "y", num(y), "width", num(x1 - x0), "height", num(ht)}, g.El("title", g.Text(what))))
		sentences = append(sentences, what+".")
		if items == nil {
			items = append(items, legendItem{svgEl("rect", []string{"class", "outage-span", "x", "1", "y", "0", "width", "30", "height", "12"}), "outage (A above, B below)"})
		}
	}
	var width core.Duration
	for _, r := range runs {
		c := r.report.Completed
		if len(c.Values) == 0 || c.Width <= 0 {
			sentences = append(sentences, r.name+": no request completed.")
			continue
		}
		width = max(width, c.Width)
		per := c.Width.Seconds()
		rate := func(i int) float64 { return float64(c.Values[i]) / per }
		var total int64
		for _, v := range c.Values {
			total += v
		}
		d := bucketPath(f, c.Width, len(c.Values), rate)
		if r.class == "run-a" {
			// Run A is also a shaded area: a jagged dashed line over a
			// jagged solid one is hard to follow, an outline over a shape is not.
			body = append(body, svgEl("path", []string{"class", "area " + r.class, "d", d + " V" + num(f.bottom()) + " H" + num(f.left) + " Z"}))
		}
		body = append(body, svgEl("path", []string{"class", "line throughput " + r.class, "data-buckets", strconv.Itoa(len(c.Values)), "d", d}))
		sentences = append(sentences, fmtlite.Sprintf("%s: %s completed, %s per second on average, at most %s per second.",
			r.name, plural(int(total), "request"), formatFigure(r.report.Throughput), formatFigure(float64(c.Max())/per)))
	}
	caption, title := "Throughput: requests completed per second over the run", "Throughput over time of "
	if downs != nil {
		caption, title = "Throughput with the outage: requests completed per second while a part was down for the middle third", "Throughput through an outage of "
	}
	if width > 0 {
		caption += ", counted in buckets of " + readableDuration(width)
	}
	lg := runLegend(runs, true)
	if items != nil {
		lg = g.Group{lg, legend(items)}
	}
	return chartFigure(id, "throughput-chart",
		title+runs[0].name+" and "+runs[1].name,
		strings.Join(sentences, " "), caption+".", chartH, lg, body...)
}

// The waterfall's geometry: one row per span, its label above its bars,
// so that a label never shortens the time axis.
const (
	wfRowH   = 40.0
	wfLabelY = 15.0 // the label's baseline, from the row's top
	wfBarY   = 21.0 // the bars' top, from the row's top
	wfBarH   = 13.0
	wfLeft   = 16.0
	wfTop    = 6.0
)

// wfKey is something open in a waterfall: a message at (or heading to) a node.
type wfKey struct{ msg, node int32 }

// wfKind is what a waterfall segment shows.
type wfKind uint8

const (
	wfSpan    wfKind = iota // a node handling the message (or the client waiting for its answer)
	wfWaiting               // the message waiting in a queue or for a worker
	wfWire                  // the message on the wire
	wfAnswer                // the answer on its way back
	wfPending               // the request still in flight after the client's answer
	wfKinds
)

// wfHow says how a segment began and ended: what the drawing shows as
// classes, and what its titles and sentences say.
type wfHow struct {
	client bool // the client's own span: waiting for its answer
	skip   bool // an idempotent consumer skipped a duplicate
	err    bool // an answer that carries an error (or a nack)
	failed bool // handling that failed
	lost   bool // the message was dropped or lost on the way
	open   bool // it never ended within the request's records
}

// class is how for CSS: what it began as, then how it ended.
func (w wfHow) class() string {
	var words []string
	for _, c := range []struct {
		on   bool
		name string
	}{{w.client, "client"}, {w.skip, "skip"}, {w.err, "error"}, {w.failed, "failed"}, {w.lost, "lost"}, {w.open, "open"}} {
		if c.on {
			words = append(words, c.name)
		}
	}
	return strings.Join(words, " ")
}

// wfOpen is a segment that has started and not yet ended.
type wfOpen struct {
	at     core.Duration
	step   int   // the step whose record started it
	sender int32 // a wire's sender
	how    wfHow // how it began
}

// wfSegment is a span of time in a waterfall row.
type wfSegment struct {
	kind     wfKind
	how      wfHow
	from, to core.Duration
	msg      int32
	node     int32 // where: the handler, the queue, a wire's receiver
	sender   int32 // a wire's sender
	step     int
}

// wfRow is a row of a waterfall: the request's client, or one message.
type wfRow struct {
	msg     int32 // -1 for the client's row
	node    int32 // the client, or the node that handled the message
	handled bool  // node is the handler (else the last node it reached)
	segs    []wfSegment
	done    core.Duration // the client's row: when the request completed, or -1
}

// waterfall is a request's records gathered into rows.
type waterfall struct {
	rows   []*wfRow // the client's first, then messages by first appearance
	t0, t1 core.Duration
}

// isPast reports whether a reason marks an answer that no longer counts
// for its caller.
func isPast(r core.Reason) bool {
	return r == core.ReasonLate || r == core.ReasonCallerGone || r == core.ReasonStale
}

// buildWaterfall gathers the records of request req into rows of spans:
// handling (start or skip → finish or fail), waiting (enqueue, wait or
// limited → deliver or start), wires (send or deliver → arrive) and
// answers (reply, ack or nack → receive).
func buildWaterfall(tl *core.Timeline, req int32) waterfall {
	sc := tl.Scenario()
	isClient := func(n int32) bool { return n >= 0 && int(n) < len(sc.Nodes) && sc.Nodes[n].Kind == core.Client }
	var w waterfall
	var client *wfRow
	clientFrom, clientTo := core.Duration(-1), core.Duration(-1)
	clientStep := 0
	rows := map[int32]*wfRow{}
	var opens [wfKinds]map[wfKey]wfOpen
	for k := range opens {
		opens[k] = map[wfKey]wfOpen{}
	}
	found := false
	// end closes what is open of kind at k, marked by ended (failed,
	// lost or open) beside how it began.
	end := func(kind wfKind, k wfKey, at core.Duration, ended wfHow) {
		o, ok := opens[kind][k]
		if !ok {
			return
		}
		delete(opens[kind], k)
		how := o.how
		how.failed, how.lost, how.open = ended.failed, ended.lost, ended.open
		rows[k.msg].segs = append(rows[k.msg].segs, wfSegment{kind: kind, how: how, from: o.at, to: at,
			msg: k.msg, node: k.node, sender: o.sender, step: o.step})
	}
	begin := func(kind wfKind, k wfKey, o wfOpen) {
		end(kind, k, o.at, wfHow{open: true}) // an earlier one that never ended
		opens[kind][k] = o
	}
	first, last, _ := tl.RequestRecords(req)
	for i := first; i <= last; i++ {
		r := tl.Record(i)
		if r.Req != req {
			continue
		}
		if !found {
			found, w.t0 = true, r.At
		}
		w.t1 = r.At
		step := i + 1
		if r.Kind == core.RecSend && isClient(r.Node) && client == nil {
			client = &wfRow{msg: -1, node: r.Node, handled: true, done: -1}
			clientFrom, clientStep = r.At, step
		}
		if client != nil && r.Node == client.node {
			switch {
			case r.Kind == core.RecReceive && !isPast(r.Reason), r.Kind == core.RecTimeout:
				clientTo = r.At
			case r.Kind == core.RecDone:
				client.done = r.At
			}
		}
		if r.Msg < 0 {
			continue
		}
		row := rows[r.Msg]
		if row == nil {
			row = &wfRow{msg: r.Msg, node: r.Node}
			rows[r.Msg] = row
			w.rows = append(w.rows, row)
		}
		here := wfKey{r.Msg, r.Node}
		o := wfOpen{at: r.At, step: step, sender: r.Node}
		switch r.Kind {
		case core.RecSend, core.RecDeliver, core.RecDeadLetter:
			end(wfWaiting, here, r.At, wfHow{})
			if r.To >= 0 {
				begin(wfWire, wfKey{r.Msg, r.To}, o)
			}
		case core.RecArrive:
			end(wfWire, here, r.At, wfHow{})
			if !row.handled {
				row.node = r.Node
			}
		case core.RecEnqueue, core.RecCommit, core.RecRequeue, core.RecRedeliver, core.RecWait, core.RecLimited:
			begin(wfWaiting, here, o)
		case core.RecMark:
			end(wfWaiting, here, r.At, wfHow{})
		case core.RecStart, core.RecSkip:
			end(wfWaiting, here, r.At, wfHow{})
			o.how.skip = r.Kind == core.RecSkip
			begin(wfSpan, here, o)
			if !row.handled {
				row.node, row.handled = r.Node, true
			}
		case core.RecFinish, core.RecFail:
			end(wfSpan, here, r.At, wfHow{failed: r.Kind == core.RecFail || r.Reason != core.ReasonNone})
		case core.RecCancel:
			// Cancelled while waiting or while handled: whichever was open ends.
			end(wfWaiting, here, r.At, wfHow{failed: true})
			end(wfSpan, here, r.At, wfHow{failed: true})
		case core.RecReply, core.RecAck, core.RecNack:
			if r.To >= 0 && r.Reason != core.ReasonAckLost {
				o.how.err = r.Kind == core.RecNack || r.Reason != core.ReasonNone
				begin(wfAnswer, wfKey{r.Msg, r.To}, o)
			}
		case core.RecReceive:
			end(wfAnswer, here, r.At, wfHow{})
		case core.RecDrop, core.RecLost:
			for _, kind := range []wfKind{wfWire, wfWaiting} {
				for k := range opens[kind] {
					if k.msg == r.Msg {
						end(kind, k, r.At, wfHow{lost: true})
					}
				}
			}
		}
	}
	// What never ended is drawn to the request's last record, in the order
	// it started: maps keep none.
	var left []wfSegment
	for kind, m := range opens {
		for k, o := range m {
			how := o.how
			how.open = true
			left = append(left, wfSegment{kind: wfKind(kind), how: how, from: o.at, to: w.t1,
				msg: k.msg, node: k.node, sender: o.sender, step: o.step})
		}
	}
	// An insertion sort, not slices.SortFunc: a generic sort's code per
	// element type is kilobytes of WASM.
	sortStable(len(left), func(i, j int) bool { return left[i].step < left[j].step }, func(i, j int) { left[i], left[j] = left[j], left[i] })
	for _, s := range left {
		rows[s.msg].segs = append(rows[s.msg].segs, s)
	}
	if client != nil {
		how := wfHow{client: true, open: clientTo < 0}
		if clientTo < 0 {
			clientTo = w.t1
		}
		client.segs = append(client.segs, wfSegment{kind: wfSpan, how: how, from: clientFrom, to: clientTo, node: client.node, step: clientStep})
		if client.done > clientTo {
			client.segs = append(client.segs, wfSegment{kind: wfPending, from: clientTo, to: client.done, node: client.node})
		}
		w.rows = append([]*wfRow{client}, w.rows...)
	}
	return w
}

// Waterfall draws request req like a tracing UI: a row for the client that
// sent it, then one per message of the request in order of first
// appearance, each labelled "message N · node" after the node that
// handled it. A solid bar is a node handling the message, a hollow one
// the message waiting in a queue or for a worker, a thin line the message
// on the wire, a dotted one the answer coming back. A sync call nests the
// callee's bar inside the caller's; an async hop leaves the caller's bar
// ending before the worker's starts. The x axis is the time since the
// request's first record.
func Waterfall(tl *core.Timeline, req int32) g.Node {
	sc := tl.Scenario()
	w := buildWaterfall(tl, req)
	name := func(n int32) string {
		if n >= 0 && int(n) < len(sc.Nodes) {
			return sc.Nodes[n].Name()
		}
		return "?"
	}
	id := func(n int32) string {
		if n >= 0 && int(n) < len(sc.Nodes) {
			return sc.Nodes[n].ID
		}
		return ""
	}
	rel := func(t core.Duration) float64 { return float64(t - w.t0) }
	span := func(from, to core.Duration) string {
		return formatTime(from-w.t0) + " to " + formatTime(to-w.t0) + " (" + formatTime(to-from) + ")"
	}
	// The axis ends at the request's last record: a waterfall is read
	// against its own length, and a rounder end would squeeze it.
	xs := ticksWithin(rel(w.t1), 6, 1, timeLabel)
	rowsH := float64(len(w.rows)) * wfRowH
	f := frame{left: wfLeft, top: wfTop, width: chartW - wfLeft - chartRight, height: max(rowsH, wfRowH), x0: 0, x1: max(rel(w.t1), 1)}
	grid := make([]g.Node, 0, len(xs))
	for _, t := range xs[1:] {
		x := num(f.x(t.at))
		grid = append(grid, svgEl("line", []string{"class", "grid", "x1", x, "y1", num(f.top), "x2", x, "y2", num(f.bottom())}))
	}
	body := []g.Node{g.El("g", h.Class("grid-lines"), g.Group(grid)), axes(f, xs, nil, "Time since the request's first record", "")}

	req32 := strconv.Itoa(int(req))
	var sentences []string
	for i, row := range w.rows {
		y := wfTop + float64(i)*wfRowH
		mid := num(y + wfBarY + wfBarH/2)
		label := "message " + strconv.Itoa(int(row.msg)) + " · " + name(row.node)
		class := "waterfall-row message"
		note := "" // the request's row says when the client had its answer, and when all was done
		if row.msg < 0 {
			label, class = "request "+req32+" · "+truncate(name(row.node), 16), "waterfall-row request"
			if seg := row.segs[0]; seg.how.open {
				note = " · no answer"
			} else {
				note = " · answered " + formatTime(seg.to-seg.from)
			}
			if row.done >= 0 {
				note += " · complete " + formatTime(row.done-w.t0)
			}
		}
		// Waits and wires first, so that the bars are drawn over them.
		var under, over []g.Node
		var handled []string
		for _, s := range row.segs {
			x1, x2 := round1(f.x(rel(s.from))), round1(f.x(rel(s.to)))
			note := ""
			switch {
			case s.how.open:
				note = ", never ended"
			case s.how.lost:
				note = ", lost"
			}
			class := s.how.class()
			var title g.Node
			switch s.kind {
			case wfSpan:
				what := name(s.node) + " handled message " + strconv.Itoa(int(s.msg))
				switch {
				case row.msg < 0:
					what = name(s.node) + " waited for its answer"
				case s.how.skip:
					what = name(s.node) + " skipped message " + strconv.Itoa(int(s.msg)) + " as a duplicate"
				case s.how.failed:
					what += ", and failed"
				}
				if row.msg >= 0 {
					handled = append(handled, "handled by "+name(s.node)+" from "+formatTime(s.from-w.t0)+" to "+formatTime(s.to-w.t0)+note)
				}
				title = g.El("title", g.Text(what+": "+span(s.from, s.to)+note))
				over = append(over, svgEl("rect", []string{"class", strings.TrimSpace("span " + class), "data-node", id(s.node), "data-step", strconv.Itoa(s.step), "x", num(x1), "y", num(y + wfBarY), "width", num(max(x2-x1, 1)), "height", num(wfBarH)}, title))
			case wfWaiting:
				if x2 <= x1 {
					continue
				}
				title = g.El("title", g.Text("message "+strconv.Itoa(int(s.msg))+" waited at "+name(s.node)+": "+span(s.from, s.to)+note))
				under = append(under, svgEl("rect", []string{"class", strings.TrimSpace("waiting " + class), "data-node", id(s.node), "data-step", strconv.Itoa(s.step), "x", num(x1), "y", num(y + wfBarY + 2), "width", num(x2 - x1), "height", num(wfBarH - 4)}, title))
			case wfWire, wfAnswer:
				if x2 <= x1 {
					continue
				}
				what := "message " + strconv.Itoa(int(s.msg))
				lineClass := "wire " + class
				if s.kind == wfAnswer {
					what, lineClass = "the answer to message "+strconv.Itoa(int(s.msg)), "wire answer "+class
				}
				title = g.El("title", g.Text(what+" on the wire, "+name(s.sender)+" → "+name(s.node)+": "+span(s.from, s.to)+note))
				under = append(under, svgEl("line", []string{"class", strings.TrimSpace(lineClass), "data-step", strconv.Itoa(s.step), "x1", num(x1), "y1", mid, "x2", num(x2), "y2", mid}, title))
			case wfPending:
				title = g.El("title", g.Text("request "+req32+" still in flight after its answer: "+span(s.from, s.to)))
				under = append(under,
					svgEl("line", []string{"class", "pending", "x1", num(x1), "y1", mid, "x2", num(x2), "y2", mid}, title),
					svgEl("line", []string{"class", "done-mark", "x1", num(x2), "y1", num(y + wfBarY - 1), "x2", num(x2), "y2", num(y + wfBarY + wfBarH + 1)}, g.El("title", g.Text("request "+req32+" complete at "+formatTime(s.to-w.t0)))))
			}
		}
		body = append(body, g.El("g", h.Class(class), g.If(row.msg >= 0, h.Data("msg", strconv.Itoa(int(row.msg)))), h.Data("node", id(row.node)),
			svgEl("text", []string{"class", "row-label", "x", num(wfLeft), "y", num(y + wfLabelY)}, g.Text(label), g.If(note != "", g.El("tspan", h.Class("row-note"), g.Text(note)))),
			g.Group(under), g.Group(over)))

		switch {
		case row.msg < 0:
			s := fmtlite.Sprintf("Request %d from %s: ", req, name(row.node))
			if seg := row.segs[0]; seg.how.open {
				s += "no answer by " + formatTime(seg.to-w.t0)
			} else {
				s += "answered after " + formatTime(seg.to-seg.from)
			}
			if row.done >= 0 {
				s += ", complete after " + formatTime(row.done-w.t0)
			}
			sentences = append(sentences, s+".")
		case len(handled) == 0:
			sentences = append(sentences, fmtlite.Sprintf("Message %d reached %s.", row.msg, name(row.node)))
		default:
			sentences = append(sentences, fmtlite.Sprintf("Message %d %s.", row.msg, strings.Join(handled, ", then ")))
		}
	}
	title := "Waterfall of request " + req32
	if sc.Name != "" {
		title += " in " + sc.Name
	}
	if len(w.rows) == 0 {
		title = "Request " + req32 + " has no records"
		sentences = append(sentences, "No record of the trace belongs to request "+req32+".")
	}
	rect := func(class string, y, hgt float64) g.Node {
		return svgEl("rect", []string{"class", class, "x", "1", "y", num(y), "width", "30", "height", num(hgt)})
	}
	items := []legendItem{
		{rect("span", 0, 12), "handling"},
		{rect("span client", 0, 12), "client waiting for its answer"},
		{rect("waiting", 2, 8), "waiting in a queue or for a worker"},
		{lineSample("wire"), "on the wire"},
		{lineSample("wire answer"), "answer on the wire"},
		{lineSample("pending"), "in flight after the answer"},
	}
	return chartFigure(IDWaterfall, "waterfall", title, strings.Join(sentences, " "),
		"Request "+req32+" as a tracing UI shows it: a row per message, labelled by the node that handled it. A sync call's bar lies inside its caller's; an async hop leaves a gap between the caller's bar and the worker's.",
		f.bottom()+chartBottom, legend(items), body...)
}

// round1 rounds an SVG coordinate as num writes it, so that widths add up
// to the positions drawn.
func round1(v float64) float64 { return math.Round(v*10) / 10 }

// ComparisonTable shows a comparison as the seed's table, each aspect
// filled with what the two runs measured and the names of the figures that
// back it (under the aspect, so that three columns fit a phone), then
// every figure with both values and its range over the seeds, the better
// one marked where the difference is larger than that noise.
func ComparisonTable(c *core.Comparison) g.Node {
	runs := comparedRuns(c.A, c.B, c.NameA, c.NameB)
	nameA, nameB := runs[0].name, runs[1].name
	aspects := make([]g.Node, 0, len(c.Table))
	for _, row := range c.Table {
		links := make([]g.Node, 0, 2*len(row.Figures))
		var sa, sb []string
		for i, name := range row.Figures {
			if i > 0 {
				links = append(links, g.Text(", "))
			}
			links = append(links, h.A(h.Href("#"+ComparisonFigureID(name)), g.Text(name)))
			f, _ := c.Figure(name)
			sa = append(sa, name+": "+withUnitOf(f.A, f.Unit))
			sb = append(sb, name+": "+withUnitOf(f.B, f.Unit))
		}
		aspects = append(aspects, h.Tr(
			h.Th(h.Scope("row"), g.Text(row.Aspect),
				h.Span(h.Class("backed-by"), g.Text("backed by: "), g.Group(links))),
			h.Td(figureLines(strings.Join(sa, ", "))),
			h.Td(figureLines(strings.Join(sb, ", "))),
		))
	}
	cell := func(f core.Figure, mine, low, high float64, better bool) g.Node {
		var noise g.Node
		if lo, hi := withUnitOf(low, f.Unit), withUnitOf(high, f.Unit); lo != hi {
			// "90.3 to 93 requests/s": the unit once where both share it.
			if n, unit, ok := strings.Cut(lo, " "); ok && strings.HasSuffix(hi, " "+unit) {
				lo = n
			}
			noise = h.Span(h.Class("noise"), g.Text(" (seeds: "+lo+" to "+hi+")"))
		}
		return h.Td(g.If(better, h.Class("better")), h.Data("value", strconv.FormatFloat(mine, 'g', -1, 64)),
			g.Text(withUnitOf(mine, f.Unit)),
			g.If(better, g.Group{
				h.Span(h.Class("better-mark"), h.Aria("hidden", "true"), g.Text(" ✓")),
				h.Span(h.Class("visually-hidden"), g.Text(" (better)")),
			}),
			noise)
	}
	figures := make([]g.Node, 0, len(c.Figures))
	for _, f := range c.Figures {
		better := c.Better(f)
		figures = append(figures, h.Tr(h.ID(ComparisonFigureID(f.Name)),
			h.Th(h.Scope("row"), g.Text(f.Name)),
			cell(f, f.A, f.LowA, f.HighA, better < 0),
			cell(f, f.B, f.LowB, f.HighB, better > 0),
		))
	}
	return h.Figure(h.ID(IDComparison), h.Class("comparison"),
		h.FigCaption(g.Text("The same workload through "+nameA+" and through "+nameB+", measured. "+noiseMethod(c))),
		h.Div(h.Class("table-scroll"),
			h.Table(h.Class("comparison-aspects"),
				h.Caption(g.Text("The comparison table, filled with the measured figures")),
				h.THead(h.Tr(h.Th(h.Scope("col"), g.Text("Aspect")), h.Th(h.Scope("col"), g.Text(nameA)),
					h.Th(h.Scope("col"), g.Text(nameB)))),
				h.TBody(g.Group(aspects)),
			)),
		h.P(h.Class("outage-note"), g.Text(outageNote(c))),
		h.Div(h.Class("table-scroll"),
			h.Table(h.Class("comparison-figures"),
				h.Caption(g.Text("Every figure, for both runs")),
				h.THead(h.Tr(h.Th(h.Scope("col"), g.Text("Figure")), h.Th(h.Scope("col"), g.Text(nameA)), h.Th(h.Scope("col"), g.Text(nameB)))),
				h.TBody(g.Group(figures)),
			)),
	)
}

// noiseMethod says how the comparison told a difference from noise.
func noiseMethod(c *core.Comparison) string {
	if c.Seeds < 2 {
		return "No ✓ is shown: these runs are too large to repeat with other seeds within the comparison's budget, so a difference cannot be told from luck."
	}
	n := strconv.Itoa(c.Seeds)
	return "Each wiring ran with " + n + " seeds, the same " + n + " for both (common random numbers); the figures are the first seed's, with the range over all " + n +
		" beside them. ✓ marks a figure better only where every seed of one wiring beat every seed of the other: a difference larger than the run-to-run noise."
}

// outageNote explains, in a sentence, the outage behind "failed during an
// outage": one the learner did not set up.
func outageNote(c *core.Comparison) string {
	say := func(name string, d *core.Fault) string {
		if d == nil {
			return name + " had no part to take down"
		}
		return name + " with " + d.Node + " down from " + readableDuration(d.At) + " to " + readableDuration(d.Until)
	}
	return "For coupling, each wiring was run once more with its deepest part down for the middle third of its run (" +
		say(c.NameA, c.DownA) + "; " + say(c.NameB, c.DownB) + "): \"failed during an outage\" is the share of requests that then failed or timed out, and the outage chart below shows it."
}

// figureLines writes what a run shows for an aspect, "user p50: 5 ms,
// user p99: 6.7 ms", one figure a line.
func figureLines(text string) g.Node {
	parts := strings.Split(text, ", ")
	lines := make([]g.Node, 0, len(parts))
	for i, p := range parts {
		if i > 0 { // a line break is no pause for a screen reader
			lines = append(lines, h.Span(h.Class("visually-hidden"), g.Text(", ")))
		}
		lines = append(lines, h.Span(h.Class("figure-line"), g.Text(p)))
	}
	return g.Group(lines)
}
