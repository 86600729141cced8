package web

import (
	"strings"

	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"
)

// StatusLine is a line of status that people see, and beside it, out of
// sight, the live region that says it to a screen reader
// (StatusLiveID). A long run rewrites the line with its progress about
// thirty times a second ("Running… 19%", "Running… 22%", …); a live
// region changed that often has a screen reader queue or interrupt
// itself with every figure, so the page says each phase once instead
// (Announcement). The line people see is not a live region.
func StatusLine(id, class string) g.Node {
	return g.Group{
		h.P(h.ID(id), h.Class(class)),
		h.P(h.ID(StatusLiveID(id)), h.Class("visually-hidden"), h.Role("status")),
	}
}

// StatusLiveID is the id of the live region beside status line id.
func StatusLiveID(id string) string { return id + "-live" }

// Announcement is what the live region says for status message msg, and
// whether msg is a progress report: msg without the percentage that
// follows its ellipsis ("Running… 40%"). Two progress reports with the
// same announcement are one phase, said once. Other percentages stay.
func Announcement(msg string) (text string, progress bool) {
	const mark = "… "
	i := strings.Index(msg, mark)
	if i < 0 {
		return msg, false
	}
	start := i + len(mark)
	j := start
	for j < len(msg) && j-start < 3 && '0' <= msg[j] && msg[j] <= '9' {
		j++
	}
	if j == start || j == len(msg) || msg[j] != '%' {
		return msg, false
	}
	return msg[:i+len("…")] + msg[j+1:], true
}
