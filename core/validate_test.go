package core

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// validJSON is a small scenario that parses; the tests below break it one
// field at a time.
const validJSON = `{
  "version": 1, "seed": 1,
  "nodes": [
    {"id": "client", "kind": "client", "workload": {"type": "single"}},
    {"id": "api", "kind": "service", "concurrency": 2, "serviceTime": "10ms"},
    {"id": "db", "kind": "database", "serviceTime": {"type": "exponential", "mean": "5ms"}}
  ],
  "edges": [
    {"from": "client", "to": "api", "mode": "sync", "latency": "1ms"},
    {"from": "api", "to": "db", "mode": "sync"}
  ]
}`

func TestParseScenario(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		sc, err := ParseScenario([]byte(validJSON))
		require.NoError(t, err)
		assert.Equal(t, 2, sc.Nodes[1].Concurrency)
		assert.Equal(t, Fixed(ms(10)), sc.Nodes[1].ServiceTime)
		assert.Equal(t, Exp(ms(5)), sc.Nodes[2].ServiceTime)
	})

	t.Run("a number of milliseconds is a duration too", func(t *testing.T) {
		sc, err := ParseScenario([]byte(strings.Replace(validJSON, `"serviceTime": "10ms"`, `"serviceTime": 12.5`, 1)))
		require.NoError(t, err)
		assert.Equal(t, Duration(12_500_000), sc.Nodes[1].ServiceTime.Value)
	})

	t.Run("canonical JSON round-trips", func(t *testing.T) {
		for _, ex := range Examples() {
			b, err := ex.Scenario.MarshalCanonical()
			require.NoError(t, err)
			again, err := ParseScenario(b)
			require.NoError(t, err, ex.ID)
			assert.Equal(t, ex.Scenario, again, ex.ID)
			b2, err := again.MarshalCanonical()
			require.NoError(t, err)
			assert.Equal(t, string(b), string(b2), ex.ID)
		}
	})
}

