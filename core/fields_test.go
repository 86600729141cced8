package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// canonical returns sc's canonical JSON as a string.
func canonical(t testing.TB, sc *Scenario) string {
	t.Helper()
	b, err := sc.MarshalCanonical()
	require.NoError(t, err)
	return string(b)
}

// plausibleTexts returns texts worth setting field f to: every option of
// an enum, one ordinary value otherwise.
func plausibleTexts(f Field) []string {
	switch f.Type {
	case FieldString:
		return []string{"x1"}
	case FieldInt:
		return []string{"2"}
	case FieldFloat:
		return []string{"0.5"}
	case FieldDuration:
		return []string{"10ms"}
	case FieldBool:
		return []string{"true"}
	case FieldEnum:
		return f.Options
	case FieldDurations:
		return []string{"1s, 2s"}
	case FieldInts:
		return []string{"0, 1"}
	case FieldPhases:
		return []string{"1s@10, 2s@20"}
	}
	panic(fmt.Sprintf("no plausible text for field type %d", f.Type))
}

// someText returns one non-empty plausible text for f.
func someText(f Field) string {
	texts := plausibleTexts(f)
	return texts[len(texts)-1]
}

// fieldErrors validates sc and returns its problems.
func fieldErrors(sc *Scenario) Errors {
	var errs Errors
	if err := sc.Validate(); err != nil {
		errs = err.(Errors)
	}
	return errs
}

// notApplying returns the problems saying that the field at path, or a
// group holding it, does not apply.
func notApplying(errs Errors, path string) Errors {
	var out Errors
	for _, e := range errs {
		within := e.Field == path || strings.HasPrefix(path, e.Field+".")
		if within && (strings.Contains(e.Message, "does not apply") || strings.Contains(e.Message, "applies only")) {
			out = append(out, e)
		}
	}
	return out
}

// anyNotApplying returns every "does not apply" problem under prefix.
func anyNotApplying(errs Errors, prefix string) Errors {
	var out Errors
	for _, e := range errs {
		if strings.HasPrefix(e.Field, prefix) && (strings.Contains(e.Message, "does not apply") || strings.Contains(e.Message, "applies only")) {
			out = append(out, e)
		}
	}
	return out
}

func keys(fields []Field) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Key
	}
	return out
}

// nodeStates returns a one-node scenario for every kind, and for a client
// one for every workload type.
func nodeStates() map[string]*Scenario {
	out := map[string]*Scenario{}
	for _, k := range Kinds {
		if k == Client {
			for _, wt := range []WorkloadType{Single, Poisson, Schedule, Closed} {
				out[string(k)+"/"+string(wt)] = &Scenario{Version: 1, Nodes: []Node{{ID: "n", Kind: k, Workload: &Workload{Type: wt}}}}
			}
			continue
		}
		out[string(k)] = &Scenario{Version: 1, Nodes: []Node{{ID: "n", Kind: k}}}
	}
	return out
}

