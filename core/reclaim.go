//go:build !(js && sandbox)

package core

// An untraced run keeps only what is in flight: the records of messages
// and requests that are over are freed, a chunk (chunkSize records) at a
// time, so that a run of ten million customers holds what a run of ten
// thousand does. Ids stay what they were (the n-th message is message n,
// traced or not), so freeing changes nothing a run does.
//
// A chunk of messages is freed once
//   - every message in it is over (processed, failed, dropped or lost; a
//     dead-lettered message may be redriven, so it is kept),
//   - no pending event names one of them (pins, counted as events are
//     scheduled and popped),
//   - no line or list of a node holds one of them (a cancelled call waits
//     in its line until its turn; a topic keeps processed records until
//     their offset is committed): checked by a scan of those lists when
//     the chunk is a candidate, at most every memoryCheckEvery events;
//   - the chunk is full;
//   - and no message that may still read its caller names one of them as
//     its caller (callee pins).
//
// A message reads its caller only while it is in flight or while an event
// names it (its reply, its deadline, its retry). So once a chunk meets the
// first four conditions (it is "done"), none of its messages will read a
// caller again, and it gives back the callee pins it holds on older chunks
// before it is freed itself. A caller is always an older message, so the
// pins point back: a done chunk frees its elders, and at most the chunks
// whose callees are not yet done are held. (Pins given back only when the
// callee's chunk was freed made a chain that ended at the chunk still
// filling: a sync call that publishes to a topic, which waits for the
// broker's ack, kept every message of the run.)
//
// A chunk of requests is freed once every request in it is done and no
// kept message belongs to one of them. A traced run frees too: what the
// player shows comes from the trace's records, which are kept, never from
// the engine's messages. Its memory is still counted as if it kept them
// (Engine.memory), so that it stops at the same step wherever it runs,
// the sandbox's programs, which free nothing, included. A scenario with an
// outbox keeps everything: its rows name the copies they were published as.

// reclaiming: untraced runs free what they are done with. main.wasm frees
// too (its untraced runs are the lessons' checks and comparisons, and
// WebAssembly memory, once grown, is never given back); the sandbox's
// programs do not (reclaim_sandbox.go).
const reclaiming = true

type reclaimer struct {
	on               bool
	msgLive, msgPins []int32 // per chunk of messages: in flight, named by events
	calleePins       []int32 // per chunk of messages: callees not done that name one as caller
	msgDone          []bool  // per chunk of messages: done, its callee pins given back
	// Per chunk of messages, the pins its messages hold: on chunks of
	// requests (every message pins its request's) and on older chunks of
	// messages (callers). Counted here as messages are made, so that
	// giving them back reads a few counts, not the chunk's 2 MB of
	// messages (perf: a scan that was 4 % of an untraced run).
	reqHolds, callerHolds [][]chunkCount
	reqLive, reqPins      []int32 // per chunk of requests
	msgCands, reqCand     []int32 // chunks whose counts reached zero
	rooted                []bool  // sweep's scratch: chunks a node's list holds
	sweepEvery            int64   // events between sweeps, a power of two (tests: 1)
}

// chunkCount is a number of pins on one chunk.
type chunkCount struct{ chunk, n int32 }

// hold counts one more pin on chunk k in h. A chunk's messages mostly
// belong to a few consecutive chunks of requests and callers, so the list
// is short and the last entry mostly the one.
func hold(h *[]chunkCount, k int32) {
	l := *h
	for i := len(l) - 1; i >= 0; i-- {
		if l[i].chunk == k {
			l[i].n++
			return
		}
	}
	*h = append(l, chunkCount{k, 1})
}

// setUp turns freeing on for a run of sc without an outbox.
func (rc *reclaimer) setUp(opt Options, sc *Scenario) {
	rc.on, rc.sweepEvery = true, memoryCheckEvery
	for _, n := range sc.Nodes {
		rc.on = rc.on && n.Kind != Outbox
	}
}

// due reports whether to sweep before event n.
func (rc *reclaimer) due(n int64) bool { return rc.on && n&(rc.sweepEvery-1) == 0 }

// overMsg reports whether a message in state s is over for good.
func overMsg(s msgState) bool {
	return s == msgProcessed || s == msgFailed || s == msgDropped || s == msgLost
}

func (rc *reclaimer) newMessage(id, req, caller int32) {
	c := id >> chunkBits
	for int(c) >= len(rc.msgLive) {
		rc.msgLive = append(rc.msgLive, 0)
		rc.msgPins = append(rc.msgPins, 0)
		rc.calleePins = append(rc.calleePins, 0)
		rc.msgDone = append(rc.msgDone, false)
		rc.reqHolds = append(rc.reqHolds, nil)
		rc.callerHolds = append(rc.callerHolds, nil)
	}
	rc.msgLive[c]++
	rc.reqPins[req>>chunkBits]++
	hold(&rc.reqHolds[c], req>>chunkBits)
	if pinsCaller(id, caller) {
		rc.calleePins[caller>>chunkBits]++
		hold(&rc.callerHolds[c], caller>>chunkBits)
	}
}

