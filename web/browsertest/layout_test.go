//go:build !js

package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// canvasLayoutJS reads the canvas as drawn: each edge's path, sampled every
// 3 px along its length, against every node's box (1 px inside its
// border), and each edge label's plate against the boxes and the other
// plates, and the element on top at each plate's centre. It returns what
// is wrong, one line each.
var canvasLayoutJS = fmt.Sprintf(`(() => {
  const svg = document.getElementById(%q);
  const boxes = Array.from(svg.querySelectorAll("[data-node]")).map(n => {
    const r = n.querySelector("rect.node-box").getBoundingClientRect();
    return {id: n.dataset.node, l: r.left + 1, t: r.top + 1, r: r.right - 1, b: r.bottom - 1};
  });
  const bad = [];
  for (const path of svg.querySelectorAll(".edges path.edge")) {
    const m = path.getScreenCTM(), len = path.getTotalLength();
    for (let s = 0; s <= len; s += 3) {
      const p = path.getPointAtLength(s);
      const x = m.a * p.x + m.c * p.y + m.e, y = m.b * p.x + m.d * p.y + m.f;
      for (const b of boxes) {
        if (b.id !== path.dataset.from && b.id !== path.dataset.to && x > b.l && x < b.r && y > b.t && y < b.b) {
          bad.push("edge " + path.dataset.from + " → " + path.dataset.to + " crosses " + b.id + " at " + Math.round(x) + "," + Math.round(y));
          s = len;
          break;
        }
      }
    }
  }
  const plates = Array.from(svg.querySelectorAll("[data-edge-label] rect")).map(r => r.getBoundingClientRect());
  const overlap = (a, b) => a.left < b.r && b.l < a.right && a.top < b.b && b.t < a.bottom;
  plates.forEach((p, i) => {
    for (const b of boxes) if (overlap(p, b)) bad.push("label " + i + " covers " + b.id);
    plates.slice(0, i).forEach((q, j) => {
      if (overlap(p, {l: q.left, r: q.right, t: q.top, b: q.bottom})) bad.push("labels " + j + " and " + i + " overlap");
    });
  });
  return bad;
})()`, web.IDCanvas)

// setTemplate opens template id in the sandbox, as its menu does.
func (p *tab) setTemplate(sc *core.Scenario, id string) {
	p.t.Helper()
	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
  const sel = document.getElementById(%q);
  sel.value = %q;
  sel.dispatchEvent(new Event("change", {bubbles: true}));
})()`, web.IDTemplate, id)))
	p.waitJS(fmt.Sprintf(`document.querySelectorAll("#%s [data-node]").length === %d && !!document.querySelector(%q)`,
		web.IDCanvas, len(sc.Nodes), nodeSel(sc.Nodes[len(sc.Nodes)-1].ID)), stepTimeout, "template %s on the canvas", id)
	p.settle(0)
}

// TestSandboxTemplateLayout opens every template in the sandbox, at a
// desktop's size and a phone's, and checks the picture the browser draws:
// no edge runs through a node other than its ends, no label covers a node
// or another label. It takes a screenshot of each canvas for a person to
// look at. Then a click on an edge's label selects the edge.
func TestSandboxTemplateLayout(t *testing.T) {
	browser := sharedBrowser(t)
	dir, err := os.MkdirTemp("", "sandbox-layout-")
	require.NoError(t, err)
	p := openReady(t, browser, serverURL+"/sandbox")
	openSandbox(t, p)
	start := time.Now()
	for _, s := range screens {
		p.do(s.setup)
		for _, ex := range core.Examples() {
			p.setTemplate(ex.Scenario, ex.ID)
			bad := mustRun(p, chromedp.Evaluate[[]string](canvasLayoutJS))
			assert.Empty(t, bad, "%s at %s", ex.ID, s.name)
			png := mustRun(p, chromedp.Screenshot(chromedp.CSS(".panel-canvas")))
			require.NoError(t, os.WriteFile(filepath.Join(dir, ex.ID+"-"+s.name+".png"), png, 0o644))
		}
	}
	t.Logf("%d templates at %d sizes in %v; screenshots of the canvas in %s", len(core.Examples()), len(screens), time.Since(start).Round(time.Millisecond), dir)

	// A click on a label selects its edge: the label is on top of
	// whatever is there.
	p.do(chromedp.EmulateViewport(1280, 800))
	tmpl := example(t, "checkout-hybrid")
	p.setTemplate(tmpl, "checkout-hybrid")
	for _, i := range []int{3, 5} {
		xy := mustRun(p, chromedp.Evaluate[[]float64](fmt.Sprintf(`(() => {
  const r = document.querySelector('#%s [data-edge-label="%d"] rect');
  r.scrollIntoView({block: "center"});
  const b = r.getBoundingClientRect();
  return [b.left + b.width / 2, b.top + b.height / 2];
})()`, web.IDCanvas, i)))
		require.Len(t, xy, 2)
		p.do(chromedp.MouseClickXY(xy[0], xy[1]))
		p.waitJS(fmt.Sprintf(`document.querySelector(%q)?.getAttribute("aria-pressed") === "true" && !!document.getElementById(%q)`,
			edgeSel(i), web.IDFlipEdge), stepTimeout, "a click on the label of edge %d selects it", i)
		assert.Contains(t, p.text(web.IDProperties), tmpl.Edges[i].From+" → "+tmpl.Edges[i].To)
	}
	p.do(chromedp.ResetViewport())
	p.requireCleanConsole()
}

// TestNoSidewaysOverflow opens the home page, the lessons, every lesson
// and the sandbox on a desktop and on a phone: none is wider than the
// screen (what is wide scrolls inside its own region).
func TestNoSidewaysOverflow(t *testing.T) {
	browser := sharedBrowser(t)
	pages := sitePages(t)
	p := openPage(t, browser, "about:blank")
	start := time.Now()
	for _, s := range pageSizes {
		p.do(s.setup)
		for _, path := range pages {
			p.goSettled(path)
			w := mustRun(p, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
			require.Len(t, w, 2)
			if !assert.LessOrEqual(t, w[0], w[1], "%s at %s: the page scrolls sideways", path, s.name) {
				wide := mustRun(p, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).slice(0, 8).map(e => e.tagName + "." + e.className + "#" + e.id)`))
				t.Logf("wider than the screen: %s", strings.Join(wide, ", "))
			}
		}
	}
	t.Logf("%d pages at 2 sizes in %v", len(pages), time.Since(start).Round(time.Millisecond))
	p.do(chromedp.ResetViewport())
}

