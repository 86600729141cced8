// Command playground serves the Sync vs Async Playground, simulates scenario
// files and measures the WASM program's download size.
//
//	go run . [-addr 127.0.0.1:8080]     serve the playground
//	go run . simulate [flags] FILE      simulate a scenario file and print its report
//	go run . sizes                      print main.wasm's and sandbox.wasm's sizes raw, gzipped and brotli-compressed
//
// Run `make wasm` first: static/main.wasm and static/wasm_exec.js are build
// outputs embedded from static/.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/andybalholm/brotli"
	g "maragu.dev/gomponents"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// staticFiles holds the stylesheet, the loader app.js and the build outputs
// of `make wasm`. Embedding the directory, which always holds the committed
// files, keeps the package compiling before the first WASM build; main.wasm
// is then 404.
//
//go:embed static
var staticFiles embed.FS

// pageFunc renders one page. It takes no request: a page is the same for
// everyone, and whatever differs (a share link, a step) is in the URL's
// fragment, which only the WASM program reads.
type pageFunc = func() (g.Node, error)

// pages is the table of the playground's pages, by path. A path ending in
// "/" is that path only, not the tree under it. Serving a page at another
// path, or another page at a path, is a change of one row.
func pages() map[string]pageFunc {
	p := map[string]pageFunc{
		"/":        computedOnce(playgroundPage),
		"/sandbox": computedOnce(sandboxPage),
		"/lessons": computedOnce(lessonIndexPage),
	}
	// One path per lesson: any other /lessons/… is 404.
	for _, l := range core.Lessons() {
		p[web.LessonPath(l.ID)] = computedOnce(func() (g.Node, error) { return lessonPage(l.ID) })
	}
	return p
}

// computedOnce renders the page of render on its first request and serves
// the same HTML from then on: a page that runs a lesson's scenarios is the
// same every time, so it is computed once per handler.
func computedOnce(render pageFunc) pageFunc {
	return sync.OnceValues(func() (g.Node, error) {
		node, err := render()
		if err != nil || node == nil {
			return node, err
		}
		var html strings.Builder
		if err := node.Render(&html); err != nil {
			return nil, err
		}
		return g.Raw(html.String()), nil
	})
}

// playgroundRenders counts the calls of playgroundPage, so that a test can
// tell that / is rendered once per handler, not once per request.
var playgroundRenders atomic.Int64

// playgroundPage is the playground showing the default example at its
// first step, rendered on the server so that it reads before the WASM
// program has loaded. The run is deterministic, so every request gets
// the same page: pages renders it once (computedOnce).
func playgroundPage() (g.Node, error) {
	playgroundRenders.Add(1)
	sc, tl, err := defaultRun()
	if err != nil {
		return nil, err
	}
	return web.PlaygroundPage(web.Playground{
		Examples: core.Examples(),
		Current:  core.DefaultExample,
		Scenario: sc,
		Timeline: tl,
	}), nil
}

// defaultRun is the default example, run with its trace.
func defaultRun() (*core.Scenario, *core.Timeline, error) {
	sc, err := core.ExampleByID(core.DefaultExample)
	if err != nil {
		return nil, nil, err
	}
	e, err := core.NewEngine(sc, core.Options{Trace: true})
	if err != nil {
		return nil, nil, err
	}
	e.Run()
	return e.Scenario(), core.NewTimeline(e.Scenario(), e.Trace()), nil
}

// sandboxPage is the sandbox with its first template loaded and run, so
// the page reads (canvas, properties, player) before the WASM program
// has loaded; the program then opens what the URL fragment names.
func sandboxPage() (g.Node, error) {
	sc, tl, err := defaultRun()
	if err != nil {
		return nil, err
	}
	return web.SandboxPage(web.Sandbox{
		Examples: core.Examples(),
		Template: core.DefaultExample,
		Builder:  web.Builder{Scenario: sc, Selection: web.NoSelection()},
		Timeline: tl,
	}), nil
}

// lessonIndexPage lists the lessons.
func lessonIndexPage() (g.Node, error) {
	return web.LessonIndexPage(core.Lessons()), nil
}

