package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCounterpart(t *testing.T) {
	t.Run("sync calls between services become sends through a queue", func(t *testing.T) {
		sc := example(t, "rest-chain")
		other, err := Counterpart(sc)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, other.NodeIndex("service-queue"), 0)
		for _, e := range other.Edges {
			switch {
			case e.From == "service" && e.To == "db":
				assert.Equal(t, Sync, e.Mode, "a database's answer is needed: it stays sync")
			case e.From == "client":
				assert.Equal(t, Sync, e.Mode, "the client's own call is the user's experience")
			case e.To == "service-queue" || e.From == "service-queue":
				assert.Equal(t, Async, e.Mode)
			}
		}
		a, _ := run(t, sc)
		b, _ := run(t, other)
		assert.Less(t, b.UserLatency.Max, a.UserLatency.Max, "the user no longer waits for the service and the database")
		// The same work either way: the replies back up the chain (4ms)
		// become the hop through the queue and the worker's ack (4ms);
		// the new queue adds its 1ms to store the message.
		assert.Equal(t, a.CompletionLatency.Max+Millisecond, b.CompletionLatency.Max)
	})

	t.Run("a queue is removed and its producer calls the consumer", func(t *testing.T) {
		sc := example(t, "message-queue")
		other, err := Counterpart(sc)
		require.NoError(t, err)
		assert.Equal(t, -1, other.NodeIndex("queue"))
		a, _ := run(t, sc)
		b, _ := run(t, other)
		assert.Greater(t, b.UserLatency.Max, 2*Second, "now the producer waits for the work")
		assert.Less(t, a.UserLatency.Max, 10*Millisecond)
	})

	t.Run("competing consumers become one service with all their hands", func(t *testing.T) {
		other, err := Counterpart(example(t, "ordering-queue"))
		require.NoError(t, err)
		i := other.NodeIndex("consumer-a")
		require.GreaterOrEqual(t, i, 0)
		assert.Equal(t, 6, other.Nodes[i].Concurrency)
		assert.Equal(t, Service, other.Nodes[i].Kind)
		assert.Equal(t, -1, other.NodeIndex("consumer-b"))
	})

	t.Run("a client that would call several nodes gets a gateway", func(t *testing.T) {
		other, err := Counterpart(example(t, "lost-ack"))
		require.NoError(t, err)
		assert.GreaterOrEqual(t, other.NodeIndex("producer-gateway"), 0)
		require.NoError(t, other.Validate())
	})

	t.Run("both wirings see the same arrivals", func(t *testing.T) {
		sc := example(t, "spike-async")
		other, err := Counterpart(sc)
		require.NoError(t, err)
		sends := func(sc *Scenario) []Duration {
			_, e := run(t, sc)
			var at []Duration
			for _, r := range e.Trace() {
				if r.Kind == RecSend && r.Node == int32(sc.NodeIndex("shoppers")) {
					at = append(at, r.At)
				}
			}
			return at
		}
		assert.Equal(t, sends(sc), sends(other))
	})

	t.Run("an outbox has no synchronous counterpart", func(t *testing.T) {
		_, err := Counterpart(example(t, "outbox"))
		assert.ErrorContains(t, err, "no synchronous counterpart")
	})

	t.Run("every example but the outbox has one that differs and runs", func(t *testing.T) {
		for _, ex := range Examples() {
			other, err := Counterpart(ex.Scenario)
			if ex.ID == "outbox" {
				continue
			}
			require.NoError(t, err, ex.ID)
			modes := func(sc *Scenario) (s []string) {
				for _, e := range sc.Edges {
					s = append(s, e.From+"→"+e.To+" "+string(e.Mode))
				}
				return s
			}
			assert.NotEqual(t, modes(ex.Scenario), modes(other), "%s: the counterpart is wired the same", ex.ID)
			r, _ := run(t, other)
			assert.Positive(t, r.Requests.Started, ex.ID)
		}
	})

	t.Run("a client's only call goes through a queue to the same service", func(t *testing.T) {
		sc := example(t, "spike-sync")
		other, err := Counterpart(sc)
		require.NoError(t, err)
		assert.Equal(t, "Traffic spike, synchronous (other wiring)", other.Name)
		q := other.NodeIndex("orders-queue")
		require.GreaterOrEqual(t, q, 0)
		assert.Equal(t, Queue, other.Nodes[q].Kind)
		assert.ElementsMatch(t, []Edge{
			{From: "shoppers", To: "orders-queue", Mode: Async, Latency: sc.Edges[0].Latency},
			{From: "orders-queue", To: "orders", Mode: Async, Latency: sc.Edges[0].Latency},
		}, other.Edges)
		assert.Equal(t, sc.Nodes[1], other.Nodes[other.NodeIndex("orders")], "the same service behind it")
		c, err := Compare(sc, other)
		require.NoError(t, err)
		p50, _ := c.Figure("user p50")
		assert.Less(t, p50.B, p50.A, "the shoppers wait only for the queue's ack")
		assert.Equal(t, 1, c.Better(p50))
	})
}

