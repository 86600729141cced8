package web

import (
	"html"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/sync-vs-async/playground/core"
)

// lessonPages renders the page of every lesson, by id.
func lessonPages(t *testing.T) map[string]string {
	t.Helper()
	pages := map[string]string{}
	for _, l := range core.Lessons() {
		v, err := NewLessonView(l)
		require.NoError(t, err, l.ID)
		pages[l.ID] = render(t, LessonPage(v))
	}
	return pages
}

// attrs returns the attributes of an HTML start tag, unescaped.
func attrs(tag string) map[string]string {
	out := map[string]string{}
	for _, m := range regexp.MustCompile(`\s([a-z-]+)(?:="([^"]*)")?`).FindAllStringSubmatch(tag, -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out
}

func TestLessonGolden(t *testing.T) {
	blocked, err := NewLessonView(core.LessonByID("blocked"))
	require.NoError(t, err)
	tests := []struct {
		name string
		out  string
	}{
		// Two lessons, so that the file does not change with every lesson added.
		{"lesson-index", render(t, LessonIndexPage([]*core.Lesson{core.LessonByID("blocked"), core.LessonByID("outbox")}))},
		{"lesson-blocked", render(t, LessonPage(blocked))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkGolden(t, tt.name, tt.out)
		})
	}
}

func TestLessonIndexPage(t *testing.T) {
	lessons := core.Lessons()
	require.NotEmpty(t, lessons)
	out := render(t, LessonIndexPage(lessons))

	assert.Contains(t, out, "<title>Lessons · Sync vs Async Playground</title>")
	assert.Equal(t, 1, count(`<h1>`, out))
	list := regexp.MustCompile(`(?s)<ol id="lesson-index"[^>]*>(.*?)</ol>`).FindStringSubmatch(out)
	require.NotNil(t, list)
	items := regexp.MustCompile(`(?s)<li data-lesson-id="([^"]+)">(.*?)</li>`).FindAllStringSubmatch(list[1], -1)
	require.Len(t, items, len(lessons), "one <li> per lesson")
	for i, l := range lessons {
		id, item := items[i][1], items[i][2]
		require.Equal(t, l.ID, id, "lesson %d in order", i+1)
		assert.Contains(t, item, `<a href="/lessons/`+l.ID+`">`+html.EscapeString(l.Title)+`</a>`)
		assert.Contains(t, item, html.EscapeString(l.Summary))
		assert.Contains(t, item, html.EscapeString(l.Seed))
		assert.Contains(t, item, `<span class="progress" data-progress-for="`+l.ID+`"></span>`)
		assert.Contains(t, item, `<span class="duration">About `+strconv.Itoa(LessonMinutes(l))+` min</span>`, "how long %s takes", l.ID)
	}
	assert.Regexp(t, `<button type="button" id="reset-progress" disabled `+RequiresWASM+`>Reset progress</button>`, out)
	assert.Contains(t, out, `<p id="progress-status" role="status"></p>`)
	assert.Contains(t, out, `<a href="/lessons">Lessons</a>`, "the site header")
	assert.Contains(t, out, `Prefer to build your own? <a href="/sandbox">Open the sandbox</a>`, "building your own is done in the sandbox")
	requireNoInlineStyleOrScript(t, out)
}

