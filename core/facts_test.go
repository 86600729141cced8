package core

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// techWords are the words that make a sentence a statement about a
// technology: its name, and the names only it uses.
var techWords = map[string][]string{
	"Kafka":    {"Kafka", "murmur2"},
	"SQS":      {"SQS", "visibility timeout", "redrive policy", "maxReceiveCount"},
	"RabbitMQ": {"RabbitMQ"},
	"gRPC":     {"gRPC", "DEADLINE_EXCEEDED"},
	"asyncio":  {"asyncio"},
}

// lessonProse lists every piece of text a lesson shows, each named by
// where it is: its title and summary, and per step the title, text, stop
// note, question, choices and explanation, and its claims.
func lessonProse(l *Lesson) map[string]string {
	out := map[string]string{"title": l.Title, "summary": l.Summary}
	for i, s := range l.Steps {
		at := "step " + strconv.Itoa(i+1) + " "
		out[at+"title"] = s.Title
		out[at+"text"] = s.Text
		if s.Stop != nil {
			out[at+"stop note"] = s.Stop.Note
		}
		if c := s.Checkpoint; c != nil {
			out[at+"question"] = c.Question
			out[at+"choices"] = strings.Join(c.Choices, " / ")
			out[at+"explanation"] = c.Explain
		}
	}
	for i, c := range l.Claims {
		out["claim "+strconv.Itoa(i+1)] = c.Text
	}
	return out
}

// uncoveredTechnologies names each place in lessons whose prose speaks of
// a technology for which facts holds nothing of that lesson.
func uncoveredTechnologies(lessons []*Lesson, facts []Fact) []string {
	var missing []string
	for _, l := range lessons {
		for where, text := range lessonProse(l) {
			for tech, words := range techWords {
				if !slices.ContainsFunc(words, func(w string) bool { return strings.Contains(text, w) }) {
					continue
				}
				if !slices.ContainsFunc(facts, func(f Fact) bool { return f.Lesson == l.ID && f.Tech == tech }) {
					missing = append(missing, l.ID+" "+where+" speaks of "+tech)
				}
			}
		}
	}
	slices.Sort(missing)
	return missing
}

func TestEveryTechnologyALessonNamesHasAFact(t *testing.T) {
	t.Run("every lesson sentence about Kafka, SQS, RabbitMQ, gRPC or asyncio is backed by a reviewed fact", func(t *testing.T) {
		assert.Empty(t, uncoveredTechnologies(Lessons(), LessonFacts()))
	})

	t.Run("a lesson that starts speaking of a technology without a fact is caught", func(t *testing.T) {
		l := &Lesson{ID: "new", Title: "New", Steps: []LessonStep{{Title: "One", Text: "RabbitMQ requeues a nacked message."}},
			Claims: []Claim{{Text: "Kafka consumers pull."}}}
		facts := []Fact{{Lesson: "other", Tech: "RabbitMQ"}, {Lesson: "new", Tech: "SQS"}}
		assert.Equal(t, []string{"new claim 1 speaks of Kafka", "new step 1 text speaks of RabbitMQ"}, uncoveredTechnologies([]*Lesson{l}, facts))
	})

	t.Run("every fact belongs to a lesson that speaks of its technology", func(t *testing.T) {
		for _, f := range LessonFacts() {
			l := LessonByID(f.Lesson)
			require.NotNil(t, l, "fact %q names no lesson", f.Text)
			words := techWords[f.Tech]
			require.NotEmpty(t, words, "fact %q: unknown technology %q", f.Text, f.Tech)
			spoken := false
			for _, text := range lessonProse(l) {
				spoken = spoken || slices.ContainsFunc(words, func(w string) bool { return strings.Contains(text, w) })
			}
			assert.True(t, spoken, "%s no longer speaks of %s: drop or move the fact %q", f.Lesson, f.Tech, f.Text)
		}
	})
}

func TestFactsCiteOfficialSources(t *testing.T) {
	sources := factSources()
	require.Len(t, sources, len(techWords), "the technologies searched for and those with sources are the same")
	seen := map[string]bool{}
	for _, f := range LessonFacts() {
		prefixes, ok := sources[f.Tech]
		require.True(t, ok, "fact %q: no official domains for %q", f.Text, f.Tech)
		assert.True(t, slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(f.Source, p) }),
			"fact %q cites %s, not an official %s page (%s)", f.Text, f.Source, f.Tech, strings.Join(prefixes, ", "))
		assert.True(t, strings.HasPrefix(f.Source, "https://") && !strings.ContainsAny(f.Source, " \t\n"), "source %q", f.Source)
		assert.True(t, strings.HasSuffix(f.Text, "."), "fact %q is one whole sentence", f.Text)
		assert.False(t, seen[f.Lesson+f.Text], "fact %q listed twice", f.Text)
		seen[f.Lesson+f.Text] = true
	}
}

