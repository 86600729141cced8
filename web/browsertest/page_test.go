//go:build !js

package browsertest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/web"
)

// actionTimeout bounds one step of a test, such as a navigation or a poll.
const actionTimeout = 30 * time.Second

// tab is a browser tab that records everything the page writes to the
// console.
type tab struct {
	t   *testing.T
	ctx context.Context // the chromedp context of the tab

	mu       sync.Mutex
	messages []chromedp.ConsoleMessage
	changed  chan struct{} // closed and replaced on each new message
	syncs    int           // markers sent by sync
}

// syncMarker starts the console.debug messages with which sync finds the end
// of the messages so far. Messages() leaves them out.
const syncMarker = "browsertest-sync-"

// openPage opens url in a new tab of the browser and waits for its load event.
// From before the navigation on, it records every message of the tab's
// console: console API calls, uncaught exceptions and unhandled rejections
// (Runtime.exceptionThrown), and browser log entries (Log.entryAdded), such as
// a 404 for a favicon. The before actions run in the tab before the
// navigation. The tab closes when the test ends.
func openPage(t *testing.T, browser context.Context, url string, before ...chromedp.Action[chromedp.Void]) *tab {
	t.Helper()
	return openTab(t, browser, nil, url, before...)
}

// openFreshPage is openPage in a new browser context of the browser: a fresh
// tab that shares no cookies, storage, cache or history with the others, as
// when someone else opens a link.
func openFreshPage(t *testing.T, browser context.Context, url string, before ...chromedp.Action[chromedp.Void]) *tab {
	t.Helper()
	return openTab(t, browser, []chromedp.ContextOption{chromedp.WithNewBrowserContext()}, url, before...)
}

// openTab opens url in a new tab of browser made with the context options.
func openTab(t *testing.T, browser context.Context, opts []chromedp.ContextOption, url string, before ...chromedp.Action[chromedp.Void]) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, opts...)
	p := &tab{t: t, ctx: ctx, changed: make(chan struct{})}

	// Console opens the tab and subscribes before it returns, so nothing the
	// page writes during the navigation is lost.
	messages := chromedp.Console(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return // the tab's context ended
			}
			p.add(m)
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})

	steps := append(before[:len(before):len(before)], chromedp.Navigate(url))
	p.do(steps...)
	return p
}

func (p *tab) add(m chromedp.ConsoleMessage) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.messages = append(p.messages, m)
	close(p.changed)
	p.changed = make(chan struct{})
}

// do runs the actions in the tab, bounded by actionTimeout, and fails the
// test on an error.
func (p *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	_, err := run(p, chromedp.Steps(steps...))
	require.NoError(p.t, err)
}

// run runs one action in the tab, bounded by actionTimeout.
func run[T any](p *tab, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	return chromedp.Run(ctx, a)
}

// mustRun is run that fails the test on an error.
func mustRun[T any](p *tab, a chromedp.Action[T]) T {
	p.t.Helper()
	v, err := run(p, a)
	require.NoError(p.t, err)
	return v
}

// Messages returns the console messages so far. It first writes a marker to
// the console and waits until it comes back, so that every message the page
// wrote before the call is in the result.
func (p *tab) Messages() []chromedp.ConsoleMessage {
	p.t.Helper()
	p.mu.Lock()
	p.syncs++
	marker := fmt.Sprintf("%s%d", syncMarker, p.syncs)
	p.mu.Unlock()

	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf("console.debug(%q)", marker)))
	deadline := time.After(actionTimeout)
	for {
		p.mu.Lock()
		seen := false
		var out []chromedp.ConsoleMessage
		for _, m := range p.messages {
			switch {
			case m.Text == marker:
				seen = true
			case !strings.HasPrefix(m.Text, syncMarker):
				out = append(out, m)
			}
		}
		changed := p.changed
		p.mu.Unlock()
		if seen {
			return out
		}
		select {
		case <-changed:
		case <-deadline:
			p.t.Fatalf("the console marker %q did not come back within %v", marker, actionTimeout)
		}
	}
}

