package web

import (
	"strings"

	g "maragu.dev/gomponents"
)

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

// markup writes SVG by hand, for the rows the sequence diagram redraws at
// every step: there, gomponents' node and closures per element and
// attribute were most of a jump's time in WASM (each one an allocation).
// It writes what g.El and g.Attr write; text goes through g.Text, so it is
// escaped the same way, and so are attribute values that need it.
type markup struct{ strings.Builder }

// open writes <name attr="value" …>, attrs being name, value pairs.
func (m *markup) open(name string, attrs ...string) {
	m.WriteByte('<')
	m.WriteString(name)
	for i := 0; i+1 < len(attrs); i += 2 {
		m.WriteByte(' ')
		m.WriteString(attrs[i])
		m.WriteString(`="`)
		if strings.ContainsAny(attrs[i+1], `&<>"'`+"\x00") {
			_ = g.Text(attrs[i+1]).Render(m)
		} else {
			m.WriteString(attrs[i+1])
		}
		m.WriteByte('"')
	}
	m.WriteByte('>')
}

// close writes </name>.
func (m *markup) close(name string) {
	m.WriteString("</")
	m.WriteString(name)
	m.WriteByte('>')
}

// el writes an element with its attributes and, escaped, its text.
func (m *markup) el(name, text string, attrs ...string) {
	m.open(name, attrs...)
	if text != "" {
		_ = g.Text(text).Render(m)
	}
	m.close(name)
}
