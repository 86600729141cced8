package web

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/sync-vs-async/playground/core"
)

// builderOf is a builder showing sc with the given selection and the
// problems Validate finds.
func builderOf(t *testing.T, sc *core.Scenario, sel Selection) Builder {
	t.Helper()
	b := Builder{Scenario: sc, Selection: sel}
	if err := sc.Validate(); err != nil {
		var errs core.Errors
		require.True(t, errors.As(err, &errs), "Validate returns Errors")
		b.Problems = errs
	}
	return b
}

func TestSandboxGolden(t *testing.T) {
	checkout, err := core.ExampleByID("checkout-hybrid")
	require.NoError(t, err)
	broken := checkout.Clone()
	broken.Nodes[1].Concurrency = -1

	tests := []struct {
		name string
		out  string
	}{
		{"sandbox-palette", render(t, Palette())},
		{"sandbox-canvas-empty", render(t, Canvas(builderOf(t, core.EmptyScenario(), NoSelection())))},
		{"sandbox-canvas-checkout", render(t, Canvas(builderOf(t, checkout, Selection{Node: checkout.Nodes[1].ID, Edge: -1})))},
		{"sandbox-properties-scenario", render(t, Properties(builderOf(t, checkout, NoSelection())))},
		{"sandbox-properties-node-error", render(t, Properties(builderOf(t, broken, Selection{Node: broken.Nodes[1].ID, Edge: -1})))},
		{"sandbox-properties-edge", render(t, Properties(builderOf(t, checkout, Selection{Edge: 0})))},
		{"sandbox-problems", render(t, Problems(builderOf(t, broken, NoSelection()).Problems))},
		{"sandbox-compare", render(t, CompareResult(spikeComparison(t)))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkGolden(t, tt.name, tt.out)
		})
	}
}

// TestPropertiesCoverEveryField: the panel of every node, edge and fault of
// every template has a control for each field the core lists, labelled,
// with the value the scenario holds.
func TestPropertiesCoverEveryField(t *testing.T) {
	for _, ex := range core.Examples() {
		sc := ex.Scenario
		check := func(out, path string, f core.Field) {
			t.Helper()
			id := FieldID(path)
			require.Contains(t, out, `id="`+id+`"`, "%s: %s has a control", ex.ID, path)
			assert.Contains(t, out, `<label for="`+id+`">`+f.Label+`</label>`, "%s: %s is labelled", ex.ID, path)
			if v := core.FieldText(sc, path); v != "" && f.Type != core.FieldEnum && f.Type != core.FieldBool {
				assert.Regexp(t, regexp.MustCompile(`id="`+regexp.QuoteMeta(id)+`"[^>]*value="`+regexp.QuoteMeta(HTMLEscapeString(v))+`"`), out,
					"%s: %s shows its value %q", ex.ID, path, v)
			}
		}
		top := render(t, Properties(builderOf(t, sc, NoSelection())))
		for _, f := range core.ScenarioFields() {
			check(top, f.Key, f)
		}
		for i := range sc.Nodes {
			n := &sc.Nodes[i]
			out := render(t, Properties(builderOf(t, sc, Selection{Node: n.ID, Edge: -1})))
			for _, f := range core.NodeFields(n) {
				check(out, fmt.Sprintf("nodes[%d].%s", i, f.Key), f)
			}
			for j := range sc.Faults {
				if sc.Faults[j].Node == n.ID || sc.Faults[j].From == n.ID {
					for _, f := range core.FaultFields(&sc.Faults[j]) {
						check(out, fmt.Sprintf("faults[%d].%s", j, f.Key), f)
					}
				}
			}
		}
		for i := range sc.Edges {
			out := render(t, Properties(builderOf(t, sc, Selection{Edge: i})))
			for _, f := range core.EdgeFields(sc, &sc.Edges[i]) {
				check(out, fmt.Sprintf("edges[%d].%s", i, f.Key), f)
			}
		}
	}
}

