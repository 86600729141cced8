package core

// Gateways, services, databases, workers, outboxes and rate limiters are
// processors: a message takes a free worker (or waits for one), holds it
// for a service time, then for the downstream calls, and is answered when
// all are done. What arrives at a broker or a DLQ goes to broker.go and
// dlq.go.

// arrive handles message id reaching node at.
func (e *Engine) arrive(at, id int32) {
	m := e.msgs.at(id)
	m.arrived = e.now
	n := &e.nodes[at]
	if e.rec {
		e.emit(Record{Kind: RecArrive, Node: at, From: m.from, To: at, Msg: id, Req: m.req, Attempt: m.attempt, Mode: m.mode})
	}
	if m.cancelled {
		e.endCancelled(at, id, cancelArriving)
		return
	}
	if n.role == roleDLQ {
		e.dlqArrive(at, id) // a dead letter queue is storage: always there
		return
	}
	if n.down {
		e.refuse(at, id, ReasonNodeDown)
		return
	}
	if n.role == roleBroker {
		e.brokerArrive(at, id)
		return
	}
	if n.role == roleLimiter && !e.takeToken(at, id) {
		return
	}
	if n.busy >= n.conc && n.maxWaiting >= 0 && n.waiting() >= n.maxWaiting {
		// No worker and no room in line: turned away at once, before a
		// direct async send would be accepted (a 503, not a 202).
		n.st.rejected++
		e.refuseWith(at, id, ReasonLineFull, int64(n.waiting()))
		return
	}
	if m.mode == CallAsync && m.broker < 0 {
		// A direct async send is accepted on receipt (like HTTP 202):
		// the sender is told at once, the work happens later.
		e.answer(id, ReasonNone)
	}
	e.admit(at, id)
}

// admit counts message id in node at's population and gives it a worker,
// or puts it in line.
func (e *Engine) admit(at, id int32) {
	e.nodes[at].st.enter(e.now)
	e.take(at, id)
}

// take gives message id, already counted at node at, a worker of the
// node, or puts it in line.
func (e *Engine) take(at, id int32) {
	n := &e.nodes[at]
	m := e.msgs.at(id)
	if n.busy < n.conc {
		e.start(at, id)
		return
	}
	m.phase = phWaiting
	if e.rec {
		e.emit(Record{Kind: RecWait, Node: at, From: m.from, To: at, Msg: id, Req: m.req, Attempt: m.attempt, Value: int64(n.waiting())})
	}
	n.backlog.push(id)
	n.st.backlog(e.now, n.waiting())
}

// refuse turns message id away from node at: its sender gets an error and
// decides what becomes of it (retry, give up, or ignore).
// A broker's delivery is not refused but handed back: the consumer nacks it.
func (e *Engine) refuse(at, id int32, reason Reason) { e.refuseWith(at, id, reason, 0) }

// refuseWith is refuse with the record's Value (for a full line: how
// many wait).
func (e *Engine) refuseWith(at, id int32, reason Reason, value int64) {
	m := e.msgs.at(id)
	if e.rec {
		e.emit(Record{Kind: RecRefuse, Node: at, From: m.from, To: at, Msg: id, Req: m.req, Attempt: m.attempt, Reason: reason, Value: value})
	}
	if m.broker >= 0 {
		m.reason = reason
		e.brokerAnswer(at, id, false)
		return
	}
	m.refused = true
	e.answer(id, reason)
}

func (e *Engine) start(at, id int32) {
	n := &e.nodes[at]
	m := e.msgs.at(id)
	n.busy++
	n.st.busyChange(e.now, n.busy)
	m.started = e.now
	m.phase = phHandling
	n.st.waitSum.add(e.now - m.arrived)
	n.st.starts++
	var reason Reason
	if e.trackDupes && n.seen.has(m.event) {
		if n.idempotent {
			e.m.dupSkipped++
			if e.rec {
				e.emit(Record{Kind: RecSkip, Node: at, From: m.from, To: at, Msg: id, Req: m.req, Attempt: m.attempt, Value: int64(m.event)})
			}
			m.skipped = true
			e.complete(at, id, ReasonNone)
			return
		}
		reason = ReasonDuplicate
	}
	if e.rec {
		e.emit(Record{Kind: RecStart, Node: at, From: m.from, To: at, Msg: id, Req: m.req, Attempt: m.attempt, Reason: reason, Value: int64(m.event)})
	}
	e.schedule(e.now+n.svc.draw(n.rng), evFinish, at, id, n.epoch)
}

