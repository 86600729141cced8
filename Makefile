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
WASM_ENV = GOOS=js GOARCH=wasm
WASM_EXEC_PATH = PATH="$$($(GO) env GOROOT)/lib/wasm:$$PATH"

all: test

# Serve the playground on $(ADDR).
run: wasm
	$(GO) run . -addr $(ADDR)

# Build static/main.wasm and copy the Go runtime glue beside it. The copy is
# removed first because GOROOT may be read-only and cp keeps the mode.
#
# WASM_GCFLAGS turns inlining off: the binary is 15% smaller (brotli about
# 1.12 MB -> 1.00 MB, the target for slow connections) for about a quarter
# less engine speed in the browser, still above 2M events/s. make bench
# measures the wasm engine with the same flags.
WASM_GCFLAGS = all=-l

wasm:
	$(WASM_ENV) $(GO) build -trimpath -gcflags='$(WASM_GCFLAGS)' -ldflags='-s -w' -o static/main.wasm ./wasm
	rm -f static/wasm_exec.js
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" static/wasm_exec.js

# Natively, ./... leaves out ./wasm: its files build only for js/wasm.
vet: wasm
	$(GO) vet ./...
	$(WASM_ENV) $(GO) vet ./wasm/...

# Everything: vet, the native tests (including the browser tests in
# web/browsertest, which drive Debian's Chromium — .ci/run installs it),
# then the core's tests under js/wasm, where the trace must come out
# byte-identical to the native one.
test: vet
	$(GO) test -count=1 -timeout $(TIMEOUT) ./...
	$(WASM_ENV) $(WASM_EXEC_PATH) $(GO) test -count=1 -timeout $(TIMEOUT) ./core/...

# Benchmark the core natively and under js/wasm, then measure main.wasm raw,
# gzipped and brotli-compressed (`make wasm`, then `go run . sizes`);
# prints only `name: value unit` lines on stdout, everything else on stderr.
# The benchmarks and figure names are listed in .ci/bench.
bench:
	@$(MAKE) wasm >&2
	@GO=$(GO) bash .ci/bench

fmt:
	gofmt -l -w .

clean:
	rm -f static/main.wasm static/wasm_exec.js playground

.PHONY: all run wasm vet test bench fmt clean
