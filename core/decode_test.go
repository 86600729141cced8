package core

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeScenarioRefusesDuplicateKeys(t *testing.T) {
	tests := []struct {
		name     string
		from, to string // replace in validJSON
		want     []FieldError
	}{
		{"at the top level", `"version": 1,`, `"version": 1, "seed": 2, "version": 1,`,
			[]FieldError{{"version", "appears twice"}, {"seed", "appears twice"}}},
		{"in a node", `"kind": "service",`, `"kind": "service", "kind": "queue",`,
			[]FieldError{{"nodes[1].kind", "appears twice"}}},
		{"in an edge", `"to": "db",`, `"to": "db", "to": "api",`,
			[]FieldError{{"edges[1].to", "appears twice"}}},
		{"in a nested object", `"mean": "5ms"`, `"mean": "5ms", "mean": "1s"`,
			[]FieldError{{"nodes[2].serviceTime.mean", "appears twice"}}},
		{"in an object in a list in a node", `{"type": "single"}`,
			`{"type": "schedule", "phases": [{"duration": "1s", "rate": 1}, {"duration": "1s", "rate": 2, "rate": 3}]}`,
			[]FieldError{{"nodes[0].workload.phases[1].rate", "appears twice"}}},
		{"spelt with other capitals, which encoding/json matches to the same field", `"kind": "service",`, `"kind": "service", "Kind": "queue",`,
			[]FieldError{{"nodes[1].Kind", `appears twice (also as "kind": keys are matched ignoring case)`}}},
		{"spelt with the Kelvin sign, which folds to k", `"kind": "service",`, "\"kind\": \"service\", \"\u212Aind\": \"queue\",",
			[]FieldError{{"nodes[1].\u212Aind", `appears twice (also as "kind": keys are matched ignoring case)`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := strings.Replace(validJSON, tt.from, tt.to, 1)
			require.NotEqual(t, validJSON, data, "the replacement applies")
			_, err := DecodeScenario([]byte(data))
			var errs Errors
			require.True(t, errors.As(err, &errs), "want Errors, got %v", err)
			assert.Equal(t, Errors(tt.want), errs)
		})
	}

	t.Run("the same key in different objects is fine", func(t *testing.T) {
		_, err := ParseScenario([]byte(validJSON)) // every node has "id" and "kind"
		require.NoError(t, err)
	})

	t.Run("a key that is a value elsewhere is not a repeat", func(t *testing.T) {
		data := strings.Replace(validJSON, `"id": "api"`, `"id": "kind"`, 1)
		data = strings.Replace(data, `"to": "api"`, `"to": "kind"`, 1)
		data = strings.Replace(data, `"from": "api"`, `"from": "kind"`, 1)
		_, err := ParseScenario([]byte(data))
		require.NoError(t, err)
	})

	t.Run("bad JSON is left to the decoder to explain", func(t *testing.T) {
		_, err := DecodeScenario([]byte(`{"version": 1, "version"`))
		assert.ErrorContains(t, err, "cut off")
		_, err = DecodeScenario([]byte(`{"version": 1} {"seed": 1, "seed": 2}`))
		assert.ErrorContains(t, err, "extra data")
	})

	t.Run("lists at most ten repeats", func(t *testing.T) {
		data := `{"version": 1` + strings.Repeat(`, "seed": 1`, 50) + `, "nodes": [], "edges": []}`
		_, err := DecodeScenario([]byte(data))
		var errs Errors
		require.True(t, errors.As(err, &errs), "want Errors, got %v", err)
		assert.Len(t, errs, maxDuplicateKeys)
	})
}

// TestRefuseDuplicateKeysOnTheLargestInputs runs the walk on the largest
// input DecodeScenario reads, a megabyte of distinct keys in one object,
// and on deep arrays: no false repeat, and its time logged (linear).
func TestRefuseDuplicateKeysOnTheLargestInputs(t *testing.T) {
	var keys strings.Builder
	keys.WriteString("{")
	for i := 0; keys.Len() < MaxScenarioBytes-20; i++ {
		fmt.Fprintf(&keys, `"k%d":1,`, i)
	}
	keys.WriteString(`"end":1}`)
	deep := strings.Repeat("[", 5000) + strings.Repeat("]", 5000)
	for name, data := range map[string]string{"many keys": keys.String(), "deep arrays": deep} {
		start := time.Now()
		require.NoError(t, refuseDuplicateKeys([]byte(data)), name)
		t.Logf("%s (%d bytes): %v", name, len(data), time.Since(start))
	}
}
