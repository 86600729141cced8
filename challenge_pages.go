package main

import (
	g "maragu.dev/gomponents"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// challengePages are the challenge pages, by path: the index, one page
// per built-in challenge, and the page that opens a teacher's challenge
// from its link (/challenges/custom#c=1.…). Any other /challenges/… is 404.
func challengePages() map[string]pageFunc {
	p := map[string]pageFunc{
		web.ChallengesPath:      computedOnce(challengeIndexPage),
		web.CustomChallengePath: computedOnce(customChallengePage),
		web.MakeChallengePath:   computedOnce(makeChallengePage),
	}
	for _, ch := range core.Challenges() {
		p[web.ChallengePath(ch.ID)] = computedOnce(func() (g.Node, error) { return challengePage(ch.ID) })
	}
	return p
}

// challengeIndexPage lists the built-in challenges.
func challengeIndexPage() (g.Node, error) {
	return web.ChallengeIndexPage(web.ChallengeSummaries(core.Challenges())), nil
}

// challengePage is the sandbox opened on challenge id's starting
// scenario, run, with the challenge's panel; the budget is measured on
// the start, the goal checks wait for the WASM program's check.
func challengePage(id string) (g.Node, error) {
	ch, err := core.ChallengeByID(id)
	if err != nil {
		return nil, err
	}
	tl, e, err := core.RunTimeline(ch.Start)
	if err != nil {
		return nil, err
	}
	return web.ChallengePage(web.NewChallengeView(ch, core.Challenges()), web.Sandbox{
		Examples: core.Examples(),
		Builder:  web.Builder{Scenario: e.Scenario(), Selection: web.NoSelection(), Locked: ch.LockedNodes(e.Scenario())},
		Timeline: tl,
	}), nil
}

// customChallengePage is the page a teacher's link opens: the challenge
// is in the fragment, which only the WASM program reads, so the server
// renders the sandbox's default template under a panel that says so.
func customChallengePage() (g.Node, error) {
	sc, tl, err := defaultRun()
	if err != nil {
		return nil, err
	}
	return web.ChallengePage(web.ChallengeView{
		Title: "A shared challenge",
		Goal:  "Opening the challenge in the link…",
	}, web.Sandbox{
		Examples: core.Examples(),
		Builder:  web.Builder{Scenario: sc, Selection: web.NoSelection()},
		Timeline: tl,
	}), nil
}

// makeChallengePage is the sandbox's "Make a challenge from this": the
// scenario is in the fragment, so the server renders the default template
// under the form; the WASM program opens the linked scenario.
func makeChallengePage() (g.Node, error) {
	sc, tl, err := defaultRun()
	if err != nil {
		return nil, err
	}
	return web.MakeChallengePage(web.MakeFigures(), web.Sandbox{
		Examples: core.Examples(),
		Builder:  web.Builder{Scenario: sc, Selection: web.NoSelection()},
		Timeline: tl,
	}), nil
}
