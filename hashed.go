package main

import (
	"path"
	"slices"
	"strings"
)

// immutableCache is the Cache-Control of a file served by its
// content-hashed name: its bytes never change, so a browser or a CDN keeps
// it a year without asking again. Pages, which name the files, revalidate
// (no-cache), so a new build reaches everyone at once.
const immutableCache = "public, max-age=31536000, immutable"

// hashedName is the name a static file is served by for good: its hash
// (the first 8 bytes of its SHA-256, in hex) before its extension, as in
// main.0123456789abcdef.wasm, so that any change to it changes its name.
func hashedName(name string, a *asset) string {
	ext := path.Ext(name)
	if strings.Contains(ext, "/") {
		ext = ""
	}
	return strings.TrimSuffix(name, ext) + "." + a.hash + ext
}

// hashedAssets maps each asset's hashed name to it.
func hashedAssets(assets map[string]*asset) map[string]*asset {
	hashed := make(map[string]*asset, len(assets))
	for name, a := range assets {
		hashed[hashedName(name, a)] = a
	}
	return hashed
}

// assetURLs maps each asset's name to the URL of its hashed name, for the
// pages (web.SetAssetURLs).
func assetURLs(assets map[string]*asset) map[string]string {
	urls := make(map[string]string, len(assets))
	for name, a := range assets {
		urls[name] = "/static/" + hashedName(name, a)
	}
	return urls
}

// sortedPaths returns the paths of a route table in order.
func sortedPaths(table map[string]pageFunc) []string {
	paths := make([]string, 0, len(table))
	for p := range table {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths
}
