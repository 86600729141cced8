package core

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vmaFlags returns the VmFlags of the mapping holding address p, from
// /proc/self/smaps.
func vmaFlags(t *testing.T, p uintptr) []string {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	require.NoError(t, err)
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if lo, hi, ok := strings.Cut(strings.Fields(line)[0], "-"); ok && !strings.HasSuffix(line, ":") {
			a, errA := strconv.ParseUint(lo, 16, 64)
			b, errB := strconv.ParseUint(hi, 16, 64)
			if errA == nil && errB == nil {
				in = uintptr(a) <= p && p < uintptr(b)
				continue
			}
		}
		if flags, ok := strings.CutPrefix(line, "VmFlags:"); ok && in {
			return strings.Fields(flags)
		}
	}
	require.NoError(t, sc.Err())
	t.Fatalf("no mapping holds %#x", p)
	return nil
}

// TestLargeTablesAskForHugePages checks that the memory of a table's chunk
// and of a long latency series is marked for huge pages (VmFlags "hg").
func TestLargeTablesAskForHugePages(t *testing.T) {
	if _, err := os.Stat("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil {
		t.Skip("this kernel has no transparent huge pages:", err)
	}
	var recs traceTable
	recs.add(&Record{Node: 1, From: -1, To: -1, Partition: -1, Offset: -1})
	chunk := uintptr(unsafe.Pointer(recs.recs.at(0)))
	assert.Contains(t, vmaFlags(t, chunk), "hg", "a table's chunk")
	end := uintptr(unsafe.Pointer(&recs.recs.chunks[0][chunkSize-1]))
	assert.Contains(t, vmaFlags(t, end), "hg", "the end of a table's chunk")

	var long latencies
	for i := range hugeMin / 8 * 2 {
		long.add(Duration(i))
	}
	assert.Contains(t, vmaFlags(t, uintptr(unsafe.Pointer(&long.exact[len(long.exact)-1]))), "hg", "a long latency series")
}
