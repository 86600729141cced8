package core

import (
	"bytes"
	"encoding/base64"
	"errors"
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

	_, err = ParseFragment("#s=1.abc&step=-3")
	assert.ErrorContains(t, err, `step="-3" is not a whole number`)
	_, err = ParseFragment("#s=1.abc&step=twelve")
	assert.ErrorContains(t, err, "step=")
	_, err = ParseFragment("#s=%zz")
	assert.ErrorContains(t, err, "key=value")

	empty, err := ParseFragment("")
	require.NoError(t, err)
	assert.Equal(t, Fragment{Step: -1}, empty)
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
