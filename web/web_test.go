package web

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	g "maragu.dev/gomponents"
)

var update = flag.Bool("update", false, "update golden files")

func TestGolden(t *testing.T) {
	tests := []struct {
		name string
		node g.Node
	}{
		{"home", HomePage()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, tt.node.Render(&b))
			got := b.String() + "\n"

			golden := filepath.Join("testdata", tt.name+".golden")
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run `go test ./web -update` to create it")
			require.Equal(t, string(want), got)
		})
	}
}
