package dev.ms365mcp.testkit.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** FakeGraph's upload sessions keep Graph's rules, so an uploader that breaks them fails its tests. */
class UploadSessionsTest {

    private static final int UNIT = 320 * 1024;

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder put(String url, int start, int length, int total) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Range",
                "bytes " + start + "-" + (start + length - 1) + "/" + total)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[length]));
    }

    @Test
    void rangesAreCheckedAndTheSessionSaysWhereToResume() throws Exception {
        try (FakeGraph graph = FakeGraph.start().acceptUploadSessions(); HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> created = send(http, HttpRequest.newBuilder(URI.create(graph.url()
                    + "/v1.0/drives/d/items/root:/a.bin:/createUploadSession"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"item\":{\"name\":\"a.bin\"}}")));
            assertThat(created.statusCode()).isEqualTo(200);
            String url = graph.uploadSessions().get(0).url();
            int total = 2 * UNIT + 10;

            assertThat(send(http, put(url, 0, UNIT, total)).body()).contains("\"" + UNIT + "-\"");
            assertThat(send(http, put(url, 0, UNIT, total)).statusCode()).as("a range sent twice").isEqualTo(416);
            assertThat(send(http, put(url, 2 * UNIT, 10, total)).statusCode()).as("a range skipped").isEqualTo(416);
            assertThat(send(http, put(url, UNIT, 1000, total)).statusCode()).as("not a multiple of 320 KiB")
                    .isEqualTo(400);
            assertThat(send(http, put(url, UNIT, UNIT, total).header("Authorization", "Bearer t")).statusCode())
                    .as("a token sent to the pre-authenticated URL").isEqualTo(401);
            assertThat(send(http, HttpRequest.newBuilder(URI.create(url)).GET()).body())
                    .contains("\"nextExpectedRanges\":[\"" + UNIT + "-" + (total - 1) + "\"]");
            assertThat(send(http, put(url, UNIT, UNIT, total)).statusCode()).isEqualTo(202);
            HttpResponse<String> done = send(http, put(url, 2 * UNIT, 10, total));
            assertThat(done.statusCode()).isEqualTo(201);
            assertThat(done.body()).contains("\"name\":\"a.bin\"").contains("\"size\":" + total);
            assertThat(graph.uploadSessions().get(0).ranges()).hasSize(3);
            assertThat(graph.uploadSessions().get(0).statusQueries()).isEqualTo(1);
        }
    }

    @Test
    void attachmentSessionsTakeChunksUnderFourMegabytesAndAnswerWithALocation() throws Exception {
        try (FakeGraph graph = FakeGraph.start().acceptUploadSessions(); HttpClient http = HttpClient.newHttpClient()) {
            int total = 5 * 1024 * 1024;
            send(http, HttpRequest.newBuilder(URI.create(graph.url() + "/v1.0/me/messages/m/attachments/createUploadSession"))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"AttachmentItem\":{\"attachmentType\":\"file\",\"name\":\"r.pdf\",\"size\":" + total + "}}")));
            UploadSessions.Session s = graph.uploadSessions().get(0);
            assertThat(s.kind()).isEqualTo(UploadSessions.Kind.ATTACHMENT);
            assertThat(send(http, put(s.url(), 0, 4 * 1024 * 1024, total)).statusCode()).isEqualTo(400);
            assertThat(send(http, put(s.url(), 0, 12 * UNIT, total)).statusCode()).isEqualTo(202);
            HttpResponse<String> done = send(http, put(s.url(), 12 * UNIT, total - 12 * UNIT, total));
            assertThat(done.statusCode()).isEqualTo(201);
            assertThat(done.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("r.pdf"));
        }
    }

    @Test
    void aChosenChunkFailsBeforeOrAfterItsBytesAreKept() throws Exception {
        try (FakeGraph graph = FakeGraph.start().acceptUploadSessions(); HttpClient http = HttpClient.newHttpClient()) {
            graph.failChunkInNextUploadSession(0, false).failChunkInNextUploadSession(1, true);
            send(http, HttpRequest.newBuilder(URI.create(graph.url() + "/v1.0/drives/d/items/root:/b:/createUploadSession"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));
            String url = graph.uploadSessions().get(0).url();
            assertThat(send(http, put(url, 0, UNIT, 2 * UNIT)).statusCode()).isEqualTo(500);
            assertThat(graph.uploadSessions().get(0).receivedBytes()).isZero();
            assertThat(send(http, put(url, 0, UNIT, 2 * UNIT)).statusCode()).isEqualTo(500);
            assertThat(graph.uploadSessions().get(0).receivedBytes()).isEqualTo(UNIT);
        }
    }
}