// TestPropertiesShowErrorsBesideTheirFields: a validation problem and a
// draft that could not be read each appear beside their own field, linked
// by aria-describedby and marked aria-invalid; other fields stay clean.
func TestPropertiesShowErrorsBesideTheirFields(t *testing.T) {
	sc, err := core.ExampleByID("rest-chain")
	require.NoError(t, err)
	i := sc.NodeIndex("service")
	require.GreaterOrEqual(t, i, 0)
	sc.Nodes[i].Concurrency = -3
	b := builderOf(t, sc, Selection{Node: "service", Edge: -1})
	timeout := fmt.Sprintf("nodes[%d].timeout", i)
	b.Drafts = map[string]Draft{timeout: {Text: "soon", Error: "want a duration like \"10ms\""}}
	out := render(t, Properties(b))

	conc := fmt.Sprintf("nodes[%d].concurrency", i)
	for path, msg := range map[string]string{conc: "must be at least 1", timeout: "want a duration"} {
		errID := FieldErrorID(path)
		assert.Regexp(t, `id="`+errID+`" class="field-error">`+regexp.QuoteMeta(msg), out, "%s: the error is beside the field", path)
		assert.Regexp(t, `id="`+FieldID(path)+`"[^>]*aria-describedby="[^"]*`+errID+`"[^>]*aria-invalid="true"`, out, "%s: linked and marked invalid", path)
	}
	assert.Contains(t, out, `value="soon"`, "the draft keeps what the learner typed")
	assert.Equal(t, 2, strings.Count(out, `aria-invalid="true"`), "only the two fields at fault are marked")
}

// TestCanvas: nodes and edges are focusable buttons with names, the
// selection is marked, and positions set by the learner are used.
func TestCanvas(t *testing.T) {
	sc, err := core.ExampleByID("rest-chain")
	require.NoError(t, err)
	sc.Nodes[1].Pos = &core.Pos{X: 500, Y: 300}
	out := render(t, Canvas(builderOf(t, sc, Selection{Edge: 1})))
	root := parseXML(t, out)
	nodes := root.all(func(e *element) bool { return e.attrs["data-node"] != "" })
	require.Len(t, nodes, len(sc.Nodes))
	for _, n := range nodes {
		assert.Equal(t, "0", n.attrs["tabindex"], "node %s is focusable", n.attrs["data-node"])
		assert.Equal(t, "button", n.attrs["role"])
		assert.NotEmpty(t, n.attrs["aria-label"])
	}
	moved := root.all(func(e *element) bool { return e.attrs["data-node"] == sc.Nodes[1].ID })
	require.Len(t, moved, 1)
	assert.Equal(t, fmt.Sprintf("translate(%v %v)", 500-nodeW/2, 300-nodeH/2), moved[0].attrs["transform"], "a node the learner placed stays there")
	edges := root.all(func(e *element) bool { return e.attrs["data-edge"] != "" })
	require.Len(t, edges, len(sc.Edges))
	for i, e := range edges {
		assert.Equal(t, fmt.Sprint(i == 1), e.attrs["aria-pressed"], "edge %d selected", i)
		assert.True(t, strings.HasPrefix(e.attrs["aria-label"], string(sc.Edges[i].Mode)+" edge"), "edge %d names its mode: %q", i, e.attrs["aria-label"])
	}
	assert.GreaterOrEqual(t, root.float(t, "width"), canvasMinW, "room to drag into")
}

// TestCanvasMarksLockedNodes: a node a challenge locks has a padlock and
// says so in its name; the others have neither.
func TestCanvasMarksLockedNodes(t *testing.T) {
	ch, err := core.ChallengeByID("kafka-crash")
	require.NoError(t, err)
	sc := ch.Start
	locked := ch.LockedNodes(sc)
	require.NotEmpty(t, locked)
	require.Less(t, len(locked), len(sc.Nodes), "the challenge leaves some nodes to change")
	for _, marked := range []bool{true, false} {
		b := builderOf(t, sc, NoSelection())
		if marked {
			b.Locked = locked
		}
		root := parseXML(t, render(t, Canvas(b)))
		nodes := root.all(func(e *element) bool { return e.attrs["data-node"] != "" })
		require.Len(t, nodes, len(sc.Nodes))
		for _, n := range nodes {
			id := n.attrs["data-node"]
			want := marked && slices.Contains(locked, id)
			padlocks := n.all(func(e *element) bool { return e.attrs["class"] == "node-lock" })
			assert.Equal(t, want, len(padlocks) == 1, "node %s: a padlock", id)
			assert.Equal(t, want, strings.Contains(n.attrs["class"], " locked"), "node %s: class %q", id, n.attrs["class"])
			assert.Equal(t, want, strings.Contains(n.attrs["aria-label"], "Locked"), "node %s: %q", id, n.attrs["aria-label"])
		}
	}
}