// lessonPage is the page of the lesson id, its steps' scenarios run and
// step 1 shown in the player at its stop.
func lessonPage(id string) (g.Node, error) {
	l := core.LessonByID(id)
	if l == nil {
		return nil, fmt.Errorf("no lesson %q", id)
	}
	v, err := web.NewLessonView(l)
	if err != nil {
		return nil, err
	}
	return web.LessonPage(v), nil
}

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "simulate":
			os.Exit(simulateCommand(os.Args[2:], os.Stdin, os.Stdout, os.Stderr))
		case "sizes":
			os.Exit(sizesCommand(os.Args[2:], staticFS(), os.Stdout, os.Stderr))
		}
	}
	os.Exit(serveCommand(os.Args[1:], os.Stderr))
}

// serveCommand serves the playground until SIGINT or SIGTERM and returns the
// process exit code.
func serveCommand(args []string, stderr io.Writer) int {
	flags := flag.NewFlagSet("playground", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", "127.0.0.1:8080", "address to listen on")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "playground: unexpected argument %q (the subcommands are simulate and sizes)\n", flags.Arg(0))
		return 2
	}

	logger := slog.New(slog.NewTextHandler(stderr, nil))
	if err := serve(*addr, logger); err != nil {
		logger.Error("server stopped", "err", err)
		return 1
	}
	return 0
}

// serve listens on addr and shuts down gracefully on SIGINT or SIGTERM.
func serve(addr string, logger *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	server := &http.Server{
		Handler:           newHandler(logger),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      60 * time.Second, // main.wasm is a few MB
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}

	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()
	logger.Info("serving", "url", "http://"+listener.Addr().String()+"/")

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	stop() // a second signal kills the process at once
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := server.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newHandler serves the pages of the table in pages and the embedded static
// files, with the security headers on every response, recovering from
// panics and logging one line per request.
func newHandler(logger *slog.Logger) http.Handler {
	return newRouter(logger, pages(), embeddedAssets(logger))
}

// newRouter is newHandler with the given pages and static files, which it
// serves under /static/ by their names.
func newRouter(logger *slog.Logger, pages map[string]pageFunc, static map[string]*asset) http.Handler {
	mux := http.NewServeMux()
	cache := &pageCache{logger: logger}
	for p, render := range pages {
		pattern := p
		if strings.HasSuffix(p, "/") {
			pattern += "{$}" // the path only, not the subtree
		}
		mux.Handle(pattern, pageHandler(logger, p, render, cache))
	}
	mux.Handle("/static/", staticHandler(static))
	return serveSafely(logger, mux)
}

// --- security headers, panics and the request log ---

// contentSecurityPolicy allows the page only its own scripts, styles and
// connections, plus compiling WebAssembly ('wasm-unsafe-eval', which allows
// no JavaScript eval). Inline scripts and styles are refused: the loader is
// static/app.js, and a style must come from a stylesheet.
const contentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
	"style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; " +
	"base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// securityHeaders are set on every response, errors included.
var securityHeaders = [][2]string{
	{"Content-Security-Policy", contentSecurityPolicy},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "no-referrer"},
	{"X-Frame-Options", "DENY"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
}

// serveSafely sets the security headers, answers 500 if next panics (so the
// server keeps serving), and logs one line per request once it has been
// answered.
func serveSafely(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		recorder := &statusRecorder{ResponseWriter: w}
		// Deferred, so that even an aborted response is logged.
		defer func() {
			status := recorder.status
			if status == 0 {
				status = http.StatusOK // the handler wrote nothing
			}
			encoding := recorder.Header().Get("Content-Encoding")
			if encoding == "" {
				encoding = "identity"
			}
			logger.Info("request",
				"method", r.Method,
				"path", r.URL.Path,
				"status", status,
				"bytes", recorder.bytes,
				"duration", time.Since(start),
				"encoding", encoding,
			)
		}()
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			logger.Error("panic while serving a request",
				"method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
			if recorder.status != 0 {
				// Part of the response is out: abort it, so the client sees
				// that it failed rather than a truncated success.
				panic(http.ErrAbortHandler)
			}
			h := recorder.Header()
			for _, k := range []string{"Content-Encoding", "Content-Length", "Etag", "Vary", "Cache-Control", "Allow"} {
				h.Del(k)
			}
			http.Error(recorder, "internal server error", http.StatusInternalServerError)
		}()

		h := w.Header()
		for _, kv := range securityHeaders {
			h.Set(kv[0], kv[1])
		}
		next.ServeHTTP(recorder, r)
	})
}

