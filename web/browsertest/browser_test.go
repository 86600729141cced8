//go:build !js

package browsertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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

	srv, err := startServer(bin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		return 1
	}
	serverURL = srv.url

	code := m.Run()

	if err := srv.stop(); err != nil {
		fmt.Fprintln(os.Stderr, "browsertest: stopping the server:", err)
		code = 1
	}
	if code != 0 {
		fmt.Fprintf(os.Stderr, "browsertest: server log:\n%s", srv.log.String())
	}
	return code
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
// browser stops and its profile is removed when the test ends.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	requireChromium(t)

	profile, err := os.MkdirTemp("", "playground-chromium-")
	require.NoError(t, err)
	// Registered first, so it runs after the browser has stopped.
	t.Cleanup(func() { removeAllRetry(t, profile) })

	output := &lockedBuffer{}
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
		chromedp.CombinedOutput(output),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc) // waits for the browser process to end

	// chromedp's errors go to the same buffer: they can come from its
	// goroutines after the test has ended, when t.Logf would panic.
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithErrorf(func(format string, args ...any) {
		fmt.Fprintf(output, "chromedp: "+format+"\n", args...)
	}))
	t.Cleanup(func() {
		cancel()
		if t.Failed() {
			if out := output.String(); out != "" {
				t.Logf("chromium output:\n%s", out)
			}
		}
	})

	// The first Run starts the browser and binds it to ctx, so it must have
	// no timeout of its own.
	start := time.Now()
	require.NoError(t, chromedp.Do(ctx), "starting %s", chromiumPath)
	t.Logf("chromium started in %v", time.Since(start).Round(time.Millisecond))
	return ctx
}

// removeAllRetry removes a profile directory. Chromium's child processes can
// still write in it for a moment after the browser stops.
func removeAllRetry(t *testing.T, dir string) {
	var err error
	for range 50 {
		if err = os.RemoveAll(dir); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("removing the browser profile: %v", err)
}
