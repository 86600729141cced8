package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/sync-vs-async/playground/web"
)

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
	static := embeddedAssets(logger)
	web.SetAssetURLs(assetURLs(static)) // before any page renders
	return newRouter(logger, pages(), static)
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

// staticHandler serves the assets under /static/ by name, and by their
// content-hashed names (hashedName), which the pages load, as immutable: a
// new build's file has a new name. Anything else, directories included,
// is 404.
func staticHandler(assets map[string]*asset) http.Handler {
	hashed := hashedAssets(assets)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		if a, ok := hashed[name]; ok {
			if allowMethod(w, r) {
				serveAssetCached(w, r, a, immutableCache)
			}
			return
		}
		a, ok := assets[name]
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
