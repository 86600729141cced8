package core

import "strconv"

// Queues, buses and topics are brokers. A broker stores what producers send
// (after its serviceTime, the time to persist), acknowledges each message
// to its producer once stored, and delivers from its channels to consumers
// as they have room: each consumer has as many credits as its concurrency
// (a prefetch window; one for a topic partition, which is read in order),
// spent on a delivery and returned when its ack or nack reaches the broker.
//
// Delivery is at least once. A queue with a visibility timeout delivers a
// message again if no ack came in time; a nack requeues it (after the
// broker's retry back-off, if it has one) or dead-letters it. A message
// delivered maxReceiveCount times and still failing goes to the dead
// letter queue, as SQS's redrive policy does.

// brokerArrive handles a producer's message reaching broker b.
func (e *Engine) brokerArrive(b, id int32) {
	n := &e.nodes[b]
	if n.capacity > 0 && n.stored >= n.capacity {
		e.refuse(b, id, ReasonQueueFull)
		return
	}
	if n.svc.isZero {
		e.brokerStore(b, id, true)
		return
	}
	e.msgs.at(id).phase = phHandling // being written; a crash now loses it
	e.schedule(e.now+n.svc.draw(n.rng), evFinish, b, id, n.epoch)
}

// brokerStore stores message id in broker b: a queue keeps it, a bus
// stores a copy for each subscriber, a topic appends it to a partition for
// each consumer group. ackProducer says whether a producer waits for the
// ack (a redriven message has none).
func (e *Engine) brokerStore(b, id int32, ackProducer bool) {
	n := &e.nodes[b]
	m := e.msgs.at(id)
	if ackProducer {
		// Stored first, acknowledged right after: the ack promises the
		// message is safe. (Storing may deliver it at once, which changes
		// its hop, so the producer's side is taken now.)
		producer, edge := m.from, m.edge
		defer e.answerOn(id, b, producer, edge, ReasonNone)
	}
	switch n.kind {
	case Queue:
		e.push(b, 0, id, false)
	case Bus:
		if e.rec {
			e.emit(Record{Kind: RecPublish, Node: b, From: m.from, To: b, Msg: id, Req: m.req, Value: int64(len(n.chans))})
		}
		for c := range n.chans {
			e.push(b, int32(c), e.copyMessage(id, n.chans[c].consumers[0].edge), false)
		}
		e.settle(id, msgProcessed) // published: the copies carry on
	case Topic:
		p := e.partitionFor(b, m)
		off := n.partNext[p]
		n.partNext[p]++
		groups := len(n.chans) / n.partitions
		for g := range groups {
			c := int32(g*n.partitions + p)
			cp := id
			if g > 0 {
				cp = e.copyMessage(id, n.chans[c].edgeOr(m.edge))
			}
			cm := e.msgs.at(cp)
			cm.partition, cm.offset = int32(p), off
			e.lagMoved(b, c, 1)
			e.push(b, c, cp, false)
		}
	}
}

// edgeOr returns the edge of the channel's consumer, or def if it has none.
func (ch *channel) edgeOr(def int32) int32 {
	if len(ch.consumers) == 0 {
		return def
	}
	return ch.consumers[0].edge
}

// partitionFor picks the partition of message m in topic b: Kafka's
// default partitioner for a keyed record; for an unkeyed one, the topic's
// partitioner.
func (e *Engine) partitionFor(b int32, m *message) int {
	n := &e.nodes[b]
	if key := e.reqs.at(m.req).key; key >= 0 {
		return keyPartition(strconv.AppendInt([]byte(e.keyPrefix(m.req)), int64(key), 10), n.partitions)
	}
	if n.sticky != nil {
		// Kafka 3.3+'s built-in partitioner (KIP-794,
		// https://cwiki.apache.org/confluence/display/KAFKA/KIP-794%3A+Strictly+Uniform+Sticky+Partitioner):
		// unkeyed records go to one partition until batch.size has been
		// produced to it, then to another chosen at random (uniformly:
		// every partition here is on an equally fast broker, so adaptive
		// partitioning has nothing to prefer).
		if n.batchLeft == 0 {
			n.rrPart = n.sticky.intn(n.partitions)
			n.batchLeft = n.batchSize
		}
		n.batchLeft--
		return n.rrPart
	}
	// Kafka's RoundRobinPartitioner: each record to the next partition.
	p := n.rrPart
	n.rrPart = (n.rrPart + 1) % n.partitions
	return p
}

