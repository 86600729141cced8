package main

import (
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/web"
)

// TestHashedNamesChangeWithContent: a file's hashed name follows its bytes,
// and is served immutable while its plain name revalidates.
func TestHashedNamesChangeWithContent(t *testing.T) {
	load := func(css string) (map[string]*asset, string) {
		assets, err := loadAssets(fstest.MapFS{"style.css": {Data: []byte(css)}, "main.wasm": {Data: []byte("\x00asm")}})
		require.NoError(t, err)
		for _, a := range assets {
			require.NoError(t, a.compress())
		}
		return assets, assetURLs(assets)["style.css"]
	}
	a1, u1 := load("body { color: black; }")
	_, u1again := load("body { color: black; }")
	a2, u2 := load("body { color: white; }")
	require.Regexp(t, `^/static/style\.[0-9a-f]{16}\.css$`, u1)
	require.Equal(t, u1, u1again, "the same bytes, the same name")
	require.NotEqual(t, u1, u2, "other bytes, another name")
	require.Equal(t, assetURLs(a1)["main.wasm"], assetURLs(a2)["main.wasm"], "an unchanged file keeps its name")
	require.Equal(t, "sub/deep.0011.js", hashedName("sub/deep.js", &asset{hash: "0011"}))
	require.Equal(t, "a.b/LICENSE.0011", hashedName("a.b/LICENSE", &asset{hash: "0011"}))

	h := newRouter(slog.New(slog.DiscardHandler), map[string]pageFunc{}, a1)
	res, body := serverDo(t, h, http.MethodGet, u1)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "body { color: black; }", string(body))
	require.Equal(t, immutableCache, res.Header.Get("Cache-Control"))
	require.Equal(t, "text/css; charset=utf-8", res.Header.Get("Content-Type"))
	res, _ = serverDo(t, h, http.MethodGet, "/static/style.css")
	require.Equal(t, "no-cache", res.Header.Get("Cache-Control"))
	res, _ = serverDo(t, h, http.MethodGet, u2)
	require.Equal(t, http.StatusNotFound, res.StatusCode, "another build's name")
	res, _ = serverDo(t, h, http.MethodPost, u1)
	require.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
}

// staticURL finds the URLs a page loads or links to under /static/.
var staticURL = regexp.MustCompile(`(?:href|src|data-wasm)="(/static/[^"]*)"`)

// TestEveryPageReferencesExistingHashedNames: every page of the route
// table loads its stylesheet, scripts and program by hashed names the
// server serves as immutable, and pages themselves revalidate.
func TestEveryPageReferencesExistingHashedNames(t *testing.T) {
	requireBuilt(t)
	h := newHandler(slog.New(slog.DiscardHandler))
	paths := sortedPaths(pages())
	require.Contains(t, paths, "/sandbox")
	for _, p := range paths {
		res, body := serverDo(t, h, http.MethodGet, p)
		require.Equal(t, http.StatusOK, res.StatusCode, p)
		require.Equal(t, "no-cache", res.Header.Get("Cache-Control"), p)
		urls := staticURL.FindAllStringSubmatch(string(body), -1)
		var got []string
		for _, m := range urls {
			got = append(got, m[1])
		}
		wantWASM := web.MainWASM
		switch {
		case p == "/sandbox":
			wantWASM = strings.TrimPrefix(web.SandboxWASM, "/static/")
		case strings.HasPrefix(p, "/challenges"):
			wantWASM = strings.TrimPrefix(web.ChallengeWASM, "/static/")
		}
		for _, name := range []string{web.StyleSheet, web.GoRuntime, web.LoaderScript, wantWASM} {
			ext := name[strings.LastIndexByte(name, '.'):]
			re := regexp.MustCompile(`^/static/` + regexp.QuoteMeta(strings.TrimSuffix(name, ext)) + `\.[0-9a-f]{16}` + regexp.QuoteMeta(ext) + `$`)
			require.True(t, slices.ContainsFunc(got, re.MatchString), "%s loads %s by its hashed name: %v", p, name, got)
		}
		for _, u := range got {
			require.Regexp(t, `\.[0-9a-f]{16}(\.[a-z]+)?$`, u, "%s: %s is a hashed name", p, u)
			res, _ := serverDo(t, h, http.MethodHead, u)
			require.Equal(t, http.StatusOK, res.StatusCode, "%s: %s exists", p, u)
			require.Equal(t, immutableCache, res.Header.Get("Cache-Control"), u)
			_, _ = io.Copy(io.Discard, res.Body)
		}
	}
}

// requireBuilt skips a test that needs `make wasm`'s programs.
func requireBuilt(t *testing.T) {
	t.Helper()
	for _, name := range []string{"/static/" + web.MainWASM, web.SandboxWASM} {
		if _, err := staticFiles.Open(strings.TrimPrefix(name, "/")); err != nil {
			t.Skip(name + " is not built; run `make wasm` (make test does)")
		}
	}
}
