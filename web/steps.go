package web

import (
	"strconv"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/internal/fmtlite"
	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"
)

// LogRowHeight is the height of one event log row in CSS pixels; the
// style sheet gives every row exactly this height, so that the log can
// draw only the rows near its viewport and stand in for the others with
// a spacer of the right height: a million steps stay as fast as ten.
const LogRowHeight = 24

// logOverscan is how many rows the log draws beyond each edge of its
// viewport, so that a short scroll shows rows already there.
const logOverscan = 3

// logDefaultHeight is the viewport's height, in CSS pixels, assumed
// before the page is laid out (the server's rendering).
const logDefaultHeight = 320

// The event log's filter: a request number, a node and a kind.
const (
	IDLogFilter = "log-filter"
	IDLogReq    = "log-req"
	IDLogNode   = "log-node"
	IDLogKind   = "log-kind"
)

// LogNotable is the kind menu's value for the notable records
// ([core.Notable]).
const LogNotable = "notable"

// LogList is what the event log lists: every step (Filtered false), or
// the steps of a filter's matches ([core.Timeline.Filter]). Either way it
// shows only those up to the current step: the future is never listed.
type LogList struct {
	Filtered bool
	Steps    []int32 // when Filtered: the matching steps, in order
}

// Len returns how many rows the log has at step.
func (l LogList) Len(step int) int {
	if !l.Filtered {
		return max(step, 0)
	}
	return core.CountUpTo(l.Steps, step)
}

// At returns the step of row i.
func (l LogList) At(i int) int {
	if !l.Filtered {
		return i + 1
	}
	return int(l.Steps[i])
}

// LogView is what the event log shows: its list at Step, the row of
// step Active (0 for none) the keyboard is on, and the rows in the
// viewport, Height pixels from Top (the list's scroll offset).
type LogView struct {
	List        LogList
	Step        int
	Active      int
	Top, Height int
}

// LogRowID is the id of the log's row for step, which the listbox's
// aria-activedescendant names.
func LogRowID(step int) string { return "log-step-" + strconv.Itoa(step) }

// LogScrollTop returns the scroll offset that keeps row i of v in view,
// moving from v.Top as little as it can (0 if there are no rows).
func LogScrollTop(v LogView, i int) int {
	n := v.List.Len(v.Step)
	if n == 0 || i < 0 {
		return 0
	}
	i = min(i, n-1)
	top := v.Top
	if y := i * LogRowHeight; y < top {
		top = y
	} else if y+LogRowHeight > top+v.Height {
		top = y + LogRowHeight - v.Height
	}
	return min(max(top, 0), max(n*LogRowHeight-v.Height, 0))
}

// logWindow returns the rows [start, end) of v that the log draws: those
// in its viewport and logOverscan more on each side.
func logWindow(v LogView) (start, end int) {
	n := v.List.Len(v.Step)
	start = min(max(v.Top/LogRowHeight-logOverscan, 0), n)
	end = min((v.Top+max(v.Height, LogRowHeight))/LogRowHeight+1+logOverscan, n)
	return start, max(start, end)
}

// EventLog is the event log as the server renders it: its filter and
// the list of every step up to step, scrolled to the top.
func EventLog(tl *core.Timeline, step int) g.Node {
	step = min(max(step, 0), tl.Len())
	v := LogView{Step: step, Active: step, Height: logDefaultHeight}
	return h.Div(h.Class("log-box"),
		LogFilter(tl.Scenario(), false),
		h.Div(h.ID(IDEventLog), h.Class("event-log"), h.Role("listbox"), h.TabIndex("0"),
			h.Aria("label", "Event log, up to the current step"),
			LogRows(tl, v)),
	)
}

