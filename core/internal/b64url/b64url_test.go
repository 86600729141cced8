package b64url

import (
	"encoding/base64"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAgreesWithEncodingBase64 encodes random bytes as the standard
// library's RawURLEncoding does, and decodes random strings (valid and
// not: other characters, padding, newlines, lengths 4k+1) as it does.
func TestAgreesWithEncodingBase64(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	std := base64.RawURLEncoding
	for range 3000 {
		src := make([]byte, r.IntN(40))
		for i := range src {
			src[i] = byte(r.IntN(256))
		}
		enc := Encode(src)
		require.Equal(t, std.EncodeToString(src), enc)
		got, err := Decode(enc)
		require.NoError(t, err)
		require.Equal(t, src, got)
	}
	chars := alphabet + "=+/\n\r .é"
	bad := 0
	for range 20000 {
		b := make([]byte, r.IntN(12))
		for i := range b {
			if r.IntN(10) == 0 {
				b[i] = chars[len(alphabet)+r.IntN(len(chars)-len(alphabet))]
			} else {
				b[i] = alphabet[r.IntN(len(alphabet))]
			}
		}
		want, wantErr := std.DecodeString(string(b))
		got, err := Decode(string(b))
		if wantErr != nil {
			bad++
			assert.Error(t, err, "%q: encoding/base64 says %v", b, wantErr)
			continue
		}
		require.NoError(t, err, "%q", b)
		require.Equal(t, want, got, "%q", b)
	}
	assert.Greater(t, bad, 1000, "the random strings include enough invalid ones")
}
