//go:build js && wasm

// Command wasm is the playground's browser side, built to static/main.wasm.
//
// It is the only code that touches JavaScript, and it does so through
// safejs, which turns JavaScript exceptions into Go errors instead of
// panics. It holds the UI state, asks core to run the scenario, re-renders
// the page's regions with the same web views the server used, and runs
// the play clock. Event callbacks only queue work for the app's goroutine,
// so they never block.
package main

import (
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/hack-pad/safejs"
	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/internal/fmtlite"
	"github.com/sync-vs-async/playground/web"
)

func main() {
	if err := start(); err != nil {
		// wasm_exec.js sends this to the browser console. The program
		// stays: an exited one makes every later call from the page throw.
		logLine("wasm:", err)
	}
	select {} // event handlers run on this program from now on
}

func start() error {
	// The WASM memory grows to the largest heap the program ever had and
	// never shrinks. With the garbage collector's default pacing alone
	// (next collection at twice the heap live after the last), opening a
	// second 100k-request link left 470-575 MB where the first left 210:
	// the old run and the new one's trace and its copy, with room to
	// double. A soft limit makes it collect sooner near the limit; the
	// large arrays (the trace, its copy) hold no pointers, so those
	// collections cost little. A run's own memory is bounded by the
	// budget (core.BrowserBudget.MaxMemory): the limit leaves room for
	// it, the run it replaces and the page.
	debug.SetMemoryLimit(core.BrowserBudget.MaxMemory + 32<<20)
	d, err := newDOM()
	if err != nil {
		return err
	}
	if err := crashHook(d); err != nil {
		return err
	}
	a := newApp(d)
	go a.loop()
	return startPage(a)
}

// crashHook is for browser tests only: it kills the program as an escaped
// panic or running out of memory would, to show that the page then says
// so (static/app.js). It does nothing unless the page's URL asks:
// ?crash-hook=start dies while starting, ?crash-hook=1 gives the page
// window.crashGo(), which dies when called.
func crashHook(d *dom) error {
	die := func() { panic("crash-hook: the test asked the program to die") }
	for _, kv := range strings.Split(strings.TrimPrefix(str(d.window, "location", "search"), "?"), "&") {
		switch kv {
		case "crash-hook=start":
			die()
		case "crash-hook=1":
			fn, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
				go die() // outside the app's recover
				return nil
			})
			if err != nil {
				return err
			}
			return d.window.Set("crashGo", fn.Value())
		}
	}
	return nil
}

// ready enables every control the page rendered disabled for want of the
// WASM program, re-applies the player's own states, and says so.
func (a *app) ready() error {
	if err := a.dom.each("["+web.RequiresWASM+"]", func(el safejs.Value) error {
		_, err := el.Call("removeAttribute", "disabled")
		return err
	}); err != nil {
		return err
	}
	if a.timeline != nil {
		// Enabling every control enabled the step buttons that cannot
		// step further; the views already show the current step.
		if err := a.showControls(); err != nil {
			return err
		}
	}
	if a.lesson != nil {
		if err := a.lessonButtons(); err != nil {
			return err
		}
	}
	// The body says so, for whoever waits on it (tests, scripts), and the
	// style sheet then hides the loading state.
	data, err := a.dom.document.Get("body")
	if err == nil {
		data, err = data.Get("dataset")
	}
	if err != nil {
		return err
	}
	return data.Set("wasm", web.WasmReady)
}

// click runs act when the element with the given id is clicked.
func click(a *app, id string, act action) error {
	el, err := a.dom.byID(id)
	if err != nil {
		return err
	}
	return on(el, "click", func(safejs.Value) { a.do(act) })
}

// clicks runs each action when the element with its id is clicked.
func clicks(a *app, acts map[string]action) error {
	for id, act := range acts {
		if err := click(a, id, act); err != nil {
			return err
		}
	}
	return nil
}

// bindPlayground connects the playground's own tools: the example menu,
// share links, export and import.
func bindPlayground(a *app) error {
	d := a.dom
	if err := clicks(a, map[string]action{
		web.IDCopyLink: func(a *app) error { return a.copyLink() },
		web.IDExport:   func(a *app) error { return a.export() },
	}); err != nil {
		return err
	}
	if err := onValue(d, web.IDExampleSelect, "change", func(id string) {
		a.do(func(a *app) error {
			a.showError("")
			if err := a.loadExample(id, 0); err != nil {
				return err
			}
			return a.replaceHash("#ex=" + id)
		})
	}); err != nil {
		return err
	}
	imp, err := d.byID(web.IDImport)
	if err != nil {
		return err
	}
	if err := on(imp, "change", func(ev safejs.Value) {
		files, err := ev.Get("target")
		if err == nil {
			files, err = files.Get("files")
		}
		if err != nil {
			return
		}
		file, err := files.Index(0)
		if err != nil || file.IsUndefined() || file.IsNull() {
			return
		}
		name := str(file, "name")
		if err := importTooLarge(name, file); err != nil {
			a.do(func(a *app) error { return err })
			return
		}
		text, err := file.Call("text")
		if err != nil {
			a.do(func(a *app) error { return fmtlite.Errorf("reading %s: %w", name, err) })
			return
		}
		_ = then(text,
			func(v safejs.Value) {
				s, _ := v.String()
				a.do(func(a *app) error { return a.importJSON(name, s) })
			},
			func(err error) { a.do(func(a *app) error { return fmtlite.Errorf("reading %s: %w", name, err) }) })
	}); err != nil {
		return err
	}
	return on(d.window, "hashchange", func(safejs.Value) {
		hash := str(d.window, "location", "hash")
		a.do(func(a *app) error { return a.openFragment(hash) })
	})
}

