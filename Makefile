# Build, test and serve the Sync vs Async Playground.
#
# server.go embeds static/, which holds two build outputs of `make wasm`
# (main.wasm and wasm_exec.js), so every target that compiles the root
# package depends on `wasm`.

.POSIX:
.SUFFIXES:

GO = go
ADDR = 127.0.0.1:8080
TIMEOUT = 20m

# Environment for building and testing js/wasm. `go test` runs the wasm test
# binary with go_js_wasm_exec (node), which lives in $GOROOT/lib/wasm.
# GOWASM lets the compiler use WebAssembly's sign-extension and saturating
# float-to-int instructions (in every browser since 2021: Chrome 75, Firefox
# 64, Safari 15; https://webassembly.org/features/): the same code, and
# sandbox.wasm about 5 KB smaller with brotli.
WASM_ENV = GOOS=js GOARCH=wasm GOWASM=satconv,signext
WASM_EXEC_PATH = PATH="$$($(GO) env GOROOT)/lib/wasm:$$PATH"

all: test

# Serve the playground on $(ADDR).
run: wasm
	$(GO) run . -addr $(ADDR)

# Build static/main.wasm (the playground and the lessons),
# static/sandbox.wasm (the sandbox: -tags sandbox) and static/challenge.wasm
# (the challenge pages: the sandbox's editor and player with the challenge
# checks, without its comparison: -tags sandbox,challenge), and copy the Go runtime
# glue beside them. Two programs keep each page's download under 1 MB. The copy is
# removed first because GOROOT may be read-only and cp keeps the mode.
#
# WASM_GCFLAGS turns inlining off: the binary is 15% smaller (brotli about
# 1.12 MB -> 1.00 MB, the target for slow connections) for about a quarter
# less engine speed in the browser.
WASM_GCFLAGS = all=-l

# main.wasm (the playground and the lessons) has the room to inline within
# the engine's package, core: 32 KB more brotli (about 888 KB -> 920 KB)
# for a 15-26% faster engine under node (M/M/1, best of four: 1.72M ->
# 2.17M events/s untraced, 1.06M -> 1.22M traced). The sandbox's programs
# are within 15 KB of the budget and would need 55 KB. make bench measures
# the wasm engine with main.wasm's flags.
MAIN_GCFLAGS = -gcflags=github.com/sync-vs-async/playground/core=

#
# The WASM build also patches one file of gomponents: a copy of the module
# (made under .build/ from the module cache, with -modfile pointing a
# replace directive at it) whose gomponents.go uses web.HTMLEscapeString, a
# byte-for-byte equal copy (TestHTMLEscapeString fuzzes one against the
# other), in place of its one use of html/template. html/template's
# package initialisation alone (text/template, regexp, net/url...) costs
# about 127 KB of brotli'd WASM. go.mod is untouched: the server and every
# native test use gomponents exactly as released.
WASM_MOD = -modfile .build/wasm.mod

# It patches two files of safejs the same way, for fmt: catch.go turns a
# panic value that is neither an error nor a js.Value into an error with
# fmt.Errorf("%+v"), and stackerr.go formats its stack with fmt.Sprintf and
# gives its errors a Format method; reachable from every safejs call, they
# keep fmt's printer (20-28 KB of brotli) in both programs. The copies make
# the same error from a string or a Stringer (the panics syscall/js
# raises), write the same stack text without fmt, and drop Format, which
# only fmt calls (the programs format with internal/fmtlite).

# Then it writes the brotli (quality 11) and gzip forms of every file of
# static/ beside it (NAME.br, NAME.gz), which the server embeds and sends
# from its first request: it compresses nothing at start-up. A file whose
# bytes are those of the last build (static/precompressed.sums holds their
# SHA-256) is not compressed again; brotli takes about 10 s per program.

# The packages neither WASM program may depend on, checked after `make
# wasm` builds them: html/template would mean the gomponents patch no
# longer takes (a new use upstream), net/http has no place in the browser,
# and encoding/json costs about 38 KB of brotli in each program: core reads
# and writes JSON with core/internal/jsonlite, which is held byte for byte
# to encoding/json by a fuzz test.
WASM_BANNED = html/template net/http encoding/json

# -buildvcs=false keeps the commit out of the programs: their bytes depend
# on the source alone, not on which commit (or how clean a tree) built
# them, so a change that leaves the code alone leaves the download, and
# every cache of it, alone too.
WASM_BUILD = $(WASM_ENV) $(GO) build $(WASM_MOD) -trimpath -buildvcs=false -gcflags='$(WASM_GCFLAGS)' -ldflags='-s -w'

