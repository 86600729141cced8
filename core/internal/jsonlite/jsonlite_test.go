package jsonlite

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The package is held to encoding/json itself: every input below, and
// every input the fuzzer finds, must read, fail and write the same way.

type inner struct {
	Mean  int64    `json:"mean,omitempty"`
	Rate  float64  `json:"rate"`
	Tags  []string `json:"tags,omitempty"`
	Ratio float32  `json:"ratio,omitempty"`
}

type limits struct {
	Max int `json:"max,omitempty"`
}

type sample struct {
	ID       string            `json:"id"`
	Count    int               `json:"count,omitempty"`
	Small    int8              `json:"small,omitempty"`
	Seed     uint64            `json:"seed"`
	On       bool              `json:"on,omitempty"`
	In       *inner            `json:"in,omitempty"`
	List     []inner           `json:"list"`
	Ints     []int             `json:"ints,omitempty"`
	Map      map[string]int    `json:"map,omitempty"`
	ByNum    map[int]bool      `json:"byNum,omitempty"`
	Limits   limits            `json:"limits,omitzero"`
	Any      any               `json:"any,omitempty"`
	Raw      json.RawMessage   `json:"raw,omitempty"`
	Texts    map[string]string `json:"texts,omitempty"`
	Skipped  string            `json:"-"`
	Untagged string
	hidden   int
}

// embedding is the shape DecodeScenario reads a scenario in: a struct
// embedded to take its fields, with one of them overridden.
type embedding struct {
	plainSample
	List []json.RawMessage `json:"list"`
}

type plainSample sample

var corpus = []string{
	``, ` `, `{`, `}`, `[`, `nul`, `tru`, `"abc`, `{"id":`, `{"id" "x"}`, `{"id":"x",}`, `[1,]`, `01`, `1.`, `1e`, `-`, `"\x"`, `"\u12"`, "\"\x01\"",
	`null`, `true`, `false`, `0`, `-0`, `1.5`, `1e400`, `-1e-7`, `123456789012345678901234567890`, `"x"`, `[]`, `{}`, `[1,"a",null,true,{"b":[]}]`,
	`{"id":"a","count":3,"seed":18446744073709551615,"on":true,"list":[{"mean":1,"rate":2.5}],"ints":[1,2,3]}`,
	`{"ID":"case","COUNT":2,"Seed":1}`, `{"id":"x","nope":1}`, `{"id":"x","in":{"mean":"5"}}`, `{"id":"x","in":{"nope":1}}`,
	`{"count":1.5}`, `{"count":1e3}`, `{"small":300}`, `{"seed":-1}`, `{"count":"1"}`, `{"id":5}`, `{"id":{}}`, `{"list":{}}`, `{"in":[]}`, `{"on":"yes"}`,
	`{"map":{"a":1,"b":"x"}}`, `{"byNum":{"1":true}}`, `{"limits":{"max":0}}`, `{"limits":{"max":4}}`, `{"any":{"z":[1.25,"s",false,null],"a":{}}}`,
	`{"raw":{"a": [1, 2]}}`, `{"texts":{"k":"<&>\u2028\ud83d\ude00\ud800"}}`, `{"id":"\u00e9\n\t\"\\/"}`, `{"Untagged":"u","hidden":1,"Skipped":"s"}`,
	`{"in":null,"list":null,"map":null,"id":null,"count":null}`, `{"id":"a"} `, `{"id":"a"} x`, `{"id":"a"}{"id":"b"}`, ` {"list":[{"rate":1},{"rate":2}]} `,
	`{"list":[{"rate":"x"},{"mean":true}]}`, `{"ratio":1e39}`, `{"id":"K","\u212a":1}`, `{"id":"dup","id":"second"}`,
}

func FuzzMatchesEncodingJSON(f *testing.F) {
	for _, s := range corpus {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { matchesEncodingJSON(t, data) })
}

func TestMatchesEncodingJSON(t *testing.T) {
	for _, s := range corpus {
		t.Run(s, func(t *testing.T) { matchesEncodingJSON(t, []byte(s)) })
	}
}

