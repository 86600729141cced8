package web

import (
	"strconv"
	"strings"

	"github.com/sync-vs-async/playground/core"
	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"
)

// What a broker, a DLQ, an outbox or a topic holds is drawn inside its
// box, below its name, as what it is: a queue's messages as a short stack,
// a topic's partitions as lanes of records, a DLQ's entries and an
// outbox's rows as lines of a table. Such boxes are taller than others,
// by a height fixed for the scenario (not for the step), so the picture
// does not jump about as the run plays.

const (
	chipW       = 11.0 // a message in a queue's stack
	chipGap     = 2.0
	stackChips  = 8    // chips shown before "+N"
	trayTop     = 50.0 // below the kind and a one-line name
	laneH       = 13.0 // a topic partition's lane
	maxLanes    = 6    // lanes shown before "+N partitions"
	tableRowH   = 13.0 // a DLQ entry or an outbox row
	tableRows   = 2    // rows shown before "+N more"
	trayPadding = 20.0 // under the tray, for the figures line
)

// nodeHeight is node n's box height: taller for what holds messages.
func nodeHeight(n *core.Node) float64 {
	switch n.Kind {
	case core.Queue, core.Bus:
		return trayTop + chipW + 6 + trayPadding
	case core.Topic:
		lanes := min(max(n.Partitions, 1), maxLanes)
		extra := 0.0
		if n.Partitions > maxLanes {
			extra = laneH
		}
		return trayTop + float64(lanes)*laneH + extra + trayPadding
	case core.DLQ, core.Outbox:
		return trayTop + (tableRows+1)*tableRowH + trayPadding + 4
	}
	return nodeH
}

// holdings draws what node i holds at st inside its box, and says it in
// words for its accessible name ("" when it holds nothing to tell).
func holdings(sc *core.Scenario, st *core.State, i int) (g.Node, string) {
	n, ns := &sc.Nodes[i], nodeState(st, i)
	switch n.Kind {
	case core.Queue, core.Bus:
		return queueStack(sc, ns)
	case core.Topic:
		return topicLanes(sc, n, ns)
	case core.DLQ:
		return dlqEntries(ns)
	case core.Outbox:
		return outboxRows(ns)
	}
	return nil, ""
}

// queueStack draws a queue's messages oldest first: the ready ones filled,
// then those in consumers' hands outlined (not yet acked), collapsing to
// "+N" beyond what fits; redeliveries are counted after them.
func queueStack(sc *core.Scenario, ns *core.NodeState) (g.Node, string) {
	var chips []g.Node
	x := 6.0
	chip := func(class, title string) {
		chips = append(chips, svgEl("rect", []string{"class", "chip " + class, "x", num(x), "y", num(trayTop), "width", num(chipW), "height", num(chipW), "rx", "2"}, g.El("title", g.Text(title))))
		x += chipW + chipGap
	}
	shown := 0
	for _, m := range ns.Queue {
		if shown == stackChips {
			break
		}
		chip("ready", "message "+strconv.Itoa(int(m))+", ready")
		shown++
	}
	for _, d := range ns.InHand {
		if shown == stackChips {
			break
		}
		chip("unacked", "message "+strconv.Itoa(int(d.Msg))+", with "+nodeName(sc, d.To)+", not acked yet")
		shown++
	}
	more := len(ns.Queue) + len(ns.InHand) - shown
	tail := ""
	if more > 0 {
		tail = "+" + strconv.Itoa(more)
	}
	if ns.Redelivered > 0 {
		tail += cond(tail != "", " ", "") + "↻" + strconv.FormatInt(ns.Redelivered, 10)
	}
	if tail != "" {
		chips = append(chips, svgEl("text", []string{"class", "tray-note", "x", num(x + 1), "y", num(trayTop + chipW - 1)}, g.Text(tail)))
	}
	words := []string{plural(len(ns.Queue), "message") + " ready"}
	if len(ns.InHand) > 0 {
		holders := map[int32]int{}
		var order []int32
		for _, d := range ns.InHand {
			if holders[d.To] == 0 {
				order = append(order, d.To)
			}
			holders[d.To]++
		}
		var with []string
		for _, to := range order {
			with = append(with, strconv.Itoa(holders[to])+" with "+nodeName(sc, to))
		}
		words = append(words, strconv.Itoa(len(ns.InHand))+" delivered, not acked ("+strings.Join(with, ", ")+")")
	}
	if ns.Redelivered > 0 {
		words = append(words, strconv.FormatInt(ns.Redelivered, 10)+" redelivered so far")
	}
	return g.El("g", h.Class("tray stack"), g.Group(chips)), strings.Join(words, ", ")
}

// keyClass colours a record by its key: one of eight hues, so records of
// one key read alike; "nokey" for records without one.
func keyClass(key int32) string {
	if key < 0 {
		return "nokey"
	}
	return "key" + strconv.Itoa(int(key%8))
}

