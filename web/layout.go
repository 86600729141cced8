package web

import (
	"strings"

	g "maragu.dev/gomponents"
	c "maragu.dev/gomponents/components"
	h "maragu.dev/gomponents/html"
)

// ProductName is the name shown in titles and headings.
const ProductName = "Sync vs Async Playground"

// StatusID is the id of the element that reports the WASM program's state:
// "Loading the simulator…" in the site header while it loads, gone once it
// has started (it then sets the body's data-wasm to WasmReady, the signal
// to wait on, and the style sheet hides the element), shown again with the
// reason if it fails or stops (static/app.js).
const StatusID = "wasm-status"

// WasmReady is the body's data-wasm once the WASM program has started.
const WasmReady = "ready"

// Page is the layout every page shares: the document head with the scripts
// that load the WASM program, a site header with the loading state, the
// given main content, and a footer.
//
// The page has no inline script or style, so it works under a strict
// Content-Security-Policy: /static/app.js starts main.wasm with the Go
// runtime glue of /static/wasm_exec.js, and both are deferred, so they run
// in order once the document is parsed.
func Page(title, description string, content ...g.Node) g.Node {
	return page(title, description, "", content...)
}

// page is [Page] with a class for main: "wide" lets the playground use the
// whole window instead of a column of text.
func page(title, description, mainClass string, content ...g.Node) g.Node {
	return pageWith(title, description, mainClass, "", content...)
}

// pageWith is [page] for a page whose WASM program is not main.wasm (wasm
// is its path, /static/NAME; "" is main.wasm): the loader reads the
// program's URL from its script tag's data-wasm. Every static file's URL
// is AssetURL's, content-hashed when the server set them.
func pageWith(title, description, mainClass, wasm string, content ...g.Node) g.Node {
	wasm = strings.TrimPrefix(wasm, "/static/")
	if wasm == "" {
		wasm = MainWASM
	}
	return c.HTML5(c.HTML5Props{
		Title:       title,
		Description: description,
		Language:    "en",
		Head: []g.Node{
			// An empty icon stops the browser asking for /favicon.ico.
			h.Link(h.Rel("icon"), h.Href("data:,")),
			h.Link(h.Rel("stylesheet"), h.Href(AssetURL(StyleSheet))),
			h.Script(h.Src(AssetURL(GoRuntime)), h.Defer()),
			h.Script(h.Src(AssetURL(LoaderScript)), h.Defer(), h.Data("wasm", AssetURL(wasm))),
		},
		Body: []g.Node{
			h.Header(h.Class("site-header"),
				h.A(h.Href("/"), h.Class("site-name"), g.Text(ProductName)),
				h.P(h.ID(StatusID), h.Class("wasm-status"), h.Role("status"), g.Text("Loading the simulator…")),
				h.Nav(h.Class("site-nav"), h.Aria("label", "Site"),
					h.A(h.Href("/lessons"), g.Text("Lessons")),
					h.A(h.Href("/sandbox"), g.Text("Sandbox")),
					h.A(h.Href("/challenges"), g.Text("Challenges"))),
			),
			h.Main(g.If(mainClass != "", h.Class(mainClass)), g.Group(content)),
			h.Footer(h.Class("site-footer"),
				h.NoScript(h.P(g.Text("The playground runs in your browser and needs JavaScript and WebAssembly."))),
			),
		},
	})
}

// --- the static files pages load ---
// (Here rather than in a file of their own: a new file of package web
// changes the WASM programs, which link the package, by a few bytes, and
// their brotli size by up to 4 KB.)

// The static files a page loads, by their names under static/.
const (
	StyleSheet   = "style.css"
	LoaderScript = "app.js"
	GoRuntime    = "wasm_exec.js"
	MainWASM     = "main.wasm"
)

// assetURLs maps a static file's name to the URL pages load it from; nil
// until SetAssetURLs. A plain map, set before any page renders: a
// sync/atomic pointer here would weigh on the WASM programs, which link
// this package but never render a whole page.
var assetURLs map[string]string

// SetAssetURLs sets the URLs pages load the static files from, by name:
// the server's content-hashed names (main.<hash>.wasm), which it serves
// as immutable. A name not in urls loads from /static/<name>. Call it
// before rendering pages, not while they render.
func SetAssetURLs(urls map[string]string) {
	m := make(map[string]string, len(urls))
	for k, v := range urls {
		m[k] = v
	}
	assetURLs = m
}

// AssetURL is the URL pages load the static file name from.
func AssetURL(name string) string {
	if u, ok := assetURLs[name]; ok {
		return u
	}
	return "/static/" + name
}
