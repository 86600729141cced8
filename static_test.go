package main

import (
	"bytes"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/internal/precompress"
)

// TestServerSendsTheBuildsBrotliFromItsFirstRequest: a server just
// started answers its first request for each program with the brotli
// file `make wasm` wrote, byte for byte, without compressing anything.
func TestServerSendsTheBuildsBrotliFromItsFirstRequest(t *testing.T) {
	for _, name := range []string{"main.wasm", "sandbox.wasm"} {
		if _, err := fs.Stat(staticFiles, "static/"+name); errors.Is(err, fs.ErrNotExist) {
			t.Skip("static/" + name + " is not built; run `make wasm` (make test does)")
		}
	}
	assets, err := loadAssets(staticFS())
	require.NoError(t, err)
	for name, a := range assets {
		require.True(t, a.ready(), "%s: its compressed forms were embedded (run `make wasm` after changing static/)", name)
	}
	h := newRouter(slog.New(slog.DiscardHandler), map[string]pageFunc{}, assets)
	for _, name := range []string{"main.wasm", "sandbox.wasm", "wasm_exec.js", "style.css", "app.js"} {
		want, err := os.ReadFile(filepath.Join("static", name+".br"))
		require.NoError(t, err, "the build's brotli file")
		res, body := serverDo(t, h, http.MethodGet, "/static/"+name, "Accept-Encoding", "br")
		require.Equal(t, http.StatusOK, res.StatusCode, name)
		require.Equal(t, "br", res.Header.Get("Content-Encoding"), name)
		require.True(t, bytes.Equal(want, body), "%s: the bytes of static/%s.br", name, name)
		raw, err := os.ReadFile(filepath.Join("static", name))
		require.NoError(t, err)
		require.True(t, bytes.Equal(raw, decode(t, "br", body)), "%s decodes to itself", name)
	}
}

// TestServerWaitsForTheBestFormOfAStaleFile: compressed forms made from
// other bytes are not used; the file is compressed, and its request waits
// for that instead of getting it raw.
func TestServerWaitsForTheBestFormOfAStaleFile(t *testing.T) {
	oldCSS := []byte(strings.Repeat(".old { color: red; }\n", 100))
	br, err := precompress.Brotli(oldCSS)
	require.NoError(t, err)
	gz, err := precompress.Gzip(oldCSS)
	require.NoError(t, err)
	fsys := fstest.MapFS{
		"text.css":                {Data: compressibleCSS},
		"text.css.br":             {Data: br},
		"text.css.gz":             {Data: gz},
		precompress.Sums:          {Data: []byte(precompress.Header + "\n" + precompress.Sum(oldCSS) + "  text.css\n")},
		"fresh.css":               {Data: oldCSS},
		"fresh.css.br":            {Data: br},
		"fresh.css.gz":            {Data: gz},
		"sub/" + precompress.Sums: {Data: []byte("not the sums")},
	}
	fsys[precompress.Sums].Data = append(fsys[precompress.Sums].Data, []byte(precompress.Sum(oldCSS)+"  fresh.css\n")...)
	assets, err := loadAssets(fsys)
	require.NoError(t, err)
	require.Contains(t, assets, "text.css")
	require.NotContains(t, assets, "text.css.br", "a compressed form is not a file of its own")
	require.NotContains(t, assets, precompress.Sums)
	require.False(t, assets["text.css"].ready(), "stale forms are not used")
	require.True(t, assets["fresh.css"].ready())

	h := newRouter(slog.New(slog.DiscardHandler), map[string]pageFunc{}, assets)
	go compressAssets(slog.New(slog.DiscardHandler), assets)
	res, body := serverDo(t, h, http.MethodGet, "/static/text.css", "Accept-Encoding", "br")
	require.Equal(t, "br", res.Header.Get("Content-Encoding"), "it waited for brotli")
	require.Equal(t, compressibleCSS, decode(t, "br", body))
	res, body = serverDo(t, h, http.MethodGet, "/static/fresh.css", "Accept-Encoding", "gzip")
	require.Equal(t, "gzip", res.Header.Get("Content-Encoding"))
	require.Equal(t, gz, body, "the embedded gzip form")
}
