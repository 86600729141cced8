package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// maxWASMFuncLines is the longest a function in wasm/ may be: the browser
// glue only translates events and effects (the logic is in core and web,
// where native tests reach it), and a function that does that reads on
// one screen.
const maxWASMFuncLines = 60

// TestWASMFunctionsAreShort measures every function of wasm/*.go, from
// its func keyword to its closing brace, closures included.
func TestWASMFunctionsAreShort(t *testing.T) {
	files, err := filepath.Glob("wasm/*.go")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	fset := token.NewFileSet()
	var long []string
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			if n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1; n > maxWASMFuncLines {
				long = append(long, fset.Position(fn.Pos()).String()+": "+fn.Name.Name+" has "+strconv.Itoa(n)+" lines")
			}
		}
	}
	require.Empty(t, long, "functions in wasm/ over %d lines: move logic into a package native tests reach (as web/editor), or split them:\n%s",
		maxWASMFuncLines, strings.Join(long, "\n"))
}
