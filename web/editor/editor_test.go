package editor

import (
	"errors"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

var update = flag.Bool("update", false, "rewrite the expected output of testdata/*.txt")

// TestScripts drives the editor through each testdata/*.txt script, as
// etcd's raft drives a node through its interaction files. A script is
// blocks separated by blank lines: comment lines (#), one command, a line
// "----", then what the command changed (each part of the state that
// differs, as "part: value") and the effects it asked of the page. With
// -update the expected output is rewritten from what the editor does.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			blocks, err := parseScript(string(data))
			require.NoError(t, err)
			s := New()
			for i := range blocks {
				b := &blocks[i]
				got, err := step(s, b.command)
				require.NoError(t, err, "%s:%d: %s", file, b.line, b.command)
				if *update {
					b.output = got
					continue
				}
				assert.Equal(t, b.output, got, "%s:%d: %s (run with -update to accept)", file, b.line, b.command)
			}
			if *update {
				require.NoError(t, os.WriteFile(file, []byte(formatScript(blocks)), 0o644))
			}
		})
	}
}

// block is one command of a script and its expected output.
type block struct {
	comments []string
	command  string
	output   string
	line     int
}

func parseScript(text string) ([]block, error) {
	var blocks []block
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		var b block
		for ; i < len(lines) && (lines[i] == "" || strings.HasPrefix(lines[i], "#")); i++ {
			if lines[i] != "" {
				b.comments = append(b.comments, lines[i])
			} else if len(b.comments) > 0 {
				b.comments = append(b.comments, "")
			}
		}
		if i == len(lines) {
			if len(b.comments) > 0 {
				blocks = append(blocks, b) // trailing comments
			}
			break
		}
		b.command, b.line = lines[i], i+1
		if i+1 >= len(lines) || lines[i+1] != "----" {
			return nil, fmt.Errorf("line %d: %q is not followed by ----", i+1, lines[i])
		}
		i += 2
		var out []string
		for ; i < len(lines) && lines[i] != ""; i++ {
			out = append(out, lines[i])
		}
		b.output = strings.Join(out, "\n")
		blocks = append(blocks, b)
	}
	return blocks, nil
}

func formatScript(blocks []block) string {
	var w strings.Builder
	for i, b := range blocks {
		if i > 0 {
			w.WriteString("\n")
		}
		for _, c := range b.comments {
			w.WriteString(c + "\n")
		}
		if b.command != "" {
			w.WriteString(b.command + "\n----\n" + b.output + "\n")
		}
	}
	return w.String()
}

// step runs one command and describes what it changed.
func step(s *State, command string) (string, error) {
	before := snapshotOf(s)
	actions, err := parseCommand(s, command)
	if err != nil {
		return "", err
	}
	var effects []Effect
	for _, a := range actions {
		effects = append(effects, s.Apply(a)...)
	}
	lines := before.diff(snapshotOf(s))
	if len(effects) == 0 {
		lines = append(lines, "effects: none")
	} else {
		lines = append(lines, "effects:")
		for _, e := range effects {
			lines = append(lines, "  "+describeEffect(e))
		}
	}
	return strings.Join(lines, "\n"), nil
}

