package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	g "maragu.dev/gomponents"
	c "maragu.dev/gomponents/components"
	h "maragu.dev/gomponents/html"

	"github.com/sync-vs-async/playground/internal/precompress"
	"github.com/sync-vs-async/playground/web"
)

// exportCommand writes the whole site as static files, for any static file
// server (GitHub Pages, Netlify, Cloudflare Pages, a bucket behind a CDN,
// a web folder): `go run . export [-base /course/] DIR`. It returns the
// exit code.
func exportCommand(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("export", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run . export [-base /PATH/] [-stamp TEXT] DIR")
		flags.PrintDefaults()
	}
	base := flags.String("base", "/", "the path the site is served under, e.g. /course/ (GitHub Pages serves a project at /REPO/)")
	stamp := flags.String("stamp", "", "text that identifies the build (a commit), written into each page's meta and the offline version")
	// Flags may come before or after DIR.
	var dirs []string
	for {
		if err := flags.Parse(args); err != nil {
			return 2
		}
		if flags.NArg() == 0 {
			break
		}
		dirs = append(dirs, flags.Arg(0))
		args = flags.Args()[1:]
	}
	if len(dirs) != 1 {
		flags.Usage()
		return 2
	}
	dir := dirs[0]
	b, err := cleanBase(*base)
	if err != nil {
		fmt.Fprintln(stderr, "export: -base:", err)
		return 2
	}
	if strings.ContainsAny(*stamp, "\"<>&\n\r") {
		fmt.Fprintln(stderr, "export: -stamp: use letters, digits and punctuation other than quotes, < > and &")
		return 2
	}
	site, err := buildSite(b, *stamp)
	if err != nil {
		fmt.Fprintln(stderr, "export:", err)
		return 1
	}
	if err := site.write(dir); err != nil {
		fmt.Fprintln(stderr, "export:", err)
		return 1
	}
	fmt.Fprintf(stdout, "export: %d files, %d bytes, in %s (base %s, version %s)\n", len(site.files), site.size(), dir, b, site.version)
	return 0
}

// cleanBase checks the -base path and gives it its slashes: "course" and
// "/course" are "/course/".
func cleanBase(base string) (string, error) {
	if base == "" {
		return "/", nil
	}
	if !strings.HasPrefix(base, "/") {
		base = "/" + base
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	if base == "/" {
		return base, nil
	}
	for _, seg := range strings.Split(base[1:len(base)-1], "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", fmt.Errorf("%q is not a path like /course/ (an empty, . or .. segment)", base)
		}
		for _, r := range seg {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-._~", r)) {
				return "", fmt.Errorf("%q has %q: use letters, digits and - . _ ~ between the slashes", base, r)
			}
		}
	}
	return base, nil
}

// site is an export: every file by its path under the export's directory.
type site struct {
	base    string
	version string // the build's content hash: names the offline cache
	files   map[string][]byte
}

func (s *site) size() int {
	n := 0
	for _, data := range s.files {
		n += len(data)
	}
	return n
}

