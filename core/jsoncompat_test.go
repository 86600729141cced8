package core

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The core reads and writes JSON with internal/jsonlite, not
// encoding/json (see Makefile: WASM_BANNED). Every scenario the product
// ships must come out of it exactly as encoding/json would write and read
// it, or share links, trace hashes and saved drafts would change meaning.
func TestScenariosReadAndWriteAsEncodingJSONDoes(t *testing.T) {
	var scenarios []*Scenario
	for _, ex := range Examples() {
		scenarios = append(scenarios, ex.Scenario)
	}
	for _, l := range Lessons() {
		for i := range l.Steps {
			sc, err := l.Steps[i].Scenario()
			require.NoError(t, err)
			scenarios = append(scenarios, sc)
		}
	}
	heavy, err := filepath.Glob("testdata/heavy-*.json")
	require.NoError(t, err)
	for _, path := range heavy {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		sc, err := DecodeScenario(data)
		require.NoError(t, err, path)
		scenarios = append(scenarios, sc)
	}
	for seed := range uint64(300) {
		scenarios = append(scenarios, randomScenario(seed))
	}
	require.Greater(t, len(scenarios), 340)

	for _, sc := range scenarios {
		got, err := sc.MarshalCanonical()
		require.NoError(t, err)
		want, err := json.Marshal(sc)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), "written")

		var viaStdlib Scenario
		dec := json.NewDecoder(bytes.NewReader(got))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(&viaStdlib))
		back, err := DecodeScenario(got)
		require.NoError(t, err)
		assert.Equal(t, &viaStdlib, back, "read back: %s", sc.Name)
	}
}
