package web

import (
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/sync-vs-async/playground/core"
)

// formatTime writes a virtual time short enough for a row label.
func formatTime(d core.Duration) string { return d.Short() }

// num formats an SVG coordinate with at most one decimal.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// unbounded is the concurrency from which a node counts as unbounded: the
// gateway, outbox and rate limiter defaults are a million.
const unbounded = 1_000_000

// formatConcurrency writes a node's concurrency, "∞" for the unbounded defaults.
func formatConcurrency(c int) string {
	if c >= unbounded {
		return "∞"
	}
	return strconv.Itoa(c)
}

// plural writes "1 message" or "3 messages".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// truncate shortens s to at most n runes, ending it with "…" if cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// wrapName splits a node name over at most two lines of about width runes,
// at a space where it can.
func wrapName(name string, width int) []string {
	r := []rune(name)
	if len(r) <= width {
		return []string{name}
	}
	cut := -1
	for i := min(width, len(r)-1); i > 0; i-- {
		if r[i] == ' ' {
			cut = i
			break
		}
	}
	if cut < 0 {
		return []string{truncate(name, width)}
	}
	return []string{string(r[:cut]), truncate(strings.TrimSpace(string(r[cut:])), width)}
}

// PlainText is s made safe for a one-line place such as document.title,
// where a scenario's name goes: bidirectional controls (U+202A–U+202E,
// U+2066–U+2069, the marks U+200E, U+200F and U+061C), which can make
// text read backwards and so disguise it, are dropped; other control
// characters and every kind of space or line break become one space
// between words, none at the ends.
func PlainText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is pending, written before the next visible rune
	for _, r := range s {
		switch {
		case isBidiControl(r):
			continue
		case unicode.IsControl(r) || unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isBidiControl reports whether r is one of Unicode's explicit
// directional formatting characters (UAX #9), which reorder the text
// around them.
func isBidiControl(r rune) bool {
	return r >= '\u202A' && r <= '\u202E' || r >= '\u2066' && r <= '\u2069' ||
		r == '\u200E' || r == '\u200F' || r == '\u061C'
}