// statusRecorder remembers the status code and size of a response for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int // 0 until the header is written
	bytes  int
}

func (r *statusRecorder) WriteHeader(status int) {
	if r.status == 0 || r.status < 200 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(p)
	r.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// --- pages ---

// pageHandler renders a page on each request and serves it as an asset:
// compressed, with an ETag, revalidated on every use. Every row of pages is
// computedOnce, so that render is a copy of HTML made on the first request.
func pageHandler(logger *slog.Logger, p string, render pageFunc, cache *pageCache) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowMethod(w, r) {
			return
		}
		node, err := render()
		if err == nil && node == nil {
			err = errors.New("the page is nil")
		}
		var html bytes.Buffer
		if err == nil {
			err = node.Render(&html)
		}
		if err != nil {
			logger.Error("rendering a page", "path", p, "err", err)
			http.Error(w, "internal server error", http.StatusInternalServerError)
			return
		}
		serveAsset(w, r, cache.asset(html.Bytes()))
	})
}

// maxCachedPages bounds the page cache; past it the cache starts afresh.
const maxCachedPages = 64

// pageCache keeps the compressed forms of rendered pages by their content,
// so a page is compressed once per content, not once per request.
type pageCache struct {
	logger *slog.Logger
	mu     sync.Mutex
	pages  map[[sha256.Size]byte]*asset
}

// asset returns the asset for the page html, compressing it the first time.
func (c *pageCache) asset(html []byte) *asset {
	sum := sha256.Sum256(html)
	c.mu.Lock()
	a := c.pages[sum]
	c.mu.Unlock()
	if a != nil {
		return a
	}

	a = newAsset("text/html; charset=utf-8", bytes.Clone(html))
	if err := a.compress(); err != nil {
		c.logger.Error("compressing a page: serving it uncompressed", "err", err)
	}
	c.mu.Lock()
	if c.pages == nil || len(c.pages) >= maxCachedPages {
		c.pages = make(map[[sha256.Size]byte]*asset)
	}
	c.pages[sum] = a
	c.mu.Unlock()
	return a
}

// --- static files ---

// staticFS returns the embedded static/ directory.
func staticFS() fs.FS {
	files, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err) // "static" is a valid path: cannot happen
	}
	return files
}

var embedded struct {
	once   sync.Once
	assets map[string]*asset
}

// embeddedAssets loads the embedded static files once per process and
// compresses them in the background. Until a file's compressed forms are
// ready it is served as it is (br can take seconds for main.wasm), so the
// server answers at once.
func embeddedAssets(logger *slog.Logger) map[string]*asset {
	embedded.once.Do(func() {
		assets, err := loadAssets(staticFS())
		if err != nil {
			logger.Error("loading the static files", "err", err)
		}
		embedded.assets = assets
		go compressAssets(logger, assets)
	})
	return embedded.assets
}

// loadAssets reads every file of fsys into an asset named by its path,
// without compressing it.
func loadAssets(fsys fs.FS) (map[string]*asset, error) {
	assets := make(map[string]*asset)
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		assets[name] = newAsset(contentType(name), data)
		return nil
	})
	return assets, err
}

// compressAssets compresses every asset, concurrently, and logs how long it
// took.
func compressAssets(logger *slog.Logger, assets map[string]*asset) {
	start := time.Now()
	var wg sync.WaitGroup
	for name, a := range assets {
		wg.Go(func() {
			if err := a.compress(); err != nil {
				logger.Error("compressing a static file: serving it uncompressed", "file", name, "err", err)
			}
		})
	}
	wg.Wait()
	logger.Info("static files compressed", "files", len(assets), "duration", time.Since(start))
}

// contentTypes are the types of the static files, whatever the system's MIME
// table says: WebAssembly.instantiateStreaming requires application/wasm.
var contentTypes = map[string]string{
	".wasm": "application/wasm",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".html": "text/html; charset=utf-8",
	".svg":  "image/svg+xml",
	".json": "application/json",
}

func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// staticHandler serves the assets under /static/ by name. Anything else,
// directories included, is 404.
func staticHandler(assets map[string]*asset) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := assets[strings.TrimPrefix(r.URL.Path, "/static/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if !allowMethod(w, r) {
			return
		}
		serveAsset(w, r, a)
	})
}