// push appends message id to channel c of broker b (at the front when it
// is being put back) and delivers what it can.
func (e *Engine) push(b, c, id int32, front bool) {
	n := &e.nodes[b]
	ch := &n.chans[c]
	m := e.msgs.at(id)
	m.broker, m.channel, m.phase = b, c, phStored
	if front {
		// It never left the broker's count: it was delivered and is back.
		ch.buf.pushFront(id)
	} else {
		m.enqueued = e.now
		ch.buf.push(id)
		n.st.enter(e.now)
	}
	n.stored++
	n.st.backlog(e.now, n.stored)
	if e.rec {
		rec := Record{Kind: RecEnqueue, Node: b, From: m.from, To: b, Msg: id, Req: m.req, Attempt: m.attempt, Value: int64(ch.buf.len())}
		if ch.partition >= 0 && !front {
			rec.Value = int64(e.reqs.at(m.req).key) // a topic's record shows its key (-1: none)
		}
		if front {
			rec.Kind = RecRequeue
		}
		e.emitInPartition(rec, ch.partition, m.offset)
	}
	e.dispatch(b, c)
}

// dispatch hands waiting messages of channel c to consumers with credit,
// round robin, skipping consumers that are down.
func (e *Engine) dispatch(b, c int32) {
	n := &e.nodes[b]
	ch := &n.chans[c]
	if n.down || ch.blocked {
		return
	}
	for ch.buf.len() > 0 {
		k := -1
		for i := range ch.consumers {
			j := (ch.rr + i) % len(ch.consumers)
			if ch.consumers[j].credit > 0 && !e.nodes[ch.consumers[j].node].down {
				k = j
				break
			}
		}
		if k < 0 {
			return
		}
		ch.rr = (k + 1) % len(ch.consumers)
		cons := &ch.consumers[k]
		cons.credit--
		id := ch.buf.pop()
		n.stored--
		n.st.backlog(e.now, n.stored)
		ch.unacked++
		m := e.msgs.at(id)
		m.unacked = true
		n.st.waitSum.add(e.now - m.enqueued)
		n.st.starts++
		m.receives++
		m.delivery++
		m.from, m.to, m.edge, m.consumer, m.started = b, cons.node, cons.edge, int32(k), e.now
		m.attempt = m.receives
		m.phase = phTransit
		if e.rec {
			e.emitInPartition(Record{Kind: RecDeliver, Node: b, From: b, To: cons.node, Msg: id, Req: m.req, Attempt: m.attempt, Mode: CallAsync, Value: int64(ch.buf.len())}, ch.partition, m.offset)
		}
		if n.visibility > 0 {
			e.schedule(e.now+n.visibility, evVisibility, b, id, m.delivery)
		}
		e.schedule(e.now+e.latency(cons.edge), evArrive, cons.node, id, 0)
	}
}

// dispatchAll delivers from every channel of broker b.
func (e *Engine) dispatchAll(b int32) {
	for c := range e.nodes[b].chans {
		e.dispatch(b, int32(c))
	}
}

