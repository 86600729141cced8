package deflate

import (
	"errors"
	"io"
	"strconv"
)

// ErrTooLarge is Inflate's error when the data decompresses to more than
// its limit.
var ErrTooLarge = errors.New("decompresses to more than the limit")

// CorruptError is Inflate's error for data that is not DEFLATE: the
// offset of the byte being read when that became clear.
type CorruptError int64

func (e CorruptError) Error() string {
	return "corrupt input before offset " + strconv.FormatInt(int64(e), 10)
}

// Inflate decompresses raw DEFLATE data (RFC 1951) whole, as the share
// links need it: io.ErrUnexpectedEOF if the data ends before its last
// block does, a CorruptError if it is not DEFLATE, ErrTooLarge once the
// output would pass limit bytes. What follows the last block is ignored.
//
// It accepts and refuses what compress/flate's reader does (a fuzz test
// holds the two together), in a fraction of the code: it decodes a
// Huffman code a bit at a time, canonically (as zlib's puff.c does),
// instead of through lookup tables, which the links' few kilobytes do
// not need.
func Inflate(data []byte, limit int) ([]byte, error) {
	f := inflater{in: data}
	var out []byte
	for {
		final, err := f.bits(1)
		if err != nil {
			return nil, err
		}
		kind, err := f.bits(2)
		if err != nil {
			return nil, err
		}
		switch kind {
		case 0:
			out, err = f.stored(out, limit)
		case 1:
			out, err = f.codes(out, limit, &fixedLit, &fixedDist)
		case 2:
			var lit, dist huffman
			if err = f.dynamic(&lit, &dist); err == nil {
				out, err = f.codes(out, limit, &lit, &dist)
			}
		default:
			err = f.corrupt()
		}
		if err != nil {
			return nil, err
		}
		if final == 1 {
			return out, nil
		}
	}
}

// inflater reads the input a bit at a time, least significant bit first.
type inflater struct {
	in   []byte
	pos  int    // the next byte of in
	bit  uint32 // bits read from in and not yet used
	nbit uint
}

func (f *inflater) corrupt() error { return CorruptError(f.pos) }

// bits returns the next n (at most 16) bits.
func (f *inflater) bits(n uint) (uint32, error) {
	for f.nbit < n {
		if f.pos >= len(f.in) {
			return 0, io.ErrUnexpectedEOF
		}
		f.bit |= uint32(f.in[f.pos]) << f.nbit
		f.pos++
		f.nbit += 8
	}
	v := f.bit & (1<<n - 1)
	f.bit >>= n
	f.nbit -= n
	return v, nil
}

// stored copies a block stored as it is.
func (f *inflater) stored(out []byte, limit int) ([]byte, error) {
	f.bit, f.nbit = 0, 0 // to the next byte boundary
	if len(f.in)-f.pos < 4 {
		f.pos = len(f.in)
		return nil, io.ErrUnexpectedEOF
	}
	n := int(f.in[f.pos]) | int(f.in[f.pos+1])<<8
	if nn := int(f.in[f.pos+2]) | int(f.in[f.pos+3])<<8; n != nn^0xffff {
		f.pos += 4
		return nil, f.corrupt()
	}
	f.pos += 4
	// What is there is read before the end is found missing, so a block
	// cut short is still too large if what it holds is.
	if len(out)+min(n, len(f.in)-f.pos) > limit {
		return nil, ErrTooLarge
	}
	if len(f.in)-f.pos < n {
		return nil, io.ErrUnexpectedEOF
	}
	out = append(out, f.in[f.pos:f.pos+n]...)
	f.pos += n
	return out, nil
}

// huffman is a canonical Huffman code: how many codes have each length,
// and the symbols in code order.
type huffman struct {
	count  [16]uint16
	symbol [288]uint16
	max    uint // the longest code's length; 0 for no code at all
}

// build makes the code of the symbols' lengths (0: no code). Like
// compress/flate it takes only a complete code, a code of one symbol of
// length 1 (as zlib writes a block with one distance), or no code at all.
func (h *huffman) build(lengths []uint8) bool {
	*h = huffman{}
	for _, l := range lengths {
		h.count[l]++
	}
	h.count[0] = 0
	for l := range h.count {
		if h.count[l] > 0 {
			h.max = uint(l)
		}
	}
	left := 1
	for l := 1; l < 16; l++ {
		left = left<<1 - int(h.count[l])
		if left < 0 {
			return false // over-subscribed
		}
	}
	if left > 0 && h.max > 0 && !(h.max == 1 && h.count[1] == 1) {
		return false // incomplete
	}
	var next [16]uint16
	for l := 1; l < 15; l++ {
		next[l+1] = next[l] + h.count[l]
	}
	for s, l := range lengths {
		if l != 0 {
			h.symbol[next[l]] = uint16(s)
			next[l]++
		}
	}
	return true
}

