package web

import (
	"strconv"

	"github.com/sync-vs-async/playground/core"
	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"
)

// Speeds are the playback speeds the speed menu offers, as multiples of
// the normal speed; [DefaultSpeed] is selected.
var Speeds = []float64{0.25, 1, 4, 16, 64}

// DefaultSpeed is the playback speed selected at first.
const DefaultSpeed = 1.0

// Controls is the playback bar: buttons to reset, step back, play or pause,
// step forward and jump to the end, the speed menu, a scrubber over every
// step, and the keyboard shortcuts. They work only once the WASM program
// runs; [PlaygroundPage] renders them disabled until then.
func Controls(tl *core.Timeline, step int) g.Node {
	return controls(tl, step, true)
}

func controls(tl *core.Timeline, step int, ready bool) g.Node {
	step = min(max(step, 0), tl.Len())
	return h.Div(h.ID(IDControls), h.Class("controls"), h.Role("group"), h.Aria("label", "Playback"),
		h.Div(h.Class("control-buttons"),
			controlButton(IDHome, "⇤", "Reset", "Home", ready),
			controlButton(IDStepBack, "←", "Step back", "ArrowLeft", ready),
			h.Button(h.Type("button"), h.ID(IDPlay), h.Class("play"), h.Aria("pressed", "false"), h.Aria("keyshortcuts", "Space"),
				needsWASM(ready), PlayLabel(false)),
			controlButton(IDStepForward, "→", "Step forward", "ArrowRight", ready),
			controlButton(IDEnd, "⇥", "End", "End", ready),
			controlButton(IDPrevNotable, "⟨!", "Previous notable", "Shift+N", ready),
			controlButton(IDNextNotable, "!⟩", "Next notable", "N", ready),
			h.Span(h.Class("speed"),
				h.Label(h.For(IDSpeed), g.Text("Speed")), g.Text(" "),
				h.Select(h.ID(IDSpeed), needsWASM(ready), g.Map(Speeds, func(s float64) g.Node {
					v := strconv.FormatFloat(s, 'f', -1, 64)
					return h.Option(h.Value(v), g.If(s == DefaultSpeed, h.Selected()), g.Text(v+"×"))
				})),
			),
			// Both on the page's first paint as a reader with no
			// preference wants them; the program turns motion off for
			// prefers-reduced-motion, and a lesson keeps the future hidden
			// until its question is answered.
			h.Span(h.Class("view-switches"),
				h.Label(h.Input(h.Type("checkbox"), h.ID(IDMotion), h.Checked(), needsWASM(ready)), g.Text(" Move messages")),
				h.Label(h.Input(h.Type("checkbox"), h.ID(IDShowFuture), needsWASM(ready)), g.Text(" Show the whole run")),
			),
		),
		h.Input(h.Type("range"), h.ID(IDScrubber), h.Class("scrubber"), h.Min("0"), h.Max(strconv.Itoa(tl.Len())),
			h.Value(strconv.Itoa(step)), h.Step("1"), h.Aria("label", "Step"), h.Aria("valuetext", StepValueText(tl, step)),
			needsWASM(ready)),
		Landmarks(tl, core.NotableSteps(tl), landmarksWidth),
		h.P(h.Class("hints"),
			h.Kbd(g.Text("→")), g.Text(" step forward · "),
			h.Kbd(g.Text("←")), g.Text(" step back · "),
			h.Kbd(g.Text("Space")), g.Text(" play or pause · "),
			h.Kbd(g.Text("Home")), g.Text(" "), h.Kbd(g.Text("End")), g.Text(" first or last step · "),
			h.Kbd(g.Text("N")), g.Text(" "), h.Kbd(g.Text("Shift+N")), g.Text(" next or previous notable event"),
		),
	)
}

// PlayLabel is the play button's content, also when the WASM program
// redraws it: an icon hidden from screen readers and the word that is the
// button's name, Play or, while playing, Pause.
func PlayLabel(playing bool) g.Node {
	icon, label := "▶", " Play"
	if playing {
		icon, label = "❚❚", " Pause"
	}
	return g.Group{h.Span(h.Aria("hidden", "true"), g.Text(icon)), g.Text(label)}
}

