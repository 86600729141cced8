package web

import (
	"fmt"
	"strconv"

	"github.com/sync-vs-async/playground/core"
	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"
)

// logRows is how many records the event log shows at once.
const logRows = 15

// logWindow returns the records [start, end) that the event log shows at
// step: logRows of them, the current one (step-1) in the middle when it can be.
func logWindow(n, step int) (start, end int) {
	start = max(0, step-1-logRows/2)
	end = min(n, start+logRows)
	start = max(0, end-logRows)
	return start, end
}

// EventLog lists the records around step, one item each: its time, its
// kind and its sentence. The record that step applied is marked current.
// Each item carries data-step, the step that applies it, so that a click
// can jump there; the list is numbered by step.
func EventLog(tl *core.Timeline, step int) g.Node {
	sc := tl.Scenario()
	step = min(max(step, 0), tl.Len())
	start, end := logWindow(tl.Len(), step)
	items := make([]g.Node, 0, end-start)
	for i := start; i < end; i++ {
		r := tl.Record(i)
		class := "kind-" + r.Kind.String()
		if isBad(r.Kind) {
			class += " bad"
		}
		current := i == step-1
		if current {
			class += " current"
		}
		items = append(items, h.Li(h.Class(class), h.Data("step", strconv.Itoa(i+1)),
			g.If(current, h.Aria("current", "step")),
			h.Span(h.Class("log-time"), g.Text(formatTime(r.At))), g.Text(" "),
			h.Span(h.Class("log-kind"), g.Text(r.Kind.String())), g.Text(" "),
			h.Span(h.Class("log-text"), g.Text(r.Describe(sc))),
		))
	}
	return h.Ol(h.ID(IDEventLog), h.Class("event-log"), g.Attr("start", strconv.Itoa(start+1)), g.Group(items))
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
	return fmt.Sprintf("Step %d of %d at %s: %s", step, n, formatTime(r.At), r.Describe(tl.Scenario()))
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
	return fmt.Sprintf("step %d of %d at %s", step, tl.Len(), formatTime(at))
}

// Stats lists the run's figures so far: the virtual time, what happened to
// the requests, how long the client was blocked, and where messages are.
func Stats(tl *core.Timeline, step int) g.Node {
	st := tl.At(step)
	latency := func(d core.Duration) string {
		if st.Answered+st.Errors+st.TimedOut == 0 {
			return "—"
		}
		return formatTime(d)
	}
	stat := func(name, label, value string) g.Node {
		return h.Div(h.Class("stat"), h.Data("stat", name), h.Dt(g.Text(label)), h.Dd(g.Text(value)))
	}
	count := func(v int64) string { return strconv.FormatInt(v, 10) }
	return h.Dl(h.ID(IDStats), h.Class("stats"),
		stat("time", "Virtual time", formatTime(st.At)),
		stat("started", "Requests started", count(st.Started)),
		stat("answered", "Answered", count(st.Answered)),
		stat("errors", "Errors", count(st.Errors)),
		stat("timed-out", "Timed out", count(st.TimedOut)),
		stat("completed", "Completed", count(st.Completed)),
		stat("last-latency", "Client blocked (last)", latency(st.LastUserLatency)),
		stat("max-latency", "Client blocked (max)", latency(st.MaxUserLatency)),
		// "In flight" read as the requests under way, and said 0 while
		// the REST chain's one request was plainly in progress: the
		// requests not yet complete, and the messages on the wire, apart.
		stat("in-progress", "Requests in progress", count(st.Started-st.Completed)),
		stat("in-flight", "On the wire", strconv.Itoa(len(st.InFlight))),
		stat("dead-lettered", "Dead-lettered", count(st.DeadLettered)),
		stat("dropped", "Dropped", count(st.Dropped)),
		stat("lost", "Lost", count(st.Lost)),
		stat("retries", "Retries", count(st.Retries)),
	)
}
