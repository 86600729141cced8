package web

import "sync/atomic"

// The static files a page loads, by their names under static/.
const (
	StyleSheet   = "style.css"
	LoaderScript = "app.js"
	GoRuntime    = "wasm_exec.js"
	MainWASM     = "main.wasm"
)

// assetURLs maps a static file's name to the URL pages load it from; nil
// until SetAssetURLs.
var assetURLs atomic.Pointer[map[string]string]

// SetAssetURLs sets the URLs pages load the static files from, by name:
// the server's content-hashed names (main.<hash>.wasm), which it serves
// as immutable. A name not in urls loads from /static/<name>.
func SetAssetURLs(urls map[string]string) {
	m := make(map[string]string, len(urls))
	for k, v := range urls {
		m[k] = v
	}
	assetURLs.Store(&m)
}

// AssetURL is the URL pages load the static file name from.
func AssetURL(name string) string {
	if m := assetURLs.Load(); m != nil {
		if u, ok := (*m)[name]; ok {
			return u
		}
	}
	return "/static/" + name
}