// clickEdgeLine clicks edge i's line half way along it (the middle of its
// box need not be on it: an edge goes round corners).
func (p *tab) clickEdgeLine(i int) {
	p.t.Helper()
	xy := mustRun(p, chromedp.Evaluate[[]float64](fmt.Sprintf(`(() => {
  const path = document.querySelector('%s .edge-hit');
  path.scrollIntoView({block: "center"});
  const m = path.getScreenCTM(), q = path.getPointAtLength(path.getTotalLength() / 2);
  return [m.a * q.x + m.c * q.y + m.e, m.b * q.x + m.d * q.y + m.f];
})()`, edgeSel(i))))
	require.Len(p.t, xy, 2)
	p.do(chromedp.MouseClickXY(xy[0], xy[1]))
}

// TestStatusMessagesDoNotMoveButtons: a message in the share status
// ("Link copied.", a restored draft) moves none of the buttons beside it,
// on a desktop and on a phone. The header pushes its tools right, and a
// message that widened them once moved Undo from under the pointer: a
// click on it landed where it had been, and the undo never happened.
func TestStatusMessagesDoNotMoveButtons(t *testing.T) {
	browser := sharedBrowser(t)
	p := openPage(t, browser, "about:blank")
	for _, s := range pageSizes {
		p.do(s.setup)
		for _, path := range []string{"/", "/sandbox", web.ChallengePath("spike")} {
			p.goSettled(path)
			places := mustRun(p, chromedp.Evaluate[[]string](fmt.Sprintf(`(() => {
  const status = document.getElementById(%q);
  const at = () => Array.from(document.querySelectorAll(".scenario-tools button")).filter(b => b.offsetParent)
    .map(b => { const r = b.getBoundingClientRect(); return b.id + " at " + Math.round(r.x) + "," + Math.round(r.y); }).join("; ");
  status.textContent = "";
  const quiet = at();
  status.textContent = "Imported checkout.json.";
  const said = at();
  status.textContent = "";
  return [quiet, said];
})()`, web.IDShareStatus)))
			require.Len(t, places, 2)
			require.NotEmpty(t, places[0], "%s has buttons beside its status", path)
			assert.Equal(t, places[0], places[1], "%s at %s: a status message moved the buttons", path, s.name)
		}
	}
	p.do(chromedp.ResetViewport())
}

// TestChallengeCheckDoesNotMoveTheEditor: the bar that shows while a
// design is checked (after every edit's run) keeps its room while hidden,
// so the editor under the challenge panel stays where it is. It moved
// down and back up, and a click on a button in it could land where the
// button had been.
func TestChallengeCheckDoesNotMoveTheEditor(t *testing.T) {
	browser := sharedBrowser(t)
	p := openPage(t, browser, "about:blank")
	for _, s := range pageSizes {
		p.do(s.setup)
		p.goSettled(web.ChallengePath("spike"))
		ys := mustRun(p, chromedp.Evaluate[[]float64](fmt.Sprintf(`(() => {
  const bar = document.getElementById(%q), editor = document.getElementById(%q);
  const y = () => editor.getBoundingClientRect().top + scrollY;
  const hidden = bar.hidden;
  bar.hidden = true; const quiet = y();
  bar.hidden = false; const checking = y();
  bar.hidden = hidden;
  return [quiet, checking];
})()`, web.IDChallengeBar, web.IDProperties)))
		require.Len(t, ys, 2)
		assert.Equal(t, ys[0], ys[1], "at %s: showing the checking bar moved the editor", s.name)
	}
	p.do(chromedp.ResetViewport())
}