// checkOrder counts a keyed message whose handling at node at finished
// after that of a later message of the same key: its effect was applied
// out of order.
func (e *Engine) checkOrder(at int32, m *message) Reason {
	r := e.reqs.at(m.req)
	if r.key < 0 {
		return ReasonNone
	}
	n := &e.nodes[at]
	if n.lastKeySeq == nil {
		n.lastKeySeq = map[int64]int32{}
	}
	k := keyID(r.client, r.key)
	last, ok := n.lastKeySeq[k]
	if ok && r.keySeq < last {
		e.m.outOfOrder++
		return ReasonOutOfOrder
	}
	n.lastKeySeq[k] = r.keySeq
	return ReasonNone
}

func keyID(client, key int32) int64 { return int64(client)<<32 | int64(uint32(key)) }

// finish runs when the service time of message id at node at is over.
func (e *Engine) finish(at, id, epoch int32) {
	n := &e.nodes[at]
	if epoch != n.epoch {
		return // the node crashed since: this work was lost with it
	}
	if e.msgs.at(id).cancelled {
		return // its deadline passed and the handler stopped
	}
	switch n.role {
	case roleBroker:
		e.brokerStore(at, id, true)
		return
	case roleOutbox:
		e.outboxCommit(at, id)
		e.complete(at, id, ReasonNone)
		return
	}
	m := e.msgs.at(id)
	failed := n.failure > 0 && n.rng.uniform() < n.failure
	if failed || e.poisoned && e.reqs.at(m.req).poison {
		reason := ReasonFailed
		if !failed {
			reason = ReasonPoison
		}
		if e.rec {
			e.emit(Record{Kind: RecFail, Node: at, From: m.from, To: at, Msg: id, Req: m.req, Attempt: m.attempt, Reason: reason})
		}
		e.complete(at, id, reason)
		return
	}
	if len(n.out) == 0 {
		e.complete(at, id, ReasonNone)
		return
	}
	if n.parallel {
		m.pending = int16(len(n.out))
		for _, ed := range n.out {
			e.call(id, ed)
		}
		return
	}
	m.nextCall, m.pending = 0, 1
	e.call(id, n.out[0])
}

// call sends a downstream call along edge for message id.
func (e *Engine) call(id, edge int32) {
	e.send(e.newMessage(e.msgs.at(id).req, edge, id))
}

// callAnswered runs when call c, made while handling message id at node at,
// is answered (reason None) or fails.
func (e *Engine) callAnswered(at, id, c int32, reason Reason) {
	m := e.msgs.at(id)
	n := &e.nodes[at]
	cm := e.msgs.at(c)
	if reason != ReasonNone {
		switch {
		case cm.mode == CallAsync && cm.refused && n.ignoreSend:
			// Dual write: the sender carries on as if the send had worked.
			reason = ReasonNone
		case e.retryCall(at, c):
			return
		default:
			// Fail fast: one failed call fails the whole handler; replies
			// still on their way will find it finished.
			e.complete(at, id, ReasonDownstream)
			return
		}
	}
	m.pending--
	if n.parallel {
		if m.pending == 0 {
			e.complete(at, id, ReasonNone)
		}
		return
	}
	m.nextCall++
	if int(m.nextCall) < len(n.out) {
		m.pending = 1
		e.call(id, n.out[m.nextCall])
		return
	}
	e.complete(at, id, ReasonNone)
}

// retryCall schedules another attempt of failed call c from node at if its
// retry policy allows one, and reports whether it did.
func (e *Engine) retryCall(at, c int32) bool {
	n := &e.nodes[at]
	cm := e.msgs.at(c)
	if n.retry == nil {
		return false
	}
	p := n.retry.resolved()
	if int(cm.attempt) >= p.MaxAttempts || !p.retries(cm.reason) {
		return false
	}
	d := p.delay(int(cm.attempt), cm.backoff, n.rng)
	e.m.retried++
	if e.rec {
		e.emit(Record{Kind: RecRetry, Node: at, From: at, To: cm.to, Msg: c, Req: cm.req, Attempt: cm.attempt + 1, Mode: cm.mode, Reason: cm.reason, Value: int64(d)})
	}
	e.schedule(e.now+d, evRetry, at, c, 0)
	cm.backoff = d
	return true
}

