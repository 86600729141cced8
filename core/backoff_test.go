package core

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// delays returns the waits before retries 1..n, feeding each back as the
// previous delay, as a caller retrying in a loop would.
func delays(p *RetryPolicy, r *stream, n int) []Duration {
	out := make([]Duration, n)
	var prev Duration
	for i := range n {
		prev = p.delay(i+1, prev, r)
		out[i] = prev
	}
	return out
}

func TestBackoffWithoutJitterIsExactlyExponential(t *testing.T) {
	tests := []struct {
		name   string
		policy RetryPolicy
		want   []Duration
	}{
		{
			name:   "base 100ms doubles by default",
			policy: RetryPolicy{Base: ms(100)},
			want:   []Duration{ms(100), ms(200), ms(400), ms(800), ms(1600)},
		},
		{
			name:   "a cap of 1s holds once reached",
			policy: RetryPolicy{Base: ms(100), Multiplier: 2, Cap: Second},
			want:   []Duration{ms(100), ms(200), ms(400), ms(800), Second, Second, Second},
		},
		{
			name:   "a multiplier of 1.5 is applied by repeated multiplication",
			policy: RetryPolicy{Base: ms(100), Multiplier: 1.5, Jitter: "none"},
			want:   []Duration{ms(100), ms(150), ms(225), Duration(337_500_000), Duration(506_250_000)},
		},
		{
			name:   "a multiplier of 1 gives a constant wait",
			policy: RetryPolicy{Base: ms(50), Multiplier: 1},
			want:   []Duration{ms(50), ms(50), ms(50)},
		},
		{
			name:   "no base means retrying at once",
			policy: RetryPolicy{},
			want:   []Duration{0, 0, 0},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newStream(1, "retry")
			assert.Equal(t, tc.want, delays(&tc.policy, r, len(tc.want)))
		})
	}
}

func TestBackoffWithoutJitterNeverOverflows(t *testing.T) {
	p := &RetryPolicy{Base: Second, Multiplier: 10}
	r := newStream(1, "retry")
	d := p.delay(100, 0, r)
	assert.Equal(t, maxDuration, d, "an uncapped ceiling stops at maxDuration")
	assert.Equal(t, maxDuration, p.delay(1_000_000, 0, r))
}

func TestBackoffWithFullJitterStaysUnderTheCeilingAndAveragesHalfOfIt(t *testing.T) {
	p := &RetryPolicy{Base: ms(100), Cap: Second, Jitter: "full"}
	r := newStream(7, "full")
	for n := 1; n <= 6; n++ {
		bound := min(ms(100)<<(n-1), Second)
		const draws = 20000
		var sum float64
		for range draws {
			d := p.delay(n, 0, r)
			require.GreaterOrEqual(t, d, Duration(0), "retry %d", n)
			require.LessOrEqual(t, d, bound, "retry %d", n)
			sum += float64(d)
		}
		mean := sum / draws
		assert.InEpsilon(t, float64(bound)/2, mean, 0.02, "retry %d: mean %v of bound %v", n, Duration(mean), bound)
	}
}

func TestBackoffWithEqualJitterStaysInTheUpperHalfOfTheCeiling(t *testing.T) {
	p := &RetryPolicy{Base: ms(100), Cap: Second, Jitter: "equal"}
	r := newStream(7, "equal")
	for n := 1; n <= 6; n++ {
		bound := min(ms(100)<<(n-1), Second)
		var sum float64
		const draws = 20000
		for range draws {
			d := p.delay(n, 0, r)
			require.GreaterOrEqual(t, d, bound/2, "retry %d", n)
			require.LessOrEqual(t, d, bound, "retry %d", n)
			sum += float64(d)
		}
		assert.InEpsilon(t, 0.75*float64(bound), sum/draws, 0.02, "retry %d", n)
	}
}