// LogRows is what the event log's listbox holds for v: a spacer for the
// rows above the viewport, the rows near it, and a spacer for the rest.
// Each row is an option carrying data-step, its step; the current step's
// is aria-current, the active one (where the keyboard is) aria-selected.
// The WASM program puts this in the listbox, and points its
// aria-activedescendant at [LogRowID](v.Active).
func LogRows(tl *core.Timeline, v LogView) g.Node {
	sc := tl.Scenario()
	n := v.List.Len(v.Step)
	if n == 0 {
		text := "No steps yet: press → to take the first."
		if v.List.Filtered {
			text = "No step so far matches the filter."
		}
		return h.Div(h.Role("option"), h.Class("log-empty"), h.Aria("disabled", "true"), h.Aria("selected", "false"), g.Text(text))
	}
	start, end := logWindow(v)
	// The rows are written by hand, as the sequence diagram's are (see
	// markup): they are redrawn at every step.
	var m markup
	size := strconv.Itoa(n)
	for i := start; i < end; i++ {
		step := v.List.At(i)
		r := tl.Record(step - 1)
		class := "log-row kind-" + r.Kind.String()
		if isBad(r.Kind) {
			class += " bad"
		}
		current, active := step == v.Step, step == v.Active
		if current {
			class += " current"
		}
		if active {
			class += " active"
		}
		text := r.Describe(sc)
		attrs := []string{"role", "option", "id", LogRowID(step), "class", class, "data-step", strconv.Itoa(step),
			"aria-selected", strconv.FormatBool(active), "aria-current", "step",
			"aria-setsize", size, "aria-posinset", strconv.Itoa(i + 1), "title", text}
		if !current {
			attrs = append(attrs[:10], attrs[12:]...)
		}
		m.open("div", attrs...)
		m.el("span", strconv.Itoa(step), "class", "log-n")
		m.WriteByte(' ')
		m.el("span", formatTime(r.At), "class", "log-time")
		m.WriteByte(' ')
		m.el("span", r.Kind.String(), "class", "log-kind")
		m.WriteByte(' ')
		m.el("span", text, "class", "log-text")
		m.close("div")
	}
	return g.Group{logPad(start), g.Raw(m.String()), logPad(n - end)}
}

// logPad stands in for rows rows: an empty SVG of their height (an
// attribute, as the page's CSP forbids inline styles).
func logPad(rows int) g.Node {
	if rows <= 0 {
		return nil
	}
	return svgEl("svg", []string{"class", "log-pad", "aria-hidden", "true", "width", "1", "height", strconv.Itoa(rows * LogRowHeight)})
}

// LogFilter is the event log's filter: a request number, a node of sc
// and a record kind (or "notable"), each empty for any. Its controls
// need the WASM program, so they are disabled until it runs unless ready.
func LogFilter(sc *core.Scenario, ready bool) g.Node {
	kinds := make(g.Group, 0, 40)
	for k := range core.RecordKinds {
		kinds = append(kinds, h.Option(h.Value(strconv.Itoa(k)), g.Text(core.RecordKind(k).String())))
	}
	nodes := make(g.Group, len(sc.Nodes))
	for i := range sc.Nodes {
		nodes[i] = h.Option(h.Value(strconv.Itoa(i)), g.Text(sc.Nodes[i].Name()))
	}
	return h.Form(h.ID(IDLogFilter), h.Class("log-filter"), h.Aria("label", "Filter the event log"),
		h.Label(h.For(IDLogReq), g.Text("Request")),
		h.Input(h.Type("number"), h.ID(IDLogReq), h.Min("0"), h.Step("1"), g.Attr("inputmode", "numeric"), h.Placeholder("any"), needsWASM(ready)),
		h.Label(h.For(IDLogNode), g.Text("Node")),
		h.Select(h.ID(IDLogNode), needsWASM(ready), h.Option(h.Value(""), g.Text("any")), nodes),
		h.Label(h.For(IDLogKind), g.Text("Kind")),
		h.Select(h.ID(IDLogKind), needsWASM(ready), h.Option(h.Value(""), g.Text("any")),
			h.Option(h.Value(LogNotable), g.Text("notable")), kinds),
	)
}

