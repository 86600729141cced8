package web

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sync-vs-async/playground/core"
)

// BenchmarkLayoutDense lays out core's heaviest topology, 200 nodes and
// 1,000 edges (core/testdata/heavy-dense.json), as a page does before it
// draws a link to it: layers, ordering, ports, routes and labels. Under
// js/wasm with the browser's flags (make bench: layout_dense_wasm_ms) it is
// most of that page's longest pause.
func BenchmarkLayoutDense(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "core", "testdata", "heavy-dense.json"))
	if err != nil {
		b.Fatal(err)
	}
	sc, err := core.ParseScenario(data)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		l := computeLayout(sc, false)
		if len(l.routes) != len(sc.Edges) {
			b.Fatalf("%d routes for %d edges", len(l.routes), len(sc.Edges))
		}
		n++
	}
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(n), "ms/layout")
}
