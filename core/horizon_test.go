package core

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// svc is a one-worker service with a constant service time.
func svc(id string, d Duration) Node {
	return Node{ID: id, Kind: Service, ServiceTime: Fixed(d)}
}

func TestTimeBoundsAreValidated(t *testing.T) {
	nearMax := Duration(math.MaxInt64 - 1000)
	tests := []struct {
		name  string
		edit  func(sc *Scenario)
		field string
		msg   string
	}{
		{"a service time near the int64 maximum is refused", func(sc *Scenario) { sc.Nodes[1].ServiceTime = Fixed(nearMax) },
			"nodes[1].serviceTime.value", "365 days"},
		{"a latency of two years is refused", func(sc *Scenario) { sc.Edges[0].Latency = Fixed(2 * MaxDuration) },
			"edges[0].latency.value", "365 days"},
		{"a timeout past a year is refused", func(sc *Scenario) { sc.Nodes[0].Timeout = MaxDuration + 1 },
			"nodes[0].timeout", "365 days"},
		{"until past the horizon is refused", func(sc *Scenario) { sc.Until = Horizon + 1 },
			"until", "100 years"},
		{"a request sent after the horizon is refused", func(sc *Scenario) { sc.Nodes[0].Workload.At = nearMax },
			"nodes[0].workload.at", "100 years"},
		{"an exponential mean past a week is refused", func(sc *Scenario) { sc.Nodes[1].ServiceTime = Exp(8 * day) },
			"nodes[1].serviceTime.mean", "7 days"},
		{"a lognormal whose mean is past a week is refused", func(sc *Scenario) {
			sc.Nodes[1].ServiceTime = &Dist{Type: LogNormal, Median: 10 * Second, Sigma: 5}
		}, "nodes[1].serviceTime.median", "7 days"},
		{"a normal with a huge spread is refused", func(sc *Scenario) {
			sc.Nodes[1].ServiceTime = &Dist{Type: Normal, Mean: Second, Stddev: 30 * day}
		}, "nodes[1].serviceTime.stddev", "7 days"},
		{"a poisson rate too slow to send within the bounds is refused", func(sc *Scenario) {
			sc.Nodes[0].Workload = &Workload{Type: Poisson, Rate: 1e-9, Count: 3}
		}, "nodes[0].workload.rate", "one per 7 days"},
		{"a schedule phase too slow to send is refused", func(sc *Scenario) {
			sc.Nodes[0].Workload = &Workload{Type: Schedule, Phases: []RatePhase{{Duration: Second, Rate: 1e-9}}}
		}, "nodes[0].workload.phases[0].rate", "one per 7 days"},
		{"phases adding up past the horizon are refused", func(sc *Scenario) {
			sc.Nodes[0].Workload = &Workload{Type: Schedule, Phases: []RatePhase{{Duration: Horizon, Rate: 1}, {Duration: Horizon, Rate: 0}}}
		}, "nodes[0].workload.phases", "100 years"},
		{"a retry cap past a year is refused", func(sc *Scenario) {
			sc.Nodes[0].Retry = &RetryPolicy{MaxAttempts: 3, Base: Second, Cap: 2 * MaxDuration}
		}, "nodes[0].retry.cap", "365 days"},
		{"a crash restart past a year is refused", func(sc *Scenario) {
			sc.Faults = []Fault{{Type: Crash, Node: "api", At: Second, Restart: 2 * MaxDuration}}
		}, "faults[0].restart", "365 days"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := chain(Sync, ms(1), svc("api", ms(10)))
			tc.edit(sc)
			errs := problemsByField(sc)
			require.Contains(t, errs, tc.field, "%v", sc.Validate())
			assert.Contains(t, errs[tc.field], tc.msg)
		})
	}

	t.Run("the longest durations allowed validate and run without overflow", func(t *testing.T) {
		sc := chain(Sync, MaxDuration, svc("api", MaxDuration))
		sc.Nodes[0].Workload.At = Horizon - 10*MaxDuration
		r, _ := run(t, sc)
		assert.Equal(t, StopCompleted, r.Stop)
		assert.Equal(t, 3*MaxDuration, r.UserLatency.Max, "two crossings and the service, exactly")
		requireNoNegativeDurations(t, r)
	})
}

// problemsByField maps each field of sc's validation errors to its message.
func problemsByField(sc *Scenario) map[string]string {
	out := map[string]string{}
	var errs Errors
	if err := sc.Validate(); err != nil {
		errs = err.(Errors)
	}
	for _, e := range errs {
		out[e.Field] = e.Message
	}
	return out
}

