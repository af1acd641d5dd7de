package dev.ms365mcp.http.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.ChildJvm;
import dev.ms365mcp.testkit.graph.FakeGraph;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * 200 MB through a download link and 200 MB through an upload link, in a JVM with a 64 MiB heap that holds the
 * HTTP server and its client: the heap's peak is the same as for 20 MB, so nothing holds a file.
 */
class FileLinkMemoryTest {

    private static final long MB = 1024 * 1024;
    private static final Pattern LINE = Pattern.compile("status=(\\d+) bytes=(\\d+) peakHeap=(\\d+)");

    @Test
    void memoryStaysFlatWhileTwoHundredMegabytesStreamThroughLinks() throws Exception {
        try (FakeGraph graph = FakeGraph.start().acceptUploadSessions()) {
            graph.onLargeBody("GET", "/v1.0/me/drive/items/SMALL/content", "video/mp4", 20 * MB);
            graph.onLargeBody("GET", "/v1.0/me/drive/items/BIG/content", "video/mp4", 200 * MB);
            graph.onMatching("GET", "/v1\\.0/me/drive/items/(SMALL|BIG)", (req, base) -> dev.ms365mcp.testkit.graph
                    .FakeResponse.ok("{\"name\":\"video.mp4\",\"file\":{\"mimeType\":\"video/mp4\"}}"));
            ChildJvm.Result child = ChildJvm.run(Duration.ofSeconds(300),
                    List.of("-Xmx64m", "-XX:+UseSerialGC", "-Dsun.net.httpserver.nodelay=true"), FileLinkMemoryProbe.class,
                    graph.url(), "download:/me/drive/items/SMALL/content", "download:/me/drive/items/BIG/content",
                    "upload:" + 20 * MB, "upload:" + 200 * MB);
            List<String> lines = child.lines();
            String all = child.output();
            assertThat(child.exitCode()).as(all).isZero();
            long[] smallDown = transfer(lines, "download:/me/drive/items/SMALL/content");
            long[] bigDown = transfer(lines, "download:/me/drive/items/BIG/content");
            long[] smallUp = transfer(lines, "upload:" + 20 * MB);
            long[] bigUp = transfer(lines, "upload:" + 200 * MB);
            System.out.printf("file links, -Xmx64m, server and client in one JVM: download peak heap 20 MB %.1f MiB, "
                    + "200 MB %.1f MiB; upload peak heap 20 MB %.1f MiB, 200 MB %.1f MiB%n", smallDown[2] / (double) MB,
                    bigDown[2] / (double) MB, smallUp[2] / (double) MB, bigUp[2] / (double) MB);
            assertThat(bigDown[0]).isEqualTo(200);
            // the fake's generated text ends on a whole line, a few bytes short of the size asked for
            assertThat(bigDown[1]).isBetween(200 * MB - 1024, 200 * MB);
            assertThat(smallDown[1] + bigDown[1]).isEqualTo(graph.largeBodyBytesSent());
            assertThat(bigUp[0]).as(all).isEqualTo(201);
            assertThat(bigDown[2]).isLessThan(48 * MB).isLessThan(smallDown[2] + 8 * MB);
            assertThat(bigUp[2]).isLessThan(48 * MB).isLessThan(smallUp[2] + 8 * MB);
            assertThat(graph.uploadSessions()).hasSize(2);
            assertThat(graph.uploadSessions().get(1).receivedBytes()).isEqualTo(200 * MB);
            assertThat(graph.uploadSessions().get(1).sha256()).isEqualTo(sha256(FileLinkMemoryProbe.generated(200 * MB)));
        }
    }

    private static long[] transfer(List<String> lines, String item) {
        String line = lines.stream().filter(l -> l.startsWith(item + " status=")).findFirst()
                .orElseThrow(() -> new AssertionError(item + " did not run:\n" + String.join("\n", lines)));
        Matcher m = LINE.matcher(line);
        assertThat(m.find()).isTrue();
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        for (int n; (n = in.read(buf)) > 0; ) {
            d.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }
}
