//go:build !js

package browsertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// chromiumPath is Debian's Chromium, which .ci/run installs.
const chromiumPath = "/usr/bin/chromium"

// serverURL is the base URL of the playground that TestMain serves, without
// a trailing slash. It is empty when Chromium is missing: the tests then skip
// or fail before they need it.
var serverURL string

// serverBin is the server binary TestMain built (its export subcommand
// writes the static site of export_test.go).
var serverBin string

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

// runTests builds and starts the server, runs the tests and stops the server.
// It returns the exit code of the test binary.
func runTests(m *testing.M) int {
	if !haveChromium() {
		// No browser, no page to serve: every test skips, or fails under CI,
		// in requireChromium.
		return m.Run()
	}

	root, err := repoRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		return 1
	}
	wasm := filepath.Join(root, "static", "main.wasm")
	if _, err := os.Stat(wasm); err != nil {
		fmt.Fprintf(os.Stderr, "browsertest: %s is missing: run `make wasm` first (`make test` does); the server embeds it\n", wasm)
		return 1
	}

	if staleWASM, err = newerSources(root, wasm); err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		return 1
	}
	if staleWASM != "" {
		fmt.Fprintf(os.Stderr, "browsertest: WARNING: %s\n", staleWASM)
	}

	tmp, err := os.MkdirTemp("", "playground-browsertest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		return 1
	}
	defer os.RemoveAll(tmp)

	bin := filepath.Join(tmp, "playground")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "browsertest: go build -o %s . in %s: %v\n%s", bin, root, err, out)
		return 1
	}

	serverBin = bin
	srv, err := startServer(bin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		return 1
	}
	serverURL = srv.url

	code := m.Run()

	if err := stopSharedBrowser(); err != nil {
		fmt.Fprintln(os.Stderr, "browsertest: stopping the shared browser:", err)
		code = 1
	}
	if err := srv.stop(); err != nil {
		fmt.Fprintln(os.Stderr, "browsertest: stopping the server:", err)
		code = 1
	}
	if code != 0 {
		fmt.Fprintf(os.Stderr, "browsertest: server log:\n%s", srv.log.String())
	}
	return code
}

// staleWASM is not empty when static/main.wasm is older than a source file
// it is built from: then it says which, and that the WASM program the
// browser runs is not the code the test compares it with.
var staleWASM string

// newerSources returns a note naming the newest Go source file of the WASM
// program (under core/, web/ and wasm/, tests left out) that was changed
// after the file built, or "" if there is none.
func newerSources(root, built string) (string, error) {
	info, err := os.Stat(built)
	if err != nil {
		return "", err
	}
	newest, newestTime := "", info.ModTime()
	for _, dir := range []string{"core", "web", "wasm"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "browsertest" {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			fi, err := d.Info()
			if err != nil {
				return err
			}
			if fi.ModTime().After(newestTime) {
				newest, newestTime = path, fi.ModTime()
			}
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	if newest == "" {
		return "", nil
	}
	rel, _ := filepath.Rel(root, newest)
	return fmt.Sprintf("static/main.wasm is older than %s: run `make wasm`, or the browser runs old code "+
		"(and WASM-vs-native comparisons such as data-trace-hash can fail for that reason alone)", rel), nil
}

// wasmNote is what a failed comparison of the WASM program with the native
// code adds to its message: staleWASM, if main.wasm is stale.
func wasmNote() string {
	if staleWASM == "" {
		return ""
	}
	return " — NOTE: " + staleWASM
}

// repoRoot returns the directory of the module's go.mod.
func repoRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("go env GOMOD: not inside the module")
	}
	return filepath.Dir(gomod), nil
}

// server is a running playground binary.
type server struct {
	url    string
	cmd    *exec.Cmd
	exited chan error // receives the result of cmd.Wait
	log    *lockedBuffer
}

// startServer starts the binary on a free local port and waits until it
// answers.
func startServer(bin string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	s := &server{
		url:    "http://" + addr,
		cmd:    exec.Command(bin, "-addr", addr),
		exited: make(chan error, 1),
		log:    &lockedBuffer{},
	}
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { s.exited <- s.cmd.Wait() }()

	if err := s.waitServing(10 * time.Second); err != nil {
		_ = s.cmd.Process.Kill()
		<-s.exited
		return nil, fmt.Errorf("%w\nserver log:\n%s", err, s.log.String())
	}
	return s, nil
}

// freeAddr finds a free port on 127.0.0.1 by listening on port 0.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	return addr, l.Close()
}

// waitServing polls the home page until it answers 200 OK, the process
// exits, or the timeout ends.
func (s *server) waitServing(timeout time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(timeout)
	for {
		resp, err := client.Get(s.url + "/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("GET /: %s", resp.Status)
		}
		select {
		case werr := <-s.exited:
			s.exited <- werr // stop waits for it too
			return fmt.Errorf("the server exited before it answered: %v", werr)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the server did not answer on %s within %v: %w", s.url, timeout, err)
		}
	}
}

