package core

// Faults are part of the scenario, scheduled as events like everything
// else, so a run with faults replays identically.

func (e *Engine) scheduleFaults(index map[string]int32) {
	for i, f := range e.sc.Faults {
		switch f.Type {
		case Down:
			e.schedule(f.At, evFault, index[f.Node], 0, int32(i))
			e.schedule(f.Until, evFault, index[f.Node], 1, int32(i))
		case Crash:
			e.schedule(f.At, evFault, index[f.Node], 0, int32(i))
			e.schedule(f.At+f.Restart, evFault, index[f.Node], 1, int32(i))
		case Poison:
			n := &e.nodes[index[f.Node]]
			if n.poison == nil {
				n.poison = map[int]bool{}
			}
			for _, r := range f.Requests {
				n.poison[r] = true
			}
		case Latency:
			for j := range e.edges {
				ed := &e.edges[j]
				if ed.from == index[f.From] && ed.to == index[f.To] {
					ed.spikes = append(ed.spikes, f)
				}
			}
		case LostAck:
			n := &e.nodes[index[f.Node]]
			n.lostAcks = append(n.lostAcks, f)
		}
	}
}

// fault starts (or, with end, ends) the i-th fault of the scenario.
func (e *Engine) fault(i int, end bool) {
	f := &e.sc.Faults[i]
	at := int32(e.sc.NodeIndex(f.Node))
	switch {
	case end:
		e.up(at)
	case f.Type == Crash:
		e.crash(at)
	default:
		e.nodes[at].down, e.nodes[at].downAt = true, e.now
		e.consumerGone(at)
		if e.rec {
			e.emit(Record{Kind: RecDown, Node: at, From: -1, To: -1, Msg: -1, Req: -1, Value: int64(f.Until - f.At)})
		}
	}
}

// up brings node at back and lets the work that waited for it go on.
func (e *Engine) up(at int32) {
	n := &e.nodes[at]
	if !n.down {
		return
	}
	n.down = false
	if e.rec {
		e.emit(Record{Kind: RecUp, Node: at, From: -1, To: -1, Msg: -1, Req: -1})
	}
	e.consumerBack(at)
	for b := range e.nodes {
		if isBroker(e.nodes[b].kind) {
			e.dispatchAll(int32(b)) // it may be the broker or one of its consumers
		}
	}
	if n.kind == Outbox && n.rows.len() > 0 {
		e.schedulePoll(at)
	}
	if n.kind == RateLimiter && n.waitTokens.len() > 0 && !n.tokenScheduled {
		n.tokenScheduled = true
		e.schedule(max(n.tat-n.tolerance, e.now), evToken, at, -1, 0)
	}
}

// crash stops node at and loses the work in its hands. A message a broker
// delivered goes back to the broker — at once if the broker has no
// visibility timeout (it sees the connection drop, as RabbitMQ does),
// after the timeout otherwise; anything else being handled is lost, and
// its caller only finds out through its own deadline.
func (e *Engine) crash(at int32) {
	n := &e.nodes[at]
	n.down, n.downAt = true, e.now
	n.epoch++
	e.consumerGone(at)
	e.consumerCrashed(at)
	if e.rec {
		e.emit(Record{Kind: RecCrash, Node: at, From: -1, To: -1, Msg: -1, Req: -1})
	}
	for i := int32(0); i < int32(e.msgs.len()); i++ {
		if !e.msgs.kept(i) {
			i |= int32(chunkSize - 1) // a freed chunk: nothing in it is in flight
			continue
		}
		m := e.msgs.at(i)
		if m.state != msgInFlight || m.to != at || (m.phase != phWaiting && m.phase != phHandling) {
			continue
		}
		n.st.leave(e.now, e.now-m.arrived)
		if m.broker >= 0 {
			m.reason = ReasonCrash
			if e.nodes[m.broker].visibility == 0 {
				e.schedule(e.now, evBrokerAck, m.broker, i, m.delivery<<3|1)
			} else {
				// The connection dropped: the broker stops counting on this
				// consumer at once, but the message stays invisible until
				// its timeout.
				e.nodes[m.broker].chans[m.channel].consumers[m.consumer].credit++
			}
			m.phase = phTransit // in nobody's hands until the broker acts
			continue
		}
		e.lose(i, ReasonCrash)
	}
	n.busy = 0
	n.st.busyChange(e.now, 0)
	n.backlog = fifo{}
	n.waitTokens = fifo{}
	n.st.backlog(e.now, 0)
	if n.kind == Outbox {
		// Published but not yet marked: the poller will publish them again.
		for len(n.publishing) > 0 {
			e.unpublish(at, n.publishing[len(n.publishing)-1])
		}
	}
}
