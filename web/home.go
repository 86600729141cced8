package web

import (
	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"
)

// homeDescription says in one paragraph what the playground is for.
const homeDescription = "Run the synchronous and asynchronous communication patterns " +
	"of a distributed system — REST chains, message queues, events, the outbox, " +
	"dead letter queues — in a deterministic simulator. Step through every message, " +
	"predict a number before it is revealed, and compare both wirings of the same " +
	"workload with figures that were measured, not asserted."

// HomePage is the landing page.
func HomePage() g.Node {
	return Page(ProductName, homeDescription,
		h.H1(g.Text(ProductName)),
		h.P(h.Class("lead"), g.Text(homeDescription)),
	)
}
