package web

import (
	"strconv"
	"strings"

	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"
)

// The challenge pages: /challenges lists the built-in challenges, and
// /challenges/<id> is the sandbox with a challenge panel above the
// builder (the goal, the checks as a live checklist, the budget meter,
// hints, the solution and reset). /challenges/custom opens a teacher's
// challenge from its link (#c=1.…). The views here take plain rows, not
// the core's challenge: the server and the WASM program fill them from
// the core's challenge and verdict, and the views only draw.

// The challenge pages' paths.
const (
	ChallengesPath      = "/challenges"
	CustomChallengePath = "/challenges/custom"
	MakeChallengePath   = "/challenges/make" // the sandbox's "Make a challenge from this": its saved draft, or a #s= link
)

// ChallengeWASM is the challenge pages' program: the sandbox's editor and
// player with the challenge's checks, without the sandbox's comparison.
const ChallengeWASM = "/static/challenge.wasm"

// ChallengePath is the path of the page of the built-in challenge id.
func ChallengePath(id string) string { return ChallengesPath + "/" + id }

// PageURL is the address of the site's page at path p (as the route table
// writes it, "/challenges/spike") for a site served under base: p itself
// under "/" (the Go server), else its directory under base, with its
// slash, as a static export writes it ("/course/challenges/spike/").
func PageURL(base, p string) string {
	switch {
	case base == "" || base == "/":
		return p
	case p == "/":
		return base
	}
	return base + strings.TrimPrefix(p, "/") + "/"
}

// ChallengesTitle is the document title of the challenge index.
const ChallengesTitle = "Challenges · " + ProductName

const challengesIntro = "Each challenge asks you to build something in the sandbox: a goal, checks measured on your run " +
	"(on several seeds, so luck does not pass) and a budget. Hints and a reference solution are there when you need them."

// The challenge pages' ids.
const (
	IDChallengeIndex  = "challenge-index"  // the <ol> of challenges; each <li> has data-challenge-id
	IDChallenge       = "challenge"        // the challenge panel; data-challenge-id, data-state (pending, passed, failed)
	IDChallengeGoal   = "challenge-goal"   //
	IDChallengeChecks = "challenge-checks" // [ChallengeChecklist], inside a polite live region
	IDChallengeBudget = "challenge-budget" // [BudgetMeter]
	IDChallengeState  = "challenge-state"  // a status line: checking, passed, what fails
	IDChallengeLocks  = "challenge-locks"  // what cannot be changed
	IDChallengeHints  = "challenge-hints"  // [ChallengeHints]
	IDChallengeHint   = "challenge-hint"   // button: reveal the next hint
	IDShowSolution    = "show-solution"    // button
	IDChallengeReset  = "challenge-reset"  // button
	IDChallengeAsk    = "challenge-confirm"
	IDConfirmYes      = "confirm-yes" // inside [ChallengeConfirm]
	IDConfirmNo       = "confirm-no"  // inside [ChallengeConfirm]
	IDChallengeBar    = "challenge-progress"

	// The sandbox's "Make a challenge from this".
	IDMakeChallenge     = "make-challenge"      // the sandbox's link to /challenges/make
	IDMakeChallengeForm = "make-challenge-form" // [MakeChallengeForm], on /challenges/make
	IDMakeCreate        = "make-challenge-create"
	IDMakeLink          = "make-challenge-link" // the link, read-only
	IDMakeCopy          = "make-challenge-copy"
	IDMakeStatus        = "make-challenge-status"
	IDMakeTitle         = "make-title"
	IDMakeGoal          = "make-goal"
	IDMakeWorkers       = "make-budget-workers"
	IDMakeNodes         = "make-budget-nodes"
	IDMakeHints         = "make-hints"
	IDMakeLockWorkload  = "make-lock-workload"
	IDMakeLockFaults    = "make-lock-faults"
	IDMakeLockNodes     = "make-lock-nodes"
)

// MakeCheckID is the id of the checkbox that picks figure row i of the
// make-a-challenge form; MakeBoundID that of its bound.
func MakeCheckID(i int) string { return "make-check-" + strconv.Itoa(i) }
func MakeBoundID(i int) string { return "make-bound-" + strconv.Itoa(i) }

// ChallengeControlIDs are the challenge panel's controls, rendered
// disabled until the WASM program runs.
var ChallengeControlIDs = []string{IDChallengeHint, IDShowSolution, IDChallengeReset}

