package jsonlite

import (
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Unmarshaler is a type that reads itself from JSON.
type Unmarshaler interface {
	UnmarshalJSON([]byte) error
}

var unmarshalerType = reflect.TypeFor[Unmarshaler]()

// UnmarshalTypeError is a JSON value that does not fit the Go value it is
// read into. Field is the path of struct fields to it, dot-separated, as
// encoding/json gives it (without array indexes).
type UnmarshalTypeError struct {
	Value string       // "string", "number", "number 1.5", "object", "array", "bool"
	Type  reflect.Type // what it was read into
	Field string
}

func (e *UnmarshalTypeError) Error() string {
	if e.Field != "" {
		return "json: cannot unmarshal " + e.Value + " into Go struct field " + e.Field + " of type " + e.Type.String()
	}
	return "json: cannot unmarshal " + e.Value + " into Go value of type " + e.Type.String()
}

// UnknownFieldError is a key that names no field of the struct it is read
// into, when [Options.DisallowUnknownFields] is set. Field is the path to
// it, dot-separated, ending in the key.
type UnknownFieldError struct {
	Field string
	Key   string
}

func (e *UnknownFieldError) Error() string { return "json: unknown field " + strconv.Quote(e.Key) }

// Unmarshal reads JSON data into v, as encoding/json's Unmarshal does:
// data must be exactly one value (a *SyntaxError says where it is not);
// a value that does not fit is an *UnmarshalTypeError, and the rest is
// still read.
func Unmarshal(data []byte, v any) error {
	var scan scanner
	if err := checkValid(data, &scan); err != nil {
		return err
	}
	return Options{}.decode(data, v)
}

// Options are how [Options.Decode] reads, as encoding/json's Decoder
// settings of the same names.
type Options struct {
	// DisallowUnknownFields makes a key that names no struct field an
	// error (an *UnknownFieldError) rather than skipped.
	DisallowUnknownFields bool
	// UseNumber reads a number into an interface as a Number, not a float64.
	UseNumber bool
}

// Decode reads the first JSON value of data into v, as encoding/json's
// Decoder.Decode reads from a stream, and returns how many bytes it
// consumed. Data with no value is io.EOF; data cut off inside one is
// io.ErrUnexpectedEOF.
func (o Options) Decode(data []byte, v any) (int, error) {
	var scan scanner
	scan.reset()
	n := -1
	for i, c := range data {
		scan.bytes++
		switch scan.step(&scan, c) {
		case scanEnd:
			n = i
		case scanEndObject, scanEndArray:
			// The end shows one byte late; a space stands in for it.
			if stateEndValue(&scan, ' ') == scanEnd {
				n = i + 1
			}
		case scanError:
			return 0, scan.err
		}
		if n >= 0 {
			break
		}
	}
	if n < 0 {
		if scan.step(&scan, ' ') != scanEnd {
			if strings.TrimLeft(string(data), " \t\r\n") == "" {
				return 0, io.EOF
			}
			return 0, io.ErrUnexpectedEOF
		}
		n = len(data)
	}
	return n, o.decode(data[:n], v)
}

// decoder reads one valid JSON value.
type decoder struct {
	Options
	data  []byte
	off   int
	err   error    // the first error met
	stack []string // struct fields being read
}

func (o Options) decode(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &InvalidUnmarshalError{reflect.TypeOf(v)}
	}
	d := decoder{Options: o, data: data}
	d.value(rv)
	return d.err
}

// InvalidUnmarshalError is a non-pointer or nil pointer passed to decode into.
type InvalidUnmarshalError struct{ Type reflect.Type }

func (e *InvalidUnmarshalError) Error() string {
	if e.Type == nil {
		return "json: Unmarshal(nil)"
	}
	return "json: Unmarshal(non-pointer " + e.Type.String() + ")"
}

func (d *decoder) fail(err error) {
	if d.err != nil {
		return
	}
	if te, ok := err.(*UnmarshalTypeError); ok && len(d.stack) > 0 {
		path := strings.Join(d.stack, ".")
		if te.Field != "" {
			path += "." + te.Field
		}
		te.Field = path
	}
	d.err = err
}

func (d *decoder) typeError(what string, t reflect.Type) {
	d.fail(&UnmarshalTypeError{Value: what, Type: t})
}

func (d *decoder) space() {
	for d.off < len(d.data) && isSpace(d.data[d.off]) {
		d.off++
	}
}

// value reads the value at d.off into v (an invalid v skips it).
func (d *decoder) value(v reflect.Value) {
	d.space()
	start := d.off
	c := d.data[start]
	if !v.IsValid() {
		d.skip()
		return
	}
	u, v := indirect(v, c == 'n')
	if u != nil {
		d.skip()
		if err := u.UnmarshalJSON(d.data[start:d.off]); err != nil {
			d.fail(err)
		}
		return
	}
	switch c {
	case '{':
		d.object(v)
	case '[':
		d.array(v)
	case '"':
		s := d.str()
		switch {
		case v.Kind() == reflect.String:
			v.SetString(s)
		case v.Kind() == reflect.Interface && v.NumMethod() == 0:
			v.Set(reflect.ValueOf(s))
		default:
			d.typeError("string", v.Type())
		}
	case 'n':
		d.off += len("null")
		switch v.Kind() {
		case reflect.Interface, reflect.Pointer, reflect.Map, reflect.Slice:
			v.SetZero()
		}
	case 't', 'f':
		b := c == 't'
		d.off += len("false")
		if b {
			d.off--
		}
		switch {
		case v.Kind() == reflect.Bool:
			v.SetBool(b)
		case v.Kind() == reflect.Interface && v.NumMethod() == 0:
			v.Set(reflect.ValueOf(b))
		default:
			d.typeError("bool", v.Type())
		}
	default:
		d.number(v)
	}
}

