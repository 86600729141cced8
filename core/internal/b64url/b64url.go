// Package b64url is unpadded base64url (RFC 4648 §5), the alphabet of
// share links: the part of encoding/base64 they use, written out so that
// the WebAssembly programs carry 2 KB of code for it rather than 14 KB.
// It decodes what base64.RawURLEncoding decodes (carriage returns and
// newlines are skipped, as there) and refuses what it refuses.
package b64url

import "strconv"

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// Encode returns src in unpadded base64url.
func Encode(src []byte) string {
	out := make([]byte, 0, (len(src)*8+5)/6)
	for i := 0; i < len(src); i += 3 {
		n := min(3, len(src)-i)
		var v uint32
		for j := range n {
			v |= uint32(src[i+j]) << (16 - 8*j)
		}
		for j := range n + 1 {
			out = append(out, alphabet[v>>(18-6*j)&63])
		}
	}
	return string(out)
}

// CorruptInputError is the offset of the first byte that is not
// base64url, or of a last group too short to hold a byte.
type CorruptInputError int

func (e CorruptInputError) Error() string {
	return "illegal base64 data at input byte " + strconv.Itoa(int(e))
}

// value returns the 6 bits c stands for, or -1.
func value(c byte) int {
	switch {
	case c >= 'A' && c <= 'Z':
		return int(c - 'A')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 26
	case c >= '0' && c <= '9':
		return int(c-'0') + 52
	case c == '-':
		return 62
	case c == '_':
		return 63
	}
	return -1
}

// Decode returns the bytes s holds in unpadded base64url.
func Decode(s string) ([]byte, error) {
	out := make([]byte, 0, len(s)*6/8)
	var acc uint32
	n, last := 0, 0 // characters taken, and the offset of the last one
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\r' || c == '\n' {
			continue
		}
		v := value(c)
		if v < 0 {
			return nil, CorruptInputError(i)
		}
		acc = acc<<6 | uint32(v)
		n, last = n+1, i
		if n%4 == 0 {
			out = append(out, byte(acc>>16), byte(acc>>8), byte(acc))
			acc = 0
		}
	}
	switch n % 4 {
	case 1:
		return nil, CorruptInputError(last)
	case 2:
		out = append(out, byte(acc>>4))
	case 3:
		out = append(out, byte(acc>>10), byte(acc>>2))
	}
	return out, nil
}