func TestNodeFieldsAgreeWithValidator(t *testing.T) {
	// Every field listed for a node can be set without the validator saying
	// it does not apply, including the fields an enum reveals (a
	// distribution's parameters for each type, a workload's for each type,
	// the spread of proportional jitter).
	union := map[string]bool{}
	for name, base := range nodeStates() {
		t.Run(name, func(t *testing.T) {
			listed := NodeFields(&base.Nodes[0])
			require.NotEmpty(t, listed)
			assert.Equal(t, "label", listed[0].Key, "label comes first")
			for _, f := range listed {
				union[f.Key] = true
				for _, text := range plausibleTexts(f) {
					path := "nodes[0]." + f.Key
					sc, err := SetField(base, path, text)
					require.NoError(t, err, "%s = %q", path, text)
					assert.Empty(t, anyNotApplying(fieldErrors(sc), "nodes[0]"), "%s = %q", path, text)
					// The fields this value reveals apply too.
					for _, g := range NodeFields(&sc.Nodes[0]) {
						if slices.Contains(keys(listed), g.Key) {
							continue
						}
						union[g.Key] = true
						gpath := "nodes[0]." + g.Key
						sc2, err := SetField(sc, gpath, someText(g))
						require.NoError(t, err, "%s = %q then %s", path, text, gpath)
						assert.Empty(t, anyNotApplying(fieldErrors(sc2), "nodes[0]"), "%s = %q then %s", path, text, gpath)
					}
				}
			}
		})
	}

	// Every field not listed for a node is refused by the validator when
	// set, itself or as part of a group that does not apply. The exceptions:
	// a distribution's parameters depend on its type, which is listed (and
	// tested above), and a queue accepts retry.maxAttempts but ignores it
	// (its maxReceiveCount bounds receives), so it is not offered there.
	require.Greater(t, len(union), 40, "the union of all node fields")
	for name, base := range nodeStates() {
		t.Run("not "+name, func(t *testing.T) {
			listed := keys(NodeFields(&base.Nodes[0]))
			for key := range union {
				if slices.Contains(listed, key) {
					continue
				}
				if prefix, _, ok := splitDistKey(key); ok && slices.Contains(listed, prefix+".type") {
					continue
				}
				k := base.Nodes[0].Kind
				if key == "retry.maxAttempts" && k == Queue {
					sc, err := SetField(base, "nodes[0]."+key, "2")
					require.NoError(t, err)
					assert.Empty(t, anyNotApplying(fieldErrors(sc), "nodes[0]"), "a broker accepts retry.maxAttempts; if it now refuses it, drop this exception")
					continue
				}
				path := "nodes[0]." + key
				var f Field
				for _, g := range nodeFields(&base.Nodes[0], true) {
					if g.Key == key {
						f = g
					}
				}
				require.NotEmpty(t, f.Key, "SetField can set %s", key)
				sc, err := SetField(base, path, someText(f))
				require.NoError(t, err, path)
				assert.NotEmpty(t, notApplying(fieldErrors(sc), path), "%s is not listed for a %s, so the validator should refuse it", key, name)
			}
		})
	}
}

// faultScenario returns a valid scenario with a fault of type t: client c
// calls service s, which sends to queue q, consumed by worker w.
func faultScenario(t testing.TB, ft FaultType) *Scenario {
	t.Helper()
	sc := &Scenario{Version: 1, Seed: 1,
		Nodes: []Node{
			{ID: "c", Kind: Client, Workload: &Workload{Type: Poisson, Rate: 10, Count: 10}},
			{ID: "s", Kind: Service},
			{ID: "q", Kind: Queue},
			{ID: "w", Kind: Worker},
		},
		Edges: []Edge{{From: "c", To: "s", Mode: Sync}, {From: "s", To: "q", Mode: Async}, {From: "q", To: "w", Mode: Async}},
	}
	on := map[FaultType]string{Down: "s", Crash: "s", Poison: "c", Latency: "s", LostAck: "w"}[ft]
	_, err := sc.AddFault(ft, on)
	require.NoError(t, err)
	require.NoError(t, sc.Validate())
	return sc
}

func faultTypes() []FaultType { return []FaultType{Down, Crash, Poison, Latency, LostAck} }

func TestFaultFieldsAgreeWithValidator(t *testing.T) {
	union := map[string]Field{}
	for _, ft := range faultTypes() {
		sc := faultScenario(t, ft)
		for _, f := range FaultFields(&sc.Faults[0]) {
			union[f.Key] = f
		}
	}
	require.Len(t, union, 9)
	for _, ft := range faultTypes() {
		t.Run(string(ft), func(t *testing.T) {
			base := faultScenario(t, ft)
			listed := keys(FaultFields(&base.Faults[0]))
			assert.Equal(t, "type", listed[0])
			for key, f := range union {
				path := "faults[0]." + key
				text := FieldText(base, path)
				if key == "type" || text == "" {
					text = someText(f)
				}
				if f.Type == FieldString && FieldText(base, path) == "" {
					text = "s" // a node id
				}
				sc, err := SetField(base, path, text)
				require.NoError(t, err, path)
				refused := notApplying(fieldErrors(sc), path)
				switch {
				case key == "type":
					// Changing the type rewrites the fault; covered below.
				case slices.Contains(listed, key):
					assert.Empty(t, refused, "%s is listed for a %s fault", key, ft)
				default:
					assert.NotEmpty(t, refused, "%s is not listed for a %s fault, so the validator should refuse it", key, ft)
				}
			}
		})
	}
}