// decode reads one symbol of code h.
func (f *inflater) decode(h *huffman) (int, error) {
	code, first, index := 0, 0, 0
	for l := uint(1); l <= h.max; l++ {
		b, err := f.bits(1)
		if err != nil {
			return 0, err
		}
		code |= int(b)
		count := int(h.count[l])
		if code-first < count {
			return int(h.symbol[index+code-first]), nil
		}
		index += count
		first = (first + count) << 1
		code <<= 1
	}
	return 0, f.corrupt() // no code at all, or the unused half of a one-symbol code
}

// The fixed codes of RFC 1951 section 3.2.6.
var fixedLit, fixedDist = func() (lit, dist huffman) {
	var l [288]uint8
	for i := range l {
		switch {
		case i < 144:
			l[i] = 8
		case i < 256:
			l[i] = 9
		case i < 280:
			l[i] = 7
		default:
			l[i] = 8
		}
	}
	lit.build(l[:])
	// Distance codes 30 and 31 are 5-bit codes too, and data that uses
	// them is corrupt: they are in the code (whole, as build wants it),
	// and codes refuses them.
	var d [32]uint8
	for i := range d {
		d[i] = 5
	}
	dist.build(d[:])
	return lit, dist
}()

// The lengths and distances are deflate.go's lengthBase, lengthExtra,
// distBase and distExtra.

// codes decodes a compressed block's literals and copies up to its end.
func (f *inflater) codes(out []byte, limit int, lit, dist *huffman) ([]byte, error) {
	for {
		sym, err := f.decode(lit)
		if err != nil {
			return nil, err
		}
		switch {
		case sym < 256:
			if len(out) >= limit {
				return nil, ErrTooLarge
			}
			out = append(out, byte(sym))
			continue
		case sym == 256:
			return out, nil
		case sym > 285:
			return nil, f.corrupt()
		}
		sym -= 257
		extra, err := f.bits(uint(lengthExtra[sym]))
		if err != nil {
			return nil, err
		}
		n := int(lengthBase[sym]) + int(extra)
		d, err := f.decode(dist)
		if err != nil {
			return nil, err
		}
		if d >= 30 {
			return nil, f.corrupt()
		}
		extra, err = f.bits(uint(distExtra[d]))
		if err != nil {
			return nil, err
		}
		back := int(distBase[d]) + int(extra)
		if back > len(out) {
			return nil, f.corrupt()
		}
		if len(out)+n > limit {
			return nil, ErrTooLarge
		}
		for range n { // byte by byte: the copy may overlap what it writes
			out = append(out, out[len(out)-back])
		}
	}
}

// order is the order of the code length code's lengths in a header.
var order = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// dynamic reads a block's own codes.
func (f *inflater) dynamic(lit, dist *huffman) error {
	v, err := f.bits(14)
	if err != nil {
		return err
	}
	nlit, ndist, ncode := int(v&31)+257, int(v>>5&31)+1, int(v>>10)+4
	if nlit > 286 || ndist > 30 {
		return f.corrupt()
	}
	var lengths [286 + 30]uint8
	for i := range ncode {
		l, err := f.bits(3)
		if err != nil {
			return err
		}
		lengths[order[i]] = uint8(l)
	}
	var lencode huffman
	if !lencode.build(lengths[:19]) {
		return f.corrupt()
	}
	clear(lengths[:19])
	for i := 0; i < nlit+ndist; {
		sym, err := f.decode(&lencode)
		if err != nil {
			return err
		}
		if sym < 16 {
			lengths[i] = uint8(sym)
			i++
			continue
		}
		var repeat uint8
		var n uint32
		switch sym {
		case 16:
			if i == 0 {
				return f.corrupt()
			}
			repeat = lengths[i-1]
			n, err = f.bits(2)
			n += 3
		case 17:
			n, err = f.bits(3)
			n += 3
		default:
			n, err = f.bits(7)
			n += 11
		}
		if err != nil {
			return err
		}
		if i+int(n) > nlit+ndist {
			return f.corrupt()
		}
		for range n {
			lengths[i] = repeat
			i++
		}
	}
	if !lit.build(lengths[:nlit]) || !dist.build(lengths[nlit:nlit+ndist]) {
		return f.corrupt()
	}
	return nil
}
