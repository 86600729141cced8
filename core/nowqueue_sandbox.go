//go:build js && sandbox

package core

// nowQueue is off in the sandbox's programs (sandbox.wasm and
// challenge.wasm, built with -tags sandbox), for their size budget: every
// event goes through the heap, in the same order, and the same trace comes
// out (`make test` runs the trace goldens under js/wasm with this tag too).
const nowQueue = false
