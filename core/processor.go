package core

// Gateways, services, databases and workers are processors: a message
// takes a free worker (or waits for one), holds it for a service time,
// then for the downstream calls, and is answered when all are done.

func isProcessor(k Kind) bool {
	return k == Gateway || k == Service || k == Database || k == Worker
}

// arrive handles message id reaching node at.
func (e *Engine) arrive(at, id int32) {
	m := e.msgs.at(id)
	m.arrived = e.now
	if e.rec {
		e.emit(Record{Kind: RecArrive, Node: at, From: m.from, To: at, Msg: id, Req: m.req, Attempt: m.attempt, Mode: m.mode})
	}
	n := &e.nodes[at]
	if n.kind == Queue {
		e.queueArrive(at, id)
		return
	}
	if m.mode == CallAsync && m.queue < 0 {
		// A direct async send is accepted on receipt (like HTTP 202):
		// the sender is told at once, the work happens later.
		e.answer(id, ReasonNone)
	}
	n.st.enter(e.now)
	if n.busy < n.conc {
		e.start(at, id)
		return
	}
	if e.rec {
		e.emit(Record{Kind: RecWait, Node: at, From: m.from, To: at, Msg: id, Req: m.req, Attempt: m.attempt, Value: int64(n.backlog.len())})
	}
	n.backlog.push(id)
	n.st.backlog(e.now, n.backlog.len())
}

func (e *Engine) start(at, id int32) {
	n := &e.nodes[at]
	m := e.msgs.at(id)
	n.busy++
	n.st.busyChange(e.now, n.busy)
	m.started = e.now
	n.st.waitSum += e.now - m.arrived
	n.st.starts++
	if e.rec {
		e.emit(Record{Kind: RecStart, Node: at, From: m.from, To: at, Msg: id, Req: m.req, Attempt: m.attempt})
	}
	e.schedule(e.now+n.svc.draw(n.rng), evFinish, at, id, 0)
}

// finish runs when the service time of message id at node at is over.
func (e *Engine) finish(at, id int32) {
	n := &e.nodes[at]
	if n.kind == Queue {
		e.enqueue(at, id)
		return
	}
	m := e.msgs.at(id)
	if n.failure > 0 && n.rng.uniform() < n.failure {
		if e.rec {
			e.emit(Record{Kind: RecFail, Node: at, From: m.from, To: at, Msg: id, Req: m.req, Attempt: m.attempt, Reason: ReasonFailed})
		}
		e.complete(at, id, ReasonFailed)
		return
	}
	if len(n.out) == 0 {
		e.complete(at, id, ReasonNone)
		return
	}
	if n.parallel {
		m.pending = int16(len(n.out))
		for _, ed := range n.out {
			e.send(e.newMessage(m.req, ed, id))
		}
		return
	}
	m.nextCall, m.pending = 0, 1
	e.send(e.newMessage(m.req, n.out[0], id))
}

// callAnswered runs when a call made while handling message id returns.
func (e *Engine) callAnswered(at, id int32, reason Reason) {
	m := e.msgs.at(id)
	if reason != ReasonNone {
		// Fail fast: one failed call fails the whole handler; replies
		// still on their way will find it finished.
		e.complete(at, id, ReasonDownstream)
		return
	}
	m.pending--
	n := &e.nodes[at]
	if n.parallel {
		if m.pending == 0 {
			e.complete(at, id, ReasonNone)
		}
		return
	}
	m.nextCall++
	if int(m.nextCall) < len(n.out) {
		m.pending = 1
		e.send(e.newMessage(m.req, n.out[m.nextCall], id))
		return
	}
	e.complete(at, id, ReasonNone)
}

// complete ends the handling of message id at node at, answers whoever
// waits for it, and gives the worker to the next message in line.
func (e *Engine) complete(at, id int32, reason Reason) {
	n := &e.nodes[at]
	m := e.msgs.at(id)
	state := msgProcessed
	if reason != ReasonNone {
		state = msgFailed
		n.st.failed++
	}
	if reason != ReasonFailed {
		if e.rec {
			e.emit(Record{Kind: RecFinish, Node: at, From: m.from, To: at, Msg: id, Req: m.req, Attempt: m.attempt, Reason: reason})
		}
	}
	n.st.leave(e.now, e.now-m.arrived)
	n.busy--
	n.st.busyChange(e.now, n.busy)
	switch {
	case m.queue >= 0:
		e.ackToQueue(at, id)
	case m.mode == CallSync:
		e.answer(id, reason)
	}
	e.settle(id, state)
	if n.backlog.len() > 0 {
		next := n.backlog.pop()
		n.st.backlog(e.now, n.backlog.len())
		e.start(at, next)
	}
}

// receive runs when the reply or ack for message id reaches node at.
func (e *Engine) receive(at, id int32, reason Reason) {
	m := e.msgs.at(id)
	rec := Record{Kind: RecReceive, Node: at, From: m.to, To: at, Msg: id, Req: m.req, Attempt: m.attempt, Mode: m.mode, Reason: reason, Value: int64(e.now - m.sent)}
	if m.call == callAbandoned {
		rec.Reason = ReasonLate
		if e.rec {
			e.emit(rec)
		}
		return
	}
	m.call = callAnswered
	if m.caller >= 0 && e.msgs.at(m.caller).state != msgInFlight {
		rec.Reason = ReasonCallerGone
		if e.rec {
			e.emit(rec)
		}
		return
	}
	if e.rec {
		e.emit(rec)
	}
	if m.caller < 0 {
		e.clientAnswer(at, id, reason)
		return
	}
	e.callAnswered(at, m.caller, reason)
}

// timeout runs when node at's deadline for message id passes.
func (e *Engine) timeout(at, id int32) {
	m := e.msgs.at(id)
	if m.call != callPending {
		return
	}
	if m.caller >= 0 && e.msgs.at(m.caller).state != msgInFlight {
		return
	}
	m.call = callAbandoned
	if e.rec {
		e.emit(Record{Kind: RecTimeout, Node: at, From: m.to, To: at, Msg: id, Req: m.req, Attempt: m.attempt, Mode: m.mode, Reason: ReasonTimeout, Value: int64(e.now - m.sent)})
	}
	if m.caller < 0 {
		e.clientAnswer(at, id, ReasonTimeout)
		return
	}
	e.callAnswered(at, m.caller, ReasonTimeout)
}
