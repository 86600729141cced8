package core

// The transactional outbox. A service's sync call to an outbox is its
// database transaction: after the outbox's serviceTime the state change
// and the event row commit together, so there is never one without the
// other. A poller wakes every interval while rows wait, publishes up to a
// batch of them to the broker (its one outgoing edge), and marks each row
// published once the broker acked it — a database update that takes
// serviceTime again. A broker that is down refuses the publish and the row
// simply waits for the next poll: nothing is lost. A crash between publish
// and mark leaves the row unmarked, so it is published again after the
// restart: a duplicate, which an idempotent consumer recognises.

// outboxCommit runs when the transaction carrying message id commits.
func (e *Engine) outboxCommit(o, id int32) {
	n := &e.nodes[o]
	m := e.msgs.at(id)
	row := e.newMessage(m.req, n.out[0], callerNone)
	rm := e.msgs.at(row)
	rm.phase, rm.enqueued = phStored, e.now
	n.rows.push(row)
	n.st.backlog(e.now, n.rows.len())
	if e.rec {
		e.emit(Record{Kind: RecCommit, Node: o, From: m.from, To: o, Msg: row, Req: m.req, Value: int64(n.rows.len())})
	}
	e.schedulePoll(o)
}

// schedulePoll wakes the poller at its next tick, unless it is already due.
func (e *Engine) schedulePoll(o int32) {
	n := &e.nodes[o]
	if n.polling || n.down {
		return
	}
	n.polling = true
	e.schedule((e.now/n.interval+1)*n.interval, evPoll, o, -1, 0)
}

// poll publishes the oldest unpublished rows, a batch at most.
func (e *Engine) poll(o int32) {
	n := &e.nodes[o]
	n.polling = false
	if n.down {
		return
	}
	k := min(n.batch, n.rows.len())
	if e.rec {
		e.emit(Record{Kind: RecPoll, Node: o, From: -1, To: -1, Msg: -1, Req: -1, Value: int64(k)})
	}
	for range k {
		row := n.rows.pop()
		rm := e.msgs.at(row)
		c := e.copyMessage(row, n.out[0])
		e.msgs.at(c).origin = row
		rm.origin, rm.phase = c, phHandling
		n.publishing = append(n.publishing, row)
		e.send(c)
	}
	n.st.backlog(e.now, n.rows.len())
	if n.rows.len() > 0 {
		e.schedulePoll(o)
	}
}

// outboxAnswered runs when the broker's ack (or refusal) for publish copy c
// reaches outbox o.
func (e *Engine) outboxAnswered(o, c int32, reason Reason) {
	n := &e.nodes[o]
	cm := e.msgs.at(c)
	row := cm.origin
	rm := e.msgs.at(row)
	rec := Record{Kind: RecReceive, Node: o, From: cm.to, To: o, Msg: c, Req: cm.req, Attempt: cm.attempt, Mode: CallAsync, Reason: reason, Value: int64(e.now - cm.sent)}
	if rm.origin != c || rm.state != msgInFlight {
		rec.Reason = ReasonStale // the row was published again after a crash
		if e.rec {
			e.emit(rec)
		}
		return
	}
	if e.rec {
		e.emit(rec)
	}
	if reason != ReasonNone {
		// The broker refused it: the row stays, for the next poll. The
		// refused copy was counted dropped; say why it does not matter.
		if cm.state == msgDropped && e.m.dropReasons[reason] > 0 {
			e.m.dropReasons[reason]--
			e.m.dropReasons[ReasonKeptInOutbox]++
		}
		e.unpublish(o, row)
		e.schedulePoll(o)
		return
	}
	e.schedule(e.now+n.svc.draw(n.rng), evMark, o, row, n.epoch)
}

// unpublish puts a row that was being published back at the head of the
// table.
func (e *Engine) unpublish(o, row int32) {
	n := &e.nodes[o]
	for i, r := range n.publishing {
		if r == row {
			n.publishing = append(n.publishing[:i], n.publishing[i+1:]...)
			break
		}
	}
	rm := e.msgs.at(row)
	rm.origin, rm.phase = -1, phStored
	n.rows.pushFront(row)
	n.st.backlog(e.now, n.rows.len())
}

// mark records row as published, unless a crash came first.
func (e *Engine) mark(o, row, epoch int32) {
	n := &e.nodes[o]
	rm := e.msgs.at(row)
	if epoch != n.epoch || rm.state != msgInFlight || rm.phase != phHandling {
		return
	}
	for i, r := range n.publishing {
		if r == row {
			n.publishing = append(n.publishing[:i], n.publishing[i+1:]...)
			break
		}
	}
	if e.rec {
		e.emit(Record{Kind: RecMark, Node: o, From: o, To: o, Msg: row, Req: rm.req, Value: int64(rm.origin)})
	}
	e.settle(row, msgProcessed)
}
