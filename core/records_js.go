//go:build js

package core

import "unsafe"

// In WebAssembly a traced run keeps its records unpacked (records.go packs
// them natively in 32 bytes): the packing code would not fit the sandbox
// program's size budget. The records, and so the trace and its hash, are
// the same either way.
type traceTable struct{ recs table[Record] }

// keptRecordBytes is what a traced run keeps per record.
const keptRecordBytes = int(unsafe.Sizeof(Record{}))

func (t *traceTable) len() int          { return t.recs.len() }
func (t *traceTable) add(r *Record)     { *t.recs.next() = *r }
func (t *traceTable) at(i int32) Record { return *t.recs.at(i) }

// share makes the table's full chunks views of flat, a copy of its first
// len(flat) records (CopySome's), so that the chunks it allocated are
// garbage: a traced run then holds its records once, not twice (67 MB
// for a 100k-request run). Records are never changed once added, and a
// full chunk is never written again.
func (t *traceTable) share(flat []Record) {
	for c := range min(len(flat)>>chunkBits, len(t.recs.chunks)) {
		if t.recs.chunks[c] != nil {
			t.recs.chunks[c] = flat[c<<chunkBits : (c+1)<<chunkBits : (c+1)<<chunkBits]
		}
	}
}