func TestValidatorGaps(t *testing.T) {
	t.Run("a latency fault's node is refused: a spike names an edge", func(t *testing.T) {
		sc := chain(Sync, ms(1), svc("api", ms(10)))
		sc.Faults = []Fault{{Type: Latency, Node: "api", From: "client", To: "api", At: 0, Until: Second, Add: ms(5)}}
		assert.Contains(t, problemsByField(sc)["faults[0].node"], "does not apply")
	})
	t.Run("an empty retry policy is refused", func(t *testing.T) {
		sc := chain(Sync, ms(1), svc("api", ms(10)))
		sc.Nodes[1].Retry = &RetryPolicy{}
		assert.Contains(t, problemsByField(sc)["nodes[1].retry"], "is empty")
	})
	t.Run("a distribution's parameter of another type is refused", func(t *testing.T) {
		sc := chain(Sync, ms(1), svc("api", ms(10)))
		sc.Nodes[1].ServiceTime = &Dist{Type: Constant, Value: ms(5), Mean: ms(7)}
		sc.Edges[0].Latency = &Dist{Type: Exponential, Mean: ms(1), Sigma: 2}
		errs := problemsByField(sc)
		assert.Contains(t, errs["nodes[1].serviceTime.mean"], "does not apply to a constant distribution")
		assert.Contains(t, errs["edges[0].latency.sigma"], "does not apply to a exponential distribution")
	})
	t.Run("a sync cycle is reported beside other problems", func(t *testing.T) {
		sc := chain(Sync, ms(1), svc("a", ms(1)), svc("b", ms(1)))
		sc.Edges = append(sc.Edges, Edge{From: "b", To: "a", Mode: Sync})
		sc.Nodes[1].Concurrency = -1
		errs := problemsByField(sc)
		assert.Contains(t, errs, "nodes[1].concurrency")
		assert.Contains(t, errs["edges"], "cycle a → b → a")
	})
	t.Run("the cycle search ignores edges to unknown nodes", func(t *testing.T) {
		sc := chain(Sync, ms(1), svc("a", ms(1)))
		sc.Edges = append(sc.Edges, Edge{From: "a", To: "ghost", Mode: Sync}, Edge{From: "ghost", To: "client", Mode: Sync})
		errs := problemsByField(sc)
		assert.Contains(t, errs, "edges[1].to")
		assert.NotContains(t, errs, "edges")
	})
}

func TestTheClockStopsAtTheHorizon(t *testing.T) {
	// A request sent at the horizon: its reply would come after it.
	sc := chain(Sync, ms(1), svc("api", MaxDuration))
	sc.Nodes[0].Workload.At = Horizon
	r, _ := run(t, sc)
	assert.Equal(t, StopHorizon, r.Stop)
	assert.Contains(t, r.StopDetail, "100 years")
	requireNoNegativeDurations(t, r)

	t.Run("a queue's visibility timeout near the horizon does not fire at once", func(t *testing.T) {
		sc := chain(Async, ms(1), Node{ID: "q", Kind: Queue, VisibilityTimeout: ms(5)})
		sc.Nodes = append(sc.Nodes, Node{ID: "w", Kind: Worker, ServiceTime: Fixed(ms(1))})
		sc.Edges = append(sc.Edges, Edge{From: "q", To: "w", Mode: Async, Latency: Fixed(ms(1))})
		sc.Nodes[0].Workload.At = Horizon - Second
		r, _ := run(t, sc)
		assert.Equal(t, StopCompleted, r.Stop)
		assert.Zero(t, r.Counts.Redelivered)
		requireNoNegativeDurations(t, r)
	})
}

func TestDurationSumDoesNotWrap(t *testing.T) {
	var s durationSum
	for range 1000 {
		s.add(Horizon)
	}
	assert.Equal(t, Horizon, s.mean(1000))
	var small durationSum
	for _, d := range []Duration{1, 2, 4} {
		small.add(d)
	}
	assert.Equal(t, Duration(7/3), small.mean(3), "rounds down like integer division")
	assert.Zero(t, small.mean(0))
}

// requireNoNegativeDurations fails if any Duration in v (a report) is
// negative: the sign of a wrapped clock.
func requireNoNegativeDurations(t testing.TB, v any) {
	t.Helper()
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem(), path)
			}
		case reflect.Slice, reflect.Array:
			if v.Type().Elem() == durationType || v.Type().Elem().Kind() == reflect.Struct {
				for i := range v.Len() {
					walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
				}
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				walk(v.MapIndex(k), fmt.Sprintf("%s[%v]", path, k))
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i), path+"."+v.Type().Field(i).Name)
				}
			}
		case reflect.Int64:
			if v.Type() == durationType {
				require.GreaterOrEqual(t, v.Int(), int64(0), "%s is negative", path)
			}
		}
	}
	walk(reflect.ValueOf(v), "report")
}

