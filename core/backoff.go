package core

import (
	"math"
	"reflect"
	"slices"
	"strings"

	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// RetryPolicy says how often and how long to wait before trying again.
//
// The waits follow the AWS Architecture Blog's "Exponential Backoff And
// Jitter": an exponential ceiling base·multiplier^(n−1), capped, and then one
// of the blog's jitters (none, full, equal, decorrelated) or gRPC's
// proportional ±spread. Decorrelated jitter grows from its own previous
// delay rather than from the multiplier. gRPC has two backoffs, each a
// preset: its connection backoff (reconnecting a channel) and the retry
// policy of its RPC retry design (retrying a call). Retries that all wait the same time arrive together
// and overload the server again; jitter spreads them out, and the simulator
// shows the difference.
type RetryPolicy struct {
	Preset      string   `json:"preset,omitempty"`      // "grpc-connection" or "grpc-retry", see presets
	MaxAttempts int      `json:"maxAttempts,omitempty"` // attempts in all, including the first; ≥ 1 (0 = the preset's or 3)
	Base        Duration `json:"base,omitempty"`
	Multiplier  float64  `json:"multiplier,omitempty"` // 0 = 2 (or the preset's)
	Cap         Duration `json:"cap,omitempty"`        // 0 = no cap
	Jitter      string   `json:"jitter,omitempty"`     // "none" (default), "full", "equal", "decorrelated", "proportional"
	Spread      float64  `json:"spread,omitempty"`     // for proportional: each delay after the first is multiplied by a uniform factor in [1−spread, 1+spread]
	// RetryOn lists the failures retried, by gRPC status code:
	// "unavailable" (the callee is down or crashed), "resource-exhausted"
	// (a full line or queue, or a rate limit), "deadline-exceeded" (a
	// timeout) and "internal" (the handler or its own call failed). Empty
	// retries every failure, but for grpc-retry, whose example policy
	// retries "unavailable" alone (retryableStatusCodes).
	RetryOn []string `json:"retryOn,omitempty"`
}

// The failures a retry policy can name in RetryOn, as gRPC status codes
// (https://grpc.io/docs/guides/status-codes/).
const (
	codeUnavailable       = "unavailable"
	codeResourceExhausted = "resource-exhausted"
	codeDeadlineExceeded  = "deadline-exceeded"
	codeInternal          = "internal"
)

var statusCodes = []string{codeUnavailable, codeResourceExhausted, codeDeadlineExceeded, codeInternal}

// statusCode is the gRPC status code a caller sees for a failure.
func statusCode(r Reason) string {
	switch r {
	case ReasonNodeDown, ReasonCrash:
		return codeUnavailable
	case ReasonLineFull, ReasonQueueFull, ReasonRateLimited:
		return codeResourceExhausted
	case ReasonTimeout:
		return codeDeadlineExceeded
	}
	return codeInternal
}

// retries reports whether the resolved policy p retries a failure for reason.
func (p *RetryPolicy) retries(reason Reason) bool {
	return len(p.RetryOn) == 0 || slices.Contains(p.RetryOn, statusCode(reason))
}

// The jitters a RetryPolicy can apply.
const (
	jitterNone         = "none"         // exactly the exponential ceiling
	jitterFull         = "full"         // uniform in [0, ceiling]
	jitterEqual        = "equal"        // half the ceiling plus uniform in [0, ceiling/2]
	jitterDecorrelated = "decorrelated" // min(cap, uniform in [base, 3·previous delay])
	jitterProportional = "proportional" // gRPC's: base, then ceiling × uniform in [1−spread, 1+spread]
)

// The presets, gRPC's two backoffs.
const (
	// presetGRPCConnection is gRPC's connection backoff, for reconnecting
	// a channel (https://github.com/grpc/grpc/blob/master/doc/connection-backoff.md):
	// INITIAL_BACKOFF 1s, MULTIPLIER 1.6, JITTER 0.2, MAX_BACKOFF 120s. Its
	// first wait is INITIAL_BACKOFF itself; each later one is
	// min(previous·MULTIPLIER, MAX_BACKOFF) with ±JITTER applied after the
	// cap, so a wait can reach 144s.
	presetGRPCConnection = "grpc-connection"
	// presetGRPCRetry is the retry policy of gRPC's RPC retry design
	// (https://github.com/grpc/proposal/blob/master/A6-client-retries.md),
	// with the values of its example: maxAttempts 4, initialBackoff 0.1s,
	// maxBackoff 1s, backoffMultiplier 2. Retry n waits
	// random(0, min(initialBackoff·backoffMultiplier^(n−1), maxBackoff)):
	// full jitter. gRPC allows at most 5 attempts.
	presetGRPCRetry = "grpc-retry"
	// maxGRPCRetryAttempts is A6's limit: "values greater than 5 are
	// treated as 5".
	maxGRPCRetryAttempts = 5
)

var (
	jitterKinds = []string{jitterNone, jitterFull, jitterEqual, jitterDecorrelated, jitterProportional}
	presetNames = []string{presetGRPCConnection, presetGRPCRetry}
	presets     = map[string]RetryPolicy{
		presetGRPCConnection: {Base: Second, Multiplier: 1.6, Cap: 120 * Second, Jitter: jitterProportional, Spread: 0.2},
		presetGRPCRetry:      {MaxAttempts: 4, Base: 100 * Millisecond, Multiplier: 2, Cap: Second, Jitter: jitterFull, RetryOn: []string{codeUnavailable}},
	}
)

const (
	defaultMaxAttempts = 3
	defaultMultiplier  = 2
	maxMaxAttempts     = 100
)

// validate reports what is wrong with p, naming fields under path. A nil
// policy (no retries configured) is valid.
func (p *RetryPolicy) validate(path string, errs *Errors) {
	if p == nil {
		return
	}
	// Every field unset (a new field is counted without touching this).
	q := *p
	q.RetryOn = nil
	if len(p.RetryOn) == 0 && reflect.ValueOf(q).IsZero() {
		// An empty policy would turn retries on with every default: say
		// so instead of guessing what was meant.
		errs.add(path, "is empty: set maxAttempts (attempts in all, the first included) or a preset, or leave retry out for no retries")
		return
	}
	switch _, ok := presets[p.Preset]; {
	case p.Preset == "grpc":
		errs.add(path+".preset", "gRPC has two backoffs: %q (reconnecting a channel: 1s, ×1.6, ±20%%, cap 120s) or %q (retrying a call: a random wait up to 0.1s, 0.2s, 0.4s… at most 1s)", presetGRPCConnection, presetGRPCRetry)
	case p.Preset != "" && !ok:
		errs.add(path+".preset", "unknown preset %q (want %s)", p.Preset, strings.Join(presetNames, " or "))
	}
	switch {
	case p.MaxAttempts != 0 && (p.MaxAttempts < 1 || p.MaxAttempts > maxMaxAttempts):
		errs.add(path+".maxAttempts", "must be between 1 and %d", maxMaxAttempts)
	case p.Preset == presetGRPCRetry && p.MaxAttempts > maxGRPCRetryAttempts:
		errs.add(path+".maxAttempts", "is at most %d with gRPC's retry policy (gRPC treats more as %d)", maxGRPCRetryAttempts, maxGRPCRetryAttempts)
	}
	if p.Base < 0 {
		errs.add(path+".base", "must not be negative")
	}
	if p.Multiplier != 0 && !(p.Multiplier >= 1 && p.Multiplier <= math.MaxFloat64) {
		errs.add(path+".multiplier", "must be at least 1")
	}
	if p.Cap < 0 {
		errs.add(path+".cap", "must not be negative")
	}
	for i, c := range p.RetryOn {
		if !slices.Contains(statusCodes, c) {
			errs.add(fmtlite.Sprintf("%s.retryOn[%d]", path, i), "unknown status code %q (want %s)", c, strings.Join(statusCodes, ", "))
		}
	}
	if p.Jitter != "" && !slices.Contains(jitterKinds, p.Jitter) {
		errs.add(path+".jitter", "unknown jitter %q (want %s)", p.Jitter, strings.Join(jitterKinds, ", "))
	}
	// The remaining checks concern the policy as it will run, preset
	// included: a cap below the preset's base is as wrong as one below an
	// explicit base.
	r := p.resolved()
	switch {
	case !(p.Spread >= 0 && p.Spread < 1):
		errs.add(path+".spread", "must be at least 0 and less than 1")
	case p.Spread != 0 && r.Jitter != jitterProportional:
		errs.add(path+".spread", "applies only to proportional jitter (jitter is %q)", r.Jitter)
	}
	if r.Cap > 0 && r.Base > 0 && r.Cap < r.Base {
		errs.add(path+".cap", "must be at least base (%s)", r.Base)
	}
	if r.Jitter == jitterDecorrelated && r.Base <= 0 && p.Base >= 0 {
		errs.add(path+".base", "must be greater than 0 for decorrelated jitter, which never grows from 0")
	}
}

// resolved returns the policy with its preset applied and every default
// filled in. Fields set explicitly override the preset's. Resolving twice
// gives the same result. A nil policy resolves to the defaults.
func (p *RetryPolicy) resolved() RetryPolicy {
	var r RetryPolicy
	if p != nil {
		r = presets[p.Preset]
		r.Preset = p.Preset
		if p.MaxAttempts != 0 {
			r.MaxAttempts = p.MaxAttempts
		}
		if p.Base != 0 {
			r.Base = p.Base
		}
		if p.Multiplier != 0 {
			r.Multiplier = p.Multiplier
		}
		if p.Cap != 0 {
			r.Cap = p.Cap
		}
		if p.Jitter != "" {
			r.Jitter = p.Jitter
		}
		if p.Spread != 0 {
			r.Spread = p.Spread
		}
		if len(p.RetryOn) > 0 {
			r.RetryOn = p.RetryOn
		}
	}
	if r.MaxAttempts == 0 {
		r.MaxAttempts = defaultMaxAttempts
	}
	if r.Multiplier == 0 {
		r.Multiplier = defaultMultiplier
	}
	if r.Jitter == "" {
		r.Jitter = jitterNone
	}
	if r.Jitter != jitterProportional {
		r.Spread = 0 // a preset's spread means nothing to another jitter
	}
	return r
}

// ceiling returns base·multiplier^(n−1), the un-jittered wait before retry
// n, capped at Cap (if set) and at maxDuration. The power is taken by
// repeated multiplication, which rounds the same way on every platform
// (math.Pow need not), and stops as soon as the cap is reached.
func (p *RetryPolicy) ceiling(n int) float64 {
	limit := float64(maxDuration)
	if p.Cap > 0 && p.Cap < maxDuration {
		limit = float64(p.Cap)
	}
	e := float64(p.Base)
	for i := 1; i < n && e > 0 && e < limit && p.Multiplier > 1; i++ {
		e = float64(e * p.Multiplier)
	}
	return min(e, limit)
}

// delay returns the wait before retry number n (n = 1 is the first retry,
// after the first attempt failed). prev is the previous delay, used only
// by decorrelated jitter; it is ignored for n = 1, where the blog starts
// from sleep = base. The random jitters take exactly one draw from r and
// "none" takes none, whatever the values, so adding retries to a node moves
// its stream by a predictable amount and traces stay reproducible.
func (p *RetryPolicy) delay(n int, prev Duration, r *stream) Duration {
	q := p.resolved()
	n = max(n, 1)
	limit := float64(maxDuration)
	if q.Cap > 0 && q.Cap < maxDuration {
		limit = float64(q.Cap)
	}
	switch q.Jitter {
	case jitterFull:
		// sleep = random_between(0, min(cap, base·2^attempt))
		e := q.ceiling(n)
		return toDuration(float64(e * r.uniform()))
	case jitterEqual:
		// temp = min(cap, base·2^attempt); sleep = temp/2 + random_between(0, temp/2)
		half := q.ceiling(n) / 2
		return toDuration(half + float64(half*r.uniform()))
	case jitterDecorrelated:
		// sleep = min(cap, random_between(base, sleep·3))
		if n == 1 || prev < q.Base {
			prev = q.Base
		}
		lo := float64(q.Base)
		hi := min(float64(float64(prev)*3), float64(maxDuration))
		return toDuration(min(lo+float64((hi-lo)*r.uniform()), limit))
	case jitterProportional:
		// gRPC's connection backoff: the first wait is the initial backoff
		// itself; later ones are the capped ceiling times a uniform factor
		// in [1−spread, 1+spread], jitter after the cap. The draw is taken
		// for the first wait too, so that every retry takes one.
		f := (1 - q.Spread) + float64(float64(2*q.Spread)*r.uniform())
		if n == 1 {
			return toDuration(q.ceiling(1))
		}
		return toDuration(min(float64(q.ceiling(n)*f), float64(maxDuration)))
	}
	return toDuration(q.ceiling(n))
}
