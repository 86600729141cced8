package core

// A client starts requests according to its workload and waits for each
// one's reply (sync edge) or ack (async edge). Open-loop users do not wait
// for one request before sending the next; closed-loop users do.

func (e *Engine) startWorkload(c int32) {
	n := &e.nodes[c]
	if n.role != roleClient {
		return
	}
	w := n.wl
	switch w.Type {
	case Single:
		e.schedule(w.At, evGenerate, c, -1, -1)
	case Poisson:
		e.scheduleOpen(c, 0)
	case Schedule:
		n.phase, n.phaseEnd = 0, w.Phases[0].Duration
		e.scheduleOpen(c, 0)
	case Closed:
		n.think = compile(w.Think)
		n.perUser = make([]int32, w.Users)
		for u := range w.Users {
			e.schedule(n.think.draw(n.rng), evGenerate, c, -1, int32(u))
		}
	}
}

// scheduleOpen schedules an open-loop client's next arrival after from.
func (e *Engine) scheduleOpen(c int32, from Duration) {
	n := &e.nodes[c]
	w := n.wl
	if w.Count > 0 && n.sent >= w.Count {
		return
	}
	switch {
	case !n.phased: // Poisson
		next := from + toDuration(float64(float64(Second)/w.Rate)*n.rng.exponential())
		if w.Duration > 0 && next > w.Duration {
			return
		}
		e.schedule(next, evGenerate, c, -1, -1)
	default: // Schedule
		for n.phase < len(w.Phases) {
			p := w.Phases[n.phase]
			if p.Rate > 0 {
				next := from + toDuration(float64(float64(Second)/p.Rate)*n.rng.exponential())
				if next <= n.phaseEnd {
					e.schedule(next, evGenerate, c, -1, -1)
					return
				}
			}
			// The exponential is memoryless, so starting afresh at the
			// phase boundary gives the right arrival process.
			from = n.phaseEnd
			n.phase++
			if n.phase < len(w.Phases) {
				n.phaseEnd += w.Phases[n.phase].Duration
			}
		}
	}
}

// generate starts one request from client c (user u for closed loops).
func (e *Engine) generate(c, u int32) {
	n := &e.nodes[c]
	// Written in its slot (table.next), not copied in by table.add.
	r := e.reqs.next()
	req := int32(e.reqs.len() - 1)
	*r = request{client: c, user: u, index: int32(n.sent), key: -1, start: e.now, userEnd: -1, doneAt: -1, open: 1}
	r.poison = n.poison[n.sent]
	if n.wl.Keys > 0 {
		r.key = int32(1 + n.rng.intn(n.wl.Keys))
		if e.keySeqs == nil {
			e.keySeqs = map[int64]int32{}
		}
		k := keyID(c, r.key)
		r.keySeq = e.keySeqs[k]
		e.keySeqs[k]++
	}
	if reclaiming && e.rc.on {
		e.rc.newRequest(req)
	}
	e.m.started++
	n.sent++
	if u >= 0 {
		n.perUser[u]++
	}
	e.send(e.newMessage(req, n.out[0], callerClient))
	if n.open {
		e.scheduleOpen(c, e.now)
	}
}

// clientAnswer runs when the reply (or error, or deadline) for message id
// reaches client c: it retries if its policy says so, or ends the wait.
func (e *Engine) clientAnswer(c int32, id int32, reason Reason) {
	m := e.msgs.at(id)
	if reason != ReasonNone && e.retryCall(c, id) {
		return
	}
	r := e.reqs.at(m.req)
	waited := e.now - r.start
	r.userEnd = e.now
	switch reason {
	case ReasonNone:
		r.outcome = reqOK
		e.m.ok++
	case ReasonTimeout:
		r.outcome = reqTimedOut
		e.m.timedOut++
	default:
		r.outcome = reqFailed
		e.m.errors++
	}
	e.m.user.add(waited)
	if reason == ReasonNone {
		e.m.userOK.add(waited)
	}
	n := &e.nodes[c]
	if n.closed {
		w := n.wl
		if w.Count == 0 || int(n.perUser[r.user]) < w.Count {
			next := e.now + n.think.draw(n.rng)
			if w.Duration == 0 || next <= w.Duration {
				e.schedule(next, evGenerate, c, -1, r.user)
			}
		}
	}
	e.closeOne(m.req)
}
