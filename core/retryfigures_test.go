package core

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRetryFiguresComeFromThePolicy: the dead-letters lesson's retry
// policy in words is the example's, and follows a change of it.
func TestRetryFiguresComeFromThePolicy(t *testing.T) {
	l := LessonByID("dead-letters")
	require.NotNil(t, l)
	run, err := l.Steps[1].Run()
	require.NoError(t, err)
	f := LessonFigures(run)
	assert.Equal(t, "4", f["checkout.retryAttempts"])
	assert.Equal(t, "100ms, 200ms and 400ms", f["checkout.retryCeilings"])
	text, err := FillFigures(l.Steps[1].Text, run)
	require.NoError(t, err)
	assert.Contains(t, text, "up to 4 attempts")
	run.Scenario.Nodes[run.Scenario.NodeIndex("checkout")].Retry.MaxAttempts = 3
	f = LessonFigures(run)
	assert.Equal(t, "3", f["checkout.retryAttempts"])
	assert.True(t, strings.HasSuffix(f["checkout.retryCeilings"], "and 200ms"), f["checkout.retryCeilings"])
}