func TestLessonPage(t *testing.T) {
	pages := lessonPages(t)
	stepRE := regexp.MustCompile(`(?s)<section id="lesson-step-(\d+)"[^>]*>.*?</section>`)
	for i, l := range core.Lessons() {
		out := pages[l.ID]
		runs, err := l.Run()
		require.NoError(t, err)
		m := len(l.Steps)

		t.Run(l.ID+"/article", func(t *testing.T) {
			assert.Contains(t, out, "<title>"+html.EscapeString(l.Title)+" · Lessons · Sync vs Async Playground</title>")
			assert.Contains(t, out, `<article id="lesson" class="lesson" data-lesson-id="`+l.ID+`" data-steps="`+strconv.Itoa(m)+`">`)
			assert.Equal(t, []string{html.EscapeString(l.Title)}, allSubmatches(`<h1>([^<]*)</h1>`, out), "one <h1>, the lesson's title")
			toc := regexp.MustCompile(`(?s)<nav class="lesson-toc" aria-label="Lesson steps"><ol id="lesson-steps">(.*?)</ol></nav>`).FindStringSubmatch(out)
			require.NotNil(t, toc)
			links := regexp.MustCompile(`<li><a href="#step=(\d+)" data-lesson-step="(\d+)">(\d+)\. ([^<]*)</a></li>`).FindAllStringSubmatch(toc[1], -1)
			require.Len(t, links, m)
			for n, link := range links {
				want := strconv.Itoa(n + 1)
				assert.Equal(t, []string{want, want, want, html.EscapeString(l.Steps[n].Title)}, link[1:])
			}
			assert.Contains(t, out, `<p id="lesson-position">Step 1 of `+strconv.Itoa(m)+`</p>`)
			for _, id := range LessonControlIDs[1:] {
				assert.Regexp(t, `<button type="button" id="`+id+`" disabled `+RequiresWASM+`>`, out)
			}
			assert.Contains(t, out, `<a href="/lessons">All lessons</a>`)
			if i+1 < len(core.Lessons()) {
				assert.Contains(t, out, `<a href="/lessons/`+core.Lessons()[i+1].ID+`" class="next-lesson"`)
			} else {
				assert.NotContains(t, out, `class="next-lesson"`)
			}
		})

		t.Run(l.ID+"/steps", func(t *testing.T) {
			sections := stepRE.FindAllStringSubmatch(out, -1)
			require.Len(t, sections, m, "one section per step")
			decoded := make([]*core.LessonRun, m)
			for n, sec := range sections {
				step, run := &l.Steps[n], runs[n]
				require.Equal(t, strconv.Itoa(n+1), sec[1], "sections in order")
				body := sec[0]
				open := attrs(regexp.MustCompile(`^<section[^>]*>`).FindString(body))
				assert.Equal(t, "lesson-step", open["class"])
				assert.NotContains(t, open, "hidden", "every step is rendered visible")
				assert.Equal(t, strconv.Itoa(step.StopStep(run)), open["data-stop"], "step %d data-stop", n+1)
				assert.Equal(t, LessonStepTitleID(n+1), open["aria-labelledby"])
				assert.Contains(t, body, `<h2 id="`+LessonStepTitleID(n+1)+`">`)
				text, err := core.FillFigures(step.Text, run)
				require.NoError(t, err)
				assert.Contains(t, body, `<p class="lesson-text">`+html.EscapeString(text)+`</p>`)
				if step.Stop != nil {
					// One note per record it follows; only the one that
					// holds at the stop is shown.
					// (A knob position's template holds its own notes.)
					live := withoutTemplates(body)
					notes := regexp.MustCompile(`<p class="stop-note" data-from="\d+" data-to="\d+"( hidden)?>`).FindAllStringSubmatch(live, -1)
					assert.Len(t, notes, 1+len(step.Stop.Then), "step %d: a paragraph per note", n+1)
					shown := 0
					for _, m := range notes {
						if m[1] == "" {
							shown++
						}
					}
					assert.Equal(t, 1, shown, "step %d: one note shown at the stop", n+1)
				} else {
					assert.NotContains(t, body, "stop-note")
				}

				// The scenario in data-scenario is the step's: decoded and
				// run, it gives the same trace, stop and answers.
				sc, err := core.DecodeShareLink(open["data-scenario"])
				require.NoError(t, err, "step %d data-scenario", n+1)
				require.NoError(t, sc.Validate())
				e, err := core.NewEngine(sc, core.Options{Trace: true})
				require.NoError(t, err)
				report := e.Run()
				decoded[n] = &core.LessonRun{Scenario: e.Scenario(), Report: report, Trace: e.Trace()}
				require.Equal(t, len(run.Trace), len(decoded[n].Trace), "step %d: the decoded scenario runs the same", n+1)
				assert.Equal(t, step.StopStep(run), step.StopStep(decoded[n]))

				tryIt := regexp.MustCompile(`<a class="try-it" href="/sandbox#s=([^"]+)">Try it yourself in the sandbox</a>`).FindStringSubmatch(body)
				if step.TryIt {
					require.NotNil(t, tryIt, "step %d has a try-it link", n+1)
					sc, err := core.DecodeShareLink(html.UnescapeString(tryIt[1]))
					require.NoError(t, err)
					require.NoError(t, sc.Validate())
				} else {
					assert.Nil(t, tryIt)
				}
				checkLessonCheckpoint(t, n+1, step, run, body)
			}
			for _, r := range decoded {
				r.Lesson = decoded
			}
			for n, step := range l.Steps {
				if step.Checkpoint != nil {
					assert.Equal(t, step.Checkpoint.Answer(runs[n]), step.Checkpoint.Answer(decoded[n]),
						"step %d: the answer from the decoded scenarios", n+1)
				}
			}
		})

		t.Run(l.ID+"/ids and markup", func(t *testing.T) {
			require.NotContains(t, out, "{{")
			require.NotContains(t, out, "}}")
			requireNoInlineStyleOrScript(t, out)
			seen := map[string]int{}
			// A knob position's template is inert, not in the document:
			// its ids take the place of the step's only when shown.
			live := withoutTemplates(out)
			for _, m := range idRE.FindAllStringSubmatch(live, -1) {
				seen[m[1]]++
			}
			for id, n := range seen {
				require.Equal(t, 1, n, "id %q", id)
			}
			for _, m := range regexp.MustCompile(`(?:aria-labelledby|for)="([^"]+)"`).FindAllStringSubmatch(out, -1) {
				require.Equal(t, 1, seen[m[1]], "a reference to id %q", m[1])
			}
			// The player, with the playground's ids, without its tools.
			for _, id := range []string{IDErrorBanner, IDControls, IDNarration, IDTopology, IDSequence, IDStats, IDEventLog,
				IDLesson, IDLessonSteps, IDLessonPosition, StatusID} {
				require.Equal(t, 1, seen[id], "id %q", id)
			}
			for _, id := range PlaybackControlIDs {
				require.Regexp(t, `id="`+id+`"[^>]* disabled `+RequiresWASM, out)
			}
			for _, id := range []string{IDExampleSelect, IDCopyLink, IDExport, IDImport, IDShareStatus, IDScenarioTitle} {
				require.Zero(t, seen[id], "the playground's %q is not on a lesson page", id)
			}
			assert.Equal(t, len(PlaybackControlIDs)+2+count(`id="check-\d+"`, out)+count(`id="show-me-\d+"`, out)+count(` data-knob="`, out), count(RequiresWASM, out),
				"the playback bar, the step buttons, the Check and the Show me buttons and the knobs need the WASM program")
		})

		t.Run(l.ID+"/player shows step 1 at its stop", func(t *testing.T) {
			run := runs[0]
			tl := core.NewTimeline(run.Scenario, run.Trace)
			stop := l.Steps[0].StopStep(run)
			assert.Contains(t, out, render(t, Narration(tl, stop)))
			assert.Contains(t, out, render(t, Stats(tl, stop)))
			assert.Contains(t, out, render(t, EventLog(tl, stop)))
		})
	}
}

