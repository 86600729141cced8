package web

import (
	"strconv"
	"strings"

	"github.com/sync-vs-async/playground/core"
	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"
)

// A lesson step's code pane (core.CodePane): the code, with the line the
// run has reached marked as current, in more than colour (an arrow in the
// gutter, a border, bold) and for screen readers (aria-current on the line,
// and a status line that says it). The pane carries, in data-code-steps,
// the player steps at which the current line changes, so the WASM program
// only looks the step up and moves the mark.

// CodePaneID is the id of step n's code pane; CodeLineID that of its line
// (from 1); CodeNowID that of its status line.
func CodePaneID(n int) string             { return "code-" + strconv.Itoa(n) }
func CodeLineID(n, line int) string       { return CodePaneID(n) + "-line-" + strconv.Itoa(line) }
func CodeNowID(n int) string              { return CodePaneID(n) + "-now" }
func codeTitleID(n int) string            { return CodePaneID(n) + "-title" }
func codeLineText(l core.CodeLine) string { return l.Before + cond(l.Answer != "", "?", "") + l.After }

// CodeStepsData writes steps as data-code-steps holds them: "step:line"
// pairs separated by spaces.
func CodeStepsData(steps []core.CodeStep) string {
	var b strings.Builder
	for i, s := range steps {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(s.Step) + ":" + strconv.Itoa(s.Line))
	}
	return b.String()
}

// ParseCodeSteps reads data-code-steps; what it cannot read it leaves out.
func ParseCodeSteps(s string) []core.CodeStep {
	var out []core.CodeStep
	for _, f := range strings.Fields(s) {
		a, b, ok := strings.Cut(f, ":")
		step, err1 := strconv.Atoi(a)
		line, err2 := strconv.Atoi(b)
		if ok && err1 == nil && err2 == nil {
			out = append(out, core.CodeStep{Step: step, Line: line})
		}
	}
	return out
}

// CodeOtherRun is what the status line says when the player shows another
// run than the one the pane's lines were found in (a step's control
// changed it): no line is marked rather than a wrong one.
const CodeOtherRun = "This run differs from the one the code is marked for: no line is marked."

// CodeNowText is what the status line says at line (from 1) of a pane
// whose line reads text: "" before the run reaches the code.
func CodeNowText(line int, text string) string {
	if line < 1 {
		return "The run has not reached this code yet."
	}
	return "Now at line " + strconv.Itoa(line) + ": " + strings.Join(strings.Fields(text), " ")
}

// codePane draws step n's code with the line current at player step.
func codePane(n int, v *core.CodeView, step int) g.Node {
	if v == nil {
		return nil
	}
	current := v.LineAt(step)
	// Each line is a block (style.css): no newline between them, which
	// <pre> would draw as a blank line; copying still gives one a line.
	lines := make([]g.Node, 0, len(v.Lines))
	now := CodeNowText(0, "")
	for i, l := range v.Lines {
		line := i + 1
		say := codeLineText(l)
		if line == current {
			now = CodeNowText(line, say)
		}
		var text g.Node = g.Text(l.Before + l.After)
		if l.Answer != "" {
			// The figure the step's question asks for: "?" until the
			// question is answered (style.css shows it then).
			text = g.Group{g.Text(l.Before), h.Span(h.Class("code-answer"), g.Text(l.Answer)),
				h.Span(h.Class("code-unknown"), g.Text("?")), g.Text(l.After)}
		}
		lines = append(lines, h.Span(h.ID(CodeLineID(n, line)), h.Class("code-line"+cond(line == current, " current", "")),
			h.Data("line", strconv.Itoa(line)), h.Data("say", say),
			g.If(line == current, h.Aria("current", "true")),
			h.Span(h.Class("code-gutter"), h.Aria("hidden", "true"),
				h.Span(h.Class("code-arrow"), g.Text("▶")), g.Text(strconv.Itoa(line))),
			h.Span(h.Class("code-text"), text),
		))
	}
	return h.Figure(h.ID(CodePaneID(n)), h.Class("code-pane"), h.Aria("labelledby", codeTitleID(n)),
		h.Data("code-steps", CodeStepsData(v.Steps)), h.Data("current", strconv.Itoa(current)),
		h.Data("trace-hash", v.Hash),
		h.FigCaption(h.ID(codeTitleID(n)), h.Class("code-title"), g.Text(v.Title)),
		h.Pre(h.Class("code"), h.TabIndex("0"), h.Role("region"), h.Aria("label", v.Title+" (code; scrolls sideways)"),
			h.Code(g.Group(lines))),
		h.P(h.ID(CodeNowID(n)), h.Class("code-now"), h.Role("status"), g.Text(now)),
		g.If(v.Note != "", h.P(h.Class("code-note"), g.Text(v.Note))),
	)
}

// CodeLineAt returns the line current at player step in a pane whose
// data-code-steps is data: 0 for none.
func CodeLineAt(data string, step int) int {
	return core.CodeLineAt(ParseCodeSteps(data), step)
}
