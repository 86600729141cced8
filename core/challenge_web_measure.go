package core

// Measure returns c's figure on a run: r is the run's report (nil will do
// for a structural figure) and sc its scenario; ok is false when c names
// a node sc does not have, or an unknown figure. The sandbox's "Make a
// challenge from this" prefills each check's bound with it, so that the
// bound a teacher starts from is the checker's own figure.
func (c *Check) Measure(r *Report, sc *Scenario) (v float64, ok bool) {
	def, known := ChallengeFigure(c.Figure)
	if !known || (r == nil && !def.Structural) {
		return 0, false
	}
	return measureCheck(c, r, sc)
}
