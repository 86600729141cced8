package core

import (
	"bytes"
	"slices"

	"github.com/sync-vs-async/playground/core/internal/jsonlite"
	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// Locks in use. The editing operations are the scenario's own (AddNode,
// Connect, SetField, ...); a page that edits a challenge's scenario runs
// each through Challenge.Edit (or checks the result with CheckEdit), which
// refuses an edit that changes a locked part, naming it. Evaluate compares
// the locked parts of a submission with the start, so a pasted or
// imported scenario cannot dodge a lock either.

// Edit applies change to a copy of sc and returns the copy, or the
// change's error, or, if the change touched a part of the scenario the
// challenge locks, Errors naming that part ("nodes[0].workload: is
// locked: ..."). A nil challenge locks nothing.
func (ch *Challenge) Edit(sc *Scenario, change func(*Scenario) error) (*Scenario, error) {
	next := sc.Clone()
	if err := change(next); err != nil {
		return nil, err
	}
	if err := ch.CheckEdit(sc, next); err != nil {
		return nil, err
	}
	return next, nil
}

// CheckEdit returns Errors naming each locked part that differs between
// before and after (an edit's scenario before and after it), or nil. Only
// what the edit changed counts: a part that already differed from the
// start does not block other edits. A nil challenge locks nothing.
func (ch *Challenge) CheckEdit(before, after *Scenario) error {
	if ch == nil || before == nil || after == nil {
		return nil
	}
	return ch.lockErrors(before, after, "").err()
}

// CheckLocks returns Errors naming each locked part of sc that differs
// from the challenge's start, or nil: what Evaluate refuses.
func (ch *Challenge) CheckLocks(sc *Scenario) error {
	if ch == nil || ch.Start == nil || sc == nil {
		return nil
	}
	return ch.lockErrors(ch.Start, sc, "").err()
}

// LockedNodes returns the ids of the nodes of sc the learner cannot
// change: the clients when the workload is locked, and the nodes locked
// by name. A page marks them.
func (ch *Challenge) LockedNodes(sc *Scenario) []string {
	var out []string
	for i := range sc.Nodes {
		n := &sc.Nodes[i]
		if ch.Locks.Workload && n.Kind == Client || slices.Contains(ch.Locks.Nodes, n.ID) {
			out = append(out, n.ID)
		}
	}
	return out
}

// lockErrors compares the locked parts of ref (the start, or a scenario
// before an edit) and sc, naming sc's fields under prefix.
func (ch *Challenge) lockErrors(ref, sc *Scenario, prefix string) Errors {
	var errs Errors
	field := func(f string) string { return joinPath(prefix, f) }
	if sc.Until != ref.Until {
		errs.add(field("until"), "is locked: every design runs with the challenge's stop time (%s)", orForever(ref.Until))
	}
	if sc.Limits != ref.Limits {
		errs.add(field("limits"), "is locked: every design runs with the challenge's limits")
	}
	// node compares a locked node of ref with the node of sc of the same
	// id; why is what locks it.
	node := func(id, why string) {
		i := sc.NodeIndex(id)
		if i < 0 {
			errs.add(field("nodes"), "%s %q is locked by the challenge: it cannot be removed or renamed", why, id)
			return
		}
		j := ref.NodeIndex(id)
		if diff := nodeDiff(&ref.Nodes[j], &sc.Nodes[i]); diff != "" {
			errs.add(field(fmtlite.Sprintf("nodes[%d].%s", i, diff)), "is locked: the challenge does not let %s %q change", why, id)
		}
	}
	if ch.Locks.Workload {
		for j := range ref.Nodes {
			if ref.Nodes[j].Kind == Client {
				node(ref.Nodes[j].ID, "the client")
			}
		}
		for i := range sc.Nodes {
			if n := &sc.Nodes[i]; n.Kind == Client {
				if j := ref.NodeIndex(n.ID); j < 0 || ref.Nodes[j].Kind != Client {
					errs.add(field(fmtlite.Sprintf("nodes[%d]", i)), "is a new client %q: the challenge locks the workload, so no client can be added", n.ID)
				}
			}
		}
	}
	for _, id := range ch.Locks.Nodes {
		if ref.NodeIndex(id) >= 0 && !(ch.Locks.Workload && ref.Nodes[ref.NodeIndex(id)].Kind == Client) {
			node(id, "the node")
		}
	}
	if ch.Locks.Faults && !sameJSON(ref.Faults, sc.Faults) {
		f := "faults"
		for i := range min(len(ref.Faults), len(sc.Faults)) {
			if !sameJSON(ref.Faults[i], sc.Faults[i]) {
				f = fmtlite.Sprintf("faults[%d]", i)
				break
			}
		}
		errs.add(field(f), "is locked: the challenge's fault schedule cannot be changed (%d faults)", len(ref.Faults))
	}
	return errs
}

// orForever writes a stop time, 0 as "until the work is done".
func orForever(d Duration) string {
	if d == 0 {
		return "until the work is done"
	}
	return d.Short()
}

// nodeDiff names the first JSON field (in the order the JSON writes them)
// in which two nodes differ, ignoring where they are drawn and their
// labels, or "" if they do not differ; "id" if nothing else does.
func nodeDiff(a, b *Node) string {
	x, y := *a, *b
	x.Pos, y.Pos, x.Label, y.Label = nil, nil, "", ""
	bx, errX := jsonlite.Marshal(&x)
	by, errY := jsonlite.Marshal(&y)
	if errX != nil || errY != nil {
		return "id"
	}
	if bytes.Equal(bx, by) {
		return ""
	}
	fx, fy := topLevelFields(bx), topLevelFields(by)
	find := func(fs []jsonField, key string) []byte {
		for _, f := range fs {
			if f.key == key {
				return f.raw
			}
		}
		return nil
	}
	for _, f := range fx {
		if !bytes.Equal(f.raw, find(fy, f.key)) {
			return f.key
		}
	}
	for _, f := range fy {
		if find(fx, f.key) == nil {
			return f.key
		}
	}
	return "id"
}

// jsonField is one key of a JSON object and its value, as written.
type jsonField struct {
	key string
	raw []byte
}

// topLevelFields splits the JSON object that jsonlite.Marshal wrote (no
// spaces, keys without escapes) into its keys and values, in order. (A
// scan rather than a map: sorting a map's keys would link a generic sort
// into every program that edits a challenge.)
func topLevelFields(b []byte) []jsonField {
	var out []jsonField
	depth, inString, start := 0, false, -1
	key := ""
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
				if depth == 1 && start >= 0 && key == "" {
					key = string(b[start+1 : i])
					start = -1
				}
			}
		case c == '"':
			inString = true
			if depth == 1 && key == "" {
				start = i
			}
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth == 0 && key != "" {
				out = append(out, jsonField{key, b[start:i]})
			}
		case c == ':' && depth == 1:
			start = i + 1
		case c == ',' && depth == 1:
			out = append(out, jsonField{key, b[start:i]})
			key, start = "", -1
		}
	}
	return out
}
