//go:build js && wasm && sandbox

package main

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/internal/fmtlite"
	"github.com/sync-vs-async/playground/web"
	"github.com/sync-vs-async/playground/web/editor"
	g "maragu.dev/gomponents"
)

// The sandbox never loses the learner's work: every change to the draft
// is written, a moment later, to the URL (a share link, while the draft
// runs) and to localStorage (the draft, the step and the undo history:
// core.SavedDraft). A reload, a closed tab or a dead program (static/app.js
// then offers to reload) finds it there and offers it back.

const (
	// draftKey is the localStorage key of the saved draft.
	draftKey = "sandbox-draft"
	// restoreKey is the sessionStorage key that static/app.js sets, to the
	// page's path, before it reloads a page whose program died: the
	// sandbox then restores its draft without asking.
	restoreKey = "restore-after-crash"
	// tabKey is the sessionStorage key of this tab's name (SavedDraft.Tab),
	// which a reload keeps.
	tabKey = "sandbox-tab"
	// saveDelay is how long the draft must be left alone before it is
	// saved: a burst of changes is saved once.
	saveDelay = 300 * time.Millisecond
	// maxSavedSnapshots and maxSavedBytes bound the saved undo history
	// (the oldest entries go first), well under the usual 5 MB quota.
	maxSavedSnapshots = 50
	maxSavedBytes     = 2 << 20
)

// draftSaving is the sandbox's saving state.
type draftSaving struct {
	gen    int              // bumped by each change: only the latest timer saves
	dirty  bool             // a change is not in localStorage yet
	count  int              // saves done, published as data-saved for tests
	wrote  string           // the last hash the sandbox put in the URL
	offer  *core.SavedDraft // saved work offered back, until the learner answers
	tab    string           // this tab's name (see tabKey)
	failed bool             // the last save failed (said once)
}

// bindDraft saves pending work when the page is hidden or left, and
// follows links put in the address bar.
func bindDraft(a *app) error {
	d := a.dom
	flush := func(safejs.Value) {
		// Go runs the queued action before it returns to JavaScript, so
		// the save is done before the page goes.
		a.do(func(a *app) error {
			if a.sandbox.saving.dirty {
				a.persist()
			}
			return nil
		})
	}
	if err := on(d.window, "pagehide", flush); err != nil {
		return err
	}
	if err := on(d.document, "visibilitychange", flush); err != nil {
		return err
	}
	return on(d.window, "hashchange", func(safejs.Value) {
		hash := str(d.window, "location", "hash")
		a.do(func(a *app) error { return a.followHash(hash) })
	})
}

// openSandbox opens what the URL names, then offers back saved work that
// differs from it; after a crash (see restoreKey) it restores that work
// at once. Saved work equal to what the URL shows only brings back its
// undo history.
func (a *app) openSandbox(hash string) error {
	s := a.sandbox
	afterCrash := a.reloadedAfterCrash()
	s.saving.tab = a.tabName()
	saved := a.savedDraft()
	if saved != nil && afterCrash && saved.Tab == s.saving.tab {
		return a.restoreDraft(saved)
	}
	if err := a.sandboxFragment(hash); err != nil {
		return err
	}
	if saved == nil {
		return nil
	}
	if saved.Scenario.Equal(s.ed.Draft) {
		s.ed.History.Load(saved.Undo, saved.Redo)
		return a.undoButtons()
	}
	s.saving.offer = saved
	return a.fillNotice(web.DraftOffer(a.savedAtText(saved)))
}

// restoreDraft makes saved work the draft, with its undo history.
func (a *app) restoreDraft(saved *core.SavedDraft) error {
	s := a.sandbox
	s.saving.offer = nil
	if err := a.fillNotice(nil); err != nil {
		return err
	}
	s.ed.History.Load(saved.Undo, saved.Redo)
	template := ""
	if _, err := core.ExampleByID(saved.Template); err == nil {
		template = saved.Template
	}
	a.showError("")
	if err := a.apply(editor.Action{Op: editor.Open, Scenario: saved.Scenario, Text: template, Index: saved.Step}); err != nil {
		return err
	}
	a.status("Restored your work from " + a.savedAtText(saved) + ".")
	a.focusSelector("#" + web.IDCanvas + " [data-node], #" + web.IDCanvas + " [data-edge]")
	a.touch()
	return nil
}

