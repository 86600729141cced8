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

// Share links carry a whole scenario in the URL fragment, which never
// reaches the server:
//
//	#s=1.<base64url(deflate(canonical scenario JSON))>&step=N&lesson=ID
//
// The number before the dot is the link format's version: a reader keeps
// accepting every version it ever wrote. Decoding is bounded at each stage
// (link length, decompressed size, then the scenario's own limits on nodes,
// edges and workload), and every failure is an error that says what was
// wrong with the link.

// ShareVersion is the share link format this build writes.
const ShareVersion = 1

// MaxShareLinkBytes bounds the encoded scenario a link may carry.
const MaxShareLinkBytes = 64 << 10

// EncodeShareLink returns the value of the s= parameter for sc, or an
// error if it would be longer than a link may be (DecodeShareLink would
// refuse it): a scenario with pages of text can be, and only a file keeps it.
func EncodeShareLink(sc *Scenario) (string, error) {
	data, err := sc.MarshalCanonical()
	if err != nil {
		return "", err
	}
	link, err := EncodeShareLinkBytes(data)
	if err != nil {
		return "", err
	}
	if len(link) > MaxShareLinkBytes {
		return "", shareErr("the scenario is too large for a link (%d characters; the most is %d): use Export JSON to share it as a file", len(link), MaxShareLinkBytes)
	}
	return link, nil
}

// EncodeShareLinkBytes returns the s= value carrying scenario JSON as it
// is, unchecked: what EncodeShareLink sends once it has the canonical
// bytes, and what a test uses to make a link to an invalid scenario.
func EncodeShareLinkBytes(data []byte) (string, error) {
	compressed, err := deflate.Compress(data)
	if err != nil {
		return "", err
	}
	return strconv.Itoa(ShareVersion) + "." + b64url.Encode(compressed), nil
}

// ShareError says what is wrong with a share link.
type ShareError struct{ Reason string }

func (e *ShareError) Error() string { return "share link: " + e.Reason }

func shareErr(format string, args ...any) error {
	return &ShareError{Reason: fmtlite.Sprintf(format, args...)}
}

// DecodeShareLink reads the value of an s= parameter back into a validated
// scenario. A scenario that decodes but does not validate comes back with
// the validation Errors wrapped, naming the fields.
func DecodeShareLink(s string) (*Scenario, error) {
	data, err := readLink(s, "scenario", MaxScenarioBytes, false, shareErr)
	if err != nil {
		return nil, err
	}
	sc, err := ParseScenario(data)
	if err != nil {
		return nil, fmtlite.Errorf("share link: the scenario in it is not valid: %w", err)
	}
	return sc, nil
}

// readLink reads a link's value, "<version>.<base64url(deflate(JSON))>",
// back to the JSON of the what it holds (scenario, challenge), which may
// decompress to limit bytes at most. strict refuses any byte that is not
// base64url, naming where it is. fail makes each error, in the link's own
// words.
func readLink(s, what string, limit int, strict bool, fail func(format string, args ...any) error) ([]byte, error) {
	if len(s) > MaxShareLinkBytes {
		return nil, fail("it is %d characters long; the most accepted is %d", len(s), MaxShareLinkBytes)
	}
	version, payload, ok := strings.Cut(s, ".")
	if !ok || version == "" {
		return nil, fail("it has no version: it should start with %d. and then the %s", ShareVersion, what)
	}
	v, err := strconv.Atoi(version)
	if err != nil || v < 1 {
		return nil, fail("its version %q is not a number from 1", version)
	}
	if v > ShareVersion {
		return nil, fail("it was made by a newer version of the playground (link format %d; this one reads up to %d)", v, ShareVersion)
	}
	for i := 0; strict && i < len(payload); i++ {
		if !isShareByte(payload[i]) || payload[i] == '.' {
			return nil, fail("it is damaged (not base64url): it holds %q at character %d (was it changed when copied?)", payload[i:i+1], len(version)+2+i)
		}
	}
	compressed, err := b64url.Decode(payload)
	if err != nil {
		return nil, fail("it is damaged (not base64url): %v — was it cut off or changed when copied?", err)
	}
	data, err := deflate.Inflate(compressed, limit)
	switch {
	case errors.Is(err, deflate.ErrTooLarge):
		return nil, fail("its %s is larger than %d bytes once decompressed", what, limit)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil, fail("it is cut off: the compressed %s ends too early", what)
	case err != nil:
		return nil, fail("it is damaged: the compressed %s does not decompress (%v)", what, err)
	}
	return data, nil
}

// Fragment is what the playground keeps in the URL fragment.
type Fragment struct {
	Scenario string // the s= value, still encoded
	Step     int    // -1 if not given
	Lesson   string
	Example  string // ex=ID: a built-in scenario by id
	// Challenge is the c= value, still encoded: a whole challenge (see
	// DecodeChallengeLink).
	Challenge string
}

