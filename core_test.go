package main

// Root tests: the server answers, the simulate command reads every
// example and reports field-named errors, and every built-in scenario
// round-trips through its canonical JSON with the same trace.

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	g "maragu.dev/gomponents"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// serverGet answers one GET request with the playground's handler.
func serverGet(t *testing.T, path string) *http.Response {
	t.Helper()
	recorder := httptest.NewRecorder()
	newHandler(slog.New(slog.DiscardHandler)).ServeHTTP(recorder, httptest.NewRequest(http.MethodGet, path, nil))
	return recorder.Result()
}

// serverDo answers one request with h. header holds pairs of a header's name
// and value. It returns the response and its body, as sent (not decoded).
func serverDo(t *testing.T, h http.Handler, method, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	require.Zero(t, len(header)%2, "header holds name, value pairs")
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	recorder := httptest.NewRecorder()
	h.ServeHTTP(recorder, req)
	res := recorder.Result()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, body
}

// decode undoes a Content-Encoding: br and gzip with the libraries the
// server encodes with, "" as it is.
func decode(t *testing.T, encoding string, body []byte) []byte {
	t.Helper()
	var r io.Reader
	switch encoding {
	case "":
		return body
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		require.NoError(t, err)
		r = zr
	default:
		t.Fatalf("unexpected Content-Encoding %q", encoding)
	}
	out, err := io.ReadAll(r)
	require.NoError(t, err, "decoding %s", encoding)
	return out
}

// Static files of testRouter.
var (
	// compressibleCSS is well above minCompressSize and compresses well.
	compressibleCSS = []byte(strings.Repeat(".queue { depth: 0; } /* the caller waits only for the enqueue ack */\n", 100))
	// noise is as large, but random: no encoding makes it smaller.
	noise = func() []byte {
		rng := rand.New(rand.NewPCG(1, 2))
		b := make([]byte, 8192)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}()
	// tinyJS is below minCompressSize, however compressible.
	tinyJS = []byte(strings.Repeat("a", minCompressSize-1))
)

// testRouter serves the home page, pages that fail in every way, and a
// small set of static files, all compressed before the first request. Its
// log goes to the returned buffer.
func testRouter(t *testing.T) (http.Handler, *bytes.Buffer) {
	t.Helper()
	assets, err := loadAssets(fstest.MapFS{
		"text.css":    {Data: compressibleCSS},
		"noise.wasm":  {Data: noise},
		"tiny.js":     {Data: tinyJS},
		"sub/deep.js": {Data: compressibleCSS},
	})
	require.NoError(t, err)
	for _, a := range assets {
		require.NoError(t, a.compress())
	}
	pages := map[string]pageFunc{
		"/":      func() (g.Node, error) { return web.PlaygroundPage(web.Playground{}), nil },
		"/boom":  func() (g.Node, error) { panic("boom: the page blew up") },
		"/fails": func() (g.Node, error) { return nil, errors.New("no such lesson") },
		"/nil":   func() (g.Node, error) { return nil, nil },
	}
	var log bytes.Buffer
	return newRouter(slog.New(slog.NewTextHandler(&log, nil)), pages, assets), &log
}

// requireSecurityHeaders checks the headers every response must carry.
func requireSecurityHeaders(t *testing.T, res *http.Response) {
	t.Helper()
	want := map[string]string{
		"Content-Security-Policy":    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
		"X-Content-Type-Options":     "nosniff",
		"Referrer-Policy":            "no-referrer",
		"X-Frame-Options":            "DENY",
		"Cross-Origin-Opener-Policy": "same-origin",
		"Permissions-Policy":         "camera=(), microphone=(), geolocation=()",
	}
	for name, value := range want {
		require.Equal(t, []string{value}, res.Header.Values(name), "%s on a %d response", name, res.StatusCode)
	}
}

func TestServerHomePage(t *testing.T) {
	res := serverGet(t, "/")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
	require.Equal(t, "no-cache", res.Header.Get("Cache-Control"))
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.Contains(t, string(body), "Sync vs Async Playground")
	require.Contains(t, string(body), `role="status"`)
	require.Equal(t, strconv.Itoa(len(body)), res.Header.Get("Content-Length"))
}

func TestServerCompressesPages(t *testing.T) {
	h := newHandler(slog.New(slog.DiscardHandler))
	res, plain := serverDo(t, h, http.MethodGet, "/")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Empty(t, res.Header.Get("Content-Encoding"))
	for _, encoding := range []string{"br", "gzip"} {
		res, body := serverDo(t, h, http.MethodGet, "/", "Accept-Encoding", encoding)
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Equal(t, encoding, res.Header.Get("Content-Encoding"))
		require.Equal(t, "Accept-Encoding", res.Header.Get("Vary"))
		require.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
		require.Equal(t, strconv.Itoa(len(body)), res.Header.Get("Content-Length"))
		require.Less(t, len(body), len(plain))
		require.Equal(t, string(plain), string(decode(t, encoding, body)))
	}
}

func TestServerStylesheet(t *testing.T) {
	res := serverGet(t, "/static/style.css")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "text/css; charset=utf-8", res.Header.Get("Content-Type"))
	require.Equal(t, "no-cache", res.Header.Get("Cache-Control"))
}

