//go:build js && wasm

package main

import (
	"errors"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/internal/fmtlite"
	"github.com/sync-vs-async/playground/web"
)

// action is one thing the learner did, queued by an event callback and
// done on the app's own goroutine, so callbacks never block and the state
// is only ever touched from one place.
type action func(a *app) error

// app holds the UI state: which scenario, its run, and the current step.
type app struct {
	dom *dom
	// queue holds the actions not yet done, in order; wake tells the loop
	// there are some. Unbounded, so no action is ever dropped (a dropped
	// pointerup left a drag stuck to the pointer) and do never blocks.
	// scheduled counts the actions on a timer (after), not queued yet;
	// done, the actions done; published, the pending count on the page.
	mu        sync.Mutex
	queue     []action
	wake      chan struct{}
	scheduled int
	done      int
	published int
	// yielded is signalled by yieldFn, a JavaScript timer's callback: see
	// yieldToBrowser.
	yielded chan struct{}
	yieldFn *safejs.Func
	// turn holds the actions of later, in order, each waiting for a
	// browser timer; turnFn is that timer's callback.
	turn   []action
	turnFn *safejs.Func

	example  string // built-in scenario id, "" for an imported or linked one
	scenario *core.Scenario
	timeline *core.Timeline
	hash     string // the run's trace hash
	step     int

	playing bool
	speed   float64     // steps per second while playing
	gen     int         // bumped to stop a running play clock
	clock   *time.Timer // the play clock's next step (tick)

	loadGen   int      // bumped by each load, so a newer one abandons a long one in preparation
	preparing bool     // a long run is being prepared (see preparation)
	pending   []action // what waits for it (afterLoad)

	log   logState   // the event log's and the scrubber marks'
	stats statsState // the numbers panel's value elements

	lesson  *lessonState  // set on a lesson page
	sandbox *sandboxState // set on the sandbox page
	view    viewState
}

func newApp(d *dom) *app {
	return &app{dom: d, wake: make(chan struct{}, 1), yielded: make(chan struct{}, 1), speed: 4}
}

// do queues an action; it never blocks the JavaScript event loop.
func (a *app) do(act action) {
	a.mu.Lock()
	a.queue = append(a.queue, act)
	a.announce()
	a.mu.Unlock()
	select {
	case a.wake <- struct{}{}:
	default: // the loop has a wake-up pending and will see act
	}
}

// after queues act in d, without blocking anyone: until then it counts as
// pending. The timer returned is for cancel.
func (a *app) after(d time.Duration, act action) *time.Timer {
	a.mu.Lock()
	a.scheduled++
	a.announce()
	a.mu.Unlock()
	return time.AfterFunc(d, func() { a.due(act) })
}

// due queues act, until now on a timer (after, later), and wakes the loop.
func (a *app) due(act action) {
	a.mu.Lock()
	a.scheduled--
	a.queue = append(a.queue, act)
	a.mu.Unlock()
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

// cancel stops a timer of after's; its action, if already queued, runs.
func (a *app) cancel(t *time.Timer) {
	if t != nil && t.Stop() {
		a.mu.Lock()
		a.scheduled--
		a.mu.Unlock() // the loop publishes the count when its batch is done
	}
}

// loop runs the queued actions one at a time. A panic in one is recovered
// and shown in the error banner; the page stays usable.
//
// Once the queue is empty it publishes <body data-actions> (actions done)
// and data-pending (actions queued or on a timer), so tests wait for the
// app rather than the clock: data-pending is "0" only when nothing is
// queued or scheduled, and turns non-zero (announce) as soon as something
// is, before the loop may run it. The page is touched once per batch, not
// per action.
//
// Between two actions, once the batch has kept the browser waiting for
// busyLimit, the loop gives it a turn (yieldToBrowser) to paint and handle
// input, so actions queued during a long one (input events, a Go timer's)
// do not all run in the same pause. A Go timer that is due when the loop
// waits fires at once, without the browser getting control (see later),
// so the loop only counts a turn the browser had when it waited a
// millisecond or more (in WebAssembly, Go waits by returning to the
// browser), or yielded.
func (a *app) loop() {
	busy := time.Now()
	for {
		idle := time.Now()
		<-a.wake
		if time.Since(idle) >= time.Millisecond {
			busy = time.Now()
		}
		for {
			a.mu.Lock()
			if len(a.queue) == 0 {
				a.publish(a.done, a.scheduled)
				a.mu.Unlock()
				break
			}
			a.mu.Unlock()
			if time.Since(busy) >= busyLimit {
				a.yieldToBrowser()
				busy = time.Now()
			}
			a.mu.Lock()
			act := shift(&a.queue)
			a.mu.Unlock()
			a.run(act)
			a.mu.Lock()
			a.done++
			a.mu.Unlock()
		}
	}
}

// busyLimit is how long the loop may run actions back to back before it
// lets the browser have a turn.
const busyLimit = 10 * time.Millisecond

// yieldToBrowser returns control to the browser until a timeout of 0 ms
// fires: the tasks already waiting (input, timers, a paint) go first. If
// the timer cannot be set, it returns at once.
func (a *app) yieldToBrowser() {
	if a.timeout0(&a.yieldFn, func() {
		select {
		case a.yielded <- struct{}{}:
		default:
		}
	}) == nil {
		<-a.yielded
	}
}

// timeout0 sets a browser timer of 0 ms that calls cb, which must not
// block. The timer's callback is made once, into *fn, and kept.
func (a *app) timeout0(fn **safejs.Func, cb func()) error {
	if *fn == nil {
		f, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
			cb()
			return nil
		})
		if err != nil {
			return err
		}
		*fn = &f
	}
	_, err := a.dom.window.Call("setTimeout", (*fn).Value(), 0)
	return err
}

