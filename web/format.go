package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/sync-vs-async/playground/core"
)

// formatTime writes a virtual time short enough for a row label: 0.1ms
// precision below a second, 1ms above ("238.9ms", "2.005s", "1m15.2s").
func formatTime(d core.Duration) string {
	if d < 0 {
		return "-" + formatTime(-d)
	}
	switch {
	case d == 0:
		return "0s"
	case d < core.Millisecond:
		return trimFloat(float64(d)/float64(core.Microsecond), 1) + "µs"
	case d < core.Second:
		return trimFloat(d.Milliseconds(), 1) + "ms"
	case d < core.Minute:
		return trimFloat(d.Seconds(), 3) + "s"
	}
	m := d / core.Minute
	return fmt.Sprintf("%dm%ss", m, trimFloat((d-m*core.Minute).Seconds(), 1))
}

// trimFloat formats v with at most prec decimals and no trailing zeros.
func trimFloat(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

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
