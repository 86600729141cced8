package web

import (
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

// pageWith is [page] for a page whose WASM program is not main.wasm: the
// loader reads the program's path from its script tag's data-wasm.
func pageWith(title, description, mainClass, wasm string, content ...g.Node) g.Node {
	return c.HTML5(c.HTML5Props{
		Title:       title,
		Description: description,
		Language:    "en",
		Head: []g.Node{
			// An empty icon stops the browser asking for /favicon.ico.
			h.Link(h.Rel("icon"), h.Href("data:,")),
			h.Link(h.Rel("stylesheet"), h.Href("/static/style.css")),
			h.Script(h.Src("/static/wasm_exec.js"), h.Defer()),
			h.Script(h.Src("/static/app.js"), h.Defer(), g.If(wasm != "", h.Data("wasm", wasm))),
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