// retryNow sends the next attempt of call c, whose back-off is over: a new
// message carrying the same event.
func (e *Engine) retryNow(c int32) {
	cm := e.msgs.at(c)
	if cm.caller == callerClient && e.reqs.at(cm.req).outcome != reqWaiting ||
		cm.caller >= 0 && e.msgs.at(cm.caller).state != msgInFlight {
		return // the one who wanted the retry has given up meanwhile
	}
	next := e.newMessage(cm.req, cm.edge, cm.caller)
	nm := e.msgs.at(next)
	nm.attempt, nm.event, nm.backoff = cm.attempt+1, cm.event, cm.backoff
	e.send(next)
}

// complete ends the handling of message id at node at, answers whoever
// waits for it, and gives the worker to the next message in line.
func (e *Engine) complete(at, id int32, reason Reason) {
	n := &e.nodes[at]
	m := e.msgs.at(id)
	flag := reason
	if reason == ReasonNone && e.keyed && n.role != roleLimiter && n.role != roleOutbox {
		flag = e.checkOrder(at, m)
	}
	if reason != ReasonFailed && reason != ReasonPoison && e.rec {
		e.emit(Record{Kind: RecFinish, Node: at, From: m.from, To: at, Msg: id, Req: m.req, Attempt: m.attempt, Reason: flag})
	}
	e.release(at, m)
	if m.mode == CallSync && m.broker < 0 && !e.awaited(m) {
		n.st.wasted.add(e.now - m.started)
	}
	if reason == ReasonNone {
		if e.trackDupes && !m.skipped {
			e.countDuplicate(at, m)
		}
	} else {
		n.st.failed++
		m.reason = reason
	}
	switch {
	case m.broker >= 0:
		e.brokerAnswer(at, id, reason == ReasonNone)
	case m.mode == CallSync:
		e.answer(id, reason)
		e.settle(id, outcome(reason))
	default:
		e.settle(id, outcome(reason))
	}
	e.startNext(at)
}

// startNext gives a free worker of node at to the next message in line,
// passing over calls cancelled while they waited.
func (e *Engine) startNext(at int32) {
	n := &e.nodes[at]
	for n.backlog.len() > 0 {
		next := n.backlog.pop()
		if e.msgs.at(next).cancelled {
			n.cancelledWaiting--
			continue
		}
		n.st.backlog(e.now, n.waiting())
		e.start(at, next)
		return
	}
}

// waiting is how many messages wait for a worker of the node, not
// counting cancelled calls not yet passed over.
func (n *nodeRT) waiting() int { return n.backlog.len() - n.cancelledWaiting }

// awaited reports whether anyone still waits for the answer to sync call m.
func (e *Engine) awaited(m *message) bool {
	switch {
	case m.call == callAbandoned || m.caller == callerNone:
		return false
	case m.caller == callerClient:
		return e.reqs.at(m.req).outcome == reqWaiting
	}
	return e.msgs.at(m.caller).state == msgInFlight
}

// cancel stops the work sync call id started at its callee, when the
// call's deadline has passed and the callee honours cancellation. gRPC
// cancels a call whose deadline passes on both sides, and a handler that
// watches its context stops (https://grpc.io/docs/guides/deadlines/). A
// call still on its way is dropped when it arrives; one waiting for a
// worker leaves the line; one being handled (or waiting for its own
// calls, whose deadlines pass now too) frees its worker.
func (e *Engine) cancel(id int32) {
	m := e.msgs.at(id)
	if m.mode != CallSync || m.state != msgInFlight || m.broker >= 0 || m.cancelled {
		return
	}
	n := &e.nodes[m.to]
	if !n.honoursCancel {
		return
	}
	switch m.phase {
	case phTransit:
		m.cancelled = true // its arrival ends it
	case phWaiting:
		n.cancelledWaiting++
		n.st.leave(e.now, e.now-m.arrived)
		n.st.backlog(e.now, n.waiting())
		e.endCancelled(m.to, id, cancelWaiting)
	case phHandling:
		e.release(m.to, m)
		n.st.wasted.add(e.now - m.started)
		e.endCancelled(m.to, id, cancelHandling)
		e.startNext(m.to)
	}
}

// release frees the worker of node at that handled m: m leaves the node.
func (e *Engine) release(at int32, m *message) {
	n := &e.nodes[at]
	n.st.leave(e.now, e.now-m.arrived)
	n.busy--
	n.st.busyChange(e.now, n.busy)
}

