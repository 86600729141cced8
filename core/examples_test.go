package core

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestExampleFilesAreAllEmbedded: every file under examples/ is a built-in
// scenario, with exactly its bytes, in id order, and nothing else is.
func TestExampleFilesAreAllEmbedded(t *testing.T) {
	entries, err := os.ReadDir("examples")
	require.NoError(t, err)
	var files []string
	for _, e := range entries {
		if id, ok := strings.CutSuffix(e.Name(), ".json"); ok {
			files = append(files, id)
		}
	}
	var ids []string
	for _, s := range exampleSources() {
		ids = append(ids, s.id)
		data, err := os.ReadFile("examples/" + s.id + ".json")
		require.NoError(t, err)
		require.Equal(t, string(data), s.json, "%s is embedded as it is on disk", s.id)
	}
	require.Equal(t, files, ids, "the embedded list is the directory, sorted")
	require.True(t, slices.IsSorted(ids))

	_, err = ExampleByID("no-such-example")
	require.ErrorContains(t, err, `no built-in scenario "no-such-example"`)
	sc, err := ExampleByID(DefaultExample)
	require.NoError(t, err)
	require.NotEmpty(t, sc.Nodes)
}
