package dev.ms365mcp.tools.uploads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.ChildJvm;
import dev.ms365mcp.testkit.graph.FakeGraph;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 200 MB file streams from disk to an upload session in a JVM with a 64 MiB heap, and the heap's peak
 * during that upload is the same as during a 40 MB one: one chunk in memory, never the file.
 */
class UploadMemoryTest {

    private static final long MB = 1024 * 1024;
    private static final Pattern PEAK = Pattern.compile("peakHeap=(\\d+)");

    @TempDir
    Path folder;

    @Test
    void memoryStaysFlatWhileTwoHundredMegabytesStreamThrough() throws Exception {
        Path small = UploadFromPathTest.randomFile(folder.resolve("small.bin"), 40 * MB);
        Path big = UploadFromPathTest.randomFile(folder.resolve("big.bin"), 200 * MB);
        try (FakeGraph graph = FakeGraph.start().acceptUploadSessions()) {
            ChildJvm.Result child = ChildJvm.run(Duration.ofSeconds(300), List.of("-Xmx64m", "-XX:+UseSerialGC"),
                    UploadMemoryProbe.class, graph.url(), folder.toString(), "small.bin", "big.bin");
            List<String> lines = child.lines();
            lines.forEach(System.out::println);
            assertThat(child.exitCode()).as(child.output()).isZero();
            long smallPeak = peak(lines, "small.bin");
            long bigPeak = peak(lines, "big.bin");
            System.out.printf("upload peak heap: 40 MB file %.1f MiB, 200 MB file %.1f MiB (-Xmx64m)%n",
                    smallPeak / (double) MB, bigPeak / (double) MB);
            assertThat(bigPeak).isLessThan(48 * MB).isLessThan(smallPeak + 8 * MB);
            assertThat(graph.uploadSessions()).hasSize(2);
            assertThat(graph.uploadSessions().get(1).receivedBytes()).isEqualTo(200 * MB);
            assertThat(graph.uploadSessions().get(1).sha256()).isEqualTo(UploadFromPathTest.sha256(big));
            assertThat(graph.uploadSessions().get(0).sha256()).isEqualTo(UploadFromPathTest.sha256(small));
        }
    }

    private static long peak(List<String> lines, String name) {
        String line = lines.stream().filter(l -> l.startsWith(name + " error=false")).findFirst()
                .orElseThrow(() -> new AssertionError(name + " did not upload:\n" + String.join("\n", lines)));
        Matcher m = PEAK.matcher(line);
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }
}
