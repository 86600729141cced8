package core

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShareLinkRoundTripsEveryExample(t *testing.T) {
	for _, ex := range Examples() {
		t.Run(ex.ID, func(t *testing.T) {
			link, err := EncodeShareLink(ex.Scenario)
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(link, "1."))
			assert.Less(t, len(link), 4096, "short enough to paste into a chat")
			back, err := DecodeShareLink(link)
			require.NoError(t, err)
			assert.Equal(t, ex.Scenario, back)
			a, _ := run(t, ex.Scenario)
			b, _ := run(t, back)
			assert.Equal(t, a.TraceHash, b.TraceHash, "the same run on any machine")
		})
	}
}

// deflated encodes arbitrary bytes the way a link would carry them, with
// the given version in front.
func deflated(t *testing.T, version string, data []byte) string {
	link, err := EncodeShareLinkBytes(data)
	require.NoError(t, err)
	_, payload, _ := strings.Cut(link, ".")
	return version + "." + payload
}

func TestDecodeShareLinkSaysWhatIsWrong(t *testing.T) {
	good, err := EncodeShareLink(example(t, "rest-chain"))
	require.NoError(t, err)
	tests := []struct {
		name, link, want string
	}{
		{"ErrEmpty", "", "no version"},
		{"ErrNoVersion", good[2:], "no version"},
		{"ErrBadVersion", "x" + good[1:], "version \"x\""},
		{"ErrFutureVersion", "9" + good[1:], "newer version"},
		{"ErrGarbage", "1.!!!not base64!!!", "not base64url"},
		{"ErrTruncated", good[:len(good)/2], "cut off"},
		{"ErrNotDeflate", "1." + base64.RawURLEncoding.EncodeToString([]byte("plain text, not deflate")), "does not decompress"},
		{"ErrTooLong", "1." + strings.Repeat("A", MaxShareLinkBytes), "characters long"},
		{"ErrDecompressionBomb", deflated(t, "1", bytes.Repeat([]byte(" "), MaxScenarioBytes+10)), "larger than"},
		{"ErrNotJSON", deflated(t, "1", []byte("hello")), "scenario: is not valid JSON"},
		{"ErrInvalidScenario", deflated(t, "1", []byte(`{"version":1,"nodes":[{"id":"a","kind":"service","concurrency":-1}]}`)), "nodes[0].concurrency: must be at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeShareLink(tt.link)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "share link: "), err.Error())
		})
	}

	t.Run("an invalid scenario keeps its field errors", func(t *testing.T) {
		_, err := DecodeShareLink(deflated(t, "1", []byte(`{"version":1,"nodes":[{"id":"a","kind":"service","concurrency":-1}]}`)))
		var errs Errors
		require.True(t, errors.As(err, &errs))
		assert.Equal(t, "nodes[0].concurrency", errs[0].Field)
	})
}

func TestParseFragment(t *testing.T) {
	f, err := ParseFragment("#s=1.abc&step=12&lesson=queues&future=1")
	require.NoError(t, err)
	assert.Equal(t, Fragment{Scenario: "1.abc", Step: 12, Lesson: "queues"}, f)
	assert.Equal(t, "s=1.abc&step=12&lesson=queues", f.String())

	f, err = ParseFragment("ex=rest-chain")
	require.NoError(t, err)
	assert.Equal(t, Fragment{Example: "rest-chain", Step: -1}, f)

	_, err = ParseFragment("#s=%zz")
	assert.ErrorContains(t, err, "key=value")

	empty, err := ParseFragment("")
	require.NoError(t, err)
	assert.Equal(t, Fragment{Step: -1}, empty)
}

func TestParseFragmentKeepsTheScenarioOfABadStep(t *testing.T) {
	for _, step := range []string{"-1", "-3", "1e30", "abc", "twelve", "99999999999999999999", "", "1.5"} {
		t.Run("step="+step, func(t *testing.T) {
			f, err := ParseFragment("#s=1.abc&ex=outbox&step=" + step + "&lesson=queues")
			var stepErr *StepError
			require.True(t, errors.As(err, &stepErr), "want a *StepError, got %v", err)
			assert.Equal(t, step, stepErr.Value)
			assert.Equal(t, fmt.Sprintf("share link: step=%q is not a whole number from 0", step), err.Error(), "the error names step")
			assert.Equal(t, Fragment{Scenario: "1.abc", Example: "outbox", Lesson: "queues", Step: -1}, f,
				"everything but the step is kept")
		})
	}
}

