package main

import (
	"embed"
	"io/fs"
	"log/slog"
	"mime"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sync-vs-async/playground/internal/precompress"
)

// staticFiles holds the stylesheet, the loader app.js and the build outputs
// of `make wasm`. Embedding the directory, which always holds the committed
// files, keeps the package compiling before the first WASM build; main.wasm
// is then 404.
//
//go:embed static
var staticFiles embed.FS

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

// embeddedAssets loads the embedded static files once per process, with
// the brotli and gzip forms `make wasm` wrote beside them (package
// precompress), so that the server sends the best form from its first
// request and compresses nothing at start-up. A file without up-to-date
// forms (one edited since the last `make wasm`) is compressed in the
// background, and its requests wait for it (br can take seconds for
// main.wasm) rather than get it raw.
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
// with its compressed forms if precompress made them from its bytes. The
// forms and the sums are not assets of their own.
func loadAssets(fsys fs.FS) (map[string]*asset, error) {
	assets := make(map[string]*asset)
	sums := precompress.ReadSums(fsys, ".")
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || precompress.IsCompressedForm(name) {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		a := newAsset(contentType(name), data)
		if forms := precompress.Forms(fsys, sums, name, data); forms != nil {
			a.useForms(forms)
		}
		assets[name] = a
		return nil
	})
	return assets, err
}

// compressAssets compresses every asset that has no compressed forms yet,
// concurrently, and logs how long it took and how many it had to compress.
func compressAssets(logger *slog.Logger, assets map[string]*asset) {
	start := time.Now()
	var wg sync.WaitGroup
	var compressed atomic.Int64
	for name, a := range assets {
		if a.ready() {
			continue
		}
		compressed.Add(1)
		wg.Go(func() {
			if err := a.compress(); err != nil {
				logger.Error("compressing a static file: serving it uncompressed", "file", name, "err", err)
			}
		})
	}
	wg.Wait()
	if n := compressed.Load(); n > 0 {
		logger.Warn("static files compressed at start-up: run `make wasm` to compress them at build time", "files", n)
	}
	logger.Info("static files compressed", "files", len(assets), "at_startup", compressed.Load(), "duration", time.Since(start))
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
