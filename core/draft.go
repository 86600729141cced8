package core

import (
	"bytes"
	"errors"
	"slices"

	"github.com/sync-vs-async/playground/core/internal/jsonlite"
	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// A saved draft is the sandbox's work as the browser keeps it (in
// localStorage), so that a crash or a closed tab loses nothing: the
// scenario being edited, which may not validate yet, the step on screen,
// and the undo history. Encoding bounds its size by dropping the history
// furthest from the present first; decoding takes anything, since storage
// can hold a damaged value or one from another version: a bad draft is an
// error, never a panic.

// DraftVersion is the saved draft format this build writes and reads.
const DraftVersion = 1

// MaxDraftBytes bounds a saved draft that is read.
const MaxDraftBytes = 4 << 20

// SavedDraft is the sandbox's work as saved.
type SavedDraft struct {
	Scenario *Scenario // the draft; it may not validate
	Template string    // the built-in scenario it still is, "" once edited
	Step     int       // the step on screen, -1 for none
	SavedAt  int64     // Unix milliseconds, by the caller's clock
	// Tab names the browser tab that saved it: after a crash a tab takes
	// back its own work without asking, not another tab's.
	Tab string
	// Undo and Redo are a History's lists, as Snapshots returns them.
	Undo, Redo [][]byte
}

type draftJSON struct {
	Version  int                   `json:"v"`
	SavedAt  int64                 `json:"savedAt"`
	Template string                `json:"template,omitempty"`
	Tab      string                `json:"tab,omitempty"`
	Step     int                   `json:"step"`
	Scenario jsonlite.RawMessage   `json:"scenario"`
	Undo     []jsonlite.RawMessage `json:"undo,omitempty"`
	Redo     []jsonlite.RawMessage `json:"redo,omitempty"`
}

// EncodeDraft writes d as JSON with at most maxSnapshots history entries
// and at most maxBytes in all. The entries furthest from the present go
// first: the oldest undo entry or the furthest redo one, from whichever
// list is longer. It returns the JSON and how many entries it kept; it
// fails only if the scenario alone does not fit.
func EncodeDraft(d SavedDraft, maxSnapshots, maxBytes int) ([]byte, int, error) {
	if d.Scenario == nil {
		return nil, 0, errors.New("saved draft: no scenario")
	}
	sc, err := d.Scenario.MarshalCanonical()
	if err != nil {
		return nil, 0, fmtlite.Errorf("saved draft: %w", err)
	}
	raw := func(list [][]byte) []jsonlite.RawMessage {
		var out []jsonlite.RawMessage
		for _, b := range list {
			if jsonlite.Valid(b) {
				out = append(out, jsonlite.RawMessage(b))
			}
		}
		return out
	}
	v := draftJSON{Version: DraftVersion, SavedAt: d.SavedAt, Template: d.Template, Tab: d.Tab, Step: max(d.Step, -1),
		Scenario: sc, Undo: raw(d.Undo), Redo: raw(d.Redo)}
	dropFurthest := func() {
		if len(v.Undo) >= len(v.Redo) {
			v.Undo = v.Undo[1:]
		} else {
			v.Redo = v.Redo[1:]
		}
	}
	for len(v.Undo)+len(v.Redo) > max(maxSnapshots, 0) {
		dropFurthest()
	}
	for {
		out, err := jsonlite.Marshal(v)
		if err != nil {
			return nil, 0, fmtlite.Errorf("saved draft: %w", err)
		}
		if len(out) <= maxBytes {
			return out, len(v.Undo) + len(v.Redo), nil
		}
		if len(v.Undo)+len(v.Redo) == 0 {
			return nil, 0, fmtlite.Errorf("saved draft: the scenario alone is %d bytes; the most saved is %d", len(out), maxBytes)
		}
		// Drop about as many entries as the excess needs, at least one.
		excess, n := len(out)-maxBytes, 0
		for excess > 0 && len(v.Undo)+len(v.Redo) > 0 {
			if len(v.Undo) >= len(v.Redo) {
				excess -= len(v.Undo[0]) + 1
			} else {
				excess -= len(v.Redo[0]) + 1
			}
			dropFurthest()
			n++
		}
	}
}

// DecodeDraft reads a saved draft back. Anything that is not a draft this
// build wrote (damaged, cut off, another version, a scenario that does not
// decode) is an error. A history entry that does not decode is dropped with
// every one further from the present.
func DecodeDraft(data []byte) (SavedDraft, error) {
	var d SavedDraft
	if len(data) > MaxDraftBytes {
		return d, fmtlite.Errorf("saved draft: it is %d bytes; the most read is %d", len(data), MaxDraftBytes)
	}
	var v draftJSON
	if err := jsonlite.Unmarshal(data, &v); err != nil {
		return d, fmtlite.Errorf("saved draft: it cannot be read: %w", err)
	}
	if v.Version != DraftVersion {
		return d, fmtlite.Errorf("saved draft: its format is %d; this version reads %d", v.Version, DraftVersion)
	}
	if !bytes.HasPrefix(bytes.TrimSpace(v.Scenario), []byte("{")) {
		return d, errors.New("saved draft: its scenario does not decode: it is not a JSON object")
	}
	sc, err := DecodeScenario(v.Scenario)
	if err != nil {
		return d, fmtlite.Errorf("saved draft: its scenario does not decode: %w", err)
	}
	keep := func(list []jsonlite.RawMessage) [][]byte {
		var out [][]byte
		for i := len(list) - 1; i >= 0 && validSnapshot(list[i]); i-- {
			out = append(out, bytes.Clone(list[i]))
		}
		slices.Reverse(out)
		return out
	}
	return SavedDraft{
		Scenario: sc,
		Template: v.Template,
		Tab:      v.Tab,
		Step:     max(v.Step, -1),
		SavedAt:  max(v.SavedAt, 0),
		Undo:     keep(v.Undo),
		Redo:     keep(v.Redo),
	}, nil
}