// shift removes and returns the first action of q.
func shift(q *[]action) action {
	act := (*q)[0]
	(*q)[0] = nil
	*q = (*q)[1:]
	return act
}

// announce publishes the pending count if the page says none is; a.mu is
// held, so a publish of the loop's cannot overtake it.
func (a *app) announce() {
	if a.published == 0 {
		a.publish(-1, len(a.queue)+a.scheduled)
	}
}

// publish sets data-pending, and data-actions unless done < 0; a.mu is
// held. Setting a data attribute runs no page code.
func (a *app) publish(done, pending int) {
	a.published = pending
	data, err := a.dom.document.Get("body")
	if err == nil {
		data, err = data.Get("dataset")
	}
	if err != nil || data.IsUndefined() || data.IsNull() {
		return
	}
	if done >= 0 {
		_ = data.Set("actions", strconv.Itoa(done))
	}
	_ = data.Set("pending", strconv.Itoa(pending))
}

func (a *app) run(act action) {
	defer func() {
		if r := recover(); r != nil {
			a.showError(fmtlite.Sprintf("Something went wrong: %v. The page still works; tell us how it happened.", r))
			stack := make([]byte, 16<<10)
			logLine(fmtlite.Sprintf("recovered: %v\n%s", r, stack[:runtime.Stack(stack, false)]))
		}
	}()
	if err := act(a); err != nil {
		a.showError(err.Error())
	}
}

// load runs sc, with the full trace, and shows step. A run over the
// browser's budget is refused (the error names the field to change). A
// short run is ready when load returns; a long one is prepared in slices
// (see preparation) and shown when ready, unless a newer load took over.
func (a *app) load(sc *core.Scenario, example string, step int) error {
	a.loadGen++
	gen := a.loadGen
	// finish ends this load, shown or refused: what waits for the page's
	// run (afterLoad) goes on, unless a newer load took over.
	finish := func() {
		if a.loadGen == gen {
			a.preparing = false
			a.runAfterLoad()
		}
	}
	e, err := core.NewEngine(sc, runOptions)
	if err != nil {
		finish()
		return err
	}
	ready := func(hash string, tl *core.Timeline) error {
		defer finish()
		if a.timeline != nil && a.timeline.Partial() && a.timeline.Scenario() == e.Scenario() {
			// The page shows this run's start (see preparation.showEarly).
			// The whole run takes over from its start where the learner
			// is now, playing on if they play: every step up to here is
			// the same.
			step = a.step
		} else {
			a.stop()
		}
		a.scenario, a.example, a.hash, a.timeline = e.Scenario(), example, hash, tl
		if err := a.renderScenario(); err != nil {
			return err
		}
		if note := stopNote(e); note != "" {
			a.status(note)
		} else {
			a.clearProgress()
		}
		return a.show(step)
	}
	// A short run is over within its pilot and a slice's time: show it at
	// once. A longer one is checked against the budget when its pilot is
	// done, in the preparation's first slice, and prepared in slices.
	if within(func() bool { return pilot(e) }) && e.Done() {
		return ready(e.TraceHash(), core.NewTimeline(e.Scenario(), e.Trace()))
	}
	a.preparing = true
	p := &preparation{e: e, current: func() bool { return a.loadGen == gen }, status: a.status, done: ready,
		refuse: func(err error) error { finish(); return a.notRun(err) }}
	if a.lesson == nil {
		// The playground shows the start of a long run at once, if the
		// step asked for is in it. (A lesson's runs are short.)
		p.early = a.showStart(e, example, step)
	}
	return p.start(a)
}