// parseCommand turns a script's command into the actions the page would
// apply for it.
func parseCommand(s *State, command string) ([]Action, error) {
	verb, rest, _ := strings.Cut(command, " ")
	args := strings.Fields(rest)
	need := func(n int) error {
		if len(args) < n {
			return fmt.Errorf("%s wants %d arguments", verb, n)
		}
		return nil
	}
	if err := need(map[string]int{"template": 1, "open": 1, "link": 1, "select": 1, "pick": 1, "pick-edge": 1,
		"move": 1, "drag": 3, "nudge": 2, "add": 1, "connect": 2, "fault": 1, "remove-fault": 1, "set": 1,
		"goto": 1, "refuse": 2, "compare": 1, "challenge": 1}[verb]); err != nil {
		return nil, err
	}
	switch verb {
	case "template":
		return []Action{{Op: Template, Text: args[0]}}, nil
	case "challenge": // open a built-in challenge's start, its locks on
		ch, err := core.ChallengeByID(args[0])
		if err != nil {
			return nil, err
		}
		s.Locks = ch
		return []Action{{Op: Open, Scenario: ch.Start}}, nil
	case "empty":
		return []Action{{Op: Empty}}, nil
	case "open", "link":
		return openCommand(verb, args)
	case "select":
		return selectCommand(args)
	case "pick":
		x, y := -1.0, -1.0
		if len(args) > 1 {
			var err error
			if x, y, err = point(args[1]); err != nil {
				return nil, err
			}
		}
		return []Action{{Op: PickNode, Node: args[0], X: x, Y: y}}, nil
	case "pick-edge":
		i, err := strconv.Atoi(args[0])
		return []Action{{Op: PickEdge, Index: i}}, err
	case "move":
		x, y, err := point(args[0])
		return []Action{{Op: DragTo, X: x, Y: y}}, err
	case "up":
		return []Action{{Op: EndDrag}}, nil
	case "drag":
		return dragCommand(args)
	case "nudge":
		return nudgeCommand(args)
	case "add":
		return []Action{{Op: AddNode, Text: args[0]}}, nil
	case "start-connect":
		return []Action{{Op: StartConnect}}, nil
	case "escape":
		return []Action{{Op: CancelConnect}}, nil
	case "connect":
		if args[len(args)-1] == "usual" { // the form's first mode: none chosen
			args[len(args)-1] = ""
		}
		if len(args) == 3 { // from to mode: select the start first, as the page's form needs
			return []Action{{Op: Select, Node: args[0], Index: -1}, {Op: Connect, Node: args[1], Text: args[2]}}, nil
		}
		return []Action{{Op: Connect, Node: args[0], Text: args[1]}}, nil
	case "delete":
		return []Action{{Op: Delete}}, nil
	case "flip":
		return []Action{{Op: Flip}}, nil
	case "fault":
		return []Action{{Op: AddFault, Text: args[0]}}, nil
	case "remove-fault":
		i, err := strconv.Atoi(args[0])
		return []Action{{Op: RemoveFault, Index: i}}, err
	case "set":
		return setCommand(rest)
	case "goto":
		return []Action{{Op: GotoField, Text: args[0]}}, nil
	case "undo":
		return []Action{{Op: Undo}}, nil
	case "redo":
		return []Action{{Op: Redo}}, nil
	case "refuse":
		msg := strings.TrimSpace(strings.TrimPrefix(rest, args[0]))
		return []Action{{Op: Refuse, Err: core.Errors{{Field: args[0], Message: msg}}}}, nil
	case "compare":
		return []Action{{Op: Compare, Text: args[0]}}, nil
	case "copy-link":
		return []Action{{Op: CopyLink}}, nil
	}
	return nil, fmt.Errorf("unknown command %q", verb)
}

// openCommand: "open <template> [step]" opens a template with no undo
// entry, as a link to it does when the page starts; "link <template>
// [step]" pastes a share link of the template into the address bar.
func openCommand(verb string, args []string) ([]Action, error) {
	sc, err := core.ExampleByID(args[0])
	if err != nil {
		return nil, err
	}
	step := -1
	if len(args) > 1 {
		if step, err = strconv.Atoi(args[1]); err != nil {
			return nil, err
		}
	}
	if verb == "link" {
		return []Action{{Op: OpenLink, Scenario: sc, Index: step}}, nil
	}
	return []Action{{Op: Open, Scenario: sc, Text: args[0], Index: step}}, nil
}

// selectCommand: "select node <id>", "select edge <i>" or "select none".
func selectCommand(args []string) ([]Action, error) {
	switch {
	case args[0] == "none":
		return []Action{{Op: Select, Index: -1}}, nil
	case args[0] == "node" && len(args) == 2:
		return []Action{{Op: Select, Node: args[1], Index: -1}}, nil
	case args[0] == "edge" && len(args) == 2:
		i, err := strconv.Atoi(args[1])
		return []Action{{Op: Select, Index: i}}, err
	}
	return nil, fmt.Errorf("select node <id>, select edge <i> or select none, not %q", args)
}

// dragCommand: "drag <id> x,y -> x,y [-> x,y ...]": the pointer goes down
// on the node, moves through each point and is let go.
func dragCommand(args []string) ([]Action, error) {
	x, y, err := point(args[1])
	if err != nil {
		return nil, err
	}
	acts := []Action{{Op: PickNode, Node: args[0], X: x, Y: y}}
	for i := 2; i < len(args); i += 2 {
		if args[i] != "->" || i+1 >= len(args) {
			return nil, fmt.Errorf("drag <id> x,y -> x,y ..., not %q", args)
		}
		if x, y, err = point(args[i+1]); err != nil {
			return nil, err
		}
		acts = append(acts, Action{Op: DragTo, X: x, Y: y})
	}
	return append(acts, Action{Op: EndDrag}), nil
}

// nudgeCommand: "nudge <id> left|right|up|down [shift]", as the arrow
// keys do (Shift moves further).
func nudgeCommand(args []string) ([]Action, error) {
	dirs := map[string]string{"left": "ArrowLeft", "right": "ArrowRight", "up": "ArrowUp", "down": "ArrowDown"}
	key, ok := dirs[args[1]]
	if !ok {
		return nil, fmt.Errorf("nudge <id> left|right|up|down, not %q", args[1])
	}
	// The page's own key mapping, so the scripts check it too.
	return KeyActions(key, args[0], -1, len(args) > 2 && args[2] == "shift"), nil
}

