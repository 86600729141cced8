package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCloneIsADeepEqualCopy(t *testing.T) {
	var all []*Scenario
	for _, ex := range Examples() {
		all = append(all, ex.Scenario)
	}
	for seed := range uint64(200) {
		all = append(all, randomScenario(seed), withBoundedLines(randomScenario(seed), seed))
	}
	for i, sc := range all {
		c := sc.Clone()
		require.Equal(t, sc, c, "scenario %d", i)
		want, err := sc.MarshalCanonical()
		require.NoError(t, err)
		// Change everything the copy points to; the original must not move.
		for j := range c.Nodes {
			n := &c.Nodes[j]
			n.ID += "x"
			for _, p := range []*Dist{n.ServiceTime} {
				if p != nil {
					p.Value++
				}
			}
			if n.Pos != nil {
				n.Pos.X++
			}
			if n.MaxWaiting != nil {
				*n.MaxWaiting++
			}
			if n.Retry != nil {
				n.Retry.MaxAttempts++
			}
			if n.Workload != nil {
				n.Workload.Count++
				for k := range n.Workload.Phases {
					n.Workload.Phases[k].Rate++
				}
				if n.Workload.Think != nil {
					n.Workload.Think.Mean++
				}
			}
			for k := range n.RedriveAt {
				n.RedriveAt[k]++
			}
		}
		for j := range c.Edges {
			if c.Edges[j].Latency != nil {
				c.Edges[j].Latency.Value++
			}
		}
		for j := range c.Faults {
			for k := range c.Faults[j].Requests {
				c.Faults[j].Requests[k]++
			}
		}
		got, err := sc.MarshalCanonical()
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), "scenario %d changed with its copy", i)
	}
}

func TestEqualComparesFieldForField(t *testing.T) {
	sc, err := ExampleByID("rest-chain")
	require.NoError(t, err)
	c := sc.Clone()
	assert.True(t, sc.Equal(c))
	c.Nodes[1].Label += "!"
	assert.False(t, sc.Equal(c))
	var none *Scenario
	assert.True(t, none.Equal(nil))
	assert.False(t, none.Equal(sc))
	assert.False(t, sc.Equal(nil))
}