func TestParseScenarioErrorsNameTheField(t *testing.T) {
	tests := []struct {
		name      string
		from, to  string // replace in validJSON
		field     string
		mentioned string
	}{
		{"ErrConcurrencyNegative", `"concurrency": 2`, `"concurrency": -1`, "nodes[1].concurrency", "at least 1"},
		{"ErrConcurrencyNotANumber", `"concurrency": 2`, `"concurrency": "two"`, "nodes[1].concurrency", "whole number"},
		{"ErrBadDuration", `"serviceTime": "10ms"`, `"serviceTime": "10 parsecs"`, "nodes[1].serviceTime", "duration"},
		{"ErrBadNestedDuration", `"mean": "5ms"`, `"mean": "soon"`, "nodes[2].serviceTime.mean", "duration"},
		{"ErrNegativeMean", `"mean": "5ms"`, `"mean": "-5ms"`, "nodes[2].serviceTime.mean", "greater than 0"},
		{"ErrUnknownDistribution", `"type": "exponential"`, `"type": "gaussian"`, "nodes[2].serviceTime.type", "gaussian"},
		{"ErrUnknownField", `"concurrency": 2`, `"concurency": 2`, "nodes[1].concurency", "not a known field"},
		{"ErrUnknownKind", `"kind": "database"`, `"kind": "mainframe"`, "nodes[2].kind", "mainframe"},
		{"ErrMissingKind", `"kind": "database", `, ``, "nodes[2].kind", "required"},
		{"ErrDuplicateID", `"id": "db"`, `"id": "api"`, "nodes[2].id", "already used"},
		{"ErrBadID", `"id": "db"`, `"id": "data base"`, "nodes[2].id", "letters"},
		{"ErrEdgeToNowhere", `"to": "db"`, `"to": "cache"`, "edges[1].to", `"cache"`},
		{"ErrBadMode", `"mode": "sync", "latency"`, `"mode": "maybe", "latency"`, "edges[0].mode", "sync"},
		{"ErrDatabaseCalls", `{"from": "api", "to": "db", "mode": "sync"}`, `{"from": "db", "to": "api", "mode": "sync"}`, "edges[1].from", "databases answer"},
		{"ErrClientWithoutWorkload", `, "workload": {"type": "single"}`, ``, "nodes[0].workload", "required"},
		{"ErrPoissonForever", `{"type": "single"}`, `{"type": "poisson", "rate": 10}`, "nodes[0].workload", "never ends"},
		{"ErrPoissonRate", `{"type": "single"}`, `{"type": "poisson", "rate": 0, "count": 10}`, "nodes[0].workload.rate", "greater than 0"},
		{"ErrFieldForAnotherKind", `"serviceTime": "10ms"`, `"serviceTime": "10ms", "capacity": 5`, "nodes[1].capacity", "does not apply to a service"},
		{"ErrMaxWaitingNegative", `"concurrency": 2`, `"concurrency": 2, "maxWaiting": -1`, "nodes[1].maxWaiting", "between 0 (none may wait) and 1000000, or left out for no limit"},
		{"ErrMaxWaitingTooLarge", `"concurrency": 2`, `"concurrency": 2, "maxWaiting": 1000001`, "nodes[1].maxWaiting", "between 0"},
		{"ErrMaxWaitingNotANumber", `"concurrency": 2`, `"concurrency": 2, "maxWaiting": "none"`, "nodes[1].maxWaiting", "whole number"},
		{"ErrFailureRate", `"concurrency": 2`, `"concurrency": 2, "failureRate": 1.5`, "nodes[1].failureRate", "between 0 and 1"},
		{"ErrVersion", `"version": 1`, `"version": 99`, "version", "between 1 and"},
		{"ErrCutOff", `]
}`, `]`, "scenario", "cut off"},
		{"ErrTrailingData", `]
}`, `]
} {}`, "scenario", "extra data"},
		{"ErrNotJSON", validJSON, `version: 1`, "scenario", "not valid JSON"},
		{"ErrEmpty", validJSON, ``, "scenario", "empty"},
		{"ErrUnknownTopLevelField", `{"from": "api", "to": "db", "mode": "sync"}`,
			`{"from": "api", "to": "db", "mode": "sync"}], "nodes2": [`, "nodes2", "not a known field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := strings.Replace(validJSON, tt.from, tt.to, 1)
			require.NotEqual(t, validJSON, in, "the replacement must change something")
			_, err := ParseScenario([]byte(in))
			require.Error(t, err)
			var errs Errors
			require.True(t, errors.As(err, &errs), "%T: %v", err, err)
			fields := make([]string, len(errs))
			for i, e := range errs {
				fields[i] = e.Field
			}
			require.Contains(t, fields, tt.field, err.Error())
			assert.Contains(t, err.Error(), tt.mentioned)
			assert.Contains(t, err.Error(), tt.field+": ")
		})
	}
}

