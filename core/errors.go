package core

import (
	"strings"

	"github.com/sync-vs-async/playground/internal/fmtlite"
)

// FieldError says what is wrong with one field of a scenario, naming it by
// its path in the JSON ("nodes[2].concurrency").
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// Errors is every problem found in a scenario, in the order found.
type Errors []FieldError

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

func (es *Errors) add(field, format string, args ...any) {
	*es = append(*es, FieldError{Field: field, Message: fmtlite.Sprintf(format, args...)})
}

// err returns es as an error, or nil if there are none.
func (es Errors) err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}
