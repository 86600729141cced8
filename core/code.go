package core

import (
	"strings"

	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// Code beside the run, the way Python Tutor shows it: a lesson step may
// show the code its scenario stands for, and as the player steps through
// the run the line the run has reached is highlighted. Which record moves
// the highlight to which line is data (CodeMark), resolved against the
// step's run into the player steps at which the line changes (CodeView),
// so the page carries the answer and the browser only looks it up.

// CodePane is source code shown beside a step's run.
type CodePane struct {
	// Title names the code ("The seed's async version").
	Title string
	// Source is the code, one statement a line. It may hold {{figures}}
	// from the run (see LessonFigures); {{?name}} is a figure that the
	// step's question asks for, shown only once it is answered.
	Source string
	// Note follows the code: what to watch, and where the code differs
	// from what the simulator models. It may hold {{figures}}.
	Note string
	// Follow, if set, picks the request whose records the marks count:
	// that of the record it picks. Nil counts every record.
	Follow *RecordPick
	// Marks say which records move the highlight to which line.
	Marks []CodeMark
}

// RecordPick picks the Nth record (from 1) of Kind at Node ("" for any),
// with Reason if it is not ReasonNone.
type RecordPick struct {
	Kind   RecordKind
	Node   string
	Nth    int
	Reason Reason
}

// CodeMark moves the highlight to Line (from 1) when a record of Kind at
// Node happens: the Nth such record (from 1), or every one with Nth 0.
// With a Follow, only the followed request's records count, unless
// AnyRequest (for records of no request, such as a crash).
type CodeMark struct {
	Kind       RecordKind
	Node       string
	Nth        int
	Line       int
	AnyRequest bool
}

// CodeView is a CodePane resolved against a run.
type CodeView struct {
	Title string
	Lines []CodeLine
	Note  string
	// Follow is the request the highlight follows, -1 for none.
	Follow int32
	// Hash is the digest of the run the steps are for (LessonRun.Hash).
	Hash string
	// Steps are the player steps at which the current line changes, in
	// order: from Steps[i].Step on, Steps[i].Line is current (0: none).
	Steps []CodeStep
}

// CodeLine is one line of code. Answer, if not empty, is a figure the
// step's question asks for: it goes between Before and After once the
// question is answered, and a "?" stands for it until then.
type CodeLine struct {
	Before, Answer, After string
}

// Text is the line as it reads once everything is shown.
func (l CodeLine) Text() string { return l.Before + l.Answer + l.After }

// CodeStep says that from player step Step on, line Line is current.
type CodeStep struct {
	Step, Line int
}

// LineAt returns the line current at player step (records applied), or 0.
func (v *CodeView) LineAt(step int) int {
	return CodeLineAt(v.Steps, step)
}

// CodeLineAt returns the line current at player step in steps, or 0.
func CodeLineAt(steps []CodeStep, step int) int {
	line := 0
	for _, s := range steps {
		if s.Step > step {
			break
		}
		line = s.Line
	}
	return line
}

// Resolve fills the pane's figures from run and finds the player steps at
// which each mark moves the highlight. It fails if a figure is unknown, a
// mark points outside the code, the followed request cannot be found, or
// a mark matches no record of the run: a mark that never fires is a
// mistake in the lesson, not something to show.
func (c *CodePane) Resolve(run *LessonRun) (*CodeView, error) {
	v := &CodeView{Title: c.Title, Follow: -1, Hash: run.Hash}
	if c.Follow != nil {
		r, ok := c.Follow.find(run)
		if !ok || r.Req < 0 {
			return nil, fmtlite.Errorf("code %q: no request to follow: no %s record %d at %q", c.Title, c.Follow.Kind, c.Follow.Nth, c.Follow.Node)
		}
		v.Follow = r.Req
	}
	// {{code.follow}} is the request followed.
	note, err := FillFigures(strings.ReplaceAll(c.Note, "{{code.follow}}", itoa(int64(v.Follow))), run)
	if err != nil {
		return nil, fmtlite.Errorf("code %q, note: %w", c.Title, err)
	}
	v.Note = note
	for i, text := range strings.Split(c.Source, "\n") {
		var line CodeLine
		before, rest, masked := strings.Cut(text, "{{?")
		if masked {
			name, after, _ := strings.Cut(rest, "}}")
			figure, ok := LessonFigures(run)[name]
			if !ok {
				return nil, fmtlite.Errorf("code %q, line %d: unknown figure %s", c.Title, i+1, name)
			}
			line.Answer, text = figure, after
		}
		if line.After, err = FillFigures(text, run); err == nil && masked {
			line.Before, err = FillFigures(before, run)
		} else if !masked {
			line.Before, line.After = line.After, ""
		}
		if err != nil {
			return nil, fmtlite.Errorf("code %q, line %d: %w", c.Title, i+1, err)
		}
		v.Lines = append(v.Lines, line)
	}
	nodes := make([]int32, len(c.Marks))
	for i, m := range c.Marks {
		if m.Line < 1 || m.Line > len(v.Lines) {
			return nil, fmtlite.Errorf("code %q, mark %d: line %d is not in the code's %d lines", c.Title, i, m.Line, len(v.Lines))
		}
		nodes[i] = nodeFilter(run.Scenario, m.Node)
	}
	seen := make([]int, len(c.Marks))
	fired := make([]bool, len(c.Marks))
	line := 0
	for i := range run.Trace {
		r := &run.Trace[i]
		hit := 0
		for j, m := range c.Marks {
			if r.Kind != m.Kind || nodes[j] >= 0 && r.Node != nodes[j] ||
				v.Follow >= 0 && !m.AnyRequest && r.Req != v.Follow {
				continue
			}
			seen[j]++
			if m.Nth == 0 || seen[j] == m.Nth {
				fired[j] = true
				if hit == 0 {
					hit = m.Line // the first mark in the list wins
				}
			}
		}
		if hit != 0 && hit != line {
			line = hit
			v.Steps = append(v.Steps, CodeStep{Step: i + 1, Line: line})
		}
	}
	for j, ok := range fired {
		if !ok {
			return nil, fmtlite.Errorf("code %q, mark %d (%s at %q, #%d): no record of the run matches", c.Title, j, c.Marks[j].Kind, c.Marks[j].Node, c.Marks[j].Nth)
		}
	}
	return v, nil
}

// find returns the record p picks in run.
func (p *RecordPick) find(run *LessonRun) (Record, bool) {
	node, seen := nodeFilter(run.Scenario, p.Node), 0
	for _, r := range run.Trace {
		if r.Kind != p.Kind || node >= 0 && r.Node != node || p.Reason != ReasonNone && r.Reason != p.Reason {
			continue
		}
		seen++
		if seen == max(p.Nth, 1) {
			return r, true
		}
	}
	return Record{}, false
}

// nodeFilter is the index of node id in sc, -1 for "" (any node), and
// len(sc.Nodes) (no node) for an id sc does not have.
func nodeFilter(sc *Scenario, id string) int32 {
	if id == "" {
		return -1
	}
	if i := sc.NodeIndex(id); i >= 0 {
		return int32(i)
	}
	return int32(len(sc.Nodes))
}