// checkLessonCheckpoint checks the form of step n's checkpoint, if any.
func checkLessonCheckpoint(t *testing.T, n int, step *core.LessonStep, run *core.LessonRun, body string) {
	t.Helper()
	c := step.Checkpoint
	formTag := regexp.MustCompile(`<form [^>]*>`).FindString(body)
	if c == nil {
		require.Empty(t, formTag, "step %d has no checkpoint", n)
		return
	}
	form := attrs(formTag)
	N := strconv.Itoa(n)
	assert.Equal(t, "checkpoint", form["class"])
	assert.Equal(t, CheckpointID(n), form["id"])
	want := c.Answer(run)
	got, err := strconv.ParseFloat(form["data-answer"], 64)
	require.NoError(t, err, "step %d data-answer %q", n, form["data-answer"])
	require.Equal(t, want, got, "step %d data-answer is Answer(run)", n)
	tol, err := strconv.ParseFloat(form["data-tolerance"], 64)
	require.NoError(t, err)
	assert.Equal(t, c.Tolerance, tol)
	assert.Equal(t, c.Unit, form["data-unit"])
	if len(c.Choices) > 0 {
		assert.Equal(t, "choice", form["data-kind"])
		assert.Contains(t, body, "<fieldset><legend>")
		radios := regexp.MustCompile(`<input type="radio" name="answer" id="answer-`+N+`-(\d+)" value="(\d+)" required><label for="answer-`+N+`-(\d+)">`).FindAllStringSubmatch(body, -1)
		require.Len(t, radios, len(c.Choices))
		for i, r := range radios {
			assert.Equal(t, []string{strconv.Itoa(i), strconv.Itoa(i), strconv.Itoa(i)}, r[1:])
		}
		assert.Less(t, int(want), len(c.Choices), "the answer is one of the choices")
	} else {
		assert.Equal(t, "number", form["data-kind"])
		assert.Contains(t, body, `<label for="answer-`+N+`">`)
		assert.Contains(t, body, `<input type="number" id="answer-`+N+`" name="answer" step="any" inputmode="decimal" required>`)
		label := regexp.MustCompile(`<label for="answer-` + N + `">([^<]*)</label>`).FindStringSubmatch(body)
		require.NotNil(t, label)
		unit := c.Unit
		if unit == "ms" {
			unit = "millisecond"
		}
		assert.Contains(t, html.UnescapeString(label[1]), unit, "the label names the unit")
	}
	assert.Contains(t, body, `<button type="submit" id="check-`+N+`" disabled `+RequiresWASM+`>Check</button>`)
	assert.Contains(t, body, `<p class="checkpoint-result" id="checkpoint-`+N+`-result" role="status" aria-live="polite"></p>`)
	explain, err := core.FillFigures(c.Explain, run)
	require.NoError(t, err)
	assert.Contains(t, body, `<div class="checkpoint-explanation" id="checkpoint-`+N+`-explanation" hidden><p>`+html.EscapeString(explain)+`</p>`)
}