// discardDraft forgets the saved work the page offered.
func (a *app) discardDraft() error {
	s := a.sandbox
	s.saving.offer = nil
	if err := a.fillNotice(nil); err != nil {
		return err
	}
	if st, err := storage(a.dom, "localStorage"); err == nil {
		_, _ = st.Call("removeItem", draftKey)
	}
	a.status("Discarded the saved work.")
	if s.saving.dirty {
		a.touch() // what was done meanwhile is the work now
	}
	return nil
}

// touch notes a change of the draft, to be saved once the draft has been
// left alone for saveDelay. The timer does not block a callback, and its
// action is never dropped.
func (a *app) touch() {
	sv := &a.sandbox.saving
	sv.gen++
	sv.dirty = true
	gen := sv.gen
	a.after(saveDelay, func(a *app) error {
		if a.sandbox.saving.gen == gen {
			a.persist()
		}
		return nil
	})
}

// persist writes the draft to the URL, if it runs (a link must open a
// scenario that runs), and to localStorage, unless saved work is still
// offered: that stays until the learner says what to do with it.
func (a *app) persist() {
	s := a.sandbox
	if challengeProgram {
		a.saveWork() // a challenge's work has a place of its own
		return
	}
	sv := &s.saving
	step := -1
	if !s.stale && a.timeline != nil {
		step = a.step
	}
	if len(s.ed.Problems) == 0 {
		// A link too long to open again stays out of the URL.
		if enc, err := core.EncodeShareLink(s.ed.Draft); err == nil && len(enc) <= core.MaxShareLinkBytes {
			hash := "#" + core.Fragment{Scenario: enc, Step: step}.String()
			if hash != sv.wrote {
				if err := a.writeHash(hash); err != nil {
					logLine("saving the link:", err)
				}
			}
		}
	}
	if sv.offer != nil {
		return
	}
	undo, redo := s.ed.History.Snapshots()
	d := core.SavedDraft{Scenario: s.ed.Draft, Template: s.ed.Template, Tab: sv.tab, Step: step,
		SavedAt: time.Now().UnixMilli(), Undo: undo, Redo: redo}
	st, err := storage(a.dom, "localStorage")
	// A full storage refuses the write (QuotaExceededError): try again
	// with less history, down to none.
	for n := maxSavedSnapshots; err == nil; {
		var data []byte
		var kept int
		if data, kept, err = core.EncodeDraft(d, n, maxSavedBytes); err != nil {
			break
		}
		if _, err = st.Call("setItem", draftKey, string(data)); err == nil {
			sv.dirty, sv.failed = false, false
			sv.count++
			if err := a.dom.attr(web.IDSandbox, "data-saved", strconv.Itoa(sv.count), false); err != nil {
				logLine("saving:", err)
			}
			return
		}
		if kept == 0 {
			break
		}
		n, err = kept/2, nil
	}
	logLine("saving the draft:", err)
	if !sv.failed {
		sv.failed = true
		a.status("This browser would not keep a copy of your work (its storage is full or turned off): use Copy link to keep it.")
	}
}

// followHash opens a link put in the address bar, as a change the
// learner can undo. A bad link says what is wrong and changes nothing;
// the hash the sandbox wrote itself is not a new link.
func (a *app) followHash(hash string) error {
	s := a.sandbox
	if challengeProgram {
		return nil // a challenge page opens its challenge, not links
	}
	if s.ed.Draft == nil || strings.TrimPrefix(hash, "#") == strings.TrimPrefix(s.saving.wrote, "#") {
		return nil
	}
	l, err := resolveFragment(hash)
	switch {
	case err != nil:
		a.showError(err.Error() + " — your topology is unchanged.")
		return nil
	case l.sc == nil || l.sc.Equal(s.ed.Draft):
		a.showError(l.notice)
		if l.step >= 0 && a.timeline != nil && !s.stale {
			return a.show(l.step)
		}
		return nil
	}
	a.showError(l.notice)
	s.saving.wrote = hash
	// Reading a large link took part of this frame; drawing and running
	// it start in the next.
	a.later(edits(editor.Action{Op: editor.OpenLink, Scenario: l.sc, Text: l.example, Index: max(l.step, 0)}))
	return nil
}

