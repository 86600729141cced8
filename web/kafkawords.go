package web

import (
	"strconv"

	"github.com/sync-vs-async/playground/core"
)

// Words for what happens at a topic, as Kafka names it: a consumer polls
// records and commits its own offsets; a broker neither delivers nor
// receives acks (https://kafka.apache.org/documentation/#design_pull,
// https://kafka.apache.org/documentation/#design_consumerposition). The
// trace's sentences say so (core's Record.Describe); these are the short
// labels the views draw beside arrows and in tooltips.

// recordLabel is the sequence diagram's label for r, a record of a run of
// sc: its kind and message, "send #3", with a topic's records in Kafka's
// words: the consumer's poll ("poll #3") and its offset commit ("commit #3"
// on the way, "committed #3" at the topic). The broker's side of a topic's
// records is placed in a partition; the consumer's commit is the answer it
// sends to a topic.
func recordLabel(sc *core.Scenario, r *core.Record) string {
	label := r.Kind.String()
	switch {
	case r.Reason != core.ReasonNone:
	case r.Kind == core.RecDeliver && r.Partition >= 0:
		label = "poll"
	case r.Kind == core.RecReceive && r.Partition >= 0:
		label = "committed"
	case r.Kind == core.RecAck && r.To >= 0 && int(r.To) < len(sc.Nodes) && sc.Nodes[r.To].Kind == core.Topic:
		label = "commit"
	}
	if r.Msg >= 0 {
		label += " #" + strconv.Itoa(int(r.Msg))
	}
	return label
}
