package main

// Root tests: the server answers, the simulate command reads every
// example and reports field-named errors, and every built-in scenario
// round-trips through its canonical JSON with the same trace.

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
)

// serverGet answers one GET request with the playground's handler.
func serverGet(t *testing.T, path string) *http.Response {
	t.Helper()
	recorder := httptest.NewRecorder()
	newHandler(slog.New(slog.DiscardHandler)).ServeHTTP(recorder, httptest.NewRequest(http.MethodGet, path, nil))
	return recorder.Result()
}

func TestServerHomePage(t *testing.T) {
	res := serverGet(t, "/")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.Contains(t, string(body), "Sync vs Async Playground")
	require.Contains(t, string(body), `role="status"`)
}

func TestServerStylesheet(t *testing.T) {
	res := serverGet(t, "/static/style.css")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Header.Get("Content-Type"), "text/css")
}

func TestServerWASM(t *testing.T) {
	if _, err := fs.Stat(staticFiles, "static/main.wasm"); err != nil {
		t.Skip("static/main.wasm is not built; run `make wasm` (make test does)")
	}
	res := serverGet(t, "/static/main.wasm")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "application/wasm", res.Header.Get("Content-Type"))
}

func TestServerUnknownPath(t *testing.T) {
	for _, path := range []string{"/nope", "/static/nope.css", "/static/", "/index.html"} {
		t.Run(path, func(t *testing.T) {
			require.Equal(t, http.StatusNotFound, serverGet(t, path).StatusCode)
		})
	}
}

// simulate runs the simulate command and returns its exit code and output.
func simulate(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := simulateCommand(args, strings.NewReader(stdin), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func exampleFiles(t *testing.T) []string {
	files, err := filepath.Glob("core/examples/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

func TestSimulateRunsEveryExample(t *testing.T) {
	for _, file := range exampleFiles(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			code, out, errOut := simulate(t, "", "-json", file)
			require.Equal(t, 0, code, errOut)
			var got struct{ Report core.Report }
			require.NoError(t, json.Unmarshal([]byte(out), &got))
			r := got.Report
			require.NoError(t, r.Conserved())
			assert.Positive(t, r.Requests.Started)
			assert.NotEmpty(t, r.TraceHash)

			code, text, _ := simulate(t, "", file)
			require.Equal(t, 0, code)
			assert.Contains(t, text, "stopped: "+string(r.Stop))
			assert.Contains(t, text, r.TraceHash, "the text and JSON reports describe the same run")
		})
	}
}

func TestSimulateReadsStandardInputAndPrintsTheTrace(t *testing.T) {
	data, err := os.ReadFile("core/examples/rest-chain.json")
	require.NoError(t, err)

	code, out, _ := simulate(t, string(data), "-json", "-trace", "-")
	require.Equal(t, 0, code)
	var got struct {
		Report core.Report
		Trace  []core.TraceEntry
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Len(t, got.Trace, got.Report.TraceLen)
	assert.Equal(t, "client", got.Trace[0].Node)
	assert.Equal(t, "Client calls API Gateway with message 0 (request 0) and is blocked until the reply.", got.Trace[0].Text)

	code, text, _ := simulate(t, string(data), "-trace", "-")
	require.Equal(t, 0, code)
	assert.Contains(t, text, "Client gets the reply for message 0 (request 0) after waiting 47ms, and continues.")
}

func TestSimulateSeedFlagChangesTheRun(t *testing.T) {
	_, a, _ := simulate(t, "", "-json", "core/examples/mm1.json")
	_, b, _ := simulate(t, "", "-json", "-seed", "8", "core/examples/mm1.json")
	var ra, rb struct{ Report core.Report }
	require.NoError(t, json.Unmarshal([]byte(a), &ra))
	require.NoError(t, json.Unmarshal([]byte(b), &rb))
	assert.EqualValues(t, 8, rb.Report.Seed)
	assert.NotEqual(t, ra.Report.TraceHash, rb.Report.TraceHash)
}

func TestSimulateRejectsBadInputWithFieldNames(t *testing.T) {
	tests := []struct {
		name, stdin string
		args        []string
		code        int
		stderr      string
	}{
		{"invalid scenario", `{"version":1,"nodes":[{"id":"a","kind":"service","concurrency":-2}]}`, []string{"-"}, 1, "nodes[0].concurrency: must be at least 1"},
		{"every problem listed", `{"version":1,"nodes":[{"id":"a","kind":"service","concurrency":-2}]}`, []string{"-"}, 1, "nodes: must include a client"},
		{"not JSON", `nodes: []`, []string{"-"}, 1, "scenario: is not valid JSON"},
		{"unknown field", `{"version":1,"nodez":[]}`, []string{"-"}, 1, "nodez: is not a known field"},
		{"missing file", ``, []string{"no/such/file.json"}, 1, "no such file"},
		{"no file named", ``, nil, 2, "usage:"},
		{"two files named", ``, []string{"a.json", "b.json"}, 2, "usage:"},
		{"unknown flag", ``, []string{"-frobnicate", "a.json"}, 2, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := simulate(t, tt.stdin, tt.args...)
			assert.Equal(t, tt.code, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tt.stderr)
		})
	}
}

func TestEveryExampleRoundTripsThroughItsCanonicalJSON(t *testing.T) {
	for _, ex := range core.Examples() {
		t.Run(ex.ID, func(t *testing.T) {
			data, err := ex.Scenario.MarshalCanonical()
			require.NoError(t, err)
			again, err := core.ParseScenario(data)
			require.NoError(t, err)
			a, _, err := core.Simulate(ex.Scenario, core.Options{Trace: true})
			require.NoError(t, err)
			b, _, err := core.Simulate(again, core.Options{Trace: true})
			require.NoError(t, err)
			assert.Equal(t, a.TraceHash, b.TraceHash)
		})
	}
}
