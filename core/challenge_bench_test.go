package core

import "testing"

// BenchmarkEvaluateSpike is the checker on challenge 2's solution: three
// seeds of the traffic spike, about 6,500 requests each, untraced, within
// the browser's budget, then the measuring.
func BenchmarkEvaluateSpike(b *testing.B) {
	ch, err := ChallengeByID("spike")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		v, err := Evaluate(ch, ch.Solution)
		if err != nil || !v.Passed {
			b.Fatal(err, v)
		}
	}
}

// BenchmarkDecodeChallengeLink reads challenge 2 from its link: what a page
// does before it can show the challenge.
func BenchmarkDecodeChallengeLink(b *testing.B) {
	ch, err := ChallengeByID("spike")
	if err != nil {
		b.Fatal(err)
	}
	link, err := EncodeChallengeLink(ch)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := DecodeChallengeLink(link); err != nil {
			b.Fatal(err)
		}
	}
}
