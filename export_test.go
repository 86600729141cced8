package main

import (
	"bytes"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/web"
)

// readTree reads every file under dir, by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return err
	}))
	return files
}

// TestExportIsDeterministic: two exports of the same build are byte for
// byte the same; another base or stamp is another version.
func TestExportIsDeterministic(t *testing.T) {
	requireBuilt(t)
	dirs := []string{t.TempDir(), t.TempDir()}
	for _, dir := range dirs {
		var stdout, stderr bytes.Buffer
		require.Equal(t, 0, exportCommand([]string{dir, "-base", "/course/"}, &stdout, &stderr), stderr.String())
		require.Contains(t, stdout.String(), "export: ")
	}
	a, b := readTree(t, dirs[0]), readTree(t, dirs[1])
	require.Equal(t, len(a), len(b))
	for name, data := range a {
		require.True(t, bytes.Equal(data, b[name]), "%s differs between two exports", name)
	}
	s1, err := buildSite("/course/", "")
	require.NoError(t, err)
	s2, err := buildSite("/", "")
	require.NoError(t, err)
	s3, err := buildSite("/course/", "abc123")
	require.NoError(t, err)
	require.NotEqual(t, s1.version, s2.version)
	require.NotEqual(t, s1.version, s3.version)
	require.Contains(t, string(a["sw.js"]), `const VERSION = "`+s1.version+`";`)
}

// exportedURL finds the addresses a page loads or links to.
var exportedURL = regexp.MustCompile(`\s(href|src|action|data-wasm|data-sw)="([^"]*)"`)

// TestExportUnderASubPath: every page of the route table is exported, and
// every address in every page stays under the base and names a file of
// the export; pages carry the CSP meta; sw.js precaches files that exist;
// _headers has the server's policy, caching and application/wasm.
func TestExportUnderASubPath(t *testing.T) {
	requireBuilt(t)
	const base = "/course/"
	s, err := buildSite(base, "")
	require.NoError(t, err)
	// file finds the file a URL under base is served from.
	file := func(u string) (string, bool) {
		u, _, _ = strings.Cut(u, "#")
		u, _, _ = strings.Cut(u, "?")
		if !strings.HasPrefix(u, base) {
			return "", false
		}
		name := strings.TrimPrefix(u, base)
		if name == "" || strings.HasSuffix(name, "/") {
			name += "index.html"
		}
		_, ok := s.files[name]
		return name, ok
	}
	for _, p := range sortedPaths(pages()) {
		name, ok := file(pageURL(base, p))
		require.True(t, ok, "the route %s is exported (as %s)", p, name)
	}
	require.Contains(t, s.files, "404.html")
	pagesSeen := 0
	for name, data := range s.files {
		if path.Ext(name) != ".html" {
			continue
		}
		pagesSeen++
		html := string(data)
		require.Contains(t, html, `<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src &#39;self&#39;; script-src &#39;self&#39; &#39;wasm-unsafe-eval&#39;;`, name)
		require.NotContains(t, html, "frame-ancestors", "%s: ignored (with a console error) in a meta", name)
		for _, m := range exportedURL.FindAllStringSubmatch(html, -1) {
			u := m[2]
			if strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "#") || strings.HasPrefix(u, "https://") {
				continue
			}
			target, ok := file(u)
			require.True(t, ok, "%s: %s=%q is a file of the export under %s (%s)", name, m[1], u, base, target)
		}
		if name != "404.html" {
			require.Contains(t, html, ` data-sw="`+base+`sw.js"`, name)
		}
	}
	require.Equal(t, len(pages())+1, pagesSeen)

	sw := string(s.files["sw.js"])
	require.Contains(t, sw, `const BASE = "/course/";`)
	precache := regexp.MustCompile(`(?s)const PRECACHE = \[(.*?)\];`).FindStringSubmatch(sw)
	require.NotNil(t, precache)
	entries := regexp.MustCompile(`"([^"]+)"`).FindAllStringSubmatch(precache[1], -1)
	require.Greater(t, len(entries), len(pages()))
	for _, e := range entries {
		_, ok := file(e[1])
		require.True(t, ok, "sw.js precaches %s, a file of the export", e[1])
	}

	headers := string(s.files["_headers"])
	require.Contains(t, headers, base+"*\n  Content-Security-Policy: "+contentSecurityPolicy+"\n")
	require.Contains(t, headers, base+"static/*\n  Cache-Control: "+immutableCache+"\n")
	require.Contains(t, headers, base+"lessons/\n  Cache-Control: no-cache\n")
	require.Contains(t, headers, base+"sw.js\n  Cache-Control: no-cache\n")
	wasm := 0
	for name := range s.files {
		if path.Ext(name) == ".wasm" {
			wasm++
			require.Contains(t, headers, base+name+"\n  Content-Type: application/wasm\n")
			for _, suffix := range []string{".br", ".gz"} {
				require.Contains(t, s.files, name+suffix)
			}
		}
	}
	require.Equal(t, 3, wasm, "the three programs: main, sandbox and challenge")
}

func TestExportRefusesABadBase(t *testing.T) {
	for _, tt := range []struct{ in, want string }{{"", "/"}, {"/", "/"}, {"course", "/course/"}, {"/a/b", "/a/b/"}, {"/my-repo/", "/my-repo/"}} {
		got, err := cleanBase(tt.in)
		require.NoError(t, err, tt.in)
		require.Equal(t, tt.want, got)
	}
	for _, bad := range []string{"/a//b/", "/../", `/a"b/`, "/a b/", "/a#b/", "//evil.example/"} {
		var stdout, stderr bytes.Buffer
		require.Equal(t, 2, exportCommand([]string{"-base", bad, t.TempDir()}, &stdout, &stderr), bad)
		require.Contains(t, stderr.String(), "-base", bad)
	}
	var stdout, stderr bytes.Buffer
	require.Equal(t, 2, exportCommand([]string{}, &stdout, &stderr))
	require.Contains(t, stderr.String(), "usage: go run . export")
	require.Equal(t, 2, exportCommand([]string{"a", "b"}, &stdout, &stderr))
}

// TestPageURLsAgree: the addresses the browser's programs make for a page
// (web.PageURL, e.g. a challenge's "next" link) are the export's own under
// a base path, and the route table's under the Go server's "/".
func TestPageURLsAgree(t *testing.T) {
	for p := range pages() {
		for _, base := range []string{"/course/", "/a/b/"} {
			require.Equal(t, pageURL(base, p), web.PageURL(base, p), "%s under %s", p, base)
		}
		require.Equal(t, p, web.PageURL("/", p))
	}
}