// stop sends SIGTERM, waits for a graceful exit, and kills the server if it
// takes too long.
func (s *server) stop() error {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case err := <-s.exited:
		return err
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
		return errors.New("the server did not exit within 15s of SIGTERM; killed it")
	}
}

// lockedBuffer is a bytes.Buffer that the process's output copier and the
// test can share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// haveChromium reports whether Debian's Chromium is installed.
func haveChromium() bool {
	info, err := os.Stat(chromiumPath)
	return err == nil && !info.IsDir()
}

// requireChromium skips the test when Chromium is missing, or fails it when
// the environment variable CI is set, since CI must run the browser tests.
func requireChromium(t *testing.T) {
	t.Helper()
	if haveChromium() {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing, and CI is set, so the browser tests must run: apt-get install chromium (.ci/run does)", chromiumPath)
	}
	t.Skipf("%s is missing: apt-get install chromium to run the browser tests", chromiumPath)
}

// newBrowser starts a headless Chromium with a fresh profile, so with a cold
// cache, and returns its chromedp context. Open tabs in it with openPage. The
// browser stops and its profile is removed when the test ends. Tests that do
// not measure a cold start use sharedBrowser instead, which is faster.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	requireChromium(t)
	start := time.Now()
	b, err := startBrowser()
	if b != nil {
		t.Cleanup(func() {
			if err := b.stop(); err != nil {
				t.Errorf("stopping the browser: %v", err)
			}
			if t.Failed() {
				if out := b.output.String(); out != "" {
					t.Logf("chromium output:\n%s", out)
				}
			}
		})
	}
	require.NoError(t, err, "starting %s", chromiumPath)
	t.Logf("chromium started in %v", time.Since(start).Round(time.Millisecond))
	return b.ctx
}

// browser is a running headless Chromium.
type browser struct {
	ctx     context.Context // the chromedp context of the browser's first tab
	output  *lockedBuffer   // the browser's stdout and stderr, and chromedp's errors
	profile string
	cancel  func() // stops the browser and waits for its process to end
}

// startBrowser starts a headless Chromium with a fresh profile. On an error
// the returned browser, if not nil, must still be stopped.
func startBrowser() (*browser, error) {
	profile, err := os.MkdirTemp("", "playground-chromium-")
	if err != nil {
		return nil, err
	}
	b := &browser{output: &lockedBuffer{}, profile: profile}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 800),
		chromedp.CombinedOutput(b.output),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)

	// chromedp's errors go to the same buffer: they can come from its
	// goroutines after the test has ended, when t.Logf would panic.
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithErrorf(func(format string, args ...any) {
		fmt.Fprintf(b.output, "chromedp: "+format+"\n", args...)
	}))
	b.ctx = ctx
	b.cancel = func() {
		cancel()
		cancelAlloc() // waits for the browser process to end
	}

	// The first Run starts the browser and binds it to ctx, so it must have
	// no timeout of its own.
	if err := chromedp.Do(ctx); err != nil {
		return b, err
	}
	return b, nil
}

// stop stops the browser and removes its profile.
func (b *browser) stop() error {
	b.cancel()
	return removeAllRetry(b.profile)
}

// shared is the browser that sharedBrowser starts once for the package;
// runTests stops it.
var shared struct {
	once sync.Once
	b    *browser
	err  error
}

// sharedBrowser returns the chromedp context of a headless Chromium that the
// whole package shares, started on first use. A test opens its own tabs in
// it (openPage), or tabs in a fresh browser context, with their own cookies,
// storage and cache (openFreshPage).
func sharedBrowser(t *testing.T) context.Context {
	t.Helper()
	requireChromium(t)
	shared.once.Do(func() {
		start := time.Now()
		shared.b, shared.err = startBrowser()
		if shared.err == nil {
			t.Logf("shared chromium started in %v", time.Since(start).Round(time.Millisecond))
		}
	})
	require.NoError(t, shared.err, "starting %s", chromiumPath)
	// On a failure, show what the browser wrote during the test only.
	from := len(shared.b.output.String())
	t.Cleanup(func() {
		if t.Failed() {
			if out := shared.b.output.String()[from:]; out != "" {
				t.Logf("shared chromium output during the test:\n%s", out)
			}
		}
	})
	return shared.b.ctx
}

// stopSharedBrowser stops the shared browser if it was started.
func stopSharedBrowser() error {
	if shared.b == nil {
		return nil
	}
	return shared.b.stop()
}

// removeAllRetry removes a profile directory. Chromium's child processes can
// still write in it for a moment after the browser stops.
func removeAllRetry(dir string) error {
	var err error
	for range 50 {
		if err = os.RemoveAll(dir); err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("removing the browser profile: %w", err)
}