// ChallengeSummary is one challenge as the index lists it.
type ChallengeSummary struct {
	N     int // from 1, its place in rising difficulty
	ID    string
	Title string
	Goal  string // the goal in words, figures filled in
}

// ChallengeIndexPage lists the built-in challenges in rising difficulty,
// each with its goal and an empty done slot (data-done-for) that the WASM
// program fills from localStorage.
func ChallengeIndexPage(list []ChallengeSummary) g.Node {
	return pageWith(ChallengesTitle, challengesIntro, "", ChallengeWASM,
		h.H1(g.Text("Challenges")),
		h.P(h.Class("lead"), g.Text(challengesIntro)),
		h.P(g.Text("Teachers: build a scenario in the "), h.A(h.Href(SandboxPath), g.Text("sandbox")),
			g.Text(", then use “Make a challenge from this” to share your own as a link.")),
		h.Ol(h.ID(IDChallengeIndex), h.Class("lesson-index challenge-index"),
			g.Map(list, func(c ChallengeSummary) g.Node {
				return h.Li(h.Data("challenge-id", c.ID),
					h.H2(h.Class("lesson-title"), h.A(h.Href(ChallengePath(c.ID)), g.Text(c.Title))),
					h.P(h.Class("lesson-summary"), g.Text(c.Goal)),
					h.P(h.Class("lesson-meta"), h.Span(h.Class("progress"), h.Data("done-for", c.ID))),
				)
			}),
		),
		h.Div(h.Class("progress-tools"),
			h.P(h.ID(IDProgressStatus), h.Role("status")),
		),
	)
}

// CheckState is where a check stands.
type CheckState uint8

// The states of a check.
const (
	CheckPending CheckState = iota // not measured yet (the run or the check is in progress)
	CheckPassed
	CheckFailed
)

// CheckRow is one line of the checklist: what is measured, the bound it
// must meet ("at most 1,000 ms"), and the figure measured ("1,250 ms",
// the worst seed's), or "" while pending.
type CheckRow struct {
	Label    string
	Bound    string
	Measured string
	State    CheckState
	Budget   bool // a budget check: drawn in the meter, not the list
	Note     string
}

// ChallengeView is what a challenge page shows before its program runs.
type ChallengeView struct {
	ID     string // "" for a teacher's challenge (from a link)
	N      int    // from 1; 0 for a teacher's challenge
	Title  string
	Goal   string // filled in
	Checks []CheckRow
	Locks  []string // what is locked, in words
	Hints  int
	// HasSolution says whether "Show solution" has something to show.
	HasSolution bool
	Next        *ChallengeSummary // the challenge to suggest once done
	// Link is the challenge as a link's c= value: the page carries it in
	// data-challenge, so the WASM program does not embed the challenges.
	Link string
}

// ChallengePanel is the challenge above the builder: the goal, the
// checklist and the budget, the locks, and the tools.
func ChallengePanel(v ChallengeView) g.Node {
	return h.Section(h.ID(IDChallenge), h.Class("panel panel-challenge"), h.Data("challenge-id", v.ID), h.Data("state", "pending"),
		g.If(v.Link != "", h.Data("challenge", v.Link)),
		nextData(v.Next),
		h.Aria("labelledby", "heading-challenge"),
		h.H2(h.ID("heading-challenge"), g.Text("Goal")),
		h.P(h.ID(IDChallengeGoal), h.Class("challenge-goal"), g.Text(v.Goal)),
		h.Div(h.Class("challenge-results"), h.Aria("live", "polite"),
			ChallengeChecklist(v.Checks),
			BudgetMeter(v.Checks),
		),
		h.Progress(h.ID(IDChallengeBar), h.Max("1"), h.Value("0"), g.Attr("hidden"), h.Aria("label", "Checking")),
		h.P(h.ID(IDChallengeState), h.Class("challenge-state"), h.Role("status"), g.Text("Checking starts once the simulator has loaded.")),
		challengeLocks(v.Locks),
		h.Div(h.Class("challenge-tools"),
			h.Button(h.Type("button"), h.ID(IDChallengeHint), needsWASM(false), g.If(v.Hints == 0, h.Aria("disabled", "true")),
				g.Text(hintButtonText(0, v.Hints))),
			h.Button(h.Type("button"), h.ID(IDShowSolution), needsWASM(false), g.Text("Show solution")),
			h.Button(h.Type("button"), h.ID(IDChallengeReset), needsWASM(false), g.Text("Reset")),
		),
		ChallengeConfirm("", ""),
		ChallengeHints(nil),
		h.P(h.Class("challenge-links"), h.A(h.Href(ChallengesPath), g.Text("All challenges"))),
	)
}

