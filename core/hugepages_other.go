//go:build !linux

package core

import "unsafe"

// preferHugePages does nothing where the kernel is not Linux (WebAssembly
// included): see hugepages_linux.go.
func preferHugePages(unsafe.Pointer, uintptr) {}
