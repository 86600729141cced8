package core

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// What the lessons' corrected sentences need from a run: figures that were
// typed into the prose before (a client's timeout) and checks for claims
// that a single run cannot show (a wait that does not depend on a setting).

// addScenarioFigures adds the figures a lesson quotes from the scenario
// rather than the report: <id>.timeout for every node with a timeout, so
// that "their 1s timeout" is read from the run's own scenario, and
// <id>.maxReceiveCount for a queue with a redrive policy; and, from the
// trace, deadLetterBackoffs.
func addScenarioFigures(f map[string]string, run *LessonRun) {
	addDeadLetterFigures(f, run)
	sc := run.Scenario
	if sc == nil {
		return
	}
	for i := range sc.Nodes {
		n := &sc.Nodes[i]
		if n.Timeout > 0 {
			f[n.ID+".timeout"] = n.Timeout.Short()
		}
		if n.MaxReceiveCount > 0 {
			f[n.ID+".maxReceiveCount"] = strconv.Itoa(n.MaxReceiveCount)
		}
		if n.Retry != nil {
			addRetryFigures(f, n.ID, n.Retry.resolved())
		}
	}
}

// addRetryFigures adds a node's retry policy as a lesson states it, from
// the scenario: <id>.retryAttempts (attempts in all) and
// <id>.retryCeilings, the most each retry waits ("0.1s, 0.2s and 0.4s").
func addRetryFigures(f map[string]string, id string, p RetryPolicy) {
	f[id+".retryAttempts"] = strconv.Itoa(p.MaxAttempts)
	parts := make([]string, 0, max(p.MaxAttempts-1, 0))
	for n := 1; n < p.MaxAttempts; n++ {
		parts = append(parts, Duration(p.ceiling(n)).Short())
	}
	switch len(parts) {
	case 0:
	case 1:
		f[id+".retryCeilings"] = parts[0]
	default:
		f[id+".retryCeilings"] = strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
	}
}

// addDeadLetterFigures adds deadLetterBackoffs: the waits before each
// redelivery of the first dead-lettered request, as its trace records them
// ("1s, 2s and 4s").
func addDeadLetterFigures(f map[string]string, run *LessonRun) {
	if len(run.Report.DeadLetters) == 0 {
		return
	}
	waits := deadLetterWaits(run)
	if len(waits) == 0 {
		return
	}
	parts := make([]string, len(waits))
	for i, d := range waits {
		parts[i] = d.Short()
	}
	last := len(parts) - 1
	if last == 0 {
		f["deadLetterBackoffs"] = parts[0]
		return
	}
	f["deadLetterBackoffs"] = strings.Join(parts[:last], ", ") + " and " + parts[last]
}

// deadLetterWaits lists the back-offs the first dead-lettered request
// waited before each redelivery.
func deadLetterWaits(run *LessonRun) []Duration {
	req := run.Report.DeadLetters[0].Req
	var waits []Duration
	for _, r := range run.Trace {
		if r.Req == req && r.Kind == RecRetry {
			waits = append(waits, Duration(r.Value))
		}
	}
	return waits
}

// shopperWaitIgnoresWorkers checks the comparison's "a shopper's wait does
// not depend on how many workers there are": the async step's scenario is
// run again with half and with twice its workers, and every shopper's wait
// must come out the same. The queue answers the shopper when it has stored
// the order, before any worker sees it.
func shopperWaitIgnoresWorkers(runs []*LessonRun) error {
	async := runs[len(runs)-1]
	i := async.Scenario.NodeIndex("orders")
	if i < 0 {
		return fmtlite.Errorf("the async step has no node %q", "orders")
	}
	base := async.Scenario.Nodes[i].EffectiveConcurrency()
	for _, workers := range []int{max(base/2, 1), base * 2} {
		sc := async.Scenario.Clone()
		sc.Nodes[i].Concurrency = workers
		e, err := NewEngine(sc, Options{})
		if err != nil {
			return err
		}
		r := e.Run()
		if !reflect.DeepEqual(r.UserLatency, async.Report.UserLatency) || r.Requests.TimedOut != async.Report.Requests.TimedOut {
			return fmtlite.Errorf("with %d workers instead of %d the shoppers' median wait is %s, not %s", workers, base, r.UserLatency.P50, async.Report.UserLatency.P50)
		}
	}
	return nil
}

// seedRetries is the seed's "Failure ──▶ Retry (3 times)": one delivery
// and three retries before the dead letter queue.
const seedRetries = 3

// deadLetterAfterSeedRetries checks the dead-letters lesson's first step:
// the poison message is received 1 + seedRetries times, as the queue's
// maxReceiveCount allows, waits a doubling back-off before each retry, and
// every other message is processed.
func deadLetterAfterSeedRetries(runs []*LessonRun) error {
	run := runs[0]
	r := run.Report
	if len(r.DeadLetters) != 1 {
		return fmtlite.Errorf("%d messages dead-lettered, want the poison one", len(r.DeadLetters))
	}
	q := run.Scenario.NodeIndex(r.DeadLetters[0].From)
	if q < 0 {
		return fmtlite.Errorf("the dead letter came from %q, not a node", r.DeadLetters[0].From)
	}
	maxRecv := run.Scenario.Nodes[q].MaxReceiveCount
	switch got := int(r.DeadLetters[0].Deliveries); {
	case maxRecv != 1+seedRetries:
		return fmtlite.Errorf("maxReceiveCount is %d, want 1 + the seed's %d retries", maxRecv, seedRetries)
	case got != maxRecv:
		return fmtlite.Errorf("the poison message was delivered %d times, want maxReceiveCount %d", got, maxRecv)
	}
	waits := deadLetterWaits(run)
	if len(waits) != seedRetries {
		return fmtlite.Errorf("%d back-offs before the retries, want %d", len(waits), seedRetries)
	}
	for i := 1; i < len(waits); i++ {
		if waits[i] != 2*waits[i-1] {
			return fmtlite.Errorf("back-off %d is %s after %s: not doubling", i+1, waits[i], waits[i-1])
		}
	}
	if r.Counts.Processed != r.Requests.Started-1 {
		return fmtlite.Errorf("%d of %d messages processed: the rest did not keep flowing", r.Counts.Processed, r.Requests.Started)
	}
	return nil
}