// hintButtonText is the hint button's label once shown of n hints are out.
func hintButtonText(shown, n int) string {
	switch {
	case n == 0:
		return "No hints"
	case shown >= n:
		return "All hints shown"
	}
	return "Hint (" + strconv.Itoa(shown+1) + " of " + strconv.Itoa(n) + ")"
}

// HintButtonText is the hint button's label once shown of n hints are out.
func HintButtonText(shown, n int) string { return hintButtonText(shown, n) }

func challengeLocks(locks []string) g.Node {
	if len(locks) == 0 {
		return h.P(h.ID(IDChallengeLocks), h.Class("challenge-locks"), g.Text("Nothing is locked: change anything."))
	}
	return h.Div(h.ID(IDChallengeLocks), h.Class("challenge-locks"),
		h.P(padlockIcon, g.Text(" Locked (edits to these are refused):")),
		h.Ul(g.Map(locks, func(s string) g.Node { return h.Li(g.Text(s)) })))
}

// checkMark is a check's state as a mark and a word, so that it does not
// rest on colour alone.
func checkMark(s CheckState) (mark, word, class string) {
	switch s {
	case CheckPassed:
		return "✓", "passes", "check-pass"
	case CheckFailed:
		return "✗", "fails", "check-fail"
	}
	return "…", "checking", "check-pending"
}

// ChallengeChecklist lists the goal checks, each with its mark, what it
// measures, its bound and the figure measured.
func ChallengeChecklist(rows []CheckRow) g.Node {
	var items []g.Node
	for _, r := range rows {
		if r.Budget {
			continue
		}
		mark, word, class := checkMark(r.State)
		measured := r.Measured
		if measured == "" {
			measured = "not measured yet"
		}
		items = append(items, h.Li(h.Class("check "+class),
			h.Span(h.Class("check-mark"), h.Aria("hidden", "true"), g.Text(mark)),
			h.Span(h.Class("visually-hidden"), g.Text(word+": ")),
			h.Span(h.Class("check-label"), g.Text(r.Label)),
			g.Text(" "),
			h.Span(h.Class("check-figure"), g.Text(measured+" (must be "+r.Bound+")")),
			g.If(r.Note != "", h.Span(h.Class("check-note"), g.Text(" "+r.Note))),
		))
	}
	if len(items) == 0 {
		items = append(items, h.Li(h.Class("check"), g.Text("No checks besides the budget.")))
	}
	return h.Ul(h.ID(IDChallengeChecks), h.Class("checklist"), h.Aria("label", "Checks"), g.Group(items))
}

// BudgetMeter shows each budget check as "workers 7 / 6 — over budget".
func BudgetMeter(rows []CheckRow) g.Node {
	var items []g.Node
	for _, r := range rows {
		if !r.Budget {
			continue
		}
		mark, word, class := checkMark(r.State)
		text := r.Label + " " + or(r.Measured, "…") + " / " + r.Bound
		switch r.State {
		case CheckPassed:
			text += " — within budget"
		case CheckFailed:
			text += " — over budget"
		}
		items = append(items, h.Li(h.Class("budget "+class),
			h.Span(h.Class("check-mark"), h.Aria("hidden", "true"), g.Text(mark)),
			h.Span(h.Class("visually-hidden"), g.Text(word+": ")),
			g.Text(text)))
	}
	if len(items) == 0 {
		return h.Div(h.ID(IDChallengeBudget), h.Class("budget-meter"))
	}
	return h.Div(h.ID(IDChallengeBudget), h.Class("budget-meter"),
		h.H3(g.Text("Budget")),
		h.Ul(g.Group(items)))
}