// NarrationText is what [Narration] says at step: an invitation at step 0,
// else "Step k of N at t: " and the sentence of the record step k applied.
func NarrationText(tl *core.Timeline, step int) string {
	n := tl.Len()
	step = min(max(step, 0), n)
	switch {
	case n == 0:
		return "Nothing happens in this scenario: it has no steps."
	case step == 0:
		return "Press → or Step to send the first message."
	}
	r := tl.Record(step - 1)
	return fmtlite.Sprintf("Step %d of %d%s at %s: %s", step, n, soFar(tl), formatTime(r.At), r.Describe(tl.Scenario()))
}

// soFar qualifies a count of tl's steps while tl holds only the start of
// its run.
func soFar(tl *core.Timeline) string {
	if tl.Partial() {
		return " so far"
	}
	return ""
}

// Narration tells in one sentence what the current step did. It is a polite
// live region, so a screen reader reads each new step aloud.
func Narration(tl *core.Timeline, step int) g.Node {
	return h.P(h.ID(IDNarration), h.Class("narration"), h.Aria("live", "polite"), h.Aria("atomic", "true"),
		g.Text(NarrationText(tl, step)))
}

// StepValueText describes step for the scrubber's aria-valuetext:
// "step 4 of 12 at 3ms".
func StepValueText(tl *core.Timeline, step int) string {
	step = min(max(step, 0), tl.Len())
	var at core.Duration
	if step > 0 {
		at = tl.Record(step - 1).At
	}
	return fmtlite.Sprintf("step %d of %d%s at %s", step, tl.Len(), soFar(tl), formatTime(at))
}

// Stat is one figure of [Stats]: its name (data-stat), label and value.
type Stat struct{ Name, Label, Value string }

// StatValues are the figures [Stats] lists at step, in order: the WASM
// program writes changed values into the drawn list in place (their
// count and order never change), rather than replacing it at every step.
func StatValues(tl *core.Timeline, step int) []Stat {
	st := tl.At(step)
	latency := func(d core.Duration) string {
		if st.Answered+st.Errors+st.TimedOut == 0 {
			return "—"
		}
		return formatTime(d)
	}
	count := func(v int64) string { return strconv.FormatInt(v, 10) }
	return append([]Stat{
		{"time", "Virtual time", formatTime(st.At)},
		{"started", "Requests started", count(st.Started)},
		{"answered", "Answered", count(st.Answered)},
		{"errors", "Errors", count(st.Errors)},
		{"timed-out", "Timed out", count(st.TimedOut)},
		{"completed", "Completed", count(st.Completed)},
		{"last-latency", "Client blocked (last)", latency(st.LastUserLatency)},
		{"max-latency", "Client blocked (max)", latency(st.MaxUserLatency)},
		// "In flight" read as the requests under way, and said 0 while
		// the REST chain's one request was plainly in progress: the
		// requests not yet complete, and the messages on the wire, apart.
		{"in-progress", "Requests in progress", count(st.Started - st.Completed)},
		{"in-flight", "On the wire", strconv.Itoa(len(st.InFlight))},
		{"dead-lettered", "Dead-lettered", count(st.DeadLettered)},
		{"dropped", "Dropped", count(st.Dropped)},
		{"lost", "Lost", count(st.Lost)},
		{"retries", "Retries", count(st.Retries)},
	}, revealStats(tl, st)...)
}

// Stats lists the run's figures so far ([StatValues]): the virtual time,
// what happened to the requests, how long the client was blocked, and
// where messages are.
func Stats(tl *core.Timeline, step int) g.Node {
	stats := StatValues(tl, step)
	items := make(g.Group, len(stats))
	for i, s := range stats {
		items[i] = h.Div(h.Class("stat"), h.Data("stat", s.Name), h.Dt(g.Text(s.Label)), h.Dd(g.Text(s.Value)))
	}
	return h.Dl(h.ID(IDStats), h.Class("stats"), items)
}
