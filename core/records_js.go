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