func TestCompareMeasuresEveryRowOfTheSeedsTable(t *testing.T) {
	syncSc, asyncSc := example(t, "spike-sync"), example(t, "spike-async")
	c, err := Compare(syncSc, asyncSc)
	require.NoError(t, err)

	aspects := make([]string, len(c.Table))
	for i, r := range c.Table {
		aspects[i] = r.Aspect
		require.NotEmpty(t, r.Figures)
		for _, name := range r.Figures {
			_, ok := c.Figure(name)
			require.True(t, ok, "row %s names figure %q", r.Aspect, name)
		}
	}
	assert.Equal(t, []string{"Latency", "Coupling", "Failure handling", "Complexity", "Scalability", "Consistency", "Debugging"}, aspects)

	fig := func(name string) Figure {
		f, ok := c.Figure(name)
		require.True(t, ok, name)
		return f
	}
	// Each figure is the reports' own number, not a typed-in one.
	assert.Equal(t, c.A.UserLatency.P50.Milliseconds(), fig("user p50").A)
	assert.Equal(t, c.B.UserLatency.P99.Milliseconds(), fig("user p99").B)
	assert.Equal(t, float64(c.A.Requests.TimedOut), fig("timeouts").A)
	assert.Equal(t, float64(len(asyncSc.Nodes)+len(asyncSc.Edges)), fig("moving parts").B)

	// And they point the way the seed's table says.
	assert.Greater(t, fig("user p50").A, fig("user p50").B, "sync latency includes full processing")
	assert.Greater(t, fig("timeouts").A, fig("timeouts").B, "sync: immediate errors under the burst")
	assert.Greater(t, fig("staleness mean").B, fig("staleness mean").A, "async is eventually consistent")
	assert.Greater(t, fig("moving parts").B, fig("moving parts").A, "async has more moving parts")
	assert.Greater(t, fig("failed during an outage").A, fig("failed during an outage").B, "sync callers need the callee up")
	assert.Greater(t, fig("events").B, fig("events").A, "async requests make more hops to follow")
}

