package core

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkDecodeScenario reads the largest scenarios a link may hold (the
// 200-node heavy ones), as opening a share link does before anything runs.
func BenchmarkDecodeScenario(b *testing.B) {
	paths, err := filepath.Glob("testdata/heavy-*.json")
	if err != nil || len(paths) == 0 {
		b.Fatal("no heavy scenarios", err)
	}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(path), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := DecodeScenario(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