// indirect follows pointers from v, allocating them, down to a value to
// set, stopping at an Unmarshaler; for null, at the last settable pointer.
func indirect(v reflect.Value, decodingNull bool) (Unmarshaler, reflect.Value) {
	v0 := v
	haveAddr := false
	if v.Kind() != reflect.Pointer && v.Type().Name() != "" && v.CanAddr() {
		haveAddr = true
		v = v.Addr()
	}
	for v.Kind() == reflect.Pointer {
		if decodingNull && v.CanSet() {
			break
		}
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		if v.Type().Implements(unmarshalerType) {
			return v.Interface().(Unmarshaler), reflect.Value{}
		}
		if haveAddr {
			v, haveAddr = v0, false
		} else {
			v = v.Elem()
		}
	}
	return nil, v
}

func (d *decoder) object(v reflect.Value) {
	var fields []field
	switch {
	case v.Kind() == reflect.Interface && v.NumMethod() == 0:
		v.Set(reflect.ValueOf(d.anyValue()))
		return
	case v.Kind() == reflect.Map:
		switch v.Type().Key().Kind() {
		case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		default:
			d.typeError("object", v.Type())
			d.skip()
			return
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
	case v.Kind() == reflect.Struct:
		fields = fieldsOf(v.Type())
	default:
		d.typeError("object", v.Type())
		d.skip()
		return
	}
	d.off++ // {
	for {
		d.space()
		if d.data[d.off] == '}' {
			d.off++
			return
		}
		key := d.str()
		d.space()
		d.off++ // :
		if v.Kind() == reflect.Map {
			elem := reflect.New(v.Type().Elem()).Elem()
			d.value(elem)
			if k, ok := d.mapKey(key, v.Type().Key()); ok {
				v.SetMapIndex(k, elem)
			}
		} else {
			d.field(v, fields, key)
		}
		d.space()
		if d.data[d.off] == ',' {
			d.off++
		}
	}
}

// mapKey converts an object's key to the map's key type.
func (d *decoder) mapKey(key string, t reflect.Type) (reflect.Value, bool) {
	k := reflect.New(t).Elem()
	switch t.Kind() {
	case reflect.String:
		k.SetString(key)
		return k, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(key, 10, 64)
		if err == nil && !k.OverflowInt(n) {
			k.SetInt(n)
			return k, true
		}
	default:
		n, err := strconv.ParseUint(key, 10, 64)
		if err == nil && !k.OverflowUint(n) {
			k.SetUint(n)
			return k, true
		}
	}
	d.typeError("number "+key, t)
	return k, false
}

// field reads the value of key into its field of struct v.
func (d *decoder) field(v reflect.Value, fields []field, key string) {
	var f *field
	for i := range fields {
		if fields[i].name == key {
			f = &fields[i]
			break
		}
	}
	if f == nil {
		folded := FoldKey(key)
		for i := range fields {
			if fields[i].folded == folded {
				f = &fields[i]
				break
			}
		}
	}
	if f == nil {
		if d.DisallowUnknownFields {
			d.fail(&UnknownFieldError{Field: strings.Join(append(d.stack[:len(d.stack):len(d.stack)], key), "."), Key: key})
		}
		d.skip()
		return
	}
	sub := v
	for i, x := range f.index {
		if i > 0 && sub.Kind() == reflect.Pointer {
			if sub.IsNil() {
				if !sub.CanSet() {
					d.skip()
					return
				}
				sub.Set(reflect.New(sub.Type().Elem()))
			}
			sub = sub.Elem()
		}
		sub = sub.Field(x)
	}
	d.stack = append(d.stack, f.name)
	d.value(sub)
	d.stack = d.stack[:len(d.stack)-1]
}

func (d *decoder) array(v reflect.Value) {
	switch {
	case v.Kind() == reflect.Interface && v.NumMethod() == 0:
		v.Set(reflect.ValueOf(d.anyValue()))
		return
	case v.Kind() != reflect.Slice:
		d.typeError("array", v.Type())
		d.skip()
		return
	}
	d.off++ // [
	i := 0
	for {
		d.space()
		if d.data[d.off] == ']' {
			d.off++
			break
		}
		if i >= v.Cap() {
			v.Grow(1)
		}
		if i >= v.Len() {
			v.SetLen(i + 1)
		}
		d.value(v.Index(i))
		i++
		d.space()
		if d.data[d.off] == ',' {
			d.off++
		}
	}
	if i < v.Len() {
		v.SetLen(i)
	}
	if i == 0 {
		v.Set(reflect.MakeSlice(v.Type(), 0, 0))
	}
}

// number reads the number at d.off into v.
func (d *decoder) number(v reflect.Value) {
	start := d.off
	for d.off < len(d.data) && strings.IndexByte("+-.0123456789eE", d.data[d.off]) >= 0 {
		d.off++
	}
	s := string(d.data[start:d.off])
	switch v.Kind() {
	case reflect.Interface:
		if v.NumMethod() != 0 {
			d.typeError("number", v.Type())
			return
		}
		if d.UseNumber {
			v.Set(reflect.ValueOf(Number(s)))
			return
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			d.typeError("number "+s, reflect.TypeFor[float64]())
			return
		}
		v.Set(reflect.ValueOf(f))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v.OverflowInt(n) {
			d.typeError("number "+s, v.Type())
			return
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil || v.OverflowUint(n) {
			d.typeError("number "+s, v.Type())
			return
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(s, v.Type().Bits())
		if err != nil || v.OverflowFloat(f) {
			d.typeError("number "+s, v.Type())
			return
		}
		v.SetFloat(f)
	case reflect.String:
		if v.Type() == numberType {
			v.SetString(s)
			return
		}
		d.typeError("number", v.Type())
	default:
		d.typeError("number", v.Type())
	}
}

// anyValue reads the value at d.off as encoding/json reads into an any:
// map[string]any, []any, string, float64 (or Number), bool or nil.
func (d *decoder) anyValue() any {
	d.space()
	switch d.data[d.off] {
	case '{':
		m := map[string]any{}
		d.off++
		for {
			d.space()
			if d.data[d.off] == '}' {
				d.off++
				return m
			}
			key := d.str()
			d.space()
			d.off++ // :
			m[key] = d.anyValue()
			d.space()
			if d.data[d.off] == ',' {
				d.off++
			}
		}
	case '[':
		list := []any{}
		d.off++
		for {
			d.space()
			if d.data[d.off] == ']' {
				d.off++
				return list
			}
			list = append(list, d.anyValue())
			d.space()
			if d.data[d.off] == ',' {
				d.off++
			}
		}
	case '"':
		return d.str()
	case 'n':
		d.off += len("null")
		return nil
	case 't':
		d.off += len("true")
		return true
	case 'f':
		d.off += len("false")
		return false
	}
	var x any
	d.number(reflect.ValueOf(&x).Elem())
	return x
}

// skip moves past the value at d.off.
func (d *decoder) skip() {
	d.space()
	depth := 0
	for {
		switch c := d.data[d.off]; {
		case c == '"':
			d.str()
		case c == '{' || c == '[':
			depth++
			d.off++
			continue
		case c == '}' || c == ']':
			depth--
			d.off++
		case c == ',' || c == ':' || isSpace(c):
			d.off++
			continue
		default: // a number, true, false or null
			for d.off < len(d.data) && strings.IndexByte(",:]} \t\r\n", d.data[d.off]) < 0 {
				d.off++
			}
		}
		if depth == 0 {
			return
		}
	}
}

// str reads the string at d.off.
func (d *decoder) str() string {
	start := d.off
	d.off++
	for d.data[d.off] != '"' {
		if d.data[d.off] == '\\' {
			d.off++
		}
		d.off++
	}
	d.off++
	return unquote(d.data[start:d.off])
}

// unquote reads a quoted JSON string (already checked by the scanner),
// coercing it to valid UTF-8 as encoding/json does.
func unquote(s []byte) string {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "" // not what the scanner accepts: cannot happen
	}
	s = s[1 : len(s)-1]
	r := 0
	for r < len(s) {
		c := s[r]
		if c == '\\' || c == '"' || c < ' ' {
			break
		}
		rr, size := utf8.DecodeRune(s[r:])
		if rr == utf8.RuneError && size == 1 {
			break
		}
		r += size
	}
	if r == len(s) {
		return string(s)
	}
	b := make([]byte, 0, len(s)+2*utf8.UTFMax)
	b = append(b, s[:r]...)
	for r < len(s) {
		switch c := s[r]; {
		case c == '\\':
			r++
			if r >= len(s) {
				return "" // not what the scanner accepts: cannot happen
			}
			switch s[r] {
			default:
				return "" // not what the scanner accepts: cannot happen
			case '"', '\\', '/', '\'':
				b = append(b, s[r])
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				rr := getu4(s[r-1:])
				if rr < 0 {
					return "" // not what the scanner accepts: cannot happen
				}
				r += 5
				if utf16.IsSurrogate(rr) {
					rr1 := getu4(s[r:])
					if dec := utf16.DecodeRune(rr, rr1); dec != unicode.ReplacementChar {
						r += 6
						b = utf8.AppendRune(b, dec)
						continue
					}
					rr = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, rr)
				continue
			}
			r++
		case c == '"', c < ' ':
			return "" // not what the scanner accepts: cannot happen
		case c < utf8.RuneSelf:
			b = append(b, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			r += size
			b = utf8.AppendRune(b, rr)
		}
	}
	return string(b)
}

func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c = c - '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}
