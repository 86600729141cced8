package editor

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// TestEveryTemplateHasACounterpartToCompare opens each template and asks
// for the compare menu's default, its counterpart: every one but the
// outbox's (which needs its broker) is compared with a wiring that
// differs, and that comparison runs.
func TestEveryTemplateHasACounterpartToCompare(t *testing.T) {
	for _, ex := range core.Examples() {
		t.Run(ex.ID, func(t *testing.T) {
			s := New()
			s.Apply(Action{Op: Template, Text: ex.ID})
			require.Empty(t, s.Problems)
			effects := s.Apply(Action{Op: Compare, Text: web.CompareCounterpart})
			require.Len(t, effects, 1)
			if ex.ID == "outbox" {
				assert.Equal(t, CompareNote, effects[0].Kind)
				return
			}
			require.Equal(t, CompareWith, effects[0].Kind, effects[0].Text)
			c, err := core.Compare(s.Draft, effects[0].Scenario)
			require.NoError(t, err)
			assert.Positive(t, c.B.Requests.Started)
		})
	}
}
