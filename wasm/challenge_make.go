//go:build js && wasm && sandbox && !challenge

package main

import (
	"github.com/sync-vs-async/playground/core"
)

// The sandbox's "Make a challenge from this" opens /challenges/make on
// the sandbox's scenario (the draft it saves as the page is left), where
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

// bindChallenge has nothing to bind: "Make a challenge from this" is a
// link, and the make page opens the draft the sandbox saved as it was left.
func bindChallenge(*app) error { return nil }
