package web

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/sync-vs-async/playground/core"
	g "maragu.dev/gomponents"
)

var update = flag.Bool("update", false, "update golden files")

// render returns what n renders to.
func render(t *testing.T, n g.Node) string {
	t.Helper()
	var b strings.Builder
	require.NoError(t, n.Render(&b))
	return b.String()
}

// run runs the built-in scenario id with its trace kept and returns the
// timeline to step through.
func run(t testing.TB, id string) *core.Timeline {
	t.Helper()
	sc, err := core.ExampleByID(id)
	require.NoError(t, err)
	tl, _, err := core.RunTimeline(sc)
	require.NoError(t, err)
	return tl
}

// examplesFor returns the named built-in scenarios, for a page whose golden
// file should not change each time an example is added.
func examplesFor(t *testing.T, ids ...string) []core.Example {
	var out []core.Example
	for _, id := range ids {
		sc, err := core.ExampleByID(id)
		require.NoError(t, err)
		out = append(out, core.Example{ID: id, Scenario: sc})
	}
	return out
}

func TestGolden(t *testing.T) {
	mq := func() *core.Timeline { return run(t, "message-queue") }
	topologyAt := func(id string, step int) g.Node {
		tl := run(t, id)
		return Topology(tl.Scenario(), tl.At(step))
	}
	pageAt := func(id string, step int, errMsg string) g.Node {
		tl := run(t, id)
		return PlaygroundPage(Playground{
			Examples: examplesFor(t, "message-queue", "rest-chain"), Current: id,
			Scenario: tl.Scenario(), Timeline: tl, Step: step, Error: errMsg,
		})
	}
	tests := []struct {
		name string
		node g.Node
	}{
		{"topology-message-queue-0", topologyAt("message-queue", 0)},
		{"topology-message-queue-5", topologyAt("message-queue", 5)},
		{"topology-rest-chain-9-blocked", topologyAt("rest-chain", 9)},
		{"topology-rest-chain-13", topologyAt("rest-chain", 13)},
		{"topology-dlq-poison-505", topologyAt("dlq-poison", 505)},
		{"topology-outbox-2240", topologyAt("outbox", 2240)},
		{"topology-lost-ack-1676-queue-stack", topologyAt("lost-ack", 1676)},
		{"topology-ordering-partitions-300-lanes", topologyAt("ordering-partitions", 300)},
		{"topology-dlq-poison-end-entries", topologyAt("dlq-poison", 1_000_000)},
		{"sequence-message-queue-0", Sequence(mq(), 0, false)},
		{"sequence-message-queue-5", Sequence(mq(), 5, false)},
		{"sequence-dlq-poison-505", Sequence(run(t, "dlq-poison"), 505, false)},
		{"sequence-rest-chain-9-activations", Sequence(run(t, "rest-chain"), 9, false)},
		{"sequence-rest-chain-9-whole-run", Sequence(run(t, "rest-chain"), 9, true)},
		{"event-log-message-queue-0", EventLog(mq(), 0)},
		{"event-log-message-queue-5", EventLog(mq(), 5)},
		{"narration-message-queue-0", Narration(mq(), 0)},
		{"narration-message-queue-5", Narration(mq(), 5)},
		{"stats-message-queue-0", Stats(mq(), 0)},
		{"stats-message-queue-12", Stats(mq(), 12)},
		{"controls-message-queue-5", Controls(mq(), 5)},
		{"error-banner", ErrorBanner("nodes[3].concurrency: must be ≥ 1")},
		{"playground-message-queue-0", pageAt("message-queue", 0, "")},
		{"playground-rest-chain-7-error", pageAt("rest-chain", 7, `share link: "s" is not valid base64`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkGolden(t, tt.name, render(t, tt.node))
		})
	}
}

// checkGolden compares rendered HTML with testdata/name.golden, or rewrites
// the file with -update. One tag a line, so a change reads as a diff.
func checkGolden(t *testing.T, name, html string) {
	t.Helper()
	got := strings.ReplaceAll(html, "><", ">\n<") + "\n"
	golden := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run `go test ./web -update` to create it")
	require.Equal(t, string(want), got)
}
