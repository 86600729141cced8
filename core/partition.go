package core

import (
	"cmp"
	"slices"
)

// Kafka's default partitioner and range assignor, ported so that a
// simulated topic puts a keyed message on the partition a real Kafka
// producer would choose, and hands partitions to consumers the way a real
// consumer group would. Anyone comparing a simulation with a cluster, or
// reasoning about hot partitions from their own keys, then sees the same
// numbers in both.

// murmur2 is a port of org.apache.kafka.common.utils.Utils.murmur2, the hash
// behind the Java producer's choice of partition for a keyed record. Java
// has only signed 32-bit ints; their multiplication wraps exactly like
// uint32's, and Java's unsigned shift >>> is Go's >> on a uint32, so the
// arithmetic is done on uint32 and the bits are returned as an int32.
func murmur2(data []byte) int32 {
	const (
		seed = 0x9747b28c
		m    = 0x5bd1e995
		r    = 24
	)
	length := len(data)
	h := uint32(seed) ^ uint32(length)
	length4 := length / 4
	for i := range length4 {
		i4 := i * 4
		k := uint32(data[i4]) | uint32(data[i4+1])<<8 | uint32(data[i4+2])<<16 | uint32(data[i4+3])<<24
		k *= m
		k ^= k >> r
		k *= m
		h *= m
		h ^= k
	}
	// The last few bytes; Java's switch falls through from case 3 to case 1.
	tail := length &^ 3
	switch length % 4 {
	case 3:
		h ^= uint32(data[tail+2]) << 16
		fallthrough
	case 2:
		h ^= uint32(data[tail+1]) << 8
		fallthrough
	case 1:
		h ^= uint32(data[tail])
		h *= m
	}
	h ^= h >> 13
	h *= m
	h ^= h >> 15
	return int32(h)
}

// toPositive clears the sign bit, as Kafka's Utils.toPositive does. It is
// not the absolute value (which would differ for negative hashes and
// overflow for math.MinInt32), and using anything else would move keys to
// different partitions than Kafka puts them on.
func toPositive(n int32) int32 { return n & 0x7fffffff }

// keyPartition is the partition the Java producer's default partitioner
// chooses for a non-empty key on a topic of the given number of partitions:
// toPositive(murmur2(key)) % partitions.
func keyPartition(key []byte, partitions int) int {
	return int(toPositive(murmur2(key))) % partitions
}

// rangeAssign is Kafka's RangeAssignor for a single topic. The consumers are
// ordered by member id; each gets a contiguous run of partitions/n
// partitions, and the first partitions%n of them one more, so a group with
// more consumers than partitions leaves the last ones idle. That uneven split
// (12 partitions over 5 consumers is 3, 3, 2, 2, 2) is what a real group
// shows, and is worth seeing in a simulation.
//
// The result holds, for each consumer in the order given (not the sorted
// order), its partitions in increasing order; the list is empty, never nil,
// for a consumer that gets none.
func rangeAssign(partitions int, consumers []string) [][]int {
	out := make([][]int, len(consumers))
	for i := range out {
		out[i] = []int{}
	}
	n := len(consumers)
	if n == 0 || partitions <= 0 {
		return out
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(consumers[a], consumers[b]) })
	per, extra := partitions/n, partitions%n
	for rank, idx := range order {
		start := per*rank + min(rank, extra)
		length := per
		if rank < extra {
			length++
		}
		for p := start; p < start+length; p++ {
			out[idx] = append(out[idx], p)
		}
	}
	return out
}