func TestServerWASM(t *testing.T) {
	for _, name := range []string{"main.wasm", "sandbox.wasm", "challenge.wasm"} {
		t.Run(name, func(t *testing.T) {
			want, err := fs.ReadFile(staticFiles, "static/"+name)
			if errors.Is(err, fs.ErrNotExist) {
				t.Skip("static/" + name + " is not built; run `make wasm` (make test does)")
			}
			require.NoError(t, err)
			res := serverGet(t, "/static/"+name)
			require.Equal(t, http.StatusOK, res.StatusCode)
			require.Equal(t, "application/wasm", res.Header.Get("Content-Type"))
			require.Equal(t, strconv.Itoa(len(want)), res.Header.Get("Content-Length"))
		})
	}
}

// TestServerSandboxPage: the sandbox reads before its program loads (the
// default template's canvas, properties and run), names its own program
// for the loader, and offers every node kind and every template.
func TestServerSandboxPage(t *testing.T) {
	res := serverGet(t, "/sandbox")
	require.Equal(t, http.StatusOK, res.StatusCode)
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	page := string(body)
	require.Contains(t, page, `<script src="`+web.AssetURL(web.LoaderScript)+`" defer data-wasm="`+web.AssetURL(strings.TrimPrefix(web.SandboxWASM, "/static/"))+`">`)
	require.Contains(t, page, `id="`+web.IDCanvas+`"`)
	require.Contains(t, page, `id="`+web.IDProperties+`"`)
	for _, k := range core.Kinds {
		require.Regexp(t, `<button type="button" id="`+web.PaletteButtonID(k)+`"[^>]* disabled data-requires-wasm>`, page,
			"the palette offers %s, disabled until the program runs", k)
	}
	for _, id := range web.SandboxControlIDs {
		require.Regexp(t, `id="`+id+`"[^>]* disabled data-requires-wasm`, page, "#%s waits for the program", id)
	}
	for _, ex := range core.Examples() {
		require.Contains(t, page, `<option value="`+ex.ID+`"`, "template %s", ex.ID)
	}
	sc, err := core.ExampleByID(core.DefaultExample)
	require.NoError(t, err)
	for _, n := range sc.Nodes {
		require.Contains(t, page, `data-node="`+n.ID+`"`, "the default template is drawn")
	}
}

// TestServerLoaderScript checks app.js is served as JavaScript and loads
// main.wasm in both ways, reporting failures in the status element. The
// browser tests run it.
func TestServerLoaderScript(t *testing.T) {
	res := serverGet(t, "/static/app.js")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "text/javascript; charset=utf-8", res.Header.Get("Content-Type"))
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	for _, want := range []string{
		`new Go()`,
		`WebAssembly.instantiateStreaming(fetch(wasmURL), importObject)`,
		`"/static/main.wasm"`,
		`document.currentScript?.dataset.wasm`,
		`WebAssembly.instantiate(await response.arrayBuffer(), importObject)`,
		`go.run(result.instance)`,
		strconv.Quote(web.StatusID),
	} {
		require.Contains(t, string(body), want)
	}
}

func TestServerUnknownPath(t *testing.T) {
	for _, path := range []string{"/nope", "/static/nope.css", "/static/", "/index.html", "/static/STYLE.CSS", "/static/style.css/"} {
		t.Run(path, func(t *testing.T) {
			res := serverGet(t, path)
			require.Equal(t, http.StatusNotFound, res.StatusCode)
			requireSecurityHeaders(t, res)
		})
	}
	h, _ := testRouter(t)
	for _, path := range []string{"/static/sub", "/static/sub/", "/static/sub/nope.js", "/sub/deep.js"} {
		res, _ := serverDo(t, h, http.MethodGet, path)
		require.Contains(t, []int{http.StatusNotFound, http.StatusMovedPermanently}, res.StatusCode, path)
		if res.StatusCode == http.StatusMovedPermanently { // ServeMux adds the slash
			res, _ = serverDo(t, h, http.MethodGet, res.Header.Get("Location"))
			require.Equal(t, http.StatusNotFound, res.StatusCode, path)
		}
	}
	res, body := serverDo(t, h, http.MethodGet, "/static/sub/deep.js")
	require.Equal(t, http.StatusOK, res.StatusCode, "a file in a subdirectory")
	require.Equal(t, compressibleCSS, body)
}

func TestServerNegotiatesEncoding(t *testing.T) {
	h, _ := testRouter(t)
	tests := []struct {
		acceptEncoding string
		want           string // the Content-Encoding
	}{
		{"gzip, deflate, br, zstd", "br"},
		{"br", "br"},
		{"BR", "br"},
		{"gzip", "gzip"},
		{"deflate, gzip;q=0.5", "gzip"},
		{"x-gzip", "gzip"},
		{"br;q=0, gzip", "gzip"},
		{"gzip, br;q=0.000", "gzip"},
		{"*", "br"},
		{"*, br;q=0", "gzip"},
		{"", ""},
		{"identity", ""},
		{"deflate, zstd", ""},
		{"gzip;q=0, br;q=0", ""},
		{"br;q=nonsense", ""},
		{"*;q=0", ""},
	}
	etags := map[string]string{} // by encoding
	for _, tt := range tests {
		t.Run(tt.acceptEncoding, func(t *testing.T) {
			res, body := serverDo(t, h, http.MethodGet, "/static/text.css", "Accept-Encoding", tt.acceptEncoding)
			require.Equal(t, http.StatusOK, res.StatusCode)
			require.Equal(t, tt.want, res.Header.Get("Content-Encoding"))
			require.Equal(t, "Accept-Encoding", res.Header.Get("Vary"))
			require.Equal(t, "text/css; charset=utf-8", res.Header.Get("Content-Type"))
			require.Equal(t, "no-cache", res.Header.Get("Cache-Control"))
			require.Equal(t, strconv.Itoa(len(body)), res.Header.Get("Content-Length"))
			if tt.want != "" {
				require.Less(t, len(body), len(compressibleCSS)/4, "compressed")
			}
			require.Equal(t, string(compressibleCSS), string(decode(t, tt.want, body)))

			etag := res.Header.Get("ETag")
			require.Regexp(t, `^"[0-9a-f]{16}(-br|-gzip)?"$`, etag, "a strong ETag")
			if seen, ok := etags[tt.want]; ok {
				require.Equal(t, seen, etag, "one ETag per encoding")
			}
			etags[tt.want] = etag
		})
	}
	require.Len(t, etags, 3)
	require.Len(t, map[string]bool{etags[""]: true, etags["br"]: true, etags["gzip"]: true}, 3, "each encoding has its own ETag: %v", etags)
}

