package web

import "github.com/sync-vs-async/playground/core"

// A coroutine (core.Node.Coroutine) is drawn as what it is: one task per
// message on an event loop, which awaits its calls suspended, with the loop
// free. It is never "blocked" and has no pool of workers to count.

// kindWord is the word a node's box and accessible name give its kind:
// "coroutine" for one, else its kind.
func kindWord(n *core.Node) string {
	if n.Coroutine {
		return "coroutine"
	}
	return string(n.Kind)
}

// awaitingLines are the caption, the state line and the accessible status
// of a coroutine awaiting what, for waited.
func awaitingLines(what, waited string) (caption, state, status string) {
	return "awaiting · " + waited, "awaits " + truncate(what, 11),
		"awaiting, suspended: awaits " + what + " for " + waited + "; the event loop is free"
}

// callBar is the kind of activation bar a sync call of node i draws on its
// lane: "awaiting" for a coroutine (outlined, not hatched), else "blocked".
func callBar(sc *core.Scenario, i int32) string {
	if i >= 0 && int(i) < len(sc.Nodes) && sc.Nodes[i].Coroutine {
		return "awaiting"
	}
	return "blocked"
}
