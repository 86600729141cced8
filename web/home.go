package web

import (
	g "maragu.dev/gomponents"
	. "maragu.dev/gomponents/html"
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
		H1(g.Text(ProductName)),
		P(Class("lead"), g.Text(homeDescription)),
	)
}
