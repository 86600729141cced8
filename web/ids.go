package web

// The ids of the playground's regions and controls. The WASM program finds
// elements by them and re-renders a region by replacing the element that
// carries its id with the output of the region's view, so each view returns
// exactly one element with its id.
const (
	// Regions, each drawn by the view of the same name.
	IDTopology    = "topology"     // [Topology]
	IDSequence    = "sequence"     // [Sequence]
	IDEventLog    = "event-log"    // [EventLog]
	IDNarration   = "narration"    // [Narration]
	IDStats       = "stats"        // [Stats]
	IDControls    = "controls"     // [Controls]
	IDErrorBanner = "error-banner" // [ErrorBanner]

	// The topology's and the sequence diagram's groups that a step
	// redraws ([TopologyView.Update], [SequenceUpdate]).
	IDTopologyNodes       = "topology-nodes"
	IDTopologyTransits    = "topology-transits"
	IDSequenceActivations = "sequence-activations"
	IDSequenceRows        = "sequence-rows"

	// Playback controls, inside [Controls].
	IDScrubber    = "scrubber"
	IDPlay        = "play"
	IDStepBack    = "step-back"
	IDStepForward = "step-forward"
	IDHome        = "step-home"
	IDEnd         = "step-end"
	IDSpeed       = "speed"
	IDMotion      = "motion"      // checkbox: messages glide between steps
	IDShowFuture  = "show-future" // checkbox: the sequence diagram shows the run ahead, faded
	IDPrevNotable = "prev-notable"
	IDNextNotable = "next-notable"
	IDLandmarks   = "landmarks" // [Landmarks], under the scrubber

	// The topology's zoom, above it ([TopologyZoom]).
	IDZoomOut   = "zoom-out"
	IDZoomFit   = "zoom-fit"
	IDZoomIn    = "zoom-in"
	IDZoomLevel = "zoom-level" // a status: "Fit to the panel", "150%"

	// The scenario header of [PlaygroundPage].
	IDScenarioTitle       = "scenario-title"
	IDScenarioDescription = "scenario-description"
	IDExampleSelect       = "example"
	IDCopyLink            = "copy-link"
	IDExport              = "export"
	IDImport              = "import" // a file input
	IDShareStatus         = "share-status"
)

// ControlIDs lists the controls that [PlaygroundPage] renders disabled,
// because they do nothing until the WASM program has started; it enables
// them. Each also carries the attribute [RequiresWASM].
var ControlIDs = []string{
	IDHome, IDStepBack, IDPlay, IDStepForward, IDEnd, IDPrevNotable, IDNextNotable, IDSpeed, IDMotion, IDShowFuture, IDScrubber,
	IDZoomOut, IDZoomFit, IDZoomIn,
	IDLogReq, IDLogNode, IDLogKind,
	IDExampleSelect, IDCopyLink, IDExport, IDImport,
}

// RequiresWASM is the attribute that marks a control as working only once the
// WASM program runs (see [ControlIDs]).
const RequiresWASM = "data-requires-wasm"

// The lesson pages' ids ([IDLesson], [IDLessonIndex], [LessonStepID]…) are
// declared in lesson.go, beside their views: every ID… constant of this
// file is on [PlaygroundPage], and the tests hold it to that.

// LessonControlIDs lists the lesson pages' controls that are rendered
// disabled, with [RequiresWASM], until the WASM program enables them: the
// index's reset button and a lesson's step buttons. Each checkpoint's
// Check button ([CheckButtonID]) also carries [RequiresWASM], as do the
// playback controls ([PlaybackControlIDs]) of a lesson page's player.
var LessonControlIDs = []string{IDResetProgress, IDLessonPrev, IDLessonNext}

// PlaybackControlIDs are the controls of [ControlIDs] that a lesson page
// has too: the playback bar, without the playground's example menu and
// share tools.
var PlaybackControlIDs = []string{IDHome, IDStepBack, IDPlay, IDStepForward, IDEnd, IDPrevNotable, IDNextNotable, IDSpeed, IDMotion, IDShowFuture, IDScrubber,
	IDZoomOut, IDZoomFit, IDZoomIn,
	IDLogReq, IDLogNode, IDLogKind}

// NodeSelector and EdgeSelector find a node's and an edge's element on
// the sandbox canvas (the edge by its index).
func NodeSelector(id string) string    { return `#` + IDCanvas + ` [data-node="` + id + `"]` }
func EdgeSelector(index string) string { return `#` + IDCanvas + ` [data-edge="` + index + `"]` }
