package core

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// kafkaMurmur2Vectors are the cases of Kafka's own UtilsTest.testMurmur2
// (clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java).
var kafkaMurmur2Vectors = []struct {
	key  []byte
	want int32
}{
	{[]byte("21"), -973932308},
	{[]byte("foobar"), -790332482},
	{[]byte("a-little-bit-long-string"), -985981536},
	{[]byte("a-little-bit-longer-string"), -1486304829},
	{[]byte("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"), -58897971},
	{[]byte{'a', 'b', 'c'}, 479470107},
}

func TestMurmur2MatchesKafkasOwnTestVectors(t *testing.T) {
	for _, tc := range kafkaMurmur2Vectors {
		t.Run(string(tc.key), func(t *testing.T) {
			assert.Equal(t, tc.want, murmur2(tc.key))
		})
	}
}

func TestPartitionHashIsMadePositiveByClearingTheSignBit(t *testing.T) {
	tests := []struct {
		in, want int32
	}{
		{0, 0},
		{1, 1},
		{2147483647, 2147483647},
		{-1, 2147483647},
		{-2147483648, 0},
		{-790332482, 1357151166},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, toPositive(tc.in), "toPositive(%d)", tc.in)
	}
}

func TestKeyPartitionPicksThePartitionKafkaWould(t *testing.T) {
	// toPositive of each Kafka vector, reduced modulo the partition count.
	tests := []struct {
		key        string
		partitions int
		want       int
	}{
		{"21", 12, 0},                          // 1173551340 % 12
		{"21", 100, 40},                        // 1173551340 % 100
		{"foobar", 12, 6},                      // 1357151166 % 12
		{"foobar", 100, 66},                    // 1357151166 % 100
		{"a-little-bit-long-string", 3, 2},     // 1161502112 % 3
		{"a-little-bit-longer-string", 12, 11}, // 661178819 % 12
		{"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", 100, 77}, // 2088585677 % 100
		{"abc", 6, 3}, // 479470107 % 6
		{"abc", 1, 0}, // one partition takes everything
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s over %d", tc.key, tc.partitions), func(t *testing.T) {
			assert.Equal(t, tc.want, keyPartition([]byte(tc.key), tc.partitions))
		})
	}
}

func TestKeyPartitionIsInRangeAndDeterministic(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 12, 64, 1000} {
		seen := make(map[int]bool)
		for i := range 2000 {
			key := []byte(fmt.Sprintf("user-%d", i))
			p := keyPartition(key, n)
			require.GreaterOrEqual(t, p, 0, "key %s over %d", key, n)
			require.Less(t, p, n, "key %s over %d", key, n)
			require.Equal(t, p, keyPartition(key, n), "key %s over %d", key, n)
			seen[p] = true
		}
		if n <= 64 {
			assert.Len(t, seen, n, "2000 keys should reach all %d partitions", n)
		}
	}
}

func TestMurmur2HandlesEveryTailLength(t *testing.T) {
	// Every tail length (0–3 bytes after the last full word) hashes without
	// panicking, and the empty key is the seed mixed with a zero length.
	for n := range 9 {
		key := []byte("abcdefgh")[:n]
		assert.NotPanics(t, func() { murmur2(key) }, "length %d", n)
	}
	assert.Equal(t, murmur2(nil), murmur2([]byte{}))
}

func TestRangeAssign(t *testing.T) {
	tests := []struct {
		name       string
		partitions int
		consumers  []string
		want       [][]int
	}{
		{
			name:       "twelve partitions over five consumers split 3, 3, 2, 2, 2",
			partitions: 12,
			consumers:  []string{"c1", "c2", "c3", "c4", "c5"},
			want:       [][]int{{0, 1, 2}, {3, 4, 5}, {6, 7}, {8, 9}, {10, 11}},
		},
		{
			name:       "three partitions over five consumers leave the last two idle",
			partitions: 3,
			consumers:  []string{"c1", "c2", "c3", "c4", "c5"},
			want:       [][]int{{0}, {1}, {2}, {}, {}},
		},
		{
			name:       "an even split gives everyone the same number",
			partitions: 6,
			consumers:  []string{"a", "b", "c"},
			want:       [][]int{{0, 1}, {2, 3}, {4, 5}},
		},
		{
			name:       "consumers are ranked by member id but reported in the order given",
			partitions: 12,
			consumers:  []string{"c5", "c3", "c1", "c4", "c2"},
			want:       [][]int{{10, 11}, {6, 7}, {0, 1, 2}, {8, 9}, {3, 4, 5}},
		},
		{
			name:       "member ids sort as strings, so c10 comes before c2",
			partitions: 3,
			consumers:  []string{"c2", "c10"},
			want:       [][]int{{2}, {0, 1}},
		},
		{
			name:       "a single consumer takes every partition",
			partitions: 4,
			consumers:  []string{"only"},
			want:       [][]int{{0, 1, 2, 3}},
		},
		{
			name:       "no partitions means nothing for anyone",
			partitions: 0,
			consumers:  []string{"a", "b"},
			want:       [][]int{{}, {}},
		},
		{
			name:       "no consumers means an empty assignment",
			partitions: 5,
			consumers:  nil,
			want:       [][]int{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, rangeAssign(tc.partitions, tc.consumers))
		})
	}
}

func TestRangeAssignGivesEveryPartitionToExactlyOneConsumer(t *testing.T) {
	for partitions := range 20 {
		for n := 1; n <= 8; n++ {
			consumers := make([]string, n)
			for i := range consumers {
				consumers[i] = fmt.Sprintf("m-%d", n-1-i) // given in reverse order
			}
			owner := make(map[int]int)
			for i, ps := range rangeAssign(partitions, consumers) {
				require.LessOrEqual(t, len(ps), partitions/n+1)
				require.GreaterOrEqual(t, len(ps), partitions/n)
				for _, p := range ps {
					_, dup := owner[p]
					require.False(t, dup, "partition %d assigned twice", p)
					owner[p] = i
				}
			}
			require.Len(t, owner, partitions, "%d partitions over %d consumers", partitions, n)
		}
	}
}

// String keys, non-ASCII ones included, land where Kafka puts them:
// testdata/kafka/string-keys.golden holds, for each key of keys.txt, the
// partition over 1, 3, 6, 12 and 100 partitions as computed by a Java copy
// of Kafka's Utils.murmur2 (testdata/kafka/Murmur2.java, which first
// reproduces Kafka's own test vectors, checked here too).
func TestStringKeysLandWhereKafkaPutsThem(t *testing.T) {
	data, err := os.ReadFile("testdata/kafka/string-keys.golden")
	require.NoError(t, err)
	counts := []int{1, 3, 6, 12, 100}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if v, ok := strings.CutPrefix(line, "# murmur2("); ok {
			key, want, _ := strings.Cut(v, ") = ")
			n, err := strconv.ParseInt(want, 10, 32)
			require.NoError(t, err)
			assert.Equal(t, int32(n), murmur2([]byte(key)), "the Java copy agrees with Kafka's vector for %q", key)
			continue
		}
		fields := strings.Split(line, "\t")
		require.Len(t, fields, 1+len(counts), line)
		for i, n := range counts {
			want, err := strconv.Atoi(fields[1+i])
			require.NoError(t, err)
			assert.Equal(t, want, keyPartition([]byte(fields[0]), n), "%q over %d partitions", fields[0], n)
		}
		checked++
	}
	assert.GreaterOrEqual(t, checked, 15)
}
