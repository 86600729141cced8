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

// readableDuration writes d as a person writes a duration: three figures
// at most, in the largest unit it reaches ("420 µs", "1.2 ms", "350 ms",
// "15.4 s"), then minutes and seconds ("2 min 5 s") and hours and minutes
// ("1 h 20 min").
func readableDuration(d core.Duration) string {
	if d < 0 {
		return "-" + readableDuration(-d)
	}
	v := float64(d)
	// Below a minute: a figure in µs, ms or s, with one decimal under 10
	// (and under 60 for seconds), moving up a unit when rounding reaches it.
	for _, u := range []struct {
		name        string
		size, below float64
	}{{"µs", 1e3, 1e3}, {"ms", 1e6, 1e3}, {"s", 1e9, 60}} {
		x := v / u.size
		if u.name == "s" || x < 10 {
			x = math.Round(x*10) / 10
		} else {
			x = math.Round(x)
		}
		if x < u.below {
			if d == 0 {
				return "0 ms"
			}
			return strconv.FormatFloat(x, 'f', -1, 64) + " " + u.name
		}
	}
	s := int64(math.Round(v / 1e9))
	if s < 3600 {
		return joinUnits(s/60, "min", s%60, "s")
	}
	m := int64(math.Round(v / 60e9))
	return joinUnits(m/60, "h", m%60, "min")
}

// joinUnits writes "2 min 5 s", or "2 min" when the smaller part is 0.
func joinUnits(big int64, bigUnit string, small int64, smallUnit string) string {
	s := strconv.FormatInt(big, 10) + " " + bigUnit
	if small > 0 {
		s += " " + strconv.FormatInt(small, 10) + " " + smallUnit
	}
	return s
}

// readableMs is readableDuration of v milliseconds.
func readableMs(v float64) string {
	return readableDuration(core.Duration(math.Round(v * float64(core.Millisecond))))
}

// groupedFigure is formatFigure with thousands separators: "3,099".
func groupedFigure(v float64) string {
	s := formatFigure(v)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	if frac != "" {
		whole += "." + frac
	}
	return sign + whole
}

// quantity writes v and its noun, one or many as v reads: "1 message",
// "3,099 messages", "0.5 messages".
func quantity(v float64, one, many string) string {
	s := groupedFigure(v)
	if s == "1" {
		return s + " " + one
	}
	return s + " " + many
}
