package web

import (
	g "maragu.dev/gomponents"
	c "maragu.dev/gomponents/components"
	. "maragu.dev/gomponents/html"
)

// ProductName is the name shown in titles and headings.
const ProductName = "Sync vs Async Playground"

// StatusID is the id of the element that reports the WASM program's state.
// The WASM program looks it up to say it has started.
const StatusID = "wasm-status"

// loaderScript starts main.wasm with the Go runtime glue from wasm_exec.js.
// It is the only JavaScript the playground has: behaviour lives in Go.
const loaderScript = `const go = new Go();
WebAssembly.instantiateStreaming(fetch("/static/main.wasm"), go.importObject)
  .then((result) => go.run(result.instance))
  .catch((err) => {
    document.getElementById("` + StatusID + `").textContent = "WASM failed to load: " + err.message;
  });`

// Page is the layout every page shares: the document head, a site header, the
// given main content, and a footer with the WASM status and loader.
func Page(title, description string, content ...g.Node) g.Node {
	return c.HTML5(c.HTML5Props{
		Title:       title,
		Description: description,
		Language:    "en",
		Head: []g.Node{
			// An empty icon stops the browser asking for /favicon.ico.
			Link(Rel("icon"), Href("data:,")),
			Link(Rel("stylesheet"), Href("/static/style.css")),
		},
		Body: []g.Node{
			Header(Class("site-header"),
				A(Href("/"), Class("site-name"), g.Text(ProductName)),
			),
			Main(g.Group(content)),
			Footer(Class("site-footer"),
				P(ID(StatusID), Role("status"), g.Text("Loading WASM…")),
				NoScript(P(g.Text("The playground runs in your browser and needs JavaScript and WebAssembly."))),
			),
			Script(Src("/static/wasm_exec.js")),
			Script(g.Raw(loaderScript)),
		},
	})
}
