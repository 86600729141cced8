package web

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/sync-vs-async/playground/core"
)

func TestKnobControlsGolden(t *testing.T) {
	// One knob of each kind, as the lessons define them.
	var out strings.Builder
	kinds := map[core.KnobKind]bool{}
	for _, l := range core.Lessons() {
		for i, step := range l.Steps {
			for _, k := range step.Knobs {
				if !kinds[k.Kind] {
					kinds[k.Kind] = true
					out.WriteString(render(t, knobControl(i+1, k)) + "\n")
				}
			}
		}
	}
	require.Len(t, kinds, 3, "a switch, a slider and a button")
	checkGolden(t, "knob-controls", out.String())
}

func TestKnobPanels(t *testing.T) {
	stepRE := regexp.MustCompile(`(?s)<section id="lesson-step-(\d+)"[^>]*>.*?</section>`)
	tplRE := regexp.MustCompile(`(?s)(<template class="knob-variant"[^>]*>)(.*?)</template>`)
	for _, l := range core.Lessons() {
		v, err := NewLessonView(l)
		require.NoError(t, err)
		out := render(t, LessonPage(v))
		sections := stepRE.FindAllStringSubmatch(out, -1)
		for i := range l.Steps {
			step := &l.Steps[i]
			body := sections[i][0]
			if len(step.Knobs) == 0 {
				assert.NotContains(t, body, "knob", "%s step %d has no knobs", l.ID, i+1)
				continue
			}
			t.Run(l.ID+"/"+step.Title, func(t *testing.T) {
				n := i + 1
				assert.Contains(t, body, `<div class="knobs" role="group" aria-label="Change the scenario">`)
				assert.Contains(t, body, `<p class="knob-status" id="`+KnobStatusID(n)+`" role="status" aria-live="polite"></p>`)
				for _, k := range step.Knobs {
					id := KnobID(n, k.ID)
					tag := regexp.MustCompile(`<(input|button) [^>]*id="` + id + `"[^>]*>`).FindString(body)
					require.NotEmpty(t, tag, "knob %s has a control", k.ID)
					a := attrs(tag)
					assert.Equal(t, KnobHelpID(n, k.ID), a["aria-describedby"], "knob %s is described by its help", k.ID)
					assert.Contains(t, body, `<p class="knob-help" id="`+KnobHelpID(n, k.ID)+`">`+html.EscapeString(k.Help)+`</p>`)
					assert.Contains(t, a, "disabled")
					assert.Contains(t, a, RequiresWASM)
					switch k.Kind {
					case core.KnobSlider:
						assert.Contains(t, body, `<label for="`+id+`">`+html.EscapeString(k.Label)+`</label>`)
						assert.Equal(t, "range", a["type"])
						assert.Equal(t, formatNumber(k.Default), a["value"], "the slider starts at the default")
						assert.Equal(t, KnobValueText(formatNumber(k.Default), k.Unit), a["aria-valuetext"])
					case core.KnobSwitch:
						assert.Contains(t, body, `<label for="`+id+`">`+html.EscapeString(k.Label)+`</label>`)
						assert.Equal(t, "switch", a["role"])
						_, checked := a["checked"]
						assert.Equal(t, k.Default == 1, checked, "the switch starts at the default")
					case core.KnobButton:
						assert.Contains(t, body, html.EscapeString(k.Label)+`</button>`)
						assert.Equal(t, strconv.FormatBool(k.Default == 1), a["aria-pressed"])
					}
				}

				// One template per position, each what the step shows
				// when run there.
				sectionTag := attrs(regexp.MustCompile(`^<section[^>]*>`).FindString(body))
				tpls := tplRE.FindAllStringSubmatch(body, -1)
				states := step.KnobStates()
				require.Len(t, tpls, len(states))
				for j, st := range states {
					tpl := attrs(tpls[j][1])
					key := core.KnobKey(step.Knobs, st)
					require.Equal(t, key, tpl["data-knobs"])
					moved, err := l.WithKnobs(i, st)
					require.NoError(t, err)
					runs, err := moved.Run()
					require.NoError(t, err)
					run := runs[i]
					want, err := core.EncodeShareLink(run.Scenario)
					require.NoError(t, err)
					assert.Equal(t, want, tpl["data-scenario"], "%s: the scenario", key)
					assert.Equal(t, strconv.Itoa(moved.Steps[i].StopStep(run)), tpl["data-stop"], "%s: the stop", key)
					text, err := core.FillFigures(step.Text, run)
					require.NoError(t, err)
					assert.Contains(t, tpls[j][2], `<p class="lesson-text">`+html.EscapeString(text)+`</p>`, "%s: the text, filled from its run", key)
					if c := step.Checkpoint; c != nil {
						run.Lesson = runs
						assert.Equal(t, formatNumber(c.Answer(run)), tpl["data-answer"], "%s: the answer", key)
						explain, err := core.FillFigures(c.Explain, run)
						require.NoError(t, err)
						assert.Contains(t, tpls[j][2], html.EscapeString(explain), "%s: the explanation", key)
					}
					if j == 0 {
						assert.Equal(t, sectionTag["data-scenario"], tpl["data-scenario"], "the step starts at the default position")
						assert.Contains(t, body, `<p class="lesson-text">`+html.EscapeString(text)+`</p>`)
					}
				}
				// Moving a knob changes the step: the default's text is not
				// the target's.
				assert.NotEqual(t, tpls[0][2], tplByKey(tpls, core.KnobKey(step.Knobs, step.TargetKnobs())))
			})
		}
	}
}

// tplByKey returns the content of the template for key.
func tplByKey(tpls [][]string, key string) string {
	for _, tpl := range tpls {
		if attrs(tpl[1])["data-knobs"] == key {
			return tpl[2]
		}
	}
	return ""
}
