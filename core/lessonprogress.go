package core

import (
	"bytes"
	"maps"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/sync-vs-async/playground/core/internal/jsonlite"
	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// Lesson progress is what a learner has done in each lesson, as the lesson
// pages keep it in the browser's localStorage:
//
//	{"<lesson id>":{"steps":N,"done":{"1":true,"3":true}}}
//
// The browser hands back whatever was stored, which a person, an older
// page or another tab may have written, so ParseProgress reads it one
// lesson at a time: a bad entry is dropped, and named, without costing the
// others.

// Limits of saved progress. Anything past them is not something the pages
// wrote.
const (
	MaxProgressBytes    = 64 << 10 // the whole stored value
	MaxLessonSteps      = 1000     // a lesson's "steps"
	maxProgressLessonID = 64       // a lesson id's length
)

// LessonProgress is one lesson's saved progress: how many steps it had
// when last saved, and which of them (from 1) are done. A step is done
// once visited and, if it asks something, answered rightly.
type LessonProgress struct {
	Steps int          `json:"steps"`
	Done  map[int]bool `json:"done,omitempty"` // only true values; never nil after ParseProgress
}

// LearnerProgress is every lesson's saved progress, by lesson id. (Not
// "Progress": that is how far a run has got, see [Engine.Progress].)
type LearnerProgress map[string]LessonProgress

// ParseProgress reads saved progress. It never fails: what it cannot use
// it leaves out and describes in dropped, one line per lesson (or one for
// the whole value when that is not a JSON object of at most
// [MaxProgressBytes]). The result is never nil, and every kept lesson has
// a non-nil Done.
func ParseProgress(data []byte) (p LearnerProgress, dropped []string) {
	p = LearnerProgress{}
	if len(data) > MaxProgressBytes {
		return p, []string{fmtlite.Sprintf("saved progress: %d bytes is over the limit of %d; nothing kept", len(data), MaxProgressBytes)}
	}
	if !isJSONObject(data) {
		return p, []string{"saved progress: not a JSON object; nothing kept"}
	}
	var entries map[string]jsonlite.RawMessage
	if err := jsonlite.Unmarshal(data, &entries); err != nil {
		return p, []string{"saved progress: not valid JSON (" + err.Error() + "); nothing kept"}
	}
	for _, id := range slices.Sorted(maps.Keys(entries)) {
		if !validProgressLessonID(id) {
			dropped = append(dropped, fmtlite.Sprintf("lesson %s: not a lesson id (1 to %d of a-z, 0-9 and -)", quoteShort(id), maxProgressLessonID))
			continue
		}
		lp, err := parseLessonProgress(entries[id])
		if err != nil {
			dropped = append(dropped, "lesson "+id+": "+err.Error())
			continue
		}
		p[id] = lp
	}
	return p, dropped
}

// parseLessonProgress reads one lesson's entry: an object with "steps" and
// an optional "done"; other fields are ignored.
func parseLessonProgress(raw jsonlite.RawMessage) (LessonProgress, error) {
	if !isJSONObject(raw) {
		return LessonProgress{}, fmtlite.Errorf("not a JSON object")
	}
	var fields map[string]jsonlite.RawMessage
	if err := jsonlite.Unmarshal(raw, &fields); err != nil {
		return LessonProgress{}, err
	}
	lp := LessonProgress{Done: map[int]bool{}}
	steps, ok := fields["steps"]
	if !ok {
		return LessonProgress{}, fmtlite.Errorf(`"steps" is missing`)
	}
	if jsonlite.Unmarshal(steps, &lp.Steps) != nil || lp.Steps < 1 || lp.Steps > MaxLessonSteps {
		return LessonProgress{}, fmtlite.Errorf(`"steps" must be a whole number from 1 to %d, not %s`, MaxLessonSteps, cut(string(steps)))
	}
	done, ok := fields["done"]
	if !ok || string(done) == "null" {
		return lp, nil
	}
	if !isJSONObject(done) {
		return LessonProgress{}, fmtlite.Errorf(`"done" must be an object of step numbers, not %s`, cut(string(done)))
	}
	var marks map[string]jsonlite.RawMessage
	if err := jsonlite.Unmarshal(done, &marks); err != nil {
		return LessonProgress{}, fmtlite.Errorf(`"done": %w`, err)
	}
	for _, key := range slices.Sorted(maps.Keys(marks)) {
		n, err := strconv.Atoi(key)
		if err != nil || strconv.Itoa(n) != key || n < 1 || n > lp.Steps {
			return LessonProgress{}, fmtlite.Errorf(`"done" key %s must be a step number from 1 to %d`, quoteShort(key), lp.Steps)
		}
		switch string(marks[key]) {
		case "true":
			lp.Done[n] = true
		case "false": // not done: nothing to keep
		default:
			return LessonProgress{}, fmtlite.Errorf(`"done" step %d must be true or false, not %s`, n, cut(string(marks[key])))
		}
	}
	return lp, nil
}

// MarkDone records step (from 1) of the lesson, which has steps steps, as
// done. It works on a nil LearnerProgress. If the lesson has changed its
// number of steps since it was saved, marks past the new end are dropped.
func (p *LearnerProgress) MarkDone(lesson string, step, steps int) error {
	switch {
	case !validProgressLessonID(lesson):
		return fmtlite.Errorf("lesson: %s is not a lesson id (1 to %d of a-z, 0-9 and -)", quoteShort(lesson), maxProgressLessonID)
	case steps < 1 || steps > MaxLessonSteps:
		return fmtlite.Errorf("steps: %d is not from 1 to %d", steps, MaxLessonSteps)
	case step < 1 || step > steps:
		return fmtlite.Errorf("step: %d is not from 1 to %d", step, steps)
	}
	if *p == nil {
		*p = LearnerProgress{}
	}
	lp := (*p)[lesson]
	done := make(map[int]bool, len(lp.Done)+1)
	for n, ok := range lp.Done {
		if ok && n >= 1 && n <= steps {
			done[n] = true
		}
	}
	done[step] = true
	(*p)[lesson] = LessonProgress{Steps: steps, Done: done}
	return nil
}

// Marshal writes p in the form ParseProgress reads and the pages have
// always stored. It fails if that is over [MaxProgressBytes], which
// ParseProgress would then drop whole.
func (p LearnerProgress) Marshal() ([]byte, error) {
	if p == nil {
		p = LearnerProgress{} // {} rather than null
	}
	data, err := jsonlite.Marshal(map[string]LessonProgress(p))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxProgressBytes {
		return nil, fmtlite.Errorf("saved progress: %d bytes is over the limit of %d", len(data), MaxProgressBytes)
	}
	return data, nil
}

// isJSONObject reports whether data starts, after white space, with '{'.
// A jsonlite.Unmarshal into a map accepts null, which is not an object.
func isJSONObject(data []byte) bool {
	data = bytes.TrimLeft(data, " \t\r\n")
	return len(data) > 0 && data[0] == '{'
}

// validProgressLessonID reports whether id looks like a lesson id: short,
// of lower-case letters, digits and hyphens.
func validProgressLessonID(id string) bool {
	if len(id) == 0 || len(id) > maxProgressLessonID {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// quoteShort quotes a string for a message, cut to a readable length.
func quoteShort(s string) string { return strconv.Quote(cut(s)) }

// cut shortens s for a message to about 40 bytes, at a character's start.
func cut(s string) string {
	const most = 40
	if len(s) <= most {
		return s
	}
	i := most
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