func TestEdgeFieldsAgreeWithValidator(t *testing.T) {
	sc := &Scenario{Version: 1, Seed: 1,
		Nodes: []Node{
			{ID: "c", Kind: Client, Workload: &Workload{Type: Single}},
			{ID: "t", Kind: Topic},
			{ID: "w", Kind: Worker},
		},
		Edges: []Edge{{From: "c", To: "t", Mode: Async}, {From: "t", To: "w", Mode: Async}},
	}
	require.NoError(t, sc.Validate())
	fromClient, fromTopic := keys(EdgeFields(sc, &sc.Edges[0])), keys(EdgeFields(sc, &sc.Edges[1]))
	assert.Equal(t, []string{"mode", "latency.type"}, fromClient)
	assert.Equal(t, []string{"mode", "latency.type", "group"}, fromTopic)

	for i := range sc.Edges {
		for _, f := range EdgeFields(sc, &sc.Edges[i]) {
			for _, text := range plausibleTexts(f) {
				path := fmt.Sprintf("edges[%d].%s", i, f.Key)
				if f.Key == "mode" {
					continue // only async is valid out of a client into a topic; modes are tested in Connect
				}
				next, err := SetField(sc, path, text)
				require.NoError(t, err, path)
				assert.NoError(t, next.Validate(), "%s = %q", path, text)
				for _, g := range EdgeFields(next, &next.Edges[i]) {
					gpath := fmt.Sprintf("edges[%d].%s", i, g.Key)
					next2, err := SetField(next, gpath, someText(g))
					require.NoError(t, err, gpath)
					assert.Empty(t, anyNotApplying(fieldErrors(next2), "edges"), "%s = %q then %s", path, text, gpath)
				}
			}
		}
	}
	next, err := SetField(sc, "edges[0].group", "g1")
	require.NoError(t, err)
	assert.NotEmpty(t, notApplying(fieldErrors(next), "edges[0].group"), "a group out of a client does not apply")
}

// fieldsScenario is a valid scenario touching most kinds of field.
func fieldsScenario(t testing.TB) *Scenario {
	t.Helper()
	sc, err := ParseScenario([]byte(`{
	  "version": 1, "name": "fields", "seed": 7,
	  "nodes": [
	    {"id": "c", "kind": "client", "workload": {"type": "poisson", "rate": 10, "count": 20}},
	    {"id": "s", "kind": "service", "concurrency": 4, "serviceTime": "40ms", "retry": {"maxAttempts": 2}},
	    {"id": "q", "kind": "queue", "maxReceiveCount": 3},
	    {"id": "w", "kind": "worker", "serviceTime": {"type": "exponential", "mean": "5ms"}},
	    {"id": "dlq", "kind": "dlq"}
	  ],
	  "edges": [
	    {"from": "c", "to": "s", "mode": "sync", "latency": "2ms"},
	    {"from": "s", "to": "q", "mode": "async"},
	    {"from": "q", "to": "w", "mode": "async"},
	    {"from": "q", "to": "dlq", "mode": "async"}
	  ],
	  "faults": [{"type": "poison", "node": "c", "requests": [3]}]
	}`))
	require.NoError(t, err)
	return sc
}