// setCommand: "set <path> <text>", the text being the rest of the line,
// or a Go string literal ("" for an emptied field).
func setCommand(rest string) ([]Action, error) {
	path, text, _ := strings.Cut(rest, " ")
	if strings.HasPrefix(text, `"`) {
		var err error
		if text, err = strconv.Unquote(text); err != nil {
			return nil, fmt.Errorf("set %s: %w", path, err)
		}
	}
	return []Action{{Op: SetField, Text: path, Value: text}}, nil
}

func point(s string) (float64, float64, error) {
	xs, ys, ok := strings.Cut(s, ",")
	x, errX := strconv.ParseFloat(xs, 64)
	y, errY := strconv.ParseFloat(ys, 64)
	if !ok || errX != nil || errY != nil {
		return 0, 0, fmt.Errorf("want a point x,y, not %q", s)
	}
	return x, y, nil
}

func describeEffect(e Effect) string {
	switch e.Kind {
	case Render:
		return "render the builder"
	case RenderCanvas:
		return "render the canvas"
	case Run:
		if e.Step < 0 {
			return "run, showing the end"
		}
		return "run, showing step " + strconv.Itoa(e.Step)
	case Announce:
		return "announce " + strconv.Quote(e.Text)
	case Focus:
		return "focus " + e.Text
	case FocusField:
		return "focus the field " + e.Text
	case Save:
		return "save"
	case WriteHash:
		return "write the hash " + e.Text
	case Banner:
		if e.Text == "" {
			return "hide the error banner"
		}
		return "show the error banner " + strconv.Quote(e.Text)
	case CompareWith:
		return "compare with " + strconv.Quote(e.Scenario.Name)
	case CompareNote:
		return "say in the comparison " + strconv.Quote(e.Text)
	case Share:
		return "share a link"
	}
	return fmt.Sprintf("effect %d %q", e.Kind, e.Text)
}

// snapshot is the state as a script shows it: named parts, and the text
// of every field of the draft.
type snapshot struct {
	parts  [][2]string
	shape  string            // the draft's elements; fields are compared only within one shape
	fields map[string]string // by path
	order  []string
}

func snapshotOf(s *State) snapshot {
	var sn snapshot
	add := func(name, value string) { sn.parts = append(sn.parts, [2]string{name, value}) }
	sc := s.Draft
	if sc == nil {
		return sn
	}
	add("template", orNone(s.Template))
	add("nodes", describeNodes(sc))
	add("edges", describeEdges(sc))
	add("faults", describeFaults(sc))
	add("selection", describeSelection(s))
	add("connecting from", orNone(s.ConnectFrom))
	add("drag", describeDrag(s.drag))
	add("problems", describeProblems(s.Problems))
	add("field drafts", describeDrafts(s.Drafts))
	undo, redo := s.History.Snapshots()
	add("history", fmt.Sprintf("%d to undo, %d to redo", len(undo), len(redo)))
	sn.shape = describeNodes(sc) + describeEdges(sc) + strconv.Itoa(len(sc.Faults))
	sn.fields = map[string]string{}
	field := func(prefix string, fields []core.Field) {
		for _, f := range fields {
			path := prefix + f.Key
			sn.fields[path] = core.FieldText(sc, path)
			sn.order = append(sn.order, path)
		}
	}
	field("", core.ScenarioFields())
	for i := range sc.Nodes {
		field("nodes["+strconv.Itoa(i)+"].", core.NodeFields(&sc.Nodes[i]))
	}
	for i := range sc.Edges {
		field("edges["+strconv.Itoa(i)+"].", core.EdgeFields(sc, &sc.Edges[i]))
	}
	for i := range sc.Faults {
		field("faults["+strconv.Itoa(i)+"].", core.FaultFields(&sc.Faults[i]))
	}
	return sn
}