// StepError is ParseFragment's error when step= is the only thing wrong:
// the Fragment returned with it is otherwise complete (Step -1), so that a
// page can still open the linked scenario, at its start, and say why.
type StepError struct{ Value string }

func (e *StepError) Error() string {
	return fmtlite.Sprintf("share link: step=%q is not a whole number from 0", e.Value)
}

// maxFragmentID bounds an ex= or lesson= value: they name ids, which are
// short, and the bound keeps Fragment.String within what ParseFragment
// reads even when every byte needs escaping.
const maxFragmentID = 100

// ParseFragment reads a URL fragment (with or without its leading #).
// Unknown parameters are ignored, so later versions can add some. A bad
// step is a *StepError that keeps the rest of the fragment; any other
// error names the parameter at fault and leaves f empty.
func ParseFragment(fragment string) (Fragment, error) {
	f := Fragment{Step: -1}
	fragment = strings.TrimPrefix(fragment, "#")
	if len(fragment) > MaxShareLinkBytes+1024 {
		return f, shareErr("it is %d characters long; the most accepted is %d", len(fragment), MaxShareLinkBytes+1024)
	}
	values, err := parsePairs(fragment)
	if err != nil {
		return f, shareErr("it cannot be read as key=value pairs: %v", err)
	}
	if s, ok := values["s"]; ok {
		if err := checkShareValue("s", "scenario", s); err != nil {
			return f, err
		}
	}
	if c, ok := values["c"]; ok {
		if err := checkShareValue("c", "challenge", c); err != nil {
			return f, err
		}
	}
	for _, key := range []string{"ex", "lesson"} {
		v, ok := values[key]
		switch {
		case ok && v == "":
			return f, shareErr("%s= is empty, so the link is damaged (was it cut off when copied?)", key)
		case len(v) > maxFragmentID:
			return f, shareErr("%s= is %d characters long; an id has at most %d", key, len(v), maxFragmentID)
		}
	}
	out := Fragment{Scenario: values["s"], Lesson: values["lesson"], Example: values["ex"], Challenge: values["c"], Step: -1}
	if step, ok := values["step"]; ok {
		n, err := strconv.Atoi(step)
		if err != nil || n < 0 {
			return out, &StepError{Value: step}
		}
		out.Step = n
	}
	return out, nil
}

// checkShareValue refuses a key= value (s= or c=) holding what (a scenario
// or a challenge) that cannot be a link: empty,
// too long, or holding a character that base64url and the version never
// use. DecodeShareLink says more about one that passes.
func checkShareValue(key, what, s string) error {
	if s == "" {
		return shareErr("%s= is empty, so the link holds no %s (was it cut off when copied?)", key, what)
	}
	if len(s) > MaxShareLinkBytes {
		return shareErr("%s= is %d characters long; the most accepted is %d", key, len(s), MaxShareLinkBytes)
	}
	for i := 0; i < len(s); i++ {
		if !isShareByte(s[i]) {
			return shareErr("%s= is damaged (not base64url): it holds %q at character %d (was it changed when copied?)", key, s[i:i+1], i+1)
		}
	}
	return nil
}

// isShareByte reports whether c can appear in an s= value: base64url,
// and the dot after the version.
func isShareByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
}

// String writes the fragment back, without the leading #, with s first so
// a truncated link loses the step before it loses the scenario's start.
func (f Fragment) String() string {
	var parts []string
	if f.Scenario != "" {
		parts = append(parts, "s="+escape(f.Scenario)) // a no-op for base64url
	}
	if f.Challenge != "" {
		parts = append(parts, "c="+escape(f.Challenge))
	}
	if f.Example != "" {
		parts = append(parts, "ex="+escape(f.Example))
	}
	if f.Step >= 0 {
		parts = append(parts, "step="+strconv.Itoa(f.Step))
	}
	if f.Lesson != "" {
		parts = append(parts, "lesson="+escape(f.Lesson))
	}
	return strings.Join(parts, "&")
}

// parsePairs reads "a=1&b=2" with %XX escapes, the first value of a key
// winning. (net/url does this too, but would pull net/netip and more into
// the WebAssembly binary for these few lines.)
func parsePairs(s string) (map[string]string, error) {
	out := map[string]string{}
	for pair := range strings.SplitSeq(s, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := unescape(k)
		if err != nil {
			return nil, err
		}
		val, err := unescape(v)
		if err != nil {
			return nil, err
		}
		if _, seen := out[key]; !seen {
			out[key] = val
		}
	}
	return out, nil
}

func unescape(s string) (string, error) {
	if !strings.ContainsAny(s, "%+") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b.WriteByte(' ')
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return "", fmtlite.Errorf("bad escape %q", s[i:min(i+3, len(s))])
			}
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// escape writes s for a fragment value: letters, digits and -_. as they
// are, everything else as %XX.
func escape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isShareByte(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}
