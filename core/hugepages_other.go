//go:build !linux

package core

// preferHugePages does nothing where the kernel is not Linux (WebAssembly
// included): see hugepages_linux.go.
func preferHugePages[T any]([]T) {}
