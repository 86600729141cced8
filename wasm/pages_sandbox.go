//go:build js && wasm && sandbox

package main

import (
	"errors"

	"github.com/sync-vs-async/playground/web"
)

// This is sandbox.wasm: the sandbox page's program (see pages_player.go),
// and, built with -tags challenge too, challenge.wasm: the challenge
// pages' (challenge.go), which leaves out the sandbox's comparison,
// waterfall and saved drafts.

func startPage(a *app) error {
	if challengeProgram && a.dom.has(web.IDChallengeIndex) {
		a.do(func(a *app) error {
			if err := startChallengeIndex(a); err != nil {
				return err
			}
			return a.ready()
		})
		return nil
	}
	if !a.dom.has(web.IDSandbox) {
		return errors.New("sandbox.wasm runs the sandbox page only; other pages load main.wasm")
	}
	return startSandbox(a)
}

// lessonState is a lesson page's, which this program does not run.
type lessonState struct{}

// The sandbox shows a run once it is ready, not its start before: left
// out of sandbox.wasm to keep it within its size budget.
const earlyView = false

func (a *app) lessonButtons() error { return nil }
func (a *app) showCodeLine() error  { return nil }
func (a *app) followStep() error    { return nil }

// The sandbox's program has no zoom bar (its canvas has its own size),
// and redraws the numbers whole rather than in place (stats.go): both
// are left out of sandbox.wasm to keep it within its size budget.
func bindZoom(*app) error { return nil }

type statsState struct{}

func (a *app) drawStats() error {
	return a.dom.replace(web.IDStats, web.Stats(a.timeline, a.step))
}
