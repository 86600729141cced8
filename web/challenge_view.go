package web

import (
	"strconv"

	"github.com/sync-vs-async/playground/core"
)

// From the core's challenges and verdicts to the rows the challenge views
// draw. Every figure shown is the core's: measured by its checker and
// written by its CheckResult.

// ChallengeSummaries lists the built-in challenges for the index, in order.
func ChallengeSummaries(list []*core.Challenge) []ChallengeSummary {
	out := make([]ChallengeSummary, len(list))
	for i, ch := range list {
		out[i] = ChallengeSummary{N: i + 1, ID: ch.ID, Title: ch.Title, Goal: ch.GoalText()}
	}
	return out
}

// NewChallengeView is what ch's page shows before its program runs: the
// goal checks not yet measured, the budget measured on the start. all
// are the built-in challenges, for ch's place and the next one.
func NewChallengeView(ch *core.Challenge, all []*core.Challenge) ChallengeView {
	v := ChallengeView{ID: ch.ID, Title: ch.Title, Goal: ch.GoalText(), Hints: len(ch.Hints), HasSolution: ch.Solution != nil,
		Locks: LockTexts(ch)}
	for i, c := range all {
		if c.ID == ch.ID && ch.ID != "" {
			v.N = i + 1
			if ch.Next == "" && i+1 < len(all) {
				s := ChallengeSummaries(all)[i+1]
				v.Next = &s
			}
		}
	}
	for i, s := range ChallengeSummaries(all) {
		if ch.Next != "" && all[i].ID == ch.Next {
			v.Next = &s
		}
	}
	v.Link, _ = core.EncodeChallengeLink(ch) // a built-in challenge validates; the tests hold it to that
	v.Checks = PendingRows(ch, nil)
	if ch.Start != nil {
		v.Checks = append(v.Checks[:len(ch.Checks)], CostRows(ch, ch.Start)...)
	}
	return v
}

// PendingRows are ch's checks waiting for a check to finish: the goal
// checks with the figures of the last verdict (nil: none yet), marked
// pending; then the budget's, pending.
func PendingRows(ch *core.Challenge, last []CheckRow) []CheckRow {
	var rows []CheckRow
	for i, c := range ch.AllChecks() {
		r := CheckRow{Label: c.Label(), Bound: c.BoundText(), Budget: i >= len(ch.Checks)}
		if i < len(last) {
			r.Measured = last[i].Measured
		}
		rows = append(rows, r)
	}
	return rows
}

// CostRows are ch's budget checks measured on sc, which needs no run:
// the meter follows every edit at once.
func CostRows(ch *core.Challenge, sc *core.Scenario) []CheckRow {
	return resultRows(ch.CostOf(sc))
}

// VerdictRows are a verdict's results as checklist rows.
func VerdictRows(v *core.Verdict) []CheckRow {
	return resultRows(v.Results)
}

func resultRows(results []core.CheckResult) []CheckRow {
	rows := make([]CheckRow, len(results))
	for i, r := range results {
		c := r.Check
		row := CheckRow{Label: c.Label(), Bound: c.BoundText(), Budget: r.Cost, State: CheckFailed}
		if r.Pass {
			row.State = CheckPassed
		}
		switch {
		case r.Missing:
			row.Measured = "no such node"
		case r.Cost: // the meter: "workers 7 / 6"
			row.Measured, row.Bound = groupedFigure(r.Measured), groupedFigure(c.Bound)
		default:
			row.Measured = FigureText(r.Measured, c.Unit())
		}
		if r.Seed != 0 && !r.Pass {
			row.Note = "(worst with seed " + strconv.FormatUint(r.Seed, 10) + ")"
		}
		rows[i] = row
	}
	return rows
}

// FigureText writes a measured figure with its unit: "1,250 ms", "0.5
// per request", "35%".
func FigureText(v float64, unit string) string {
	var s string
	if v == float64(int64(v)) && v < 1e15 && v > -1e15 {
		s = groupedFigure(v)
	} else {
		s = strconv.FormatFloat(v, 'f', 2, 64)
	}
	if unit == "%" {
		return s + "%"
	}
	return s + " " + unit
}

// LockTexts says in words what ch locks.
func LockTexts(ch *core.Challenge) []string {
	var out []string
	if ch.Locks.Workload {
		out = append(out, "the workload: every client and what it sends")
	}
	if ch.Locks.Faults {
		out = append(out, "the fault schedule")
	}
	for _, id := range ch.Locks.Nodes {
		out = append(out, "node "+id)
	}
	return append(out, "how long the run lasts and its limits (always)")
}

// MakeFigures are the figures the make-a-challenge form offers: every
// figure of the core's checker, over the whole run.
func MakeFigures() []MakeFigure {
	out := make([]MakeFigure, len(core.ChallengeFigures()))
	for i, f := range core.ChallengeFigures() {
		out[i] = MakeFigure{Name: f.Name, Unit: f.Unit, Op: core.AtLeast}
		if f.LowerIsBetter {
			out[i].Op = core.AtMost
		}
	}
	return out
}