func TestValidate(t *testing.T) {
	t.Run("ErrSyncCycle", func(t *testing.T) {
		sc := chain(Sync, 0, Node{ID: "a", Kind: Service}, Node{ID: "b", Kind: Service}, Node{ID: "c", Kind: Service})
		sc.Edges = append(sc.Edges, Edge{From: "c", To: "a", Mode: Sync})
		err := sc.Validate()
		require.Error(t, err)
		assert.Contains(t, err.Error(), "edges: sync calls form a cycle a → b → c → a")
	})

	t.Run("an async cycle is allowed: nobody waits on it", func(t *testing.T) {
		sc := chain(Sync, 0, Node{ID: "a", Kind: Service}, Node{ID: "q", Kind: Queue}, Node{ID: "w", Kind: Worker})
		sc.Edges[1].Mode = Async
		sc.Edges[2].Mode = Async
		sc.Edges = append(sc.Edges, Edge{From: "w", To: "a", Mode: Async})
		sc.Limits.MaxMessages = 1000
		require.NoError(t, sc.Validate())
		r, _ := run(t, sc)
		assert.Equal(t, StopMessageLimit, r.Stop, "the loop runs until the limit ends it, with a reason")
	})

	t.Run("ErrNoClient", func(t *testing.T) {
		sc := &Scenario{Version: 1, Nodes: []Node{{ID: "svc", Kind: Service}}}
		assert.ErrorContains(t, sc.Validate(), "nodes: must include a client")
	})

	t.Run("ErrClientEdges", func(t *testing.T) {
		sc := chain(Sync, 0, Node{ID: "a", Kind: Service})
		sc.Edges = nil
		assert.ErrorContains(t, sc.Validate(), `nodes[0]: client "client" needs exactly one outgoing edge, has 0`)
	})

	t.Run("ErrQueueDeliversSync", func(t *testing.T) {
		sc := chain(Async, 0, Node{ID: "q", Kind: Queue}, Node{ID: "w", Kind: Worker})
		sc.Edges[1].Mode = Sync
		assert.ErrorContains(t, sc.Validate(), `edges[1].mode: a queue delivers to its consumers asynchronously`)
	})

	t.Run("ErrLimitsAboveTheCeiling", func(t *testing.T) {
		sc := chain(Sync, 0, Node{ID: "a", Kind: Service})
		sc.Limits.MaxEvents = CeilingMaxEvents + 1
		assert.ErrorContains(t, sc.Validate(), "limits.maxEvents: must be between")
	})

	t.Run("maxWaiting: 0 is a bound, and only workers' lines take one", func(t *testing.T) {
		none := 0
		sc := chain(Sync, 0, Node{ID: "a", Kind: Service, MaxWaiting: &none})
		require.NoError(t, sc.Validate(), "0: nobody may wait")
		parsed, err := ParseScenario([]byte(strings.Replace(validJSON, `"concurrency": 2`, `"concurrency": 2, "maxWaiting": 0`, 1)))
		require.NoError(t, err)
		require.NotNil(t, parsed.Nodes[1].MaxWaiting, "0 is read as a bound, not as unset")
		assert.Zero(t, *parsed.Nodes[1].MaxWaiting)
		b, err := parsed.MarshalCanonical()
		require.NoError(t, err)
		assert.Contains(t, string(b), `"maxWaiting":0`, "and written back")

		for _, tt := range []struct {
			kind Kind
			want string
		}{
			{Queue, "nodes[1].maxWaiting: does not apply to a queue: its capacity bounds what it holds"},
			{Bus, "nodes[1].maxWaiting: does not apply to a bus: its capacity bounds what it holds"},
			{RateLimiter, "nodes[1].maxWaiting: does not apply to a ratelimiter"},
			{Outbox, "nodes[1].maxWaiting: does not apply"},
			{Topic, "nodes[1].maxWaiting: does not apply to a topic"},
		} {
			sc := chain(Async, 0, Node{ID: "x", Kind: tt.kind, MaxWaiting: &none})
			assert.ErrorContains(t, sc.Validate(), tt.want)
		}
		for _, k := range []Kind{Gateway, Service, Database, Worker} {
			sc := chain(Sync, 0, Node{ID: "x", Kind: k, MaxWaiting: &none})
			assert.NoError(t, sc.Validate(), "a %s has workers and a line", k)
		}
	})

	t.Run("every problem is reported, not just the first", func(t *testing.T) {
		sc := chain(Sync, 0, Node{ID: "a", Kind: Service, Concurrency: -1, FailureRate: 2})
		sc.Edges[0].Latency = &Dist{Type: Uniform, Min: ms(5), Max: ms(1)}
		var errs Errors
		require.True(t, errors.As(sc.Validate(), &errs))
		assert.Len(t, errs, 3)
	})
}

func TestTooLargeInputIsRefusedBeforeDecoding(t *testing.T) {
	big := make([]byte, MaxScenarioBytes+1)
	_, err := ParseScenario(big)
	assert.ErrorContains(t, err, "scenario: is 1048577 bytes")
}

// FuzzParseScenario: whatever bytes arrive, parsing and (if valid) running
// returns an error or a conserved report, and never panics.
func FuzzParseScenario(f *testing.F) {
	f.Add([]byte(validJSON))
	for _, ex := range Examples() {
		b, _ := ex.Scenario.MarshalCanonical()
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := ParseScenario(data)
		if err != nil {
			return
		}
		sc.Limits = Limits{MaxEvents: 20_000, MaxMessages: 5_000}
		e, err := NewEngine(sc, Options{Trace: true})
		require.NoError(t, err)
		r := e.Run()
		require.NoError(t, r.Conserved())
	})
}