// brokerAnswer sends consumer at's ack (ok) or nack for message id back to
// the broker that delivered it.
func (e *Engine) brokerAnswer(at, id int32, ok bool) {
	m := e.msgs.at(id)
	m.phase = phTransit // out of the consumer's hands: its answer is on the way
	kind := RecAck
	if !ok {
		kind = RecNack
	}
	if e.ackLost(at) {
		if e.rec {
			e.emit(Record{Kind: kind, Node: at, From: at, To: m.broker, Msg: id, Req: m.req, Attempt: m.attempt, Mode: CallAsync, Reason: ReasonAckLost})
		}
		// The consumer has its hands free again even though the broker
		// never hears of it: only the credit goes back.
		e.schedule(e.now+e.latency(m.edge), evBrokerAck, m.broker, id, m.delivery<<3|4)
		return
	}
	if e.rec {
		e.emit(Record{Kind: kind, Node: at, From: at, To: m.broker, Msg: id, Req: m.req, Attempt: m.attempt, Mode: CallAsync, Reason: m.reason})
	}
	aux := m.delivery << 3
	if !ok {
		aux |= 1
		if !e.nodes[at].requeue && m.reason != ReasonNodeDown && m.reason != ReasonRateLimited && m.reason != ReasonLineFull {
			aux |= 2
		}
	}
	e.schedule(e.now+e.latency(m.edge), evBrokerAck, m.broker, id, aux)
}

// ackLost reports whether a lost-ack fault swallows acks from node at now.
func (e *Engine) ackLost(at int32) bool {
	for _, f := range e.nodes[at].lostAcks {
		if e.now >= f.At && e.now < f.Until {
			return true
		}
	}
	return false
}

// brokerAcked runs when a consumer's ack or nack for message id reaches
// broker b. An answer for an earlier delivery (the message has been
// redelivered since) only returns the consumer's credit.
func (e *Engine) brokerAcked(b, id, aux int32) {
	n := &e.nodes[b]
	m := e.msgs.at(id)
	delivery, failed, toDLQ, lost := aux>>3, aux&1 != 0, aux&2 != 0, aux&4 != 0
	ch := &n.chans[m.channel]
	ch.consumers[m.consumer].credit++
	if lost {
		e.dispatch(b, m.channel)
		return
	}
	current := delivery == m.delivery && m.unacked
	rec := Record{Kind: RecReceive, Node: b, From: e.edges[ch.consumers[m.consumer].edge].to, To: b, Msg: id, Req: m.req, Attempt: m.attempt, Mode: CallAsync, Value: int64(e.now - m.started)}
	if failed {
		rec.Reason = m.reason
	}
	if !current {
		rec.Reason = ReasonStale
		if e.rec {
			e.emitInPartition(rec, ch.partition, m.offset)
		}
		if m.orphaned && m.state == msgInFlight {
			// The consumer is done with a message its broker had taken
			// back: a copy went on in its place.
			e.settle(id, outcome(m.reason))
		}
		e.dispatch(b, m.channel)
		return
	}
	if e.rec {
		e.emitInPartition(rec, ch.partition, m.offset)
	}
	ch.unacked--
	m.unacked = false
	switch {
	case !failed:
		if ch.inOrder {
			// Committed after each poll's batch: every commitEvery
			// records, or sooner when the partition has no more.
			ch.done = append(ch.done, id)
			if len(ch.done) >= n.commitEvery || ch.buf.len() == 0 {
				if n.commitEvery > 1 && e.rec {
					e.emitInPartition(Record{Kind: RecOffsetCommit, Node: b, From: rec.From, To: b, Msg: id, Req: m.req, Value: int64(len(ch.done))}, ch.partition, m.offset+1)
				}
				e.commit(b, m.channel, m.offset+1)
			}
		}
		n.st.leave(e.now, e.now-m.enqueued)
		e.settle(id, msgProcessed)
	case ch.inOrder && (m.reason == ReasonCrash || m.reason == ReasonNodeDown):
		// Its consumer crashed with it in hand, or was down when it came:
		// not a failed try, since nobody processed it. After a crash (or a
		// rebalance away from a member gone for good) the partition is
		// read again from the last committed offset: the records
		// processed since go back in front of it.
		m.receives--
		e.pushBack(b, id)
		if m.reason == ReasonCrash || ch.replay {
			e.replay(b, m.channel)
			ch.replay = false
		}
	case toDLQ || n.maxRecv > 0 && int(m.receives) >= n.maxRecv:
		e.deadLetter(b, id)
	default:
		e.redeliverLater(b, id)
	}
	e.dispatch(b, m.channel)
}