func TestServerDoesNotCompressSmallOrIncompressibleFiles(t *testing.T) {
	h, _ := testRouter(t)
	for path, want := range map[string][]byte{"/static/tiny.js": tinyJS, "/static/noise.wasm": noise} {
		res, body := serverDo(t, h, http.MethodGet, path, "Accept-Encoding", "br, gzip")
		require.Equal(t, http.StatusOK, res.StatusCode, path)
		require.Empty(t, res.Header.Get("Content-Encoding"), path)
		require.Equal(t, want, body, path)
		require.Equal(t, strconv.Itoa(len(want)), res.Header.Get("Content-Length"), path)
	}
}

// TestServerCompressesTheEmbeddedFiles checks every embedded file, main.wasm
// too if it is built, decodes to itself in each encoding.
func TestServerCompressesTheEmbeddedFiles(t *testing.T) {
	h := newHandler(slog.New(slog.DiscardHandler))
	assets := embeddedAssets(slog.New(slog.DiscardHandler))
	require.Contains(t, assets, "app.js")
	require.Contains(t, assets, "style.css")
	for name, a := range assets {
		t.Run(name, func(t *testing.T) {
			select { // brotli at quality 11 takes seconds for main.wasm
			case <-a.compressed:
			case <-time.After(5 * time.Minute):
				t.Fatal("not compressed within 5 minutes")
			}
			want, err := fs.ReadFile(staticFiles, "static/"+name)
			require.NoError(t, err)
			for _, encoding := range []string{"br", "gzip", ""} {
				res, body := serverDo(t, h, http.MethodGet, "/static/"+name, "Accept-Encoding", encoding)
				require.Equal(t, http.StatusOK, res.StatusCode)
				if len(want) >= minCompressSize {
					require.Equal(t, encoding, res.Header.Get("Content-Encoding"))
				}
				require.True(t, bytes.Equal(want, decode(t, res.Header.Get("Content-Encoding"), body)), "%s decodes to %s", encoding, name)
				// Each page downloads one program: a slow connection's
				// budget is 1 MB of it, as the server sends it (brotli).
				if encoding == "br" && strings.HasSuffix(name, ".wasm") && len(want) > minCompressSize {
					assert.LessOrEqual(t, len(body), wasmBudgetBytes, "%s as brotli: the budget of a page's program", name)
				}
			}
		})
	}
}

// wasmBudgetBytes is the most a WASM program may weigh as the server sends
// it with brotli: a page downloads one (DESIGN.md, "Budgets").
const wasmBudgetBytes = 1_000_000

func TestServerRevalidatesWithETag(t *testing.T) {
	h, _ := testRouter(t)
	for _, path := range []string{"/static/text.css", "/static/tiny.js", "/"} {
		t.Run(path, func(t *testing.T) {
			res, body := serverDo(t, h, http.MethodGet, path, "Accept-Encoding", "br")
			require.Equal(t, http.StatusOK, res.StatusCode)
			require.NotEmpty(t, body)
			etag := res.Header.Get("ETag")
			require.True(t, strings.HasPrefix(etag, `"`), "a strong ETag: %s", etag)
			res, _ = serverDo(t, h, http.MethodGet, path, "Accept-Encoding", "gzip")
			gzipETag := res.Header.Get("ETag")

			for _, tt := range []struct{ ifNoneMatch, acceptEncoding, wantETag string }{
				{etag, "br", etag},
				{"W/" + etag, "br", etag},
				{`"stale", ` + etag, "br", etag},
				{`"stale",` + gzipETag, "br", gzipETag}, // the client's gzip copy is as good
				{"*", "br", etag},
				{etag, "", etag},
			} {
				for _, method := range []string{http.MethodGet, http.MethodHead} {
					res, body := serverDo(t, h, method, path, "Accept-Encoding", tt.acceptEncoding, "If-None-Match", tt.ifNoneMatch)
					require.Equal(t, http.StatusNotModified, res.StatusCode, "%s If-None-Match: %s", method, tt.ifNoneMatch)
					require.Empty(t, body)
					require.Equal(t, tt.wantETag, res.Header.Get("ETag"))
					require.Equal(t, "no-cache", res.Header.Get("Cache-Control"))
					require.Equal(t, "Accept-Encoding", res.Header.Get("Vary"))
					for _, name := range []string{"Content-Length", "Content-Encoding", "Content-Type"} {
						require.Empty(t, res.Header.Get(name), name)
					}
					requireSecurityHeaders(t, res)
				}
			}

			for _, stale := range []string{`"stale"`, strings.Trim(etag, `"`), `"` + strings.Trim(etag, `"`) + `-zstd"`, `W/"x"`, `garbage`} {
				res, got := serverDo(t, h, http.MethodGet, path, "Accept-Encoding", "br", "If-None-Match", stale)
				require.Equal(t, http.StatusOK, res.StatusCode, "If-None-Match: %s", stale)
				require.Equal(t, body, got)
			}
		})
	}
}