// consoleProblems returns the messages that a clean page must not have:
// errors, warnings and exceptions of any source, and Go panics. A Go program
// in WASM writes its panic to stderr, which wasm_exec.js sends to console.log
// line by line, so a panic is a "log" line that starts with "panic:". Its
// exit code comes as "exit code: N" (a console.warn in Go 1.26's
// wasm_exec.js, but the check does not rely on the level).
func consoleProblems(messages []chromedp.ConsoleMessage) []chromedp.ConsoleMessage {
	var bad []chromedp.ConsoleMessage
	for _, m := range messages {
		switch m.Type {
		case chromedp.ConsoleError, chromedp.ConsoleWarning, chromedp.ConsoleException, "assert":
			bad = append(bad, m)
			continue
		}
		if isGoExitLine(m.Text) {
			bad = append(bad, m)
		}
	}
	return bad
}

// isGoExitLine reports whether a console text has a line that starts with
// "panic:" or "exit code:".
func isGoExitLine(text string) bool {
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "panic:") || strings.HasPrefix(line, "exit code:") {
			return true
		}
	}
	return false
}

// requireCleanConsole fails the test if the page wrote an error, a warning, an
// exception or a Go panic to the console. It logs every message.
func (p *tab) requireCleanConsole() {
	p.t.Helper()
	messages := p.Messages()
	for _, m := range messages {
		p.t.Logf("console %s", describe(m))
	}
	bad := consoleProblems(messages)
	if len(bad) == 0 {
		return
	}
	lines := make([]string, len(bad))
	for i, m := range bad {
		lines[i] = "  " + describe(m)
	}
	p.t.Fatalf("the console is not clean, %d problem(s):\n%s", len(bad), strings.Join(lines, "\n"))
}

// describe renders a console message with its source and place.
func describe(m chromedp.ConsoleMessage) string {
	s := m.String()
	if m.Source != "" {
		s += " [" + m.Source + "]"
	}
	if m.URL != "" {
		s += fmt.Sprintf(" (%s:%d)", m.URL, m.Line+1)
	}
	return s
}

// statusReadyJS is true once the WASM program has said it has started:
// the body's data-wasm, since the status element hides then.
var statusReadyJS = fmt.Sprintf(`document.body?.dataset.wasm === %q`, web.WasmReady)

// waitWASMReady polls until the body says the program is ready, and fails
// the test with the status element's text if it does not within timeout.
func (p *tab) waitWASMReady(timeout time.Duration) {
	p.t.Helper()
	_, err := run(p, chromedp.Poll[bool](statusReadyJS,
		chromedp.WithPollingTimeout(timeout),
		chromedp.WithPollingInterval(20*time.Millisecond),
	))
	if err == nil {
		return
	}
	status, serr := run(p, chromedp.TextContent(chromedp.ID(web.StatusID)))
	if serr != nil {
		status = "(cannot read it: " + serr.Error() + ")"
	}
	var console []string
	for _, m := range p.Messages() {
		console = append(console, "  "+describe(m))
	}
	p.t.Fatalf("the body's data-wasm did not read %q within %v: %v\nstatus: %q\nconsole:\n%s",
		web.WasmReady, timeout, err, status, strings.Join(console, "\n"))
}

// TestConsoleCollector checks that openPage and consoleProblems see each kind
// of problem, so that a clean console in the other tests means something.
func TestConsoleCollector(t *testing.T) {
	browser := newBrowser(t)
	p := openPage(t, browser, serverURL+"/")
	p.waitWASMReady(readyTimeout)

	p.do(chromedp.Evaluate[chromedp.Void](`
		console.log("fine");
		console.log("panic: runtime error: index out of range [3] with length 3");
		console.warn("a warning");
		console.error("an error");
		setTimeout(() => { throw new Error("uncaught"); });
		const img = new Image();
		img.src = "/static/missing.png";
		document.body.append(img);`))

	// The exception and the 404 come a moment later.
	want := []string{
		"log: panic: runtime error",
		"warning: a warning",
		"error: an error",
		"exception: Uncaught Error: uncaught",
		"error: Failed to load resource: the server responded with a status of 404",
	}
	var problems []string
	deadline := time.Now().Add(5 * time.Second)
	for {
		problems = problems[:0]
		for _, m := range consoleProblems(p.Messages()) {
			problems = append(problems, m.String())
		}
		if len(problems) >= len(want) || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	require.Len(t, problems, len(want), "%q", problems)
	for _, w := range want {
		found := false
		for _, got := range problems {
			found = found || strings.HasPrefix(got, w)
		}
		require.True(t, found, "no console problem starts with %q in %q", w, problems)
	}
}