// showStart returns a preparation's early hook for a load of e: it shows
// tl, the start of the run, at step if tl has it.
func (a *app) showStart(e *core.Engine, example string, step int) func(tl *core.Timeline) (bool, error) {
	return func(tl *core.Timeline) (bool, error) {
		if step > tl.Len() {
			return false, nil
		}
		a.stop()
		a.scenario, a.example, a.hash, a.timeline = e.Scenario(), example, "", tl
		// The header's pill said the simulator was loading; it runs.
		if err := a.dom.set(web.StatusID, "textContent", "Running the rest of the scenario…"); err != nil {
			return true, err
		}
		if err := a.renderScenario(); err != nil {
			return true, err
		}
		return true, a.show(step)
	}
}

// notRun says that a scenario over the budget was not run, why, and what
// the page still shows.
func (a *app) notRun(err error) error {
	if a.scenario == nil {
		return fmtlite.Errorf("Not run, too big for this page: %w", err)
	}
	return fmtlite.Errorf("Not run, too big for this page (still showing %q): %w", web.PlainText(a.scenario.Name), err)
}

// afterLoad does act once the run being loaded is shown: at once if no
// long run is in preparation, else when the latest one is ready. The page
// says "WASM ready" this way only when it shows the run it was asked for.
func (a *app) afterLoad(act action) error {
	if !a.preparing {
		return act(a)
	}
	a.pending = append(a.pending, act)
	return nil
}

func (a *app) runAfterLoad() {
	acts := a.pending
	a.pending = nil
	for _, act := range acts {
		a.run(act)
	}
}

// show moves to step (clamped) and redraws what depends on it.
func (a *app) show(step int) error {
	a.step = min(max(step, 0), a.timeline.Len())
	d := a.dom
	for _, r := range []struct {
		id   string
		view func() error
	}{
		// The log first: it reads its scroll offset and height, which
		// costs nothing while the page's layout is still the last frame's,
		// and a whole forced layout once the other views are replaced.
		{web.IDEventLog, func() error { return a.drawLog(a.log.list.Len(a.step) - 1) }},
		{web.IDTopology, func() error { return a.drawTopology(a.step) }},
		{web.IDSequence, a.drawSequence},
		{web.IDStats, a.drawStats},
	} {
		if err := r.view(); err != nil {
			return fmtlite.Errorf("drawing %s: %w", r.id, err)
		}
	}
	// The narration is a live region: changing its text (rather than
	// replacing the element) is what makes screen readers announce it.
	if err := d.set(web.IDNarration, "textContent", web.NarrationText(a.timeline, a.step)); err != nil {
		return err
	}
	if err := a.showControls(); err != nil {
		return err
	}
	if a.sandbox != nil {
		if err := a.showWaterfall(); err != nil {
			return err
		}
	}
	if err := a.showCodeLine(); err != nil {
		return err
	}
	if err := a.followStep(); err != nil {
		return err
	}
	return a.publishState()
}

// showControls sets the scrubber and the step buttons for the current
// step: the buttons that cannot step further are disabled.
func (a *app) showControls() error {
	d := a.dom
	n := a.timeline.Len()
	if err := d.set(web.IDScrubber, "max", n); err != nil {
		return err
	}
	if err := d.set(web.IDScrubber, "value", a.step); err != nil {
		return err
	}
	if err := d.attr(web.IDScrubber, "aria-valuetext", web.StepValueText(a.timeline, a.step), false); err != nil {
		return err
	}
	for _, b := range []struct {
		id       string
		disabled bool
	}{
		{web.IDHome, a.step == 0}, {web.IDStepBack, a.step == 0},
		{web.IDStepForward, a.step == n}, {web.IDEnd, a.step == n}, {web.IDPlay, n == 0},
	} {
		if err := d.set(b.id, "disabled", b.disabled); err != nil {
			return err
		}
	}
	return nil
}