// diff lists the parts of after that differ from sn, then the fields that
// changed (when the draft kept its elements).
func (sn snapshot) diff(after snapshot) []string {
	var lines []string
	for i, p := range after.parts {
		if i < len(sn.parts) && sn.parts[i] == p {
			continue
		}
		if strings.HasPrefix(p[1], "\n") { // a list, a line an item
			lines = append(lines, p[0]+":"+p[1])
			continue
		}
		lines = append(lines, p[0]+": "+p[1])
	}
	if sn.shape != after.shape {
		return lines
	}
	for _, path := range after.order {
		was, ok := sn.fields[path]
		if now := after.fields[path]; now != was {
			if !ok {
				lines = append(lines, "field "+path+" = "+strconv.Quote(now)+" (new)")
				continue
			}
			lines = append(lines, "field "+path+" = "+strconv.Quote(now)+" (was "+strconv.Quote(was)+")")
		}
	}
	for _, path := range sn.order {
		if _, ok := after.fields[path]; !ok {
			lines = append(lines, "field "+path+" is gone (was "+strconv.Quote(sn.fields[path])+")")
		}
	}
	return lines
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// describeNodes lists the nodes: id (with the kind when the id does not
// start with it) and position, if pinned.
func describeNodes(sc *core.Scenario) string {
	var out []string
	for _, n := range sc.Nodes {
		d := n.ID
		if !strings.HasPrefix(n.ID, string(n.Kind)) {
			d += " (" + string(n.Kind) + ")"
		}
		if n.Pos != nil {
			d += " at " + strconv.Itoa(n.Pos.X) + "," + strconv.Itoa(n.Pos.Y)
		}
		out = append(out, d)
	}
	return orNone(strings.Join(out, "; "))
}

func describeEdges(sc *core.Scenario) string {
	var out []string
	for i, e := range sc.Edges {
		out = append(out, strconv.Itoa(i)+": "+e.From+" → "+e.To+" "+string(e.Mode))
	}
	return orNone(strings.Join(out, "; "))
}

func describeFaults(sc *core.Scenario) string {
	var out []string
	for i, f := range sc.Faults {
		on := f.Node
		if on == "" {
			on = f.From + " → " + f.To
		}
		out = append(out, strconv.Itoa(i)+": "+string(f.Type)+" on "+on)
	}
	return orNone(strings.Join(out, "; "))
}

func describeSelection(s *State) string {
	switch sel := s.Selection; {
	case sel.Node != "":
		return "node " + sel.Node
	case sel.Edge >= 0 && sel.Edge < len(s.Draft.Edges):
		e := s.Draft.Edges[sel.Edge]
		return "edge " + strconv.Itoa(sel.Edge) + " (" + e.From + " → " + e.To + ")"
	case sel.Edge >= 0:
		return "edge " + strconv.Itoa(sel.Edge) + ", which does not exist"
	}
	return "none"
}

func describeDrag(d *drag) string {
	if d == nil {
		return "none"
	}
	out := d.id + " from " + strconv.Itoa(d.start.X) + "," + strconv.Itoa(d.start.Y)
	if !d.moved {
		return out + ", not moved yet"
	}
	return out + ", now at " + strconv.Itoa(d.at.X) + "," + strconv.Itoa(d.at.Y)
}

func describeProblems(errs core.Errors) string {
	if len(errs) == 0 {
		return "none"
	}
	var out []string
	for _, e := range errs {
		out = append(out, "\n  "+e.Field+": "+e.Message)
	}
	return strings.Join(out, "")
}

func describeDrafts(d map[string]web.Draft) string {
	if len(d) == 0 {
		return "none"
	}
	paths := make([]string, 0, len(d))
	for p := range d {
		paths = append(paths, p)
	}
	var out []string
	slices.Sort(paths)
	for _, p := range paths {
		out = append(out, "\n  "+p+" "+strconv.Quote(d[p].Text)+": "+d[p].Error)
	}
	return strings.Join(out, "")
}

// TestEditorIsPure: the editor's own files import nothing that touches
// the browser, the network, JSON or the clock, nor fmt, so that it runs
// (and is tested) natively and costs the WASM program little.
func TestEditorIsPure(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, parser.ImportsOnly)
		require.NoError(t, err)
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			assert.NotContains(t, []string{"syscall/js", "github.com/hack-pad/safejs", "net/http", "encoding/json", "fmt", "time"}, path,
				"%s imports %s", file, path)
		}
	}
}

// TestApplyBeforeOpen: before a draft is open, an edit does nothing.
func TestApplyBeforeOpen(t *testing.T) {
	s := New()
	for _, op := range []Op{Select, PickNode, DragTo, EndDrag, Nudge, AddNode, StartConnect, Connect, Delete, Flip,
		AddFault, RemoveFault, SetField, GotoField, Undo, Redo, Refuse, Compare, CopyLink} {
		assert.Nil(t, s.Apply(Action{Op: op, Node: "client", Text: "service", Err: errors.New("x")}), "op %d", op)
	}
	assert.Nil(t, s.Draft)
}

// TestBuilderCarriesTheLocks: with a challenge's locks on, the builder
// the page draws names the nodes the challenge keeps, as the challenge
// says; without, none.
func TestBuilderCarriesTheLocks(t *testing.T) {
	ch, err := core.ChallengeByID("kafka-crash")
	require.NoError(t, err)
	s := New()
	s.Apply(Action{Op: Open, Scenario: ch.Start})
	assert.Empty(t, s.Builder().Locked)
	s.Locks = ch
	assert.Equal(t, ch.LockedNodes(s.Draft), s.Builder().Locked)
	assert.NotEmpty(t, s.Builder().Locked)
}
