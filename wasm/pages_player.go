//go:build js && wasm && !sandbox

package main

import "github.com/sync-vs-async/playground/web"

// This is main.wasm: the playground, the lesson index and the lessons. The
// sandbox is its own program (sandbox.wasm, built with -tags sandbox), so
// that each page downloads at most 1 MB (brotli): see the Makefile.

// startPage starts what the page is: the lesson index, a lesson (the
// player beside the lesson's text), or the playground.
func startPage(a *app) error {
	d := a.dom
	switch {
	case d.has(web.IDLessonIndex):
		a.do(func(a *app) error {
			if err := startIndex(a); err != nil {
				return err
			}
			return a.ready()
		})
		return nil
	case d.has(web.IDLesson):
		if err := bindPlayer(a); err != nil {
			return err
		}
		a.do(func(a *app) error {
			if err := startLesson(a); err != nil {
				return err
			}
			return a.afterLoad((*app).ready)
		})
		return nil
	}
	if err := bindPlayer(a); err != nil {
		return err
	}
	if err := bindPlayground(a); err != nil {
		return err
	}
	a.do(func(a *app) error {
		if err := a.openFragment(str(d.window, "location", "hash")); err != nil {
			return err
		}
		return a.afterLoad((*app).ready)
	})
	return nil
}

// sandboxState is the sandbox's, which this program does not run.
type sandboxState struct{}

// earlyView says whether a long run's start is shown while the rest runs
// (preparation.showEarly): the playground's, not the sandbox's.
const earlyView = true

func (a *app) renderCanvas() error  { return nil }
func (a *app) showWaterfall() error { return nil }
