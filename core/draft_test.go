package core

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// savedDraft is a draft of the default example with n history entries
// before it (each a renamed copy) and one after it.
func savedDraft(t testing.TB, n int) SavedDraft {
	t.Helper()
	sc, err := ExampleByID(DefaultExample)
	require.NoError(t, err)
	h := NewHistory(1000)
	for i := range n {
		prev := sc.Clone()
		prev.Name = fmt.Sprint("before ", i)
		h.Do(prev)
	}
	next := sc.Clone()
	next.Name = "after"
	h.Do(sc)
	back, ok := h.Undo(next) // next goes on the redo list
	require.True(t, ok)
	undo, redo := h.Snapshots()
	return SavedDraft{Scenario: back, Template: "", Tab: "tab-1", Step: 7, SavedAt: 1_700_000_000_000, Undo: undo, Redo: redo}
}

func TestDraftRoundTrip(t *testing.T) {
	d := savedDraft(t, 5)
	data, kept, err := EncodeDraft(d, 50, 2<<20)
	require.NoError(t, err)
	assert.Equal(t, 6, kept)
	got, err := DecodeDraft(data)
	require.NoError(t, err)
	assert.Equal(t, canonical(t, d.Scenario), canonical(t, got.Scenario))
	assert.Equal(t, d.Step, got.Step)
	assert.Equal(t, d.SavedAt, got.SavedAt)
	assert.Equal(t, "tab-1", got.Tab)
	assert.Equal(t, d.Undo, got.Undo)
	assert.Equal(t, d.Redo, got.Redo)

	// The history comes back working: redo, then undo all the way.
	h := NewHistory(200)
	h.Load(got.Undo, got.Redo)
	fwd, ok := h.Redo(got.Scenario)
	require.True(t, ok)
	assert.Equal(t, "after", fwd.Name)
	names := undoNames(t, h, fwd)
	assert.Equal(t, []string{d.Scenario.Name, "before 4", "before 3", "before 2", "before 1", "before 0"}, names)

	t.Run("an invalid scenario is kept as it is", func(t *testing.T) {
		d := SavedDraft{Scenario: EmptyScenario(), Template: "x", Step: -1}
		require.Error(t, d.Scenario.Validate())
		data, _, err := EncodeDraft(d, 50, 2<<20)
		require.NoError(t, err)
		got, err := DecodeDraft(data)
		require.NoError(t, err)
		assert.Equal(t, canonical(t, d.Scenario), canonical(t, got.Scenario))
		assert.Equal(t, "x", got.Template)
		assert.Equal(t, -1, got.Step)
	})
}

func TestDraftBounds(t *testing.T) {
	d := savedDraft(t, 80)
	entry := len(d.Undo[0])

	t.Run("at most maxSnapshots entries, the oldest undo ones dropped first", func(t *testing.T) {
		data, kept, err := EncodeDraft(d, 50, 2<<20)
		require.NoError(t, err)
		assert.Equal(t, 50, kept)
		got, err := DecodeDraft(data)
		require.NoError(t, err)
		assert.Len(t, got.Undo, 49)
		assert.Equal(t, d.Undo[len(d.Undo)-49:], got.Undo, "the newest undo entries")
		assert.Equal(t, d.Redo, got.Redo, "the one redo entry stays")
	})

	t.Run("at most maxBytes in all", func(t *testing.T) {
		limit := 10*entry + entry/2
		data, kept, err := EncodeDraft(d, 50, limit)
		require.NoError(t, err)
		assert.LessOrEqual(t, len(data), limit)
		assert.Less(t, kept, 10)
		assert.Greater(t, kept, 5, "it drops what it must, not much more")
		got, err := DecodeDraft(data)
		require.NoError(t, err)
		assert.Equal(t, d.Undo[len(d.Undo)-len(got.Undo):], got.Undo, "the newest undo entries")
	})

	t.Run("the longer list loses first", func(t *testing.T) {
		d := savedDraft(t, 1)
		for range 4 {
			d.Redo = append([][]byte{d.Undo[0]}, d.Redo...)
		}
		data, kept, err := EncodeDraft(d, 3, 2<<20)
		require.NoError(t, err)
		assert.Equal(t, 3, kept)
		got, err := DecodeDraft(data)
		require.NoError(t, err)
		assert.Len(t, got.Undo, 1)
		assert.Equal(t, d.Redo[len(d.Redo)-2:], got.Redo, "the nearest redo entries")
	})

	t.Run("no history when nothing else fits; an error when the scenario does not", func(t *testing.T) {
		bare, _, err := EncodeDraft(SavedDraft{Scenario: d.Scenario}, 0, 2<<20)
		require.NoError(t, err)
		data, kept, err := EncodeDraft(d, 50, len(bare)+entry/2)
		require.NoError(t, err)
		assert.Zero(t, kept)
		assert.LessOrEqual(t, len(data), len(bare)+entry/2)
		_, _, err = EncodeDraft(d, 50, len(bare)-1)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "the scenario alone")
		_, _, err = EncodeDraft(SavedDraft{}, 50, 2<<20)
		require.Error(t, err)
	})
}