func TestSetFieldRoundTrips(t *testing.T) {
	tests := []struct{ path, text, want string }{
		{"nodes[1].concurrency", "12", "12"},
		{"nodes[1].concurrency", " 12 ", "12"},
		{"nodes[1].maxWaiting", "3", "3"},
		{"nodes[1].maxWaiting", "0", "0"}, // no waiting room, not unset
		{"nodes[1].failureRate", "0.30", "0.3"},
		{"nodes[1].timeout", "1500ms", "1.5s"},
		{"nodes[1].timeout", "250", "250ms"}, // a bare number is milliseconds, as in scenario files
		{"nodes[1].serviceTime.value", "0.02s", "20ms"},
		{"nodes[1].calls", "parallel", "parallel"},
		{"nodes[1].retry.jitter", "full", "full"},
		{"nodes[1].retry.preset", "grpc-retry", "grpc-retry"},
		{"nodes[3].serviceTime.mean", "1m", "1m0s"},
		{"nodes[3].idempotent", "true", "true"},
		{"nodes[3].idempotent", "TRUE", "true"},
		{"nodes[3].onFailure", "dead-letter", "dead-letter"},
		{"nodes[2].visibilityTimeout", "30s", "30s"},
		{"nodes[4].redriveAt", "10s,20s", "10s, 20s"},
		{"nodes[4].label", "Parking lot", "Parking lot"},
		{"nodes[0].workload.rate", "2.5", "2.5"},
		{"nodes[0].workload.keys", "20", "20"},
		{"edges[0].latency.value", "3ms", "3ms"},
		{"edges[0].mode", "async", "async"},
		{"faults[0].requests", "0,5", "0, 5"},
		{"seed", "18446744073709551615", "18446744073709551615"},
		{"until", "1m", "1m0s"},
		{"name", "Mine", "Mine"},
	}
	for _, tt := range tests {
		t.Run(tt.path+"="+tt.text, func(t *testing.T) {
			sc := fieldsScenario(t)
			before := canonical(t, sc)
			next, err := SetField(sc, tt.path, tt.text)
			require.NoError(t, err)
			assert.Equal(t, tt.want, FieldText(next, tt.path))
			assert.Equal(t, before, canonical(t, sc), "SetField returns a copy")
			again, err := SetField(next, tt.path, FieldText(next, tt.path))
			require.NoError(t, err)
			assert.Equal(t, canonical(t, next), canonical(t, again), "writing back what is shown changes nothing")
		})
	}

	t.Run("phases", func(t *testing.T) {
		sc := fieldsScenario(t)
		next, err := SetField(sc, "nodes[0].workload.type", "schedule")
		require.NoError(t, err)
		next, err = SetField(next, "nodes[0].workload.phases", "2s@100,1s@1000 , 500ms@0.5")
		require.NoError(t, err)
		assert.Equal(t, "2s@100, 1s@1000, 500ms@0.5", FieldText(next, "nodes[0].workload.phases"))
		assert.Equal(t, []RatePhase{{2 * Second, 100}, {Second, 1000}, {500 * Millisecond, 0.5}}, next.Nodes[0].Workload.Phases)
		assert.NoError(t, next.Validate())
	})

	t.Run("texts of fields that are not set", func(t *testing.T) {
		sc := fieldsScenario(t)
		assert.Empty(t, FieldText(sc, "nodes[1].timeout"))
		assert.Empty(t, FieldText(sc, "nodes[1].serviceTime.mean"), "a constant has no mean")
		assert.Empty(t, FieldText(sc, "nodes[3].idempotent"))
		assert.Empty(t, FieldText(sc, "nodes[9].label"))
		assert.Empty(t, FieldText(sc, "nodes[0]"))
		assert.Equal(t, "constant", FieldText(sc, "nodes[1].serviceTime.type"))
		assert.Equal(t, "40ms", FieldText(sc, "nodes[1].serviceTime.value"))
		assert.Equal(t, "exponential", FieldText(sc, "nodes[3].serviceTime.type"))
		assert.Equal(t, "s", FieldText(sc, "nodes[1].id"))
		assert.Equal(t, "7", FieldText(sc, "seed"))
	})
}

