package precompress

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/require"
)

func decode(t *testing.T, suffix string, body []byte) []byte {
	t.Helper()
	var r io.Reader
	if suffix == ".br" {
		r = brotli.NewReader(bytes.NewReader(body))
	} else {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		require.NoError(t, err)
		r = zr
	}
	out, err := io.ReadAll(r)
	require.NoError(t, err)
	return out
}

// TestDir: the forms decode to their file, an unchanged file is not
// compressed again, a changed one is, and the forms of a file that is gone
// or too small go too.
func TestDir(t *testing.T) {
	dir := t.TempDir()
	css := []byte(strings.Repeat(".queue { depth: 0; }\n", 200))
	js := []byte(strings.Repeat("const ack = await queue.send(message);\n", 100))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "sub"), 0o755))
	write := func(name string, data []byte) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	write("style.css", css)
	write("sub/app.js", js)
	write("tiny.js", []byte("x"))
	write(".gitignore", bytes.Repeat([]byte("# ignored\n"), 200))

	done, err := Dir(dir)
	require.NoError(t, err)
	require.Equal(t, []string{"style.css", "sub/app.js"}, done)
	for name, want := range map[string][]byte{"style.css": css, "sub/app.js": js} {
		for _, enc := range Encodings {
			body, err := os.ReadFile(filepath.Join(dir, name+enc.Suffix))
			require.NoError(t, err, name+enc.Suffix)
			require.Less(t, len(body), len(want)/4)
			require.Equal(t, want, decode(t, enc.Suffix, body), name+enc.Suffix)
		}
	}
	for _, name := range []string{"tiny.js.br", "tiny.js.gz", ".gitignore.br"} {
		require.NoFileExists(t, filepath.Join(dir, name))
	}
	fsys := os.DirFS(dir)
	sums := ReadSums(fsys, ".")
	require.Equal(t, map[string]string{"style.css": Sum(css), "sub/app.js": Sum(js)}, sums)
	require.NotNil(t, Forms(fsys, sums, "style.css", css))
	require.Nil(t, Forms(fsys, sums, "style.css", append([]byte("/* changed */"), css...)), "stale forms are not used")

	done, err = Dir(dir)
	require.NoError(t, err)
	require.Empty(t, done, "nothing changed, nothing compressed")

	css2 := append([]byte("/* changed */\n"), css...)
	write("style.css", css2)
	require.NoError(t, os.Remove(filepath.Join(dir, "sub/app.js")))
	done, err = Dir(dir)
	require.NoError(t, err)
	require.Equal(t, []string{"style.css"}, done)
	body, err := os.ReadFile(filepath.Join(dir, "style.css.br"))
	require.NoError(t, err)
	require.Equal(t, css2, decode(t, ".br", body))
	require.NoFileExists(t, filepath.Join(dir, "sub/app.js.br"), "the forms of a file that is gone")
	require.Equal(t, map[string]string{"style.css": Sum(css2)}, ReadSums(os.DirFS(dir), "."))

	// Other settings (another header) compress everything again.
	require.NoError(t, os.WriteFile(filepath.Join(dir, Sums), []byte("# precompress v0\n"+Sum(css2)+"  style.css\n"), 0o644))
	done, err = Dir(dir)
	require.NoError(t, err)
	require.Equal(t, []string{"style.css"}, done)
}

func TestBrotliKeepsTheSmallerWindow(t *testing.T) {
	// Above 4 MB both windows are tried; the result always decodes.
	data := bytes.Repeat([]byte("the caller waits only for the enqueue ack; "), (5<<20)/43)
	br, err := Brotli(data)
	require.NoError(t, err)
	require.Equal(t, data, decode(t, ".br", br))
	narrow, err := brotliWindow(data, 22)
	require.NoError(t, err)
	require.LessOrEqual(t, len(br), len(narrow))
}
