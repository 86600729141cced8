package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/sync-vs-async/playground/internal/precompress"
)

// minCompressSize is the size below which a file is not compressed: the
// saving would not pay for the work.
const minCompressSize = precompress.MinSize

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

// gzipBytes and brotliBytes are the compressions `make wasm` applies to the
// static files (package precompress): a page compressed here and a file
// compressed at build time are compressed alike.
func gzipBytes(data []byte) ([]byte, error) { return precompress.Gzip(data) }

func brotliBytes(data []byte) ([]byte, error) { return precompress.Brotli(data) }

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
	hash        string // of the file's bytes, hex: its ETag's, and its hashed name's (hashedName)
	identity    *representation
	encoded     atomic.Pointer[map[string]*representation] // by encoding; nil until the first is ready
	compressed  chan struct{}                              // closed when compress has finished
	once        sync.Once
}

func newAsset(contentType string, data []byte) *asset {
	sum := sha256.Sum256(data)
	return &asset{
		contentType: contentType,
		hash:        hex.EncodeToString(sum[:8]),
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

// useForms makes forms (by Content-Encoding, made at build time from this
// asset's bytes) its compressed forms, instead of compressing it: after
// it, compress does nothing. It reports false if the asset was already
// compressed or being compressed.
func (a *asset) useForms(forms map[string][]byte) bool {
	used := false
	a.once.Do(func() {
		defer close(a.compressed)
		encoded := make(map[string]*representation, len(forms))
		for name, body := range forms {
			encoded[name] = &representation{
				encoding: name,
				body:     body,
				etag:     strings.TrimSuffix(a.identity.etag, `"`) + "-" + name + `"`,
			}
		}
		a.encoded.Store(&encoded)
		used = true
	})
	return used
}

// ready reports whether the asset's compressed forms are all made.
func (a *asset) ready() bool {
	select {
	case <-a.compressed:
		return true
	default:
		return false
	}
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
// accepts, or 304 if it already has one (If-None-Match), to be revalidated
// on every use.
func serveAsset(w http.ResponseWriter, r *http.Request, a *asset) {
	serveAssetCached(w, r, a, "no-cache") // cache, but revalidate on every use
}

// serveAssetCached is serveAsset with the given Cache-Control. An asset
// whose compressed forms are still being made (one that `make wasm` did
// not compress, or that changed since) is sent once they are ready, in
// the best form the client accepts, never raw for want of waiting.
func serveAssetCached(w http.ResponseWriter, r *http.Request, a *asset, cacheControl string) {
	if !a.ready() {
		select {
		case <-a.compressed:
		case <-r.Context().Done():
			return
		}
	}
	h := w.Header()
	h.Set("Vary", "Accept-Encoding")
	h.Set("Cache-Control", cacheControl)
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
