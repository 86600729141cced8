package web

import (
	"math"
	"strconv"
	"strings"

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
