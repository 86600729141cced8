package core

// eventKind says what an event does when its time comes.
type eventKind uint8

const (
	evGenerate   eventKind = iota // a client starts a request (aux: closed-loop user)
	evArrive                      // a message reaches a node
	evFinish                      // a node's service time for a message is over
	evReply                       // a reply or ack for a call reaches the caller (aux: status)
	evTimeout                     // a caller's deadline for a call passes
	evBrokerAck                   // a consumer's ack or nack reaches its broker (aux: delivery<<3 | lost<<2 | dead-letter<<1 | failed)
	evVisibility                  // a delivery's visibility timeout passes (aux: delivery)
	evRequeue                     // a failed message's back-off is over
	evRetry                       // a caller's back-off before another attempt is over
	evPoll                        // an outbox's poller wakes
	evMark                        // an outbox marks a row published (aux: epoch)
	evFault                       // a fault starts (msg 0) or ends (msg 1) (aux: fault index)
	evRedrive                     // a DLQ sends its messages back
	evToken                       // a rate limiter has a token for the next in line
	evRebalance                   // a topic's consumer groups check who is alive and reassign partitions
)

// event is one entry of the future-event list. It holds no pointers, so
// the heap is a flat slice the garbage collector never scans.
type event struct {
	at   Duration
	seq  uint64
	kind eventKind
	node int32
	msg  int32
	aux  int32
}

// eventHeap is a binary min-heap ordered by (at, seq). The sequence number
// is unique and increasing, so equal times pop in the order they were
// scheduled and the order is total: the same on every machine.
type eventHeap []event

// place and popTo move a hole rather than swapping: each level writes one
// event instead of two, and the comparisons are spelled out, as the
// browser's build does not inline (WASM_GCFLAGS in the Makefile), where
// the heap was a fifth of a run's time.

// place makes room for an event due at (at, seq) and returns its slot, for
// the caller to write the event into. An event built first and then
// copied in was written a field at a time and read back 16 bytes at a
// time, which the processor cannot forward from its store buffer: the
// copy stalled, and perf put a third of Engine.schedule on it.
func (h *eventHeap) place(at Duration, seq uint64) *event {
	*h = append(*h, event{})
	s := *h
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		q := &s[p]
		if !(at < q.at || (at == q.at && seq < q.seq)) {
			break
		}
		s[i] = *q
		i = p
	}
	return &s[i]
}

// popTo moves the first event to *top.
func (h *eventHeap) popTo(top *event) {
	s := *h
	*top = s[0]
	n := len(s) - 1
	last := s[n]
	s = s[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		c := &s[l]
		if r := l + 1; r < n {
			if d := &s[r]; d.at < c.at || (d.at == c.at && d.seq < c.seq) {
				m, c = r, d
			}
		}
		if !(c.at < last.at || (c.at == last.at && c.seq < last.seq)) {
			break
		}
		s[i] = *c
		i = m
	}
	if n > 0 {
		s[i] = last
	}
	*h = s
}

// fifo is a first-in first-out list of message indexes.
type fifo struct {
	items []int32
	head  int
}

func (q *fifo) len() int { return len(q.items) - q.head }

func (q *fifo) push(m int32) {
	if q.head > 0 && q.head == len(q.items) {
		q.items, q.head = q.items[:0], 0
	}
	q.items = append(q.items, m)
}

func (q *fifo) pop() int32 {
	m := q.items[q.head]
	q.head++
	if q.head > 1024 && q.head*2 > len(q.items) {
		n := copy(q.items, q.items[q.head:])
		q.items, q.head = q.items[:n], 0
	}
	return m
}

// at returns the i-th waiting message, 0 being the next out.
func (q *fifo) at(i int) int32 { return q.items[q.head+i] }

// pushFront puts m at the head of the line (a message given back).
func (q *fifo) pushFront(m int32) {
	if q.head > 0 {
		q.head--
		q.items[q.head] = m
		return
	}
	q.items = append(q.items, 0)
	copy(q.items[1:], q.items)
	q.items[0] = m
}
