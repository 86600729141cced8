//go:build js && wasm

package main

import (
	"github.com/hack-pad/safejs"
	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// viewState is how the player draws a run: whether messages glide between
// steps, whether the sequence diagram shows the run ahead (faded), and
// where the last picture was, for the glide to start from.
type viewState struct {
	motion       bool
	future       bool
	futureLocked bool           // a lesson's question is not answered yet
	shownTL      *core.Timeline // the run and step of the last picture
	seqTL        *core.Timeline // the run the sequence diagram was last drawn whole for
	topoTL       *core.Timeline // the run the topology was last drawn whole for
	shownStep    int
	vertical     bool // a narrow screen: the topology reads top to bottom
	zoom         int  // the topology's zoom, an index of web.ZoomLevels (0: fit)
}

// bindView wires the player's two switches and the narrow-screen layout. Motion starts off for a
// reader who asked the system for reduced motion.
func bindView(a *app) error {
	d := a.dom
	a.view.motion = true
	if mq, err := d.window.Call("matchMedia", "(prefers-reduced-motion: reduce)"); err == nil {
		if reduce, err := boolProp(mq, "matches"); err == nil && reduce {
			a.view.motion = false
		}
	}
	if err := d.set(web.IDMotion, "checked", a.view.motion); err != nil {
		return err
	}
	// On a narrow screen the topology is laid out top to bottom (the
	// server's first paint is left to right); a rotated phone or a
	// resized window switches it back and forth.
	if mq, err := d.window.Call("matchMedia", "(max-width: 40rem)"); err == nil {
		a.view.vertical, _ = boolProp(mq, "matches")
		if err := on(mq, "change", func(ev safejs.Value) {
			narrow, err := boolProp(ev, "matches")
			if err == nil {
				a.do(func(a *app) error { a.view.vertical = narrow; return a.drawTopology(a.step) })
			}
		}); err != nil {
			return err
		}
	}
	if err := bindZoom(a); err != nil {
		return err
	}
	for id, set := range map[string]func(a *app, on bool) error{
		web.IDMotion: func(a *app, on bool) error { a.view.motion = on; return nil },
		web.IDShowFuture: func(a *app, on bool) error {
			a.view.future = on && !a.view.futureLocked
			return a.show(a.step)
		},
	} {
		el, err := d.byID(id)
		if err != nil {
			return err
		}
		if err := on(el, "change", func(ev safejs.Value) {
			t, err := ev.Get("target")
			if err != nil {
				return
			}
			checked, err := boolProp(t, "checked")
			if err == nil {
				a.do(func(a *app) error { return set(a, checked) })
			}
		}); err != nil {
			return err
		}
	}
	return nil
}

// motion says how the topology moves from the last picture to step:
// glide when it is the next or previous step of the same run, taking at
// most most of the time until the play clock's next step, and not at all
// when that is too short to see (playing fast skips tweens; it never
// queues them, as each picture replaces the last).
func (a *app) motion(step int) web.Motion {
	v := &a.view
	m := web.Motion{}
	if !v.motion || v.shownTL != a.timeline || (step-v.shownStep != 1 && v.shownStep-step != 1) {
		return m
	}
	m.Millis = web.Tween
	if a.playing {
		m.Millis = min(web.Tween, int(800/a.speed))
	}
	if m.Millis < 60 {
		return m
	}
	m.On, m.From = true, a.timeline.At(v.shownStep).At
	return m
}

// drawTopology redraws the player's topology at step. While the topology
// on the page has the frame of this one (the same run, layout and
// zoom), only its nodes, what is in flight and its title change; the
// edges, arrowheads and hatch stay.
func (a *app) drawTopology(step int) error {
	if a.sandbox != nil {
		return a.renderCanvas()
	}
	m := a.motion(step)
	st := a.timeline.At(step) // after motion, which may ask for another step
	a.view.shownTL, a.view.shownStep = a.timeline, step
	v := web.TopologyView{Vertical: a.view.vertical, Zoom: web.ZoomLevels[a.view.zoom]}
	d := a.dom
	el, err := d.byID(web.IDTopology)
	if err != nil {
		return err
	}
	if a.view.topoTL != a.timeline || str(el, "dataset", "frame") != v.Frame(a.scenario) {
		// Drawn whole: the parts are not worked out twice (for 200 nodes,
		// a tenth of the pause of showing a new run).
		a.view.topoTL = a.timeline
		return d.replace(web.IDTopology, v.Draw(a.scenario, st, m))
	}
	p := v.Update(a.scenario, st, m)
	for _, part := range [...]struct{ id, markup string }{
		{web.IDTopologyNodes, p.Nodes},
		{web.IDTopologyTransits, p.Transits},
	} {
		g, err := d.byID(part.id)
		if err != nil {
			return err
		}
		if err := g.Set("innerHTML", part.markup); err != nil {
			return err
		}
	}
	if p.Moves {
		// A glide is an animation from the SVG's time 0, which passed
		// when the SVG was drawn whole: start its clock again.
		if _, err := el.Call("setCurrentTime", 0); err != nil {
			return err
		}
	}
	return d.set(web.IDTopologyTitle, "textContent", p.Title)
}

// lockFuture keeps the sequence diagram from showing the run ahead while a
// lesson's question about it is open, and lets it again once answered.
func (a *app) lockFuture(locked bool) error {
	v := &a.view
	v.futureLocked = locked
	if locked {
		v.future = false
		if err := a.dom.set(web.IDShowFuture, "checked", false); err != nil {
			return err
		}
	}
	if err := a.dom.set(web.IDShowFuture, "disabled", locked); err != nil {
		return err
	}
	title := ""
	if locked {
		title = "Answer this step's question first"
	}
	return a.dom.attr(web.IDShowFuture, "title", title, !locked)
}

// drawSequence redraws the sequence diagram at the current step. While
// the diagram on the page has the frame of this step's (the same run, the
// same lanes and the same number of rows), only its rows, its activation
// bars, its title and its class change: the lanes, the arrowheads and the
// hatch stay, so a jump parses about half the markup it would otherwise.
func (a *app) drawSequence() error {
	d := a.dom
	p := web.SequenceUpdate(a.timeline, a.step, a.view.future)
	el, err := d.byID(web.IDSequence)
	if err != nil {
		return err
	}
	if a.view.seqTL != a.timeline || str(el, "dataset", "frame") != p.Frame {
		a.view.seqTL = a.timeline
		return d.replace(web.IDSequence, web.Sequence(a.timeline, a.step, a.view.future))
	}
	for _, part := range [...]struct{ id, markup string }{
		{web.IDSequenceActivations, p.Activations},
		{web.IDSequenceRows, p.Rows},
	} {
		g, err := d.byID(part.id)
		if err != nil {
			return err
		}
		if err := g.Set("innerHTML", part.markup); err != nil {
			return err
		}
	}
	if _, err := el.Call("setAttribute", "class", p.Class); err != nil {
		return err
	}
	return d.set(web.IDSequenceTitle, "textContent", p.Title)
}