// publishState mirrors the run's identity on the body's data attributes,
// for tests and for anyone inspecting the page.
func (a *app) publishState() error {
	body, err := a.dom.document.Get("body")
	if err != nil {
		return err
	}
	data, err := body.Get("dataset")
	if err != nil {
		return err
	}
	if err := data.Set("traceHash", a.hash); err != nil {
		return err
	}
	if err := data.Set("step", strconv.Itoa(a.step)); err != nil {
		return err
	}
	return data.Set("steps", strconv.Itoa(a.timeline.Len()))
}

// renderScenario shows what belongs to the scenario rather than the step.
// On a lesson page the lesson's text says all that, so only the player
// changes.
func (a *app) renderScenario() error {
	if a.lesson != nil || a.sandbox != nil {
		return nil
	}
	// A linked or imported name may hide a right-to-left override that
	// would disguise the tab's title and the heading.
	if err := a.dom.document.Set("title", web.PlainText(web.PageTitle(a.scenario))); err != nil {
		return err
	}
	if err := a.dom.set(web.IDScenarioTitle, "textContent", web.PlainText(a.scenario.Name)); err != nil {
		return err
	}
	if err := a.dom.set(web.IDScenarioDescription, "textContent", a.scenario.Description); err != nil {
		return err
	}
	return a.dom.set(web.IDExampleSelect, "value", a.example)
}

// showError puts msg in the error banner (and clears it for "").
func (a *app) showError(msg string) {
	if err := a.dom.set(web.IDErrorBanner, "textContent", msg); err != nil {
		logLine("error banner:", err, msg)
		return
	}
	if err := a.dom.attr(web.IDErrorBanner, "hidden", "", msg != ""); err != nil {
		logLine("error banner:", err)
	}
}

func (a *app) status(msg string) {
	if !a.dom.has(web.IDShareStatus) {
		return // a lesson page's player has no status line
	}
	if err := a.say(web.IDShareStatus, msg); err != nil {
		logLine("share status:", err)
	}
}

// say shows msg on status line id and says it through the line's live
// region (web.StatusLine): a progress report only when its phase is new,
// so a screen reader hears "Running…" once, not every percentage.
func (a *app) say(id, msg string) error {
	if err := a.dom.set(id, "textContent", msg); err != nil {
		return err
	}
	live, err := a.dom.byID(web.StatusLiveID(id))
	if err != nil {
		return err
	}
	if text, progress := web.Announcement(msg); !progress || str(live, "textContent") != text {
		return live.Set("textContent", text)
	}
	return nil
}

// clearProgress takes a preparation's progress ("Running… 40%",
// "Preparing the step-through…") off the status line once the run is
// ready: it stayed there under a run long shown. Other messages stay.
func (a *app) clearProgress() {
	el, err := a.dom.byID(web.IDShareStatus)
	if err != nil {
		return
	}
	if text := str(el, "textContent"); strings.HasPrefix(text, "Running…") || strings.HasPrefix(text, "Preparing the step-through") {
		a.status("")
	}
}

// togglePlay starts or stops stepping on its own.
func (a *app) togglePlay() error {
	if a.playing {
		a.stop()
		return nil
	}
	if a.step >= a.timeline.Len() {
		if err := a.show(0); err != nil {
			return err
		}
	}
	a.playing = true
	a.gen++
	if err := a.playButton(); err != nil {
		return err
	}
	a.tick(a.gen)
	return nil
}

// tick schedules the play clock's next step. The clock lives here, not in
// the engine: it only asks for the next step at the chosen pace. Each
// step, while still playing, schedules the next, so nothing waits.
func (a *app) tick(gen int) {
	a.clock = a.after(time.Duration(float64(time.Second)/a.speed), func(a *app) error {
		if a.gen != gen || !a.playing {
			return nil
		}
		a.clock = nil
		if a.step >= a.timeline.Len() {
			a.stop()
			return nil
		}
		a.tick(gen)
		return a.show(a.step + 1)
	})
}