func TestServerHead(t *testing.T) {
	h, _ := testRouter(t)
	for _, path := range []string{"/static/text.css", "/"} {
		for _, encoding := range []string{"br", "gzip", ""} {
			get, body := serverDo(t, h, http.MethodGet, path, "Accept-Encoding", encoding)
			head, empty := serverDo(t, h, http.MethodHead, path, "Accept-Encoding", encoding)
			require.Equal(t, http.StatusOK, head.StatusCode)
			require.Empty(t, empty, "HEAD %s has no body", path)
			require.Equal(t, strconv.Itoa(len(body)), head.Header.Get("Content-Length"))
			for _, name := range []string{"Content-Type", "Content-Encoding", "ETag", "Vary", "Cache-Control"} {
				require.Equal(t, get.Header.Get(name), head.Header.Get(name), "%s of HEAD %s", name, path)
			}
			requireSecurityHeaders(t, head)
		}
	}
}

func TestServerRejectsOtherMethods(t *testing.T) {
	h, _ := testRouter(t)
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions} {
		for _, path := range []string{"/", "/static/text.css"} {
			res, _ := serverDo(t, h, method, path)
			require.Equal(t, http.StatusMethodNotAllowed, res.StatusCode, "%s %s", method, path)
			require.Equal(t, "GET, HEAD", res.Header.Get("Allow"))
			requireSecurityHeaders(t, res)
		}
	}
	res, _ := serverDo(t, newHandler(slog.New(slog.DiscardHandler)), http.MethodPost, "/static/style.css")
	require.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
}

func TestServerSecurityHeaders(t *testing.T) {
	h := newHandler(slog.New(slog.DiscardHandler))
	for _, tt := range []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/", http.StatusOK},
		{http.MethodHead, "/", http.StatusOK},
		{http.MethodGet, "/static/style.css", http.StatusOK},
		{http.MethodGet, "/static/app.js", http.StatusOK},
		{http.MethodGet, "/static/wasm_exec.js", http.StatusOK},
		{http.MethodGet, "/nope", http.StatusNotFound},
		{http.MethodPost, "/", http.StatusMethodNotAllowed},
	} {
		res, _ := serverDo(t, h, tt.method, tt.path, "Accept-Encoding", "gzip, br")
		require.Equal(t, tt.status, res.StatusCode, "%s %s", tt.method, tt.path)
		requireSecurityHeaders(t, res)
	}
	if _, err := fs.Stat(staticFiles, "static/main.wasm"); err == nil {
		res, _ := serverDo(t, h, http.MethodHead, "/static/main.wasm")
		requireSecurityHeaders(t, res)
	}
}

func TestServerRecoversFromPanics(t *testing.T) {
	h, log := testRouter(t)
	res, body := serverDo(t, h, http.MethodGet, "/boom", "Accept-Encoding", "br")
	require.Equal(t, http.StatusInternalServerError, res.StatusCode)
	require.Equal(t, "internal server error\n", string(body))
	require.Empty(t, res.Header.Get("Content-Encoding"))
	requireSecurityHeaders(t, res)
	require.Contains(t, log.String(), "boom: the page blew up")
	require.Contains(t, log.String(), "status=500")

	res, body = serverDo(t, h, http.MethodGet, "/", "Accept-Encoding", "br")
	require.Equal(t, http.StatusOK, res.StatusCode, "the next request is served")
	require.Contains(t, string(decode(t, "br", body)), web.ProductName)

	for _, path := range []string{"/fails", "/nil"} {
		res, _ := serverDo(t, h, http.MethodGet, path)
		require.Equal(t, http.StatusInternalServerError, res.StatusCode, path)
	}
	require.Contains(t, log.String(), "no such lesson")

	// A panic after the handler set the headers of a compressed body: the
	// 500 must not claim them.
	early := serveSafely(slog.New(slog.DiscardHandler), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Encoding", "br")
		h.Set("Content-Length", "12345")
		h.Set("ETag", `"abc-br"`)
		h.Set("Content-Type", "application/wasm")
		panic("before the body")
	}))
	res, body = serverDo(t, early, http.MethodGet, "/static/main.wasm")
	require.Equal(t, http.StatusInternalServerError, res.StatusCode)
	require.Equal(t, "internal server error\n", string(body))
	require.Equal(t, "text/plain; charset=utf-8", res.Header.Get("Content-Type"))
	for _, name := range []string{"Content-Encoding", "Content-Length", "ETag"} {
		require.Empty(t, res.Header.Get(name), name)
	}
	requireSecurityHeaders(t, res)
}

// TestServerAbortsAResponseThatPanicsHalfWay checks a panic after the
// header is out breaks the connection, so the client cannot take a
// truncated body for the whole, and the server goes on serving.
func TestServerAbortsAResponseThatPanicsHalfWay(t *testing.T) {
	var log syncBuffer
	logger := slog.New(slog.NewTextHandler(&log, nil))
	mux := http.NewServeMux()
	mux.HandleFunc("/half", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("partial"))
		_ = http.NewResponseController(w).Flush()
		panic("half way")
	})
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })
	srv := httptest.NewUnstartedServer(serveSafely(logger, mux))
	srv.Config.ErrorLog = slog.NewLogLogger(slog.DiscardHandler, slog.LevelError)
	srv.Start()

	res, err := srv.Client().Get(srv.URL + "/half")
	if err == nil {
		_, err = io.ReadAll(res.Body)
		res.Body.Close()
	}
	require.Error(t, err, "the client sees the response failed")

	res, err = srv.Client().Get(srv.URL + "/ok")
	require.NoError(t, err)
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	require.NoError(t, err)
	require.Equal(t, "ok", string(body))
	srv.Close() // waits for the handlers, and so for their log lines
	require.Contains(t, log.String(), "half way")
	require.Contains(t, log.String(), "path=/half status=200 bytes=7")
}