func TestBackoffWithDecorrelatedJitterFollowsItsRecurrence(t *testing.T) {
	base, limit := ms(10), Second
	p := &RetryPolicy{Base: base, Cap: limit, Jitter: "decorrelated"}
	r := newStream(3, "decorrelated")
	reachedCap := false
	for run := range 200 {
		prev := Duration(0)
		for n := 1; n <= 20; n++ {
			d := p.delay(n, prev, r)
			from := prev
			if n == 1 {
				from = base // the blog starts from sleep = base
			}
			upper := min(3*from, limit)
			require.GreaterOrEqual(t, d, base, "run %d retry %d", run, n)
			require.LessOrEqual(t, d, upper, "run %d retry %d after %v", run, n, prev)
			reachedCap = reachedCap || d == limit
			prev = d
		}
	}
	assert.True(t, reachedCap, "twenty retries should sometimes grow to the cap")
}

func TestBackoffWithDecorrelatedJitterIgnoresPrevOnTheFirstRetry(t *testing.T) {
	p := &RetryPolicy{Base: ms(10), Jitter: "decorrelated"}
	a := p.delay(1, 0, newStream(5, "x"))
	b := p.delay(1, Minute, newStream(5, "x"))
	assert.Equal(t, a, b)
	assert.LessOrEqual(t, a, ms(30))
}

func TestRetryPresetGRPCConnectionResolvesToGRPCsConnectionBackoff(t *testing.T) {
	got := (&RetryPolicy{Preset: "grpc-connection"}).resolved()
	assert.Equal(t, RetryPolicy{
		Preset:      "grpc-connection",
		MaxAttempts: 3,
		Base:        Second,
		Multiplier:  1.6,
		Cap:         120 * Second,
		Jitter:      "proportional",
		Spread:      0.2,
	}, got)
}

// gRPC's connection backoff (doc/connection-backoff.md): the first wait is
// INITIAL_BACKOFF exactly; each later one is min(previous·1.6, 120s) with
// ±20% jitter applied after the cap, so waits past the cap reach 144s.
func TestGRPCConnectionBackoffFollowsTheSpec(t *testing.T) {
	p := &RetryPolicy{Preset: "grpc-connection"}
	r := newStream(11, "grpc-connection")
	for range 100 {
		require.Equal(t, Second, p.delay(1, 0, r), "the first wait is the initial backoff, without jitter")
	}
	ceiling := 1.6 // seconds: 1.6^(n−1), built the same way the code does
	var longest Duration
	for n := 2; n <= 14; n++ {
		exp := Duration(min(ceiling, 120) * float64(Second))
		lo, hi := Duration(0.8*float64(exp)), Duration(1.2*float64(exp))
		for range 2000 {
			d := p.delay(n, 0, r)
			require.GreaterOrEqual(t, d, lo-1, "retry %d", n)
			require.LessOrEqual(t, d, hi+1, "retry %d", n)
			longest = max(longest, d)
		}
		ceiling = float64(ceiling * 1.6)
	}
	assert.Greater(t, longest, 140*Second, "jitter applies after the cap, so waits go past 120s")
	assert.LessOrEqual(t, longest, 144*Second)
}

func TestRetryPresetGRPCRetryResolvesToA6sExample(t *testing.T) {
	got := (&RetryPolicy{Preset: "grpc-retry"}).resolved()
	assert.Equal(t, RetryPolicy{
		Preset:      "grpc-retry",
		MaxAttempts: 4,
		Base:        100 * Millisecond,
		Multiplier:  2,
		Cap:         Second,
		Jitter:      "full",
		RetryOn:     []string{"unavailable"},
	}, got)
}

// gRPC's retry policy (gRFC A6): retry n waits
// random(0, min(initialBackoff·multiplier^(n−1), maxBackoff)). Each
// retry's waits are uniform on that range: their mean is half the ceiling
// and their quartiles a quarter and three quarters, within a few standard
// errors over 20,000 draws.
func TestGRPCRetryPolicyWaitsFollowFullJitter(t *testing.T) {
	p := &RetryPolicy{Preset: "grpc-retry"}
	r := newStream(7, "grpc-retry")
	const draws = 20000
	for n, ceiling := range map[int]Duration{1: ms(100), 2: ms(200), 3: ms(400), 4: ms(800), 5: Second, 8: Second} {
		var sum float64
		below := [3]int{}
		for range draws {
			d := p.delay(n, 0, r)
			require.GreaterOrEqual(t, d, Duration(0))
			require.LessOrEqual(t, d, ceiling)
			x := float64(d) / float64(ceiling)
			sum += x
			for i, q := range []float64{0.25, 0.5, 0.75} {
				if x < q {
					below[i]++
				}
			}
		}
		// Uniform(0,1): mean 1/2 with SE sqrt(1/12/draws) ≈ 0.002.
		assert.InDelta(t, 0.5, sum/draws, 5*math.Sqrt(1.0/12/draws), "retry %d: mean", n)
		for i, q := range []float64{0.25, 0.5, 0.75} {
			se := math.Sqrt(q * (1 - q) / draws)
			assert.InDelta(t, q, float64(below[i])/draws, 5*se, "retry %d: share below %.2f of the ceiling", n, q)
		}
	}
}

