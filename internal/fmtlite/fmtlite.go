// Package fmtlite formats the way package fmt does for the verbs and
// operands the playground uses, without fmt's printer: once nothing in a
// WebAssembly program calls fmt's printing functions, the linker leaves
// fmt's printer, fmtsort and the reflection they walk values with out,
// 20 to 28 KB of brotli in each program. TestSprintfMatchesFmt holds the
// two equal over every verb, flag and operand kind this package accepts.
//
// It knows the verbs %v %s %q %d %f %e %g %x %X %t %w and %%, with the
// flags '-', '+', '0' and ' ', a width and a precision (digits only, not
// '*'). An operand that is an error or a Stringer prints with its Error or
// String method for %v %s %q %x and %X, as in fmt; otherwise it prints by
// its kind: booleans, integers, floats, strings, byte slices, and slices
// and arrays of those. A Formatter's Format method is not called. A
// struct, map or pointer without a String method, or a verb that does not
// suit its operand, prints as %!verb(type=?) where fmt would print the
// value: the playground formats none, and a caller that starts to would
// see it in its own tests.
package fmtlite

import (
	"errors"
	"io"
	"reflect"
	"strconv"
	"unicode/utf8"
)

// stringer is fmt.Stringer, declared here so that fmt is not imported.
type stringer interface{ String() string }

// Sprintf is fmt.Sprintf.
func Sprintf(format string, a ...any) string {
	return string(Appendf(nil, format, a...))
}

// Fprintf is fmt.Fprintf.
func Fprintf(w io.Writer, format string, a ...any) (int, error) {
	return w.Write(Appendf(nil, format, a...))
}

// Errorf is fmt.Errorf: an error whose message is the formatted text, and
// which wraps the operands of its %w verbs (errors.Is and errors.As see
// them).
func Errorf(format string, a ...any) error {
	var wrapped []error
	p := printer{wrapped: &wrapped}
	msg := string(p.printf(nil, format, a))
	switch len(wrapped) {
	case 0:
		return errors.New(msg)
	case 1:
		return &wrapError{msg, wrapped[0]}
	}
	return &wrapErrors{msg, wrapped}
}

type wrapError struct {
	msg string
	err error
}

func (e *wrapError) Error() string { return e.msg }
func (e *wrapError) Unwrap() error { return e.err }

type wrapErrors struct {
	msg  string
	errs []error
}

func (e *wrapErrors) Error() string   { return e.msg }
func (e *wrapErrors) Unwrap() []error { return e.errs }

// Appendf is fmt.Appendf.
func Appendf(b []byte, format string, a ...any) []byte {
	var p printer
	return p.printf(b, format, a)
}

// Sprintln is fmt.Sprintln: the operands as %v, separated by spaces,
// then a newline.
func Sprintln(a ...any) string {
	var b []byte
	var p printer
	for i, x := range a {
		if i > 0 {
			b = append(b, ' ')
		}
		b = p.arg(b, x, 'v', noSpec)
	}
	return string(append(b, '\n'))
}

// spec is one verb's flags, width and precision.
type spec struct {
	minus, plus, zero, space bool
	width, prec              int // -1: not given
}

// noSpec is a verb with no flags, width or precision.
var noSpec = spec{width: -1, prec: -1}

type printer struct {
	wrapped *[]error // where %w operands go, for Errorf; nil elsewhere
}