// write writes the site into dir, which it creates if needed. Files of an
// earlier export that the site no longer has are left alone.
func (s *site) write(dir string) error {
	names := make([]string, 0, len(s.files))
	for name := range s.files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		file := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(file, s.files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// pageFile is where the page at path p goes: its index.html, so that
// /lessons/x/ is served by any static server, and /lessons/x redirected
// to it by most.
func pageFile(p string) string {
	return path.Join(strings.TrimPrefix(p, "/"), "index.html")
}

// pageURL is the address of the page at path p under base: a directory,
// with its slash, so that no host needs to redirect. (The programs make
// the same addresses in the browser with web.PageURL, under any base but
// the Go server's "/", where a page has no slash.)
func pageURL(base, p string) string {
	if p == "/" {
		return base
	}
	return base + strings.TrimPrefix(p, "/") + "/"
}

// localURL finds the site's own addresses in the attributes that hold
// them: href, src, action and the loader's data-wasm and data-sw.
var localURL = regexp.MustCompile(`(\s(?:href|src|action|data-wasm|data-sw)=")(/[^"/][^"]*|/)"`)

// rebase points every address of a page at the export: a page's path (the
// route table's) at its directory under base, anything else under base.
// The fragment (a share link's #s=…) and the query stay as they are.
func rebase(html []byte, base string, table map[string]pageFunc) []byte {
	return localURL.ReplaceAllFunc(html, func(m []byte) []byte {
		sub := localURL.FindSubmatch(m)
		u := string(sub[2])
		cut := strings.IndexAny(u, "?#")
		if cut < 0 {
			cut = len(u)
		}
		p, rest := u[:cut], u[cut:]
		if _, ok := table[p]; ok {
			p = pageURL(base, p)
		} else {
			p = base + strings.TrimPrefix(p, "/")
		}
		return []byte(string(sub[1]) + p + rest + `"`)
	})
}

// metaPolicy is the Content-Security-Policy a page carries in a <meta>:
// the server's, without frame-ancestors, which a browser ignores (and
// complains about) in a meta. The _headers file sends it whole.
func metaPolicy() string {
	var kept []string
	for _, d := range strings.Split(contentSecurityPolicy, "; ") {
		if !strings.HasPrefix(d, "frame-ancestors ") {
			kept = append(kept, d)
		}
	}
	return strings.Join(kept, "; ")
}

// charsetMeta is where the CSP meta goes: first in the head, before any
// script or stylesheet it must govern.
const charsetMeta = `<meta charset="utf-8">`

// withMeta adds the CSP meta (and the build's stamp) after the charset.
func withMeta(html []byte, stamp string) ([]byte, error) {
	i := bytes.Index(html, []byte(charsetMeta))
	if i < 0 {
		return nil, errors.New("a page has no " + charsetMeta + " to put its Content-Security-Policy after")
	}
	i += len(charsetMeta)
	meta := `<meta http-equiv="Content-Security-Policy" content="` + strings.ReplaceAll(metaPolicy(), `'`, `&#39;`) + `">`
	if stamp != "" {
		meta += `<meta name="build" content="` + stamp + `">`
	}
	return slices.Concat(html[:i], []byte(meta), html[i:]), nil
}

// buildSite renders the export in memory: every page of the route table
// (pages(), so a page added there is exported too), the static files by
// their hashed names with their .br and .gz forms, a 404 page, the service
// worker and the _headers file.
func buildSite(base, stamp string) (*site, error) {
	assets, err := loadAssets(staticFS())
	if err != nil {
		return nil, err
	}
	for name, a := range assets {
		if err := a.compress(); err != nil { // a no-op for make wasm's forms
			return nil, fmt.Errorf("compressing %s: %w", name, err)
		}
	}
	if _, ok := assets[web.MainWASM]; !ok {
		return nil, errors.New("static/main.wasm is not built: run `make wasm` first; it is embedded when the program is compiled")
	}
	web.SetAssetURLs(assetURLs(assets))
	s := &site{base: base, files: map[string][]byte{}}

	// Static files, each by its hashed name (as the pages load them), but
	// the service worker's source, which is written at the root.
	for name, a := range assets {
		if name == serviceWorkerSource {
			continue
		}
		file := "static/" + hashedName(name, a)
		s.files[file] = a.identity.body
		if encoded := a.encoded.Load(); encoded != nil {
			for _, enc := range precompress.Encodings {
				if rep, ok := (*encoded)[enc.Name]; ok {
					s.files[file+enc.Suffix] = rep.body
				}
			}
		}
	}

	table := pages()
	paths := sortedPaths(table)
	for _, p := range paths {
		node, err := table[p]()
		if err == nil && node == nil {
			err = errors.New("the page is nil")
		}
		var html bytes.Buffer
		if err == nil {
			err = node.Render(&html)
		}
		if err != nil {
			return nil, fmt.Errorf("rendering %s: %w", p, err)
		}
		page, err := s.finishPage(html.Bytes(), stamp, table)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		s.files[pageFile(p)] = page
	}
	var notFound bytes.Buffer
	if err := notFoundPage().Render(&notFound); err != nil {
		return nil, err
	}
	page, err := withMeta(rebase(notFound.Bytes(), base, table), stamp)
	if err != nil {
		return nil, err
	}
	s.files["404.html"] = page

	// The build's content hash: every file but the service worker, by
	// name and bytes, and the base.
	s.version = buildVersion(base, s.files)
	if err := s.addServiceWorker(assets, paths); err != nil {
		return nil, err
	}
	s.files["_headers"] = []byte(headersFile(s, assets, paths))
	return s, nil
}

// finishPage rebases a rendered page, has its loader register the service
// worker, and adds the CSP meta.
func (s *site) finishPage(html []byte, stamp string, table map[string]pageFunc) ([]byte, error) {
	loader := []byte(` src="` + web.AssetURL(web.LoaderScript) + `" defer`)
	if !bytes.Contains(html, loader) {
		return nil, errors.New("the page does not load " + web.LoaderScript + " as the export expects")
	}
	html = bytes.Replace(html, loader, slices.Concat(loader, []byte(` data-sw="/`+serviceWorkerFile+`"`)), 1)
	return withMeta(rebase(html, s.base, table), stamp)
}

// notFoundPage is the export's 404.html: what a static host shows for an
// address the site does not have. It needs no program.
func notFoundPage() g.Node {
	return c.HTML5(c.HTML5Props{
		Title:    "Page not found · " + web.ProductName,
		Language: "en",
		Head: []g.Node{
			h.Link(h.Rel("icon"), h.Href("data:,")),
			h.Link(h.Rel("stylesheet"), h.Href(web.AssetURL(web.StyleSheet))),
		},
		Body: []g.Node{
			h.Header(h.Class("site-header"),
				h.A(h.Href("/"), h.Class("site-name"), g.Text(web.ProductName)),
				h.Nav(h.Class("site-nav"), h.Aria("label", "Site"),
					h.A(h.Href("/lessons"), g.Text("Lessons")),
					h.A(h.Href("/sandbox"), g.Text("Sandbox"))),
			),
			h.Main(
				h.H1(g.Text("Page not found")),
				h.P(g.Text("There is no page at this address. "),
					h.A(h.Href("/"), g.Text("Open the playground")), g.Text(", "),
					h.A(h.Href("/lessons"), g.Text("pick a lesson")), g.Text(" or "),
					h.A(h.Href("/sandbox"), g.Text("build your own in the sandbox")), g.Text(".")),
			),
		},
	})
}

// buildVersion hashes every file's name and bytes, in order, with the base.
func buildVersion(base string, files map[string][]byte) string {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	var all bytes.Buffer
	all.WriteString(base + "\n")
	for _, name := range names {
		all.WriteString(name + "\n" + precompress.Sum(files[name]) + "\n")
	}
	return precompress.Sum(all.Bytes())[:16]
}

// headersFile is the _headers file Netlify and Cloudflare Pages read: the
// server's security headers on everything, its caching (pages and the
// service worker revalidate, hashed files are immutable) and
// application/wasm for the programs. Each header is set by one rule only:
// both hosts join the values of a header that several rules set.
func headersFile(s *site, assets map[string]*asset, paths []string) string {
	var b strings.Builder
	b.WriteString("# Read by Netlify (https://docs.netlify.com/routing/headers/) and Cloudflare Pages\n")
	b.WriteString("# (https://developers.cloudflare.com/pages/configuration/headers/); written by `go run . export`.\n")
	b.WriteString(s.base + "*\n")
	for _, kv := range securityHeaders {
		b.WriteString("  " + kv[0] + ": " + kv[1] + "\n")
	}
	revalidate := []string{s.base + serviceWorkerFile, s.base + "404.html"}
	for _, p := range paths {
		u := pageURL(s.base, p)
		revalidate = append(revalidate, u, u+"index.html")
	}
	for _, u := range revalidate {
		b.WriteString(u + "\n  Cache-Control: no-cache\n")
	}
	b.WriteString(s.base + "static/*\n  Cache-Control: " + immutableCache + "\n")
	names := make([]string, 0, len(assets))
	for name := range assets {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if path.Ext(name) == ".wasm" {
			b.WriteString(s.base + "static/" + hashedName(name, assets[name]) + "\n  Content-Type: " + contentType(name) + "\n")
		}
	}
	return b.String()
}

// readStatic reads a file of the embedded static/.
func readStatic(name string) ([]byte, error) { return fs.ReadFile(staticFS(), name) }

// serviceWorkerSource is the service worker's source under static/, and
// serviceWorkerFile where the export writes it: at the root of the site,
// so that its scope is the whole site (a worker controls only the pages
// under its own directory, and a static host cannot send the header
// that widens it).
const (
	serviceWorkerSource = "sw.js"
	serviceWorkerFile   = "sw.js"
)

// addServiceWorker writes sw.js: its source after the constants it reads
// (BASE, VERSION, PRECACHE: every page, the 404 page and every static file
// the pages load, by hashed name).
func (s *site) addServiceWorker(assets map[string]*asset, paths []string) error {
	source, err := readStatic(serviceWorkerSource)
	if err != nil {
		return fmt.Errorf("static/%s: %w", serviceWorkerSource, err)
	}
	precache := []string{s.base + "404.html"}
	for _, p := range paths {
		precache = append(precache, pageURL(s.base, p))
	}
	names := make([]string, 0, len(assets))
	for name := range assets {
		if name != serviceWorkerSource {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		precache = append(precache, s.base+"static/"+hashedName(name, assets[name]))
	}
	var b strings.Builder
	b.WriteString("// Written by `go run . export` from static/sw.js.\n")
	b.WriteString("const BASE = " + jsString(s.base) + ";\n")
	b.WriteString("const VERSION = " + jsString(s.version) + ";\n")
	b.WriteString("const PRECACHE = [\n")
	for _, u := range precache {
		b.WriteString("  " + jsString(u) + ",\n")
	}
	b.WriteString("];\n\n")
	b.Write(source)
	s.files[serviceWorkerFile] = []byte(b.String())
	return nil
}

// jsString quotes s for JavaScript; the export's paths and hashes hold
// nothing that needs escaping but these.
func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
