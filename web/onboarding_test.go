package web

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
)

func TestHomeIntro(t *testing.T) {
	sc, err := core.ExampleByID("message-queue")
	require.NoError(t, err)
	tl, _, err := core.RunTimeline(sc)
	require.NoError(t, err)

	t.Run("the home page opens with what this is and two ways in", func(t *testing.T) {
		out := render(t, PlaygroundPage(Playground{Scenario: sc, Timeline: tl, FirstLesson: "blocked"}))
		assert.Regexp(t, `<main class="wide"><section class="intro" aria-label="Start here"><p class="intro-text">Watch synchronous and asynchronous communication happen`, out,
			"the introduction comes first in main")
		assert.Contains(t, out, `<a id="`+IDStartLesson+`" class="action primary" href="/lessons/blocked">Start lesson 1</a>`)
		assert.Contains(t, out, `<a id="`+IDOpenSandbox+`" class="action" href="/sandbox">Open the sandbox</a>`)
	})

	t.Run("a playground without a first lesson has no introduction", func(t *testing.T) {
		out := render(t, PlaygroundPage(Playground{Scenario: sc, Timeline: tl}))
		assert.NotContains(t, out, `class="intro"`)
	})
}

func TestLessonMinutes(t *testing.T) {
	words := func(n int) string {
		s := "word"
		for range n - 1 {
			s += " word"
		}
		return s
	}
	tests := []struct {
		name   string
		lesson core.Lesson
		want   int
	}{
		{"a step with a few words: a minute to read, a minute to run", core.Lesson{Steps: []core.LessonStep{{Title: "One", Text: words(10)}}}, 2},
		{"a checkpoint adds a minute to predict", core.Lesson{Steps: []core.LessonStep{{Text: words(10), Checkpoint: &core.Checkpoint{Question: "How long?"}}}}, 3},
		{"reading rounds up per 200 words", core.Lesson{Steps: []core.LessonStep{{Text: words(201)}}}, 3},
		{"every step counts", core.Lesson{Steps: []core.LessonStep{{Text: words(100)}, {Text: words(100)}, {Text: "x", Stop: &core.LessonStop{Note: "y"}}}}, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, LessonMinutes(&tc.lesson))
		})
	}
	t.Run("every real lesson takes a few minutes, not an hour", func(t *testing.T) {
		for _, l := range core.Lessons() {
			m := LessonMinutes(l)
			assert.GreaterOrEqual(t, m, len(l.Steps)+1, l.ID)
			assert.LessOrEqual(t, m, 20, l.ID)
		}
	})
}