// bindPlayer connects the player: its buttons, scrubber, speed, clicks
// on the log and the diagram, and the keys.
func bindPlayer(a *app) error {
	d := a.dom
	for id, act := range map[string]action{
		web.IDStepForward: func(a *app) error { a.stop(); return a.show(a.step + 1) },
		web.IDStepBack:    func(a *app) error { a.stop(); return a.show(a.step - 1) },
		web.IDHome:        func(a *app) error { a.stop(); return a.show(0) },
		web.IDEnd:         func(a *app) error { a.stop(); return a.show(a.timeline.Len()) },
		web.IDPlay:        func(a *app) error { return a.togglePlay() },
	} {
		if err := click(a, id, act); err != nil {
			return err
		}
	}

	if err := onValue(d, web.IDScrubber, "input", func(v string) {
		step, err := strconv.Atoi(v)
		if err == nil {
			a.do(func(a *app) error { a.stop(); return a.show(step) })
		}
	}); err != nil {
		return err
	}

	if err := onValue(d, web.IDSpeed, "change", func(text string) {
		v, err := strconv.ParseFloat(text, 64)
		if err == nil && v > 0 {
			a.do(func(a *app) error { a.speed = 4 * v; return nil })
		}
	}); err != nil {
		return err
	}

	if err := bindLog(a); err != nil {
		return err
	}
	if err := on(d.document, "click", a.logClick); err != nil {
		return err
	}
	if err := bindView(a); err != nil {
		return err
	}
	return on(d.document, "keydown", a.playerKey)
}

// logClick jumps to the step of the event log's entry, or of the
// sequence diagram's row, that was clicked.
func (a *app) logClick(ev safejs.Value) {
	target, err := ev.Get("target")
	if err != nil {
		return
	}
	// Only the log's entries and the diagram's rows jump (the body
	// carries data-step too, as the current step).
	item, err := target.Call("closest", "#"+web.IDEventLog+" [data-step], #"+web.IDSequence+" [data-step], #"+web.IDLandmarks+" [data-step]")
	if err != nil || item.IsNull() {
		return
	}
	step, err := strconv.Atoi(str(item, "dataset", "step"))
	if err == nil {
		a.do(func(a *app) error { a.stop(); return a.show(step) })
	}
}

// playerKey handles the player's keys, except in form controls and on
// the sandbox's canvas.
func (a *app) playerKey(ev safejs.Value) {
	// Form controls keep their own keys (a focused button's space,
	// the scrubber's arrows, a select's letters).
	switch str(ev, "target", "tagName") {
	case "INPUT", "SELECT", "TEXTAREA", "BUTTON":
		if str(ev, "key") != "Escape" {
			return
		}
	}
	if alt, _ := boolProp(ev, "altKey"); alt {
		return
	}
	// On the sandbox's canvas the arrows move nodes.
	if target, err := ev.Get("target"); err == nil {
		if c, err := target.Call("closest", "#"+web.IDCanvas); err == nil && !c.IsNull() {
			return
		}
	}
	if ctrl, _ := boolProp(ev, "ctrlKey"); ctrl {
		return
	}
	act, ok := a.logKey(ev)
	if ok {
		if _, err := ev.Call("preventDefault"); err == nil {
			a.do(act)
		}
		return
	}
	switch str(ev, "key") {
	case "ArrowRight":
		act = func(a *app) error { a.stop(); return a.show(a.step + 1) }
	case "ArrowLeft":
		act = func(a *app) error { a.stop(); return a.show(a.step - 1) }
	case " ":
		act = func(a *app) error { return a.togglePlay() }
	case "Home":
		act = func(a *app) error { a.stop(); return a.show(0) }
	case "End":
		act = func(a *app) error { a.stop(); return a.show(a.timeline.Len()) }
	case "Escape":
		act = func(a *app) error { a.stop(); return nil }
	case "n", "N":
		back, _ := boolProp(ev, "shiftKey")
		act = func(a *app) error { return a.jumpNotable(back) }
	default:
		return
	}
	if _, err := ev.Call("preventDefault"); err != nil {
		return
	}
	a.do(act)
}

// boolProp reads the boolean property p of v (an event's ctrlKey, a
// checkbox's checked); an error if it cannot be read.
func boolProp(v safejs.Value, p string) (bool, error) {
	b, err := v.Get(p)
	if err != nil {
		return false, err
	}
	return b.Bool()
}