func (a *app) stop() {
	if !a.playing {
		return
	}
	a.playing = false
	a.gen++
	a.cancel(a.clock)
	a.clock = nil
	if err := a.playButton(); err != nil {
		logLine("play button:", err)
	}
}

func (a *app) playButton() error {
	var buf strings.Builder
	if err := web.PlayLabel(a.playing).Render(&buf); err != nil {
		return err
	}
	if err := a.dom.set(web.IDPlay, "innerHTML", buf.String()); err != nil {
		return err
	}
	return a.dom.attr(web.IDPlay, "aria-pressed", strconv.FormatBool(a.playing), false)
}

// fragment is the share link for what is on screen.
func (a *app) fragment() (core.Fragment, error) {
	f := core.Fragment{Step: a.step}
	if a.example != "" {
		f.Example = a.example
		return f, nil
	}
	s, err := core.EncodeShareLink(a.scenario)
	if err != nil {
		return f, err
	}
	f.Scenario = s
	return f, nil
}

// copyLink puts the share link in the address bar and on the clipboard.
func (a *app) copyLink() error {
	f, err := a.fragment()
	if err != nil {
		return err
	}
	// A share link always carries the scenario itself, so it reopens the
	// same run even if a later version changes the built-in examples.
	if f.Scenario == "" {
		if f.Scenario, err = core.EncodeShareLink(a.scenario); err != nil {
			return err
		}
		f.Example = ""
	}
	return a.shareHash("#" + f.String())
}

// shareHash puts hash in the address bar and the whole link on the
// clipboard, or, without a clipboard, on the page to copy by hand.
func (a *app) shareHash(hash string) error {
	if err := a.replaceHash(hash); err != nil {
		return err
	}
	href := str(a.dom.window, "location", "href")
	clipboard, err := a.dom.window.Get("navigator")
	if err == nil {
		clipboard, err = clipboard.Get("clipboard")
	}
	if err != nil || clipboard.IsUndefined() {
		a.status("Copy this link: " + href)
		return nil
	}
	promise, err := clipboard.Call("writeText", href)
	if err != nil {
		a.status("Copy this link: " + href)
		return nil
	}
	return then(promise,
		func(safejs.Value) { a.do(func(a *app) error { a.status("Link copied."); return nil }) },
		func(error) { a.do(func(a *app) error { a.status("Copy this link: " + href); return nil }) })
}

// replaceHash sets the URL fragment without adding a history entry.
func (a *app) replaceHash(hash string) error {
	history, err := a.dom.window.Get("history")
	if err != nil {
		return err
	}
	_, err = history.Call("replaceState", nil, "", hash)
	return err
}

// export downloads the scenario as a JSON file simulate can read.
func (a *app) export() error {
	data, err := a.scenario.MarshalCanonical()
	if err != nil {
		return err
	}
	blobType, err := a.dom.window.Get("Blob")
	if err != nil {
		return err
	}
	opts, err := safejs.ValueOf(map[string]any{"type": "application/json"})
	if err != nil {
		return err
	}
	parts, err := safejs.ValueOf([]any{string(data) + "\n"})
	if err != nil {
		return err
	}
	blob, err := blobType.New(parts, opts)
	if err != nil {
		return err
	}
	urlType, err := a.dom.window.Get("URL")
	if err != nil {
		return err
	}
	href, err := urlType.Call("createObjectURL", blob)
	if err != nil {
		return err
	}
	link, err := a.dom.document.Call("createElement", "a")
	if err != nil {
		return err
	}
	name := a.example
	if name == "" {
		name = "scenario"
	}
	if err := link.Set("href", href); err != nil {
		return err
	}
	if err := link.Set("download", name+".json"); err != nil {
		return err
	}
	if _, err := link.Call("click"); err != nil {
		return err
	}
	_, err = urlType.Call("revokeObjectURL", href)
	return err
}

// importTooLarge says why the chosen file (a File) is not to be read, or
// is nil: a scenario is at most core.MaxScenarioBytes, and reading a
// bigger file whole first (file.text()) would hold it in memory, twice.
func importTooLarge(name string, file safejs.Value) error {
	v, err := file.Get("size")
	if err != nil {
		return nil // not a File: text() will say so
	}
	size, err := v.Float()
	if err != nil || size <= core.MaxScenarioBytes {
		return nil
	}
	return fmtlite.Errorf("%s is %s; a scenario file is at most %s (%d bytes), so it was not read. Is it the scenario you exported?",
		name, megabytes(size), megabytes(core.MaxScenarioBytes), core.MaxScenarioBytes)
}