// syncBuffer is a bytes.Buffer that a server's goroutines can log to.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestServerLogsEachRequest(t *testing.T) {
	h, log := testRouter(t)
	res, body := serverDo(t, h, http.MethodGet, "/static/text.css", "Accept-Encoding", "gzip")
	require.Equal(t, http.StatusOK, res.StatusCode)
	serverDo(t, h, http.MethodHead, "/nope")
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	require.Len(t, lines, 2)
	for _, want := range []string{"msg=request", "method=GET", "path=/static/text.css", "status=200", "bytes=" + strconv.Itoa(len(body)), "encoding=gzip", "duration="} {
		require.Contains(t, lines[0], want)
	}
	for _, want := range []string{"method=HEAD", "path=/nope", "status=404", "encoding=identity"} {
		require.Contains(t, lines[1], want)
	}
}

func TestSizesCommand(t *testing.T) {
	wasm := bytes.Repeat([]byte("\x00asm\x01\x00\x00\x00 a module, repeated "), 4000)
	sandbox := bytes.Repeat([]byte("\x00asm\x01\x00\x00\x00 the sandbox's module "), 5000)
	challenge := bytes.Repeat([]byte("\x00asm\x01\x00\x00\x00 the challenges' module "), 4500)
	var stdout, stderr bytes.Buffer
	code := sizesCommand(nil, fstest.MapFS{"main.wasm": {Data: wasm}, "sandbox.wasm": {Data: sandbox}, "challenge.wasm": {Data: challenge}}, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	var want strings.Builder
	for _, f := range []struct {
		prefix string
		data   []byte
	}{{"wasm", wasm}, {"sandbox_wasm", sandbox}, {"challenge_wasm", challenge}} {
		gz, err := gzipBytes(f.data)
		require.NoError(t, err)
		br, err := brotliBytes(f.data)
		require.NoError(t, err)
		require.Less(t, len(br), len(gz))
		fmt.Fprintf(&want, "%s_raw_bytes: %d bytes\n%s_gzip_bytes: %d bytes\n%s_brotli_bytes: %d bytes\n",
			f.prefix, len(f.data), f.prefix, len(gz), f.prefix, len(br))
	}
	require.Equal(t, want.String(), stdout.String())
	require.Regexp(t, regexp.MustCompile(`\A(\w+: \d+ bytes\n){9}\z`), stdout.String())

	stdout.Reset()
	stderr.Reset()
	code = sizesCommand(nil, fstest.MapFS{"style.css": {Data: []byte("body{}")}}, &stdout, &stderr)
	require.Equal(t, 1, code)
	require.Empty(t, stdout.String())
	require.Contains(t, stderr.String(), "static/main.wasm is not built: run `make wasm`")

	code = sizesCommand([]string{"extra"}, fstest.MapFS{}, &stdout, &stderr)
	require.Equal(t, 2, code)
}

// simulate runs the simulate command and returns its exit code and output.
func simulate(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := simulateCommand(args, strings.NewReader(stdin), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func exampleFiles(t *testing.T) []string {
	files, err := filepath.Glob("core/examples/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

func TestSimulateRunsEveryExample(t *testing.T) {
	for _, file := range exampleFiles(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			code, out, errOut := simulate(t, "", "-json", "-hash", file)
			require.Equal(t, 0, code, errOut)
			var got struct{ Report core.Report }
			require.NoError(t, json.Unmarshal([]byte(out), &got))
			r := got.Report
			require.NoError(t, r.Conserved())
			assert.Positive(t, r.Requests.Started)
			assert.NotEmpty(t, r.TraceHash)

			// The hash is the page's: that of the run that keeps its trace.
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			ex, err := core.ParseScenario(data)
			require.NoError(t, err)
			traced, _, err := core.Simulate(ex, core.Options{Trace: true})
			require.NoError(t, err)
			assert.Equal(t, traced.TraceHash, r.TraceHash)
			assert.Equal(t, traced.TraceLen, r.TraceLen)

			// Without -hash or -trace, no trace is made, and the report is the same otherwise.
			code, out, errOut = simulate(t, "", "-json", file)
			require.Equal(t, 0, code, errOut)
			var plain struct{ Report core.Report }
			require.NoError(t, json.Unmarshal([]byte(out), &plain))
			assert.Empty(t, plain.Report.TraceHash)
			assert.Zero(t, plain.Report.TraceLen)
			plain.Report.TraceHash, plain.Report.TraceLen = r.TraceHash, r.TraceLen
			assert.Equal(t, r, plain.Report)

			code, text, _ := simulate(t, "", "-hash", file)
			require.Equal(t, 0, code)
			assert.Contains(t, text, "stopped: "+string(r.Stop))
			assert.Contains(t, text, r.TraceHash, "the text and JSON reports describe the same run")
		})
	}
}

func TestSimulateReadsStandardInputAndPrintsTheTrace(t *testing.T) {
	data, err := os.ReadFile("core/examples/rest-chain.json")
	require.NoError(t, err)

	// -json -trace: JSON Lines, the report first, then one record a line.
	code, out, errOut := simulate(t, string(data), "-json", "-trace", "-")
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	var head struct{ Report core.Report }
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &head))
	trace := make([]core.TraceEntry, len(lines)-1)
	for i, line := range lines[1:] {
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(&trace[i]), "line %d: %s", i+2, line)
	}
	require.Len(t, trace, head.Report.TraceLen)
	assert.NotEmpty(t, head.Report.TraceHash)
	assert.Equal(t, "client", trace[0].Node)
	assert.Equal(t, "Client calls API Gateway with message 0 (request 0) and is blocked until the reply.", trace[0].Text)

	// The same records, in the same order, as the run that keeps its trace.
	sc, err := core.ParseScenario(data)
	require.NoError(t, err)
	report, recs, err := core.Simulate(sc, core.Options{Trace: true})
	require.NoError(t, err)
	assert.Equal(t, report.TraceHash, head.Report.TraceHash)
	assert.Equal(t, core.TraceEntries(sc, recs), trace)

	code, text, _ := simulate(t, string(data), "-trace", "-")
	require.Equal(t, 0, code)
	var want strings.Builder
	require.NoError(t, report.WriteText(&want))
	want.WriteString("\n")
	require.NoError(t, core.WriteTrace(&want, sc, recs))
	assert.Equal(t, want.String(), text, "the report, then every record")
	assert.Contains(t, text, "Client gets the reply for message 0 (request 0) after waiting 47ms, and continues.")
}