// allowMethod answers 405 unless the request is a GET or a HEAD.
func allowMethod(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return false
}

// --- assets: content negotiation and revalidation ---

// minCompressSize is the size below which a file is not compressed: the
// saving would not pay for the work.
const minCompressSize = 1024

// encoders compress a file for a Content-Encoding, fastest first: each form
// is served as soon as it is ready.
var encoders = []struct {
	name   string
	encode func([]byte) ([]byte, error)
}{
	{"gzip", gzipBytes},
	{"br", brotliBytes},
}

// preferredEncodings are the encodings the server offers, best first.
var preferredEncodings = []string{"br", "gzip"}

func gzipBytes(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func brotliBytes(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	bw := brotli.NewWriterLevel(&buf, brotli.BestCompression) // quality 11
	if _, err := bw.Write(data); err != nil {
		return nil, err
	}
	if err := bw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// representation is a file's bytes in one Content-Encoding.
type representation struct {
	encoding string // "" for identity
	body     []byte
	etag     string // strong, and different for each encoding (RFC 9110 8.8.3)
}

// asset is a file served with content negotiation. Its compressed forms
// appear as compress makes them; the asset is usable before.
type asset struct {
	contentType string
	identity    *representation
	encoded     atomic.Pointer[map[string]*representation] // by encoding; nil until the first is ready
	compressed  chan struct{}                              // closed when compress has finished
	once        sync.Once
}

func newAsset(contentType string, data []byte) *asset {
	sum := sha256.Sum256(data)
	return &asset{
		contentType: contentType,
		identity:    &representation{body: data, etag: `"` + hex.EncodeToString(sum[:8]) + `"`},
		compressed:  make(chan struct{}),
	}
}

// compress makes the asset's compressed forms, unless it is too small to be
// worth it, publishing each as soon as it is ready. Only the first call does
// the work; later ones return nil at once.
func (a *asset) compress() error {
	var errs []error
	a.once.Do(func() {
		defer close(a.compressed)
		if len(a.identity.body) < minCompressSize {
			return
		}
		encoded := make(map[string]*representation)
		for _, enc := range encoders {
			body, err := enc.encode(a.identity.body)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", enc.name, err))
				continue
			}
			encoded[enc.name] = &representation{
				encoding: enc.name,
				body:     body,
				etag:     strings.TrimSuffix(a.identity.etag, `"`) + "-" + enc.name + `"`,
			}
			published := make(map[string]*representation, len(encoded))
			for k, v := range encoded {
				published[k] = v
			}
			a.encoded.Store(&published)
		}
	})
	return errors.Join(errs...)
}

// representations returns the identity form and the compressed forms made so
// far.
func (a *asset) representations() []*representation {
	reps := []*representation{a.identity}
	if encoded := a.encoded.Load(); encoded != nil {
		for _, name := range preferredEncodings {
			if rep, ok := (*encoded)[name]; ok {
				reps = append(reps, rep)
			}
		}
	}
	return reps
}

// negotiate picks the representation to send for an Accept-Encoding header:
// the first of preferredEncodings that the client accepts, is ready, and is
// smaller than the file itself; otherwise the file as it is.
func (a *asset) negotiate(acceptEncoding string) *representation {
	if encoded := a.encoded.Load(); encoded != nil && acceptEncoding != "" {
		for _, name := range preferredEncodings {
			rep, ok := (*encoded)[name]
			if ok && len(rep.body) < len(a.identity.body) && acceptsEncoding(acceptEncoding, name) {
				return rep
			}
		}
	}
	return a.identity
}

// serveAsset answers a GET or HEAD with the representation the client
// accepts, or 304 if it already has one (If-None-Match).
func serveAsset(w http.ResponseWriter, r *http.Request, a *asset) {
	h := w.Header()
	h.Set("Vary", "Accept-Encoding")
	h.Set("Cache-Control", "no-cache") // cache, but revalidate on every use
	rep := a.negotiate(r.Header.Get("Accept-Encoding"))

	if inm := r.Header.Get("If-None-Match"); inm != "" {
		if etag, ok := matchETag(inm, a.representations(), rep); ok {
			// The client's copy is current, whichever encoding it has.
			h.Set("Etag", etag)
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}

	h.Set("Content-Type", a.contentType)
	h.Set("Etag", rep.etag)
	if rep.encoding != "" {
		h.Set("Content-Encoding", rep.encoding)
	}
	h.Set("Content-Length", strconv.Itoa(len(rep.body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(rep.body)
	}
}

// matchETag reports whether an If-None-Match header names one of reps, with
// the weak comparison RFC 9110 13.1.2 asks for, and returns that one's ETag;
// "*" matches current, the one that would be sent.
func matchETag(ifNoneMatch string, reps []*representation, current *representation) (string, bool) {
	s := ifNoneMatch
	for {
		s = strings.TrimLeft(s, " \t,")
		if s == "" {
			return "", false
		}
		if s[0] == '*' {
			return current.etag, true
		}
		s = strings.TrimPrefix(s, "W/")
		if s == "" || s[0] != '"' {
			return "", false // malformed
		}
		end := strings.IndexByte(s[1:], '"')
		if end < 0 {
			return "", false
		}
		tag := s[:end+2]
		s = s[end+2:]
		for _, rep := range reps {
			if rep.etag == tag {
				return tag, true
			}
		}
	}
}

// acceptsEncoding reports whether an Accept-Encoding header accepts the
// content coding name (RFC 9110 12.5.3): named with a q-value above 0, or
// covered by "*" when not named. x-gzip counts as gzip.
func acceptsEncoding(header, name string) bool {
	star := false
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding == "x-gzip" {
			coding = "gzip"
		}
		if coding != name && coding != "*" {
			continue
		}
		accepted := qValue(params) > 0
		if coding == name {
			return accepted
		}
		star = accepted
	}
	return star
}

// qValue returns the q parameter among params (";"-separated), 1 if there is
// none, and 0 if it is malformed.
func qValue(params string) float64 {
	for param := range strings.SplitSeq(params, ";") {
		key, value, _ := strings.Cut(param, "=")
		if strings.EqualFold(strings.TrimSpace(key), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
			if err != nil {
				return 0
			}
			return q
		}
	}
	return 1
}

// --- sizes command ---

// sizesCommand prints the sizes of the two WASM programs in files, as they
// are, gzipped and brotli-compressed by the code that serves them, as
// `name: value unit` lines for make bench: wasm_* for main.wasm (the
// playground and the lessons), sandbox_wasm_* for sandbox.wasm. It
// returns the exit code.
func sizesCommand(args []string, files fs.FS, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "usage: go run . sizes")
		return 2
	}
	for _, w := range []struct{ file, prefix string }{{"main.wasm", "wasm"}, {"sandbox.wasm", "sandbox_wasm"}} {
		data, err := fs.ReadFile(files, w.file)
		if errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(stderr, "sizes: static/%s is not built: run `make wasm` first; it is embedded when the program is compiled\n", w.file)
			return 1
		}
		if err != nil {
			fmt.Fprintf(stderr, "sizes: reading %s: %v\n", w.file, err)
			return 1
		}
		a := newAsset(contentType(w.file), data)
		if err := a.compress(); err != nil {
			fmt.Fprintf(stderr, "sizes: compressing %s: %v\n", w.file, err)
			return 1
		}
		encoded := a.encoded.Load()
		if encoded == nil || (*encoded)["gzip"] == nil || (*encoded)["br"] == nil {
			fmt.Fprintf(stderr, "sizes: %s (%d bytes) is too small to be compressed\n", w.file, len(data))
			return 1
		}
		fmt.Fprintf(stdout, "%s_raw_bytes: %d bytes\n", w.prefix, len(data))
		fmt.Fprintf(stdout, "%s_gzip_bytes: %d bytes\n", w.prefix, len((*encoded)["gzip"].body))
		fmt.Fprintf(stdout, "%s_brotli_bytes: %d bytes\n", w.prefix, len((*encoded)["br"].body))
	}
	return 0
}