func (p *printer) printf(b []byte, format string, a []any) []byte {
	argNum := 0
	for i := 0; i < len(format); {
		c := format[i]
		if c != '%' {
			j := i + 1
			for j < len(format) && format[j] != '%' {
				j++
			}
			b = append(b, format[i:j]...)
			i = j
			continue
		}
		i++
		s := noSpec
	flags:
		for ; i < len(format); i++ {
			switch format[i] {
			case '-':
				s.minus = true
			case '+':
				s.plus = true
			case '0':
				s.zero = true
			case ' ':
				s.space = true
			default:
				break flags
			}
		}
		s.width, i = number(format, i)
		if i < len(format) && format[i] == '.' {
			s.prec, i = number(format, i+1)
			if s.prec < 0 {
				s.prec = 0
			}
		}
		if i >= len(format) {
			b = append(b, "%!(NOVERB)"...)
			break
		}
		verb, size := rune(format[i]), 1
		if verb >= utf8.RuneSelf {
			verb, size = utf8.DecodeRuneInString(format[i:])
		}
		i += size
		if verb == '%' {
			b = append(b, '%')
			continue
		}
		if argNum >= len(a) {
			b = append(b, "%!"...)
			b = utf8.AppendRune(b, verb)
			b = append(b, "(MISSING)"...)
			continue
		}
		arg := a[argNum]
		argNum++
		if verb == 'v' && s.plus {
			s.plus = false // %+v adds field names to structs, not a sign
		}
		if verb == 'w' {
			if err, ok := arg.(error); ok && p.wrapped != nil {
				*p.wrapped = append(*p.wrapped, err)
				verb = 'v'
			} else {
				b = append(b, "%!w("...)
				b = p.arg(b, arg, 'v', noSpec)
				b = append(b, ')')
				continue
			}
		}
		b = p.arg(b, arg, verb, s)
	}
	if argNum < len(a) {
		b = append(b, "%!(EXTRA "...)
		for i, arg := range a[argNum:] {
			if i > 0 {
				b = append(b, ", "...)
			}
			if arg == nil {
				b = append(b, "<nil>"...)
				continue
			}
			b = append(b, reflect.TypeOf(arg).String()...)
			b = append(b, '=')
			b = p.arg(b, arg, 'v', noSpec)
		}
		b = append(b, ')')
	}
	return b
}

// number reads a decimal number at format[i:], returning -1 if there is none.
func number(format string, i int) (int, int) {
	n := -1
	for ; i < len(format) && '0' <= format[i] && format[i] <= '9'; i++ {
		if n < 0 {
			n = 0
		}
		n = n*10 + int(format[i]-'0')
	}
	return n, i
}

// arg appends one operand formatted by verb and s.
func (p *printer) arg(b []byte, arg any, verb rune, s spec) []byte {
	if arg == nil {
		if verb == 'v' {
			return pad(b, "<nil>", s)
		}
		return badVerb(b, verb, "<nil>")
	}
	switch verb {
	case 'v', 's', 'q', 'x', 'X':
		switch v := arg.(type) {
		case error:
			return p.str(b, v.Error(), verb, s)
		case stringer:
			return p.str(b, v.String(), verb, s)
		}
	}
	return p.value(b, reflect.ValueOf(arg), verb, s, arg)
}

// value formats v by its kind; arg is v as an interface, for error text.
func (p *printer) value(b []byte, v reflect.Value, verb rune, s spec, arg any) []byte {
	switch v.Kind() {
	case reflect.Bool:
		if verb != 'v' && verb != 't' {
			return badVerbValue(b, verb, v)
		}
		return pad(b, strconv.FormatBool(v.Bool()), s)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return p.integer(b, v.Int() < 0, uint64(abs(v.Int())), verb, s, v)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return p.integer(b, false, v.Uint(), verb, s, v)
	case reflect.Float32, reflect.Float64:
		return p.float(b, v.Float(), v.Type().Bits(), verb, s, v)
	case reflect.String:
		return p.str(b, v.String(), verb, s)
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 && (verb == 's' || verb == 'q' || verb == 'x' || verb == 'X') {
			return p.str(b, string(v.Bytes()), verb, s)
		}
		if verb != 'v' && verb != 'd' && verb != 's' && verb != 'g' && verb != 'f' && verb != 'q' {
			return badVerbValue(b, verb, v)
		}
		b = append(b, '[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b = append(b, ' ')
			}
			e := v.Index(i)
			if e.CanInterface() {
				b = p.arg(b, e.Interface(), verb, s)
			} else {
				b = p.value(b, e, verb, s, nil)
			}
		}
		return append(b, ']')
	}
	return badVerbValue(b, verb, v)
}

func abs(n int64) uint64 {
	if n < 0 {
		return uint64(-n)
	}
	return uint64(n)
}

func (p *printer) integer(b []byte, neg bool, u uint64, verb rune, s spec, v reflect.Value) []byte {
	var digits string
	switch verb {
	case 'v', 'd':
		digits = strconv.FormatUint(u, 10)
	case 'x':
		digits = strconv.FormatUint(u, 16)
	case 'X':
		digits = upper(strconv.FormatUint(u, 16))
	default:
		return badVerbValue(b, verb, v)
	}
	if s.prec >= 0 {
		s.zero = false
		for len(digits) < s.prec {
			digits = "0" + digits
		}
		if s.prec == 0 && u == 0 {
			digits = ""
		}
	}
	return padNumber(b, sign(neg, s), digits, s)
}