func TestRetryPolicyFieldsSetExplicitlyOverrideThePreset(t *testing.T) {
	got := (&RetryPolicy{Preset: "grpc-connection", MaxAttempts: 5, Base: ms(200), Cap: 10 * Second, Jitter: "full"}).resolved()
	assert.Equal(t, RetryPolicy{
		Preset:      "grpc-connection",
		MaxAttempts: 5,
		Base:        ms(200),
		Multiplier:  1.6,
		Cap:         10 * Second,
		Jitter:      "full",
		Spread:      0, // the preset's spread means nothing to full jitter
	}, got)
}

func TestRetryPolicyResolvesMissingFieldsToTheDefaults(t *testing.T) {
	want := RetryPolicy{MaxAttempts: 3, Multiplier: 2, Jitter: "none"}
	assert.Equal(t, want, (&RetryPolicy{}).resolved())
	var nilPolicy *RetryPolicy
	assert.Equal(t, want, nilPolicy.resolved())
}

func TestRetryPolicyResolvedTwiceIsUnchanged(t *testing.T) {
	for _, p := range []RetryPolicy{
		{},
		{Preset: "grpc-connection"},
		{Preset: "grpc-retry"},
		{Preset: "grpc-connection", Jitter: "equal"},
		{Base: ms(5), Multiplier: 3, Cap: Second, Jitter: "proportional", Spread: 0.5, MaxAttempts: 7},
	} {
		once := p.resolved()
		assert.Equal(t, once, once.resolved(), "%+v", p)
	}
}

