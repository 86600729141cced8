package core

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// progressCases are saved progress values a browser might hand back, with
// exactly what ParseProgress keeps and drops. FuzzParseProgress seeds from
// them.
var progressCases = []struct {
	desc    string
	input   string
	want    LearnerProgress
	dropped []string
}{
	{
		desc:  "keeps what the page writes",
		input: `{"blocked":{"steps":2,"done":{"1":true,"2":true}},"outbox":{"steps":3,"done":{"1":true}}}`,
		want: LearnerProgress{
			"blocked": {Steps: 2, Done: map[int]bool{1: true, 2: true}},
			"outbox":  {Steps: 3, Done: map[int]bool{1: true}},
		},
	},
	{
		desc:  "keeps an empty object as no progress",
		input: ` {} `,
		want:  LearnerProgress{},
	},
	{
		desc:  "keeps a lesson without done, with an empty done",
		input: `{"comparison":{"steps":2}}`,
		want:  LearnerProgress{"comparison": {Steps: 2, Done: map[int]bool{}}},
	},
	{
		desc:  "reads a null done as none done",
		input: `{"comparison":{"steps":2,"done":null}}`,
		want:  LearnerProgress{"comparison": {Steps: 2, Done: map[int]bool{}}},
	},
	{
		desc:  "leaves out steps marked false and ignores unknown fields",
		input: `{"a":{"steps":3,"done":{"1":false,"2":true},"seen":"yesterday"}}`,
		want:  LearnerProgress{"a": {Steps: 3, Done: map[int]bool{2: true}}},
	},
	{
		desc:  "tolerates white space",
		input: "{\n \"a\" : { \"steps\" : 1 , \"done\" : { \"1\" : true } }\n}",
		want:  LearnerProgress{"a": {Steps: 1, Done: map[int]bool{1: true}}},
	},
	{
		desc:    "drops a number beside a good lesson and keeps the good one",
		input:   `{"a":5,"b":{"steps":3,"done":{"1":true}}}`,
		want:    LearnerProgress{"b": {Steps: 3, Done: map[int]bool{1: true}}},
		dropped: []string{"lesson a: not a JSON object"},
	},
	{
		desc:    "drops an array",
		input:   `[1,2]`,
		want:    LearnerProgress{},
		dropped: []string{"saved progress: not a JSON object; nothing kept"},
	},
	{
		desc:    "drops a string",
		input:   `"x"`,
		want:    LearnerProgress{},
		dropped: []string{"saved progress: not a JSON object; nothing kept"},
	},
	{
		desc:    "drops null",
		input:   `null`,
		want:    LearnerProgress{},
		dropped: []string{"saved progress: not a JSON object; nothing kept"},
	},
	{
		desc:    "drops an empty value",
		input:   ``,
		want:    LearnerProgress{},
		dropped: []string{"saved progress: not a JSON object; nothing kept"},
	},
	{
		desc:    "drops a cut-off object whole",
		input:   `{"a":{"steps":2}`,
		want:    LearnerProgress{},
		dropped: []string{"saved progress: not valid JSON (unexpected end of JSON input); nothing kept"},
	},
	{
		desc:    "drops negative steps",
		input:   `{"x":{"steps":-1}}`,
		want:    LearnerProgress{},
		dropped: []string{`lesson x: "steps" must be a whole number from 1 to 1000, not -1`},
	},
	{
		desc:  "drops zero, fractional, quoted, huge and missing steps, each on its own",
		input: `{"a":{"steps":0},"b":{"steps":2.5},"c":{"steps":"3"},"d":{"steps":1001},"e":{"done":{}},"f":{"steps":99999999999999999999},"ok":{"steps":1000}}`,
		want:  LearnerProgress{"ok": {Steps: 1000, Done: map[int]bool{}}},
		dropped: []string{
			`lesson a: "steps" must be a whole number from 1 to 1000, not 0`,
			`lesson b: "steps" must be a whole number from 1 to 1000, not 2.5`,
			`lesson c: "steps" must be a whole number from 1 to 1000, not "3"`,
			`lesson d: "steps" must be a whole number from 1 to 1000, not 1001`,
			`lesson e: "steps" is missing`,
			`lesson f: "steps" must be a whole number from 1 to 1000, not 99999999999999999999`,
		},
	},
	{
		desc:    "drops a done key that is not a number",
		input:   `{"a":{"steps":2,"done":{"abc":true}},"b":{"steps":1,"done":{"1":true}}}`,
		want:    LearnerProgress{"b": {Steps: 1, Done: map[int]bool{1: true}}},
		dropped: []string{`lesson a: "done" key "abc" must be a step number from 1 to 2`},
	},
	{
		desc:    "drops a done key past the lesson's steps",
		input:   `{"a":{"steps":3,"done":{"1":true,"99":true}}}`,
		want:    LearnerProgress{},
		dropped: []string{`lesson a: "done" key "99" must be a step number from 1 to 3`},
	},
	{
		desc:  "drops done keys 0, -1 and 01",
		input: `{"a":{"steps":3,"done":{"0":true}},"b":{"steps":3,"done":{"-1":true}},"c":{"steps":3,"done":{"01":true}}}`,
		want:  LearnerProgress{},
		dropped: []string{
			`lesson a: "done" key "0" must be a step number from 1 to 3`,
			`lesson b: "done" key "-1" must be a step number from 1 to 3`,
			`lesson c: "done" key "01" must be a step number from 1 to 3`,
		},
	},
	{
		desc:  "drops done values that are not booleans, and a done that is not an object",
		input: `{"a":{"steps":2,"done":{"1":1}},"b":{"steps":2,"done":{"1":null}},"c":{"steps":2,"done":[1]},"d":{"steps":2,"done":true}}`,
		want:  LearnerProgress{},
		dropped: []string{
			`lesson a: "done" step 1 must be true or false, not 1`,
			`lesson b: "done" step 1 must be true or false, not null`,
			`lesson c: "done" must be an object of step numbers, not [1]`,
			`lesson d: "done" must be an object of step numbers, not true`,
		},
	},
	{
		desc:  "drops lessons whose ids do not look like lesson ids",
		input: `{"":{"steps":1},"Blocked":{"steps":1},"a b":{"steps":1},"ünï":{"steps":1},"` + strings.Repeat("x", 65) + `":{"steps":1},"` + strings.Repeat("y", 64) + `":{"steps":1}}`,
		want:  LearnerProgress{strings.Repeat("y", 64): {Steps: 1, Done: map[int]bool{}}},
		dropped: []string{
			`lesson "": not a lesson id (1 to 64 of a-z, 0-9 and -)`,
			`lesson "Blocked": not a lesson id (1 to 64 of a-z, 0-9 and -)`,
			`lesson "a b": not a lesson id (1 to 64 of a-z, 0-9 and -)`,
			`lesson "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…": not a lesson id (1 to 64 of a-z, 0-9 and -)`,
			`lesson "ünï": not a lesson id (1 to 64 of a-z, 0-9 and -)`,
		},
	},
	{
		desc:  "drops lessons that are strings, arrays, null or booleans",
		input: `{"a":"x","b":[1,2],"c":null,"d":true,"e":{"steps":1}}`,
		want:  LearnerProgress{"e": {Steps: 1, Done: map[int]bool{}}},
		dropped: []string{
			"lesson a: not a JSON object",
			"lesson b: not a JSON object",
			"lesson c: not a JSON object",
			"lesson d: not a JSON object",
		},
	},
	{
		desc:  "keeps an input of exactly 64 KB",
		input: paddedProgress(MaxProgressBytes),
		want:  LearnerProgress{"a": {Steps: 1, Done: map[int]bool{}}},
	},
	{
		desc:    "drops an input over 64 KB whole",
		input:   paddedProgress(MaxProgressBytes + 1),
		want:    LearnerProgress{},
		dropped: []string{"saved progress: 65537 bytes is over the limit of 65536; nothing kept"},
	},
}