func sign(neg bool, s spec) string {
	switch {
	case neg:
		return "-"
	case s.plus:
		return "+"
	case s.space:
		return " "
	}
	return ""
}

func (p *printer) float(b []byte, f float64, bits int, verb rune, s spec, v reflect.Value) []byte {
	prec := s.prec
	switch verb {
	case 'v':
		verb = 'g'
	case 'f', 'F':
		verb = 'f'
		if prec < 0 {
			prec = 6
		}
	case 'e', 'E':
		if prec < 0 {
			prec = 6
		}
	case 'g', 'G':
	default:
		return badVerbValue(b, verb, v)
	}
	num := strconv.FormatFloat(f, byte(verb), prec, bits)
	neg := num[0] == '-'
	if neg || num[0] == '+' {
		num = num[1:]
	}
	if num == "Inf" || num == "NaN" {
		s.zero = false
		if num == "Inf" && !neg && !s.plus && !s.space {
			// fmt writes +Inf for %v of positive infinity... and "+Inf"
			// for every verb: strconv gives "+Inf"; keep its sign.
			return pad(b, "+Inf", s)
		}
		if num == "NaN" {
			if s.plus {
				return pad(b, "+NaN", s)
			}
			if s.space {
				return pad(b, " NaN", s)
			}
			return pad(b, "NaN", s)
		}
	}
	return padNumber(b, sign(neg, s), num, s)
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// str formats a string for %v, %s, %q or %x.
func (p *printer) str(b []byte, str string, verb rune, s spec) []byte {
	if s.prec >= 0 && verb != 'x' && verb != 'X' {
		// A precision cuts the string to that many runes.
		n := 0
		for i := range str {
			if n == s.prec {
				str = str[:i]
				break
			}
			n++
		}
	}
	switch verb {
	case 'v', 's':
	case 'q':
		if s.plus {
			str = strconv.QuoteToASCII(str)
		} else {
			str = strconv.Quote(str)
		}
	case 'x', 'X':
		const hex = "0123456789abcdef"
		h := make([]byte, 0, 2*len(str))
		for i := 0; i < len(str); i++ {
			h = append(h, hex[str[i]>>4], hex[str[i]&15])
		}
		str = string(h)
		if verb == 'X' {
			str = upper(str)
		}
	default:
		return badVerb(b, verb, str)
	}
	return pad(b, str, s)
}

// pad appends str padded to the width with spaces, on the left, or on
// the right for '-'.
func pad(b []byte, str string, s spec) []byte {
	n := s.width - utf8.RuneCountInString(str)
	if n <= 0 {
		return append(b, str...)
	}
	if s.minus {
		b = append(b, str...)
		return appendSpaces(b, n, ' ')
	}
	fill := byte(' ')
	if s.zero {
		fill = '0'
	}
	return append(appendSpaces(b, n, fill), str...)
}

// padNumber is pad for a number: zeros go between the sign and the digits.
func padNumber(b []byte, sign, digits string, s spec) []byte {
	if s.zero && !s.minus && s.width > len(sign)+len(digits) {
		b = append(b, sign...)
		return append(appendSpaces(b, s.width-len(sign)-len(digits), '0'), digits...)
	}
	s.zero = false
	return pad(b, sign+digits, s)
}

func appendSpaces(b []byte, n int, c byte) []byte {
	for ; n > 0; n-- {
		b = append(b, c)
	}
	return b
}

// badVerb is fmt's text for a verb that does not suit its operand.
func badVerb(b []byte, verb rune, text string) []byte {
	b = append(b, "%!"...)
	b = utf8.AppendRune(b, verb)
	b = append(b, '(')
	b = append(b, text...)
	return append(b, ')')
}

func badVerbValue(b []byte, verb rune, v reflect.Value) []byte {
	b = append(b, "%!"...)
	b = utf8.AppendRune(b, verb)
	b = append(b, '(')
	b = append(b, v.Type().String()...)
	b = append(b, '=')
	var p printer
	switch v.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.String:
		b = p.value(b, v, 'v', noSpec, nil)
	default:
		b = append(b, '?')
	}
	return append(b, ')')
}
