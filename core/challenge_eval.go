package core

import (
	"math"
	"strconv"

	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// CheckResult is one check of a verdict: what was measured against what
// was wanted.
type CheckResult struct {
	Check Check `json:"check"`
	// Cost says the check is the budget's (a "cost" check).
	Cost bool `json:"cost,omitempty"`
	// Measured is the figure, in its unit: for a figure of the run, the
	// worst over every seed (the largest for "<=", the smallest for ">=",
	// the furthest from the bound for "==").
	Measured float64 `json:"measured"`
	// Seed is the seed of the run Measured comes from (0 for a structural
	// figure, which no run measures).
	Seed uint64 `json:"seed,omitempty"`
	// Missing says the node the check names is not in the scenario, so
	// the check fails.
	Missing bool `json:"missing,omitempty"`
	// Pass says the check is met (on every seed).
	Pass bool `json:"pass"`
	// Text is the result in one line: "user p99: 812 ms (goal: at most
	// 1,000 ms)".
	Text string `json:"text"`
}

// Verdict is how a scenario fared against a challenge.
type Verdict struct {
	// Results are the goal checks' results, in order, then the budget's.
	Results []CheckResult `json:"results"`
	// Seeds are the seeds the scenario ran with.
	Seeds []uint64 `json:"seeds"`
	// Stopped says why a run did not finish ("" if every run did): a run
	// cut short by its limits or its memory budget measures nothing whole,
	// so the verdict fails.
	Stopped string `json:"stopped,omitempty"`
	// Passed says every check passed on every seed and every run finished.
	Passed bool `json:"passed"`
}

// Lines returns each result's line, "✓ " or "✗ " in front, and the
// reason a run stopped, if one did: what `simulate -check` prints.
func (v *Verdict) Lines() []string {
	var out []string
	for _, r := range v.Results {
		mark := "✓ "
		if !r.Pass {
			mark = "✗ "
		}
		out = append(out, mark+r.Text)
	}
	if v.Stopped != "" {
		out = append(out, "✗ "+v.Stopped)
	}
	return out
}

// measureCheck measures c on one run (r nil for a structural figure).
func measureCheck(c *Check, r *Report, sc *Scenario) (v float64, ok bool) {
	return measureFigure(c.Figure, r, sc, c)
}

// result makes a check's result from its measured value.
func result(c Check, cost bool, v float64, seed uint64, ok bool) CheckResult {
	r := CheckResult{Check: c, Cost: cost, Measured: v, Seed: seed, Missing: !ok, Pass: ok && c.Passes(v)}
	if !ok {
		r.Text = fmtlite.Sprintf("%s: the scenario has no node %q (goal: %s)", c.Label(), c.Node+c.From+c.To, c.BoundText())
		return r
	}
	r.Text = fmtlite.Sprintf("%s: %s (goal: %s)", c.Label(), formatFigure(v, c.Unit()), c.BoundText())
	if cost {
		r.Text = "cost: " + r.Text
	}
	return r
}

// CostOf returns the budget's checks measured on sc (no run needed):
// what a page's budget meter shows as the learner edits.
func (ch *Challenge) CostOf(sc *Scenario) []CheckResult {
	var out []CheckResult
	for _, c := range ch.Budget.BudgetChecks() {
		v, ok := measureCheck(&c, nil, sc)
		out = append(out, result(c, true, v, 0, ok))
	}
	return out
}

// Evaluate runs sc on every seed of the challenge and checks it: an
// EvaluateJob run to the end in one go, within BrowserBudget (the budget
// the page runs the same checker with). The error is a refusal: sc is
// invalid, changes a locked part, or a run would not fit the budget.
func Evaluate(ch *Challenge, sc *Scenario) (*Verdict, error) {
	j, err := NewEvaluateJob(ch, sc)
	if err != nil {
		return nil, err
	}
	for {
		done, err := j.Step(math.MaxInt)
		if err != nil {
			return nil, err
		}
		if done {
			return j.Result(), nil
		}
	}
}

// EvaluateJob is Evaluate a slice at a time, for a page that must not
// freeze: one run per seed, each Step doing a bounded amount of work and
// never crossing from one run to the next, then the measuring.
type EvaluateJob struct {
	// Budget is what each run may take: BrowserBudget unless changed
	// before the first Step. Each run is refused before it starts if its
	// estimate is over it, and stopped by the engine if it grows past it.
	Budget Budget

	ch      *Challenge
	sc      *Scenario
	seeds   []uint64
	k       int // the seed under way; len(seeds) is measuring
	run     *Engine
	reports []*Report
	v       *Verdict
	err     error
}

// NewEvaluateJob prepares the check of sc against ch. It refuses (with
// Errors naming the field) a challenge or a scenario that does not
// validate, and a scenario whose locked parts differ from the start. It
// keeps copies, so later changes to ch and sc do not affect it.
func NewEvaluateJob(ch *Challenge, sc *Scenario) (*EvaluateJob, error) {
	if err := ch.Validate(); err != nil {
		return nil, fmtlite.Errorf("challenge: %w", err)
	}
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	if err := ch.CheckLocks(sc); err != nil {
		return nil, err
	}
	j := &EvaluateJob{Budget: BrowserBudget, ch: ch.Clone(), sc: sc.Clone(), seeds: ch.RunSeeds()}
	return j, nil
}

// Step does at most n events of work (an n below 1 counts as 1) and
// reports whether the verdict is ready. A Step that ends a run ends the
// Step. A run that would not fit the budget is refused before it starts:
// the error names the field to change. Once Step returns an error the job
// is over: every later Step returns it again and Result stays nil.
func (j *EvaluateJob) Step(n int) (done bool, err error) {
	switch {
	case j.err != nil:
		return true, j.err
	case j.v != nil:
		return true, nil
	case j.k == len(j.seeds):
		j.measure()
		return true, nil
	}
	if j.run == nil {
		sc := j.sc.Clone()
		sc.Seed = j.seeds[j.k]
		if j.run, j.err = NewEngine(sc, j.Budget.Options(Options{})); j.err != nil {
			return true, j.err
		}
		if err := j.Budget.Check(sc, j.run.Estimate()); err != nil {
			j.run, j.err = nil, err
			return true, err
		}
		return false, nil // the estimate ran the pilot: that was this Step's work
	}
	if !j.run.RunSome(n) {
		return false, nil
	}
	j.reports = append(j.reports, j.run.Report())
	j.run = nil
	j.k++
	return false, nil
}

// Progress is how far the check has got, from 0 to 1: 1 once the verdict
// is ready, at most 0.99 before, never going down.
func (j *EvaluateJob) Progress() float64 {
	if j.v != nil {
		return 1
	}
	done := float64(j.k)
	if j.run != nil {
		done += j.run.Progress()
	}
	return min(done/float64(max(len(j.seeds), 1)), almostDone)
}

// Stage names what the next Step works on: "seed 2 of 3", "measuring",
// "done".
func (j *EvaluateJob) Stage() string {
	switch {
	case j.v != nil || j.err != nil:
		return "done"
	case j.k == len(j.seeds):
		return "measuring"
	}
	return "seed " + strconv.Itoa(j.k+1) + " of " + strconv.Itoa(len(j.seeds))
}

// Result returns the verdict once Step has reported done without an
// error, and nil before.
func (j *EvaluateJob) Result() *Verdict {
	if j.err != nil {
		return nil
	}
	return j.v
}

// measure makes the verdict from the runs' reports.
func (j *EvaluateJob) measure() {
	v := &Verdict{Seeds: j.seeds, Passed: true}
	for k, r := range j.reports {
		switch r.Stop {
		case StopCompleted, StopTime, StopHorizon:
		default:
			if v.Stopped == "" {
				v.Stopped = fmtlite.Sprintf("the run with seed %d stopped early (%s): %s", j.seeds[k], r.Stop, r.StopDetail)
			}
			v.Passed = false
		}
	}
	add := func(c Check, cost bool) {
		def, _ := ChallengeFigure(c.Figure)
		if def.Structural || len(j.reports) == 0 {
			val, ok := measureCheck(&c, nil, j.sc)
			v.Results = append(v.Results, result(c, cost, val, 0, ok))
			return
		}
		var worst CheckResult
		for k, r := range j.reports {
			val, ok := measureCheck(&c, r, j.sc)
			if res := result(c, cost, val, j.seeds[k], ok); k == 0 || !worst.Missing && (res.Missing || c.worse(val, worst.Measured)) {
				worst = res
			}
		}
		v.Results = append(v.Results, worst)
	}
	for _, c := range j.ch.Checks {
		add(c, false)
	}
	for _, c := range j.ch.Budget.BudgetChecks() {
		add(c, true)
	}
	for _, r := range v.Results {
		v.Passed = v.Passed && r.Pass
	}
	j.v = v
}
