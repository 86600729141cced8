//go:build js && wasm

package main

import (
	"strconv"
	"sync/atomic"

	"github.com/hack-pad/safejs"
	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// logState is what the event log and the scrubber's marks keep for the
// run shown: computed once per run (the notable steps) or once per change
// of the filter (its matches), never per step.
type logState struct {
	tl      *core.Timeline // the run these are for
	notable []int32        // its notable steps, for the marks and N / Shift+N
	list    web.LogList    // what the log lists: every step, or the filter's
	active  int            // the step of the row the keyboard is on, 0 for none
	// top is the scroll offset the rows are drawn for, height the
	// viewport's: kept here, so that drawing the log never reads the
	// page's layout (a forced layout per step, a flood of them when the
	// steps come faster than frames). The program scrolls the log once a
	// frame (want, at the next animation frame, while frame is set); the
	// scroll events of the learner's own scrolling store where the log
	// is in user and queue a redraw (scroll is set while one is queued).
	top, height int
	want, user  atomic.Int64
	frame       atomic.Bool
	scroll      atomic.Bool
	onFrame     safejs.Func
	// width is the scrubber's width the marks were drawn for: a resize
	// that changes it by a column or more draws them again.
	width int
}

// logFor readies the log and the marks for the run shown, once per run:
// its notable steps, no filter, and the filter's node menu for its
// scenario.
func (a *app) logFor() error {
	if a.log.tl == a.timeline {
		return nil
	}
	a.log.tl, a.log.list, a.log.active = a.timeline, web.LogList{}, 0
	a.log.notable = core.NotableSteps(a.timeline)
	if err := a.dom.replace(web.IDLogFilter, web.LogFilter(a.scenario, true)); err != nil {
		return err
	}
	a.log.height = 0
	if el, err := a.dom.byID(web.IDEventLog); err == nil {
		a.log.height, _ = intProp(el, "clientHeight")
	}
	if a.log.height <= 0 {
		a.log.height = 320 // not laid out: the log's height in the style sheet, about
	}
	width := 0
	if el, err := a.dom.byID(web.IDScrubber); err == nil {
		width, _ = intProp(el, "clientWidth")
	}
	if width <= 0 {
		width = 600 // not laid out (a hidden panel): the marks scale anyway
	}
	return a.drawLandmarks(width)
}

// drawLandmarks draws the scrubber's marks for a scrubber width wide.
func (a *app) drawLandmarks(width int) error {
	a.log.width = width
	return a.dom.replace(web.IDLandmarks, web.Landmarks(a.timeline, a.log.notable, width))
}

// resized handles a new width of the scrubber (a resized window, a
// rotated phone): the marks are drawn again when it gains or loses a
// column of them, so that each still stands for as few steps as fit.
func (a *app) resized(width int) error {
	if a.timeline == nil || a.log.tl != a.timeline || width <= 0 || max(width-a.log.width, a.log.width-width) < web.MarkEvery {
		return nil
	}
	return a.drawLandmarks(width)
}

// drawLog draws the rows of the event log near its viewport, after
// scrolling row i into view (none for i < 0), and makes row i the
// active one, which the listbox's aria-activedescendant names. The
// first time for a run, it readies the log for it (logFor).
func (a *app) drawLog(i int) error {
	if err := a.logFor(); err != nil {
		return err
	}
	el, err := a.dom.byID(web.IDEventLog)
	if err != nil {
		return err
	}
	v := web.LogView{List: a.log.list, Step: a.step, Active: a.log.active, Top: a.log.top, Height: a.log.height}
	if n := v.List.Len(a.step); i >= 0 && n > 0 {
		i = min(i, n-1)
		v.Active, v.Top = v.List.At(i), web.LogScrollTop(v, i)
	} else if v.Active > a.step {
		v.Active = 0
	}
	a.log.active = v.Active
	if err := a.dom.inner(el, web.LogRows(a.timeline, v)); err != nil {
		return err
	}
	if v.Top != a.log.top {
		a.log.top = v.Top
		if err := a.scrollLog(v.Top); err != nil {
			return err
		}
	}
	if v.Active == 0 {
		_, err = el.Call("removeAttribute", "aria-activedescendant")
		return err
	}
	_, err = el.Call("setAttribute", "aria-activedescendant", web.LogRowID(v.Active))
	return err
}

// scrollLog scrolls the log to top at the next animation frame, where
// the page is laid out anyway, rather than now, which would lay it out
// once more; a later call before the frame wins.
func (a *app) scrollLog(top int) error {
	a.log.want.Store(int64(top))
	if a.log.frame.Swap(true) {
		return nil
	}
	if a.log.onFrame.Value().IsUndefined() {
		fn, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
			if el, err := a.dom.byID(web.IDEventLog); err == nil {
				_ = el.Set("scrollTop", a.log.want.Load())
			}
			a.log.frame.Store(false)
			return nil
		})
		if err != nil {
			return err
		}
		a.log.onFrame = fn
	}
	_, err := a.dom.window.Call("requestAnimationFrame", a.log.onFrame.Value())
	return err
}

// logScrolled handles a scroll event of the log: one of the learner's
// (not the program's own, nor one while the program's is pending)
// queues a redraw of the rows now in view.
func (a *app) logScrolled(el safejs.Value) {
	top, err := intProp(el, "scrollTop")
	if err != nil || a.log.frame.Load() || int64(top) == a.log.want.Load() {
		return
	}
	a.log.user.Store(int64(top))
	if a.log.scroll.CompareAndSwap(false, true) {
		a.do(func(a *app) error {
			a.log.scroll.Store(false)
			a.log.top = int(a.log.user.Load())
			a.log.want.Store(int64(a.log.top))
			return a.drawLog(-1)
		})
	}
}

