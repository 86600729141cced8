//go:build js && wasm && sandbox && !challenge

package main

import (
	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// The sandbox's "Make a challenge from this" opens /challenges/make on
// the sandbox's scenario (the link the sandbox keeps in its URL), where
// challenge.wasm measures the run and makes the challenge link: the
// checker, its validation and the form stay out of sandbox.wasm, which has
// no room for them (its size budget, see the Makefile).

// challengeProgram is false in sandbox.wasm, true in challenge.wasm.
const challengeProgram = false

type challengeState struct{}

// The challenge pages' hooks, which the sandbox does not have.
func (a *app) openChallenge(string) error { return nil }
func (a *app) saveWork()                  {}
func (a *app) challengeChanged()          {}
func (a *app) challengeRan(*core.Engine)  {}
func startChallengeIndex(*app) error      { return nil }

// bindChallenge binds "Make a challenge from this": the draft's link, as
// saved now, goes to the make page.
func bindChallenge(a *app) error {
	return click(a, web.IDMakeChallenge, func(a *app) error {
		if a.sandbox.saving.dirty {
			a.persist()
		}
		loc, err := a.dom.window.Get("location")
		if err != nil {
			return err
		}
		_, err = loc.Call("assign", web.MakeChallengePath+str(loc, "hash"))
		return err
	})
}
