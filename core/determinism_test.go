package core

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name (name may hold a directory), or
// rewrites it with -update. The golden files are written natively, on any
// platform, and checked both natively and under js/wasm, which is how the
// test shows the two platforms agree.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", filepath.FromSlash(name))
	if *update {
		require.NotEqual(t, "js", runtime.GOOS, "-update writes golden files natively: the js/wasm run (under node) is the check that WebAssembly agrees with them, so it reads them and never writes them")
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./core -update to create it")
	assert.Equal(t, string(want), string(got), "%s differs on %s/%s; if the change is intended, rerun with -update natively", path, runtime.GOOS, runtime.GOARCH)
}

func TestSameSeedGivesTheSameTrace(t *testing.T) {
	for _, ex := range Examples() {
		t.Run(ex.ID, func(t *testing.T) {
			a, _ := run(t, ex.Scenario)
			b, _ := run(t, ex.Scenario)
			require.NotEmpty(t, a.TraceHash)
			assert.Equal(t, a.TraceHash, b.TraceHash)
			assert.Equal(t, a, b)
		})
	}
}

func TestDifferentSeedGivesADifferentTrace(t *testing.T) {
	for _, id := range []string{"mm1", "closed-loop", "spike-async"} {
		t.Run(id, func(t *testing.T) {
			sc, err := ExampleByID(id)
			require.NoError(t, err)
			a, _ := run(t, sc)
			sc.Seed++
			b, _ := run(t, sc)
			assert.NotEqual(t, a.TraceHash, b.TraceHash)
		})
	}
}

func TestAddingANodeLeavesTheOtherDrawsAlone(t *testing.T) {
	sc, err := ExampleByID("spike-async")
	require.NoError(t, err)
	sends := func(sc *Scenario) []Duration {
		_, e := run(t, sc)
		var at []Duration
		for _, r := range e.Trace() {
			if r.Kind == RecSend && r.Node == 0 {
				at = append(at, r.At)
			}
		}
		return at
	}
	before := sends(sc)
	// A new node (with its own stream) downstream changes nothing upstream.
	sc.Nodes = append(sc.Nodes, Node{ID: "audit", Kind: Database, ServiceTime: Exp(ms(3))})
	sc.Nodes[2].Kind = Service
	sc.Edges = append(sc.Edges, Edge{From: "orders", To: "audit", Mode: Sync, Latency: Exp(ms(1))})
	assert.Equal(t, before, sends(sc), "the shoppers' arrivals are the same")
}

// TestTraceHashesMatchTheGoldenFile runs every example and compares its
// trace hash with the one recorded natively: under GOOS=js GOARCH=wasm the
// same file must match, byte for byte.
func TestTraceHashesMatchTheGoldenFile(t *testing.T) {
	var buf bytes.Buffer
	for _, ex := range Examples() {
		r, _ := run(t, ex.Scenario)
		fmt.Fprintf(&buf, "%s %s records=%d events=%d\n", ex.ID, r.TraceHash, r.TraceLen, r.Events)
	}
	golden(t, "trace-hashes.golden", buf.Bytes())
}

// TestDrawsMatchTheGoldenFile pins the exact bits of every distribution's
// draws, so a platform that rounded differently would show up here first.
func TestDrawsMatchTheGoldenFile(t *testing.T) {
	dists := []*Dist{
		Fixed(ms(7)),
		{Type: Uniform, Min: ms(1), Max: ms(9)},
		Exp(ms(10)),
		{Type: Normal, Mean: ms(10), Stddev: ms(4)},
		{Type: Normal, Mean: 0, Stddev: ms(4)},
		{Type: LogNormal, Median: ms(80), Sigma: 0.6},
		{Type: LogNormal, Median: ms(5), Sigma: 2.5},
	}
	var buf bytes.Buffer
	for _, d := range dists {
		s := compile(d)
		r := newStream(42, d.String())
		fmt.Fprintf(&buf, "%s:", d)
		for range 12 {
			fmt.Fprintf(&buf, " %d", s.draw(r))
		}
		buf.WriteByte('\n')
	}
	r := newStream(42, "math")
	for range 200 {
		x := r.uniform() * 40
		fmt.Fprintf(&buf, "log %x exp %x\n", math.Float64bits(detLog(x)), math.Float64bits(detExp(x-20)))
	}
	golden(t, "draws.golden", buf.Bytes())
}

func TestDeterministicMathAgreesWithTheStandardLibrary(t *testing.T) {
	r := newStream(1, "agree")
	for range 100_000 {
		x := r.uniform() * 700
		assert.InEpsilon(t, math.Log(x), detLog(x), 1e-15)
		assert.InEpsilon(t, math.Exp(x-350), detExp(x-350), 1e-15)
	}
	assert.True(t, math.IsInf(detLog(0), -1))
	assert.True(t, math.IsNaN(detLog(-1)))
	assert.Equal(t, 1.0, detExp(0))
}

func TestSampleMeansMatchTheDistributions(t *testing.T) {
	dists := []*Dist{
		{Type: Uniform, Min: ms(1), Max: ms(9)},
		Exp(ms(10)),
		{Type: Normal, Mean: ms(10), Stddev: ms(4)},
		{Type: Normal, Mean: 0, Stddev: ms(4)}, // truncated at 0: mean 4·√(2/π)
		{Type: LogNormal, Median: ms(80), Sigma: 0.6},
	}
	const n = 200_000
	for _, d := range dists {
		t.Run(d.String(), func(t *testing.T) {
			s := compile(d)
			r := newStream(3, d.String())
			var sum, sumsq float64
			for range n {
				x := float64(s.draw(r))
				require.GreaterOrEqual(t, x, 0.0)
				sum += x
				sumsq += x * x
			}
			mean := sum / n
			se := math.Sqrt((sumsq/n - mean*mean) / n)
			// The sample mean is within 5 standard errors of the true mean
			// except with probability below 1e-6.
			assert.InDelta(t, float64(d.MeanValue()), mean, 5*se)
		})
	}
}
