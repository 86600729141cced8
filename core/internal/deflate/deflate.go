package deflate

const (
	window    = 1 << 15 // how far back a match may reach
	minMatch  = 3
	maxMatch  = 258
	hashBits  = 14
	maxChain  = 64 // candidates tried per position
	goodMatch = 128
)

// Length codes 257…285: each one's base length and extra bits (RFC 1951
// §3.2.5).
var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

// bitWriter packs bits least significant first, as DEFLATE does.
type bitWriter struct {
	out  []byte
	acc  uint32
	nacc uint
}

func (w *bitWriter) bits(v uint32, n uint) {
	w.acc |= v << w.nacc
	w.nacc += n
	for w.nacc >= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.nacc -= 8
	}
}

// code writes a Huffman code of n bits, which DEFLATE packs most
// significant bit first.
func (w *bitWriter) code(c uint32, n uint) {
	r := uint32(0)
	for range n {
		r = r<<1 | c&1
		c >>= 1
	}
	w.bits(r, n)
}

// literal writes literal/length symbol s with the fixed code (§3.2.6).
func (w *bitWriter) literal(s int) {
	switch {
	case s < 144:
		w.code(uint32(0x30+s), 8)
	case s < 256:
		w.code(uint32(0x190+s-144), 9)
	case s < 280:
		w.code(uint32(s-256), 7)
	default:
		w.code(uint32(0xc0+s-280), 8)
	}
}

// match writes a copy of length bytes from dist back.
func (w *bitWriter) match(length, dist int) {
	l := 28
	for int(lengthBase[l]) > length {
		l--
	}
	w.literal(257 + l)
	w.bits(uint32(length-int(lengthBase[l])), uint(lengthExtra[l]))
	d := 29
	for int(distBase[d]) > dist {
		d--
	}
	w.code(uint32(d), 5)
	w.bits(uint32(dist-int(distBase[d])), uint(distExtra[d]))
}

func hash(b []byte) uint32 {
	return (uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2])) * 2654435761 >> (32 - hashBits)
}

// Compress returns data as raw DEFLATE: one final block with fixed codes.
func Compress(data []byte) ([]byte, error) {
	w := &bitWriter{out: make([]byte, 0, len(data)/2+16)}
	w.bits(1, 1) // BFINAL
	w.bits(1, 2) // BTYPE 01: fixed Huffman codes
	head := make([]int32, 1<<hashBits)
	for i := range head {
		head[i] = -1
	}
	prev := make([]int32, len(data))
	insert := func(i int) {
		if i+minMatch <= len(data) {
			h := hash(data[i:])
			prev[i], head[h] = head[h], int32(i)
		}
	}
	// longest finds the longest match for the bytes at i among those
	// inserted before it.
	longest := func(i int) (best, dist int) {
		if i+minMatch > len(data) {
			return 0, 0
		}
		limit := min(maxMatch, len(data)-i)
		for j, tries := head[hash(data[i:])], 0; j >= 0 && i-int(j) <= window && tries < maxChain; j, tries = prev[j], tries+1 {
			n := 0
			for n < limit && data[int(j)+n] == data[i+n] {
				n++
			}
			if n > best {
				best, dist = n, i-int(j)
				if n >= goodMatch || n == limit {
					break
				}
			}
		}
		return best, dist
	}
	for i := 0; i < len(data); {
		best, dist := longest(i)
		if best >= minMatch && best < goodMatch {
			// Lazy matching: a longer match one byte on is worth a
			// literal here.
			insert(i)
			if next, _ := longest(i + 1); next > best {
				w.literal(int(data[i]))
				i++
				continue
			}
			w.match(best, dist)
			for k := 1; k < best; k++ {
				insert(i + k)
			}
			i += best
			continue
		}
		if best < minMatch {
			w.literal(int(data[i]))
			insert(i)
			i++
			continue
		}
		w.match(best, dist)
		for k := range best {
			insert(i + k)
		}
		i += best
	}
	w.literal(256) // end of block
	if w.nacc > 0 {
		w.out = append(w.out, byte(w.acc))
	}
	return w.out, nil
}
