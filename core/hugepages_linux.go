package core

import (
	"syscall"
	"unsafe"
)

// A run's large tables (trace records, messages, requests, a latency
// series' exact values) are written once, front to back, into memory the
// heap has just taken from the kernel, so every 4 KiB page of them costs a
// page fault. On the virtual machine this project is measured on a fault
// takes 7–13 µs, and a traced M/M/1 run of a million customers, which
// writes about 450 MB, spent 30–40 % of its time in the kernel (perf stat:
// 51k faults per run). With transparent huge pages a fault maps 2 MiB at
// once: 512 times fewer faults for the same memory.
//
// Linux gives huge pages only where a program asks (madvise mode, the
// default of most distributions: /sys/kernel/mm/transparent_hugepage/enabled),
// and Go's heap does not ask (GODEBUG disablethp only turns them off where
// the system turns them on for everyone). So the engine asks for the
// memory of its large allocations: madvise(MADV_HUGEPAGE) over the 4 MiB
// regions holding them, the granularity in which the heap maps memory.
// The advice changes how memory is backed, never what it holds, and
// madvise(2) leaves a range's contents alone for MADV_HUGEPAGE; a region
// the heap has not mapped (which the rounding can reach) is refused with
// ENOMEM and nothing else happens, so the error is ignored.
//
// https://docs.kernel.org/admin-guide/mm/transhuge.html
// https://man7.org/linux/man-pages/man2/madvise.2.html

// hugeRegion is the size of the regions advised: Go maps its heap in
// 4 MiB chunks (runtime.pallocChunkBytes), two huge pages each.
const hugeRegion = 4 << 20

// hugeMin is the smallest allocation worth advising: an eighth of a huge
// page (a table's chunk of packed trace records is 512 KiB).
const hugeMin = 256 << 10

// _MADV_HUGEPAGE is madvise's MADV_HUGEPAGE (the syscall package does not
// name it).
const _MADV_HUGEPAGE = 14

// preferHugePages asks for huge pages for the memory of s, a new
// allocation; it does nothing for allocations under hugeMin.
func preferHugePages[T any](s []T) {
	n := uintptr(len(s)) * unsafe.Sizeof(*new(T))
	if n < hugeMin {
		return
	}
	// The region is passed as numbers, never as a pointer: it reaches past
	// the allocation, where a Go pointer may not point.
	p := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
	lo := p &^ (hugeRegion - 1)
	hi := (p + n + hugeRegion - 1) &^ (hugeRegion - 1)
	syscall.Syscall(syscall.SYS_MADVISE, lo, hi-lo, _MADV_HUGEPAGE)
}
