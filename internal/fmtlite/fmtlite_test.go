package fmtlite

import (
	"errors"
	"fmt"
	"io"
	"math"
	"testing"
	"time"
)

type named string
type count uint8

func (c count) String() string { return "count" + fmt.Sprint(uint8(c)) }

type ptrStringer struct{ n int }

func (p *ptrStringer) String() string { return "ptr" }

var errBase = errors.New("base")

// cases pairs operands of each kind with the verbs, flags, widths and
// precisions that suit them: the formats fmtlite promises to write as fmt
// does.
var cases = []struct {
	operands []any
	verbs    []string
}{
	{[]any{nil}, []string{"%v", "%10v", "%-10v|"}},
	{[]any{true, false}, []string{"%v", "%t", "%6t", "%-6v|"}},
	{
		[]any{0, 1, -1, 42, -42, math.MaxInt64, math.MinInt64, int8(-8), int16(300), int32(-70000), int64(1) << 40,
			uint(7), uint8(255), uint16(65535), uint32(1) << 31, uint64(math.MaxUint64), uintptr(9), count(3)},
		[]string{"%d", "%x", "%X", "%+d", "%6d", "%-6d|", "%06d", "%+06d", "% d", "%.3d", "%.0d", "%6.3d", "%08x"},
	},
	{
		[]any{0.0, 1.0, -1.5, 0.1, 1e6, 1e21, 1e-5, 123456.789, math.Pi, -math.Pi, float32(0.1), float32(1e7),
			math.Inf(1), math.Inf(-1), math.NaN(), 2.5e-300, -0.0},
		[]string{"%v", "%f", "%e", "%g", "%+v", "%.0f", "%.1f", "%.2f", "%.3f", "%.4f", "%.6f", "%.9f", "%.2e", "%.3g",
			"%+.2f", "%8.2f", "%-8.2f|", "%08.3f", "%10v", "% .2f"},
	},
	{
		[]any{"", "abc", "héllo wörld", "tab\tnew\nline\"q\"", "\x00\xff", named("named"), []byte("bytes"), []byte{0, 1, 255}},
		[]string{"%v", "%s", "%q", "%x", "%X", "%+q", "%14s", "%-14s|", "%5.2s", "%.1s", "%3q", "%.2q"},
	},
	{
		[]any{count(3), &ptrStringer{1}, time.Duration(1500) * time.Millisecond, errBase, fmt.Errorf("wrapped: %w", errBase)},
		[]string{"%v", "%s", "%q", "%14s", "%-14v|"},
	},
	{[]any{[]int{1, 2, 3}, []int32{}, [2]int{-1, 7}}, []string{"%v", "%d", "%3d"}},
	{[]any{[2]float64{0.5, 2}, []float64{1e6}}, []string{"%v", "%g", "%.1f"}},
	{[]any{[]string{"a", "b"}, []named{"x"}, []count{1, 2}}, []string{"%v", "%s", "%q"}},
}

func TestSprintfMatchesFmt(t *testing.T) {
	for _, c := range cases {
		for _, verb := range c.verbs {
			for _, op := range c.operands {
				want := fmt.Sprintf(verb, op)
				if got := Sprintf(verb, op); got != want {
					t.Errorf("Sprintf(%q, %T %#v) = %q, fmt says %q", verb, op, op, got, want)
				}
			}
		}
	}
}

func TestSprintfArguments(t *testing.T) {
	for _, c := range []struct {
		format string
		args   []any
	}{
		{"plain", nil},
		{"100%%", nil},
		{"%d %s and %q; %v", []any{1, "two", "three", 4.5}},
		{"%d", nil},
		{"%d %d", []any{1}},
		{"%d", []any{1, 2, "x"}},
		{"ends with %", nil},
		{"%s → %s", []any{"a", "b"}},
		{"σ %g, %.0f×", []any{0.25, 3.4}},
		{"%6d %14s  %s\n", []any{12, time.Duration(1234567), "x"}},
		{"%s\t%d\t%.3f\t\n", []any{"n", 3, 0.1234}},
	} {
		want := fmt.Sprintf(c.format, c.args...)
		if got := Sprintf(c.format, c.args...); got != want {
			t.Errorf("Sprintf(%q, %v) = %q, fmt says %q", c.format, c.args, got, want)
		}
	}
}

func TestSprintlnMatchesFmt(t *testing.T) {
	for _, op := range cases[3].operands {
		if got, want := Sprintln("x:", op, 3), fmt.Sprintln("x:", op, 3); got != want {
			t.Errorf("Sprintln(%#v) = %q, fmt says %q", op, got, want)
		}
	}
}

func TestErrorfWraps(t *testing.T) {
	err := Errorf("reading: %w (at %d)", io.ErrUnexpectedEOF, 3)
	if want := fmt.Errorf("reading: %w (at %d)", io.ErrUnexpectedEOF, 3).Error(); err.Error() != want {
		t.Errorf("Errorf = %q, fmt says %q", err, want)
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Error("Errorf's %w does not wrap")
	}
	two := Errorf("%w and %w", io.EOF, errBase)
	if !errors.Is(two, io.EOF) || !errors.Is(two, errBase) || two.Error() != "EOF and base" {
		t.Errorf("Errorf with two %%w = %q, wrapping %v %v", two, errors.Is(two, io.EOF), errors.Is(two, errBase))
	}
	if plain := Errorf("no %s", "wrap"); errors.Unwrap(plain) != nil || plain.Error() != "no wrap" {
		t.Errorf("Errorf without %%w = %q, unwraps to %v", plain, errors.Unwrap(plain))
	}
}