// paddedProgress is {"a":{"steps":1,"pad":"   …"}}, n bytes long.
func paddedProgress(n int) string {
	const head, tail = `{"a":{"steps":1,"pad":"`, `"}}`
	return head + strings.Repeat(" ", n-len(head)-len(tail)) + tail
}

func TestParseProgress(t *testing.T) {
	for _, c := range progressCases {
		t.Run(c.desc, func(t *testing.T) {
			got, dropped := ParseProgress([]byte(c.input))
			require.NotNil(t, got, "the progress is never nil")
			assert.Equal(t, c.want, got)
			assert.Equal(t, c.dropped, dropped)
			for id, lp := range got {
				assert.NotNil(t, lp.Done, "lesson %s: Done is never nil", id)
			}
		})
	}

	t.Run("round trips what it keeps in the page's format", func(t *testing.T) {
		in := `{"blocked":{"steps":2,"done":{"1":true,"2":true}},"outbox":{"steps":3,"done":{"1":true}}}`
		p, dropped := ParseProgress([]byte(in))
		require.Empty(t, dropped)
		out, err := p.Marshal()
		require.NoError(t, err)
		assert.Equal(t, in, string(out))
	})
}

func TestLearnerProgressMarkDone(t *testing.T) {
	t.Run("works on the zero value", func(t *testing.T) {
		var p LearnerProgress
		require.NoError(t, p.MarkDone("comparison", 1, 2))
		assert.Equal(t, LearnerProgress{"comparison": {Steps: 2, Done: map[int]bool{1: true}}}, p)
	})

	t.Run("marks a lesson parsed without done", func(t *testing.T) {
		p, _ := ParseProgress([]byte(`{"comparison":{"steps":2}}`))
		require.NoError(t, p.MarkDone("comparison", 2, 2))
		out, err := p.Marshal()
		require.NoError(t, err)
		assert.Equal(t, `{"comparison":{"steps":2,"done":{"2":true}}}`, string(out))
	})

	t.Run("keeps the other lessons and the lesson's other steps", func(t *testing.T) {
		p, dropped := ParseProgress([]byte(`{"a":5,"b":{"steps":3,"done":{"1":true}},"c":{"steps":2,"done":{"2":true}}}`))
		require.Len(t, dropped, 1)
		require.NoError(t, p.MarkDone("c", 1, 2))
		out, err := p.Marshal()
		require.NoError(t, err)
		assert.Equal(t, `{"b":{"steps":3,"done":{"1":true}},"c":{"steps":2,"done":{"1":true,"2":true}}}`, string(out))
	})

	t.Run("drops marks past the end of a lesson that got shorter", func(t *testing.T) {
		p := LearnerProgress{"a": {Steps: 5, Done: map[int]bool{1: true, 4: true, 5: true}}}
		require.NoError(t, p.MarkDone("a", 2, 3))
		assert.Equal(t, LearnerProgress{"a": {Steps: 3, Done: map[int]bool{1: true, 2: true}}}, p)
		out, err := p.Marshal()
		require.NoError(t, err)
		back, dropped := ParseProgress(out)
		assert.Empty(t, dropped)
		assert.Equal(t, p, back)
	})

	t.Run("refuses what ParseProgress would drop, naming the field", func(t *testing.T) {
		for _, c := range []struct {
			lesson      string
			step, steps int
			err         string
		}{
			{"Bad Id", 1, 1, `lesson: "Bad Id" is not a lesson id`},
			{"a", 1, 0, "steps: 0 is not from 1 to 1000"},
			{"a", 1, 1001, "steps: 1001 is not from 1 to 1000"},
			{"a", 0, 2, "step: 0 is not from 1 to 2"},
			{"a", 3, 2, "step: 3 is not from 1 to 2"},
		} {
			var p LearnerProgress
			assert.ErrorContains(t, p.MarkDone(c.lesson, c.step, c.steps), c.err)
			assert.Empty(t, p, "a refused mark changes nothing")
		}
	})
}