func TestSetFieldRefusesBadText(t *testing.T) {
	tests := []struct{ path, text, message string }{
		{"nodes[1].concurrency", "abc", `want a whole number, got "abc"`},
		{"nodes[1].concurrency", "1.5", `want a whole number, got "1.5"`},
		{"nodes[1].timeout", "10 parsecs", `want a duration like "10ms" or "1.5s", got "10 parsecs"`},
		{"nodes[1].failureRate", "NaN", `want a number, got "NaN"`},
		{"nodes[3].idempotent", "maybe", `want true or false, got "maybe"`},
		{"nodes[1].calls", "sideways", `want "sequential" or "parallel", got "sideways"`},
		{"edges[0].mode", "", `is required: want "sync" or "async"`},
		{"nodes[0].workload.type", "", `is required`},
		{"nodes[0].workload.phases", "x@1", `phase 1 ("x@1"): want a duration like "2s" before the @`},
		{"nodes[0].workload.phases", "1s@1, 2s@fast", `phase 2 ("2s@fast"): want a rate per second like "100" after the @`},
		{"nodes[0].workload.phases", "1s", `phase 1 ("1s"): want duration@rate`},
		{"nodes[4].redriveAt", "1s, soon", `item 2 ("soon"): want a duration`},
		{"faults[0].requests", "0, x", `item 2 ("x"): want a whole number`},
		{"nodes[3].serviceTime.min", "1ms", "does not apply to an exponential distribution"},
		{"nodes[1].concurrency", "99999999999999999999", "want a whole number"},
		{"seed", "-1", "want a whole number"},
		{"nodes[1].colour", "red", "is not a field this builder can set"},
		{"nodes[1].id", "x", "is not a field this builder can set"},
		{"nodes[9].concurrency", "1", "there is no nodes[9]"},
		{"edges[0].serviceTime.mean", "1ms", "is not a field this builder can set"},
		{"nodes[x].concurrency", "1", "is not a field this builder can set"},
		{"version", "2", "is not a field this builder can set"},
	}
	for _, tt := range tests {
		t.Run(tt.path+"="+tt.text, func(t *testing.T) {
			sc := fieldsScenario(t)
			before := canonical(t, sc)
			next, err := SetField(sc, tt.path, tt.text)
			require.Error(t, err)
			assert.Nil(t, next)
			var errs Errors
			require.True(t, errors.As(err, &errs), "%T", err)
			require.Len(t, errs, 1, "%v", errs)
			assert.Equal(t, tt.path, errs[0].Field)
			assert.Contains(t, errs[0].Message, tt.message)
			assert.Equal(t, before, canonical(t, sc), "the scenario is unchanged")
		})
	}
}

func TestSetFieldEmptyRestoresTheDefault(t *testing.T) {
	nodeJSON := func(t *testing.T, sc *Scenario, i int) string {
		b, err := json.Marshal(sc.Nodes[i])
		require.NoError(t, err)
		return string(b)
	}
	sc := fieldsScenario(t)
	require.Contains(t, nodeJSON(t, sc, 1), `"concurrency":4`)

	next, err := SetField(sc, "nodes[1].concurrency", "")
	require.NoError(t, err)
	assert.NotContains(t, nodeJSON(t, next, 1), "concurrency")
	assert.Equal(t, 8, next.Nodes[1].EffectiveConcurrency(), "the default")

	t.Run("maxWaiting: 0 is a bound; empty lets any number wait", func(t *testing.T) {
		zero, err := SetField(sc, "nodes[1].maxWaiting", "0")
		require.NoError(t, err)
		require.NotNil(t, zero.Nodes[1].MaxWaiting)
		assert.Zero(t, *zero.Nodes[1].MaxWaiting)
		assert.Contains(t, nodeJSON(t, zero, 1), `"maxWaiting":0`)
		unset, err := SetField(zero, "nodes[1].maxWaiting", "")
		require.NoError(t, err)
		assert.Nil(t, unset.Nodes[1].MaxWaiting)
		assert.Empty(t, FieldText(unset, "nodes[1].maxWaiting"))
		assert.Equal(t, canonical(t, sc), canonical(t, unset))
	})

	t.Run("removing the last retry setting removes the retries", func(t *testing.T) {
		next, err := SetField(sc, "nodes[1].retry.maxAttempts", "")
		require.NoError(t, err)
		assert.NotContains(t, nodeJSON(t, next, 1), "retry")
		assert.Nil(t, next.Nodes[1].Retry)
	})
	t.Run("removing what is not set changes nothing", func(t *testing.T) {
		next, err := SetField(sc, "nodes[1].retry.cap", "")
		require.NoError(t, err)
		assert.Equal(t, canonical(t, sc), canonical(t, next))
		next, err = SetField(sc, "nodes[3].serviceTime.min", "")
		require.NoError(t, err)
		assert.Equal(t, canonical(t, sc), canonical(t, next))
	})
	t.Run("no distribution type removes the distribution", func(t *testing.T) {
		next, err := SetField(sc, "nodes[3].serviceTime.type", "")
		require.NoError(t, err)
		assert.Nil(t, next.Nodes[3].ServiceTime)
		assert.NotContains(t, nodeJSON(t, next, 3), "serviceTime")
	})
	t.Run("a false bool is left out", func(t *testing.T) {
		on, err := SetField(sc, "nodes[3].idempotent", "true")
		require.NoError(t, err)
		off, err := SetField(on, "nodes[3].idempotent", "false")
		require.NoError(t, err)
		assert.Equal(t, canonical(t, sc), canonical(t, off))
	})
	t.Run("top level", func(t *testing.T) {
		next, err := SetField(sc, "name", "")
		require.NoError(t, err)
		assert.NotContains(t, canonical(t, next), `"name"`)
		next.Name = sc.Name
		assert.Equal(t, canonical(t, sc), canonical(t, next), "only the name changed")
	})
}

