package web

import (
	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"
)

// scrollArea wraps a diagram that may be wider than the screen: a region
// that can be focused (so it scrolls with the keyboard) and whose name
// says what it holds and that it scrolls.
func scrollArea(class, label string, content g.Node) g.Node {
	return h.Div(h.Class(class), h.TabIndex("0"), h.Role("region"), h.Aria("label", label+" (scrolls sideways)"), content)
}
