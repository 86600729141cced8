package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFillReplacesKnownFiguresAndNamesUnknownOnes(t *testing.T) {
	step := LessonStep{Example: "rest-chain"}
	run, err := step.Run()
	require.NoError(t, err)
	out, err := Fill("blocked {{user.max}}; {{crossings}} crossings; db took {{db.sojourn}}", run)
	require.NoError(t, err)
	assert.Equal(t, "blocked 47ms; 6 crossings; db took 10ms", out)

	out, err = Fill("{{nope}} and {{user.max}} and {{also.nope}}", run)
	assert.EqualError(t, err, "unknown figures nope, also.nope")
	assert.Equal(t, "{{nope}} and 47ms and {{also.nope}}", out)

	out, err = Fill("no placeholders {{ unclosed", run)
	require.NoError(t, err)
	assert.Equal(t, "no placeholders {{ unclosed", out)
}