wasm: wasm-mod
	$(WASM_BUILD) $(MAIN_GCFLAGS) -o static/main.wasm ./wasm
	$(WASM_BUILD) -tags sandbox -o static/sandbox.wasm ./wasm
	$(WASM_BUILD) -tags sandbox,challenge -o static/challenge.wasm ./wasm
	rm -f static/wasm_exec.js
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" static/wasm_exec.js
	$(GO) run ./internal/cmd/precompress static
	@for tags in '' sandbox sandbox,challenge; do \
	  deps="$$($(WASM_ENV) $(GO) list $(WASM_MOD) -tags "$$tags" -deps ./wasm)" || exit 1; \
	  for p in $(WASM_BANNED); do \
	    if printf '%s\n' "$$deps" | grep -qx "$$p"; then \
	      echo "wasm: the $${tags:-main} program (./wasm$${tags:+ -tags $$tags}) depends on $$p, which the WASM build keeps out (size, and no network code in the browser). Find the importer: $(WASM_ENV) $(GO) list $(WASM_MOD)$${tags:+ -tags $$tags} -deps -f '{{.ImportPath}}: {{.Imports}}' ./wasm | grep -w '$$p'" >&2; \
	      exit 1; \
	    fi; \
	  done; \
	done

# The patch can go once gomponents escapes text without html/template:
# v1.2.0's gomponents.go still imports it for template.HTMLEscapeString
# alone (its other files import no template package). An upstream change
# to an escaper of its own (a few lines over package strings, as
# web.HTMLEscapeString is) would make the copy, the replace directive and
# -modfile unnecessary.
#
# `go list -m -f '{{.Dir}}'` prints nothing while the module is not in the
# module cache (a fresh machine), so download it first; `go mod download`
# of one module is a no-op when it is already there. .ci/run builds a clean
# clone with an empty GOMODCACHE so that this cannot come back.
wasm-mod:
	rm -rf .build/gomponents && mkdir -p .build
	$(GO) mod download maragu.dev/gomponents
	gp="$$($(GO) list -m -f '{{.Dir}}' maragu.dev/gomponents)" && \
	test -n "$$gp" -a -f "$$gp/gomponents.go" || { echo "wasm-mod: maragu.dev/gomponents is not in the module cache ($$gp)" >&2; exit 1; } && \
	cp -R "$$gp" .build/gomponents && chmod -R u+w .build/gomponents && \
	{ sed -e '/^[[:space:]]*"html\/template"$$/d' -e 's/template\.HTMLEscapeString/htmlEscapeString/g' "$$gp/gomponents.go" && \
	  sed -e '1,/^import "strings"$$/d' -e 's/^func HTMLEscapeString/func htmlEscapeString/' web/escape.go; } > .build/gomponents/gomponents.go && \
	if grep -n 'template\.' .build/gomponents/gomponents.go; then echo "wasm-mod: gomponents.go still uses a template package" >&2; exit 1; fi
	rm -rf .build/safejs
	$(GO) mod download github.com/hack-pad/safejs
	sj="$$($(GO) list -m -f '{{.Dir}}' github.com/hack-pad/safejs)" && \
	test -n "$$sj" -a -f "$$sj/internal/catch/catch.go" -a -f "$$sj/internal/stackerr/stackerr.go" || { echo "wasm-mod: github.com/hack-pad/safejs is not in the module cache ($$sj)" >&2; exit 1; } && \
	cp -R "$$sj" .build/safejs && chmod -R u+w .build/safejs && \
	sed -e 's/^\([[:space:]]*\)"fmt"$$/\1"errors"/' \
	  -e 's/return fmt\.Errorf("%+v", value)/if s, ok := value.(string); ok { return errors.New(s) }; if s, ok := value.(interface{ String() string }); ok { return errors.New(s.String()) }; return errors.New("panic with a value that is not an error, a string or a Stringer")/' \
	  "$$sj/internal/catch/catch.go" > .build/safejs/internal/catch/catch.go && \
	sed -e 's/^\([[:space:]]*\)"fmt"$$/\1"strconv"/' -e '/^func (s \*stackError) Format(/,/^}/d' \
	  -e 's/sb\.WriteString(fmt\.Sprintf("%s\\n\\t%s:%d\\n", funcName, frame\.File, frame\.Line))/sb.WriteString(funcName + "\\n\\t" + frame.File + ":" + strconv.Itoa(frame.Line) + "\\n")/' \
	  "$$sj/internal/stackerr/stackerr.go" > .build/safejs/internal/stackerr/stackerr.go && \
	if grep -n 'fmt\.' .build/safejs/internal/catch/catch.go .build/safejs/internal/stackerr/stackerr.go; then echo "wasm-mod: safejs's catch or stackerr still calls fmt" >&2; exit 1; fi
	cp go.mod .build/wasm.mod && cp go.sum .build/wasm.sum
	printf 'replace maragu.dev/gomponents => ./.build/gomponents\nreplace github.com/hack-pad/safejs => ./.build/safejs\n' >> .build/wasm.mod

