package core

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteTraceRestChain(t *testing.T) {
	_, e := run(t, example(t, "rest-chain"))
	var out strings.Builder
	require.NoError(t, WriteTrace(&out, e.Scenario(), e.Trace()))

	text := out.String()
	require.True(t, strings.HasSuffix(text, "\n"), "every line ends with a newline")
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	assert.Len(t, lines, len(e.Trace()), "one line per record")
	assert.Equal(t, "     0             0s  Client calls API Gateway with message 0 (request 0) and is blocked until the reply.", lines[0])
	assert.Equal(t, "    18           47ms  Request 0 is complete: its last effect finished 47ms after it started.", lines[len(lines)-1])
}

// failingWriter refuses every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteTraceReportsWriteErrors(t *testing.T) {
	_, e := run(t, example(t, "rest-chain"))
	assert.EqualError(t, WriteTrace(failingWriter{}, e.Scenario(), e.Trace()), "disk full")
}

func TestTraceEntriesNumberTheRecords(t *testing.T) {
	_, e := run(t, example(t, "rest-chain"))
	entries := TraceEntries(e.Scenario(), e.Trace())
	require.Len(t, entries, len(e.Trace()))
	for i, entry := range entries {
		assert.Equal(t, i, entry.Step)
		assert.Equal(t, e.Trace()[i].At, entry.At)
	}
	assert.Equal(t, "Client calls API Gateway with message 0 (request 0) and is blocked until the reply.", entries[0].Text)
	assert.Equal(t, "Message 0 (request 0) reaches API Gateway.", entries[1].Text)
}
