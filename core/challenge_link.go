package core

import "github.com/sync-vs-async/playground/internal/fmtlite"

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
	data, err := readLink(s, "challenge", MaxChallengeBytes, true, challengeLinkErr)
	if err != nil {
		return nil, err
	}
	ch, err := ParseChallenge(data)
	if err != nil {
		return nil, fmtlite.Errorf("challenge link: the challenge in it is not valid: %w", err)
	}
	return ch, nil
}