// logKey handles a key pressed in the event log's listbox: the arrows,
// Page Up and Down, Home and End move the active row; Enter and Space
// move the player to its step. It reports whether the key was the log's:
// only while the focus is on the log.
func (a *app) logKey(ev safejs.Value) (action, bool) {
	if el, err := ev.Get("target"); err != nil || str(el, "id") != web.IDEventLog {
		return nil, false
	}
	key := str(ev, "key")
	move := func(by func(i, n, page int) int) action {
		return func(a *app) error {
			n := a.log.list.Len(a.step)
			i := -1 // no active row: start before the first
			if a.log.active > 0 {
				i = a.log.list.Len(a.log.active) - 1
			}
			return a.drawLog(min(max(by(i, n, max(a.log.height/web.LogRowHeight-1, 1)), 0), n-1))
		}
	}
	switch key {
	case "ArrowDown":
		return move(func(i, n, page int) int { return i + 1 }), true
	case "ArrowUp":
		return move(func(i, n, page int) int { return max(i-1, 0) }), true
	case "PageDown":
		return move(func(i, n, page int) int { return i + page }), true
	case "PageUp":
		return move(func(i, n, page int) int { return max(i-page, 0) }), true
	case "Home":
		return move(func(i, n, page int) int { return 0 }), true
	case "End":
		return move(func(i, n, page int) int { return n - 1 }), true
	case "Enter", " ":
		return func(a *app) error {
			if a.log.active == 0 {
				return nil
			}
			a.stop()
			return a.show(a.log.active)
		}, true
	}
	return nil, false
}

// jumpNotable moves the player to the next notable step, or with back
// the previous one: a binary search in the run's list.
func (a *app) jumpNotable(back bool) error {
	a.stop()
	jump := core.NextStep
	if back {
		jump = core.PrevStep
	}
	if step, ok := jump(a.log.notable, a.step); ok {
		return a.show(step)
	}
	return nil
}

// bindLog connects the event log: its filter (any input in the form
// filters again, once), its scrolling (a redraw of the rows near the
// viewport), and the buttons that jump between notable steps.
func bindLog(a *app) error {
	d := a.dom
	if err := clicks(a, map[string]action{
		web.IDPrevNotable: func(a *app) error { return a.jumpNotable(true) },
		web.IDNextNotable: func(a *app) error { return a.jumpNotable(false) },
	}); err != nil {
		return err
	}
	if err := on(d.document, "submit", func(ev safejs.Value) {
		if str(ev, "target", "id") == web.IDLogFilter {
			_, _ = ev.Call("preventDefault") // Enter in the request field filters, as typing did
		}
	}); err != nil {
		return err
	}
	if err := on(d.document, "input", func(ev safejs.Value) {
		switch str(ev, "target", "id") {
		case web.IDLogReq, web.IDLogNode, web.IDLogKind:
			f := logFilter(d)
			a.do(func(a *app) error { return a.filterLog(f) })
		}
	}); err != nil {
		return err
	}
	if err := observeWidth(d, web.IDScrubber, func(width int) { a.do(func(a *app) error { return a.resized(width) }) }); err != nil {
		return err
	}
	el, err := d.byID(web.IDEventLog)
	if err != nil {
		return err
	}
	return on(el, "scroll", func(safejs.Value) { a.logScrolled(el) })
}

// observeWidth calls handler with the width of the element with the given
// id each time a ResizeObserver sees it change (and once at the start);
// like on's, the handler must return at once.
func observeWidth(d *dom, id string, handler func(width int)) error {
	el, err := d.byID(id)
	if err != nil {
		return err
	}
	fn, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		if len(args) == 0 {
			return nil
		}
		last, err := args[0].Index(0)
		if err != nil {
			return nil
		}
		if rect, err := last.Get("contentRect"); err == nil {
			if w, err := intProp(rect, "width"); err == nil {
				handler(w)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	ctor, err := d.window.Get("ResizeObserver")
	if err != nil || ctor.IsUndefined() {
		return err // an old browser: the marks keep the width they were drawn for
	}
	obs, err := ctor.New(fn.Value())
	if err != nil {
		return err
	}
	_, err = obs.Call("observe", el)
	return err
}

// logFilter reads the filter's form: each field empty (or not a
// number) for any.
func logFilter(d *dom) core.LogFilter {
	f := core.LogFilter{Req: -1, Node: -1, Kind: -1}
	value := func(id string) string {
		el, err := d.byID(id)
		if err != nil {
			return ""
		}
		return str(el, "value")
	}
	if n, err := strconv.Atoi(value(web.IDLogReq)); err == nil && n >= 0 {
		f.Req = int32(n)
	}
	if n, err := strconv.Atoi(value(web.IDLogNode)); err == nil {
		f.Node = int32(n)
	}
	switch kind := value(web.IDLogKind); kind {
	case web.LogNotable:
		f.Notable = true
	default:
		if n, err := strconv.Atoi(kind); err == nil {
			f.Kind = n
		}
	}
	return f
}

// filterLog lists the steps f picks (one pass over the run) and shows
// the last of them up to the current step.
func (a *app) filterLog(f core.LogFilter) error {
	if err := a.logFor(); err != nil {
		return err
	}
	a.log.list = web.LogList{}
	if !f.None() {
		a.log.list = web.LogList{Filtered: true, Steps: a.timeline.Filter(f)}
	}
	a.log.active = 0
	return a.drawLog(a.log.list.Len(a.step) - 1)
}

// intProp reads the number property p of v (an element's scrollTop).
func intProp(v safejs.Value, p string) (int, error) {
	n, err := v.Get(p)
	if err != nil {
		return 0, err
	}
	f, err := n.Float()
	return int(f), err
}
