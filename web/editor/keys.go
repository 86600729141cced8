package editor

import "strings"

// KeyActions is what a key does on the sandbox canvas, focused on node
// (or "") or edge (or -1): the editor's actions, or none. Arrows move the
// node 10 units (50 with shift); Enter or Space picks it (or the edge); C
// starts a connection, F flips an edge, Delete removes, Escape cancels.
func KeyActions(key, node string, edge int, shift bool) []Action {
	step := 10.0
	if shift {
		step = 50
	}
	sel := Action{Op: Select, Node: node, Index: edge}
	switch {
	case node != "" && strings.HasPrefix(key, "Arrow"):
		var dx, dy float64
		switch key {
		case "ArrowLeft":
			dx = -step
		case "ArrowRight":
			dx = step
		case "ArrowUp":
			dy = -step
		case "ArrowDown":
			dy = step
		default:
			return nil
		}
		return []Action{{Op: Nudge, Node: node, X: dx, Y: dy}}
	case (key == "Enter" || key == " ") && node != "":
		return []Action{{Op: PickNode, Node: node, X: -1, Y: -1}}
	case (key == "Enter" || key == " ") && edge >= 0:
		return []Action{{Op: PickEdge, Index: edge}}
	case key == "Delete", key == "Backspace":
		return []Action{sel, {Op: Delete}}
	case (key == "c" || key == "C") && node != "":
		return []Action{sel, {Op: StartConnect}}
	case (key == "f" || key == "F") && edge >= 0:
		return []Action{sel, {Op: Flip}}
	case key == "Escape":
		return []Action{{Op: CancelConnect}}
	}
	return nil
}
