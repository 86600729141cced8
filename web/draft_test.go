package web

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSavedAtText(t *testing.T) {
	zone := time.FixedZone("here", 2*3600)
	now := time.Date(2026, 3, 4, 10, 30, 0, 0, zone)
	cases := []struct {
		name  string
		saved time.Time
		want  string
	}{
		{"a moment ago", now.Add(-time.Minute), "today at 10:29"},
		{"this morning, just after midnight", time.Date(2026, 3, 4, 0, 5, 0, 0, zone), "today at 00:05"},
		{"yesterday", time.Date(2026, 3, 3, 23, 59, 0, 0, zone), "yesterday at 23:59"},
		{"in local time, not the saved time's zone", time.Date(2026, 3, 3, 23, 0, 0, 0, time.UTC), "today at 01:00"},
		{"yesterday across a year", time.Date(2025, 12, 31, 23, 0, 0, 0, zone), "31 Dec 2025 at 23:00"},
		{"earlier this year", time.Date(2026, 1, 2, 8, 0, 0, 0, zone), "Fri 2 Jan at 08:00"},
		{"last year", time.Date(2025, 12, 31, 18, 0, 0, 0, zone), "31 Dec 2025 at 18:00"},
		{"in the future (a clock that moved)", now.Add(48 * time.Hour), "6 Mar 2026 at 10:30"},
		{"a few seconds ahead is still now", now.Add(10 * time.Second), "today at 10:30"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, SavedAtText(CivilOf(c.saved.In(zone)), CivilOf(now)))
		})
	}
}

func TestSavedAtTextAcrossMonthsAndYears(t *testing.T) {
	for _, c := range []struct{ saved, now time.Time }{
		{time.Date(2026, 2, 28, 12, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)},
		{time.Date(2025, 12, 31, 12, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)},
		{time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC), time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)},
	} {
		assert.Equal(t, "yesterday at 12:00", SavedAtText(CivilOf(c.saved), CivilOf(c.now)), "%s", c.saved)
	}
}

func TestDraftNotice(t *testing.T) {
	t.Run("is an empty live region until there is something to offer", func(t *testing.T) {
		out := render(t, DraftNotice())
		assert.Equal(t, `<div id="draft-notice" class="draft-notice" aria-live="polite"></div>`, out)
	})
	t.Run("offers restore and discard as buttons, saying when the work is from", func(t *testing.T) {
		out := render(t, DraftOffer("today at 10:29"))
		assert.True(t, strings.HasPrefix(out, "<p>You have unsaved work from today at 10:29: "), out)
		for _, id := range []string{IDDraftRestore, IDDraftDiscard} {
			assert.Contains(t, out, `<button type="button" id="`+id+`">`)
		}
		assert.Contains(t, out, ">Restore</button> · <button")
		assert.Contains(t, out, ">Discard</button>")
	})
	t.Run("is on the sandbox page, after the error banner", func(t *testing.T) {
		out := render(t, SandboxPage(Sandbox{}))
		banner, notice := strings.Index(out, `id="`+IDErrorBanner+`"`), strings.Index(out, `id="`+IDDraftNotice+`"`)
		require.Positive(t, banner)
		assert.Greater(t, notice, banner)
	})
}
