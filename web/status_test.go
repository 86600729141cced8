package web

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAnnouncement(t *testing.T) {
	cases := []struct {
		msg, want string
		progress  bool
	}{
		{"Running… 0%", "Running…", true},
		{"Running… 40% (steps 0 to 22887 can be stepped through meanwhile)", "Running… (steps 0 to 22887 can be stepped through meanwhile)", true},
		{"Preparing the step-through… 100%", "Preparing the step-through…", true},
		{"Ran 1098360 steps; the numbers below are the whole run's.", "Ran 1098360 steps; the numbers below are the whole run's.", false},
		{"Link copied", "Link copied", false},
		{"a failure rate of 5% stays", "a failure rate of 5% stays", false},
		{"Running… 12345% no", "Running… 12345% no", false},
		{"1000% is not a figure", "1000% is not a figure", false},
		{"ends in a space ", "ends in a space ", false},
		{"", "", false},
	}
	for _, c := range cases {
		got, progress := Announcement(c.msg)
		assert.Equal(t, c.want, got, c.msg)
		assert.Equal(t, c.progress, progress, c.msg)
	}
	// Every percentage of a run's progress is one phase.
	first, _ := Announcement("Running… 1%")
	for p := range 101 {
		got, _ := Announcement("Running… " + strconv.Itoa(p) + "%")
		assert.Equal(t, first, got)
	}
}

func TestStatusLine(t *testing.T) {
	var b strings.Builder
	assert.NoError(t, StatusLine(IDRunStatus, "run-status").Render(&b))
	assert.Equal(t, `<p id="run-status" class="run-status"></p><p id="run-status-live" class="visually-hidden" role="status"></p>`, b.String(),
		"the line people see is not live; the live region beside it is out of sight")
}
