package web

import (
	"html/template"
	"testing"
	"unicode/utf8"
)

// TestHTMLEscapeString holds the WASM build's escaper to html/template's
// on hand-picked and fuzzed strings.
func TestHTMLEscapeString(t *testing.T) {
	for _, s := range []string{"", "plain", `<a href="x">'&'</a>`, "nul\x00byte", "\xff\xfe invalid utf-8 <", "ünïcödé & <→>", "&amp;"} {
		if got, want := HTMLEscapeString(s), template.HTMLEscapeString(s); got != want {
			t.Errorf("HTMLEscapeString(%q) = %q, html/template gives %q", s, got, want)
		}
	}
}

func FuzzHTMLEscapeString(f *testing.F) {
	f.Add(`<"'&>` + "\x00")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := HTMLEscapeString(s), template.HTMLEscapeString(s); got != want {
			t.Fatalf("HTMLEscapeString(%q) = %q, html/template gives %q (valid UTF-8: %v)", s, got, want, utf8.ValidString(s))
		}
	})
}