func megabytes(n float64) string { return fmtlite.Sprintf("%.1f MB", n/(1<<20)) }

// importJSON loads a scenario file's text, or says what is wrong with it,
// and puts its share link in the address bar, so that a reload keeps it.
func (a *app) importJSON(name, text string) error {
	sc, err := core.ParseScenario([]byte(text))
	if err != nil {
		return fmtlite.Errorf("%s is not a scenario the playground can run:\n%w", name, err)
	}
	a.showError("")
	if err := a.load(sc, "", 0); err != nil {
		return err
	}
	// From sc, not a.scenario: a long run is still being prepared.
	s, err := core.EncodeShareLink(sc)
	if err != nil {
		// Too large for a link: the page has it, the address bar cannot.
		a.status("Imported " + name + ". It is too large for a link, so a reload loses it: keep the file.")
		return a.replaceHash("#")
	}
	a.status("Imported " + name + ".")
	return a.replaceHash("#" + core.Fragment{Scenario: s, Step: 0}.String())
}

// link is what a URL fragment names.
type link struct {
	sc      *core.Scenario // nil if it names none
	example string         // the built-in scenario's id, "" for a linked one
	step    int            // -1 if none
	notice  string         // what was wrong with it, though it still opens
}

// resolveFragment reads what a URL fragment names: a linked scenario (s=),
// or a built-in one (ex=), and the step. A fragment that names no
// scenario gives a nil one and no error. A bad step is only a notice, so
// the scenario still opens; s= wins over ex=, since it carries the
// scenario itself (Copy link never writes both), and the notice says so.
func resolveFragment(hash string) (link, error) {
	f, err := core.ParseFragment(hash)
	l := link{step: f.Step}
	var stepErr *core.StepError
	if errors.As(err, &stepErr) {
		l.notice, err = stepErr.Error()+" — showing the start instead.", nil
	}
	if err != nil {
		return link{step: -1}, err
	}
	switch {
	case f.Scenario != "":
		if l.sc, err = core.DecodeShareLink(f.Scenario); err != nil {
			return link{step: -1}, err
		}
		if f.Example != "" {
			l.notice = joinNotice(l.notice, fmtlite.Sprintf("share link: it names both a scenario (s=) and the example ex=%q; showing the scenario from s=.", f.Example))
		}
	case f.Example != "":
		if l.sc, err = core.ExampleByID(f.Example); err != nil {
			return link{step: -1}, fmtlite.Errorf("share link: ex names %w", err)
		}
		l.example = f.Example
	}
	return l, nil
}

func joinNotice(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}

// openFragment loads what a URL fragment names; a bad link shows what is
// wrong and leaves (or puts) a working scenario on the page.
func (a *app) openFragment(hash string) error {
	l, err := resolveFragment(hash)
	switch {
	case err != nil:
		return a.fallback(err)
	case l.sc != nil:
		// Reading a large link takes part of a frame already: the run
		// starts in the next one. The page is not ready until it shows.
		a.preparing = true
		a.later(func(a *app) error {
			if err := a.load(l.sc, l.example, max(l.step, 0)); err != nil {
				return err
			}
			a.showError(l.notice)
			return nil
		})
		return nil
	case a.timeline != nil:
		if l.step >= 0 {
			err = a.show(l.step)
		}
	default:
		err = a.loadExample(core.DefaultExample, max(l.step, 0))
	}
	if err != nil {
		return err
	}
	a.showError(l.notice)
	return nil
}

// loadExample loads the built-in scenario id.
func (a *app) loadExample(id string, step int) error {
	sc, err := core.ExampleByID(id)
	if err != nil {
		return err
	}
	return a.load(sc, id, step)
}

// fallback shows err and makes sure some scenario is on the page.
func (a *app) fallback(err error) error {
	if a.timeline == nil {
		if loadErr := a.loadExample(core.DefaultExample, 0); loadErr != nil {
			return errors.Join(err, loadErr)
		}
	}
	a.showError(err.Error() + " — showing " + web.PlainText(a.scenario.Name) + " instead.")
	return nil
}
