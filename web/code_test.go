package web

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/sync-vs-async/playground/core"
)

// lessonStepView returns step n (from 1) of lesson id, computed as its page is.
func lessonStepView(t *testing.T, id string, n int) LessonStepView {
	t.Helper()
	v, err := NewLessonView(core.LessonByID(id))
	require.NoError(t, err)
	return v.Steps[n-1]
}

func TestCodePaneGolden(t *testing.T) {
	s := lessonStepView(t, "async-await", 2)
	require.NotNil(t, s.Code)
	gather := 0
	for k := 0; k < len(s.Run.Trace); k++ {
		if len(core.NewTimeline(s.Run.Scenario, s.Run.Trace).At(k).Nodes[s.Run.Scenario.NodeIndex("fetch_all")].Calls) == 3 {
			gather = k
			break
		}
	}
	require.NotZero(t, gather)
	checkGolden(t, "code-pane-async-await-2", render(t, codePane(2, s.Code, gather)))
}

func TestCodePaneMarksTheCurrentLine(t *testing.T) {
	s := lessonStepView(t, "async-await", 2)
	tl := core.NewTimeline(s.Run.Scenario, s.Run.Trace)
	fa := s.Run.Scenario.NodeIndex("fetch_all")
	checked := 0
	for k := 0; k <= tl.Len(); k++ {
		if len(tl.At(k).Nodes[fa].Calls) != 3 {
			continue
		}
		checked++
		out := render(t, codePane(2, s.Code, k))
		current := regexp.MustCompile(`<span id="code-2-line-(\d+)" class="code-line current"[^>]*aria-current="true"`).FindAllStringSubmatch(out, -1)
		require.Len(t, current, 1, "step %d: one current line", k)
		line := regexp.MustCompile(`(?s)<span id="code-2-line-` + current[0][1] + `".*?<span class="code-text">(.*?)</span></span>`).FindStringSubmatch(out)
		require.NotNil(t, line)
		assert.Contains(t, html.UnescapeString(line[1]), "await asyncio.gather(", "step %d: three calls in flight", k)
		assert.Contains(t, out, `role="status">Now at line `+current[0][1]+`: user, orders, reviews = await asyncio.gather(</p>`, "the status line says it")
	}
	assert.Greater(t, checked, 0)

	out := render(t, codePane(2, s.Code, 0))
	assert.NotContains(t, out, "code-line current")
	assert.Contains(t, out, "The run has not reached this code yet.")
}

func TestCodeStepsDataRoundTrips(t *testing.T) {
	steps := []core.CodeStep{{Step: 3, Line: 2}, {Step: 4, Line: 7}, {Step: 22, Line: 9}}
	assert.Equal(t, "3:2 4:7 22:9", CodeStepsData(steps))
	assert.Equal(t, steps, ParseCodeSteps(CodeStepsData(steps)))
	assert.Equal(t, []core.CodeStep{{Step: 4, Line: 7}}, ParseCodeSteps("x 4:7 5: :3 junk"), "what cannot be read is left out")
	assert.Nil(t, ParseCodeSteps(""))
	assert.Equal(t, 7, core.CodeLineAt(steps, 21))
	assert.Equal(t, 0, core.CodeLineAt(steps, 2))
}

// identifierNames are the node ids of every lesson's scenarios written as
// code is (snake_case or camelCase), which sentences must not capitalize.
func identifierNames(t *testing.T) []string {
	t.Helper()
	seen := map[string]bool{}
	var out []string
	for _, l := range core.Lessons() {
		runs, err := l.Run()
		require.NoError(t, err)
		for _, r := range runs {
			for _, n := range r.Scenario.Nodes {
				if n.Label == "" && strings.ContainsAny(n.ID, "_") && !seen[n.ID] {
					seen[n.ID] = true
					out = append(out, n.ID)
				}
			}
		}
	}
	return out
}

func TestNoLessonCapitalizesAnIdentifier(t *testing.T) {
	ids := identifierNames(t)
	require.Contains(t, ids, "fetch_all")
	for _, l := range core.Lessons() {
		v, err := NewLessonView(l)
		require.NoError(t, err)
		var pages []string
		pages = append(pages, render(t, LessonPage(v)))
		// Every step of every run: the narration and the log say each
		// record once.
		for _, s := range v.Steps {
			tl := core.NewTimeline(s.Run.Scenario, s.Run.Trace)
			for k := 1; k <= tl.Len() && k <= 400; k++ {
				pages = append(pages, NarrationText(tl, k))
			}
		}
		for _, p := range pages {
			for _, id := range ids {
				capital := strings.ToUpper(id[:1]) + id[1:]
				require.NotContains(t, p, capital, "lesson %s writes %s as %s", l.ID, id, capital)
			}
		}
	}
}

func TestAsyncAwaitDrawsACoroutineThatAwaits(t *testing.T) {
	for n := 1; n <= 2; n++ {
		s := lessonStepView(t, "async-await", n)
		tl := core.NewTimeline(s.Run.Scenario, s.Run.Trace)
		fa := s.Run.Scenario.NodeIndex("fetch_all")
		awaited := 0
		for k := 0; k <= tl.Len(); k++ {
			st := tl.At(k)
			out := render(t, Topology(s.Run.Scenario, st))
			node := regexp.MustCompile(`(?s)<g class="node kind-service[^"]*" data-node="fetch_all".*?</g>`).FindString(out)
			require.NotEmpty(t, node)
			assert.NotContains(t, node, "blocked", "step %d", k)
			assert.NotContains(t, node, "/8", "no pool of 8 workers, step %d", k)
			assert.NotContains(t, node, "busy", "step %d", k)
			if len(st.Nodes[fa].Calls) > 0 {
				awaited++
				assert.Contains(t, node, `class="node kind-service awaiting`, "step %d", k)
				assert.Contains(t, node, "the event loop is free", "step %d", k)
				assert.Contains(t, out, "fetch_all is suspended awaiting", "the summary, step %d", k)
			}
			if k > 0 {
				text := NarrationText(tl, k)
				if r := tl.Record(k - 1); r.Node == int32(fa) && r.Kind == core.RecSend {
					assert.Contains(t, text, "await", "step %d: %s", k, text)
					assert.Contains(t, text, "the event loop is free", "step %d", k)
					assert.NotContains(t, text, "blocked", "step %d", k)
				}
			}
			if len(st.Nodes[fa].Calls) > 0 {
				seq := render(t, Sequence(tl, k, false))
				assert.Contains(t, seq, "activation awaiting", "fetch_all's bars are awaiting ones, step %d", k)
			}
		}
		assert.Greater(t, awaited, 2)
	}
}