// --- simulate command ---

const simulateUsage = `usage: go run . simulate [-json] [-trace] [-seed N] [-max-events N] [-max-memory SIZE] FILE

Reads a scenario (JSON; FILE "-" reads standard input), validates it, runs
it and prints a report. Invalid scenarios print one line per problem, each
naming the field, and exit with status 1. A run that reaches its memory
budget (-max-memory, 2GiB by default) or its event limit stops there, and the
report says why and which field to lower.

`

// simulateCommand simulates the scenario file named in args and prints its
// report, returning the process exit code: 0 for a run, 1 for a scenario
// that cannot be read or is invalid, 2 for wrong usage.
func simulateCommand(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("simulate", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprint(stderr, simulateUsage)
		flags.PrintDefaults()
	}
	asJSON := flags.Bool("json", false, "print the report as JSON")
	withTrace := flags.Bool("trace", false, "include the trace: one line (or JSON object) per record")
	seed := flags.Int64("seed", -1, "run with this seed instead of the scenario's")
	maxEvents := flags.Int64("max-events", 0, fmt.Sprintf("stop after this many events, instead of the scenario's limits.maxEvents (at most %d)", core.CeilingMaxEvents))
	maxMemory := byteSize(core.DefaultMaxMemory)
	flags.Var(&maxMemory, "max-memory", "stop the run before it holds more than this much memory (bytes, or with KB, MB, GB, KiB, MiB, GiB)")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if *maxEvents < 0 || *maxEvents > core.CeilingMaxEvents {
		fmt.Fprintf(stderr, "simulate: -max-events must be between 1 and %d (0 keeps the scenario's)\n", core.CeilingMaxEvents)
		return 2
	}
	if flags.NArg() != 1 {
		flags.Usage()
		return 2
	}

	data, err := readScenarioFile(flags.Arg(0), stdin)
	if err != nil {
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		return 1
	}
	sc, err := core.DecodeScenario(data)
	if err == nil {
		if *seed >= 0 {
			sc.Seed = uint64(*seed)
		}
		if *maxEvents > 0 {
			sc.Limits.MaxEvents = *maxEvents
		}
		err = sc.Validate()
	}
	if err != nil {
		fmt.Fprintf(stderr, "simulate: %s is not a valid scenario:\n", flags.Arg(0))
		var errs core.Errors
		if errors.As(err, &errs) {
			for _, e := range errs {
				fmt.Fprintf(stderr, "  %s\n", e)
			}
		} else {
			fmt.Fprintf(stderr, "  %v\n", err)
		}
		return 1
	}

	// The trace is kept even when it is not printed: the report gives its
	// hash, which is how a run here is matched with the page's. Its records
	// count towards the memory budget.
	engine, err := core.NewEngine(sc, core.Options{Trace: true, MaxMemory: int64(maxMemory)})
	if err != nil {
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		return 1
	}
	report := engine.Run()
	if *asJSON {
		out := struct {
			Report *core.Report      `json:"report"`
			Trace  []core.TraceEntry `json:"trace,omitempty"`
		}{Report: report}
		if *withTrace {
			out.Trace = make([]core.TraceEntry, len(engine.Trace()))
			for i := range engine.Trace() {
				out.Trace[i] = engine.Trace()[i].Entry(engine.Scenario(), i)
			}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "simulate: %v\n", err)
			return 1
		}
		return 0
	}
	if err := report.WriteText(stdout); err != nil {
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		return 1
	}
	if *withTrace {
		fmt.Fprintln(stdout)
		for i := range engine.Trace() {
			rec := &engine.Trace()[i]
			fmt.Fprintf(stdout, "%6d %14s  %s\n", i, rec.At, rec.Describe(engine.Scenario()))
		}
	}
	return 0
}

// byteSize is a flag of a number of bytes, written as a number with an
// optional unit: "300MB", "2GiB", "1048576".
type byteSize int64

func (b *byteSize) String() string { return strconv.FormatInt(int64(*b), 10) }

func (b *byteSize) Set(s string) error {
	units := []struct {
		suffix string
		n      int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(rest), u.n
			break
		}
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || !(n >= 1) || n*float64(mult) > 1<<50 {
		return fmt.Errorf("want a size such as 300MB or 2GiB, from 1 byte to 1 PiB")
	}
	*b = byteSize(n * float64(mult))
	return nil
}

// readScenarioFile reads a scenario file, or standard input for "-",
// refusing anything larger than a scenario may be.
func readScenarioFile(name string, stdin io.Reader) ([]byte, error) {
	var r io.Reader = stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, core.MaxScenarioBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > core.MaxScenarioBytes {
		return nil, fmt.Errorf("%s is larger than %d bytes", name, core.MaxScenarioBytes)
	}
	return data, nil
}