func TestRetryPolicyValidation(t *testing.T) {
	tests := []struct {
		name   string
		policy *RetryPolicy
		field  string // "" means valid
		msg    string // a fragment of the message
	}{
		{name: "a nil policy is valid", policy: nil},
		{name: "an empty policy is refused: it would turn retries on with every default", policy: &RetryPolicy{}, field: "retry", msg: "is empty"},
		{name: "the grpc-connection preset is valid", policy: &RetryPolicy{Preset: "grpc-connection"}},
		{name: "the grpc-retry preset is valid", policy: &RetryPolicy{Preset: "grpc-retry"}},
		{name: "grpc-retry allows 5 attempts", policy: &RetryPolicy{Preset: "grpc-retry", MaxAttempts: 5}},
		{name: "grpc-retry refuses a sixth attempt, as gRPC would not make it", policy: &RetryPolicy{Preset: "grpc-retry", MaxAttempts: 6}, field: "retry.maxAttempts", msg: "at most 5"},
		{name: "the old grpc preset names gRPC's two backoffs", policy: &RetryPolicy{Preset: "grpc"}, field: "retry.preset", msg: "\"grpc-connection\" (reconnecting"},
		{name: "a full policy is valid", policy: &RetryPolicy{MaxAttempts: 5, Base: ms(100), Multiplier: 1.5, Cap: Second, Jitter: "full"}},
		{name: "spread is valid with proportional jitter", policy: &RetryPolicy{Base: ms(100), Jitter: "proportional", Spread: 0.5}},
		{name: "spread is valid with the grpc-connection preset", policy: &RetryPolicy{Preset: "grpc-connection", Spread: 0.1}},
		{name: "an unknown preset is named with the valid ones", policy: &RetryPolicy{Preset: "aws"}, field: "retry.preset", msg: "grpc-connection or grpc-retry"},
		{name: "an unknown jitter is named with the valid ones", policy: &RetryPolicy{Jitter: "random"}, field: "retry.jitter", msg: "none, full, equal, decorrelated, proportional"},
		{name: "a negative base is refused", policy: &RetryPolicy{Base: -1}, field: "retry.base", msg: "negative"},
		{name: "a negative cap is refused", policy: &RetryPolicy{Cap: -1}, field: "retry.cap", msg: "negative"},
		{name: "a multiplier below 1 would shrink the waits", policy: &RetryPolicy{Multiplier: 0.5}, field: "retry.multiplier", msg: "at least 1"},
		{name: "a negative multiplier is refused", policy: &RetryPolicy{Multiplier: -2}, field: "retry.multiplier", msg: "at least 1"},
		{name: "a NaN multiplier is refused", policy: &RetryPolicy{Multiplier: math.NaN()}, field: "retry.multiplier", msg: "at least 1"},
		{name: "negative attempts are refused", policy: &RetryPolicy{MaxAttempts: -1}, field: "retry.maxAttempts", msg: "between 1 and 100"},
		{name: "more than 100 attempts are refused", policy: &RetryPolicy{MaxAttempts: 101}, field: "retry.maxAttempts", msg: "between 1 and 100"},
		{name: "a spread of 1 could make the wait 0", policy: &RetryPolicy{Jitter: "proportional", Spread: 1}, field: "retry.spread", msg: "less than 1"},
		{name: "a negative spread is refused", policy: &RetryPolicy{Jitter: "proportional", Spread: -0.1}, field: "retry.spread", msg: "at least 0"},
		{name: "spread without proportional jitter is refused", policy: &RetryPolicy{Jitter: "full", Spread: 0.2}, field: "retry.spread", msg: "proportional"},
		{name: "spread with the default jitter is refused", policy: &RetryPolicy{Spread: 0.2}, field: "retry.spread", msg: "proportional"},
		{name: "a cap below the base is refused", policy: &RetryPolicy{Base: Second, Cap: ms(500)}, field: "retry.cap", msg: "at least base (1s)"},
		{name: "a cap below the preset's base is refused", policy: &RetryPolicy{Preset: "grpc-connection", Cap: ms(500)}, field: "retry.cap", msg: "at least base (1s)"},
		{name: "decorrelated jitter needs a base", policy: &RetryPolicy{Jitter: "decorrelated"}, field: "retry.base", msg: "greater than 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var errs Errors
			tc.policy.validate("retry", &errs)
			if tc.field == "" {
				assert.Empty(t, errs)
				return
			}
			require.Len(t, errs, 1, "%v", errs)
			assert.Equal(t, tc.field, errs[0].Field)
			assert.Contains(t, errs[0].Message, tc.msg)
		})
	}
}

func TestBackoffIsDeterministicForAGivenSeed(t *testing.T) {
	for _, jitter := range []string{"none", "full", "equal", "decorrelated", "proportional"} {
		t.Run(jitter, func(t *testing.T) {
			p := &RetryPolicy{Base: ms(10), Cap: 5 * Second, Jitter: jitter}
			if jitter == "proportional" {
				p.Spread = 0.3
			}
			a := delays(p, newStream(42, "client"), 12)
			b := delays(p, newStream(42, "client"), 12)
			assert.Equal(t, a, b)
			if jitter != "none" {
				c := delays(p, newStream(43, "client"), 12)
				assert.NotEqual(t, a, c, "another seed should give other delays")
			}
		})
	}
}

func TestBackoffTakesOneDrawForRandomJitterAndNoneOtherwise(t *testing.T) {
	tests := []struct {
		name   string
		policy RetryPolicy
		draws  int
	}{
		{"the default jitter draws nothing", RetryPolicy{Base: ms(10)}, 0},
		{"no jitter draws nothing", RetryPolicy{Base: ms(10), Jitter: "none"}, 0},
		{"full jitter draws once", RetryPolicy{Base: ms(10), Jitter: "full"}, 1},
		{"equal jitter draws once", RetryPolicy{Base: ms(10), Jitter: "equal"}, 1},
		{"decorrelated jitter draws once", RetryPolicy{Base: ms(10), Jitter: "decorrelated"}, 1},
		{"proportional jitter draws once", RetryPolicy{Base: ms(10), Jitter: "proportional", Spread: 0.2}, 1},
		{"the grpc-connection preset draws once", RetryPolicy{Preset: "grpc-connection"}, 1},
		{"the grpc-retry preset draws once", RetryPolicy{Preset: "grpc-retry"}, 1},
		{"full jitter draws once even when the ceiling is 0", RetryPolicy{Jitter: "full"}, 1},
		{"full jitter draws once even at the cap", RetryPolicy{Base: Second, Cap: Second, Jitter: "full"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			const calls = 10
			used := newStream(9, "draws")
			delays(&tc.policy, used, calls)
			fresh := newStream(9, "draws")
			for range tc.draws * calls {
				fresh.uniform()
			}
			assert.Equal(t, fresh.uniform(), used.uniform(), "the stream should have moved by exactly %d draws", tc.draws*calls)
		})
	}
}