// redeliverLater puts a failed message back: after the broker's retry
// back-off if it has one, at once otherwise. A topic partition waits for
// its head, so order holds (and later records wait: head-of-line blocking).
func (e *Engine) redeliverLater(b, id int32) {
	n := &e.nodes[b]
	m := e.msgs.at(id)
	ch := &n.chans[m.channel]
	if n.retry == nil {
		e.m.redelivered++
		e.pushBack(b, id)
		return
	}
	d := n.retry.delay(int(m.receives), m.backoff, n.rng)
	m.backoff = d
	m.phase = phRetryWait
	e.m.retried++
	if e.rec {
		e.emitInPartition(Record{Kind: RecRetry, Node: b, From: b, To: b, Msg: id, Req: m.req, Attempt: m.receives + 1, Reason: m.reason, Value: int64(d)}, ch.partition, m.offset)
	}
	if ch.inOrder {
		ch.blocked = true
	}
	e.schedule(e.now+d, evRequeue, b, id, 0)
}

// requeue runs when a failed message's back-off is over.
func (e *Engine) requeue(b, id int32) {
	n := &e.nodes[b]
	m := e.msgs.at(id)
	n.chans[m.channel].blocked = false
	e.m.redelivered++
	e.pushBack(b, id)
}

// pushBack returns message id to the front of its channel, where it was.
func (e *Engine) pushBack(b, id int32) {
	e.push(b, e.msgs.at(id).channel, id, true)
}

// visibilityExpired runs when delivery number delivery of message id has
// gone unacknowledged for the queue's visibility timeout.
func (e *Engine) visibilityExpired(b, id, delivery int32) {
	n := &e.nodes[b]
	m := e.msgs.at(id)
	if delivery != m.delivery || !m.unacked {
		return
	}
	ch := &n.chans[m.channel]
	ch.unacked--
	m.unacked = false
	m.reason = ReasonVisibility
	if e.rec {
		e.emit(Record{Kind: RecRedeliver, Node: b, From: m.to, To: b, Msg: id, Req: m.req, Attempt: m.attempt, Reason: ReasonVisibility, Value: int64(n.visibility)})
	}
	if m.phase == phWaiting || m.phase == phHandling {
		// The consumer still has it (waiting for a worker, or at work):
		// it goes on with it, unaware, while the queue carries on with a
		// copy of the same event (SQS: the message is visible again while
		// the first receiver still holds it).
		id = e.orphan(id)
		m = e.msgs.at(id)
	}
	if n.maxRecv > 0 && int(m.receives) >= n.maxRecv {
		e.deadLetter(b, id)
		e.dispatch(b, m.channel)
		return
	}
	e.m.redelivered++
	e.pushBack(b, id)
}

// orphan leaves message id with the consumer that holds it and returns a
// copy that takes its place in its broker. The consumer's work on the
// original ends in an ack for a delivery the broker has moved on from,
// which settles it (brokerAcked).
func (e *Engine) orphan(id int32) int32 {
	m := e.msgs.at(id)
	c := e.copyMessage(id, m.edge)
	cm := e.msgs.at(c)
	cm.broker, cm.channel, cm.consumer = m.broker, m.channel, m.consumer
	cm.partition, cm.offset, cm.enqueued = m.partition, m.offset, m.enqueued
	cm.receives, cm.delivery, cm.attempt = m.receives, m.delivery, m.attempt
	cm.reason, cm.backoff, cm.phase = m.reason, m.backoff, phStored
	m.orphaned = true
	return c
}

