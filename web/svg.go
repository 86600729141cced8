package web

import g "maragu.dev/gomponents"

// svgEl is element name with its attributes given as name, value pairs, in
// order, then its children: the markup g.El with a g.Attr per attribute
// writes, from a call that is several times smaller in the WASM programs
// (a list of strings instead of a call and an interface per attribute;
// the views draw thousands of these).
func svgEl(name string, attrs []string, children ...g.Node) g.Node {
	nodes := make([]g.Node, 0, len(attrs)/2+len(children))
	for i := 0; i+1 < len(attrs); i += 2 {
		nodes = append(nodes, g.Attr(attrs[i], attrs[i+1]))
	}
	return g.El(name, append(nodes, children...)...)
}