// endCancelled records that node at stopped work on cancelled call id and
// settles it.
func (e *Engine) endCancelled(at, id int32, stage cancelStage) {
	m := e.msgs.at(id)
	m.cancelled, m.reason = true, ReasonCancelled
	e.nodes[at].st.cancelled++
	if e.rec {
		e.emit(Record{Kind: RecCancel, Node: at, From: m.from, To: at, Msg: id, Req: m.req, Attempt: m.attempt, Mode: m.mode, Reason: ReasonCancelled, Value: int64(stage)})
	}
	e.settle(id, msgFailed)
}

// countDuplicate records that node at applied the effect of m's event,
// counting it if the event was applied there before. Checked when the work
// is done, not when it starts, so two attempts handled at the same time
// (a retry after a timeout) count too; an idempotent consumer's store then
// rejects the second, as a unique key would.
func (e *Engine) countDuplicate(at int32, m *message) {
	n := &e.nodes[at]
	if !n.seen.has(m.event) {
		n.seen.set(m.event)
		return
	}
	if n.idempotent {
		e.m.dupSkipped++
		return
	}
	e.m.dupProcessed++
}

func outcome(reason Reason) msgState {
	if reason == ReasonNone {
		return msgProcessed
	}
	return msgFailed
}

// receive runs when the reply or ack for message id reaches node at.
func (e *Engine) receive(at, id int32, reason Reason) {
	m := e.msgs.at(id)
	if m.refused && m.state == msgInFlight {
		// The receiver turned it away; the sender settles it, and what it
		// does next decides whether anyone will ever know.
		m.reason = reason
		if m.mode == CallAsync && m.caller >= 0 && e.nodes[at].ignoreSend {
			e.lose(id, reason)
		} else {
			e.m.dropReasons[reason]++
			e.settle(id, msgDropped)
		}
	}
	if e.nodes[at].role == roleOutbox {
		e.outboxAnswered(at, id, reason)
		return
	}
	rec := Record{Kind: RecReceive, Node: at, From: m.to, To: at, Msg: id, Req: m.req, Attempt: m.attempt, Mode: m.mode, Reason: reason, Value: int64(e.now - m.sent)}
	if m.caller == callerClient {
		rec.Value = int64(e.now - e.reqs.at(m.req).start) // the user's whole wait, retries included
	}
	if m.call == callAbandoned {
		rec.Reason = ReasonLate
		if e.rec {
			e.emit(rec)
		}
		return
	}
	m.call = callAnswered
	if m.caller == callerNone || m.caller >= 0 && e.msgs.at(m.caller).state != msgInFlight {
		rec.Reason = ReasonCallerGone
		if e.rec {
			e.emit(rec)
		}
		return
	}
	if e.rec {
		e.emit(rec)
	}
	if m.caller == callerClient {
		e.clientAnswer(at, id, reason)
		return
	}
	e.callAnswered(at, m.caller, id, reason)
}

// lose ends message id as lost: gone without anyone acting on it.
func (e *Engine) lose(id int32, reason Reason) {
	m := e.msgs.at(id)
	e.m.lostReasons[reason]++
	if e.rec {
		e.emit(Record{Kind: RecLost, Node: m.from, From: m.from, To: m.to, Msg: id, Req: m.req, Attempt: m.attempt, Reason: reason})
	}
	e.settle(id, msgLost)
}

// timeout runs when node at's deadline for message id passes.
func (e *Engine) timeout(at, id int32) {
	m := e.msgs.at(id)
	if m.call != callPending {
		return
	}
	// Whether anyone still waits for it or not, its deadline cancels the
	// work it started (after the caller has been told, if it waits).
	defer e.cancel(id)
	if !e.awaited(m) {
		return
	}
	m.call = callAbandoned
	m.reason = ReasonTimeout
	if e.rec {
		rec := Record{Kind: RecTimeout, Node: at, From: m.to, To: at, Msg: id, Req: m.req, Attempt: m.attempt, Mode: m.mode, Reason: ReasonTimeout, Value: int64(e.now - m.sent)}
		if m.caller == callerClient {
			rec.Value = int64(e.now - e.reqs.at(m.req).start)
		}
		e.emit(rec)
	}
	if m.caller == callerClient {
		e.clientAnswer(at, id, ReasonTimeout)
		return
	}
	e.callAnswered(at, m.caller, id, ReasonTimeout)
}