// deadLetter moves message id from broker b to its dead letter queue, or
// drops it with the reason if b has none.
func (e *Engine) deadLetter(b, id int32) {
	n := &e.nodes[b]
	m := e.msgs.at(id)
	ch := &n.chans[m.channel]
	if ch.inOrder {
		e.commit(b, m.channel, m.offset+1) // the partition moves on past it
	}
	n.st.leave(e.now, e.now-m.enqueued)
	if n.dlqEdge < 0 {
		if e.rec {
			e.emitInPartition(Record{Kind: RecDrop, Node: b, From: b, To: b, Msg: id, Req: m.req, Attempt: m.receives, Reason: ReasonGaveUp}, ch.partition, m.offset)
		}
		e.m.dropReasons[ReasonGaveUp]++
		e.settle(id, msgDropped)
		return
	}
	ed := &e.edges[n.dlqEdge]
	m.from, m.to, m.edge, m.phase = b, ed.to, n.dlqEdge, phTransit
	if e.rec {
		e.emitInPartition(Record{Kind: RecDeadLetter, Node: b, From: b, To: ed.to, Msg: id, Req: m.req, Attempt: m.receives, Reason: m.reason, Value: int64(m.receives)}, ch.partition, m.offset)
	}
	e.schedule(e.now+e.latency(n.dlqEdge), evArrive, ed.to, id, 0)
}

// commit moves the committed offset of channel c of topic b (a partition
// read by one consumer group) to next.
func (e *Engine) commit(b, c int32, next int64) {
	ch := &e.nodes[b].chans[c]
	caughtUp := next - ch.committed
	ch.committed = next
	ch.done = ch.done[:0]
	e.lagMoved(b, c, -caughtUp)
}

// lagMoved records that the lag of channel c of topic b (records written
// to its partition that its group has not committed) moved by delta: its
// partition's most, and its group's total over time.
func (e *Engine) lagMoved(b, c int32, delta int64) {
	n := &e.nodes[b]
	ch := &n.chans[c]
	ch.maxLag = max(ch.maxLag, n.partNext[ch.partition]-ch.committed)
	if n.groupLag == nil {
		groups := len(n.chans) / n.partitions
		n.groupLag = make([]int64, groups)
		n.lagSeries = make([]Series, groups)
		for g := range n.lagSeries {
			n.lagSeries[g] = newSeries(false)
		}
	}
	g := ch.group
	n.groupLag[g] += delta
	n.lagSeries[g].observe(e.now, n.groupLag[g])
}

// keyPrefix is the text before the number in the key of request req.
func (e *Engine) keyPrefix(req int32) string {
	if wl := e.nodes[e.reqs.at(req).client].wl; wl != nil {
		return wl.KeyPrefix
	}
	return ""
}

// consumerGone runs when node at goes down or crashes: each topic it
// consumes checks, once the session timeout has passed, whether it is
// still gone, and if so reassigns its partitions.
func (e *Engine) consumerGone(at int32) {
	for b := range e.nodes {
		if n := &e.nodes[b]; n.kind == Topic && e.consumes(int32(b), at) {
			e.schedule(e.now+n.session, evRebalance, int32(b), -1, 0)
		}
	}
}

// consumerBack runs when node at is up again: each topic it consumes
// rebalances at once, giving it its share back.
func (e *Engine) consumerBack(at int32) {
	for b := range e.nodes {
		if n := &e.nodes[b]; n.kind == Topic && e.consumes(int32(b), at) {
			e.rebalance(int32(b))
		}
	}
}

// consumes reports whether node at is a member of a consumer group of
// topic b.
func (e *Engine) consumes(b, at int32) bool {
	for _, members := range e.nodes[b].members {
		for _, ed := range members {
			if e.edges[ed].to == at {
				return true
			}
		}
	}
	return false
}

