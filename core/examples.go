package core

import (
	"embed"
	"fmt"
	"path"
	"slices"
	"strings"
)

//go:embed examples/*.json
var exampleFiles embed.FS

// DefaultExample is the built-in scenario a new visitor sees first: the
// seed's opening picture, a client blocked on a chain of sync calls.
const DefaultExample = "rest-chain"

// Example is a built-in scenario, shipped as a JSON file under examples/.
type Example struct {
	ID       string // file name without .json, e.g. "rest-chain"
	Scenario *Scenario
}

// Examples returns every built-in scenario, sorted by id. They are parsed
// and validated on each call, so callers may change what they get.
func Examples() []Example {
	entries, err := exampleFiles.ReadDir("examples")
	if err != nil {
		panic(err)
	}
	var out []Example
	for _, en := range entries {
		out = append(out, mustExample(en.Name()))
	}
	slices.SortFunc(out, func(a, b Example) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// ExampleByID returns the built-in scenario with the given id.
func ExampleByID(id string) (*Scenario, error) {
	if !validID(id) {
		return nil, fmt.Errorf("no built-in scenario %q", id)
	}
	if _, err := exampleFiles.Open("examples/" + id + ".json"); err != nil {
		return nil, fmt.Errorf("no built-in scenario %q", id)
	}
	return mustExample(id + ".json").Scenario, nil
}

func mustExample(file string) Example {
	data, err := exampleFiles.ReadFile(path.Join("examples", file))
	if err != nil {
		panic(err)
	}
	sc, err := ParseScenario(data)
	if err != nil {
		panic(fmt.Sprintf("built-in scenario %s: %v", file, err))
	}
	return Example{ID: strings.TrimSuffix(file, ".json"), Scenario: sc}
}
