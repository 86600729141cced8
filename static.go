package main

import (
	"embed"
	"io/fs"
	"log/slog"
	"mime"
	"path"
	"strings"
	"sync"
	"time"
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