// rebalance reassigns the partitions of topic b in each consumer group
// among the members still in it (those up, or down for less than the
// session timeout), by range assignment, as Kafka's group coordinator
// does (https://kafka.apache.org/documentation/#consumerconfigs_session.timeout.ms).
// A partition that changes hands goes on from its last committed offset:
// its new owner reads from there.
func (e *Engine) rebalance(b int32) {
	n := &e.nodes[b]
	for g, members := range n.members {
		var alive []int32
		var ids []string
		for _, ed := range members {
			to := &e.nodes[e.edges[ed].to]
			if to.down && e.now-to.downAt >= n.session {
				continue
			}
			alive = append(alive, ed)
			ids = append(ids, e.sc.Nodes[e.edges[ed].to].ID)
		}
		if len(alive) == 0 {
			continue // nobody to give them to: the partitions wait
		}
		for i, parts := range rangeAssign(n.partitions, ids) {
			for _, p := range parts {
				c := int32(g*n.partitions + p)
				ch := &n.chans[c]
				if len(ch.consumers) > 0 && ch.consumers[0].edge == alive[i] {
					continue
				}
				// From a member gone for good, the partition goes on from
				// its last committed offset: what it processed since is
				// read again (at once, or when a record still out to it
				// comes back).
				gone := len(ch.consumers) > 0 && e.nodes[ch.consumers[0].node].down
				// One record of a partition at a time: if one is still out
				// with the old owner, its answer gives the credit back.
				ch.consumers = []consumer{{edge: alive[i], node: e.edges[alive[i]].to, credit: int32(1 - ch.unacked)}}
				if e.rec {
					e.emitInPartition(Record{Kind: RecRebalance, Node: b, From: b, To: e.edges[alive[i]].to, Msg: -1, Req: -1}, int32(p), ch.committed)
				}
				switch {
				case gone && ch.unacked > 0:
					ch.replay = true
				case gone:
					e.replay(b, c) // it dispatches too
					continue
				}
				e.dispatch(b, c)
			}
		}
	}
}

// replay puts copies of the records of channel c of topic b processed
// since its last commit back at the front of the partition, oldest first:
// whoever reads it next starts from the committed offset, as a Kafka
// consumer does after a crash, and handles them again (duplicates of the
// same events).
func (e *Engine) replay(b, c int32) {
	n := &e.nodes[b]
	ch := &n.chans[c]
	for i := len(ch.done) - 1; i >= 0; i-- {
		orig := e.msgs.at(ch.done[i])
		cp := e.copyMessage(ch.done[i], orig.edge)
		cm := e.msgs.at(cp)
		cm.partition, cm.offset, cm.from = orig.partition, orig.offset, b
		cm.broker, cm.channel, cm.phase, cm.enqueued = b, c, phStored, e.now
		ch.buf.pushFront(cp)
		n.stored++
		n.st.enter(e.now)
		if e.rec {
			e.emitInPartition(Record{Kind: RecRequeue, Node: b, From: b, To: b, Msg: cp, Req: cm.req, Attempt: 1, Value: int64(ch.buf.len())}, ch.partition, cm.offset)
		}
	}
	n.st.backlog(e.now, n.stored)
	ch.done = ch.done[:0]
	e.dispatch(b, c)
}

// consumerCrashed runs when node at crashes: every partition it reads is
// read again from its last committed offset. One with a record in the
// consumer's hands replays when that record comes back (brokerAcked).
func (e *Engine) consumerCrashed(at int32) {
	for b := range e.nodes {
		n := &e.nodes[b]
		if n.kind != Topic {
			continue
		}
		for c := range n.chans {
			ch := &n.chans[c]
			if len(ch.consumers) == 0 || ch.consumers[0].node != at || len(ch.done) == 0 {
				continue
			}
			if ch.unacked > 0 {
				ch.replay = true
				continue
			}
			e.replay(int32(b), int32(c))
		}
	}
}
