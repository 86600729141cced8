package web

import "strings"

// HTMLEscapeString escapes s exactly as html/template's HTMLEscapeString
// does (which is text/template's). The WASM build gives gomponents this
// copy instead of importing html/template, whose package initialisation
// alone costs about 127 KB of compressed WASM (see the Makefile's
// overlay). TestHTMLEscapeString holds the copy to the original.
func HTMLEscapeString(s string) string {
	if !strings.ContainsAny(s, "'\"&<>\000") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	last := 0
	for i := 0; i < len(s); i++ { // bytes, not runes: invalid UTF-8 passes through
		var esc string
		switch s[i] {
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case 0:
			esc = "\uFFFD"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
	return b.String()
}