func TestSimulateSeedFlagChangesTheRun(t *testing.T) {
	_, a, _ := simulate(t, "", "-json", "-hash", "core/examples/mm1.json")
	_, b, _ := simulate(t, "", "-json", "-hash", "-seed", "8", "core/examples/mm1.json")
	var ra, rb struct{ Report core.Report }
	require.NoError(t, json.Unmarshal([]byte(a), &ra))
	require.NoError(t, json.Unmarshal([]byte(b), &rb))
	assert.EqualValues(t, 8, rb.Report.Seed)
	assert.NotEqual(t, ra.Report.TraceHash, rb.Report.TraceHash)
}

func TestSimulateRejectsBadInputWithFieldNames(t *testing.T) {
	tests := []struct {
		name, stdin string
		args        []string
		code        int
		stderr      string
	}{
		{"invalid scenario", `{"version":1,"nodes":[{"id":"a","kind":"service","concurrency":-2}]}`, []string{"-"}, 1, "nodes[0].concurrency: must be at least 1"},
		{"every problem listed", `{"version":1,"nodes":[{"id":"a","kind":"service","concurrency":-2}]}`, []string{"-"}, 1, "nodes: must include a client"},
		{"not JSON", `nodes: []`, []string{"-"}, 1, "scenario: is not valid JSON"},
		{"unknown field", `{"version":1,"nodez":[]}`, []string{"-"}, 1, "nodez: is not a known field"},
		{"missing file", ``, []string{"no/such/file.json"}, 1, "no such file"},
		{"no file named", ``, nil, 2, "usage:"},
		{"two files named", ``, []string{"a.json", "b.json"}, 2, "usage:"},
		{"unknown flag", ``, []string{"-frobnicate", "a.json"}, 2, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := simulate(t, tt.stdin, tt.args...)
			assert.Equal(t, tt.code, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tt.stderr)
		})
	}
}

func TestEveryExampleSurvivesAShareLinkRoundTrip(t *testing.T) {
	for _, ex := range core.Examples() {
		t.Run(ex.ID, func(t *testing.T) {
			link, err := core.EncodeShareLink(ex.Scenario)
			require.NoError(t, err)
			f, err := core.ParseFragment("#" + core.Fragment{Scenario: link, Step: 7}.String())
			require.NoError(t, err)
			assert.Equal(t, 7, f.Step)
			back, err := core.DecodeShareLink(f.Scenario)
			require.NoError(t, err)
			a, _, err := core.Simulate(ex.Scenario, core.Options{Trace: true})
			require.NoError(t, err)
			b, _, err := core.Simulate(back, core.Options{Trace: true})
			require.NoError(t, err)
			assert.Equal(t, a.TraceHash, b.TraceHash, "the link reopens the same run")
		})
	}
}

func TestEveryExampleRoundTripsThroughItsCanonicalJSON(t *testing.T) {
	for _, ex := range core.Examples() {
		t.Run(ex.ID, func(t *testing.T) {
			data, err := ex.Scenario.MarshalCanonical()
			require.NoError(t, err)
			again, err := core.ParseScenario(data)
			require.NoError(t, err)
			a, _, err := core.Simulate(ex.Scenario, core.Options{Trace: true})
			require.NoError(t, err)
			b, _, err := core.Simulate(again, core.Options{Trace: true})
			require.NoError(t, err)
			assert.Equal(t, a.TraceHash, b.TraceHash)
		})
	}
}

