//go:build js && wasm

package main

import (
	"time"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/internal/fmtlite"
	"github.com/sync-vs-async/playground/web"
)

// Every run in the page lives in the tab's one WebAssembly memory, which
// a few GB bound; a Go program that runs out of it exits and the page is
// dead. So before a run starts, its cost is estimated (core.Estimate) and
// a run over core.BrowserBudget is refused with the field to change; and
// every run is made with the budget's limits, so one whose estimate was
// wrong stops at the budget with a reason instead of exhausting memory.

// runSliceEvents is how many events a comparison does between looks at
// the clock: a slice ends once sliceTime has passed.
const runSliceEvents = 10_000

// sliceTime is how long one slice of preparing a run may take before the
// browser gets to paint and handle input: well within the 200 ms a page
// may pause without feeling frozen, whatever the speed of the machine.
const sliceTime = 25 * time.Millisecond

// within calls work (a small amount of work that reports whether it has
// finished) until it finishes or sliceTime has passed, and reports whether
// it finished.
func within(work func() bool) bool {
	deadline := time.Now().Add(sliceTime)
	for {
		if work() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

// stepWithin calls step (a comparison's or a challenge check's) with
// runSliceEvents at a time until it is done, fails, or sliceTime has
// passed, and returns what it said last.
func stepWithin(step func(n int) (bool, error)) (done bool, err error) {
	within(func() bool {
		done, err = step(runSliceEvents)
		return done || err != nil
	})
	return done, err
}

// runOptions are the options of every traced run in the page.
var runOptions = core.BrowserBudget.Options(core.Options{Trace: true})

// preparation is a run being made ready for the step-through in slices,
// so a long one leaves the page responsive: the run itself, the trace
// hash, the copy of the trace, then the timeline. Each slice is an action
// queued after the browser has painted (app.later); a preparation that is
// no longer current (a newer load or change took over) does nothing more.
type preparation struct {
	e       *core.Engine
	current func() bool      // false once a newer run took over
	status  func(msg string) // shows progress
	done    func(hash string, tl *core.Timeline) error
	// refuse, if set, is called with the budget's refusal once the run has
	// done its pilot (core.PilotEvents); nil means the budget was checked.
	refuse func(err error) error
	// early, if set, is given a timeline of the run so far once the budget
	// is checked, so the start of a long run can be stepped through while
	// the rest runs, and says whether it showed it; then it is cleared.
	early func(tl *core.Timeline) (bool, error)
	eb    *core.TimelineBuilder // early's timeline, being built
	shown int                   // the steps early showed (0: none)
	hash  string
	b     *core.TimelineBuilder
}

// start queues the first slice: the action that started the run has
// already spent part of a frame (reading the link, the pilot).
func (p *preparation) start(a *app) error { return p.next(a, p.simulate) }

func (p *preparation) next(a *app, stage action) error {
	if p.current() {
		a.later(stage)
	}
	return nil
}

// pilot runs the run up to its pilot's end and reports whether the run is
// over or the pilot done.
func pilot(e *core.Engine) bool {
	return e.RunSome(int(min(5_000, core.PilotEvents-e.Events()))) || e.Events() >= core.PilotEvents
}

func (p *preparation) simulate(a *app) error {
	if !p.current() {
		return nil
	}
	if p.refuse != nil {
		if !within(func() bool { return pilot(p.e) }) {
			return p.next(a, p.simulate)
		}
		refuse := p.refuse
		p.refuse = nil
		if err := core.BrowserBudget.Check(p.e.Scenario(), p.e.Estimate()); err != nil {
			return refuse(err)
		}
		// The pilot had this slice. Its start is shown next, if the page
		// wants it (showEarly); then the trace's room is made (reserve)
		// and the run goes on.
		if !earlyView {
			return p.next(a, p.reserve)
		}
		return p.next(a, p.showEarly)
	}
	if !within(func() bool { return p.e.RunSome(5_000) }) {
		p.progress(fmtlite.Sprintf("Running… %d%%", int(100*p.e.Progress())))
		return p.next(a, p.simulate)
	}
	p.progress("Preparing the step-through…")
	// The copy of a long trace is one allocation of up to a hundred MB,
	// which may start a garbage collection: a turn of its own.
	return p.next(a, func(a *app) error {
		if p.current() {
			p.e.CopySome(1)
		}
		return p.next(a, p.digest)
	})
}

// showEarly gives early, if set, a timeline of the records the pilot
// made (RunSome stops between events, so no event is cut in two): a
// prefix of the whole run's, whose every step is the whole run's step
// (core's TestTimelineOfARunPartWay). Only a message whose arrival is
// still to come differs: it has none yet. Then it queues the trace's
// reservation and the rest of the run.
func (p *preparation) showEarly(a *app) error {
	if !p.current() {
		return nil
	}
	if p.early == nil || p.e.Done() {
		return p.next(a, p.reserve)
	}
	if p.eb == nil {
		p.eb = core.NewTimelineBuilder(p.e.Scenario(), p.e.Trace())
	}
	if !within(func() bool { return p.eb.Step(10_000) }) {
		return p.next(a, p.showEarly)
	}
	tl, early := p.eb.Timeline(), p.early
	p.eb, p.early = nil, nil
	tl.MarkPartial()
	return p.draw(a, func(a *app) error {
		shown, err := early(tl)
		if err != nil {
			a.showError(err.Error()) // the run goes on, and is shown when ready
		}
		if shown {
			p.shown = tl.Len()
			p.progress(fmtlite.Sprintf("Running… %d%%", int(100*p.e.Progress())))
		}
		return p.next(a, p.reserve)
	})
}

// reserve makes room for the trace, then goes on with the run. The trace
// goes straight into one slice of about the run's size, which the
// step-through then reads without a copy: an allocation of up to a
// hundred MB, which Go zeroes when it reuses memory, so a turn of its own.
func (p *preparation) reserve(a *app) error {
	if p.current() {
		p.e.ReserveTrace()
	}
	return p.next(a, p.simulate)
}

// progress shows msg, and what can be stepped through meanwhile.
func (p *preparation) progress(msg string) {
	if p.shown > 0 {
		msg += fmtlite.Sprintf(" (steps 0 to %d can be stepped through meanwhile)", p.shown)
	}
	p.status(msg)
}

// digest hashes the trace, then copies it, a slice at a time: for two
// million records each takes longer than a frame in one piece.
func (p *preparation) digest(a *app) error {
	if !p.current() {
		return nil
	}
	if !within(func() bool { return p.e.HashSome(10_000) && p.e.CopySome(10_000) }) {
		return p.next(a, p.digest)
	}
	p.hash = p.e.TraceHash()
	p.b = core.NewTimelineBuilder(p.e.Scenario(), p.e.Trace())
	return p.next(a, p.build)
}

func (p *preparation) build(a *app) error {
	if !p.current() {
		return nil
	}
	if !within(func() bool { return p.b.Step(10_000) }) {
		p.progress(fmtlite.Sprintf("Preparing the step-through… %d%%", int(100*p.b.Progress())))
		return p.next(a, p.build)
	}
	return p.draw(a, func(a *app) error { return p.done(p.hash, p.b.Timeline()) })
}

// draw queues drawing the run (its start or the whole of it), unless a
// newer run took over. The topology's layout goes first, in a turn of its
// own, and the drawing in the next: a topology of 200 nodes takes a while
// to lay out, and as long again to draw.
func (p *preparation) draw(a *app, drawing action) error {
	return p.next(a, func(a *app) error {
		if !p.current() {
			return nil
		}
		// The player's topology turns on a narrow screen; the sandbox's
		// canvas reads left to right.
		web.PrepareLayout(p.e.Scenario(), a.view.vertical && a.sandbox == nil)
		return p.next(a, func(a *app) error {
			if !p.current() {
				return nil
			}
			return drawing(a)
		})
	})
}

// later queues act after the browser has had a turn to paint and to
// handle input: a browser timer of 0 ms queues it. A Go timer would not
// do: one that is due when the program waits fires at once, without the
// browser getting control, so slices queued behind a long action (an
// edit's re-render) ran in the same pause. Until then it counts as pending.
func (a *app) later(act action) {
	a.mu.Lock()
	a.scheduled++
	a.turn = append(a.turn, act)
	a.announce()
	a.mu.Unlock()
	// Each timer's callback takes the first action waiting: timers of the
	// same delay fire in the order they were set.
	err := a.timeout0(&a.turnFn, func() {
		a.mu.Lock()
		act := shift(&a.turn)
		a.mu.Unlock()
		a.due(act)
	})
	if err != nil {
		// No browser timer: the action is queued now rather than lost.
		a.mu.Lock()
		a.turn = a.turn[:len(a.turn)-1]
		a.scheduled--
		a.mu.Unlock()
		a.do(act)
	}
}

// stopNote says, for a run that a limit or the budget ended early, why and
// what the step-through covers; "" for a run that ended by itself.
func stopNote(e *core.Engine) string {
	switch reason, detail := e.Stopped(); reason {
	case core.StopCompleted, core.StopTime, core.StopRunning:
		return ""
	default:
		return fmtlite.Sprintf("The run stopped early (%s): %s. The step-through shows the part that ran.", reason, detail)
	}
}
