// Kafka's default partitioner for a keyed record, in Java, to check the Go
// port against: Utils.murmur2 and Utils.toPositive as in Apache Kafka's
// clients/src/main/java/org/apache/kafka/common/utils/Utils.java (Apache
// License 2.0), and BuiltInPartitioner.partitionForKey:
// toPositive(murmur2(keyBytes)) % numPartitions, the key's bytes being its
// UTF-8 encoding (StringSerializer's default).
//
// It first prints Kafka's own UtilsTest vectors (so a slip in this copy
// shows), then the partition of each key of keys.txt over 1, 3, 6, 12 and
// 100 partitions. Regenerate string-keys.golden with
//   java Murmur2.java < keys.txt > string-keys.golden
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

public class Murmur2 {
    public static int murmur2(final byte[] data) {
        int length = data.length;
        int seed = 0x9747b28c;
        final int m = 0x5bd1e995;
        final int r = 24;
        int h = seed ^ length;
        int length4 = length / 4;
        for (int i = 0; i < length4; i++) {
            final int i4 = i * 4;
            int k = (data[i4 + 0] & 0xff) + ((data[i4 + 1] & 0xff) << 8) + ((data[i4 + 2] & 0xff) << 16) + ((data[i4 + 3] & 0xff) << 24);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        switch (length % 4) {
            case 3:
                h ^= (data[(length & ~3) + 2] & 0xff) << 16;
            case 2:
                h ^= (data[(length & ~3) + 1] & 0xff) << 8;
            case 1:
                h ^= data[length & ~3] & 0xff;
                h *= m;
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }

    public static int toPositive(int number) {
        return number & 0x7fffffff;
    }

    public static void main(String[] args) throws Exception {
        String[] vectors = {"21", "foobar", "a-little-bit-long-string", "a-little-bit-longer-string",
            "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", "abc"};
        for (String v : vectors) {
            System.out.println("# murmur2(" + v + ") = " + murmur2(v.getBytes(StandardCharsets.UTF_8)));
        }
        int[] counts = {1, 3, 6, 12, 100};
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String key;
        while ((key = in.readLine()) != null) {
            if (key.isEmpty()) continue;
            StringBuilder line = new StringBuilder(key);
            for (int n : counts) {
                line.append('\t').append(toPositive(murmur2(key.getBytes(StandardCharsets.UTF_8))) % n);
            }
            System.out.println(line);
        }
    }
}
