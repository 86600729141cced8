package web

import (
	"strconv"
	"strings"

	"github.com/sync-vs-async/playground/core"
	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"
)

// What a newcomer reads first: the introduction at the top of /, and how
// long each lesson takes on /lessons.

// The ids of the introduction's two ways in.
const (
	IDStartLesson = "start-lesson"
	IDOpenSandbox = "open-sandbox"
)

// SandboxPath is the path of the sandbox.
const SandboxPath = "/sandbox"

// homeIntro says in two sentences what the site is, then offers its two
// ways in: the first lesson and the sandbox.
func homeIntro(firstLesson string) g.Node {
	return h.Section(h.Class("intro"), h.Aria("label", "Start here"),
		h.P(h.Class("intro-text"), g.Text("Watch synchronous and asynchronous communication happen, message by message: "+
			"calls that block, queues that absorb a burst, retries, dead letters, outboxes and partitions, "+
			"simulated in your browser with every number measured. Learn it lesson by lesson, or build your own system.")),
		h.P(h.Class("intro-actions"),
			h.A(h.ID(IDStartLesson), h.Class("action primary"), h.Href(LessonPath(firstLesson)), g.Text("Start lesson 1")),
			h.A(h.ID(IDOpenSandbox), h.Class("action"), h.Href(SandboxPath), g.Text("Open the sandbox")),
		),
	)
}

// The pace LessonMinutes assumes.
const (
	readingWordsPerMinute = 200 // reading explanatory text, a little below the usual 230-250
	minutesPerStep        = 1   // stepping through a run and looking at its views
	minutesPerCheckpoint  = 1   // thinking of an answer, then reading the reveal
)

// LessonMinutes estimates how long lesson l takes, in whole minutes,
// from its content: the words a learner reads (step titles, texts, stop
// notes, questions, choices and explanations) at readingWordsPerMinute,
// plus minutesPerStep for each step's run and minutesPerCheckpoint for each
// prediction, rounded up.
func LessonMinutes(l *core.Lesson) int {
	words, steps, checkpoints := 0, len(l.Steps), 0
	count := func(s string) { words += len(strings.Fields(s)) }
	for _, s := range l.Steps {
		count(s.Title)
		count(s.Text)
		if s.Stop != nil {
			count(s.Stop.Note)
		}
		if c := s.Checkpoint; c != nil {
			checkpoints++
			count(c.Question)
			count(strings.Join(c.Choices, " "))
			count(c.Explain)
		}
	}
	reading := (words + readingWordsPerMinute - 1) / readingWordsPerMinute
	return reading + steps*minutesPerStep + checkpoints*minutesPerCheckpoint
}

// lessonDuration is LessonMinutes in words: "About 5 min".
func lessonDuration(l *core.Lesson) g.Node {
	return h.Span(h.Class("duration"), g.Text("About "+strconv.Itoa(LessonMinutes(l))+" min"))
}