// nextData carries the next challenge, for the message that suggests it.
func nextData(n *ChallengeSummary) g.Node {
	if n == nil {
		return nil
	}
	return g.Group{h.Data("next-id", n.ID), h.Data("next-title", n.Title)}
}

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// ChallengeHints shows the hints revealed so far.
func ChallengeHints(hints []string) g.Node {
	if len(hints) == 0 {
		return h.Div(h.ID(IDChallengeHints), h.Class("challenge-hints"), h.Aria("live", "polite"))
	}
	return h.Div(h.ID(IDChallengeHints), h.Class("challenge-hints"), h.Aria("live", "polite"),
		h.Ol(g.Map(hints, func(s string) g.Node { return h.Li(g.Text(s)) })))
}

// ChallengeConfirm asks, in the page, before the learner's work is
// replaced: question, and yes (the button that does it). Empty, it is
// an empty region.
func ChallengeConfirm(question, yes string) g.Node {
	if question == "" {
		return h.Div(h.ID(IDChallengeAsk), h.Class("challenge-confirm"), g.Attr("hidden"))
	}
	return h.Div(h.ID(IDChallengeAsk), h.Class("challenge-confirm"), h.Role("group"), h.Aria("labelledby", IDChallengeAsk+"-q"),
		h.P(h.ID(IDChallengeAsk+"-q"), g.Text(question)),
		h.Button(h.Type("button"), h.ID(IDConfirmYes), h.Class("danger"), g.Text(yes)),
		g.Text(" "),
		h.Button(h.Type("button"), h.ID(IDConfirmNo), g.Text("Cancel")),
	)
}

// ChallengeDone is what the state line says when the challenge passes,
// with the next challenge to try. The page draws it in the browser, where
// the site may live under a base path (a static export's, [PageURL]).
func ChallengeDone(next *ChallengeSummary, base string) g.Node {
	then := h.A(h.Href(PageURL(base, ChallengesPath)), g.Text("Back to all challenges"))
	if next != nil {
		then = h.A(h.Href(PageURL(base, ChallengePath(next.ID))), h.Class("next-challenge"), h.Rel("next"), g.Text("Next challenge: "+next.Title+" →"))
	}
	return g.Group{h.Strong(g.Text("Challenge complete: every check passes on every seed, within budget.")), g.Text(" "), then}
}

// ChallengePage is the sandbox with the challenge's panel; the builder
// opens the challenge's starting scenario (or the learner's saved work).
func ChallengePage(v ChallengeView, s Sandbox) g.Node {
	title := "Challenge " + strconv.Itoa(v.N) + ": " + v.Title
	if v.N == 0 {
		title = v.Title
	}
	s.Heading = title
	s.Lead = "Build it in the editor below; the checks follow every run."
	s.Panel = ChallengePanel(v)
	s.Title = title + " · " + ChallengesTitle
	return SandboxPage(s)
}

// MakeFigure is one figure the make-a-challenge form offers: its name,
// its unit and the comparison a check of it makes ("<=" when lower is
// better).
type MakeFigure struct {
	Name, Unit, Op string
}

