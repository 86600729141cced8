package core

// The code the lessons show beside their runs (see code.go), with the
// records that move the highlight.

// Lines of the async/await panes, from 1.
const (
	awaitDefLine     = 2 // async def fetch_all():
	awaitUserLine    = 3 // user = await fetch_user()
	awaitOrdersLine  = 4
	awaitReviewsLine = 5
	awaitReturnLine  = 6
	gatherLine       = 7 // user, orders, reviews = await asyncio.gather(
	gatherEndLine    = 9 // )  # Total: ~100ms (parallel)
)

// awaitSequentialCode is the seed's fetch_all awaited one call at a time:
// its synchronous version with each call awaited, the same comments.
func awaitSequentialCode() *CodePane {
	return &CodePane{
		Title: "fetch_all, awaiting one call at a time",
		Source: "# Awaited one by one\n" +
			"async def fetch_all():\n" +
			"    user = await fetch_user()        # Wait {{fetch_user.sojourn}}\n" +
			"    orders = await fetch_orders()    # Wait {{fetch_orders.sojourn}}\n" +
			"    reviews = await fetch_reviews()  # Wait {{fetch_reviews.sojourn}}\n" +
			"    return user, orders, reviews     # Total: {{?user.max}}",
		// Python: "await suspends the execution of coroutine on an
		// awaitable object": https://docs.python.org/3/reference/expressions.html#await
		Note: "Each await suspends fetch_all until its call answers; the event loop is free meanwhile, but fetch_all " +
			"does not start the next call until then. The seed's synchronous version, without async and await, " +
			"takes as long and blocks its thread instead.",
		Marks: []CodeMark{
			{Kind: RecStart, Node: "fetch_all", Nth: 1, Line: awaitDefLine},
			{Kind: RecSend, Node: "fetch_all", Nth: 1, Line: awaitUserLine},
			{Kind: RecSend, Node: "fetch_all", Nth: 2, Line: awaitOrdersLine},
			{Kind: RecSend, Node: "fetch_all", Nth: 3, Line: awaitReviewsLine},
			{Kind: RecFinish, Node: "fetch_all", Nth: 1, Line: awaitReturnLine},
		},
	}
}

// awaitGatheredCode is the seed's asynchronous fetch_all, word for word
// but for the figures, which come from the run.
func awaitGatheredCode() *CodePane {
	return &CodePane{
		Title: "fetch_all, gathered (the seed's code)",
		Source: "# Asynchronous\n" +
			"async def fetch_all():\n" +
			"    user_task = fetch_user()      # Start\n" +
			"    orders_task = fetch_orders()  # Start\n" +
			"    reviews_task = fetch_reviews() # Start\n" +
			"\n" +
			"    user, orders, reviews = await asyncio.gather(\n" +
			"        user_task, orders_task, reviews_task\n" +
			"    )  # Total: ~{{?user.max}} (parallel)",
		// Calling a coroutine function only creates a coroutine object:
		// "simply calling a coroutine will not schedule it to be executed"
		// (https://docs.python.org/3/library/asyncio-task.html#coroutines);
		// gather schedules each coroutine it is given as a Task
		// (https://docs.python.org/3/library/asyncio-task.html#asyncio.gather);
		// create_task schedules at once
		// (https://docs.python.org/3/library/asyncio-task.html#asyncio.create_task).
		Note: "The three “# Start” lines start nothing yet: calling fetch_user() only makes a coroutine object. " +
			"asyncio.gather wraps the three in tasks and runs them together, so all three calls leave at the gather line, " +
			"and fetch_all awaits them there, suspended, with the event loop free. " +
			"(asyncio.create_task(fetch_user()) would start each at once.)",
		Marks: []CodeMark{
			{Kind: RecStart, Node: "fetch_all", Nth: 1, Line: awaitDefLine},
			{Kind: RecSend, Node: "fetch_all", Line: gatherLine},
			{Kind: RecFinish, Node: "fetch_all", Nth: 1, Line: gatherEndLine},
		},
	}
}

// Lines of the outbox panes, from 1.
const (
	placeOrderLine = 1 // def place_order(order):
	beginLine      = 2 // tx = db.begin()
	insertLine     = 3 // tx.insert("orders", order)
	commitLine     = 5 // tx.commit()
	returnOKLine   = 6 // return "ok"
	publishLine    = 10
	markLine       = 11
	handleLine     = 13
	seenLine       = 14 // if seen(msg.event_id):
	skipLine       = 15 // return
	processLine    = 16 // process(msg)
	rememberLine   = 17 // remember(msg.event_id)
	plainProcess   = 14 // process(msg), without the dedupe check
)

