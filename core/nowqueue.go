//go:build !(js && sandbox)

package core

// nowQueue: events due at once skip the heap (Engine.nextEvent), in the
// order the heap alone would give them. Natively and in main.wasm (the
// playground and the lessons) it makes an M/M/1 run 15% faster under js/wasm
// (node: 1.44-1.54M -> 1.59-1.85M events/s untraced).
const nowQueue = true