// MakeChallengeForm is the form that turns the sandbox's current run into
// a challenge: checks picked from the figures (the WASM program fills each
// bound in from the run when it shows the form), locks, a budget, a title,
// a goal and hints. It is hidden until then.
func MakeChallengeForm(figs []MakeFigure) g.Node {
	opWord := map[string]string{"<=": "at most", ">=": "at least", "==": "exactly"}
	field := func(id, label string, control g.Node) g.Node {
		return h.Div(h.Class("field"), h.Label(h.For(id), g.Text(label)), control)
	}
	return h.Div(h.ID(IDMakeChallengeForm), h.Class("make-challenge"),
		h.FieldSet(h.Legend(g.Text("Checks: pick figures; each bound starts at this run's figure")),
			h.Ul(h.Class("make-checks"), g.Map(indexes(len(figs)), func(i int) g.Node {
				f := figs[i]
				return h.Li(
					h.Input(h.Type("checkbox"), h.ID(MakeCheckID(i)), h.Data("figure", f.Name), h.Data("op", f.Op)),
					h.Label(h.For(MakeCheckID(i)), g.Text(" "+f.Name+" "+opWord[f.Op])),
					g.Text(" "),
					h.Input(h.Type("text"), h.ID(MakeBoundID(i)), g.Attr("inputmode", "decimal"), h.Class("bound"),
						h.Aria("label", "Bound for "+f.Name+", in "+f.Unit), h.AutoComplete("off")),
					g.Text(" "+f.Unit),
				)
			})),
		),
		h.FieldSet(h.Legend(g.Text("Locks")),
			h.Div(h.Input(h.Type("checkbox"), h.ID(IDMakeLockWorkload), h.Checked()), h.Label(h.For(IDMakeLockWorkload), g.Text(" the workload (every client)"))),
			h.Div(h.Input(h.Type("checkbox"), h.ID(IDMakeLockFaults), h.Checked()), h.Label(h.For(IDMakeLockFaults), g.Text(" the fault schedule"))),
			field(IDMakeLockNodes, "Nodes to lock (their ids, separated by spaces)", h.Input(h.Type("text"), h.ID(IDMakeLockNodes), h.AutoComplete("off"), g.Attr("spellcheck", "false"))),
		),
		h.FieldSet(h.Legend(g.Text("Budget (empty: no limit)")),
			field(IDMakeWorkers, "Most workers in all", h.Input(h.Type("text"), h.ID(IDMakeWorkers), g.Attr("inputmode", "numeric"), h.AutoComplete("off"))),
			field(IDMakeNodes, "Most nodes", h.Input(h.Type("text"), h.ID(IDMakeNodes), g.Attr("inputmode", "numeric"), h.AutoComplete("off"))),
		),
		field(IDMakeTitle, "Title", h.Input(h.Type("text"), h.ID(IDMakeTitle), h.AutoComplete("off"))),
		field(IDMakeGoal, "Goal, in words", h.Textarea(h.ID(IDMakeGoal), h.Rows("2"))),
		field(IDMakeHints, "Hints, one per line", h.Textarea(h.ID(IDMakeHints), h.Rows("3"))),
		h.Button(h.Type("button"), h.ID(IDMakeCreate), g.Text("Make the link")),
		h.Div(h.Class("connect-row"),
			h.Label(h.For(IDMakeLink), g.Text("Link ")),
			h.Input(h.Type("text"), h.ID(IDMakeLink), h.ReadOnly(), h.AutoComplete("off")),
			h.Button(h.Type("button"), h.ID(IDMakeCopy), g.Text("Copy")),
		),
		h.P(h.ID(IDMakeStatus), h.Role("status")),
	)
}

// makeChallengeSection is the sandbox's "Make a challenge from this": it
// opens /challenges/make on the sandbox's scenario.
func makeChallengeSection() g.Node {
	return h.Section(h.Class("panel panel-make"), h.Aria("labelledby", "heading-make"),
		h.H2(h.ID("heading-make"), g.Text("Make a challenge from this")),
		h.P(h.Class("hint"), g.Text("Turn this scenario into a challenge for others: pick checks from its run's figures, what to lock, a budget and hints, and share the link.")),
		h.A(h.ID(IDMakeChallenge), h.Class("action"), h.Href(MakeChallengePath), g.Text("Make a challenge from this")),
	)
}

// MakeChallengePage is the sandbox's scenario (from the URL) in the editor
// and the player, with the form that makes a challenge of it.
func MakeChallengePage(figs []MakeFigure, s Sandbox) g.Node {
	s.Title = "Make a challenge · " + ChallengesTitle
	s.Heading = "Make a challenge"
	s.Lead = "The scenario from the sandbox, still editable: the form takes its bounds from each run."
	s.Panel = h.Section(h.Class("panel panel-challenge"), h.Aria("labelledby", "heading-make"),
		h.H2(h.ID("heading-make"), g.Text("The challenge")),
		MakeChallengeForm(figs))
	return SandboxPage(s)
}

// ParseChallengeProgress reads the challenges done, as the pages keep
// them in localStorage: ids separated by spaces. Anything that is not an
// id of known is dropped, so a damaged value costs nothing.
func ParseChallengeProgress(s string, known []string) map[string]bool {
	done := map[string]bool{}
	if len(s) > 4096 {
		return done
	}
	for _, id := range strings.Fields(s) {
		for _, k := range known {
			if id == k {
				done[id] = true
			}
		}
	}
	return done
}

// FormatChallengeProgress writes done as ParseChallengeProgress reads it,
// in the order of known.
func FormatChallengeProgress(done map[string]bool, known []string) string {
	var ids []string
	for _, k := range known {
		if done[k] {
			ids = append(ids, k)
		}
	}
	return strings.Join(ids, " ")
}