// topicLanes draws a lane per partition: its newest records (offsets
// before the first group's committed one faded, read but not committed
// outlined), and who reads it with its lag.
func topicLanes(sc *core.Scenario, n *core.Node, ns *core.NodeState) (g.Node, string) {
	lanes := min(max(n.Partitions, 1), maxLanes)
	var out []g.Node
	var words []string
	for p := range lanes {
		y := trayTop + float64(p)*laneH
		var ps core.PartitionState
		if p < len(ns.Partitions) {
			ps = ns.Partitions[p]
		} else {
			for k := range ps.Keys {
				ps.Keys[k] = -1
			}
		}
		var c *core.GroupCursor
		if len(ps.Groups) > 0 {
			c = &ps.Groups[0]
		}
		out = append(out, svgEl("text", []string{"class", "lane-label", "x", "4", "y", num(y + 9)}, g.Text("p"+strconv.Itoa(p))))
		first := ps.End - core.PartKeys
		for k, key := range ps.Keys {
			off := first + int64(k)
			if off < 0 {
				continue
			}
			class := "record " + keyClass(key)
			switch {
			case c != nil && off < c.Committed:
				class += " committed"
			case c != nil && off < c.Read:
				class += " read"
			}
			title := "offset " + strconv.FormatInt(off, 10) + cond(key >= 0, ", key "+strconv.Itoa(int(key)), ", no key")
			out = append(out, svgEl("rect", []string{"class", class, "x", num(18 + float64(k)*9), "y", num(y + 1), "width", "8", "height", "9", "rx", "1.5"}, g.El("title", g.Text(title))))
		}
		owner, lag := "—", ps.End
		if c != nil {
			lag = ps.Lag(c)
			if c.Owner >= 0 {
				owner = nodeName(sc, c.Owner)
			}
		}
		// The first group's owner and lag are drawn; the others, which
		// read the same records at their own offsets, are counted ("+1")
		// and named in the tooltip, as the words below name them all.
		tip, more := owner+", lag "+strconv.FormatInt(lag, 10), ""
		for k := 1; k < len(ps.Groups); k++ {
			gc := &ps.Groups[k]
			tip += "; " + cond(gc.Owner >= 0, nodeName(sc, gc.Owner), "no owner") + ", lag " + strconv.FormatInt(ps.Lag(gc), 10)
		}
		cut := 6
		if len(ps.Groups) > 1 {
			more, cut = " +"+strconv.Itoa(len(ps.Groups)-1), 4
		}
		out = append(out, svgEl("text", []string{"class", "lane-owner", "x", num(nodeW - 4), "y", num(y + 9)}, g.El("title", g.Text(tip)), g.Text(truncate(owner, cut)+" "+strconv.FormatInt(lag, 10)+more)))
		w := "partition " + strconv.Itoa(p) + ": " + plural(int(ps.End), "record")
		for _, gc := range ps.Groups {
			w += ", " + nodeName(sc, gc.Owner) + " at offset " + strconv.FormatInt(gc.Read, 10) + ", committed " +
				strconv.FormatInt(gc.Committed, 10) + ", lag " + strconv.FormatInt(ps.Lag(&gc), 10)
		}
		words = append(words, w)
	}
	if n.Partitions > maxLanes {
		out = append(out, svgEl("text", []string{"class", "tray-note", "x", "4", "y", num(trayTop + float64(lanes)*laneH + 9)}, g.Text("+"+plural(n.Partitions-maxLanes, "partition"))))
	}
	return g.El("g", h.Class("tray lanes"), g.Group(out)), strings.Join(words, "; ")
}

// dlqEntries lists a DLQ's entries, oldest first: message, deliveries and
// reason.
func dlqEntries(ns *core.NodeState) (g.Node, string) {
	var rows []g.Node
	var words []string
	for k, l := range ns.Letters {
		text := "#" + strconv.Itoa(int(l.Msg)) + " · " + strconv.Itoa(int(l.Attempts)) + "× · " + l.Reason.String()
		words = append(words, "message "+strconv.Itoa(int(l.Msg))+" after "+strconv.Itoa(int(l.Attempts))+cond(l.Attempts == 1, " delivery", " deliveries")+": "+l.Reason.String())
		if k < tableRows {
			rows = append(rows, tableRow(k, "letter", truncate(text, 24), text))
		}
	}
	if more := len(ns.Letters) - tableRows; more > 0 {
		rows = append(rows, tableRow(tableRows, "more", "+"+strconv.Itoa(more)+" more", ""))
	}
	if len(words) == 0 {
		return nil, "no dead letters"
	}
	return g.El("g", h.Class("tray table"), g.Group(rows)), strings.Join(words, "; ")
}

// outboxRows lists an outbox table's pending rows, oldest first, and how
// many it has published.
func outboxRows(ns *core.NodeState) (g.Node, string) {
	var rows []g.Node
	for k, m := range ns.Queue {
		if k == tableRows {
			break
		}
		rows = append(rows, tableRow(k, "pending", "#"+strconv.Itoa(int(m))+" pending", ""))
	}
	k := min(len(ns.Queue), tableRows)
	if more := len(ns.Queue) - tableRows; more > 0 {
		rows = append(rows, tableRow(k, "more", "+"+strconv.Itoa(more)+" pending", ""))
		k++
	}
	if ns.Published > 0 && k <= tableRows {
		rows = append(rows, tableRow(k, "published", "✓ "+strconv.FormatInt(ns.Published, 10)+" published", ""))
	}
	return g.El("g", h.Class("tray table"), g.Group(rows)),
		plural(len(ns.Queue), "row") + " pending, " + strconv.FormatInt(ns.Published, 10) + " published"
}

// tableRow is line k of a DLQ's or an outbox's table.
func tableRow(k int, class, text, title string) g.Node {
	y := trayTop + float64(k)*tableRowH
	return g.El("g", h.Class("table-row "+class),
		g.If(title != "" && title != text, g.El("title", g.Text(title))),
		svgEl("rect", []string{"x", "5", "y", num(y), "width", num(nodeW - 10), "height", num(tableRowH - 1), "rx", "2"}),
		svgEl("text", []string{"x", "9", "y", num(y + 9.5)}, g.Text(text)),
	)
}
