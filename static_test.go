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

// TestStyleSheetBlocksClose: every block of static/style.css closes where
// it should. An @media block that a merge left open put the 1,100 lines
// after it (the comparison, the challenges) under "min-width: 60rem", so
// none of them applied on a phone, and no browser reports that.
func TestStyleSheetBlocksClose(t *testing.T) {
	css, err := os.ReadFile(filepath.Join("static", "style.css"))
	require.NoError(t, err)
	depth, line := 0, 1
	for i := 0; i < len(css); i++ {
		switch {
		case css[i] == '\n':
			line++
		case css[i] == '/' && i+1 < len(css) && css[i+1] == '*':
			end := bytes.Index(css[i+2:], []byte("*/"))
			require.GreaterOrEqual(t, end, 0, "line %d: a comment that does not end", line)
			line += bytes.Count(css[i:i+2+end], []byte("\n"))
			i += 2 + end + 1
		case css[i] == '"' || css[i] == '\'':
			end := bytes.IndexByte(css[i+1:], css[i])
			require.GreaterOrEqual(t, end, 0, "line %d: a string that does not end", line)
			i += 1 + end
		case css[i] == '{':
			depth++
		case css[i] == '}':
			depth--
			require.GreaterOrEqual(t, depth, 0, "line %d: a } that closes nothing", line)
		case css[i] == '@' && bytes.HasPrefix(css[i:], []byte("@media")) && depth > 0:
			t.Errorf("line %d: an @media inside a block: the block before it is not closed", line)
		}
	}
	require.Zero(t, depth, "a block is left open at the end")
}