// controlButton is a playback button: an icon hidden from screen readers
// and a text label, which is its accessible name.
func controlButton(id, icon, label, key string, ready bool) g.Node {
	return h.Button(h.Type("button"), h.ID(id), h.Aria("keyshortcuts", key), needsWASM(ready),
		h.Span(h.Aria("hidden", "true"), g.Text(icon)), g.Text(" "+label))
}

// needsWASM disables a control until the WASM program is ready to handle it.
func needsWASM(ready bool) g.Node {
	if ready {
		return nil
	}
	return g.Group{h.Disabled(), g.Attr(RequiresWASM)}
}

// MarkEvery is the width, in pixels of the scrubber, of one column of
// [Landmarks]: at most one mark is drawn per column.
const MarkEvery = 3

// landmarksWidth is the scrubber's width assumed before the page is laid
// out (the server's rendering); the WASM program draws the marks again
// for the width it finds.
const landmarksWidth = 600

// Landmarks marks the notable steps (sorted, from [core.NotableSteps]) of
// tl along a scrubber width pixels wide: timeouts, failures, crashes and
// the like, where the learner should look. A run may have thousands, so
// the steps are bucketed into columns of MarkEvery pixels and each column
// draws one mark, for its first step; its name says how many more it
// stands for. Each mark carries data-step, so a click jumps there.
func Landmarks(tl *core.Timeline, steps []int32, width int) g.Node {
	n := tl.Len()
	cols := max(width/MarkEvery, 1)
	label := "Notable events: none in this run"
	if len(steps) > 0 {
		label = "Notable events (N next, Shift+N previous): " + strconv.Itoa(len(steps))
	}
	marks := make(g.Group, 0, min(len(steps), cols))
	column := func(step int32) int { return min(int(step)*cols/max(n, 1), cols-1) }
	for i := 0; i < len(steps); {
		col := column(steps[i])
		j := i + 1
		for j < len(steps) && column(steps[j]) == col {
			j++
		}
		step := int(steps[i])
		r := tl.Record(step - 1)
		name := "step " + strconv.Itoa(step) + ": " + NotableLabel(tl.Scenario(), r)
		if j-i > 1 {
			name += ", and " + strconv.Itoa(j-i-1) + " more to step " + strconv.Itoa(int(steps[j-1]))
		}
		marks = append(marks, svgEl("rect", []string{"class", "landmark kind-" + r.Kind.String(), "data-step", strconv.Itoa(step), "role", "img", "aria-label", name, "x", strconv.Itoa(col * MarkEvery), "width", "2", "height", "10"}, g.El("title", g.Text(name))))
		i = j
	}
	return svgEl("svg", []string{"id", IDLandmarks, "class", "landmarks", "role", "group", "aria-label", label, "viewBox", "0 0 " + strconv.Itoa(cols*MarkEvery) + " 10", "preserveAspectRatio", "none"}, marks)
}

// NotableLabel names a notable record in a few words: "timeout of
// request 3", "crash of service".
func NotableLabel(sc *core.Scenario, r *core.Record) string {
	what := "message " + strconv.Itoa(int(r.Msg))
	if r.Req >= 0 {
		what = "request " + strconv.Itoa(int(r.Req))
	}
	switch r.Kind {
	case core.RecTimeout:
		return "timeout of " + what
	case core.RecFail:
		return "failure of " + what
	case core.RecCrash:
		if int(r.Node) >= 0 && int(r.Node) < len(sc.Nodes) {
			return "crash of " + sc.Nodes[r.Node].Name()
		}
		return "crash"
	case core.RecRedeliver:
		return "redelivery of " + what
	case core.RecDeadLetter:
		return "dead-lettering of " + what
	case core.RecLost:
		return "lost " + what
	case core.RecSkip, core.RecStart:
		return "duplicate of " + what
	}
	return r.Kind.String() + " of " + what
}