func matchesEncodingJSON(t *testing.T, data []byte) {
	// Valid, and syntax errors word for word.
	require.Equal(t, json.Valid(data), Valid(data), "Valid")
	var wantAny, gotAny any
	wantErr := json.Unmarshal(data, &wantAny)
	gotErr := Unmarshal(data, &gotAny)
	sameError(t, wantErr, gotErr)
	if wantErr == nil {
		require.Equal(t, wantAny, gotAny, "Unmarshal into any")
		sameMarshal(t, wantAny)
	}

	// A stream's first value, into a struct, unknown fields refused, and
	// numbers kept as written in an any.
	for _, strict := range []bool{false, true} {
		var want, got sample
		dec := json.NewDecoder(bytes.NewReader(data))
		if strict {
			dec.DisallowUnknownFields()
		}
		dec.UseNumber()
		wantErr := dec.Decode(&want)
		n, gotErr := Options{DisallowUnknownFields: strict, UseNumber: true}.Decode(data, &got)
		require.Equal(t, wantErr == nil, gotErr == nil, "Decode %q: encoding/json says %v, jsonlite %v", data, wantErr, gotErr)
		if wantErr == nil {
			require.Equal(t, int(dec.InputOffset()), n, "bytes consumed")
			wantOut, wantErr := json.Marshal(want)
			gotOut, gotErr := Marshal(got)
			require.Equal(t, wantErr == nil, gotErr == nil, "Marshal: %v, %v", wantErr, gotErr)
			require.Equal(t, string(wantOut), string(gotOut), "Marshal")
			require.Equal(t, want, numbersAsJSON(got), "Decode")
		} else {
			sameKindOfError(t, wantErr, gotErr)
		}
		var wantE, gotE embedding
		dec = json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		wantErr = dec.Decode(&wantE)
		_, gotErr = Options{DisallowUnknownFields: true}.Decode(data, &gotE)
		require.Equal(t, wantErr == nil, gotErr == nil, "Decode embedding %q: %v, %v", data, wantErr, gotErr)
		if wantErr == nil {
			require.Equal(t, wantE, gotE)
		}
	}
}

// numbersAsJSON turns jsonlite Numbers inside s.Any into json.Numbers, the
// one place the two packages' types differ.
func numbersAsJSON(s sample) sample {
	var conv func(v any) any
	conv = func(v any) any {
		switch v := v.(type) {
		case Number:
			return json.Number(v)
		case map[string]any:
			for k, x := range v {
				v[k] = conv(x)
			}
		case []any:
			for i, x := range v {
				v[i] = conv(x)
			}
		}
		return v
	}
	s.Any = conv(s.Any)
	return s
}

func sameMarshal(t *testing.T, v any) {
	t.Helper()
	want, wantErr := json.Marshal(v)
	got, gotErr := Marshal(v)
	require.Equal(t, wantErr == nil, gotErr == nil, "Marshal: %v, %v", wantErr, gotErr)
	require.Equal(t, string(want), string(got), "Marshal")
}

func sameError(t *testing.T, want, got error) {
	t.Helper()
	if want == nil || got == nil {
		require.Equal(t, want, got)
		return
	}
	var ws *json.SyntaxError
	if errors.As(want, &ws) {
		var gs *SyntaxError
		require.ErrorAs(t, got, &gs)
		assert.Equal(t, ws.Error(), gs.Error())
		assert.Equal(t, ws.Offset, gs.Offset)
		return
	}
	sameKindOfError(t, want, got)
}

// sameKindOfError: where encoding/json has several errors to choose from
// it may report another one, but always of the same kind.
func sameKindOfError(t *testing.T, want, got error) {
	t.Helper()
	var (
		ws *json.SyntaxError
		wt *json.UnmarshalTypeError
	)
	switch {
	case errors.As(want, &ws):
		var gs *SyntaxError
		require.ErrorAs(t, got, &gs)
		assert.Equal(t, ws.Error(), gs.Error())
	case errors.Is(want, io.EOF), errors.Is(want, io.ErrUnexpectedEOF):
		assert.Equal(t, want, got)
	case errors.As(want, &wt):
		var gt *UnmarshalTypeError
		var gu *UnknownFieldError
		if !errors.As(got, &gt) && !errors.As(got, &gu) {
			t.Fatalf("encoding/json: %v; jsonlite: %v", want, got)
		}
	default:
		var gt *UnmarshalTypeError
		var gu *UnknownFieldError
		if !errors.As(got, &gt) && !errors.As(got, &gu) {
			t.Fatalf("encoding/json: %v; jsonlite: %v", want, got)
		}
	}
}

func TestTypeErrorsNameTheField(t *testing.T) {
	var s sample
	_, err := Options{DisallowUnknownFields: true}.Decode([]byte(`{"list":[{"rate":1},{"rate":"fast"}]}`), &s)
	var te *UnmarshalTypeError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "list.rate", te.Field)
	assert.Equal(t, "string", te.Value)
	assert.Equal(t, reflect.TypeFor[float64](), te.Type)

	_, err = Options{DisallowUnknownFields: true}.Decode([]byte(`{"in":{"mean":1,"speed":2}}`), &s)
	var ue *UnknownFieldError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "in.speed", ue.Field)
	assert.Equal(t, `json: unknown field "speed"`, ue.Error())

	_, err = Options{}.Decode([]byte(`{"count":1e3}`), &s)
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "number 1e3", te.Value)
}