func TestBlockedStopNoteSaysWhatTheTraceShows(t *testing.T) {
	// The note at the producer's ack must not claim the worker is idle
	// when the trace has it at work by then.
	step := &LessonByID("blocked").Steps[1]
	require.NotNil(t, step.Stop)
	run, err := step.Run()
	require.NoError(t, err)
	stop := step.StopStep(run)
	require.Positive(t, stop)
	worker := int32(run.Scenario.NodeIndex("worker"))
	started := slices.ContainsFunc(run.Trace[:stop], func(r Record) bool { return r.Kind == RecStart && r.Node == worker })
	assert.Equal(t, started, strings.Contains(step.Stop.Note, "just started"), "note %q, worker started: %v", step.Stop.Note, started)
	assert.NotContains(t, step.Stop.Note, "not even started")
}

func TestCorrectedClaimsCanFail(t *testing.T) {
	runsOf := func(t *testing.T, id string) (*Lesson, []*LessonRun) {
		l := LessonByID(id)
		require.NotNil(t, l)
		runs, err := l.Run()
		require.NoError(t, err)
		for _, c := range l.Claims {
			require.NoError(t, c.Check(runs), "claim %q holds on the real runs", c.Text)
		}
		return l, runs
	}

	t.Run("the sync median must be the timeout", func(t *testing.T) {
		l, runs := runsOf(t, "comparison")
		runs[0].Report.UserLatency.P50 -= Millisecond
		assert.ErrorContains(t, l.Claims[0].Check(runs), "is not the timeout")
	})

	t.Run("the shoppers' wait must not change with the workers", func(t *testing.T) {
		_, runs := runsOf(t, "comparison")
		runs[1].Report.UserLatency.P50 += Millisecond
		assert.ErrorContains(t, shopperWaitIgnoresWorkers(runs), "workers instead of")
	})

	t.Run("the poison message gets the seed's retries", func(t *testing.T) {
		_, runs := runsOf(t, "dead-letters")
		sc := runs[0].Scenario.Clone()
		sc.Nodes[sc.NodeIndex("queue")].MaxReceiveCount = 3
		e, err := NewEngine(sc, Options{Trace: true})
		require.NoError(t, err)
		r := e.Run()
		fewer := []*LessonRun{{Scenario: e.Scenario(), Report: r, Trace: e.Trace()}}
		assert.ErrorContains(t, deadLetterAfterSeedRetries(fewer), "maxReceiveCount is 3")
	})

	t.Run("the back-offs must double", func(t *testing.T) {
		_, runs := runsOf(t, "dead-letters")
		sc := runs[0].Scenario.Clone()
		sc.Nodes[sc.NodeIndex("queue")].Retry.Multiplier = 3
		e, err := NewEngine(sc, Options{Trace: true})
		require.NoError(t, err)
		r := e.Run()
		tripled := []*LessonRun{{Scenario: e.Scenario(), Report: r, Trace: e.Trace()}}
		assert.ErrorContains(t, deadLetterAfterSeedRetries(tripled), "not doubling")
	})
}

func TestCorrectedFiguresComeFromTheRun(t *testing.T) {
	l := LessonByID("dead-letters")
	run, err := l.Steps[0].Run()
	require.NoError(t, err)
	f := LessonFigures(run)
	assert.Equal(t, "1s, 2s and 4s", f["deadLetterBackoffs"])
	assert.Equal(t, "4", f["queue.maxReceiveCount"])

	sc := run.Scenario.Clone()
	sc.Nodes[sc.NodeIndex("queue")].Retry.Base = 2 * Second
	e, err := NewEngine(sc, Options{Trace: true})
	require.NoError(t, err)
	other := &LessonRun{Scenario: e.Scenario(), Report: e.Run(), Trace: e.Trace()}
	assert.Equal(t, "2s, 4s and 8s", LessonFigures(other)["deadLetterBackoffs"], "the figure follows the run")

	sync, err := LessonByID("comparison").Steps[0].Run()
	require.NoError(t, err)
	assert.Equal(t, "1s", LessonFigures(sync)["shoppers.timeout"])
}