func TestLearnerProgressMarshal(t *testing.T) {
	t.Run("writes an empty object for no progress", func(t *testing.T) {
		for _, p := range []LearnerProgress{nil, {}} {
			out, err := p.Marshal()
			require.NoError(t, err)
			assert.Equal(t, `{}`, string(out))
		}
	})

	t.Run("refuses to write more than ParseProgress reads", func(t *testing.T) {
		p := LearnerProgress{}
		// Each lesson writes `"lesson-00000000":{"steps":1,"done":{"1":true}},`: 45 bytes.
		for i := 0; len(p)*45 <= MaxProgressBytes; i++ {
			require.NoError(t, p.MarkDone(fmt.Sprintf("lesson-%08d", i), 1, 1))
		}
		_, err := p.Marshal()
		assert.ErrorContains(t, err, "over the limit of 65536")
	})
}

// FuzzParseProgress checks that ParseProgress never panics and that what it
// keeps is stable: written back and read again, it is the same, with
// nothing dropped.
func FuzzParseProgress(f *testing.F) {
	for _, c := range progressCases {
		f.Add([]byte(c.input))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, _ := ParseProgress(data)
		require.NotNil(t, p)
		out, err := p.Marshal()
		require.NoError(t, err, "what ParseProgress keeps can be written back")
		back, dropped := ParseProgress(out)
		require.Empty(t, dropped, "written back: %s", out)
		require.Equal(t, p, back, "written back: %s", out)
	})
}