func TestDecodeDraftGarbage(t *testing.T) {
	good, _, err := EncodeDraft(savedDraft(t, 3), 50, 2<<20)
	require.NoError(t, err)
	var generic map[string]any
	require.NoError(t, json.Unmarshal(good, &generic))
	with := func(key string, value any) string {
		m := map[string]any{}
		for k, v := range generic {
			m[k] = v
		}
		if value == nil {
			delete(m, key)
		} else {
			m[key] = value
		}
		b, err := json.Marshal(m)
		require.NoError(t, err)
		return string(b)
	}
	cases := []struct{ name, data, want string }{
		{"empty", "", "cannot be read"},
		{"not JSON", "hello", "cannot be read"},
		{"null", "null", "format is 0"},
		{"an array", "[1,2]", "cannot be read"},
		{"an empty object", "{}", "format is 0"},
		{"cut off", string(good[:len(good)/2]), "cannot be read"},
		{"a newer format", with("v", 2), "format is 2"},
		{"no scenario", with("scenario", nil), "does not decode"},
		{"a null scenario", `{"v":1,"scenario":null}`, "does not decode"},
		{"a string scenario", `{"v":1,"scenario":"x"}`, "does not decode"},
		{"an unknown scenario field", `{"v":1,"scenario":{"bogus":1}}`, "bogus"},
		{"a wrong type", with("step", "seven"), "cannot be read"},
		{"too long", `{"v":1,"pad":"` + strings.Repeat("x", MaxDraftBytes) + `"}`, "the most read"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodeDraft([]byte(c.data))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.True(t, strings.HasPrefix(err.Error(), "saved draft: "), err.Error())
		})
	}

	t.Run("damaged history entries are dropped with the older ones", func(t *testing.T) {
		undo := generic["undo"].([]any)
		require.Len(t, undo, 3)
		damaged := with("undo", []any{undo[0], "oops", undo[2]})
		got, err := DecodeDraft([]byte(damaged))
		require.NoError(t, err)
		require.Len(t, got.Undo, 1)
		assert.JSONEq(t, mustJSON(t, undo[2]), string(got.Undo[0]))
	})

	t.Run("odd numbers are brought into range", func(t *testing.T) {
		got, err := DecodeDraft([]byte(with("step", -40)))
		require.NoError(t, err)
		assert.Equal(t, -1, got.Step)
		got, err = DecodeDraft([]byte(with("savedAt", -5)))
		require.NoError(t, err)
		assert.Zero(t, got.SavedAt)
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// FuzzDecodeDraft: nothing stored may panic the reader, and what it
// accepts encodes again.
func FuzzDecodeDraft(f *testing.F) {
	good, _, err := EncodeDraft(savedDraft(f, 2), 50, 2<<20)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"v":1,"scenario":{},"undo":[null,{}],"redo":[1]}`))
	f.Add([]byte(`{"v":1,"scenario":{"nodes":[{"id":"a"}]},"step":3}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := DecodeDraft(data)
		if err != nil {
			return
		}
		if _, _, err := EncodeDraft(d, 50, 2*MaxDraftBytes); err != nil {
			t.Fatalf("a decoded draft does not encode: %v", err)
		}
	})
}
