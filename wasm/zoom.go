//go:build js && wasm && !sandbox

package main

import "github.com/sync-vs-async/playground/web"

// The topology's zoom is the player's (playground and lesson pages): the
// sandbox's canvas has its own size, and its program (sandbox.wasm, near
// its 1 MB brotli budget) leaves this out (see pages_sandbox.go).

// bindZoom wires the topology's zoom bar, where the page has one: out and
// in step through web.ZoomLevels (staying at either end), Fit goes back
// to fitting the panel; the status says the level.
func bindZoom(a *app) error {
	if !a.dom.has(web.IDZoomIn) {
		return nil // the sandbox's canvas has its own size
	}
	zoom := func(to func(int) int) action {
		return func(a *app) error {
			a.view.zoom = min(max(to(a.view.zoom), 0), len(web.ZoomLevels)-1)
			if err := a.dom.set(web.IDZoomLevel, "textContent", web.ZoomText(web.ZoomLevels[a.view.zoom])); err != nil {
				return err
			}
			if a.timeline == nil {
				return nil
			}
			a.view.shownTL = nil // a new size, not a glide
			return a.drawTopology(a.step)
		}
	}
	return clicks(a, map[string]action{
		web.IDZoomOut: zoom(func(z int) int { return z - 1 }),
		web.IDZoomFit: zoom(func(int) int { return 0 }),
		web.IDZoomIn:  zoom(func(z int) int { return z + 1 }),
	})
}