// outboxWriterCode is the transaction and the poller, as the seed lists
// them: update the order and insert the event in one transaction; poll the
// outbox, publish, mark as published.
const outboxWriterCode = "def place_order(order):        # Order Service\n" +
	"    tx = db.begin()\n" +
	"    tx.insert(\"orders\", order)\n" +
	"    tx.insert(\"outbox\", OrderCreated(order))\n" +
	"    tx.commit()                # both rows, or neither\n" +
	"    return \"ok\"\n" +
	"\n" +
	"def poll_outbox():             # the poller, on a timer\n" +
	"    for row in outbox.unpublished():\n" +
	"        broker.publish(row.event)\n" +
	"        outbox.mark_published(row)  # crash before: resent\n" +
	"\n"

// outboxWriterMarks follow one order through the transaction and the
// poller: its publish, the crash before its row was marked, its second
// publish, and the mark.
var outboxWriterMarks = []CodeMark{
	{Kind: RecStart, Node: "orders", Nth: 1, Line: placeOrderLine},
	{Kind: RecSend, Node: "orders", Nth: 1, Line: beginLine},
	{Kind: RecStart, Node: "outbox", Nth: 1, Line: insertLine},
	{Kind: RecCommit, Node: "outbox", Nth: 1, Line: commitLine},
	{Kind: RecReply, Node: "orders", Nth: 1, Line: returnOKLine},
	{Kind: RecSend, Node: "outbox", Line: publishLine},
	{Kind: RecCrash, Node: "outbox", Nth: 1, Line: markLine, AnyRequest: true},
	{Kind: RecMark, Node: "outbox", Nth: 1, Line: markLine},
}

// outboxIdempotentCode follows the first order whose event the consumer
// got twice and skipped the second time.
func outboxIdempotentCode() *CodePane {
	return &CodePane{
		Title: "The outbox, and an idempotent consumer",
		Source: outboxWriterCode +
			"def handle(msg):               # Fulfilment\n" +
			"    if seen(msg.event_id):     # the dedupe check\n" +
			"        return                 # a duplicate: skip it\n" +
			"    process(msg)\n" +
			"    remember(msg.event_id)",
		Note: "The highlight follows one order, request {{code.follow}}: its transaction, its publish, the crash before its row " +
			"was marked, the second publish, and the consumer handling the first copy and skipping the second.",
		Follow: &RecordPick{Kind: RecSkip, Node: "consumer", Nth: 1},
		Marks: append(append([]CodeMark(nil), outboxWriterMarks...),
			CodeMark{Kind: RecArrive, Node: "consumer", Line: handleLine},
			CodeMark{Kind: RecStart, Node: "consumer", Nth: 1, Line: processLine},
			CodeMark{Kind: RecFinish, Node: "consumer", Nth: 1, Line: rememberLine},
			CodeMark{Kind: RecSkip, Node: "consumer", Nth: 1, Line: seenLine},
			CodeMark{Kind: RecFinish, Node: "consumer", Nth: 2, Line: skipLine},
		),
	}
}

// outboxCodeFor is the outbox's code for sc: with the consumer's dedupe
// check while its store is on, without it once the learner turns it off.
func outboxCodeFor(sc *Scenario) *CodePane {
	if i := sc.NodeIndex("consumer"); i >= 0 && !sc.Nodes[i].Idempotent {
		return outboxPlainCode()
	}
	return outboxIdempotentCode()
}

// outboxPlainCode is the same without the dedupe store, following the
// first order whose event is processed twice.
func outboxPlainCode() *CodePane {
	return &CodePane{
		Title: "The outbox, and a consumer without a dedupe store",
		Source: outboxWriterCode +
			"def handle(msg):               # Fulfilment, no dedupe store\n" +
			"    process(msg)               # a duplicate is processed again",
		Note:   "The highlight follows one order, request {{code.follow}}: published twice after the crash, and processed twice.",
		Follow: &RecordPick{Kind: RecStart, Node: "consumer", Reason: ReasonDuplicate, Nth: 1},
		Marks: append(append([]CodeMark(nil), outboxWriterMarks...),
			CodeMark{Kind: RecArrive, Node: "consumer", Line: handleLine},
			CodeMark{Kind: RecStart, Node: "consumer", Line: plainProcess},
		),
	}
}
