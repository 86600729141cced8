package core

// A rate limiter is a token bucket in front of its one outgoing edge,
// computed as the generic cell rate algorithm: a token every tick
// (1s/rate), a bucket of burst tokens. In integer nanoseconds, so it is
// exact and the same on every platform. A message without a token is
// refused ("reject") or waits in line for one ("wait").

// takeToken reports whether message id may pass rate limiter l now; if
// not, it refuses the message or puts it in line.
func (e *Engine) takeToken(l, id int32) bool {
	n := &e.nodes[l]
	m := e.msgs.at(id)
	next := n.tat - n.tolerance // the earliest time a token is there
	if e.now >= next && n.waitTokens.len() == 0 {
		n.tat = max(n.tat, e.now) + n.tick
		return true
	}
	if !n.waitForTokens {
		e.refuse(l, id, ReasonRateLimited)
		return false
	}
	// A message waiting for a token is at the limiter: it counts in the
	// node's population (L) as its wait counts in its time there (W), or
	// Little's law would not hold for the node.
	n.st.enter(e.now)
	m.phase = phWaiting
	n.waitTokens.push(id)
	n.st.backlog(e.now, n.waitTokens.len())
	if e.rec {
		e.emit(Record{Kind: RecLimited, Node: l, From: m.from, To: l, Msg: id, Req: m.req, Attempt: m.attempt, Value: int64(max(next, e.now) - e.now)})
	}
	if !n.tokenScheduled {
		n.tokenScheduled = true
		e.schedule(max(next, e.now), evToken, l, -1, 0)
	}
	return false
}

// releaseToken lets the first message in line through.
func (e *Engine) releaseToken(l int32) {
	n := &e.nodes[l]
	n.tokenScheduled = false
	if n.waitTokens.len() == 0 || n.down {
		return
	}
	id := n.waitTokens.pop()
	n.st.backlog(e.now, n.waitTokens.len())
	n.tat = max(n.tat, e.now) + n.tick
	if m := e.msgs.at(id); m.mode == CallAsync && m.broker < 0 {
		e.answer(id, ReasonNone)
	}
	e.take(l, id) // counted since it began to wait
	if n.waitTokens.len() > 0 {
		n.tokenScheduled = true
		e.schedule(max(n.tat-n.tolerance, e.now), evToken, l, -1, 0)
	}
}
