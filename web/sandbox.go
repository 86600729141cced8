package web

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sync-vs-async/playground/core"
	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"
)

// The sandbox's ids. Like the playground's, each names an element that a
// view of the same name draws whole, so the WASM program can replace it.
const (
	IDSandbox      = "sandbox"
	IDCanvas       = "canvas"      // [Canvas]
	IDCanvasHelp   = "canvas-help" // how to use the canvas, for everyone
	IDPalette      = "palette"     // [Palette]
	IDProperties   = "properties"  // [Properties]
	IDProblems     = "problems"    // [Problems]
	IDTemplate     = "template"    // the template menu
	IDEmptyCanvas  = "empty-canvas"
	IDUndo         = "undo"
	IDRedo         = "redo"
	IDRunStatus    = "run-status" // what the run is doing: running, paused by problems, done
	IDCompareWith  = "compare-with"
	IDCompareRun   = "compare-run"
	IDCompareState = "compare-status"
	IDCompareBar   = "compare-progress"
	IDCompareOut   = "compare-result"   // [CompareResult]
	IDWaterfallOut = "waterfall-result" // [WaterfallPanel]
	IDDraftNotice  = "draft-notice"     // [DraftNotice]: the offer of saved work, a live region
	IDDraftRestore = "draft-restore"    // inside [DraftOffer]
	IDDraftDiscard = "draft-discard"    // inside [DraftOffer]

	// Inside [Properties].
	IDConnectTo    = "connect-to"
	IDConnectMode  = "connect-mode"
	IDConnect      = "connect"
	IDConnectStart = "connect-start"
	IDDeleteNode   = "delete-node"
	IDDeleteEdge   = "delete-edge"
	IDFlipEdge     = "flip-edge"
	IDFaultType    = "fault-type"
	IDAddFault     = "add-fault"
)

// SandboxWASM is the sandbox page's program: main.wasm does not carry the
// builder and the comparison, so that each page downloads less.
const SandboxWASM = "/static/sandbox.wasm"

// CompareCounterpart is the compare menu's value for "the same workload,
// wired the other way (sync ↔ async)".
const CompareCounterpart = "counterpart"

// SandboxControlIDs are the sandbox's own controls, rendered disabled
// until the WASM program runs.
var SandboxControlIDs = []string{IDTemplate, IDEmptyCanvas, IDUndo, IDRedo, IDCopyLink, IDCompareWith, IDCompareRun}

// The canvas is never smaller than this, so there is room to drag into.
const (
	canvasMinW = 640.0
	canvasMinH = 320.0
)

// PaletteButtonID is the id of the palette's button that adds a node of kind k.
func PaletteButtonID(k core.Kind) string { return "add-" + string(k) }

