//go:build js

package core

import "unsafe"

// In WebAssembly a traced run keeps its records unpacked (records.go packs
// them natively in 32 bytes): the packing code would not fit the sandbox
// program's size budget. The records, and so the trace and its hash, are
// the same either way.
//
// They go into one contiguous slice reserved up front (reserve, from the
// run's estimate), which is then the trace itself: Trace copies nothing,
// and every record is written once, to memory the tab touches once. Past
// the reservation (an estimate that fell short, or none), records go to
// chunks that never move, and Trace makes a contiguous copy as natively.
type traceTable struct {
	flat []Record      // the first records, within the reservation
	more table[Record] // the records past it
}

// keptRecordBytes is what a traced run keeps per record.
const keptRecordBytes = int(unsafe.Sizeof(Record{}))

func (t *traceTable) len() int { return len(t.flat) + t.more.len() }

func (t *traceTable) add(r *Record) {
	if len(t.flat) < cap(t.flat) {
		t.flat = append(t.flat, *r)
		return
	}
	*t.more.next() = *r
}

func (t *traceTable) at(i int32) Record {
	if int(i) < len(t.flat) {
		return t.flat[i]
	}
	return *t.more.at(i - int32(len(t.flat)))
}

// reserve makes room for n records in all, moving those kept so far (a
// pilot's) into it. It does nothing once records went past an earlier
// reservation, or for n no larger than the room there is.
func (t *traceTable) reserve(n int) {
	if n <= cap(t.flat) || (cap(t.flat) > 0 && t.more.len() > 0) {
		return
	}
	flat := make([]Record, 0, n)
	flat = append(flat, t.flat...)
	for i := range t.more.len() {
		flat = append(flat, *t.more.at(int32(i)))
	}
	t.flat, t.more = flat, table[Record]{}
}

// contiguous returns every record in one slice, without copying, if they
// are all within the reservation.
func (t *traceTable) contiguous() ([]Record, bool) {
	if t.more.len() > 0 {
		return nil, false
	}
	return t.flat, true
}

// share makes flat, a copy of every record (CopySome's), the table's
// storage, so that the records are held once, not twice.
func (t *traceTable) share(flat []Record) {
	if len(flat) == t.len() {
		t.flat, t.more = flat, table[Record]{}
	}
}
