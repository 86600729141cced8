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

// Every built-in challenge travels in a link whole: the same checks,
// locks, budget, hints and solution, and the same verdict.
func TestChallengeLinkRoundTripsEveryChallenge(t *testing.T) {
	for _, ch := range Challenges() {
		t.Run(ch.ID, func(t *testing.T) {
			link, err := EncodeChallengeLink(ch)
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(link, "1."))
			assert.Less(t, len(link), 8192, "short enough to paste into a chat")
			back, err := DecodeChallengeLink(link)
			require.NoError(t, err)
			assert.Equal(t, ch, back)
			f, err := ParseFragment("#c=" + link)
			require.NoError(t, err)
			assert.Equal(t, link, f.Challenge)
			assert.Equal(t, "c="+link, f.String())
		})
	}
	ch := spike(t)
	back, err := DecodeChallengeLink(mustLink(t, ch))
	require.NoError(t, err)
	assert.Equal(t, evaluate(t, ch, ch.Solution), evaluate(t, back, back.Solution), "the same verdict on any machine")
}

func mustLink(t *testing.T, ch *Challenge) string {
	t.Helper()
	link, err := EncodeChallengeLink(ch)
	require.NoError(t, err)
	return link
}

// A teacher's challenge can leave out the solution and the id.
func TestATeachersChallengeNeedsNoSolution(t *testing.T) {
	ch := spike(t)
	ch.ID, ch.Solution, ch.Next = "", nil, ""
	back, err := DecodeChallengeLink(mustLink(t, ch))
	require.NoError(t, err)
	assert.Nil(t, back.Solution)
	assert.False(t, evaluate(t, back, back.Start).Passed)
}

// challengeBytes encodes arbitrary bytes the way a challenge link would
// carry them.
func challengeBytes(t *testing.T, data string) string {
	link, err := EncodeShareLinkBytes([]byte(data))
	require.NoError(t, err)
	return link
}

func TestDecodeChallengeLinkSaysWhatIsWrong(t *testing.T) {
	good := mustLink(t, spike(t))
	var withFigure, withBound, withNode string
	{
		ch := spike(t)
		ch.Checks[2].Figure = "p999"
		data, err := ch.MarshalCanonical()
		require.NoError(t, err)
		withFigure = challengeBytes(t, string(data))
		ch = spike(t)
		data, err = ch.MarshalCanonical()
		require.NoError(t, err)
		withBound = challengeBytes(t, strings.Replace(string(data), `"bound":1000`, `"bound":"soon"`, 1))
		withNode = challengeBytes(t, strings.Replace(string(data), `"node":"orders"`, `"node":"kitchen"`, 1))
	}
	tests := []struct{ name, link, want string }{
		{"empty", "", "c= is empty"},
		{"no version", good[2:], "no version"},
		{"bad version", "x" + good[1:], `version "x"`},
		{"future version", "9" + good[1:], "newer version"},
		{"not base64", "1.!!!not base64!!!", `not base64url): it holds "!" at character 3`},
		{"truncated", good[:len(good)/2], "cut off"},
		{"not deflate", "1." + base64.RawURLEncoding.EncodeToString([]byte("plain text, not deflate")), "does not decompress"},
		{"oversized", "1." + strings.Repeat("A", MaxShareLinkBytes), "characters long; the most accepted is"},
		{"decompression bomb", challengeBytes(t, strings.Repeat(" ", MaxChallengeBytes+10)), "larger than"},
		{"not JSON", challengeBytes(t, "hello"), "challenge: is not valid JSON"},
		{"a scenario, not a challenge", challengeBytes(t, `{"version":1,"nodes":[]}`), "nodes: is not a known field"},
		{"unknown figure", withFigure, `checks[2].figure: unknown figure "p999"; known: user p50`},
		{"bad bound", withBound, "checks[1].bound: want a number"},
		{"unknown node", withNode, `checks[2].node: "kitchen" is not a node of the starting scenario`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeChallengeLink(tt.link)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "challenge link: "), err.Error())
		})
	}
	t.Run("an invalid challenge keeps its field errors", func(t *testing.T) {
		_, err := DecodeChallengeLink(withFigure)
		var errs Errors
		require.True(t, errors.As(err, &errs))
		assert.Equal(t, "checks[2].figure", errs[0].Field)
	})
	t.Run("a bad c= in the fragment", func(t *testing.T) {
		_, err := ParseFragment("#c=")
		assert.EqualError(t, err, "share link: c= is empty, so the link holds no challenge (was it cut off when copied?)")
		_, err = ParseFragment("#c=1.a%20b")
		assert.ErrorContains(t, err, `c= is damaged (not base64url): it holds " " at character 4`)
	})
}

func TestEncodeChallengeLinkRefusesWhatALinkCannotCarry(t *testing.T) {
	ch := spike(t)
	ch.Checks[0].Figure = "speed"
	_, err := EncodeChallengeLink(ch)
	assert.ErrorContains(t, err, `checks[0].figure: unknown figure "speed"`)

	// Pages of text that do not compress make a link too long.
	ch = spike(t)
	var b bytes.Buffer
	for i := 0; b.Len() < 3*MaxShareLinkBytes; i++ {
		b.WriteString(base64.StdEncoding.EncodeToString([]byte{byte(i), byte(i >> 8), byte(i * 7), byte(i * 13)}))
	}
	for i := range MaxHints {
		ch.Hints = append(ch.Hints[:min(len(ch.Hints), i)], b.String()[i*maxHintRunes/2:(i+1)*maxHintRunes/2])
	}
	ch.Start.Description = b.String()[:2000]
	ch.Solution.Description = b.String()[2000:4000]
	for range 40 {
		ch.Checks = append(ch.Checks, Check{Figure: "lost", Op: AtMost})
	}
	require.NoError(t, ch.Validate())
	link, err := EncodeChallengeLink(ch)
	if err == nil {
		assert.LessOrEqual(t, len(link), MaxShareLinkBytes)
		_, err := DecodeChallengeLink(link)
		assert.NoError(t, err, "what is written can be read")
	} else {
		assert.ErrorContains(t, err, "too large for a link")
	}
}

func FuzzDecodeChallengeLink(f *testing.F) {
	for _, ch := range Challenges() {
		link, _ := EncodeChallengeLink(ch)
		f.Add(link)
	}
	f.Add("1.")
	f.Add("1.x")
	f.Fuzz(func(t *testing.T, link string) {
		ch, err := DecodeChallengeLink(link)
		if err != nil {
			require.True(t, strings.HasPrefix(err.Error(), "challenge link: "), err.Error())
			return
		}
		require.NoError(t, ch.Validate())
		again, err := EncodeChallengeLink(ch)
		require.NoError(t, err, "what a link held can be linked again")
		back, err := DecodeChallengeLink(again)
		require.NoError(t, err)
		require.Equal(t, ch, back)
	})
}