func TestEveryLessonRunsAndItsNumbersComeFromItsRuns(t *testing.T) {
	lessons := core.Lessons()
	require.Len(t, lessons, 14, "one lesson per section of the seed, and the interview questions")
	seen := map[string]bool{}
	for _, l := range lessons {
		t.Run(l.ID, func(t *testing.T) {
			require.False(t, seen[l.ID], "lesson ids are unique")
			seen[l.ID] = true
			require.Regexp(t, `^[a-z0-9-]+$`, l.ID, "ids go in URLs")
			require.Same(t, l, core.LessonByID(l.ID))
			require.NotEmpty(t, l.Steps)

			runs, err := l.Run()
			require.NoError(t, err)
			checkpoints, tryIt := 0, 0
			for i, step := range l.Steps {
				run := runs[i]
				require.NoError(t, run.Report.Conserved(), "step %q", step.Title)
				text, err := core.FillFigures(step.Text, run)
				require.NoError(t, err, "step %q", step.Title)
				assert.NotContains(t, text, "{{")
				if step.Stop != nil {
					assert.Positive(t, step.StopStep(run), "step %q stops at a record that happens", step.Title)
				}
				if step.TryIt {
					tryIt++
				}
				cp := step.Checkpoint
				if cp == nil {
					continue
				}
				checkpoints++
				want := cp.Answer(run)
				require.False(t, math.IsNaN(want) || math.IsInf(want, 0), "step %q: the answer is a number", step.Title)
				ok, got := cp.Correct(run, want)
				assert.True(t, ok, "step %q: the run's own figure is the right answer", step.Title)
				assert.Equal(t, want, got)
				if len(cp.Choices) > 0 {
					require.GreaterOrEqual(t, want, 0.0, "step %q: the answer is one of the choices", step.Title)
					require.Less(t, want, float64(len(cp.Choices)))
					for c := range cp.Choices {
						ok, _ := cp.Correct(run, float64(c))
						assert.Equal(t, float64(c) == want, ok, "step %q, choice %d", step.Title, c)
					}
				} else {
					wrong, _ := cp.Correct(run, want+cp.Tolerance+1)
					assert.False(t, wrong, "step %q: an answer off by more than the tolerance is wrong", step.Title)
					assert.NotEmpty(t, cp.Unit)
				}
				explain, err := core.FillFigures(cp.Explain, run)
				require.NoError(t, err, "step %q", step.Title)
				assert.NotContains(t, explain, "{{")
			}
			assert.Positive(t, checkpoints, "every lesson asks the learner to predict at least once")
			assert.Positive(t, tryIt, "every lesson offers to try its scenario")
			for _, c := range l.Claims {
				assert.NoError(t, c.Check(runs), "claim: %s", c.Text)
			}
		})
	}
}

func TestLessonClaimsCanFail(t *testing.T) {
	// The outbox lesson's claim must notice if the outbox lost events.
	l := core.LessonByID("outbox")
	require.NotNil(t, l)
	runs, err := l.Run()
	require.NoError(t, err)
	runs[1].Report.Counts.Lost = 3
	assert.Error(t, l.Claims[0].Check(runs))
}

func TestServerLessonPages(t *testing.T) {
	h := newHandler(slog.New(slog.DiscardHandler))

	res, body := serverDo(t, h, http.MethodGet, "/lessons")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
	requireSecurityHeaders(t, res)
	require.Contains(t, string(body), "<title>Lessons · Sync vs Async Playground</title>")
	require.Contains(t, string(body), `<ol id="lesson-index"`)
	for _, l := range core.Lessons() {
		require.Contains(t, string(body), `<a href="/lessons/`+l.ID+`">`, "the index links to %s", l.ID)
	}

	for _, l := range core.Lessons() {
		t.Run(l.ID, func(t *testing.T) {
			res, body := serverDo(t, h, http.MethodGet, "/lessons/"+l.ID)
			require.Equal(t, http.StatusOK, res.StatusCode)
			require.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
			requireSecurityHeaders(t, res)
			require.Contains(t, string(body), "<h1>"+html.EscapeString(l.Title)+"</h1>")
			require.Contains(t, string(body), `<article id="lesson" class="lesson" data-lesson-id="`+l.ID+`" data-steps="`+strconv.Itoa(len(l.Steps))+`">`)
		})
	}

	t.Run("the same page, compressed and revalidated", func(t *testing.T) {
		first, plain := serverDo(t, h, http.MethodGet, "/lessons/blocked")
		_, again := serverDo(t, h, http.MethodGet, "/lessons/blocked")
		require.Equal(t, plain, again)
		res, body := serverDo(t, h, http.MethodGet, "/lessons/blocked", "Accept-Encoding", "gzip")
		require.Equal(t, "gzip", res.Header.Get("Content-Encoding"))
		require.Equal(t, string(plain), string(decode(t, "gzip", body)))
		res, _ = serverDo(t, h, http.MethodGet, "/lessons/blocked", "If-None-Match", first.Header.Get("Etag"))
		require.Equal(t, http.StatusNotModified, res.StatusCode)
	})
}

func TestServerUnknownLesson(t *testing.T) {
	h := newHandler(slog.New(slog.DiscardHandler))
	for _, path := range []string{"/lessons/nope", "/lessons/", "/lessons/blocked/", "/lessons/blocked/1", "/lessons/BLOCKED", "/lesson/blocked"} {
		t.Run(path, func(t *testing.T) {
			res, _ := serverDo(t, h, http.MethodGet, path)
			require.Equal(t, http.StatusNotFound, res.StatusCode)
			requireSecurityHeaders(t, res)
		})
	}
	res, _ := serverDo(t, h, http.MethodPost, "/lessons/blocked")
	require.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
}

func TestLessonPagesAreComputedOnce(t *testing.T) {
	calls := 0
	page := computedOnce(func() (g.Node, error) {
		calls++
		return web.LessonIndexPage(core.Lessons()), nil
	})
	var first string
	for range 3 {
		node, err := page()
		require.NoError(t, err)
		var b strings.Builder
		require.NoError(t, node.Render(&b))
		if first == "" {
			first = b.String()
		}
		require.Equal(t, first, b.String())
	}
	require.Equal(t, 1, calls)

	_, err := lessonPage("nope")
	require.Error(t, err)
}

