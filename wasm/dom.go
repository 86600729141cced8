//go:build js && wasm

package main

import (
	"bytes"
	"errors"
	"strings"

	"github.com/hack-pad/safejs"
	g "maragu.dev/gomponents"

	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// dom is the little the app needs from the document, every call going
// through safejs so that a JavaScript exception is a Go error, not a panic.
type dom struct {
	document safejs.Value
	window   safejs.Value
}

func newDOM() (*dom, error) {
	window := safejs.Global()
	document, err := window.Get("document")
	if err != nil {
		return nil, err
	}
	return &dom{document: document, window: window}, nil
}

// byID returns the element with the given id.
func (d *dom) byID(id string) (safejs.Value, error) {
	el, err := d.document.Call("getElementById", id)
	if err != nil {
		return safejs.Null(), err
	}
	if el.IsNull() || el.IsUndefined() {
		return safejs.Null(), fmtlite.Errorf("no element with id %q", id)
	}
	return el, nil
}

// replace renders node and puts it in place of the element with the given
// id (the node carries the same id, so it can be replaced again).
func (d *dom) replace(id string, node g.Node) error {
	el, err := d.byID(id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := node.Render(&buf); err != nil {
		return err
	}
	return el.Set("outerHTML", buf.String())
}

// inner renders node as the content of el, which stays (with its focus,
// its scroll offset and its listeners).
func (d *dom) inner(el safejs.Value, node g.Node) error {
	var buf bytes.Buffer
	if err := node.Render(&buf); err != nil {
		return err
	}
	return el.Set("innerHTML", buf.String())
}

// set sets a property of the element with the given id.
func (d *dom) set(id, property string, value any) error {
	el, err := d.byID(id)
	if err != nil {
		return err
	}
	return el.Set(property, value)
}

// attr sets (or, with remove, removes) an attribute of the element with
// the given id.
func (d *dom) attr(id, name, value string, remove bool) error {
	el, err := d.byID(id)
	if err != nil {
		return err
	}
	if remove {
		_, err = el.Call("removeAttribute", name)
		return err
	}
	_, err = el.Call("setAttribute", name, value)
	return err
}

// on calls handler for every event of the given type on target. The
// callback must not block the JavaScript event loop, so it only copies
// what it needs from the event and hands it to handler, which must return
// at once (the app queues the work for its own goroutine).
func on(target safejs.Value, event string, handler func(ev safejs.Value)) error {
	fn, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		if len(args) > 0 {
			handler(args[0])
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = target.Call("addEventListener", event, fn.Value())
	return err
}

// onValue calls handler with the value of the element with the given id on
// every event of the given type ("change" for a menu, "input" for a
// slider); like on's, the handler must return at once.
func onValue(d *dom, id, event string, handler func(value string)) error {
	el, err := d.byID(id)
	if err != nil {
		return err
	}
	return on(el, event, func(ev safejs.Value) { handler(str(ev, "target", "value")) })
}

// str reads a string property, or "" if it is missing.
func str(v safejs.Value, path ...string) string {
	for _, p := range path {
		next, err := v.Get(p)
		if err != nil || next.IsUndefined() || next.IsNull() {
			return ""
		}
		v = next
	}
	s, err := v.String()
	if err != nil {
		return ""
	}
	return s
}

// then calls fn with the result of a JavaScript promise, or onErr with its
// rejection, without blocking.
func then(promise safejs.Value, fn func(safejs.Value), onErr func(error)) error {
	var ok, fail safejs.Func
	release := func() { ok.Release(); fail.Release() }
	ok, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		release()
		if len(args) > 0 {
			fn(args[0])
		} else {
			fn(safejs.Undefined())
		}
		return nil
	})
	if err != nil {
		return err
	}
	fail, err = safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		release()
		msg := "failed"
		if len(args) > 0 {
			if m := str(args[0], "message"); m != "" {
				msg = m
			}
		}
		onErr(errors.New(msg))
		return nil
	})
	if err != nil {
		return err
	}
	_, err = promise.Call("then", ok.Value(), fail.Value())
	return err
}

// each calls fn with every element the CSS selector finds, in document
// order, and stops at fn's first error.
func (d *dom) each(selector string, fn func(el safejs.Value) error) error {
	return eachIn(d.document, selector, fn)
}

// eachIn is each for the elements under root.
func eachIn(root safejs.Value, selector string, fn func(el safejs.Value) error) error {
	list, err := root.Call("querySelectorAll", selector)
	if err != nil {
		return err
	}
	n, err := list.Length()
	if err != nil {
		return err
	}
	for i := range n {
		el, err := list.Index(i)
		if err != nil {
			return err
		}
		if err := fn(el); err != nil {
			return err
		}
	}
	return nil
}

// has reports whether the page has an element with the given id.
func (d *dom) has(id string) bool {
	_, err := d.byID(id)
	return err == nil
}

// logLine writes a line to the browser's console, as fmt.Println does
// through wasm_exec.js, without package os (whose files, poller and
// syscalls cost the programs about 8 KB brotli).
func logLine(a ...any) {
	console, err := safejs.Global().Get("console")
	if err == nil {
		_, _ = console.Call("log", strings.TrimSuffix(fmtlite.Sprintln(a...), "\n"))
	}
}

// siteBase is the path the site is served under: "/" from the Go server,
// a static export's base ("/course/") otherwise. The export rewrites the
// header's home link to it, so the page says it there.
func siteBase(d *dom) string {
	link, err := d.document.Call("querySelector", "a.site-name")
	if err != nil || link.IsNull() {
		return "/"
	}
	href, err := link.Call("getAttribute", "href")
	if err != nil {
		return "/"
	}
	base, err := href.String()
	if err != nil || !strings.HasPrefix(base, "/") || !strings.HasSuffix(base, "/") {
		return "/"
	}
	return base
}
