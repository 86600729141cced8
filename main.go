// Command playground serves the Sync vs Async Playground, simulates scenario
// files and measures the WASM program's download size.
//
//	go run . [-addr 127.0.0.1:8080]     serve the playground
//	go run . simulate [flags] FILE      simulate a scenario file and print its report
//	go run . sizes                      print main.wasm's and sandbox.wasm's sizes raw, gzipped and brotli-compressed
//	go run . export [-base /PATH/] DIR  write the whole site as static files (export.go)
//
// Run `make wasm` first: static/main.wasm and static/wasm_exec.js are build
// outputs embedded from static/.
package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
)

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "simulate":
			os.Exit(simulateCommand(os.Args[2:], os.Stdin, os.Stdout, os.Stderr))
		case "sizes":
			os.Exit(sizesCommand(os.Args[2:], staticFS(), os.Stdout, os.Stderr))
		case "export":
			os.Exit(exportCommand(os.Args[2:], os.Stdout, os.Stderr))
		}
	}
	os.Exit(serveCommand(os.Args[1:], os.Stderr))
}

// serveCommand serves the playground until SIGINT or SIGTERM and returns the
// process exit code.
func serveCommand(args []string, stderr io.Writer) int {
	flags := flag.NewFlagSet("playground", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", "127.0.0.1:8080", "address to listen on")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "playground: unexpected argument %q (the subcommands are simulate, sizes and export)\n", flags.Arg(0))
		return 2
	}

	logger := slog.New(slog.NewTextHandler(stderr, nil))
	if err := serve(*addr, logger); err != nil {
		logger.Error("server stopped", "err", err)
		return 1
	}
	return 0
}
