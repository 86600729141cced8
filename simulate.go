package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/sync-vs-async/playground/core"
)

const simulateUsage = `usage: go run . simulate [-json] [-trace] [-hash] [-seed N] [-max-events N] [-max-memory SIZE] FILE
       go run . simulate -check CHALLENGE [-json] FILE

Reads a scenario (JSON; FILE "-" reads standard input), validates it, runs
it and prints a report. Invalid scenarios print one line per problem, each
naming the field, and exit with status 1. A run that reaches its memory
budget (-max-memory, 2GiB by default) or its event limit stops there, and the
report says why and which field to lower.

The trace is not kept: -hash digests its records as they are made, and
-trace streams them after the report (with -json, as JSON Lines: the report
on the first line, then one record per line).

`

// simulateCommand simulates the scenario file named in args and prints its
// report, returning the process exit code: 0 for a run, 1 for a scenario
// that cannot be read or is invalid, 2 for wrong usage.
func simulateCommand(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("simulate", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprint(stderr, simulateUsage, checkUsage)
		flags.PrintDefaults()
	}
	asJSON := flags.Bool("json", false, "print the report as JSON")
	withTrace := flags.Bool("trace", false, "include the trace: one line (or JSON Lines object) per record, after the report; implies -hash")
	withHash := flags.Bool("hash", false, "report the trace's hash and length, as the page shows them (without keeping the trace)")
	seed := flags.Int64("seed", -1, "run with this seed instead of the scenario's")
	maxEvents := flags.Int64("max-events", 0, fmt.Sprintf("stop after this many events, instead of the scenario's limits.maxEvents (at most %d)", core.CeilingMaxEvents))
	check := flags.String("check", "", "check FILE against this challenge (a challenge file, or a file holding a challenge link) instead of printing its report")
	maxMemory := byteSize(core.DefaultMaxMemory)
	flags.Var(&maxMemory, "max-memory", "stop the run before it holds more than this much memory (bytes, or with KB, MB, GB, KiB, MiB, GiB)")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if *maxEvents < 0 || *maxEvents > core.CeilingMaxEvents {
		fmt.Fprintf(stderr, "simulate: -max-events must be between 1 and %d (0 keeps the scenario's)\n", core.CeilingMaxEvents)
		return 2
	}
	if flags.NArg() != 1 {
		flags.Usage()
		return 2
	}
	if *check != "" {
		if *withTrace || *seed >= 0 || *maxEvents > 0 {
			fmt.Fprintln(stderr, "simulate: -check runs the challenge's own seeds and limits; leave out -trace, -seed and -max-events")
			return 2
		}
		return checkCommand(*check, flags.Arg(0), *asJSON, stdin, stdout, stderr)
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
		if *maxEvents > 0 {
			sc.Limits.MaxEvents = *maxEvents
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

	// The trace is never kept: with -hash or -trace its records are
	// digested as they are made, which is how a run here is matched with
	// the page's, and -trace streams them from a second, identical run
	// (the engine is deterministic), so the report can come first.
	opt := core.Options{Hash: *withHash || *withTrace, MaxMemory: int64(maxMemory)}
	engine, err := core.NewEngine(sc, opt)
	if err != nil {
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		return 1
	}
	report := engine.Run()
	out := bufio.NewWriterSize(stdout, 64<<10)
	if err := writeSimulation(out, sc, opt, report, *asJSON, *withTrace); err != nil {
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		return 1
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		return 1
	}
	return 0
}

// writeSimulation writes the report of a run of sc and, with trace, its
// records, streamed from a second run with the same options.
func writeSimulation(w io.Writer, sc *core.Scenario, opt core.Options, report *core.Report, asJSON, trace bool) error {
	var enc *json.Encoder
	switch {
	case asJSON && trace:
		// JSON Lines: the report, then one record per line.
		enc = json.NewEncoder(w)
		if err := enc.Encode(struct {
			Report *core.Report `json:"report"`
		}{report}); err != nil {
			return err
		}
	case asJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Report *core.Report `json:"report"`
		}{report})
	default:
		if err := report.WriteText(w); err != nil {
			return err
		}
		if !trace {
			return nil
		}
		if _, err := io.WriteString(w, "\n"); err != nil {
			return err
		}
	}
	if !trace {
		return nil
	}
	e, err := core.NewEngine(sc, opt)
	if err != nil {
		return err
	}
	sc, step := e.Scenario(), 0
	for {
		recs, ok := e.Step()
		if !ok {
			break
		}
		if enc != nil {
			for i := range recs {
				if err := enc.Encode(recs[i].Entry(sc, step+i)); err != nil {
					return err
				}
			}
		} else if err := core.WriteTraceFrom(w, sc, recs, step); err != nil {
			return err
		}
		step += len(recs)
	}
	if h := e.TraceHash(); h != report.TraceHash || step != report.TraceLen {
		return fmt.Errorf("the streamed trace (%d records, hash %s) is not the report's (%d records, hash %s)", step, h, report.TraceLen, report.TraceHash)
	}
	return nil
}

// byteSize is a flag of a number of bytes, written as a number with an
// optional unit: "300MB", "2GiB", "1048576".
type byteSize int64

func (b *byteSize) String() string { return strconv.FormatInt(int64(*b), 10) }

func (b *byteSize) Set(s string) error {
	units := []struct {
		suffix string
		n      int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(rest), u.n
			break
		}
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || !(n >= 1) || n*float64(mult) > 1<<50 {
		return fmt.Errorf("want a size such as 300MB or 2GiB, from 1 byte to 1 PiB")
	}
	*b = byteSize(n * float64(mult))
	return nil
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