func TestSetFieldDistributionType(t *testing.T) {
	sc := fieldsScenario(t) // s: constant 40ms
	const m = 40 * Millisecond
	tests := []struct {
		typ  string
		want *Dist
	}{
		{"constant", Fixed(m)},
		{"exponential", Exp(m)},
		{"uniform", &Dist{Type: Uniform, Min: 20 * Millisecond, Max: 60 * Millisecond}},
		{"normal", &Dist{Type: Normal, Mean: m, Stddev: 10 * Millisecond}},
		{"lognormal", &Dist{Type: LogNormal, Median: m, Sigma: 0.5}},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			next, err := SetField(sc, "nodes[1].serviceTime.type", tt.typ)
			require.NoError(t, err)
			assert.Equal(t, tt.want, next.Nodes[1].ServiceTime)
			assert.NoError(t, next.Validate())
			// And back: the value carries over again.
			back, err := SetField(next, "nodes[1].serviceTime.type", "constant")
			require.NoError(t, err)
			assert.Equal(t, Fixed(m), back.Nodes[1].ServiceTime)
		})
	}

	t.Run("a new distribution starts at 10ms", func(t *testing.T) {
		next, err := SetField(sc, "edges[1].latency.type", "exponential")
		require.NoError(t, err)
		assert.Equal(t, Exp(10*Millisecond), next.Edges[1].Latency)
	})
	t.Run("setting a parameter of no distribution makes one of the type that has it", func(t *testing.T) {
		next, err := SetField(sc, "edges[1].latency.median", "7ms")
		require.NoError(t, err)
		assert.Equal(t, &Dist{Type: LogNormal, Median: 7 * Millisecond}, next.Edges[1].Latency)
		next, err = SetField(sc, "edges[1].latency.value", "7ms")
		require.NoError(t, err)
		assert.Equal(t, Fixed(7*Millisecond), next.Edges[1].Latency)
	})
	t.Run("a think time", func(t *testing.T) {
		closed, err := SetField(sc, "nodes[0].workload.type", "closed")
		require.NoError(t, err)
		next, err := SetField(closed, "nodes[0].workload.think.type", "uniform")
		require.NoError(t, err)
		assert.Equal(t, &Dist{Type: Uniform, Min: 50 * Millisecond, Max: 150 * Millisecond}, next.Nodes[0].Workload.Think)
		assert.Equal(t, "150ms", FieldText(next, "nodes[0].workload.think.max"))
		none, err := SetField(next, "nodes[0].workload.think.type", "")
		require.NoError(t, err)
		assert.Nil(t, none.Nodes[0].Workload.Think)
		assert.NoError(t, none.Validate())
	})
}

func TestSetFieldWorkloadType(t *testing.T) {
	sc := fieldsScenario(t)
	sc.Nodes[0].Workload.Keys = 5
	for _, wt := range []WorkloadType{Single, Poisson, Schedule, Closed} {
		t.Run(string(wt), func(t *testing.T) {
			next, err := SetField(sc, "nodes[0].workload.type", string(wt))
			require.NoError(t, err)
			w := next.Nodes[0].Workload
			assert.Equal(t, wt, w.Type)
			assert.Equal(t, 5, w.Keys, "the keys carry over")
			require.NoError(t, next.Validate())
			r, _ := run(t, next)
			assert.Positive(t, r.Requests.OK)
		})
	}
	t.Run("the current type changes nothing", func(t *testing.T) {
		next, err := SetField(sc, "nodes[0].workload.type", "poisson")
		require.NoError(t, err)
		assert.Equal(t, canonical(t, sc), canonical(t, next))
	})
	t.Run("the defaults", func(t *testing.T) {
		next, err := SetField(sc, "nodes[0].workload.type", "schedule")
		require.NoError(t, err)
		assert.Equal(t, "2s@50, 1s@500, 2s@50", FieldText(next, "nodes[0].workload.phases"))
		next, err = SetField(sc, "nodes[0].workload.type", "closed")
		require.NoError(t, err)
		assert.Equal(t, &Workload{Type: Closed, Users: 5, Think: Fixed(100 * Millisecond), Count: 20, Keys: 5}, next.Nodes[0].Workload)
	})
}