// TestSandboxTemplatesCoverTheSeed: every scenario of the seed is a
// template in the sandbox, and each validates, runs, and has a counterpart
// wiring to compare with (or says why not: an outbox needs its broker).
func TestSandboxTemplatesCoverTheSeed(t *testing.T) {
	seed := map[string][]string{
		"REST chain":                      {"rest-chain"},
		"gRPC with a deadline":            {"grpc-deadline"},
		"message queue":                   {"message-queue"},
		"async/await":                     {"await-sequential", "await-gathered"},
		"event-driven order":              {"event-driven"},
		"traffic spike":                   {"spike-sync", "spike-async"},
		"e-commerce checkout":             {"checkout-hybrid"},
		"API gateway with ProductUpdated": {"api-gateway"},
		"notification system":             {"notifications"},
		"outbox vs dual write":            {"outbox", "dual-write"},
		"DLQ with retries":                {"dlq-poison"},
		"partitioned ordering":            {"ordering-partitions", "ordering-queue"},
	}
	for section, ids := range seed {
		for _, id := range ids {
			t.Run(id, func(t *testing.T) {
				sc, err := core.ExampleByID(id)
				require.NoError(t, err, "the seed's %s is a template", section)
				require.NoError(t, sc.Validate())
				e, err := core.NewEngine(sc, core.Options{})
				require.NoError(t, err)
				e.Run()
				require.Positive(t, e.Report().Counts.Produced, "%s sends something", id)
				other, err := core.Counterpart(sc)
				if err != nil {
					require.Contains(t, err.Error(), "outbox", "only an outbox has no counterpart")
					return
				}
				require.NoError(t, other.Validate())
			})
		}
	}
}

// TestServerRendersThePlaygroundOnce: / is simulated and rendered once per
// handler, however many requests (concurrent ones included), and every
// request gets the same bytes and ETag as a fresh render of the page.
func TestServerRendersThePlaygroundOnce(t *testing.T) {
	before := playgroundRenders.Load()
	h := newHandler(slog.New(slog.DiscardHandler))

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			recorder := httptest.NewRecorder()
			h.ServeHTTP(recorder, httptest.NewRequest(http.MethodGet, "/", nil))
			assert.Equal(t, http.StatusOK, recorder.Code)
		})
	}
	wg.Wait()

	first, body := serverDo(t, h, http.MethodGet, "/")
	again, same := serverDo(t, h, http.MethodGet, "/")
	require.Equal(t, http.StatusOK, first.StatusCode)
	require.Equal(t, body, same)
	require.NotEmpty(t, first.Header.Get("ETag"))
	require.Equal(t, first.Header.Get("ETag"), again.Header.Get("ETag"))
	for _, encoding := range []string{"br", "gzip"} {
		res, compressed := serverDo(t, h, http.MethodGet, "/", "Accept-Encoding", encoding)
		require.Equal(t, encoding, res.Header.Get("Content-Encoding"))
		require.Equal(t, string(body), string(decode(t, encoding, compressed)))
	}
	res, _ := serverDo(t, h, http.MethodHead, "/")
	require.Equal(t, first.Header.Get("ETag"), res.Header.Get("ETag"))
	res, _ = serverDo(t, h, http.MethodGet, "/", "If-None-Match", first.Header.Get("ETag"))
	require.Equal(t, http.StatusNotModified, res.StatusCode)
	require.Equal(t, int64(1), playgroundRenders.Load()-before, "renders of / for 14 requests")

	node, err := playgroundPage()
	require.NoError(t, err)
	var fresh strings.Builder
	require.NoError(t, node.Render(&fresh))
	require.Equal(t, fresh.String(), string(body), "the cached page is the page")
}

func TestSimulateStopsAtItsBudget(t *testing.T) {
	t.Run("a heavy scenario stops at -max-memory with the field to lower", func(t *testing.T) {
		code, out, errOut := simulate(t, "", "-json", "-max-memory", "64MB", "core/testdata/heavy-poisson-flood.json")
		require.Equal(t, 0, code, errOut)
		var got struct{ Report core.Report }
		require.NoError(t, json.Unmarshal([]byte(out), &got))
		assert.Equal(t, core.StopMemoryLimit, got.Report.Stop)
		assert.Contains(t, got.Report.StopDetail, "nodes[0].workload.count")
		require.NoError(t, got.Report.Conserved())
	})
	t.Run("-max-events replaces the scenario's limit", func(t *testing.T) {
		code, out, errOut := simulate(t, "", "-json", "-max-events", "1000", "core/testdata/heavy-ceiling.json")
		require.Equal(t, 0, code, errOut)
		var got struct{ Report core.Report }
		require.NoError(t, json.Unmarshal([]byte(out), &got))
		assert.Equal(t, core.StopEventLimit, got.Report.Stop)
		assert.EqualValues(t, 1000, got.Report.Events)
	})
	for _, bad := range [][]string{{"-max-memory", "lots"}, {"-max-memory", "0"}, {"-max-events", "-5"}, {"-max-events", "600000000"}} {
		t.Run("refuses "+strings.Join(bad, " "), func(t *testing.T) {
			code, _, errOut := simulate(t, "", append(bad, "core/examples/mm1.json")...)
			assert.Equal(t, 2, code)
			assert.Contains(t, errOut, bad[0])
		})
	}
}
