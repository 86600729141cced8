//go:build !js

package browsertest

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// drawnTopology is how the player's topology is drawn on screen, in CSS px.
type drawnTopology struct {
	Vertical bool    `json:"vertical"` // laid out top to bottom
	MinBox   float64 `json:"minBox"`   // the narrowest node box's width
	Nodes    int     `json:"nodes"`
	Overflow int     `json:"overflow"` // how far the page scrolls sideways
}

var drawnTopologyJS = fmt.Sprintf(`(() => {
  const svg = document.getElementById(%q);
  const boxes = [...svg.querySelectorAll(".node-box")].map(r => r.getBoundingClientRect().width);
  return {vertical: svg.classList.contains("vertical"), minBox: Math.min(...boxes), nodes: boxes.length,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth};
})()`, web.IDTopology)

func (p *tab) drawnTopology() drawnTopology {
	p.t.Helper()
	return mustRun(p, chromedp.Evaluate[drawnTopology](drawnTopologyJS))
}

// legibleBox is the narrowest a node's box may be drawn on a phone, in CSS
// px: at 136 user units, its 12 px text then reads at 9 px or more.
const legibleBox = 100

// TestTopologyOnAPhone checks that at 390 px the topology of every example
// and every lesson is laid out top to bottom, its boxes wide enough to read,
// and that the page does not scroll sideways; and that turning a wide
// window narrow (and back) switches the layout.
func TestTopologyOnAPhone(t *testing.T) {
	browser := sharedBrowser(t)
	p := openReady(t, browser, serverURL+"/")
	require.False(t, p.drawnTopology().Vertical, "at 1280 px the topology reads left to right")

	before := p.actions()
	p.do(phone)
	p.settle(before + 1) // the app acts on the media query's change
	p.goTo(9)
	d := p.drawnTopology()
	assert.True(t, d.Vertical, "narrowed to 390 px, the topology reads top to bottom")
	for _, ex := range core.Examples() {
		p.selectExample(ex.ID)
		d := p.drawnTopology()
		assert.True(t, d.Vertical, "%s: top to bottom", ex.ID)
		assert.GreaterOrEqual(t, d.MinBox, float64(legibleBox), "%s: the narrowest of %d node boxes is %.0f px wide", ex.ID, d.Nodes, d.MinBox)
		assert.LessOrEqual(t, d.Overflow, 0, "%s: the page scrolls sideways", ex.ID)
	}

	for _, l := range core.Lessons() {
		p.do(chromedp.Navigate(serverURL + web.LessonPath(l.ID)))
		p.waitWASMReady(readyTimeout)
		p.settle(0)
		d := p.drawnTopology()
		assert.True(t, d.Vertical, "lesson %s: top to bottom", l.ID)
		assert.GreaterOrEqual(t, d.MinBox, float64(legibleBox), "lesson %s: the narrowest of %d node boxes is %.0f px wide", l.ID, d.Nodes, d.MinBox)
		assert.LessOrEqual(t, d.Overflow, 0, "lesson %s: the page scrolls sideways", l.ID)
	}

	before = p.actions()
	p.do(chromedp.EmulateViewport(1280, 800))
	p.settle(before + 1)
	assert.False(t, p.drawnTopology().Vertical, "widened again, left to right")
	p.do(chromedp.ResetViewport())
	p.requireCleanConsole()
}