// TestCompareIsFourPlainRunsMeasured checks Compare, now a loop over a
// CompareJob, against the four runs done the plain way: each run in one
// go, the outage runs cut from the first runs' own ends. (The wirings of
// message-queue and lost-ack end at different times, so an outage cut
// from the wrong run shows.)
func TestCompareIsFourPlainRunsMeasured(t *testing.T) {
	plain := func(sc *Scenario) *Report {
		e, err := NewEngine(sc, Options{})
		require.NoError(t, err)
		return e.Run()
	}
	for _, id := range []string{"spike-sync", "rest-chain", "message-queue", "lost-ack"} {
		a := example(t, id)
		b, err := Counterpart(a)
		require.NoError(t, err)
		want := &Comparison{NameA: a.Name, NameB: b.Name, A: plain(a), B: plain(b)}
		outA, downA := withOutage(a, want.A.End)
		outB, downB := withOutage(b, want.B.End)
		want.OutageA, want.OutageB, want.DownA, want.DownB = plain(outA), plain(outB), downA, downB
		want.measure(a, b, nil)

		got, err := Compare(a, b)
		require.NoError(t, err)
		// The other seeds only widen each figure's range around the first
		// seed's value.
		require.Len(t, got.Figures, len(want.Figures))
		for i, f := range got.Figures {
			assert.True(t, f.LowA <= f.A && f.A <= f.HighA && f.LowB <= f.B && f.B <= f.HighB, "%s: %s", id, f.Name)
			want.Figures[i].LowA, want.Figures[i].HighA, want.Figures[i].LowB, want.Figures[i].HighB = f.LowA, f.HighA, f.LowB, f.HighB
		}
		assert.Equal(t, NoiseSeeds, got.Seeds, id)
		want.Seeds = got.Seeds
		assert.Equal(t, want, got, id)
	}
}

// TestBetterIsBeyondTheNoise checks that a ✓ (Comparison.Better) needs a
// difference larger than the run-to-run noise.
func TestBetterIsBeyondTheNoise(t *testing.T) {
	t.Run("a wiring against itself under another seed wins nothing", func(t *testing.T) {
		for _, id := range []string{"spike-sync", "spike-async", "api-gateway", "mm1"} {
			a := example(t, id)
			b := a.Clone()
			b.Seed += 1000
			c, err := Compare(a, b)
			require.NoError(t, err)
			require.Equal(t, NoiseSeeds, c.Seeds)
			for _, f := range c.Figures {
				assert.Zero(t, c.Better(f), "%s: %s: A %v (%v..%v), B %v (%v..%v)", id, f.Name, f.A, f.LowA, f.HighA, f.B, f.LowB, f.HighB)
			}
		}
	})

	t.Run("the architecture's effects still win", func(t *testing.T) {
		c, err := Compare(example(t, "spike-sync"), example(t, "spike-async"))
		require.NoError(t, err)
		better := map[string]int{}
		for _, f := range c.Figures {
			better[f.Name] = c.Better(f)
		}
		assert.Equal(t, 1, better["user p50"], "the queue answers the shoppers at once")
		assert.Equal(t, 1, better["failed during an outage"], "the queue holds the orders while the service is down")
		assert.Equal(t, -1, better["moving parts"], "no noise in a count of parts")
	})

	t.Run("with one seed nothing wins", func(t *testing.T) {
		c := &Comparison{Seeds: 1}
		assert.Zero(t, c.Better(Figure{LowerIsBetter: true, A: 1, LowA: 1, HighA: 1, B: 9, LowB: 9, HighB: 9}))
		c.Seeds = 2
		assert.Equal(t, -1, c.Better(Figure{LowerIsBetter: true, A: 1, LowA: 1, HighA: 1, B: 9, LowB: 9, HighB: 9}))
		assert.Zero(t, c.Better(Figure{LowerIsBetter: true, A: 1, LowA: 1, HighA: 9, B: 9, LowB: 8, HighB: 9}), "ranges that meet")
	})

	t.Run("the noise budget is fixed from the first seed's runs", func(t *testing.T) {
		a, b := example(t, "spike-sync"), example(t, "spike-async")
		j, err := NewCompareJob(a, b)
		require.NoError(t, err)
		j.noiseEvents = 2 * 4 * 60_000 // two more seeds of four runs of about 40,000 to 60,000 events
		for done := false; !done; {
			done, err = j.Step(1 << 30)
			require.NoError(t, err)
		}
		c := j.Result()
		events := c.A.Events + c.B.Events + c.OutageA.Events + c.OutageB.Events
		assert.Equal(t, 1+int(j.noiseEvents/events), c.Seeds)
		assert.Less(t, c.Seeds, NoiseSeeds)
	})
}
