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

// isTopic reports whether node i of sc is a topic.
func isTopic(sc *core.Scenario, i int32) bool {
	return i >= 0 && int(i) < len(sc.Nodes) && sc.Nodes[i].Kind == core.Topic
}

// recordLabel is the sequence diagram's label for r: its kind and message,
// "send #3", with a topic's records in Kafka's words: the consumer's poll
// ("poll #3") and its offset commit ("commit #3").
func recordLabel(sc *core.Scenario, r *core.Record) string {
	label := r.Kind.String()
	switch {
	case r.Kind == core.RecDeliver && isTopic(sc, r.Node):
		label = "poll"
	case r.Kind == core.RecAck && r.Reason == core.ReasonNone && isTopic(sc, r.To):
		label = "commit"
	case r.Kind == core.RecReceive && r.Reason == core.ReasonNone && isTopic(sc, r.Node):
		label = "committed"
	}
	if r.Msg >= 0 {
		label += " #" + strconv.Itoa(int(r.Msg))
	}
	return label
}
