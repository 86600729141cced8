package web

import (
	"io"
	"math/rand/v2"
	"testing"

	"github.com/sync-vs-async/playground/core"
)

// BenchmarkJumpRender100k jumps anywhere in a 100k-step run and renders
// what the player redraws: the topology, the sequence diagram, the event
// log and the numbers (the browser adds only the DOM's share).
func BenchmarkJumpRender100k(b *testing.B) {
	sc, err := core.ExampleByID("spike-async")
	if err != nil {
		b.Fatal(err)
	}
	sc.Nodes[0].Workload.Phases[2].Duration = 80 * core.Second
	tl, _, err := core.RunTimeline(sc)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 1))
	jumps := 0
	for b.Loop() {
		jumps++
		step := r.IntN(tl.Len() + 1)
		st := tl.At(step)
		for _, n := range []interface{ Render(io.Writer) error }{
			TopologyView{}.Draw(sc, st, Motion{On: true, From: st.At - core.Millisecond}),
			Sequence(tl, step, false),
			EventLog(tl, step),
			Stats(tl, step),
		} {
			if err := n.Render(io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(jumps), "ms/jump")
}
