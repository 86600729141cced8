package main

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	g "maragu.dev/gomponents"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// pageFunc renders one page. It takes no request: a page is the same for
// everyone, and whatever differs (a share link, a step) is in the URL's
// fragment, which only the WASM program reads.
type pageFunc = func() (g.Node, error)

// pages is the table of the playground's pages, by path. A path ending in
// "/" is that path only, not the tree under it. Serving a page at another
// path, or another page at a path, is a change of one row.
func pages() map[string]pageFunc {
	p := map[string]pageFunc{
		"/":        computedOnce(playgroundPage),
		"/sandbox": computedOnce(sandboxPage),
		"/lessons": computedOnce(lessonIndexPage),
	}
	// One path per lesson: any other /lessons/… is 404.
	for _, l := range core.Lessons() {
		p[web.LessonPath(l.ID)] = computedOnce(func() (g.Node, error) { return lessonPage(l.ID) })
	}
	// The challenges (challenge_pages.go).
	for path, page := range challengePages() {
		p[path] = page
	}
	return p
}

// computedOnce renders the page of render on its first request and serves
// the same HTML from then on: a page that runs a lesson's scenarios is the
// same every time, so it is computed once per handler.
func computedOnce(render pageFunc) pageFunc {
	return sync.OnceValues(func() (g.Node, error) {
		node, err := render()
		if err != nil || node == nil {
			return node, err
		}
		var html strings.Builder
		if err := node.Render(&html); err != nil {
			return nil, err
		}
		return g.Raw(html.String()), nil
	})
}

// playgroundRenders counts the calls of playgroundPage, so that a test can
// tell that / is rendered once per handler, not once per request.
var playgroundRenders atomic.Int64

// playgroundPage is the playground showing the default example at its
// first step, rendered on the server so that it reads before the WASM
// program has loaded. The run is deterministic, so every request gets
// the same page: pages renders it once (computedOnce).
func playgroundPage() (g.Node, error) {
	playgroundRenders.Add(1)
	sc, tl, err := defaultRun()
	if err != nil {
		return nil, err
	}
	return web.PlaygroundPage(web.Playground{
		Examples:    core.Examples(),
		Current:     core.DefaultExample,
		Scenario:    sc,
		Timeline:    tl,
		FirstLesson: core.Lessons()[0].ID,
	}), nil
}

// defaultRun is the default example, run with its trace.
func defaultRun() (*core.Scenario, *core.Timeline, error) {
	sc, err := core.ExampleByID(core.DefaultExample)
	if err != nil {
		return nil, nil, err
	}
	tl, e, err := core.RunTimeline(sc)
	if err != nil {
		return nil, nil, err
	}
	return e.Scenario(), tl, nil
}

// sandboxPage is the sandbox with its first template loaded and run, so
// the page reads (canvas, properties, player) before the WASM program
// has loaded; the program then opens what the URL fragment names.
func sandboxPage() (g.Node, error) {
	sc, tl, err := defaultRun()
	if err != nil {
		return nil, err
	}
	return web.SandboxPage(web.Sandbox{
		Examples: core.Examples(),
		Template: core.DefaultExample,
		Builder:  web.Builder{Scenario: sc, Selection: web.NoSelection()},
		Timeline: tl,
	}), nil
}

// lessonIndexPage lists the lessons.
func lessonIndexPage() (g.Node, error) {
	return web.LessonIndexPage(core.Lessons()), nil
}

// lessonPage is the page of the lesson id, its steps' scenarios run and
// step 1 shown in the player at its stop.
func lessonPage(id string) (g.Node, error) {
	l := core.LessonByID(id)
	if l == nil {
		return nil, fmt.Errorf("no lesson %q", id)
	}
	v, err := web.NewLessonView(l)
	if err != nil {
		return nil, err
	}
	return web.LessonPage(v), nil
}
