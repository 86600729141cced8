package web

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
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
