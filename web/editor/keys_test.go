package editor

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestKeyActions(t *testing.T) {
	sel := func(node string, edge int) Action { return Action{Op: Select, Node: node, Index: edge} }
	tests := []struct {
		desc      string
		key, node string
		edge      int
		shift     bool
		want      []Action
	}{
		{"an arrow moves the node 10 units", "ArrowUp", "api", -1, false, []Action{{Op: Nudge, Node: "api", Y: -10}}},
		{"with shift, 50", "ArrowRight", "api", -1, true, []Action{{Op: Nudge, Node: "api", X: 50}}},
		{"an arrow on an edge does nothing", "ArrowLeft", "", 2, false, nil},
		{"Enter picks the node", "Enter", "api", -1, false, []Action{{Op: PickNode, Node: "api", X: -1, Y: -1}}},
		{"Space picks the edge", " ", "", 2, false, []Action{{Op: PickEdge, Index: 2}}},
		{"C connects from the node", "c", "api", -1, false, []Action{sel("api", -1), {Op: StartConnect}}},
		{"F flips the edge", "F", "", 2, false, []Action{sel("", 2), {Op: Flip}}},
		{"Delete removes what has focus", "Delete", "", 2, false, []Action{sel("", 2), {Op: Delete}}},
		{"Escape cancels a connection", "Escape", "api", -1, false, []Action{{Op: CancelConnect}}},
		{"another key does nothing", "x", "api", -1, false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			assert.Equal(t, tc.want, KeyActions(tc.key, tc.node, tc.edge, tc.shift))
		})
	}
}
