//go:build !js

package core

import "unsafe"

// packedRecord is a Record as a traced run keeps it: 32 bytes instead of
// Record's 56. Node, From and To fit a byte (a scenario has at most
// MaxNodes = 200 nodes; 255 stands for -1), and the partition and offset,
// which only topic records have, are kept aside (traceTable.parts), the
// record marking that it has them.
type packedRecord struct {
	at             Duration
	value          int64
	msg, req       int32
	attempt        int16
	kind           RecordKind
	reason         Reason
	node, from, to uint8
	mode           CallMode // | inPartition
}

// keptRecordBytes is what a traced run keeps per record.
const keptRecordBytes = int(unsafe.Sizeof(packedRecord{}))

// The size is checked when the package compiles.
var _ [32 - keptRecordBytes]byte
var _ [keptRecordBytes - 32]byte

// inPartition marks a packed record that has a partition and an offset.
const inPartition CallMode = 0x80

// noNode is how a packed record writes a node index of -1.
const noNode = 255

func packNode(i int32) uint8 {
	if i < 0 {
		return noNode
	}
	return uint8(i)
}

func unpackNode(b uint8) int32 {
	if b == noNode {
		return -1
	}
	return int32(b)
}

// partitionPlace is the partition and offset of record rec.
type partitionPlace struct {
	rec       int32
	partition int32
	offset    int64
}

// traceTable is a traced run's records, packed.
type traceTable struct {
	recs  table[packedRecord]
	parts []partitionPlace // in record order
}

func (t *traceTable) len() int { return t.recs.len() }

// add appends r, packed. The fields are written into the table's slot
// one by one: a packed record built aside was copied in with 16-byte
// loads of fields just stored a byte or four at a time, which the store
// buffer cannot forward (perf put the copy at a quarter of a traced run).
func (t *traceTable) add(r *Record) {
	mode := r.Mode
	if r.Partition >= 0 {
		mode |= inPartition
		t.parts = append(t.parts, partitionPlace{rec: int32(t.recs.len()), partition: r.Partition, offset: r.Offset})
	}
	p := t.recs.next()
	p.at, p.value, p.msg, p.req, p.attempt = r.At, r.Value, r.Msg, r.Req, r.Attempt
	p.kind, p.reason, p.mode = r.Kind, r.Reason, mode
	p.node, p.from, p.to = packNode(r.Node), packNode(r.From), packNode(r.To)
}

// at returns record i.
func (t *traceTable) at(i int32) Record {
	p := t.recs.at(i)
	r := Record{
		At: p.at, Value: p.value, Msg: p.msg, Req: p.req, Attempt: p.attempt,
		Kind: p.kind, Reason: p.reason, Mode: p.mode &^ inPartition,
		Node: unpackNode(p.node), From: unpackNode(p.from), To: unpackNode(p.to),
		Partition: -1, Offset: -1,
	}
	if p.mode&inPartition != 0 {
		lo, hi := 0, len(t.parts)-1 // binary search: the record is there
		for lo < hi {
			if mid := int(uint(lo+hi) >> 1); t.parts[mid].rec < i {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		r.Partition, r.Offset = t.parts[lo].partition, t.parts[lo].offset
	}
	return r
}

// share does nothing natively: the table holds packed records (32 bytes
// each), which the copy does not replace. See records_js.go.
func (t *traceTable) share([]Record) {}

// reserve does nothing natively: packed records are kept in chunks and
// Trace unpacks them into a copy.
func (t *traceTable) reserve(int) {}

// contiguous says the packed records are not a []Record.
func (t *traceTable) contiguous() ([]Record, bool) { return nil, false }