func TestFieldID(t *testing.T) {
	assert.Equal(t, "field-nodes-2-serviceTime-mean", FieldID("nodes[2].serviceTime.mean"))
	assert.Equal(t, "field-seed", FieldID("seed"))
	assert.Equal(t, "field-faults-10-requests-error", FieldErrorID("faults[10].requests"))
}

// TestPinLayout: pinning gives every unplaced node the automatic layout's
// position and keeps the ones the learner placed.
func TestPinLayout(t *testing.T) {
	sc, err := core.ExampleByID("checkout-hybrid")
	require.NoError(t, err)
	sc.Nodes[2].Pos = &core.Pos{X: 700, Y: 400}
	auto := LayoutNodes(sc)
	PinLayout(sc)
	for i, n := range sc.Nodes {
		require.NotNil(t, n.Pos, "%s is pinned", n.ID)
		if i == 2 {
			assert.Equal(t, core.Pos{X: 700, Y: 400}, *n.Pos, "a placed node stays")
			continue
		}
		assert.Equal(t, core.Pos{X: int(auto[i].X), Y: int(auto[i].Y)}, *n.Pos, "%s where the layout had it", n.ID)
	}
	assert.Equal(t, auto, LayoutNodes(sc), "pinning moves nothing on the canvas")
}

// TestNewNodePos: new nodes go right of the rightmost, never on top of
// another, and wrap onto a new row.
func TestNewNodePos(t *testing.T) {
	sc := core.EmptyScenario()
	seen := map[core.Pos]bool{}
	for range 12 {
		p := NewNodePos(sc)
		require.False(t, seen[p], "%v is taken", p)
		seen[p] = true
		assert.LessOrEqual(t, p.X, newRowAt+int(newNodeGap), "wraps before going far right")
		assert.Equal(t, p, ClampPos(float64(p.X), float64(p.Y)), "a new node is wholly on the canvas")
		sc.AddNode(core.Service, p)
	}
	ys := map[int]bool{}
	for p := range seen {
		ys[p.Y] = true
	}
	assert.Greater(t, len(ys), 1, "twelve nodes take more than one row")
}

func TestClampPos(t *testing.T) {
	assert.Equal(t, core.Pos{X: int(layoutMargin + nodeW/2), Y: int(layoutMargin + nodeH/2)}, ClampPos(-50, 3))
	assert.Equal(t, core.Pos{X: 300, Y: 200}, ClampPos(300.4, 200.9))
	assert.Equal(t, core.Pos{X: int(20_000 - nodeW/2), Y: int(20_000 - nodeH/2)}, ClampPos(1e9, 1e9))
}

// TestDefaultsNoteSaysTheCoresDefaults: the panel's statement of what new
// parts start with is made from the core's defaults, not typed in.
func TestDefaultsNoteSaysTheCoresDefaults(t *testing.T) {
	note := render(t, DefaultsNote())
	svc, wk := core.DefaultNode(core.Service), core.DefaultNode(core.Worker)
	assert.Contains(t, note, "service "+readableDuration(svc.ServiceTime.Mean)+" exponential, "+strconv.Itoa(svc.EffectiveConcurrency())+" at once")
	assert.Contains(t, note, "worker "+readableDuration(wk.ServiceTime.Mean)+" exponential, "+strconv.Itoa(wk.EffectiveConcurrency())+" at once")
	assert.Contains(t, note, "every edge "+readableDuration(core.DefaultLatency)+" each way")
}