// TestBackoffDrawsMatchTheirPinnedValues pins a few jittered sequences so
// that a change in rounding, in the order of draws, or a difference between
// native and wasm builds (where an FMA could round differently) fails here.
func TestBackoffDrawsMatchTheirPinnedValues(t *testing.T) {
	tests := []struct {
		name   string
		policy RetryPolicy
		want   []Duration
	}{
		{
			name:   "full jitter",
			policy: RetryPolicy{Base: ms(100), Multiplier: 1.7, Cap: 10 * Second, Jitter: "full"},
			want:   []Duration{60144598, 48993016, 48416716, 163773583, 622433143, 1262284872, 975223705, 2797460085},
		},
		{
			name:   "equal jitter",
			policy: RetryPolicy{Base: ms(100), Multiplier: 1.7, Cap: 10 * Second, Jitter: "equal"},
			want:   []Duration{80072299, 109496508, 168708358, 327536792, 728821572, 1341070936, 1694490302, 3450423408},
		},
		{
			name:   "decorrelated jitter",
			policy: RetryPolicy{Base: ms(100), Cap: 10 * Second, Jitter: "decorrelated"},
			want:   []Duration{220289196, 261638792, 214745335, 281419663, 654652676, 1757100694, 2189347264, 4509549948},
		},
		{
			// The same draws as before the first wait lost its jitter (it
			// was 1040578392): only the first wait changed.
			name:   "the grpc-connection preset",
			policy: RetryPolicy{Preset: "grpc-connection"},
			want:   []Duration{1000000000, 1464444295, 2219552655, 3822956398, 7196485846, 12117438782, 16133154173, 28795009040},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, delays(&tc.policy, newStream(2024, "pinned"), len(tc.want)))
		})
	}
}

// retryOn names the failures a policy retries, as gRPC's
// retryableStatusCodes do; gRPC's retry policy example retries
// UNAVAILABLE alone, so a handler's error is not retried unless named.
func TestRetryOnNamesTheFailuresRetried(t *testing.T) {
	flaky := func(on []string) *Scenario {
		sc := chain(Sync, Millisecond,
			Node{ID: "api", Kind: Service, Retry: &RetryPolicy{Preset: "grpc-retry", RetryOn: on}},
			Node{ID: "flaky", Kind: Service, ServiceTime: Fixed(ms(5)), FailureRate: 1},
		)
		return sc
	}
	_, e := run(t, flaky(nil))
	assert.Zero(t, count(e.Trace(), RecRetry), "grpc-retry retries UNAVAILABLE alone; a failing handler is INTERNAL")
	_, e = run(t, flaky([]string{"internal"}))
	assert.Equal(t, 3, count(e.Trace(), RecRetry), "named, it is retried: 4 attempts in all")

	down := flaky(nil)
	down.Nodes[2].FailureRate = 0
	down.Faults = []Fault{{Type: Down, Node: "flaky", At: 0, Until: Second}}
	_, e = run(t, down)
	assert.Equal(t, 3, count(e.Trace(), RecRetry), "a callee that is down is UNAVAILABLE: retried")

	var errs Errors
	(&RetryPolicy{MaxAttempts: 2, RetryOn: []string{"unavailable", "teapot"}}).validate("retry", &errs)
	require.Len(t, errs, 1)
	assert.Equal(t, "retry.retryOn[1]", errs[0].Field)
	assert.Contains(t, errs[0].Message, "unavailable, resource-exhausted, deadline-exceeded, internal")
}
