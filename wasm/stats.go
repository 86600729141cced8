//go:build js && wasm && !sandbox

package main

import (
	"github.com/hack-pad/safejs"
	"github.com/sync-vs-async/playground/web"
)

// statsState holds the numbers panel as drawn: its value elements (the
// <dd> of each [web.Stat], in order) and the text each shows. A step
// writes only the values that changed, in place: replacing the whole
// list made the browser parse, style and lay out 42 new elements at
// every step of a jump. (The sandbox's program, near its size budget,
// replaces the list: see pages_sandbox.go.)
type statsState struct {
	values []safejs.Value
	shown  []string
}

// drawStats shows the numbers at the current step.
func (a *app) drawStats() error {
	stats := web.StatValues(a.timeline, a.step)
	s := &a.stats
	if !s.current(len(stats)) {
		// Not drawn yet for this page, or replaced: draw it whole, then
		// keep its value elements.
		if err := a.dom.replace(web.IDStats, web.Stats(a.timeline, a.step)); err != nil {
			return err
		}
		s.values, s.shown = s.values[:0], s.shown[:0]
		if err := a.dom.each("#"+web.IDStats+" dd", func(el safejs.Value) error {
			s.values = append(s.values, el)
			return nil
		}); err != nil {
			return err
		}
		for _, st := range stats {
			s.shown = append(s.shown, st.Value)
		}
		return nil
	}
	for i, st := range stats {
		if s.shown[i] == st.Value {
			continue
		}
		if err := s.values[i].Set("textContent", st.Value); err != nil {
			return err
		}
		s.shown[i] = st.Value
	}
	return nil
}

// current reports whether the kept value elements are the n of the list
// in the page.
func (s *statsState) current(n int) bool {
	if len(s.values) != n || n == 0 {
		return false
	}
	connected, err := s.values[0].Get("isConnected")
	if err != nil {
		return false
	}
	ok, err := connected.Bool()
	return err == nil && ok
}
