package core

import (
	_ "embed" // the built-in challenges, one file each

	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// The built-in challenges are embedded one file per variable, as the
// examples are (see examples.go for why not an embed.FS), in the order a
// learner meets them: rising difficulty. TestChallengeFilesAreAllEmbedded
// holds this list to the directory. A program that never calls
// Challenges or ChallengeByID (the sandbox's) links none of them.

//go:embed challenges/checkout.json
var chCheckout string

//go:embed challenges/spike.json
var chSpike string

//go:embed challenges/fan-out.json
var chFanOut string

//go:embed challenges/search-index.json
var chSearchIndex string

//go:embed challenges/notifications.json
var chNotifications string

//go:embed challenges/outbox.json
var chOutbox string

//go:embed challenges/double-charge.json
var chDoubleCharge string

//go:embed challenges/poison.json
var chPoison string

//go:embed challenges/per-user-order.json
var chPerUserOrder string

//go:embed challenges/kafka-crash.json
var chKafkaCrash string

//go:embed challenges/bottleneck.json
var chBottleneck string

//go:embed challenges/grpc-deadline.json
var chGrpcDeadline string

// What the challenges' texts say of real systems, and where it is said:
//
//   - double-charge: an SQS queue makes a received message visible again
//     when its visibility timeout passes without a delete (the ack), and
//     delivers it again; standard queues deliver at least once
//     (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html,
//     https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/standard-queues-at-least-once-delivery.html).
//   - poison: a queue's redrive policy moves a message to its dead letter
//     queue once it has been received maxReceiveCount times
//     (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html).
//   - per-user-order: records with the same key go to the same partition,
//     and a consumer reads a partition in the order it was written; each
//     partition is consumed by exactly one consumer of each group
//     (https://kafka.apache.org/documentation/#intro_concepts_and_terms,
//     https://kafka.apache.org/documentation/#design_consumerposition).
//   - kafka-crash: a group's committed offset is where a partition is read
//     from after a crash, so what was processed after the last commit is
//     processed again, and a crash between processing a record and
//     committing it repeats that record: at-least-once
//     (https://kafka.apache.org/documentation/#design_consumerposition,
//     https://kafka.apache.org/documentation/#semantics).
//   - grpc-deadline: when a call's deadline passes the client gives up
//     with DEADLINE_EXCEEDED and the call is cancelled, and the server is
//     told, so a handler that checks its context can stop
//     (https://grpc.io/docs/guides/deadlines/, https://grpc.io/docs/guides/cancellation/).

// challengeSources lists every built-in challenge's id and JSON, in order.
func challengeSources() []struct{ id, json string } {
	return []struct{ id, json string }{
		{"checkout", chCheckout},
		{"spike", chSpike},
		{"fan-out", chFanOut},
		{"search-index", chSearchIndex},
		{"notifications", chNotifications},
		{"outbox", chOutbox},
		{"double-charge", chDoubleCharge},
		{"poison", chPoison},
		{"per-user-order", chPerUserOrder},
		{"kafka-crash", chKafkaCrash},
		{"bottleneck", chBottleneck},
		{"grpc-deadline", chGrpcDeadline},
	}
}

// Challenges returns every built-in challenge, in order of rising
// difficulty. They are parsed and validated on each call, so callers may
// change what they get.
func Challenges() []*Challenge {
	sources := challengeSources()
	out := make([]*Challenge, len(sources))
	for i, s := range sources {
		out[i] = mustParseChallenge(s.id, s.json)
	}
	return out
}

// ChallengeByID returns the built-in challenge with the given id.
func ChallengeByID(id string) (*Challenge, error) {
	for _, s := range challengeSources() {
		if s.id == id {
			return mustParseChallenge(s.id, s.json), nil
		}
	}
	return nil, fmtlite.Errorf("no built-in challenge %q", id)
}

func mustParseChallenge(id, data string) *Challenge {
	ch, err := ParseChallenge([]byte(data))
	if err != nil {
		panic(fmtlite.Sprintf("built-in challenge %s.json: %v", id, err))
	}
	return ch
}