func TestNewLessonView(t *testing.T) {
	v, err := NewLessonView(core.LessonByID("blocked"))
	require.NoError(t, err)
	require.Len(t, v.Steps, 2)
	assert.Equal(t, "rest-and-grpc", v.Next.ID)
	require.NotNil(t, v.Timeline)
	assert.Equal(t, len(v.Steps[0].Run.Trace), v.Timeline.Len())
	assert.Positive(t, v.Steps[0].Stop)
	assert.Equal(t, "number", v.Steps[0].Checkpoint.Kind())
	assert.Equal(t, v.Steps[0].Run.Report.UserLatency.Max.Milliseconds(), v.Steps[0].Checkpoint.Answer)

	last := core.Lessons()[len(core.Lessons())-1]
	v, err = NewLessonView(last)
	require.NoError(t, err)
	assert.Nil(t, v.Next)

	_, err = NewLessonView(nil)
	assert.Error(t, err)
	_, err = NewLessonView(&core.Lesson{ID: "empty"})
	assert.Error(t, err)
	_, err = NewLessonView(&core.Lesson{ID: "bad", Steps: []core.LessonStep{{Title: "x", Example: "rest-chain", Text: "{{nope}}"}}})
	assert.ErrorContains(t, err, "nope")
}

// requireNoInlineStyleOrScript checks a page keeps to the strict CSP.
func requireNoInlineStyleOrScript(t *testing.T, out string) {
	t.Helper()
	require.NotContains(t, out, "style=")
	require.NotContains(t, out, "<style")
	require.NotContains(t, out, "javascript:")
	require.Zero(t, count(`\son[a-z]+=`, out))
	for _, m := range regexp.MustCompile(`(?s)<script([^>]*)>(.*?)</script>`).FindAllStringSubmatch(out, -1) {
		require.Contains(t, m[1], ` src="`)
		require.Empty(t, m[2], "inline script")
	}
}

// allSubmatches returns the first group of every match of re in s.
func allSubmatches(re, s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(re).FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestWithUnit(t *testing.T) {
	assert.Equal(t, "How long, in milliseconds?", withUnit("How long, in milliseconds?", "ms"))
	assert.Equal(t, "How many events?", withUnit("How many events?", "events"))
	assert.Equal(t, "How long? (ms)", withUnit("How long?", "ms"))
	assert.Equal(t, "Which one?", withUnit("Which one?", ""))
}

// withoutTemplates leaves out of a page's markup its <template>s (a knob
// position's step), which are inert, not in the document.
func withoutTemplates(markup string) string {
	return templateRE.ReplaceAllString(markup, "")
}

var templateRE = regexp.MustCompile(`(?s)<template\b.*?</template>`)
