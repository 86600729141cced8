// Command playground serves the Sync vs Async Playground and simulates
// scenario files.
//
//	go run . [-addr 127.0.0.1:8080]     serve the playground
//	go run . simulate [flags] FILE      simulate a scenario file and print its report
//
// Run `make wasm` first: static/main.wasm and static/wasm_exec.js are build
// outputs embedded from static/.
package main

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// staticFiles holds the stylesheet and the build outputs of `make wasm`.
// Embedding the directory, which always holds the committed style.css, keeps
// the package compiling before the first WASM build; main.wasm is then 404.
//
//go:embed static
var staticFiles embed.FS

func main() {
	if len(os.Args) > 1 && os.Args[1] == "simulate" {
		os.Exit(simulateCommand(os.Args[2:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(serveCommand(os.Args[1:], os.Stderr))
}

// serveCommand serves the playground until SIGINT or SIGTERM and returns the
// process exit code.
func serveCommand(args []string, stderr io.Writer) int {
	flags := flag.NewFlagSet("playground", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", "127.0.0.1:8080", "address to listen on")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "playground: unexpected argument %q (the only subcommand is simulate)\n", flags.Arg(0))
		return 2
	}

	logger := slog.New(slog.NewTextHandler(stderr, nil))
	if err := serve(*addr, logger); err != nil {
		logger.Error("server stopped", "err", err)
		return 1
	}
	return 0
}

// serve listens on addr and shuts down gracefully on SIGINT or SIGTERM.
func serve(addr string, logger *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	server := &http.Server{
		Handler:           newHandler(logger),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      60 * time.Second, // main.wasm is a few MB
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}

	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()
	logger.Info("serving", "url", "http://"+listener.Addr().String()+"/")

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	stop() // a second signal kills the process at once
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := server.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newHandler routes the playground's pages and static files, logging one line
// per request.
func newHandler(logger *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		var page bytes.Buffer
		if err := web.HomePage().Render(&page); err != nil {
			logger.Error("rendering the home page", "err", err)
			http.Error(w, "internal server error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = page.WriteTo(w)
	})
	mux.Handle("GET /static/", staticHandler(http.FileServerFS(staticFiles)))
	return logRequests(logger, mux)
}

// staticHandler serves files without directory listings, and .wasm files as
// application/wasm, which WebAssembly.instantiateStreaming requires, whatever
// the system's MIME table says.
func staticHandler(files http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			w.Header().Set("Content-Type", "application/wasm")
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
}

// logRequests logs one line per request once it has been answered.
func logRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		recorder := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(recorder, r)
		logger.Info("request",
			"method", r.Method,
			"path", r.URL.Path,
			"status", recorder.status,
			"bytes", recorder.bytes,
			"duration", time.Since(start),
		)
	})
}

// statusRecorder remembers the status code and size of a response for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Write(p []byte) (int, error) {
	n, err := r.ResponseWriter.Write(p)
	r.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// --- simulate command ---

const simulateUsage = `usage: go run . simulate [-json] [-trace] [-seed N] FILE

Reads a scenario (JSON; FILE "-" reads standard input), validates it, runs
it and prints a report. Invalid scenarios print one line per problem, each
naming the field, and exit with status 1.

`

// simulateCommand simulates the scenario file named in args and prints its
// report, returning the process exit code: 0 for a run, 1 for a scenario
// that cannot be read or is invalid, 2 for wrong usage.
func simulateCommand(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("simulate", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprint(stderr, simulateUsage)
		flags.PrintDefaults()
	}
	asJSON := flags.Bool("json", false, "print the report as JSON")
	withTrace := flags.Bool("trace", false, "include the trace: one line (or JSON object) per record")
	seed := flags.Int64("seed", -1, "run with this seed instead of the scenario's")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() != 1 {
		flags.Usage()
		return 2
	}

	data, err := readScenarioFile(flags.Arg(0), stdin)
	if err != nil {
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		return 1
	}
	sc, err := core.DecodeScenario(data)
	if err == nil {
		if *seed >= 0 {
			sc.Seed = uint64(*seed)
		}
		err = sc.Validate()
	}
	if err != nil {
		fmt.Fprintf(stderr, "simulate: %s is not a valid scenario:\n", flags.Arg(0))
		var errs core.Errors
		if errors.As(err, &errs) {
			for _, e := range errs {
				fmt.Fprintf(stderr, "  %s\n", e)
			}
		} else {
			fmt.Fprintf(stderr, "  %v\n", err)
		}
		return 1
	}

	engine, err := core.NewEngine(sc, core.Options{Trace: true})
	if err != nil {
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		return 1
	}
	report := engine.Run()
	if *asJSON {
		out := struct {
			Report *core.Report      `json:"report"`
			Trace  []core.TraceEntry `json:"trace,omitempty"`
		}{Report: report}
		if *withTrace {
			out.Trace = make([]core.TraceEntry, len(engine.Trace()))
			for i := range engine.Trace() {
				out.Trace[i] = engine.Trace()[i].Entry(engine.Scenario(), i)
			}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "simulate: %v\n", err)
			return 1
		}
		return 0
	}
	if err := report.WriteText(stdout); err != nil {
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		return 1
	}
	if *withTrace {
		fmt.Fprintln(stdout)
		for i := range engine.Trace() {
			rec := &engine.Trace()[i]
			fmt.Fprintf(stdout, "%6d %14s  %s\n", i, rec.At, rec.Describe(engine.Scenario()))
		}
	}
	return 0
}

// readScenarioFile reads a scenario file, or standard input for "-",
// refusing anything larger than a scenario may be.
func readScenarioFile(name string, stdin io.Reader) ([]byte, error) {
	var r io.Reader = stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, core.MaxScenarioBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > core.MaxScenarioBytes {
		return nil, fmt.Errorf("%s is larger than %d bytes", name, core.MaxScenarioBytes)
	}
	return data, nil
}
