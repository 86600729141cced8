package core

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// maxTextTrace is the longest trace kept as text: the small examples'
// traces (at most 507 records today) read well in a diff; the large runs
// stay as hashes in trace-hashes.golden.
const maxTextTrace = 520

// traceText is a run as a person reads it: one line per record (index,
// virtual time, sentence), a blank line, then the report's summary.
func traceText(t *testing.T, r *Report, e *Engine) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, WriteTrace(&buf, e.Scenario(), e.Trace()))
	buf.WriteByte('\n')
	require.NoError(t, r.WriteText(&buf))
	return buf.Bytes()
}

// TestTracesReadAsText keeps the small examples' whole traces and reports
// as text under testdata/traces/, so a change in behaviour shows in a
// review as the sentences that changed, natively and under js/wasm alike.
func TestTracesReadAsText(t *testing.T) {
	want := map[string]bool{}
	for _, ex := range Examples() {
		r, e := run(t, ex.Scenario)
		if r.TraceLen > maxTextTrace {
			continue
		}
		name := ex.ID + ".txt"
		want[name] = true
		t.Run(ex.ID, func(t *testing.T) {
			golden(t, "traces/"+name, traceText(t, r, e))
		})
	}
	require.GreaterOrEqual(t, len(want), 5, "the small examples are kept as text")
	if *update {
		return
	}
	// A file whose example grew past maxTextTrace, or was renamed, would
	// otherwise go stale unnoticed.
	entries, err := os.ReadDir(filepath.Join("testdata", "traces"))
	require.NoError(t, err)
	var stale []string
	for _, d := range entries {
		if !want[d.Name()] {
			stale = append(stale, d.Name())
		}
	}
	slices.Sort(stale)
	assert.Empty(t, stale, "no example is kept as text under these names: remove %s", strings.Join(stale, ", "))
}