func TestSetFieldFaultType(t *testing.T) {
	for _, from := range faultTypes() {
		for _, to := range faultTypes() {
			t.Run(string(from)+" to "+string(to), func(t *testing.T) {
				sc := faultScenario(t, from)
				next, err := SetField(sc, "faults[0].type", string(to))
				require.NoError(t, err)
				assert.Equal(t, to, next.Faults[0].Type)
				assert.NoError(t, next.Validate())
				if from == to {
					assert.Equal(t, canonical(t, sc), canonical(t, next))
				}
			})
		}
	}
	t.Run("the window carries over", func(t *testing.T) {
		sc := faultScenario(t, Down)
		sc.Faults[0].At, sc.Faults[0].Until = 3*Second, 7*Second
		next, err := SetField(sc, "faults[0].type", "lost-ack")
		require.NoError(t, err)
		assert.Equal(t, Fault{Type: LostAck, Node: "s", At: 3 * Second, Until: 7 * Second}, next.Faults[0])
		next, err = SetField(sc, "faults[0].type", "latency")
		require.NoError(t, err)
		assert.Equal(t, Fault{Type: Latency, From: "s", To: "q", At: 3 * Second, Until: 7 * Second, Add: 200 * Millisecond}, next.Faults[0])
	})
}

// TestFieldsRoundTripExamples checks that the form can show every value
// of every built-in scenario and write it back without changing it.
func TestFieldsRoundTripExamples(t *testing.T) {
	for _, ex := range Examples() {
		t.Run(ex.ID, func(t *testing.T) {
			sc := ex.Scenario
			want := canonical(t, sc)
			var paths []string
			for _, f := range ScenarioFields() {
				paths = append(paths, f.Key)
			}
			for i := range sc.Nodes {
				for _, f := range NodeFields(&sc.Nodes[i]) {
					paths = append(paths, fmt.Sprintf("nodes[%d].%s", i, f.Key))
				}
			}
			for i := range sc.Edges {
				for _, f := range EdgeFields(sc, &sc.Edges[i]) {
					paths = append(paths, fmt.Sprintf("edges[%d].%s", i, f.Key))
				}
			}
			for i := range sc.Faults {
				for _, f := range FaultFields(&sc.Faults[i]) {
					paths = append(paths, fmt.Sprintf("faults[%d].%s", i, f.Key))
				}
			}
			// One reader for every field, read back to front and then
			// again (each element encoded once), says what a fresh reader
			// per field does.
			shared := NewFieldReader(sc)
			for i := len(paths) - 1; i >= 0; i-- {
				require.Equal(t, FieldText(sc, paths[i]), shared.Text(paths[i]), paths[i])
			}
			shown := 0
			for _, path := range paths {
				text := FieldText(sc, path)
				require.Equal(t, text, shared.Text(path), path)
				if text != "" {
					shown++
				}
				next, err := SetField(sc, path, text)
				require.NoError(t, err, "%s = %q", path, text)
				require.Equal(t, want, canonical(t, next), "%s = %q", path, text)
			}
			assert.Positive(t, shown)
		})
	}
}

