//go:build js && sandbox

package core

// The sandbox's programs free nothing: their runs are bounded by the
// browser's budget anyway, and the code that frees (reclaim.go) would not
// fit their size budget. Freeing changes no figure of a report
// (TestFreeingChangesNoReport), so runs agree with native ones.

// reclaiming: nothing is freed.
const reclaiming = false

type reclaimer struct{ on bool }

func (rc *reclaimer) newMessage(id, req, caller int32)   {}
func (rc *reclaimer) newRequest(req int32)               {}
func (rc *reclaimer) settled(id int32, prev, s msgState) {}
func (rc *reclaimer) requestDone(req int32)              {}
func (rc *reclaimer) requestReopened(req int32)          {}
func (rc *reclaimer) pin(id int32)                       {}
func (rc *reclaimer) unpin(id int32)                     {}
func namesMessage(k eventKind, msg int32) bool           { return false }
func (e *Engine) sweep()                                 {}
func (rc *reclaimer) setUp(opt Options, sc *Scenario)    {}
func (rc *reclaimer) due(n int64) bool                   { return false }