// pinsCaller reports whether message id pins its caller's chunk: it does
// if it has a caller in an older chunk (one in its own chunk is freed with
// it).
func pinsCaller(id, caller int32) bool { return caller >= 0 && caller>>chunkBits != id>>chunkBits }

func (rc *reclaimer) newRequest(req int32) {
	c := req >> chunkBits
	for int(c) >= len(rc.reqLive) {
		rc.reqLive = append(rc.reqLive, 0)
		rc.reqPins = append(rc.reqPins, 0)
	}
	rc.reqLive[c]++
}

// settled counts a message's change of state from prev to s.
func (rc *reclaimer) settled(id int32, prev, s msgState) {
	c := id >> chunkBits
	switch {
	case !overMsg(prev) && overMsg(s):
		rc.msgLive[c]--
		rc.msgCheck(c)
	case overMsg(prev) && !overMsg(s):
		rc.msgLive[c]++
	}
}

func (rc *reclaimer) msgCheck(c int32) {
	if rc.msgLive[c] == 0 && rc.msgPins[c] == 0 {
		rc.msgCands = append(rc.msgCands, c)
	}
}

func (rc *reclaimer) reqCheck(c int32) {
	if rc.reqLive[c] == 0 && rc.reqPins[c] == 0 {
		rc.reqCand = append(rc.reqCand, c)
	}
}

func (rc *reclaimer) requestDone(req int32) {
	c := req >> chunkBits
	rc.reqLive[c]--
	rc.reqCheck(c)
}

func (rc *reclaimer) requestReopened(req int32) { rc.reqLive[req>>chunkBits]++ }

// pin and unpin count the pending events that name message id.
func (rc *reclaimer) pin(id int32) { rc.msgPins[id>>chunkBits]++ }

func (rc *reclaimer) unpin(id int32) {
	c := id >> chunkBits
	rc.msgPins[c]--
	rc.msgCheck(c)
}

// namesMessage reports whether an event of kind k names a message in its
// msg field.
func namesMessage(k eventKind, msg int32) bool { return msg >= 0 && k != evFault }

// sweep frees the candidate chunks that nothing holds any more.
func (e *Engine) sweep() {
	rc := &e.rc
	if len(rc.msgCands) > 0 {
		e.markRooted()
		cands := rc.msgCands
		rc.msgCands = nil
		var keep []int32
		for len(cands) > 0 {
			c := cands[len(cands)-1]
			cands = cands[:len(cands)-1]
			if e.msgs.chunks[c] == nil || rc.msgLive[c] != 0 || rc.msgPins[c] != 0 {
				continue // freed already, or in use again: counted anew when it is over
			}
			if !rc.msgDone[c] {
				if rc.rooted[c] || int(c+1)<<chunkBits > e.msgs.len() {
					keep = append(keep, c) // held by a list, or still filling: look again later
					continue
				}
				// Done: its messages read no caller again.
				rc.msgDone[c] = true
				for _, h := range rc.callerHolds[c] {
					if rc.calleePins[h.chunk] -= h.n; rc.calleePins[h.chunk] == 0 && rc.msgDone[h.chunk] {
						cands = append(cands, h.chunk)
					}
				}
				rc.callerHolds[c] = nil
			}
			if rc.calleePins[c] != 0 {
				continue // a newer chunk's callee may read it: back here when that one is done
			}
			for _, h := range rc.reqHolds[c] {
				rc.reqPins[h.chunk] -= h.n
				rc.reqCheck(h.chunk)
			}
			rc.reqHolds[c] = nil
			e.msgs.free(c)
		}
		rc.msgCands = append(rc.msgCands, keep...)
	}
	if len(rc.reqCand) > 0 {
		var keep []int32
		for _, c := range rc.reqCand {
			switch {
			case e.reqs.chunks[c] == nil || rc.reqLive[c] != 0 || rc.reqPins[c] != 0:
			case int(c+1)<<chunkBits > e.reqs.len():
				keep = append(keep, c)
			default:
				e.reqs.free(c)
			}
		}
		rc.reqCand = keep
	}
}

// markRooted marks the chunks of messages that some node's line or list
// holds.
func (e *Engine) markRooted() {
	rc := &e.rc
	rc.rooted = append(rc.rooted[:0], make([]bool, len(rc.msgLive))...)
	mark := func(ids []int32) {
		for _, id := range ids {
			rc.rooted[id>>chunkBits] = true
		}
	}
	for i := range e.nodes {
		n := &e.nodes[i]
		mark(n.backlog.items[n.backlog.head:])
		mark(n.rows.items[n.rows.head:])
		mark(n.waitTokens.items[n.waitTokens.head:])
		mark(n.publishing)
		mark(n.held)
		for j := range n.chans {
			ch := &n.chans[j]
			mark(ch.buf.items[ch.buf.head:])
			mark(ch.done)
		}
	}
}
