package core

// A coroutine (Node.Coroutine) is timed as any handler is, but what it does
// while a call is out is different, and the trace says so: a thread blocks
// on a sync call, holding its worker; a coroutine awaits it, suspended, and
// its event loop is free to run other tasks. In Python's words: "await
// suspends the execution of coroutine on an awaitable object"
// (https://docs.python.org/3/reference/expressions.html#await), and
// asyncio.gather runs awaitables concurrently, scheduling each coroutine
// as a Task (https://docs.python.org/3/library/asyncio-task.html#asyncio.gather).

// isCoroutine reports whether node i of sc is a coroutine.
func isCoroutine(sc *Scenario, i int32) bool {
	return i >= 0 && int(i) < len(sc.Nodes) && sc.Nodes[i].Coroutine
}

// coroutineSend is the sentence for a coroutine's sync call: awaited on its
// own, or started with the others and awaited together.
func coroutineSend(sc *Scenario, i int32) string {
	if sc.Nodes[i].ParallelCalls() {
		return "{from} starts {to} with {msg} without waiting for it; it awaits all its calls together, " +
			"suspended (the event loop is free)."
	}
	return "{from} awaits {to} with {msg}: it is suspended, and the event loop is free to run other tasks."
}

// coroutineResume is the sentence for a reply reaching a coroutine.
func coroutineResume(sc *Scenario, i int32) string {
	if sc.Nodes[i].ParallelCalls() {
		return "{at} has the result of {msg} after {d}; it resumes once every call it awaits has answered."
	}
	return "{at} resumes with the result of {msg}, after {d}."
}