func TestParseFragmentSaysWhichParameterIsDamaged(t *testing.T) {
	tests := []struct{ name, fragment, want string }{
		{"an empty s", "#s=", "s= is empty"},
		{"an empty s with a step", "#s=&step=3", "s= is empty"},
		{"s without a value", "#s", "s= is empty"},
		{"an empty ex", "#ex=", "ex= is empty"},
		{"an empty lesson", "#lesson=&step=2", "lesson= is empty"},
		{"s holding what base64url never does", "#s=1.ab%20cd", `s= is damaged (not base64url): it holds " " at character 5`},
		{"s too long", "#s=1." + strings.Repeat("A", MaxShareLinkBytes), "s= is 65538 characters long"},
		{"an ex too long to be an id", "#ex=" + strings.Repeat("x", maxFragmentID+1), "ex= is 101 characters long"},
		{"the whole fragment too long", "#s=1.abc&future=" + strings.Repeat("x", MaxShareLinkBytes+1024), "characters long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseFragment(tt.fragment)
			require.Error(t, err)
			var stepErr *StepError
			assert.False(t, errors.As(err, &stepErr), "not a step error: the link is unusable")
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "share link: "), err.Error())
			assert.Equal(t, Fragment{Step: -1}, f)
		})
	}
}

func TestEncodeShareLinkRefusesAScenarioTooLargeForALink(t *testing.T) {
	sc := example(t, "rest-chain")
	// Text that does not compress: every rune a different one.
	var b strings.Builder
	for i := 0; b.Len() < 3*MaxShareLinkBytes; i++ {
		b.WriteRune(rune(0x4E00 + (i*7919)%20000))
	}
	sc.Description = b.String()
	_, err := EncodeShareLink(sc)
	assert.ErrorContains(t, err, "too large for a link")
	assert.ErrorContains(t, err, "Export JSON")
}

// FuzzParseFragment feeds the fragment parser everything a URL could hold:
// it must not panic, a step is never below -1, a step error keeps the rest,
// and whatever parses writes back (String) to a fragment that parses to the
// same value.
func FuzzParseFragment(f *testing.F) {
	link, err := EncodeShareLink(example(f, "rest-chain"))
	require.NoError(f, err)
	for _, seed := range []string{
		"", "#", "#s=" + link, "#s=" + link + "&step=7", "#s=" + link + "&step=-1", "#s=" + link + "&step=1e30",
		"#s=" + link + "&step=abc", "#s=" + link + "&step=", "#s=", "#s=&step=3", "#s", "#ex=outbox&s=" + link,
		"#ex=outbox&step=4", "#ex=", "#ex=a+b%26c&lesson=%C3%BC&step=3", "#step=99999999999999999999",
		"#s=1.abc&s=2.def&step=1&step=2", "#s=%31.abc", "#%73=1.abc", "#s=1.ab%zz", "#lesson=queues&step=2",
		"#s=1.ab%26step%3D3", "#ex=" + strings.Repeat("+", MaxShareLinkBytes), // values that would not write back as they came
		"#c=" + link, "#c=", "#c=1.a&c=2.b&s=" + link, "#c=1.%21", // challenge links
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, fragment string) {
		got, err := ParseFragment(fragment)
		require.GreaterOrEqual(t, got.Step, -1, "a step is never below -1 (none)")
		var stepErr *StepError
		switch {
		case errors.As(err, &stepErr):
			require.Equal(t, -1, got.Step, "a bad step is dropped")
		case err != nil:
			require.Equal(t, Fragment{Step: -1}, got, "an unusable link gives nothing")
			return
		}
		again, err := ParseFragment(got.String())
		require.NoError(t, err, "what parsed writes back to %q, which must parse", got.String())
		require.Equal(t, got, again, "%q written back as %q", fragment, got.String())
	})
}

func FuzzDecodeShareLink(f *testing.F) {
	for _, ex := range Examples() {
		link, _ := EncodeShareLink(ex.Scenario)
		f.Add(link)
	}
	f.Add("1.")
	f.Fuzz(func(t *testing.T, link string) {
		sc, err := DecodeShareLink(link)
		if err != nil {
			return
		}
		require.NoError(t, sc.Validate())
	})
}

func TestFragmentEscapesRoundTrip(t *testing.T) {
	for _, v := range []string{"rest-chain", "a b&c=d%", "ünïcode", ""} {
		f := Fragment{Example: v, Lesson: v, Step: 3}
		back, err := ParseFragment(f.String())
		require.NoError(t, err)
		assert.Equal(t, f.Example, back.Example)
		assert.Equal(t, f.Lesson, back.Lesson)
		assert.Equal(t, 3, back.Step)
	}
	_, err := ParseFragment("ex=%4")
	assert.ErrorContains(t, err, "bad escape")
	f, err := ParseFragment("ex=a+b&ex=second")
	require.NoError(t, err)
	assert.Equal(t, "a b", f.Example, "the first value wins")
}
