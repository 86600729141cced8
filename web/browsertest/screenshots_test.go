//go:build !js

package browsertest

import (
	"bytes"
	"context"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/web"
)

// screens are the viewports the screenshots are taken at.
var screens = []struct {
	name      string
	setup     chromedp.Action[chromedp.Void]
	width     int // of the image, in device pixels
	minHeight int
}{
	{
		name:  "desktop-1280x900",
		setup: chromedp.EmulateViewport(1280, 900),
		width: 1280, minHeight: 900,
	},
	{
		// An iPhone 12 to 15 sized phone, at twice the density.
		name:  "phone-390x844",
		setup: chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait),
		width: 780, minHeight: 2 * 844,
	},
}

// TestScreenshots takes full-page screenshots of the playground, on a
// desktop and on a phone, at step 0, after some steps of two examples, and
// with the error banner, for a person to look at. It logs their paths.
func TestScreenshots(t *testing.T) {
	browser := sharedBrowser(t)

	// Not t.TempDir: the screenshots stay for a person to look at.
	dir, err := os.MkdirTemp("", "playground-screens-")
	require.NoError(t, err)

	shoot := func(p *tab, state string) {
		t.Helper()
		for _, s := range screens {
			p.do(s.setup)
			// A phone's topology is redrawn top to bottom: wait for it.
			p.waitJS(`(document.getElementById("`+web.IDTopology+`")?.classList.contains("vertical") ?? false) === (matchMedia("(max-width: 40rem)").matches && !!document.getElementById("`+web.IDTopology+`"))`,
				stepTimeout, "%s %s: the topology's layout follows the width", state, s.name)
			p.settle(0)
			data := mustRun(p, fullPageScreenshot())
			img, err := png.Decode(bytes.NewReader(data))
			require.NoError(t, err, "%s %s", state, s.name)
			assert.Equal(t, s.width, img.Bounds().Dx(), "%s %s: width", state, s.name)
			assert.GreaterOrEqual(t, img.Bounds().Dy(), s.minHeight, "%s %s: height", state, s.name)
			// Wider than the viewport means something sticks out sideways.
			overflow := mustRun(p, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
			assert.LessOrEqual(t, overflow, 0, "%s %s: the page scrolls sideways by %d px", state, s.name, overflow)

			path := filepath.Join(dir, state+"-"+s.name+".png")
			require.NoError(t, os.WriteFile(path, data, 0o644))
			t.Logf("screenshot %dx%d: %s", img.Bounds().Dx(), img.Bounds().Dy(), path)
		}
		p.do(chromedp.ResetViewport())
	}

	p := openReady(t, browser, serverURL+"/")
	shoot(p, "step0")
	p.goTo(9) // the REST chain mid-chain: three callers blocked
	shoot(p, "rest-chain-blocked")
	for _, ex := range []struct {
		id    string
		steps int
	}{
		{"event-driven", 30},
		{"outbox", 40},
		{"dlq-poison", 506},          // the poison message in the DLQ
		{"ordering-partitions", 300}, // a topic's lanes, keys and lag
		{"lost-ack", 400},            // queues with messages in consumers' hands
	} {
		p.selectExample(ex.id)
		p.goTo(ex.steps)
		shoot(p, ex.id)
	}
	p.requireCleanConsole()

	// A lesson, whose topology and questions share the page.
	l := openReady(t, browser, serverURL+web.LessonPath("event-driven"))
	shoot(l, "lesson-event-driven")
	l.requireCleanConsole()

	q := openFreshReady(t, browser, serverURL+"/#s=9.AAAA")
	q.waitBanner()
	shoot(q, "error-banner")
	q.requireCleanConsole()
}

// fullPageScreenshot captures the whole page, beyond the viewport, as a PNG
// at the emulated device scale.
func fullPageScreenshot() chromedp.Action[[]byte] {
	return func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		metrics, err := cdp.Call(ctx, t, page.GetLayoutMetrics, cdp.Empty{})
		if err != nil {
			return nil, err
		}
		width, height := metrics.CSSContentSize.Width, metrics.CSSContentSize.Height
		// A page shorter than the viewport is still captured whole.
		if vp := metrics.CSSLayoutViewport; vp != nil {
			width = max(width, float64(vp.ClientWidth))
			height = max(height, float64(vp.ClientHeight))
		}
		res, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format:                page.CaptureScreenshotFormatPng,
			CaptureBeyondViewport: new(true),
			FromSurface:           new(true),
			Clip: &page.Viewport{
				Width:  math.Ceil(width),
				Height: math.Ceil(height),
				Scale:  1,
			},
		})
		if err != nil {
			return nil, err
		}
		return res.Data, nil
	}
}