func TestFieldTables(t *testing.T) {
	t.Run("keys are unique and enums have options", func(t *testing.T) {
		check := func(name string, fields []Field) {
			seen := map[string]bool{}
			for _, f := range fields {
				assert.False(t, seen[f.Key], "%s: %s twice", name, f.Key)
				seen[f.Key] = true
				assert.NotEmpty(t, f.Label, "%s: %s", name, f.Key)
				assert.NotEmpty(t, f.Help, "%s: %s", name, f.Key)
				assert.NotEmpty(t, f.Group, "%s: %s", name, f.Key)
				assert.Equal(t, f.Type == FieldEnum, len(f.Options) > 0, "%s: %s", name, f.Key)
			}
		}
		for name, sc := range nodeStates() {
			check(name, NodeFields(&sc.Nodes[0]))
		}
		for _, ft := range faultTypes() {
			sc := faultScenario(t, ft)
			check(string(ft), FaultFields(&sc.Faults[0]))
		}
		check("scenario", ScenarioFields())
	})

	t.Run("groups are contiguous", func(t *testing.T) {
		for name, sc := range nodeStates() {
			n := sc.Nodes[0]
			n.ServiceTime, n.Retry = Exp(Millisecond), &RetryPolicy{Jitter: jitterProportional}
			if n.Workload != nil {
				n.Workload.Think = Exp(Millisecond)
			}
			var done []string
			last := ""
			for _, f := range NodeFields(&n) {
				if f.Group != last {
					assert.NotContains(t, done, f.Group, "%s: group %s is split", name, f.Group)
					done = append(done, last)
					last = f.Group
				}
			}
		}
	})

	t.Run("what a service shows", func(t *testing.T) {
		n := &Node{ID: "s", Kind: Service, ServiceTime: Exp(Millisecond)}
		assert.Equal(t, []string{"label", "concurrency", "maxWaiting", "failureRate", "ignoresCancellation", "serviceTime.type", "serviceTime.mean",
			"timeout", "calls", "coroutine", "onSendError", "onFailure", "idempotent",
			"retry.maxAttempts", "retry.base", "retry.multiplier", "retry.cap", "retry.jitter", "retry.preset"}, keys(NodeFields(n)))
		n.Retry = &RetryPolicy{Preset: presetGRPCConnection}
		assert.Contains(t, keys(NodeFields(n)), "retry.spread", "gRPC's connection backoff jitters proportionally")
		n.Retry = &RetryPolicy{Preset: presetGRPCRetry}
		assert.NotContains(t, keys(NodeFields(n)), "retry.spread", "gRPC's retry policy jitters fully")
	})

	t.Run("what a client shows", func(t *testing.T) {
		n := &Node{ID: "c", Kind: Client, Workload: &Workload{Type: Closed}}
		assert.Equal(t, []string{"label", "workload.type", "workload.users", "workload.count", "workload.duration", "workload.keys",
			"timeout", "workload.think.type",
			"retry.maxAttempts", "retry.base", "retry.multiplier", "retry.cap", "retry.jitter", "retry.preset"}, keys(NodeFields(n)))
	})

	t.Run("what faults show", func(t *testing.T) {
		want := map[FaultType][]string{
			Down:    {"type", "node", "at", "until"},
			Crash:   {"type", "node", "at", "restart"},
			Poison:  {"type", "node", "requests"},
			Latency: {"type", "from", "to", "at", "until", "add"},
			LostAck: {"type", "node", "at", "until"},
		}
		for ft, keysWanted := range want {
			assert.Equal(t, keysWanted, keys(FaultFields(&Fault{Type: ft})), string(ft))
		}
	})
}

func TestFieldElement(t *testing.T) {
	for path, want := range map[string]struct {
		list  string
		index int
		ok    bool
	}{
		"nodes[2].serviceTime.mean": {"nodes", 2, true},
		"faults[10].until":          {"faults", 10, true},
		"seed":                      {"", 0, true},
		"edges[3]":                  {"edges", 3, true},
		"nodes[x].id":               {"", 0, false},
		"":                          {"", 0, false},
	} {
		list, index, ok := FieldElement(path)
		assert.Equal(t, want.ok, ok, path)
		if want.ok {
			assert.Equal(t, want.list, list, path)
			assert.Equal(t, want.index, index, path)
		}
	}
}

// TestSetFieldLimits: the run's limits are fields too; a value beyond the
// ceiling is refused by Validate, named.
func TestSetFieldLimits(t *testing.T) {
	sc, err := ExampleByID("rest-chain")
	require.NoError(t, err)
	out, err := SetField(sc, "limits.maxEvents", "5000")
	require.NoError(t, err)
	require.Equal(t, int64(5000), out.Limits.MaxEvents)
	require.Equal(t, "5000", FieldText(out, "limits.maxEvents"))
	out, err = SetField(out, "limits.maxEvents", "")
	require.NoError(t, err)
	require.Zero(t, out.Limits.MaxEvents, "empty restores the default")
	out, err = SetField(sc, "limits.maxMessages", "999999999999")
	require.NoError(t, err)
	require.ErrorContains(t, out.Validate(), "limits.maxMessages")
}
