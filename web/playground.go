package web

import (
	"github.com/sync-vs-async/playground/core"
	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"
)

// Playground is what the playground page shows.
type Playground struct {
	Examples []core.Example // the example menu
	Current  string         // the id of the example shown, "" for one that is not built in
	Scenario *core.Scenario
	Timeline *core.Timeline // a run of Scenario
	Step     int
	Error    string // shown in the error banner; "" hides it
	// FirstLesson, if set, is the id of the lesson the page's introduction
	// starts (see homeIntro); "" shows no introduction.
	FirstLesson string
}

// PlaygroundPage is the playground: the scenario's name and description,
// the example menu and the share tools, the playback controls, and the
// regions that show the run at p.Step. The server renders it before the
// WASM program loads, so the page reads well without it; the controls are
// disabled until the program enables them (see [ControlIDs]).
func PlaygroundPage(p Playground) g.Node {
	sc := p.Scenario
	if sc == nil {
		sc = &core.Scenario{}
	}
	tl := p.Timeline
	if tl == nil {
		tl = core.NewTimeline(sc, nil)
	}
	step := min(max(p.Step, 0), tl.Len())
	st := tl.At(step)
	return page(PageTitle(sc), sc.Description, "wide",
		g.If(p.FirstLesson != "", homeIntro(p.FirstLesson)),
		h.Div(h.Class("playground"),
			h.Header(h.Class("scenario"),
				h.Div(h.Class("scenario-text"),
					h.H1(h.ID(IDScenarioTitle), g.Text(sc.Name)),
					h.P(h.ID(IDScenarioDescription), h.Class("lead"), g.Text(sc.Description)),
				),
				h.Div(h.Class("scenario-tools"),
					exampleMenu(p.Examples, p.Current),
					h.Div(h.Class("share"),
						h.Button(h.Type("button"), h.ID(IDCopyLink), needsWASM(false), g.Text("Copy link")),
						h.Button(h.Type("button"), h.ID(IDExport), needsWASM(false), g.Text("Export JSON")),
						h.Label(h.For(IDImport), h.Class("file"), g.Text("Import JSON "),
							h.Input(h.Type("file"), h.ID(IDImport), h.Accept("application/json,.json"), needsWASM(false))),
					),
					StatusLine(IDShareStatus, "share-status"),
				),
			),
			ErrorBanner(p.Error),
			h.Section(h.Class("panel panel-controls"),
				controls(tl, step, false),
				Narration(tl, step),
			),
			panel("panel-topology", "heading-topology", "Topology", g.Group{TopologyZoom(false), scrollArea("scroll topology-scroll", "Topology diagram", Topology(sc, st))}),
			panel("panel-sequence", "heading-sequence", "Sequence", scrollArea("scroll", "Sequence diagram", Sequence(tl, step, false))),
			panel("panel-stats", "heading-stats", "Numbers so far", Stats(tl, step)),
			panel("panel-log", "heading-log", "Event log", EventLog(tl, step)),
		),
	)
}

// panel is one titled region of the playground's grid.
func panel(class, headingID, heading string, content g.Node) g.Node {
	return h.Section(h.Class("panel "+class), h.Aria("labelledby", headingID),
		h.H2(h.ID(headingID), g.Text(heading)),
		content,
	)
}

// exampleMenu lists the built-in scenarios, current selected; a scenario
// that is not built in (current "") shows as "Custom scenario".
func exampleMenu(examples []core.Example, current string) g.Node {
	return h.Div(h.Class("examples"),
		h.Label(h.For(IDExampleSelect), g.Text("Example")), g.Text(" "),
		h.Select(h.ID(IDExampleSelect), needsWASM(false),
			// Always there, so the menu can show a scenario that came from
			// a link or a file; it cannot be picked.
			h.Option(h.Value(""), h.Disabled(), g.If(current == "", h.Selected()), g.Text("Shared or imported scenario")),
			g.Map(examples, func(e core.Example) g.Node {
				return h.Option(h.Value(e.ID), g.If(e.ID == current, h.Selected()), g.Text(e.Scenario.Name))
			}),
		),
	)
}

// ErrorBanner shows msg, something the user did that went wrong, such as a
// broken share link or an invalid imported file; it is hidden while msg is "".
func ErrorBanner(msg string) g.Node {
	return h.Div(h.ID(IDErrorBanner), h.Class("error-banner"), h.Role("alert"), g.If(msg == "", g.Attr("hidden")), g.Text(msg))
}

// PageTitle is the document title for a page showing sc.
func PageTitle(sc *core.Scenario) string {
	if sc == nil || sc.Name == "" {
		return ProductName
	}
	return sc.Name + " · " + ProductName
}
