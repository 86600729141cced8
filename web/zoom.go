package web

import (
	"strconv"

	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"
)

// ZoomLevels are the topology's zoom steps: 0 fits it to its panel (the
// whole picture, shrunk on a narrow one), the others multiply its natural
// size, and a zoomed topology wider than its panel scrolls in it.
var ZoomLevels = []float64{0, 1, 1.5, 2, 3}

// ZoomText says a zoom level in words for the status beside the buttons.
func ZoomText(zoom float64) string {
	if zoom <= 0 {
		return "Fit to the panel"
	}
	return strconv.Itoa(int(zoom*100+0.5)) + "%"
}

// TopologyZoom is the topology's zoom bar: zoom out, fit, zoom in, and
// the level as a status a screen reader announces. Its buttons need the
// WASM program (disabled until it runs, unless ready).
func TopologyZoom(ready bool) g.Node {
	return h.Div(h.Class("zoom"), h.Role("group"), h.Aria("label", "Zoom the topology"),
		h.Button(h.Type("button"), h.ID(IDZoomOut), h.Aria("label", "Zoom out"), h.Title("Zoom out"), needsWASM(ready), g.Text("−")),
		h.Button(h.Type("button"), h.ID(IDZoomFit), h.Title("Fit the topology to the panel"), needsWASM(ready), g.Text("Fit")),
		h.Button(h.Type("button"), h.ID(IDZoomIn), h.Aria("label", "Zoom in"), h.Title("Zoom in"), needsWASM(ready), g.Text("+")),
		h.Span(h.ID(IDZoomLevel), h.Class("zoom-level"), h.Role("status"), g.Text(ZoomText(0))),
	)
}