// writeHash puts hash in the URL, noting it as the sandbox's own.
func (a *app) writeHash(hash string) error {
	a.sandbox.saving.wrote = hash
	return a.replaceHash(hash)
}

// savedDraft reads the saved work, or nil if there is none or it cannot
// be read (damaged, or from another version): that is ignored.
func (a *app) savedDraft() *core.SavedDraft {
	st, err := storage(a.dom, "localStorage")
	if err != nil {
		return nil
	}
	v, err := st.Call("getItem", draftKey)
	if err != nil || v.IsNull() || v.IsUndefined() {
		return nil
	}
	text, err := v.String()
	if err != nil {
		return nil
	}
	d, err := core.DecodeDraft([]byte(text))
	if err != nil {
		logLine("ignoring the saved draft:", err)
		return nil
	}
	return &d
}

// reloadedAfterCrash reports (once) whether static/app.js reloaded this
// page after its program died.
func (a *app) reloadedAfterCrash() bool {
	st, err := storage(a.dom, "sessionStorage")
	if err != nil {
		return false
	}
	v, err := st.Call("getItem", restoreKey)
	if err != nil || v.IsNull() || v.IsUndefined() {
		return false
	}
	_, _ = st.Call("removeItem", restoreKey)
	path, _ := v.String()
	return path == str(a.dom.window, "location", "pathname")
}

// tabName returns this tab's name, making one if it has none.
func (a *app) tabName() string {
	st, err := storage(a.dom, "sessionStorage")
	if err != nil {
		return ""
	}
	if v, err := st.Call("getItem", tabKey); err == nil && !v.IsNull() && !v.IsUndefined() {
		if name, err := v.String(); err == nil && name != "" {
			return name
		}
	}
	// The clock and the page's own timer name a tab well enough to tell
	// two apart (math/rand would cost the program about 1 KB).
	name := strconv.FormatInt(a.nowMillis(), 36)
	if perf, err := a.dom.window.Get("performance"); err == nil {
		if v, err := perf.Call("now"); err == nil {
			if f, err := v.Float(); err == nil {
				name += "." + strconv.FormatInt(int64(f*1000), 36)
			}
		}
	}
	_, _ = st.Call("setItem", tabKey, name)
	return name
}

// storage returns window.localStorage or window.sessionStorage; reading
// either can throw (storage turned off), which safejs makes an error.
func storage(d *dom, name string) (safejs.Value, error) {
	st, err := d.window.Get(name)
	if err != nil {
		return st, err
	}
	if st.IsNull() || st.IsUndefined() {
		return st, fmtlite.Errorf("no %s", name)
	}
	return st, nil
}

// fillNotice puts node in the draft notice (a live region, so it is kept
// and its content announced), or empties it for nil.
func (a *app) fillNotice(node g.Node) error {
	html := ""
	if node != nil {
		var buf bytes.Buffer
		if err := node.Render(&buf); err != nil {
			return err
		}
		html = buf.String()
	}
	return a.dom.set(web.IDDraftNotice, "innerHTML", html)
}

func (a *app) savedAtText(d *core.SavedDraft) string {
	return web.SavedAtText(a.civil(d.SavedAt), a.civil(a.nowMillis()))
}

// nowMillis is the browser's clock, in milliseconds since the epoch.
func (a *app) nowMillis() int64 {
	v, err := a.dom.window.Get("Date")
	if err == nil {
		if now, err := v.Call("now"); err == nil {
			if f, err := now.Float(); err == nil {
				return int64(f)
			}
		}
	}
	return 0
}

// civil reads ms as the learner's clock shows it, from the browser's Date
// (see web.Civil); the zero Civil if the browser will not say.
func (a *app) civil(ms int64) web.Civil {
	ctor, err := a.dom.window.Get("Date")
	if err != nil {
		return web.Civil{}
	}
	d, err := ctor.New(float64(ms))
	if err != nil {
		return web.Civil{}
	}
	get := func(name string) int {
		v, err := d.Call(name)
		if err != nil {
			return 0
		}
		n, err := v.Int()
		if err != nil {
			return 0
		}
		return n
	}
	return web.Civil{Year: get("getFullYear"), Month: get("getMonth") + 1, Day: get("getDate"),
		Hour: get("getHours"), Minute: get("getMinutes"), Millis: ms}
}
