package jsonlite

import (
	"reflect"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// field is a struct field as JSON sees it.
type field struct {
	name                string
	folded              string // FoldKey(name)
	index               []int  // through embedded structs
	tagged              bool
	omitEmpty, omitZero bool
}

var fieldCache sync.Map // reflect.Type -> []field

// fieldsOf lists t's JSON fields in declaration order, with the fields of
// embedded structs promoted as encoding/json promotes them: of several
// with one name, the shallowest wins, then a tagged one; a tie drops all.
func fieldsOf(t reflect.Type) []field {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]field)
	}
	var all []field
	collectFields(t, nil, &all)
	// Keep, for each name, the dominant field.
	var out []field
	for i, f := range all {
		best, tie := i, false
		for j, g := range all {
			if j == i || g.name != f.name {
				continue
			}
			switch {
			case len(g.index) < len(all[best].index),
				len(g.index) == len(all[best].index) && g.tagged && !all[best].tagged:
				best, tie = j, false
			case len(g.index) == len(all[best].index) && g.tagged == all[best].tagged:
				tie = true
			}
		}
		if best == i && !tie {
			out = append(out, f)
		}
	}
	fieldCache.Store(t, out)
	return out
}

func collectFields(t reflect.Type, index []int, out *[]field) {
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		idx := append(append([]int(nil), index...), i)
		ft := sf.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			collectFields(ft, idx, out)
			continue
		}
		if !sf.IsExported() {
			continue
		}
		tagged := name != ""
		if !tagged {
			name = sf.Name
		}
		*out = append(*out, field{
			name: name, folded: FoldKey(name), index: idx, tagged: tagged,
			omitEmpty: hasOption(opts, "omitempty"), omitZero: hasOption(opts, "omitzero"),
		})
	}
}

func hasOption(opts, want string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == want {
			return true
		}
	}
	return false
}

// FoldKey folds a key as encoding/json does to match names to fields: ASCII
// upper-cased, any other rune to the smallest of its simple case folding
// orbit, so that "K" (Kelvin) matches "k".
func FoldKey(key string) string {
	var b strings.Builder
	b.Grow(len(key))
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		case r >= utf8.RuneSelf:
			for {
				next := unicode.SimpleFold(r)
				if next <= r {
					r = next
					break
				}
				r = next
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}
