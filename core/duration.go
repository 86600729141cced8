package core

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/sync-vs-async/playground/core/internal/jsonlite"
	"github.com/sync-vs-async/playground/internal/fmtlite"
)

var durationType = reflect.TypeFor[Duration]()

// badValue reports a value of the wrong shape in the error type that the
// JSON reader decorates with the field's path.
func badValue(got string, want reflect.Type) error {
	return &jsonlite.UnmarshalTypeError{Value: got, Type: want}
}

// Duration is a span of virtual time in nanoseconds. Scenario files write it
// as a Go duration string ("10ms", "1.5s", "2m"); a bare JSON number is
// read as milliseconds, because that is what people type by hand.
type Duration int64

// Common durations, for building scenarios in Go.
const (
	Nanosecond  Duration = 1
	Microsecond          = 1000 * Nanosecond
	Millisecond          = 1000 * Microsecond
	Second               = 1000 * Millisecond
	Minute               = 60 * Second
)

// String formats d like time.Duration does ("1.5s").
func (d Duration) String() string { return time.Duration(d).String() }

// Seconds returns d as a floating-point number of seconds.
func (d Duration) Seconds() float64 { return float64(d) / float64(Second) }

// Milliseconds returns d as a floating-point number of milliseconds.
func (d Duration) Milliseconds() float64 { return float64(d) / float64(Millisecond) }

// MarshalJSON writes d as a duration string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return jsonlite.Marshal(d.String())
}

// UnmarshalJSON reads a duration string or a number of milliseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := jsonlite.Unmarshal(b, &s); err != nil {
			return err
		}
		v, err := time.ParseDuration(s)
		if err != nil {
			return badValue(fmtlite.Sprintf("%q", s), durationType)
		}
		*d = Duration(v)
		return nil
	}
	v, ok := parseMillis(string(b))
	if !ok {
		return badValue(string(b), durationType)
	}
	*d = v
	return nil
}

// parseMillis reads a number of milliseconds ("150", "2.5"), the other way a
// scenario may write a duration, within the range a Duration holds (the
// validator then bounds it by Horizon or MaxDuration, naming the field).
func parseMillis(s string) (Duration, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.Abs(f) >= float64(math.MaxInt64)/float64(Millisecond) {
		return 0, false
	}
	return Duration(f * float64(Millisecond)), true
}

// Short formats d for people, short enough for a sentence or a row label:
// 0.1µs precision below a millisecond, 0.1ms below a second, 1ms below a
// minute ("238.9ms", "2.005s", "1m15.2s").
func (d Duration) Short() string {
	switch {
	case d < 0:
		return "-" + (-d).Short()
	case d == 0:
		return "0s"
	case d < Millisecond:
		return trimFloat(float64(d)/float64(Microsecond), 1) + "µs"
	case d < Second:
		return trimFloat(d.Milliseconds(), 1) + "ms"
	case d < Minute:
		return trimFloat(d.Seconds(), 3) + "s"
	}
	m := d / Minute
	return strconv.FormatInt(int64(m), 10) + "m" + trimFloat((d-m*Minute).Seconds(), 1) + "s"
}

// trimFloat formats v with at most prec decimals and no trailing zeros.
func trimFloat(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
