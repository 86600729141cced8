package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sync-vs-async/playground/core"
)

// checkUsage is the part of simulate's usage about -check.
const checkUsage = `With -check, runs the scenario FILE against a challenge instead of printing
its report: CHALLENGE is a challenge file (JSON: a scenario under "start", its
checks, locks, budget, hints and seeds; see the README) or a file holding a
challenge link (#c=1.…). The scenario runs with every seed the challenge
lists, and each check prints one line, ✓ or ✗, with the figure measured
(the worst over the seeds) and the goal. The exit status is 0 when every
check passes, 1 when one fails or the scenario is invalid or changes a part
the challenge locks, 2 for wrong usage.

`

// checkCommand runs the scenario file against the challenge file and
// returns the exit status (see checkUsage).
func checkCommand(challengeFile, scenarioFile string, asJSON bool, stdin io.Reader, stdout, stderr io.Writer) int {
	ch, err := readChallengeFile(challengeFile)
	if err != nil {
		fmt.Fprintf(stderr, "simulate: %s is not a valid challenge:\n", challengeFile)
		printErrors(stderr, err)
		return 1
	}
	data, err := readScenarioFile(scenarioFile, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		return 1
	}
	sc, err := core.ParseScenario(data)
	if err != nil {
		fmt.Fprintf(stderr, "simulate: %s is not a valid scenario:\n", scenarioFile)
		printErrors(stderr, err)
		return 1
	}
	v, err := core.Evaluate(ch, sc)
	if err != nil {
		fmt.Fprintf(stderr, "simulate: %s cannot be checked against %s:\n", scenarioFile, challengeFile)
		printErrors(stderr, err)
		return 1
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			fmt.Fprintf(stderr, "simulate: %v\n", err)
			return 1
		}
	} else {
		fmt.Fprintf(stdout, "%s: %s\n", ch.Title, scenarioFile)
		for _, line := range v.Lines() {
			fmt.Fprintf(stdout, "  %s\n", line)
		}
	}
	failed := 0
	for _, r := range v.Results {
		if !r.Pass {
			failed++
		}
	}
	if !v.Passed {
		if !asJSON {
			fmt.Fprintf(stdout, "FAILED: %d of %d checks failed (seeds %s)\n", failed, len(v.Results), seedList(v.Seeds))
		}
		return 1
	}
	if !asJSON {
		fmt.Fprintf(stdout, "PASSED: all %d checks on seeds %s\n", len(v.Results), seedList(v.Seeds))
	}
	return 0
}

func seedList(seeds []uint64) string {
	parts := make([]string, len(seeds))
	for i, s := range seeds {
		parts[i] = fmt.Sprint(s)
	}
	return strings.Join(parts, ", ")
}

// printErrors prints err one problem a line, each naming its field.
func printErrors(w io.Writer, err error) {
	var errs core.Errors
	if errors.As(err, &errs) {
		prefix, _, _ := strings.Cut(err.Error(), errs[0].Field+": ")
		if prefix = strings.TrimSpace(prefix); prefix != "" && !strings.Contains(prefix, "\n") {
			fmt.Fprintf(w, "  %s\n", strings.TrimSuffix(prefix, ":"))
		}
		for _, e := range errs {
			fmt.Fprintf(w, "  %s\n", e)
		}
		return
	}
	fmt.Fprintf(w, "  %v\n", err)
}

// readChallengeFile reads a challenge file: JSON, or text holding a
// challenge link (a whole URL, "#c=1.…", "c=1.…" or the bare "1.…").
func readChallengeFile(name string) (*core.Challenge, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, core.MaxChallengeBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > core.MaxChallengeBytes {
		return nil, fmt.Errorf("%s is larger than %d bytes", name, core.MaxChallengeBytes)
	}
	text := bytes.TrimSpace(data)
	if bytes.HasPrefix(text, []byte("{")) {
		return core.ParseChallenge(text)
	}
	link := string(text)
	if _, fragment, ok := strings.Cut(link, "#"); ok {
		f, err := core.ParseFragment(fragment)
		if err != nil {
			return nil, err
		}
		link = f.Challenge
	}
	return core.DecodeChallengeLink(strings.TrimPrefix(link, "c="))
}
