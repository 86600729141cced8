package web

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
)

// arrowLabels lists the labels a rendered sequence diagram draws.
func arrowLabels(svg string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`class="(?:arrow|mark)-label"[^>]*>([^<]*)</text>`).FindAllStringSubmatch(svg, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestTopicsAreDrawnInKafkasWords(t *testing.T) {
	t.Run("a topic's consumers poll and commit; the topic delivers nothing and gets no acks", func(t *testing.T) {
		tl := run(t, "ordering-partitions")
		labels := arrowLabels(render(t, Sequence(tl, 40, false)))
		assert.Contains(t, labels, "poll #2")
		assert.Contains(t, labels, "commit #1")
		assert.Contains(t, labels, "committed #1")
		assert.Contains(t, labels, "ack #2", "the topic still acks its producer's write")
		for _, l := range labels {
			assert.NotRegexp(t, `^deliver`, l)
		}
	})

	t.Run("a queue still delivers and is acked", func(t *testing.T) {
		tl := run(t, "message-queue")
		labels := arrowLabels(render(t, Sequence(tl, tl.Len(), false)))
		assert.Contains(t, labels, "deliver #0")
		assert.Contains(t, labels, "ack #0")
		for _, l := range labels {
			assert.NotRegexp(t, `^(poll|commit)`, l)
		}
	})
}

// TestATopicLaneCountsEveryGroup adds a second consumer group to the
// ordering example: each lane still draws the first group's owner and lag,
// counts the other group ("+1") and names it, with its lag, in its tooltip
// (a partition nobody has read from yet has no group's cursor).
func TestATopicLaneCountsEveryGroup(t *testing.T) {
	sc, err := core.ExampleByID("ordering-partitions")
	require.NoError(t, err)
	topic := ""
	for _, n := range sc.Nodes {
		if n.Kind == core.Topic {
			topic = n.ID
		}
	}
	require.NotEmpty(t, topic)
	audit := core.DefaultNode(core.Worker)
	audit.ID = "audit"
	sc.Nodes = append(sc.Nodes, audit)
	sc.Edges = append(sc.Edges, core.Edge{From: topic, To: "audit", Mode: core.Async, Group: "audit"})
	tl, _, err := core.RunTimeline(sc)
	require.NoError(t, err)
	out := render(t, Topology(tl.Scenario(), tl.At(300)))
	owners := regexp.MustCompile(`<text class="lane-owner"[^>]*>\s*<title>([^<]*)</title>([^<]*)</text>`).FindAllStringSubmatch(out, -1)
	require.NotEmpty(t, owners)
	counted, read := 0, 0
	for _, m := range owners {
		if m[2] != "— 0" {
			read++ // a partition some group has read from
		}
		if strings.HasSuffix(m[2], " +1") {
			counted++
			assert.Regexp(t, `; audit, lag \d+$`, m[1], "the tooltip names the other group's consumer and lag")
		}
	}
	assert.GreaterOrEqual(t, read, 4)
	assert.Equal(t, read, counted, "every partition read from has both groups: %q", owners)
}