// FieldID is the id of the form control for the field at path
// ("nodes[2].serviceTime.mean" → "field-nodes-2-serviceTime-mean").
func FieldID(path string) string {
	b := make([]byte, 0, len("field-")+len(path))
	b = append(b, "field-"...)
	for i := 0; i < len(path); i++ {
		switch c := path[i]; c {
		case '[', '.':
			b = append(b, '-')
		case ']':
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// NodeIDPath is the path of node i's id field, which the properties panel
// offers beside the core's field table: changing it renames the node.
func NodeIDPath(i int) string { return "nodes[" + strconv.Itoa(i) + "].id" }

// FieldErrorID is the id of the message beside the field at path.
func FieldErrorID(path string) string { return FieldID(path) + "-error" }

// Selection is what the properties panel shows: a node (by id), an edge
// (by index), or, with neither, the scenario itself.
type Selection struct {
	Node string
	Edge int // -1 for none
}

// NoSelection selects nothing (the scenario's own fields).
func NoSelection() Selection { return Selection{Edge: -1} }

// Draft is text the learner typed into a field that could not be read,
// kept in the field beside its error.
type Draft struct{ Text, Error string }

// Builder is the sandbox's editing state, everything the canvas and the
// properties panel draw.
type Builder struct {
	Scenario    *core.Scenario
	State       *core.State // the run at the current step (idle without a run)
	Selection   Selection
	ConnectFrom string           // a node id while connecting by clicking
	Problems    core.Errors      // what Validate says is wrong
	Drafts      map[string]Draft // by field path
	Locked      []string         // the nodes a challenge keeps as they are (core.Challenge.LockedNodes)
	// fields reads the form's values: Properties, through which every
	// field is drawn, sets it, so each element is encoded once per
	// drawing, not once per field.
	fields *core.FieldReader
}

// canvasState is what the canvas needs beyond the plain topology.
type canvasState struct {
	sel         Selection
	connectFrom string
	locked      []string
}

func (c *canvasState) nodeClass(id string) string {
	class := " editable"
	if c.sel.Node == id {
		class += " selected"
	}
	if c.connectFrom == id {
		class += " connect-source"
	}
	if c.isLocked(id) {
		class += " locked"
	}
	return class
}

// isLocked says whether the challenge keeps node id as it is.
func (c *canvasState) isLocked(id string) bool { return slices.Contains(c.locked, id) }

// nodeAttrs makes node n a button named label, what its box shows.
func (c *canvasState) nodeAttrs(n *core.Node, label string) g.Node {
	if c.isLocked(n.ID) {
		label += ". Locked: the challenge keeps it as it is"
	}
	switch {
	case c.connectFrom == n.ID:
		label += ". Connecting from here: pick the node to connect to, or Escape"
	case c.connectFrom != "":
		label += ". Enter connects " + c.connectFrom + " to it"
	}
	return g.Group{h.TabIndex("0"), h.Role("button"), h.Aria("pressed", strconv.FormatBool(c.sel.Node == n.ID)),
		h.Aria("label", label)}
}

func (c *canvasState) edgeControl(e *core.Edge, i int, geo route, label Point, line g.Node) g.Node {
	class := "edge-control"
	if c.sel.Edge == i {
		class += " selected"
	}
	return svgEl("g", []string{"class", class, "data-edge", strconv.Itoa(i), "tabindex", "0", "role", "button", "aria-pressed", strconv.FormatBool(c.sel.Edge == i), "aria-label", string(e.Mode) + " edge " + e.From + " to " + e.To}, svgEl("path", []string{"class", "edge-hit", "d", geo.path()}), line)
}

// edgeLabels draws each edge's mode where the layout put it, over the
// nodes, on a plate that takes a click (it selects the edge) and hides the
// lines under the text.
func (c *canvasState) edgeLabels(sc *core.Scenario, l layout) g.Node {
	if c == nil {
		return nil // the plain topology has no labels
	}
	var out []g.Node
	for i := range sc.Edges {
		if _, ok := edgeGeometry(sc, l, i); !ok {
			continue
		}
		text := string(sc.Edges[i].Mode)
		w, ht := labelSize(text)
		p := l.labels[i]
		class := "edge-label"
		if c.sel.Edge == i {
			class += " selected"
		}
		out = append(out, svgEl("g", []string{"class", class, "data-edge-label", strconv.Itoa(i)}, svgEl("rect", []string{"x", num(p.X - w/2), "y", num(p.Y - ht/2), "width", num(w), "height", num(ht), "rx", "4"}), svgEl("text", []string{"class", "edge-mode", "x", num(p.X), "y", num(p.Y + 4)}, g.Text(text))))
	}
	return g.El("g", h.Class("edge-labels"), g.Group(out))
}

// Canvas is the sandbox's topology: the diagram of [Topology], whose
// nodes and edges are buttons (click or Enter selects; drag or arrow keys
// move a node), with the run's state at the current step drawn on it.
func Canvas(b Builder) g.Node {
	sc := b.Scenario
	st := b.State
	if st == nil {
		st = &core.State{}
	}
	ed := &canvasState{sel: b.Selection, connectFrom: b.ConnectFrom, locked: b.Locked}
	if len(sc.Nodes) == 0 {
		return h.SVG(h.ID(IDCanvas), h.Class("topology canvas empty"), h.Role("group"),
			h.Aria("labelledby", IDTopologyTitle), h.Aria("describedby", IDCanvasHelp),
			g.Attr("viewBox", "0 0 "+num(canvasMinW)+" "+num(canvasMinH)), h.Width(num(canvasMinW)), h.Height(num(canvasMinH)),
			g.El("title", h.ID(IDTopologyTitle), g.Text("An empty canvas")),
			svgEl("text", []string{"class", "canvas-empty", "x", num(canvasMinW / 2), "y", num(canvasMinH / 2)}, g.Text("Empty: add a client from the palette, then what it calls.")),
		)
	}
	return topology(sc, st, ed, Motion{}, false, 0)
}

// Palette lists every node kind the core has, each a button that adds one.
func Palette() g.Node {
	return h.Div(h.ID(IDPalette), h.Class("palette"), h.Role("group"), h.Aria("label", "Add a node"),
		g.Map(core.Kinds, func(k core.Kind) g.Node {
			return h.Button(h.Type("button"), h.ID(PaletteButtonID(k)), h.Class("palette-item kind-"+string(k)),
				h.Data("kind", string(k)), needsWASM(false),
				h.Span(h.Class("palette-name"), h.Span(h.Aria("hidden", "true"), g.Text("+ ")), g.Text(kindLabel(k))),
				h.Span(h.Class("palette-help"), g.Text(kindHelp(k))))
		}),
	)
}

// DefaultsNote says what a new node or edge starts with (the core's
// DefaultNode and DefaultLatency), so that no figure of a first run
// comes from nowhere.
func DefaultsNote() g.Node {
	kinds := func(ks ...core.Kind) string {
		n := core.DefaultNode(ks[0])
		s := string(ks[0])
		for i, k := range ks[1:] {
			s += map[bool]string{true: " and ", false: ", "}[i == len(ks)-2] + string(k)
		}
		s += " " + distText(n.ServiceTime)
		if ks[0] != core.Gateway && hasWorkers(ks[0]) {
			s += ", " + formatConcurrency(n.EffectiveConcurrency()) + " at once"
		}
		return s
	}
	c := core.DefaultNode(core.Client).Workload
	return h.P(h.Class("hint defaults-note"), g.Text("New parts start with plausible figures, to change under Properties: "+
		kinds(core.Service)+"; "+kinds(core.Database)+"; "+kinds(core.Worker)+"; "+
		kinds(core.Gateway, core.Queue, core.Bus, core.Topic)+"; client "+quantity(c.Rate, "request", "requests")+" a second, "+
		groupedFigure(float64(c.Count))+" in all; every edge "+readableDuration(core.DefaultLatency)+" each way, and (as \"usual for the target\") a send into a queue, bus or topic, a call into anything else."))
}

// distText describes a distribution briefly: "20 ms exponential", "5 ms
// constant", "1 ms to 3 ms uniform".
func distText(d *core.Dist) string {
	switch {
	case d == nil:
		return "no time"
	case d.Type == core.Constant:
		return readableDuration(d.Value) + " constant"
	case d.Type == core.Exponential:
		return readableDuration(d.Mean) + " exponential"
	case d.Type == core.Uniform:
		return readableDuration(d.Min) + " to " + readableDuration(d.Max) + " uniform"
	}
	return readableDuration(d.MeanValue()) + " on average"
}

func kindLabel(k core.Kind) string {
	switch k {
	case core.Bus:
		return "event bus"
	case core.DLQ:
		return "dead letter queue"
	case core.RateLimiter:
		return "rate limiter"
	}
	return string(k)
}

func kindHelp(k core.Kind) string {
	switch k {
	case core.Client:
		return "sends the workload"
	case core.Gateway:
		return "fans out, waits for all"
	case core.Service:
		return "workers, calls on"
	case core.Database:
		return "answers, calls nobody"
	case core.Queue:
		return "acks, then delivers"
	case core.Worker:
		return "consumes messages"
	case core.Bus:
		return "a copy per subscriber"
	case core.Topic:
		return "keyed partitions, in order"
	case core.Outbox:
		return "same transaction, polled"
	case core.DLQ:
		return "holds what failed"
	case core.RateLimiter:
		return "token bucket"
	}
	return ""
}

// Problems lists what stops the scenario from running, each a button that
// takes the learner to the field at fault. Empty, it says the run is live.
func Problems(errs core.Errors) g.Node {
	if len(errs) == 0 {
		return h.Div(h.ID(IDProblems), h.Class("problems ok"),
			h.P(g.Text("No problems: the run follows every change.")))
	}
	return h.Div(h.ID(IDProblems), h.Class("problems"),
		h.P(h.Strong(g.Text(plural(len(errs), "problem")+" to fix before it runs")), g.Text(" (the numbers show the last run that worked):")),
		h.Ul(g.Map(errs, func(e core.FieldError) g.Node {
			return h.Li(h.Button(h.Type("button"), h.Class("link"), h.Data("goto", e.Field),
				h.Code(g.Text(e.Field)), g.Text(": "+e.Message)))
		})),
	)
}

// Properties is the panel for what is selected: every parameter the core
// accepts for it, each with the error that names it beside it.
func Properties(b Builder) g.Node {
	sc := b.Scenario
	b.fields = core.NewFieldReader(sc)
	var body g.Node
	switch {
	case b.Selection.Node != "" && sc.NodeIndex(b.Selection.Node) >= 0:
		body = nodeProperties(b, sc.NodeIndex(b.Selection.Node))
	case b.Selection.Edge >= 0 && b.Selection.Edge < len(sc.Edges):
		body = edgeProperties(b, b.Selection.Edge)
	default:
		body = scenarioProperties(b)
	}
	return h.Div(h.ID(IDProperties), h.Class("properties"), body)
}

func scenarioProperties(b Builder) g.Node {
	return g.Group{
		h.H3(g.Text("Scenario")),
		h.P(h.Class("hint"), g.Text("Select a node or an edge on the canvas to edit it.")),
		elementErrors(b, "scenario"), elementErrors(b, "nodes"), elementErrors(b, "edges"),
		fieldList(b, "", core.ScenarioFields()),
	}
}

func nodeProperties(b Builder, i int) g.Node {
	sc := b.Scenario
	n := &sc.Nodes[i]
	path := "nodes[" + strconv.Itoa(i) + "]"
	fields := core.NodeFields(n)
	var targets []g.Node
	for j := range sc.Nodes {
		if j != i && sc.Nodes[j].Kind != core.Client {
			targets = append(targets, h.Option(h.Value(sc.Nodes[j].ID), g.Text(sc.Nodes[j].Name()+" ("+string(sc.Nodes[j].Kind)+")")))
		}
	}
	var out []g.Node
	for j := range sc.Edges {
		if sc.Edges[j].From == n.ID || sc.Edges[j].To == n.ID {
			e := &sc.Edges[j]
			out = append(out, h.Li(h.Button(h.Type("button"), h.Class("link"), h.Data("select-edge", strconv.Itoa(j)),
				g.Text(e.From+" → "+e.To+" ("+string(e.Mode)+")"))))
		}
	}
	return g.Group{
		h.H3(g.Text(kindLabel(n.Kind) + " · " + n.ID)),
		elementErrors(b, path),
		fieldControl(b, NodeIDPath(i), core.Field{Key: "id", Label: "Id", Type: core.FieldString, Help: "Renaming updates every edge and fault."}),
		fieldGroups(b, path, fields),
		h.FieldSet(h.Class("connect"),
			h.Legend(g.Text("Connect")),
			g.If(len(out) > 0, h.Ul(h.Class("edge-list"), g.Group(out))),
			g.If(len(targets) > 0, h.Div(h.Class("connect-row"),
				h.Label(h.For(IDConnectTo), g.Text("to ")),
				h.Select(h.ID(IDConnectTo), g.Group(targets)),
				h.Label(h.For(IDConnectMode), g.Text(" as ")),
				h.Select(h.ID(IDConnectMode),
					h.Option(h.Value(""), g.Text("usual for the target")),
					h.Option(h.Value(string(core.Sync)), g.Text("sync call")),
					h.Option(h.Value(string(core.Async)), g.Text("async send"))),
				h.Button(h.Type("button"), h.ID(IDConnect), g.Text("Add edge")),
			)),
			h.Button(h.Type("button"), h.ID(IDConnectStart), g.Text("Connect by picking on the canvas (C)")),
		),
		faultSection(b, n),
		h.Button(h.Type("button"), h.ID(IDDeleteNode), h.Class("danger"), g.Text("Delete "+n.ID+" (Delete key)")),
	}
}

func edgeProperties(b Builder, i int) g.Node {
	e := &b.Scenario.Edges[i]
	path := "edges[" + strconv.Itoa(i) + "]"
	other := core.Async
	if e.Mode == core.Async {
		other = core.Sync
	}
	return g.Group{
		h.H3(g.Text(string(e.Mode) + " edge · " + e.From + " → " + e.To)),
		elementErrors(b, path),
		h.Button(h.Type("button"), h.ID(IDFlipEdge), g.Text("Make it "+string(other)+" (F)")),
		fieldGroups(b, path, core.EdgeFields(b.Scenario, e)),
		h.P(h.Button(h.Type("button"), h.Class("link"), h.Data("select-node", e.From), g.Text("Select "+e.From)),
			g.Text(" · "),
			h.Button(h.Type("button"), h.Class("link"), h.Data("select-node", e.To), g.Text("Select "+e.To))),
		h.Button(h.Type("button"), h.ID(IDDeleteEdge), h.Class("danger"), g.Text("Delete this edge (Delete key)")),
	}
}

// faultSection lists the faults on node n with their fields, and offers
// to add one.
func faultSection(b Builder, n *core.Node) g.Node {
	sc := b.Scenario
	var faults []g.Node
	for j := range sc.Faults {
		f := &sc.Faults[j]
		if f.Node != n.ID && f.From != n.ID {
			continue
		}
		path := "faults[" + strconv.Itoa(j) + "]"
		faults = append(faults, h.FieldSet(h.Class("fault"),
			h.Legend(g.Text(string(f.Type)+" fault")),
			elementErrors(b, path),
			fieldList(b, path, core.FaultFields(f)),
			h.Button(h.Type("button"), h.Class("link danger"), h.Data("remove-fault", strconv.Itoa(j)), g.Text("Remove this fault")),
		))
	}
	types := []core.FaultType{core.Down, core.Crash, core.Latency, core.LostAck}
	if n.Kind == core.Client {
		types = []core.FaultType{core.Poison}
	}
	return h.Div(h.Class("faults"),
		h.H4(g.Text("Faults")),
		g.Group(faults),
		h.Div(h.Class("connect-row"),
			h.Label(h.For(IDFaultType), g.Text("Inject ")),
			h.Select(h.ID(IDFaultType), g.Map(types, func(t core.FaultType) g.Node {
				return h.Option(h.Value(string(t)), g.Text(string(t)))
			})),
			h.Button(h.Type("button"), h.ID(IDAddFault), g.Text("Add fault")),
		),
	)
}

// fieldGroups draws fields under their groups' headings.
func fieldGroups(b Builder, path string, fields []core.Field) g.Node {
	var out []g.Node
	for start := 0; start < len(fields); {
		end := start + 1
		for end < len(fields) && fields[end].Group == fields[start].Group {
			end++
		}
		list := fieldList(b, path, fields[start:end])
		if fields[start].Group == "" {
			out = append(out, list)
		} else {
			out = append(out, h.FieldSet(h.Legend(g.Text(fields[start].Group)), list))
		}
		start = end
	}
	return g.Group(out)
}

// fieldList draws the fields of the element at path ("" for the scenario).
func fieldList(b Builder, path string, fields []core.Field) g.Node {
	if path != "" {
		path += "."
	}
	return g.Map(fields, func(f core.Field) g.Node { return fieldControl(b, path+f.Key, f) })
}

// fieldControl is one labelled form control, its help, and its error.
func fieldControl(b Builder, path string, f core.Field) g.Node {
	id := FieldID(path)
	value := b.fields.Text(path)
	msg := ""
	if d, ok := b.Drafts[path]; ok {
		value, msg = d.Text, d.Error
	} else {
		msg = problemAt(b.Problems, path)
	}
	described := []string{}
	if f.Help != "" {
		described = append(described, id+"-help")
	}
	if msg != "" {
		described = append(described, FieldErrorID(path))
	}
	common := g.Group{h.ID(id), h.Name(path), h.Data("path", path),
		g.If(len(described) > 0, h.Aria("describedby", strings.Join(described, " "))),
		g.If(msg != "", h.Aria("invalid", "true"))}
	var control g.Node
	switch f.Type {
	case core.FieldEnum:
		control = h.Select(common, g.Map(f.Options, func(o string) g.Node {
			label := o
			if o == "" {
				label = "default"
			}
			return h.Option(h.Value(o), g.If(o == value, h.Selected()), g.Text(label))
		}))
	case core.FieldBool:
		control = h.Input(common, h.Type("checkbox"), h.Data("bool", "true"), g.If(value == "true", h.Checked()))
	default:
		mode := ""
		switch f.Type {
		case core.FieldInt:
			mode = "numeric"
		case core.FieldFloat:
			mode = "decimal"
		}
		control = h.Input(common, h.Type("text"), h.Value(value), g.If(mode != "", g.Attr("inputmode", mode)),
			h.AutoComplete("off"), g.Attr("spellcheck", "false"))
	}
	class := "field"
	if msg != "" {
		class += " invalid"
	}
	return h.Div(h.Class(class),
		h.Label(h.For(id), g.Text(f.Label)),
		control,
		g.If(f.Help != "", h.Span(h.ID(id+"-help"), h.Class("field-help"), g.Text(f.Help))),
		g.If(msg != "", h.Span(h.ID(FieldErrorID(path)), h.Class("field-error"), g.Text(msg))),
	)
}

// problemAt returns the first problem reported for the field at path.
func problemAt(errs core.Errors, path string) string {
	for _, e := range errs {
		if e.Field == path {
			return e.Message
		}
	}
	return ""
}

// elementErrors shows the problems that name an element as a whole
// ("nodes[2]: client needs exactly one outgoing edge").
func elementErrors(b Builder, path string) g.Node {
	var msgs []g.Node
	for _, e := range b.Problems {
		if e.Field == path {
			msgs = append(msgs, h.P(h.Class("field-error"), g.Text(e.Message)))
		}
	}
	return g.Group(msgs)
}

// Sandbox is what the sandbox page shows.
type Sandbox struct {
	Examples []core.Example // the templates
	Template string         // the template loaded, "" for none
	Builder  Builder
	Timeline *core.Timeline // the last run that worked
	Step     int
	Error    string
	// A challenge page's (see [ChallengePage]); empty for the sandbox.
	Title, Heading, Lead string
	Panel                g.Node
}

// SandboxPage is the sandbox: a palette, the canvas and the properties of
// what is selected; the player for the run; and the comparison of the
// learner's wiring with another on the same workload.
func SandboxPage(s Sandbox) g.Node {
	sc := s.Builder.Scenario
	if sc == nil {
		sc = &core.Scenario{}
		s.Builder.Scenario = sc
	}
	tl := s.Timeline
	if tl == nil {
		tl = core.NewTimeline(sc, nil)
	}
	step := min(max(s.Step, 0), tl.Len())
	if s.Builder.State == nil {
		s.Builder.State = tl.At(step)
	}
	title, heading, lead := "Sandbox · "+ProductName, "Sandbox", "Start from a template or an empty canvas, wire it, run it, then compare it with its sync or async counterpart on the same workload."
	wasm := SandboxWASM
	if s.Panel != nil {
		title, heading, lead, wasm = s.Title, s.Heading, s.Lead, ChallengeWASM
	}
	return pageWith(title, "Build a topology, run it, flip sync and async, and compare the timings.", "wide", wasm,
		h.Div(h.ID(IDSandbox), h.Class("sandbox"),
			h.Header(h.Class("scenario"),
				h.Div(h.Class("scenario-text"),
					h.H1(g.Text(heading)),
					h.P(h.Class("lead"), g.Text(lead)),
				),
				h.Div(h.Class("scenario-tools"),
					h.Div(h.Class("examples"), g.If(s.Panel != nil, g.Attr("hidden")), // a challenge starts from its own scenario
						h.Label(h.For(IDTemplate), g.Text("Template")), g.Text(" "),
						h.Select(h.ID(IDTemplate), needsWASM(false),
							h.Option(h.Value(""), h.Disabled(), g.If(s.Template == "", h.Selected()), g.Text("Your own topology")),
							g.Map(s.Examples, func(e core.Example) g.Node {
								return h.Option(h.Value(e.ID), g.If(e.ID == s.Template, h.Selected()), g.Text(e.Scenario.Name))
							}),
						),
						h.Button(h.Type("button"), h.ID(IDEmptyCanvas), needsWASM(false), g.Text("Empty canvas")),
					),
					h.Div(h.Class("share"),
						h.Button(h.Type("button"), h.ID(IDUndo), needsWASM(false), h.Aria("keyshortcuts", "Control+Z"), g.Text("Undo")),
						h.Button(h.Type("button"), h.ID(IDRedo), needsWASM(false), h.Aria("keyshortcuts", "Control+Shift+Z"), g.Text("Redo")),
						h.Button(h.Type("button"), h.ID(IDCopyLink), needsWASM(false), g.If(s.Panel != nil, g.Attr("hidden")), g.Text("Copy link")),
					),
					StatusLine(IDShareStatus, "share-status"),
				),
			),
			ErrorBanner(s.Error),
			DraftNotice(),
			s.Panel,
			h.Div(h.Class("builder"),
				panel("panel-palette", "heading-palette", "Add", g.Group{Palette(), DefaultsNote()}),
				h.Section(h.Class("panel panel-canvas"), h.Aria("labelledby", "heading-canvas"),
					h.H2(h.ID("heading-canvas"), g.Text("Topology")),
					h.P(h.ID(IDCanvasHelp), h.Class("hint"),
						g.Text("Click or Tab to a node or edge to select it. Drag a node, or move it with the arrow keys (Shift: further). C connects the selected node to the next one you pick; F flips an edge between sync and async; Delete removes; Ctrl+Z undoes.")),
					scrollArea("scroll topology-scroll", "Canvas", Canvas(s.Builder)),
					StatusLine(IDRunStatus, "run-status"),
					Problems(s.Builder.Problems),
				),
				panel("panel-properties", "heading-properties", "Properties", Properties(s.Builder)),
			),
			h.Section(h.Class("panel panel-controls"),
				controls(tl, step, false),
				Narration(tl, step),
			),
			h.Div(h.Class("player"),
				panel("panel-sequence", "heading-sequence", "Sequence", scrollArea("scroll", "Sequence diagram", Sequence(tl, step, false))),
				h.Div(h.Class("player-side"),
					panel("panel-stats", "heading-stats", "Numbers so far", Stats(tl, step)),
					panel("panel-log", "heading-log", "Event log (pick an event to trace its request)", EventLog(tl, step)),
				),
			),
			// A challenge page (its own program, challenge.wasm) leaves out
			// the waterfall and the comparison: see wasm/pages_sandbox.go.
			g.If(s.Panel == nil, panel("panel-waterfall", "heading-waterfall", "Request waterfall", WaterfallPanel(nil, -1))),
			g.If(s.Panel == nil, h.Section(h.Class("panel panel-compare"), h.Aria("labelledby", "heading-compare"),
				h.H2(h.ID("heading-compare"), g.Text("Compare timings")),
				h.Div(h.Class("connect-row"),
					h.Label(h.For(IDCompareWith), g.Text("Compare your topology with ")),
					h.Select(h.ID(IDCompareWith), needsWASM(false),
						h.Option(h.Value(CompareCounterpart), h.Selected(), g.Text("its counterpart: the same workload wired the other way (sync ↔ async)")),
						g.Map(s.Examples, func(e core.Example) g.Node {
							return h.Option(h.Value(e.ID), g.Text("template: "+e.Scenario.Name))
						}),
					),
					h.Button(h.Type("button"), h.ID(IDCompareRun), needsWASM(false), g.Text("Compare")),
				),
				h.Progress(h.ID(IDCompareBar), h.Max("1"), h.Value("0"), g.Attr("hidden"), h.Aria("labelledby", IDCompareState)),
				h.P(h.ID(IDCompareState), h.Role("status"), h.Class("compare-status")),
				CompareResult(nil),
			)),
			g.If(s.Panel == nil, makeChallengeSection()),
		),
	)
}

// CompareResult shows a comparison: the seed's table filled with the
// measured figures, every figure side by side, and the charts.
func CompareResult(c *core.Comparison) g.Node {
	if c == nil {
		return h.Div(h.ID(IDCompareOut), h.Class("compare-result"),
			h.P(h.Class("hint"), g.Text("Compare runs the same workload through both wirings with the same random numbers, so the difference is the architecture's, not luck's.")))
	}
	return h.Div(h.ID(IDCompareOut), h.Class("compare-result"),
		h.Div(h.Class("compare-topologies"),
			comparedTopology(c.ScenarioA, c.NameA, "a"),
			comparedTopology(c.ScenarioB, c.NameB, "b"),
		),
		ComparisonTable(c),
		h.Div(h.Class("charts"),
			LatencyCDF(c.A, c.B, c.NameA, c.NameB),
			ThroughputChart(c.A, c.B, c.NameA, c.NameB),
			OutageChart(c),
			DepthChart(c.A),
			DepthChart(c.B),
		),
	)
}

// comparedTopology draws one of the compared wirings, at rest, under its
// name. It is Topology's drawing with its ids suffixed, so that the two
// (and the canvas) keep ids of their own on one page.
func comparedTopology(sc *core.Scenario, name, which string) g.Node {
	if sc == nil {
		return nil
	}
	var b strings.Builder
	if err := Topology(sc, &core.State{}).Render(&b); err != nil {
		return nil
	}
	svg := strings.ReplaceAll(b.String(), `id="`+IDTopology+`"`, `id="`+IDTopology+`-`+which+`"`)
	svg = strings.ReplaceAll(svg, `"`+IDTopologyTitle+`"`, `"`+IDTopologyTitle+`-`+which+`"`)
	svg = strings.ReplaceAll(svg, `topology-arrow-`, `topology-arrow-`+which+`-`)
	for _, id := range []string{IDTopologyNodes, IDTopologyTransits, "topology-hatch"} {
		svg = strings.ReplaceAll(svg, id, id+"-"+which)
	}
	return h.Figure(h.Class("compared-topology"), h.FigCaption(g.Text(name)), g.Raw(svg))
}

// WaterfallPanel shows request req of the run as a tracing UI would, or,
// with no run or req < 0, how to pick one.
func WaterfallPanel(tl *core.Timeline, req int32) g.Node {
	if tl == nil || req < 0 {
		return h.Div(h.ID(IDWaterfallOut), h.Class("waterfall-result"),
			h.P(h.Class("hint"), g.Text("Pick an event in the log: its request is drawn here as a tracing UI would, a bar per hop.")))
	}
	return h.Div(h.ID(IDWaterfallOut), h.Class("waterfall-result"), Waterfall(tl, req))
}

// DraftNotice is where the sandbox offers back the work it saved in the
// browser. It is empty until then; it is a live region from the start, so
// that what the WASM program puts in it (a [DraftOffer]) is announced.
func DraftNotice() g.Node {
	return h.Div(h.ID(IDDraftNotice), h.Class("draft-notice"), h.Aria("live", "polite"))
}

// DraftOffer says that there is saved work from when (see [SavedAtText])
// and offers to restore or discard it.
func DraftOffer(when string) g.Node {
	return h.P(
		g.Text("You have unsaved work from "+when+": "),
		h.Button(h.Type("button"), h.ID(IDDraftRestore), g.Text("Restore")),
		g.Text(" · "),
		h.Button(h.Type("button"), h.ID(IDDraftDiscard), g.Text("Discard")),
	)
}

// Civil is a moment as its reader's clock shows it. The sandbox reads it
// from the browser's Date: Go's time zone code (Location, its rules and
// formatting) would cost the sandbox's program about 6 KB compressed, and
// it has no room for them.
type Civil struct {
	Year, Month, Day int   // Month from 1
	Hour, Minute     int   //
	Millis           int64 // since the Unix epoch, for what is later
}

// CivilOf is t as Civil (the tests build their times with it).
func CivilOf(t time.Time) Civil {
	y, m, d := t.Date()
	return Civil{Year: y, Month: int(m), Day: d, Hour: t.Hour(), Minute: t.Minute(), Millis: t.UnixMilli()}
}

// dayNumber counts days from the epoch to c's date (Howard Hinnant's
// days_from_civil), so that "yesterday" works across months and years.
func (c Civil) dayNumber() int {
	y, m := c.Year, c.Month
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + c.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// weekday is c's day of the week, 0 being Sunday: the epoch's day, 1
// January 1970, was a Thursday.
func (c Civil) weekday() int { return ((c.dayNumber()+4)%7 + 7) % 7 }

var (
	monthNames   = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	weekdayNames = [...]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
)

// SavedAtText says when saved was, as seen at now: "today at 14:03",
// "yesterday at 09:15", "Mon 3 Mar at 10:00", or with the year when it is
// not this one (or when saved is in the future: a clock that moved).
func SavedAtText(saved, now Civil) string {
	clock := twoDigits(saved.Hour) + ":" + twoDigits(saved.Minute)
	date := strconv.Itoa(saved.Day) + " " + monthNames[(saved.Month+11)%12]
	switch days := now.dayNumber() - saved.dayNumber(); {
	case saved.Millis > now.Millis+60_000:
	case days == 0:
		return "today at " + clock
	case days == 1:
		return "yesterday at " + clock
	case saved.Year == now.Year:
		return weekdayNames[saved.weekday()] + " " + date + " at " + clock
	}
	return date + " " + strconv.Itoa(saved.Year) + " at " + clock
}

// twoDigits formats 0-99 with a leading zero.
func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
