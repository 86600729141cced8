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
		h.P(h.Class("hints"),
			h.Kbd(g.Text("→")), g.Text(" step forward · "),
			h.Kbd(g.Text("←")), g.Text(" step back · "),
			h.Kbd(g.Text("Space")), g.Text(" play or pause · "),
			h.Kbd(g.Text("Home")), g.Text(" "), h.Kbd(g.Text("End")), g.Text(" first or last step"),
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
