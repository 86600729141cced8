package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
	"github.com/sync-vs-async/playground/web"
)

// sitePages are every page of the site: the playground, the lesson index,
// the sandbox, the challenge index and a challenge, each lesson, and the
// two challenge pages a link opens: making a challenge from a sandbox
// link, and a teacher's challenge.
func sitePages(t *testing.T) []string {
	t.Helper()
	pages := []string{"/", "/lessons", "/sandbox", web.ChallengesPath, web.ChallengePath("spike")}
	for _, l := range core.Lessons() {
		pages = append(pages, web.LessonPath(l.ID))
	}
	sc, err := core.EncodeShareLink(example(t, "spike-async"))
	require.NoError(t, err)
	ch, err := core.ChallengeByID("spike")
	require.NoError(t, err)
	c, err := core.EncodeChallengeLink(ch)
	require.NoError(t, err)
	return append(pages, web.MakeChallengePath+"#"+core.Fragment{Scenario: sc}.String(), web.CustomChallengePath+"#c="+c)
}

// phone is a 390×844 phone (an iPhone 12 to 15) at twice the density.
var phone = chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)

// pageSizes are the sizes every page is checked at: a desktop and a phone.
var pageSizes = []struct {
	name  string
	setup chromedp.Action[chromedp.Void]
}{
	{"1280x800", chromedp.EmulateViewport(1280, 800)},
	{"390x844", phone},
}

// goSettled opens path in the tab and waits until it has loaded and, on a
// page with the WASM program, the program is ready and idle.
func (p *tab) goSettled(path string) {
	p.t.Helper()
	p.do(chromedp.Navigate(serverURL + path))
	p.waitJS(`document.readyState === "complete" && (!document.getElementById("`+web.StatusID+`") || `+statusReadyJS+
		` && document.body.dataset.pending === "0")`, readyTimeout, "%s loads", path)
}
