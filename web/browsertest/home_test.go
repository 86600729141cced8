//go:build !js

package browsertest

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/web"
)

// readyTimeout is how long the WASM program may take to say it has started.
const readyTimeout = 10 * time.Second

func TestHomePage(t *testing.T) {
	browser := newBrowser(t)
	p := openPage(t, browser, serverURL+"/")

	title := mustRun(p, chromedp.Title())
	assert.Contains(t, title, "Sync vs Async Playground")

	p.waitWASMReady(readyTimeout)
	status := mustRun(p, chromedp.TextContent(chromedp.CSS(`[role="status"]`)))
	assert.Equal(t, "WASM ready", status, "the role=status element")
	role := mustRun(p, chromedp.AttributeValue(chromedp.ID(web.StatusID), "role"))
	assert.Equal(t, "status", role.Value, "the role of #%s", web.StatusID)

	p.requireCleanConsole()
}

func TestHomePageStructure(t *testing.T) {
	browser := newBrowser(t)
	p := openPage(t, browser, serverURL+"/")

	lang := mustRun(p, chromedp.Evaluate[string](`document.documentElement.lang`))
	assert.Equal(t, "en", lang, "<html lang>")

	viewport := mustRun(p, chromedp.Evaluate[string](
		`document.querySelector('meta[name="viewport"]')?.content ?? ""`))
	assert.Contains(t, viewport, "width=device-width", "<meta name=viewport>")

	h1s := mustRun(p, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("h1"), (h) => h.textContent)`))
	assert.Equal(t, []string{web.ProductName}, h1s, "the page has one <h1>, the product name")
}

func TestHomePageScreenshots(t *testing.T) {
	browser := newBrowser(t)
	p := openPage(t, browser, serverURL+"/")
	p.waitWASMReady(readyTimeout)

	// Not t.TempDir: the screenshots stay for a person to look at.
	dir, err := os.MkdirTemp("", "playground-screens-")
	require.NoError(t, err)

	shots := []struct {
		name      string
		setup     chromedp.Action[chromedp.Void]
		width     int // of the image, in device pixels
		minHeight int
	}{
		{
			name:  "desktop-1280.png",
			setup: chromedp.EmulateViewport(1280, 800),
			width: 1280, minHeight: 800,
		},
		{
			// An iPhone 12 to 15 sized phone, at twice the density.
			name:  "phone-390x844.png",
			setup: chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait),
			width: 780, minHeight: 2 * 844,
		},
	}
	for _, shot := range shots {
		p.do(shot.setup)
		data := mustRun(p, fullPageScreenshot())
		img, err := png.Decode(bytes.NewReader(data))
		require.NoError(t, err, shot.name)
		assert.Equal(t, shot.width, img.Bounds().Dx(), "%s: width", shot.name)
		assert.GreaterOrEqual(t, img.Bounds().Dy(), shot.minHeight, "%s: height", shot.name)

		path := filepath.Join(dir, shot.name)
		require.NoError(t, os.WriteFile(path, data, 0o644))
		t.Logf("screenshot %dx%d: %s", img.Bounds().Dx(), img.Bounds().Dy(), path)
	}
	p.do(chromedp.ResetViewport())
	p.requireCleanConsole()
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

// readyAtJS runs in every new document before the page's scripts. It records
// in window.__browsertestReadyAt the time, in milliseconds since navigation
// start (performance.now), at which the status element first reads
// "WASM ready". A MutationObserver sees the change in the microtask after it,
// so the figure does not depend on how often the test polls.
var readyAtJS = fmt.Sprintf(`(() => {
  const observer = new MutationObserver(() => {
    const status = document.getElementById(%q);
    if (status && status.textContent === "WASM ready") {
      window.__browsertestReadyAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, {subtree: true, childList: true, characterData: true});
})();`, web.StatusID)

// TestPageInteractive measures page_interactive_ms: the time from navigation
// start to "WASM ready", with a cold cache and a fresh browser profile, as the
// median of several loads, each in a new browser.
func TestPageInteractive(t *testing.T) {
	requireChromium(t)
	const loads = 5
	var samples []float64
	for i := range loads {
		t.Run(fmt.Sprintf("load%d", i+1), func(t *testing.T) {
			browser := newBrowser(t)
			recordReady := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument,
					page.AddScriptToEvaluateOnNewDocumentParams{Source: readyAtJS})
				return err
			})
			p := openPage(t, browser, serverURL+"/", recordReady)
			p.waitWASMReady(readyTimeout)
			ms := mustRun(p, chromedp.Poll[float64](`window.__browsertestReadyAt`,
				chromedp.WithPollingTimeout(time.Second)))
			t.Logf("navigation start to WASM ready: %.1f ms", ms)
			samples = append(samples, ms)
			p.requireCleanConsole()
		})
	}
	require.Len(t, samples, loads, "every load must succeed")
	slices.Sort(samples)
	t.Logf("page_interactive_ms: %d ms", int(math.Round(samples[len(samples)/2])))
}