# Write the whole site as static files into $(SITE) for any static host
# (README, "Publish it"): every page, static/ with both programs and their
# .br and .gz forms by content-hashed names, a 404 page, the service
# worker that keeps it working offline, and _headers for Netlify and
# Cloudflare Pages. BASE is the path it is served under: GitHub Pages
# serves a project at /REPO/ (make export BASE=/REPO/).
SITE = site
BASE = /
export: wasm
	$(GO) run . export -base '$(BASE)' '$(SITE)'

# Natively, ./... leaves out ./wasm: its files build only for js/wasm.
# VET_PRINTF names the printf-like functions that do not call fmt (see
# internal/fmtlite), so that vet checks their verbs as it does fmt's.
# fmtlite.Errorf is not among them: vet would refuse its %w.
MODULE = github.com/sync-vs-async/playground
VET_PRINTF = -printf.funcs=$(MODULE)/internal/fmtlite.Sprintf,$(MODULE)/internal/fmtlite.Fprintf,$(MODULE)/internal/fmtlite.Appendf,(*$(MODULE)/core.Errors).add,$(MODULE)/core.refuse
vet: wasm
	$(GO) vet '$(VET_PRINTF)' ./...
	$(WASM_ENV) $(GO) vet $(WASM_MOD) '$(VET_PRINTF)' ./wasm/...
	$(WASM_ENV) $(GO) vet $(WASM_MOD) '$(VET_PRINTF)' -tags sandbox ./wasm/...
	$(WASM_ENV) $(GO) vet $(WASM_MOD) '$(VET_PRINTF)' -tags sandbox,challenge ./wasm/...

# Everything: vet, the native tests (including the browser tests in
# web/browsertest, which drive Debian's Chromium — .ci/run installs it),
# then the core's tests under js/wasm, where the trace must come out
# byte-identical to the native one; and the trace goldens again as the
# sandbox's programs build the core (-tags sandbox: events due at once go
# through the heap, core/nowqueue_sandbox.go).
TRACE_GOLDENS = ^(TestTraceHashesMatchTheGoldenFile|TestTracesReadAsText|TestConservationOnRandomTopologies)$$
test: vet
	$(GO) test -count=1 -timeout $(TIMEOUT) ./...
	$(WASM_ENV) $(WASM_EXEC_PATH) $(GO) test -count=1 -timeout $(TIMEOUT) ./core/...
	$(WASM_ENV) $(WASM_EXEC_PATH) $(GO) test -count=1 -timeout $(TIMEOUT) -tags sandbox -run '$(TRACE_GOLDENS)' ./core

# Benchmark the core natively and under js/wasm, then measure main.wasm raw,
# gzipped and brotli-compressed (`make wasm`, then `go run . sizes`);
# prints only `name: value unit` lines on stdout, everything else on stderr.
# The benchmarks and figure names are listed in .ci/bench.
bench:
	@$(MAKE) wasm >&2
	@GO=$(GO) bash .ci/bench

# Load-test the server with wrk on loopback: /, /lessons and /sandbox, 10 s
# each at 100 connections; prints root_req_per_s, root_p99_ms and
# root_socket_errors (and lessons_*, sandbox_*) as `name: value unit` lines
# on stdout, and fails if / had socket errors. See .ci/bench-wrk.
bench-wrk:
	@$(MAKE) wasm >&2
	@GO=$(GO) bash .ci/bench-wrk

# Run every fuzz target of the module (found by .ci/fuzz, not listed here)
# for FUZZTIME each, one at a time, stopping at the first failure. Failing
# inputs are kept under <package>/testdata/fuzz/<Target>/.
FUZZTIME ?= 30s
fuzz:
	@GO=$(GO) FUZZTIME=$(FUZZTIME) bash .ci/fuzz

.PHONY: bench-wrk fuzz

fmt:
	gofmt -l -w $$(git ls-files '*.go')

clean:
	rm -rf static/main.wasm static/sandbox.wasm static/challenge.wasm static/wasm_exec.js static/*.br static/*.gz static/precompressed.sums playground .build $(SITE)

.PHONY: all run wasm wasm-mod export vet test bench fmt clean
