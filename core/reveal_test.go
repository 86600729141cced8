package core

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every checkpoint asks about an event of its run that happens after the
// step's stop, gives a hint, and every stop's notes follow one another.
func TestCheckpointsStopBeforeTheirEvent(t *testing.T) {
	for _, l := range Lessons() {
		runs, err := l.Run()
		require.NoError(t, err, l.ID)
		for i := range l.Steps {
			step, run := &l.Steps[i], runs[i]
			name := l.ID + "/" + step.Title
			if step.Stop != nil {
				assert.Positive(t, step.StopStep(run), "%s: the stop's record happens", name)
				notes := step.Notes(run)
				assert.Len(t, notes, 1+len(step.Stop.Then), "%s: every note's record happens, in order", name)
				for j := 1; j < len(notes); j++ {
					assert.Equal(t, notes[j-1].To, notes[j].From, "%s: note %d ends where the next begins", name, j)
				}
			}
			c := step.Checkpoint
			if c == nil {
				continue
			}
			require.NotNil(t, c.Reveal, "%s: the checkpoint names the event it asks about", name)
			reveal := step.RevealStep(run)
			assert.Positive(t, reveal, "%s: the event happens", name)
			assert.Less(t, step.StopStep(run), reveal, "%s: the stop lands before the event", name)
			assert.NotEmpty(t, c.Hint, "%s: a hint for a first wrong answer", name)
			lo, hi := c.Bounds(run)
			answer := c.Answer(run)
			assert.True(t, answer >= lo && answer <= hi, "%s: the answer %v lies in its range [%v, %v]", name, answer, lo, hi)
		}
	}
}

// A stop's note holds only while what it says is so: at step 10 of the
// REST chain the database is done, and its note says so.
func TestNotesFollowTheStep(t *testing.T) {
	step := &LessonByID("blocked").Steps[0]
	run, err := step.Run()
	require.NoError(t, err)
	notes := step.Notes(run)
	require.Len(t, notes, 3)
	stop := step.StopStep(run)
	assert.Equal(t, 0, NoteAt(notes, stop), "at the stop, the stop's note")
	assert.Equal(t, -1, NoteAt(notes, stop-1), "before the stop's record, no note")
	done := (&LessonStop{Kind: RecFinish, Node: "db", Nth: 1}).Find(run) + 1
	require.Greater(t, done, stop)
	for s := done; s <= len(run.Trace); s++ {
		i := NoteAt(notes, s)
		require.GreaterOrEqual(t, i, 1, "step %d", s)
		assert.NotContains(t, strings.ToLower(notes[i].Text), "is working", "step %d: the database is done", s)
	}
	assert.Contains(t, notes[NoteAt(notes, len(run.Trace))].Text, "has its reply")
}

// The ordering lesson's user exists, and its next event goes where its
// first went: the answer is read from the run.
func TestAskedUser(t *testing.T) {
	step := &LessonByID("ordering").Steps[0]
	run, err := step.Run()
	require.NoError(t, err)
	first := run.Trace[step.StopStep(run)-1]
	assert.Equal(t, int64(askedUser), first.Value)
	assert.Contains(t, first.Describe(run.Scenario), `key "user-7"`)
	assert.Equal(t, float64(first.Partition), step.Checkpoint.Answer(run))
	assert.Equal(t, strconvItoa(first.Partition), LessonFigures(run)["userPartition"])
}

func strconvItoa(n int32) string { return itoa(int64(n)) }
