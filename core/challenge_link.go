package core

import (
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/sync-vs-async/playground/core/internal/b64url"
	"github.com/sync-vs-async/playground/core/internal/deflate"
	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// Challenge links carry a whole challenge (its scenario, checks, locks,
// budget, hints and, optionally, its solution) in the URL fragment, with
// the encoding and bounds of scenario links:
//
//	#c=1.<base64url(deflate(canonical challenge JSON))>
//
// The number before the dot is the link format's version (ShareVersion);
// decoding is bounded at each stage (link length, decompressed size, then
// the challenge's own limits), and every failure is an error that says what
// was wrong with the link, naming the field when the challenge in it is
// not valid.

// ChallengeLinkError says what is wrong with a challenge link.
type ChallengeLinkError struct{ Reason string }

func (e *ChallengeLinkError) Error() string { return "challenge link: " + e.Reason }

func challengeLinkErr(format string, args ...any) error {
	return &ChallengeLinkError{Reason: fmtlite.Sprintf(format, args...)}
}

// EncodeChallengeLink returns the value of the c= parameter for ch, or an
// error if ch does not validate or the link would be longer than a link
// may be (MaxShareLinkBytes).
func EncodeChallengeLink(ch *Challenge) (string, error) {
	if err := ch.Validate(); err != nil {
		return "", fmtlite.Errorf("challenge link: the challenge is not valid: %w", err)
	}
	data, err := ch.MarshalCanonical()
	if err != nil {
		return "", err
	}
	link, err := EncodeShareLinkBytes(data)
	if err != nil {
		return "", err
	}
	if len(link) > MaxShareLinkBytes {
		return "", challengeLinkErr("the challenge is too large for a link (%d characters; the most is %d): leave out the solution, or share the challenge as a file", len(link), MaxShareLinkBytes)
	}
	return link, nil
}

// DecodeChallengeLink reads the value of a c= parameter back into a
// validated challenge. A challenge that decodes but does not validate
// comes back with the validation Errors wrapped, naming the fields
// ("checks[2].figure: unknown figure ...").
func DecodeChallengeLink(s string) (*Challenge, error) {
	if s == "" {
		return nil, challengeLinkErr("c= is empty, so the link holds no challenge (was it cut off when copied?)")
	}
	if len(s) > MaxShareLinkBytes {
		return nil, challengeLinkErr("it is %d characters long; the most accepted is %d", len(s), MaxShareLinkBytes)
	}
	version, payload, ok := strings.Cut(s, ".")
	if !ok || version == "" {
		return nil, challengeLinkErr("it has no version: it should start with %d. and then the challenge", ShareVersion)
	}
	v, err := strconv.Atoi(version)
	if err != nil || v < 1 {
		return nil, challengeLinkErr("its version %q is not a number from 1", version)
	}
	if v > ShareVersion {
		return nil, challengeLinkErr("it was made by a newer version of the playground (link format %d; this one reads up to %d)", v, ShareVersion)
	}
	for i := 0; i < len(payload); i++ {
		if !isShareByte(payload[i]) || payload[i] == '.' {
			return nil, challengeLinkErr("it is damaged (not base64url): it holds %q at character %d (was it changed when copied?)", payload[i:i+1], len(version)+2+i)
		}
	}
	compressed, err := b64url.Decode(payload)
	if err != nil {
		return nil, challengeLinkErr("it is damaged (not base64url): %v — was it cut off or changed when copied?", err)
	}
	data, err := deflate.Inflate(compressed, MaxChallengeBytes)
	switch {
	case errors.Is(err, deflate.ErrTooLarge):
		return nil, challengeLinkErr("its challenge is larger than %d bytes once decompressed", MaxChallengeBytes)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil, challengeLinkErr("it is cut off: the compressed challenge ends too early")
	case err != nil:
		return nil, challengeLinkErr("it is damaged: the compressed challenge does not decompress (%v)", err)
	}
	ch, err := ParseChallenge(data)
	if err != nil {
		return nil, fmtlite.Errorf("challenge link: the challenge in it is not valid: %w", err)
	}
	return ch, nil
}
