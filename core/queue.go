package core

// A queue stores messages first in, first out. It acknowledges each
// message to its producer once stored (after its serviceTime, the time to
// persist), and delivers to its consumers as they have room: each consumer
// has as many credits as its concurrency (a prefetch window), spent on a
// delivery and returned when its ack reaches the queue.

func (e *Engine) queueArrive(q, id int32) {
	n := &e.nodes[q]
	m := e.msgs.at(id)
	if n.capacity > 0 && n.buf.len() >= n.capacity {
		if e.rec {
			e.emit(Record{Kind: RecDrop, Node: q, From: m.from, To: q, Msg: id, Req: m.req, Attempt: m.attempt, Reason: ReasonQueueFull})
		}
		e.m.dropReasons[ReasonQueueFull]++
		e.answer(id, ReasonQueueFull)
		e.settle(id, msgDropped)
		return
	}
	if n.svc.isZero {
		e.enqueue(q, id)
		return
	}
	e.schedule(e.now+n.svc.draw(n.rng), evFinish, q, id, 0)
}

func (e *Engine) enqueue(q, id int32) {
	n := &e.nodes[q]
	m := e.msgs.at(id)
	m.enqueued = e.now
	n.buf.push(id)
	n.st.enter(e.now)
	n.st.backlog(e.now, n.buf.len())
	if e.rec {
		e.emit(Record{Kind: RecEnqueue, Node: q, From: m.from, To: q, Msg: id, Req: m.req, Attempt: m.attempt, Value: int64(n.buf.len())})
	}
	e.answer(id, ReasonNone)
	e.dispatch(q)
}

// dispatch hands waiting messages to consumers with credit, round robin.
func (e *Engine) dispatch(q int32) {
	n := &e.nodes[q]
	for n.buf.len() > 0 {
		c := -1
		for i := range n.consumers {
			k := (n.rr + i) % len(n.consumers)
			if n.consumers[k].credit > 0 {
				c = k
				break
			}
		}
		if c < 0 {
			return
		}
		n.rr = (c + 1) % len(n.consumers)
		cons := &n.consumers[c]
		cons.credit--
		id := n.buf.pop()
		n.st.backlog(e.now, n.buf.len())
		n.unacked++
		m := e.msgs.at(id)
		n.st.waitSum += e.now - m.enqueued
		n.st.starts++
		m.from, m.to, m.edge, m.queue, m.started = q, cons.node, cons.edge, q, e.now
		if e.rec {
			e.emit(Record{Kind: RecDeliver, Node: q, From: q, To: cons.node, Msg: id, Req: m.req, Attempt: m.attempt, Mode: CallAsync, Value: int64(n.buf.len())})
		}
		ed := &e.edges[cons.edge]
		e.schedule(e.now+ed.lat.draw(ed.rng), evArrive, cons.node, id, 0)
	}
}

// ackToQueue sends the consumer's ack for message id back to its queue.
func (e *Engine) ackToQueue(at, id int32) {
	m := e.msgs.at(id)
	ed := &e.edges[m.edge]
	if e.rec {
		e.emit(Record{Kind: RecAck, Node: at, From: at, To: m.queue, Msg: id, Req: m.req, Attempt: m.attempt, Mode: CallAsync})
	}
	e.schedule(e.now+ed.lat.draw(ed.rng), evQueueAck, m.queue, id, m.edge)
}

// queueAck runs when a consumer's ack for message id reaches queue q: the
// message is deleted and the consumer's credit returned.
func (e *Engine) queueAck(q, id, edge int32) {
	n := &e.nodes[q]
	m := e.msgs.at(id)
	n.unacked--
	for i := range n.consumers {
		if n.consumers[i].edge == edge {
			n.consumers[i].credit++
		}
	}
	n.st.leave(e.now, e.now-m.enqueued)
	if e.rec {
		e.emit(Record{Kind: RecReceive, Node: q, From: e.edges[edge].to, To: q, Msg: id, Req: m.req, Attempt: m.attempt, Mode: CallAsync, Value: int64(e.now - m.started)})
	}
	e.dispatch(q)
}
