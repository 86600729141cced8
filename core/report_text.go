package core

import (
	"bufio"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// WriteText writes the report as a readable summary: what stopped the run,
// how long callers were blocked, how long requests took to complete, where
// every message ended, and each node's figures.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	name := r.Scenario
	if name == "" {
		name = "(unnamed scenario)"
	}
	fmtlite.Fprintf(&b, "%s, seed %d\n", name, r.Seed)
	fmtlite.Fprintf(&b, "stopped: %s at %s after %d events (%s)\n\n", r.Stop, r.End, r.Events, r.StopDetail)

	q := r.Requests
	fmtlite.Fprintf(&b, "requests: %d started, %d ok, %d errors, %d timed out, %d still waiting, %d complete\n",
		q.Started, q.OK, q.Errors, q.TimedOut, q.Waiting, q.Complete)
	if r.Throughput > 0 {
		fmtlite.Fprintf(&b, "throughput: %.2f requests/s\n", r.Throughput)
	}
	b.WriteString("\n")

	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	io.WriteString(tw, "latency\tcount\tmean\tp50\tp95\tp99\tmax\t\n")
	for _, row := range []struct {
		name string
		s    Summary
	}{
		{"user (blocked)", r.UserLatency},
		{"user, ok only", r.UserLatencyOK},
		{"completion", r.CompletionLatency},
	} {
		s := row.s
		fmtlite.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t\n", row.name, s.Count, s.Mean, s.P50, s.P95, s.P99, s.Max)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	c := r.Counts
	fmtlite.Fprintf(&b, "\nmessages: %d produced = %d processed + %d failed + %d dropped + %d dead-lettered + %d lost + %d in flight (%d held by brokers)\n",
		c.Produced, c.Processed, c.Failed, c.Dropped, c.DeadLettered, c.Lost, c.InFlight, c.Stored)
	for _, reason := range sortedKeys(c.DropReasons) {
		fmtlite.Fprintf(&b, "  dropped, %s: %d\n", reason, c.DropReasons[reason])
	}
	for _, reason := range sortedKeys(c.LostReasons) {
		fmtlite.Fprintf(&b, "  lost, %s: %d\n", reason, c.LostReasons[reason])
	}
	if c.Retried+c.Redelivered+c.DuplicatesProcessed+c.DuplicatesSkipped+c.OutOfOrder > 0 {
		fmtlite.Fprintf(&b, "retries scheduled: %d, redeliveries: %d, duplicates handled: %d, duplicates skipped: %d, out of order: %d\n",
			c.Retried, c.Redelivered, c.DuplicatesProcessed, c.DuplicatesSkipped, c.OutOfOrder)
	}
	if r.Staleness.Max > 0 {
		fmtlite.Fprintf(&b, "staleness (answered → last effect done): mean %s, p99 %s, max %s\n", r.Staleness.Mean, r.Staleness.P99, r.Staleness.Max)
	}
	for _, g := range r.GroupLags {
		fmtlite.Fprintf(&b, "consumer group %s on %s: %d records behind at the end, at most %d\n", g.Group, g.Topic, g.Lag, g.MaxLag)
	}
	for _, d := range r.DeadLetters {
		fmtlite.Fprintf(&b, "  in %s: message %d (request %d, event %d) from %s after %d deliveries: %s\n", d.DLQ, d.Msg, d.Req, d.Event, d.From, d.Deliveries, d.Reason)
	}
	b.WriteString("\n")

	tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	io.WriteString(tw, "node\tkind\tarrivals\tdone\tfailed\tbusy\tL (mean in node)\tλ (/s)\tW (mean time)\twait\tmax waiting\t\n")
	for _, n := range r.Nodes {
		if n.Kind == Client {
			continue // the requests line above tells their story
		}
		busy := "-"
		if n.Concurrency > 0 {
			busy = fmtlite.Sprintf("%.1f%%", 100*n.Utilization)
		}
		fmtlite.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\t%.3f\t%.3f\t%s\t%s\t%d\t\n",
			n.ID, n.Kind, n.Arrivals, n.Departures, n.Failed, busy, n.MeanInNode, n.ArrivalRate, n.MeanSojourn, n.MeanWait, n.MaxDepth)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, n := range r.Nodes {
		if n.Rejected > 0 {
			fmtlite.Fprintf(&b, "%s turned %d away: every worker busy and the waiting line full\n", n.ID, n.Rejected)
		}
		switch {
		case n.Cancelled > 0:
			calls := "calls"
			if n.Cancelled == 1 {
				calls = "call"
			}
			fmtlite.Fprintf(&b, "%s stopped work on %d %s when the deadline passed; %s of worker time went to calls nobody waited for.\n", n.ID, n.Cancelled, calls, n.WastedWork.Short())
		case n.WastedWork > 0:
			fmtlite.Fprintf(&b, "%s spent %s of worker time on calls nobody waited for any more.\n", n.ID, n.WastedWork.Short())
		}
	}
	if r.TraceHash != "" {
		fmtlite.Fprintf(&b, "\ntrace: %d records, hash %s\n", r.TraceLen, r.TraceHash)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteTrace writes the trace recs of a run of sc, one line per record: its
// step, its time and what happened. The lines go through a buffer, as a
// trace can hold millions of them.
func WriteTrace(w io.Writer, sc *Scenario, recs []Record) error {
	bw := bufio.NewWriter(w)
	if err := WriteTraceFrom(bw, sc, recs, 0); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteTraceFrom writes records as WriteTrace does, numbering them from
// step first: a streamed trace, written a step's records at a time. w
// should be buffered.
func WriteTraceFrom(w io.Writer, sc *Scenario, recs []Record, first int) error {
	for i := range recs {
		if _, err := fmtlite.Fprintf(w, "%6d %14s  %s\n", first+i, recs[i].At, recs[i].Describe(sc)); err != nil {
			return err
		}
	}
	return nil
}

// TraceEntries is the trace recs of a run of sc in readable form, for JSON.
func TraceEntries(sc *Scenario, recs []Record) []TraceEntry {
	entries := make([]TraceEntry, len(recs))
	for i := range recs {
		entries[i] = recs[i].Entry(sc, i)
	}
	return entries
}

func sortedKeys(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