func TestFreeTextIsPlain(t *testing.T) {
	tests := []struct {
		name, field, msg string
		edit             func(sc *Scenario)
	}{
		{"a right-to-left override in the name is refused", "name", "U+202E", func(sc *Scenario) { sc.Name = "Checkout \u202Egnp.exe" }},
		{"a control character in a label is refused", "nodes[1].label", "U+0007", func(sc *Scenario) { sc.Nodes[1].Label = "bell\a" }},
		{"an isolate in the description is refused", "description", "U+2066", func(sc *Scenario) { sc.Description = "a\u2066b" }},
		{"a name past 100 bytes is refused", "name", "at most 100", func(sc *Scenario) { sc.Name = strings.Repeat("n", 101) }},
		{"a description past 2000 bytes is refused", "description", "at most 2000", func(sc *Scenario) { sc.Description = strings.Repeat("d", 2001) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := chain(Sync, ms(1), svc("api", ms(10)))
			tc.edit(sc)
			assert.Contains(t, problemsByField(sc)[tc.field], tc.msg)
		})
	}
	t.Run("line breaks, tabs and other scripts in a description are fine", func(t *testing.T) {
		sc := chain(Sync, ms(1), svc("api", ms(10)))
		sc.Name, sc.Description = "注文 — commande", "line one\n\tline two, עברית"
		assert.NoError(t, sc.Validate())
	})
}

// eachDuration calls fn with every Duration in v (settable when v is)
// and its JSON path, found by reflection: what checkTimes must bound.
func eachDuration(v reflect.Value, path string, fn func(path string, d reflect.Value)) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			eachDuration(v.Elem(), path, fn)
		}
	case reflect.Slice:
		for i := range v.Len() {
			eachDuration(v.Index(i), fmt.Sprintf("%s[%d]", path, i), fn)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if tag == "" || tag == "-" || !f.IsExported() {
				continue
			}
			p := tag
			if path != "" {
				p = path + "." + tag
			}
			eachDuration(v.Field(i), p, fn)
		}
	case reflect.Int64:
		if v.Type() == durationType {
			fn(path, v)
		}
	}
}

// TestEveryDurationIsBounded sets each Duration of a scenario that has one
// of every kind, in turn, past every bound, and wants the validator to
// name exactly that field: a Duration field added to the scenario's types
// without a bound fails here.
func TestEveryDurationIsBounded(t *testing.T) {
	full := func() *Scenario {
		sc := chain(Sync, ms(1), svc("api", ms(10)))
		sc.Nodes = append(sc.Nodes,
			Node{ID: "q", Kind: Queue, VisibilityTimeout: Second, Retry: &RetryPolicy{MaxAttempts: 2, Base: ms(1), Cap: Second}},
			Node{ID: "w", Kind: Worker, ServiceTime: &Dist{Type: Uniform, Min: ms(1), Max: ms(2)}},
			Node{ID: "o", Kind: Outbox, Interval: ms(100)},
			Node{ID: "d", Kind: DLQ, RedriveAt: []Duration{Second}})
		sc.Nodes[0].Workload = &Workload{Type: Closed, Users: 2, Duration: Second, Think: Exp(ms(5))}
		sc.Nodes[0].Timeout = Second
		sc.Nodes[1].Retry = &RetryPolicy{MaxAttempts: 2, Base: ms(1)}
		sc.Faults = []Fault{{Type: Crash, Node: "api", At: ms(1), Restart: ms(5)},
			{Type: Latency, From: "client", To: "api", At: ms(1), Until: ms(2), Add: ms(1)}}
		return sc
	}
	var paths []string
	collect := func(path string, _ reflect.Value) { paths = append(paths, path) }
	eachDuration(reflect.ValueOf(full()).Elem(), "", collect)
	sched := chain(Sync, ms(1), svc("api", ms(10)))
	sched.Nodes[0].Workload = &Workload{Type: Schedule, Phases: []RatePhase{{Duration: Second, Rate: 1}}}
	eachDuration(reflect.ValueOf(sched).Elem(), "", collect)
	require.Greater(t, len(paths), 20, "the scenario should hold a Duration of every kind")

	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			sc := full()
			if strings.Contains(path, "phases") {
				sc = chain(Sync, ms(1), svc("api", ms(10)))
				sc.Nodes[0].Workload = &Workload{Type: Schedule, Phases: []RatePhase{{Duration: Second, Rate: 1}}}
			}
			found := false
			eachDuration(reflect.ValueOf(sc).Elem(), "", func(p string, d reflect.Value) {
				if p == path {
					d.SetInt(int64(Horizon + 1))
					found = true
				}
			})
			require.True(t, found)
			assert.Contains(t, problemsByField(sc), path, "checkTimes must bound %s", path)
		})
	}
}
