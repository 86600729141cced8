package core

import (
	_ "embed" // the built-in scenarios, one file each

	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// The built-in scenarios are embedded one file per variable rather than as
// an embed.FS: an FS hands out fs.File and fs.DirEntry values, whose
// FileInfo carries a time.Time, and that keeps time's formatting and
// parsing (about 35 KB of compressed WASM) in every program that links
// the examples. TestExampleFilesAreAllEmbedded holds this list to the
// directory.

//go:embed examples/api-gateway.json
var exApiGateway string

//go:embed examples/await-gathered.json
var exAwaitGathered string

//go:embed examples/await-sequential.json
var exAwaitSequential string

//go:embed examples/checkout-hybrid.json
var exCheckoutHybrid string

//go:embed examples/closed-loop.json
var exClosedLoop string

//go:embed examples/dlq-poison.json
var exDlqPoison string

//go:embed examples/dual-write.json
var exDualWrite string

//go:embed examples/event-driven.json
var exEventDriven string

//go:embed examples/grpc-deadline.json
var exGrpcDeadline string

//go:embed examples/grpc-retry.json
var exGrpcRetry string

//go:embed examples/lost-ack.json
var exLostAck string

//go:embed examples/message-queue.json
var exMessageQueue string

//go:embed examples/mm1.json
var exMm1 string

//go:embed examples/notifications.json
var exNotifications string

//go:embed examples/ordering-partitions.json
var exOrderingPartitions string

//go:embed examples/ordering-queue.json
var exOrderingQueue string

//go:embed examples/outbox.json
var exOutbox string

//go:embed examples/rest-chain.json
var exRestChain string

//go:embed examples/spike-async.json
var exSpikeAsync string

//go:embed examples/spike-sync.json
var exSpikeSync string

// exampleSources lists every built-in scenario's id and JSON, sorted by id.
func exampleSources() []struct{ id, json string } {
	return []struct{ id, json string }{
		{"api-gateway", exApiGateway},
		{"await-gathered", exAwaitGathered},
		{"await-sequential", exAwaitSequential},
		{"checkout-hybrid", exCheckoutHybrid},
		{"closed-loop", exClosedLoop},
		{"dlq-poison", exDlqPoison},
		{"dual-write", exDualWrite},
		{"event-driven", exEventDriven},
		{"grpc-deadline", exGrpcDeadline},
		{"grpc-retry", exGrpcRetry},
		{"lost-ack", exLostAck},
		{"message-queue", exMessageQueue},
		{"mm1", exMm1},
		{"notifications", exNotifications},
		{"ordering-partitions", exOrderingPartitions},
		{"ordering-queue", exOrderingQueue},
		{"outbox", exOutbox},
		{"rest-chain", exRestChain},
		{"spike-async", exSpikeAsync},
		{"spike-sync", exSpikeSync},
	}
}

// DefaultExample is the built-in scenario a new visitor sees first: the
// seed's opening picture, a client blocked on a chain of sync calls.
const DefaultExample = "rest-chain"

// Example is a built-in scenario, shipped as a JSON file under examples/.
type Example struct {
	ID       string // file name without .json, e.g. "rest-chain"
	Scenario *Scenario
}

// Examples returns every built-in scenario, sorted by id. They are parsed
// and validated on each call, so callers may change what they get.
func Examples() []Example {
	sources := exampleSources()
	out := make([]Example, len(sources))
	for i, s := range sources {
		out[i] = Example{ID: s.id, Scenario: mustParseExample(s.id, s.json)}
	}
	return out
}

// ExampleByID returns the built-in scenario with the given id.
func ExampleByID(id string) (*Scenario, error) {
	for _, s := range exampleSources() {
		if s.id == id {
			return mustParseExample(s.id, s.json), nil
		}
	}
	return nil, fmtlite.Errorf("no built-in scenario %q", id)
}

func mustParseExample(id, data string) *Scenario {
	sc, err := ParseScenario([]byte(data))
	if err != nil {
		panic(fmtlite.Sprintf("built-in scenario %s.json: %v", id, err))
	}
	return sc
}
