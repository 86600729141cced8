package core

import (
	"reflect"

	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// The knobs of the lessons' steps (see Knob), one function each, so that
// lessons.go names a step's knob in one line. Each Shows checks, from the
// two runs, the one thing the knob's label promises.

// unequalFetchesKnob makes the gathered fetches unequal: fetch_orders
// and fetch_reviews take unequalOrders and unequalReviews, fetch_user
// keeps the example's time. The label and help say the values the
// knob sets, written from the same constants.
func unequalFetchesKnob() Knob {
	const unequalOrders, unequalReviews = 250 * Millisecond, 40 * Millisecond
	orders, reviews := unequalOrders.Short(), unequalReviews.Short()
	return Knob{
		ID: "unequal-fetches", Kind: KnobButton,
		Label:   "Make fetch_orders " + orders + " and fetch_reviews " + reviews,
		Help:    "Sets fetch_orders to " + orders + " and fetch_reviews to " + reviews + "; fetch_user keeps its time. Press again to make them equal again.",
		Default: 0, Target: 1,
		Apply: func(sc *Scenario, v float64) {
			if v == 1 {
				sc.Nodes[sc.NodeIndex("fetch_orders")].ServiceTime = Fixed(unequalOrders)
				sc.Nodes[sc.NodeIndex("fetch_reviews")].ServiceTime = Fixed(unequalReviews)
			}
		},
		Shows: func(before, after *LessonRun) error {
			// The caller waits for the slowest fetch of each run, read from
			// its scenario.
			for _, r := range []*LessonRun{before, after} {
				var slowest Duration
				for _, id := range []string{"fetch_user", "fetch_orders", "fetch_reviews"} {
					slowest = max(slowest, r.Scenario.Nodes[r.Scenario.NodeIndex(id)].ServiceTime.MeanValue())
				}
				if r.Report.UserLatency.Max != slowest {
					return fmtlite.Errorf("fetch_all took %s, not the slowest fetch's %s", r.Report.UserLatency.Max, slowest)
				}
			}
			if before.Report.UserLatency.Max == after.Report.UserLatency.Max {
				return errUnchanged
			}
			return nil
		},
	}
}

// emailSlowerKnob makes the email subscriber ten times slower.
func emailSlowerKnob() Knob {
	return Knob{
		ID: "email-slower", Kind: KnobSwitch,
		Label:   "Email ten times slower",
		Help:    "Multiplies the email service's time per message by ten. Inventory, analytics and the order service are not touched.",
		Default: 0, Target: 1,
		Apply: func(sc *Scenario, v float64) {
			n := &sc.Nodes[sc.NodeIndex("email")]
			if v == 1 && n.ServiceTime != nil {
				d := *n.ServiceTime
				d.Median, d.Mean, d.Value = 10*d.Median, 10*d.Mean, 10*d.Value
				n.ServiceTime = &d
			}
		},
		Shows: func(before, after *LessonRun) error {
			b, a := nodeReport(before.Report, "email"), nodeReport(after.Report, "email")
			switch {
			case a.MeanSojourn < 5*b.MeanSojourn:
				return fmtlite.Errorf("email took %s a message, against %s before: %w", a.MeanSojourn, b.MeanSojourn, errUnchanged)
			case nodeReport(after.Report, "inventory").MeanSojourn != nodeReport(before.Report, "inventory").MeanSojourn:
				return fmtlite.Errorf("inventory changed when email slowed down")
			case !reflect.DeepEqual(before.Report.UserLatency, after.Report.UserLatency):
				return fmtlite.Errorf("the shoppers' wait changed when email slowed down")
			}
			return nil
		},
	}
}

// asyncWorkersKnob sets how many workers take orders off the queue.
func asyncWorkersKnob() Knob {
	return Knob{
		ID: "workers", Kind: KnobSlider, Unit: "workers",
		Label: "Workers",
		// 400 orders a second arrive during the burst; each worker serves
		// about 10 a second, so up to 30 workers the burst still outruns them.
		Help: "How many workers take orders off the queue. The shoppers are not touched.",
		Min:  5, Max: 30, Step: 5, Default: 10, Target: 20,
		Apply: func(sc *Scenario, v float64) { sc.Nodes[sc.NodeIndex("orders")].Concurrency = int(v) },
		Shows: func(before, after *LessonRun) error {
			b, a := before.Report, after.Report
			switch {
			case nodeReport(a, "queue").MaxDepth >= nodeReport(b, "queue").MaxDepth || a.Staleness.Mean >= b.Staleness.Mean:
				return fmtlite.Errorf("more workers should drain the queue sooner: %w", errUnchanged)
			case a.UserLatency.P50 != b.UserLatency.P50 || a.Requests.TimedOut != b.Requests.TimedOut:
				return fmtlite.Errorf("the shoppers' wait changed with the number of workers")
			}
			return nil
		},
	}
}

// gatewayNetworkKnob sets the network latency between client and gateway.
func gatewayNetworkKnob() Knob {
	return Knob{
		ID: "gateway-network", Kind: KnobSlider, Unit: "ms",
		Label: "Network, client ↔ gateway",
		Help:  "The one-way latency of the client's call to the gateway, in milliseconds; the gateway's own calls keep theirs.",
		Min:   0, Max: 30, Step: 5, Default: 0, Target: 10,
		Apply: func(sc *Scenario, v float64) {
			for i := range sc.Edges {
				if sc.Edges[i].From == "client" && sc.Edges[i].To == "gateway" {
					sc.Edges[i].Latency = Fixed(Duration(v) * Millisecond)
				}
			}
		},
		Shows: func(before, after *LessonRun) error {
			// The latency is paid there and back.
			added := after.Report.UserLatency.P50 - before.Report.UserLatency.P50
			if added != 2*10*Millisecond {
				return fmtlite.Errorf("10ms each way added %s to the median page, not 20ms: %w", added, errUnchanged)
			}
			return nil
		},
	}
}

// smsRateKnob sets the SMS rate limiter's rate.
func smsRateKnob() Knob {
	return Knob{
		ID: "sms-rate", Kind: KnobSlider, Unit: "per second",
		Label: "SMS rate limit",
		Help:  "How many SMS a second the rate limiter lets through to the provider. Email and push do not pass through it.",
		Min:   1, Max: 10, Step: 1, Default: 5, Target: 2,
		Apply: func(sc *Scenario, v float64) { sc.Nodes[sc.NodeIndex("sms-limit")].Rate = v },
		Shows: func(before, after *LessonRun) error {
			for _, id := range []string{"email-q", "push-q"} {
				if nodeReport(before.Report, id).MeanWait != nodeReport(after.Report, id).MeanWait {
					return fmtlite.Errorf("%s's wait changed with the SMS rate limit", id)
				}
			}
			if nodeReport(after.Report, "sms-q").MeanWait == nodeReport(before.Report, "sms-q").MeanWait {
				return errUnchanged
			}
			return nil
		},
	}
}

// dedupeKnob turns the outbox consumer's dedupe store on and off.
func dedupeKnob() Knob {
	return Knob{
		ID: "dedupe", Kind: KnobSwitch,
		Label:   "Dedupe store",
		Help:    "On: the consumer remembers the events it handled and skips a second copy (idempotent). Off: it handles every copy it gets.",
		Default: 1, Target: 0,
		Apply: func(sc *Scenario, v float64) { sc.Nodes[sc.NodeIndex("consumer")].Idempotent = v == 1 },
		Shows: func(before, after *LessonRun) error {
			b, a := before.Report.Counts, after.Report.Counts
			switch {
			case b.DuplicatesProcessed != 0 || b.DuplicatesSkipped == 0:
				return fmtlite.Errorf("with the store on, duplicates should be skipped: %d skipped, %d handled", b.DuplicatesSkipped, b.DuplicatesProcessed)
			case a.DuplicatesProcessed != b.DuplicatesSkipped:
				return fmtlite.Errorf("with the store off, the %d duplicates should be handled, not %d: %w", b.DuplicatesSkipped, a.DuplicatesProcessed, errUnchanged)
			}
			return nil
		},
	}
}
