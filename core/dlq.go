package core

// A dead letter queue holds what its queues and topics gave up on, each
// message with the reason and how many times it was delivered, until it is
// redriven: sent back to the broker it came from, with a fresh receive
// count, as SQS's redrive does.

// dlqArrive stores message id in dead letter queue d.
func (e *Engine) dlqArrive(d, id int32) {
	n := &e.nodes[d]
	m := e.msgs.at(id)
	n.held = append(n.held, id)
	m.enqueued = e.now
	n.st.enter(e.now)
	n.st.backlog(e.now, len(n.held))
	if e.rec {
		e.emit(Record{Kind: RecEnqueue, Node: d, From: m.broker, To: d, Msg: id, Req: m.req, Attempt: m.receives, Reason: m.reason, Value: int64(len(n.held))})
	}
	e.settle(id, msgDeadLettered)
	m.phase = phStored
}

// redrive sends everything dead letter queue d holds back to its broker.
func (e *Engine) redrive(d int32) {
	n := &e.nodes[d]
	held := n.held
	n.held = nil
	for _, id := range held {
		m := e.msgs.at(id)
		n.st.leave(e.now, e.now-m.enqueued)
		e.unsettle(id)
		if e.rec {
			e.emit(Record{Kind: RecRedrive, Node: d, From: d, To: m.broker, Msg: id, Req: m.req, Attempt: m.receives, Reason: m.reason})
		}
		m.receives, m.backoff, m.reason = 0, 0, ReasonNone
		e.brokerStore(m.broker, id, false)
	}
	n.st.backlog(e.now, 0)
}
