package web

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"github.com/sync-vs-async/playground/core"
)

func TestPlainText(t *testing.T) {
	tests := []struct{ desc, in, want string }{
		{"keeps plain text as it is", "Sync vs async · ünïcödé → 10 ms", "Sync vs async · ünïcödé → 10 ms"},
		{"drops a right-to-left override that would reverse the text", "invoice\u202Efdp.exe", "invoicefdp.exe"},
		{"drops every embedding and override", "a\u202Ab\u202Bc\u202Cd\u202De\u202Ef", "abcdef"},
		{"drops the isolates", "a\u2066b\u2067c\u2068d\u2069e", "abcde"},
		{"drops the direction marks", "a\u200Eb\u200Fc\u061Cd", "abcd"},
		{"turns line breaks and tabs into one space", "two\r\n\tlines\u2028and\u2029more", "two lines and more"},
		{"turns other control characters into spaces", "nul\x00bell\x07esc\x1bdel\x7fc1\u0085end", "nul bell esc del c1 end"},
		{"trims the ends", " \n\u202E padded \t", "padded"},
		{"keeps a joiner that emoji need", "👩\u200D💻 team", "👩\u200D💻 team"},
		{"is empty for nothing but controls", "\u202E\u2066\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			assert.Equal(t, tt.want, PlainText(tt.in))
		})
	}
}

func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"", "name\u202Eeman", "a\x00b", "\xff\xfe", "  x  "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := PlainText(s)
		for _, r := range got {
			if isBidiControl(r) || unicode.IsControl(r) || unicode.IsSpace(r) && r != ' ' {
				t.Fatalf("PlainText(%q) = %q keeps %U", s, got, r)
			}
		}
		if strings.Contains(got, "  ") || strings.TrimSpace(got) != got {
			t.Fatalf("PlainText(%q) = %q: doubled or outer spaces", s, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("PlainText(%q) = %q is not valid UTF-8", s, got)
		}
		if PlainText(got) != got {
			t.Fatalf("PlainText is not idempotent on %q", s)
		}
	})
}

func TestReadableDurationsAndQuantities(t *testing.T) {
	for _, c := range []struct {
		d    core.Duration
		want string
	}{
		{0, "0 ms"},
		{420 * core.Microsecond, "420 µs"},
		{1200 * core.Microsecond, "1.2 ms"},
		{9960 * core.Microsecond, "10 ms"}, // rounding reaches the next width
		{350 * core.Millisecond, "350 ms"},
		{999600 * core.Microsecond, "1 s"}, // and the next unit
		{15350300 * core.Microsecond, "15.4 s"},
		{59960 * core.Millisecond, "1 min"},
		{125 * core.Second, "2 min 5 s"},
		{80 * core.Minute, "1 h 20 min"},
		{-2 * core.Millisecond, "-2 ms"},
	} {
		assert.Equal(t, c.want, readableDuration(c.d), "%d ns", int64(c.d))
	}
	assert.Equal(t, "15.4 s", readableMs(15350.3))
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0, "0 messages"},
		{1, "1 message"},
		{2, "2 messages"},
		{0.5, "0.5 messages"},
		{3099, "3,099 messages"},
		{1234567, "1,234,567 messages"},
		{-1500, "-1,500 messages"},
	} {
		assert.Equal(t, c.want, quantity(c.v, "message", "messages"), "%v", c.v)
	}
}
