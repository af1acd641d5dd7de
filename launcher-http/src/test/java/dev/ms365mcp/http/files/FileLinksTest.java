package dev.ms365mcp.http.files;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ms365mcp.http.McpHttpClient;
import dev.ms365mcp.http.TestServer;
import dev.ms365mcp.http.oauth.MutableClock;
import dev.ms365mcp.http.state.InMemoryStateStore;
import dev.ms365mcp.http.state.RedisServer;
import dev.ms365mcp.http.state.RedisStateStore;
import dev.ms365mcp.testkit.graph.FakeGraph;
import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.testkit.graph.RecordedRequest;
import dev.ms365mcp.testkit.graph.UploadSessions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Files over HTTP: download-bytes answers with a single-use link that streams Graph's content to whoever holds
 * it (once, before it expires, never for another user's bearer); create-upload-link hands out a single-use URL
 * whose PUT body goes into the user's drive or draft. Two users (alice, bob) as in the isolation tests.
 */
class FileLinksTest {

    private static final String CONTENT = "/v1.0/me/drive/items/F1/content";
    private final MutableClock clock = new MutableClock();
    private TestServer server;
    private TestServer second;

    @AfterEach
    void stop() {
        if (second != null) {
            second.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private TestServer start(TestServer.Builder b) throws Exception {
        return b.fileLinks(true).clock(clock).store(new InMemoryStateStore(clock)).start();
    }

    static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Alice's report.pdf: its content, and its metadata (which the tool reads for the link's name, size, type). */
    private static void serve(FakeGraph graph, byte[] pdf) {
        graph.on("GET", CONTENT, FakeResponse.bytes(200, "application/pdf", pdf));
        graph.on("GET", "/v1.0/me/drive/items/F1", FakeResponse.ok("{\"name\":\"report.pdf\",\"size\":" + pdf.length
                + ",\"file\":{\"mimeType\":\"application/pdf\"}}"));
    }

    /** Requests that fetched the content (not the metadata read when the link was made). */
    private static List<RecordedRequest> fetches(FakeGraph graph) {
        return graph.requests().stream().filter(r -> r.rawPath().equals(CONTENT)).toList();
    }

    /** Calls download-bytes for alice's file; returns the link's URL (checked to be a resource_link too). */
    private static String downloadLink(McpHttpClient client) throws Exception {
        JsonNode r = client.callTool("download-bytes", "{\"target\":\"/me/drive/items/F1/content\"}");
        JsonNode content = r.path("result").path("content");
        assertThat(r.path("result").path("isError").asBoolean()).as(r.toString()).isFalse();
        JsonNode link = null;
        for (JsonNode c : content) {
            if (c.path("type").asString().equals("resource_link")) {
                link = c;
            }
        }
        assertThat(link).as("a resource_link in " + content).isNotNull();
        assertThat(link.path("name").asString()).isEqualTo("report.pdf");
        assertThat(link.path("mimeType").asString()).isEqualTo("application/pdf");
        assertThat(link.path("size").isNumber()).isTrue();
        String uri = link.path("uri").asString();
        assertThat(uri).startsWith("http://localhost:3000/files/download/");
        assertThat(McpHttpClient.text(r)).contains(uri);
        return uri;
    }

    /** The link on this test server (the public URL is the default http://localhost:3000). */
    private static URI local(TestServer s, String link) {
        return s.url(URI.create(link).getPath());
    }

    private static HttpResponse<byte[]> get(URI url, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return McpHttpClient.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<String> put(URI url, byte[] body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return McpHttpClient.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aDownloadLinkStreamsTheContentOnceForTheUserWhoAsked() throws Exception {
        server = start(TestServer.builder());
        byte[] pdf = random(700_000);
        serve(server.graph, pdf);
        McpHttpClient alice = server.client("token-alice").initialize();

        String link = downloadLink(alice);
        assertThat(fetches(server.graph)).as("nothing is fetched until the link is used").isEmpty();
        assertThat(server.graph.lastRequest().query()).containsEntry("$select", "name,size,file");

        HttpResponse<byte[]> first = get(local(server, link), null);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(sha256(first.body())).isEqualTo(sha256(pdf));
        assertThat(first.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(first.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment; filename=\"report.pdf\"");
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(first.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        RecordedRequest fetched = server.graph.lastRequest();
        assertThat(fetched.rawPath()).isEqualTo(CONTENT);
        assertThat(fetched.header("Authorization")).isEqualTo("Bearer graph-token-alice");

        HttpResponse<byte[]> again = get(local(server, link), null);
        assertThat(again.statusCode()).isEqualTo(410);
        assertThat(new String(again.body(), StandardCharsets.UTF_8)).contains("link_gone").doesNotContain("alice");
        assertThat(fetches(server.graph)).hasSize(1);
    }

    @Test
    void aDownloadCutOffByGraphNeverLooksComplete() throws Exception {
        // A Graph that sends 2 MB of a chunked body, then drops the connection without the last chunk.
        try (java.net.ServerSocket cutting = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!cutting.isClosed()) {
                    try (Socket c = cutting.accept()) {
                        String head = readHead(c.getInputStream());
                        OutputStream out = c.getOutputStream();
                        if (!head.startsWith("GET /v1.0/me/drive/items/F1/content")) {
                            byte[] meta = "{\"name\":\"report.pdf\",\"size\":9,\"file\":{\"mimeType\":\"application/pdf\"}}"
                                    .getBytes(StandardCharsets.UTF_8);
                            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + meta.length
                                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                            out.write(meta);
                            continue;
                        }
                        out.write("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nTransfer-Encoding: chunked\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                        byte[] chunk = random(64 * 1024);
                        for (int i = 0; i < 32; i++) {
                            out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                            out.write(chunk);
                            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        }
                        out.flush();
                    } catch (java.io.IOException e) {
                        // closed
                    }
                }
            });
            server = start(TestServer.builder().graphRoot("http://127.0.0.1:" + cutting.getLocalPort()));
            String link = downloadLink(server.client("token-alice").initialize());
            HttpResponse<InputStream> r = McpHttpClient.HTTP.send(HttpRequest.newBuilder(local(server, link)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).isEqualTo(200);
            long read = 0;
            boolean failed = false;
            try (InputStream in = r.body()) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    read += n;
                }
            } catch (java.io.IOException e) {
                failed = true;
            }
            assertThat(failed).as("the body ended normally after %d bytes", read).isTrue();
        }
    }

    /** The request line and headers of one HTTP request. */
    private static String readHead(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        return head.toString();
    }

    @Test
    void aMissingItemGetsNoLink() throws Exception {
        server = start(TestServer.builder());
        JsonNode r = server.client("token-alice").initialize().callTool("download-bytes",
                "{\"target\":\"/me/drive/items/F1/content\"}");
        assertThat(r.path("result").path("isError").asBoolean()).isTrue();
        assertThat(r.toString()).doesNotContain("/files/download/");
        assertThat(fetches(server.graph)).isEmpty();
    }

    @Test
    void anotherUsersBearerIsRefusedWithoutUsingTheLinkUp() throws Exception {
        server = start(TestServer.builder());
        byte[] pdf = random(10_000);
        serve(server.graph, pdf);
        String link = downloadLink(server.client("token-alice").initialize());

        HttpResponse<byte[]> bob = get(local(server, link), "token-bob");
        assertThat(bob.statusCode()).isEqualTo(403);
        HttpResponse<byte[]> forged = get(local(server, link), "not-a-token");
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(fetches(server.graph)).as("refused attempts fetch nothing").isEmpty();

        HttpResponse<byte[]> alice = get(local(server, link), "token-alice");
        assertThat(alice.statusCode()).isEqualTo(200);
        assertThat(alice.body()).isEqualTo(pdf);
        assertThat(server.graph.lastRequest().header("Authorization")).isEqualTo("Bearer graph-token-alice");
    }

    @Test
    void aDownloadLinkExpires() throws Exception {
        server = start(TestServer.builder().env("MS365_MCP_ATTACHMENT_URL_TTL_S", "60"));
        serve(server.graph, random(100));
        McpHttpClient alice = server.client("token-alice").initialize();
        String fresh = downloadLink(alice);
        String stale = downloadLink(alice);

        clock.advance(Duration.ofSeconds(59));
        assertThat(get(local(server, fresh), null).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(2));
        assertThat(get(local(server, stale), null).statusCode()).isEqualTo(410);
        assertThat(fetches(server.graph)).hasSize(1);
    }

    @Test
    void unknownAndMalformedTicketsGetTheSameAnswerAsUsedOnes() throws Exception {
        server = start(TestServer.builder());
        for (String path : List.of("/files/download/" + "A".repeat(43), "/files/download/short", "/files/download/",
                "/files/download/../upload/x", "/files/other/" + "A".repeat(43))) {
            HttpResponse<byte[]> r = get(server.url(path), null);
            assertThat(r.statusCode()).as(path).isIn(404, 410);
        }
        HttpResponse<byte[]> unknown = get(server.url("/files/download/" + "A".repeat(43)), null);
        assertThat(new String(unknown.body(), StandardCharsets.UTF_8)).contains("expired, was already used, or never existed");
        assertThat(server.graph.requests()).isEmpty();
    }

    @Test
    void linksOutliveTheReplicaThatMintedThem() throws Exception {
        InMemoryStateStore shared = new InMemoryStateStore(clock);
        FakeGraph graph = FakeGraph.start();
        byte[] pdf = random(50_000);
        serve(graph, pdf);
        server = TestServer.builder().fileLinks(true).clock(clock).store(shared).graph(graph).stateless(true).start();
        second = TestServer.builder().fileLinks(true).clock(clock).store(shared).graph(FakeGraph.start()).stateless(true)
                .start();
        second.graph.on("GET", CONTENT, FakeResponse.bytes(200, "application/pdf", pdf));
        String link = downloadLink(server.client("token-alice"));

        assertThat(get(local(second, link), null).body()).isEqualTo(pdf);
        assertThat(get(local(server, link), null).statusCode()).as("used up on the other replica").isEqualTo(410);
        assertThat(fetches(graph)).isEmpty();

        graph.acceptUploadSessions();
        second.graph.acceptUploadSessions();
        String upload = uploadUrl(server.client("token-alice"), "{\"driveId\":\"d1\",\"parentId\":\"root\",\"name\":\"a.txt\"}");
        second.graph.on("PUT", "/v1.0/drives/d1/items/root:/a.txt:/content",
                FakeResponse.json(201, "{\"id\":\"I1\",\"name\":\"a.txt\",\"size\":5}"));
        assertThat(put(local(second, upload), "hello".getBytes(StandardCharsets.UTF_8), null).statusCode()).isEqualTo(201);
        assertThat(put(local(server, upload), "hello".getBytes(StandardCharsets.UTF_8), null).statusCode()).isEqualTo(410);
    }

    @Test
    void onRedisExactlyOneOfTwoReplicasRedeemsALinkUsedOnBothAtOnce(@TempDir Path dir) throws Exception {
        try (RedisServer redis = new RedisServer(dir).start()) {
            String namespace = "files-" + java.util.UUID.randomUUID();
            FakeGraph graph = FakeGraph.start();
            byte[] pdf = random(300_000);
            serve(graph, pdf);
            server = TestServer.builder().fileLinks(true).store(new RedisStateStore(redis.url(), namespace)).graph(graph)
                    .stateless(true).start();
            FakeGraph other = FakeGraph.start();
            serve(other, pdf);
            second = TestServer.builder().fileLinks(true).store(new RedisStateStore(redis.url(), namespace)).graph(other)
                    .stateless(true).start();
            for (int round = 0; round < 5; round++) {
                String link = downloadLink(server.client("token-alice"));
                try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
                    var a = pool.submit(() -> get(local(server, link), null));
                    var b = pool.submit(() -> get(local(second, link), null));
                    List<Integer> statuses = List.of(a.get().statusCode(), b.get().statusCode());
                    assertThat(statuses).as("round %d", round).containsExactlyInAnyOrder(200, 410);
                    assertThat(a.get().statusCode() == 200 ? a.get().body() : b.get().body()).isEqualTo(pdf);
                }
            }
        }
    }

    private static String uploadUrl(McpHttpClient client, String args) throws Exception {
        JsonNode r = client.callTool("create-upload-link", args);
        assertThat(r.path("result").path("isError").asBoolean()).as(r.toString()).isFalse();
        JsonNode answer = JsonMapper.shared().readTree(McpHttpClient.text(r));
        assertThat(answer.path("method").asString()).isEqualTo("PUT");
        assertThat(answer.path("curl").asString()).startsWith("curl -T ").endsWith(answer.path("uploadUrl").asString());
        assertThat(answer.path("expiresAt").asString()).isNotBlank();
        return answer.path("uploadUrl").asString();
    }

    @Test
    void anUploadLinkStreamsTheBodyIntoAnUploadSessionOnce() throws Exception {
        server = start(TestServer.builder());
        server.graph.acceptUploadSessions();
        McpHttpClient alice = server.client("token-alice").initialize();
        String url = uploadUrl(alice, "{\"driveId\":\"d1\",\"parentId\":\"root\",\"name\":\"video.mp4\","
                + "\"conflictBehavior\":\"replace\"}");
        assertThat(url).startsWith("http://localhost:3000/files/upload/");
        assertThat(server.graph.requests()).as("nothing is sent before bytes arrive").isEmpty();
        byte[] video = random(12 * 1024 * 1024 + 12345);

        HttpResponse<String> created = put(local(server, url), video, null);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode item = JsonMapper.shared().readTree(created.body());
        assertThat(item.path("name").asString()).isEqualTo("video.mp4");
        assertThat(item.path("size").asLong()).isEqualTo(video.length);
        RecordedRequest create = server.graph.requests().get(0);
        assertThat(create.rawPath()).isEqualTo("/v1.0/drives/d1/items/root:/video.mp4:/createUploadSession");
        assertThat(create.header("Authorization")).isEqualTo("Bearer graph-token-alice");
        assertThat(create.bodyText()).contains("\"@microsoft.graph.conflictBehavior\":\"replace\"");
        UploadSessions.Session session = server.graph.uploadSessions().get(0);
        assertThat(session.receivedBytes()).isEqualTo(video.length);
        assertThat(session.sha256()).isEqualTo(sha256(video));

        assertThat(put(local(server, url), video, null).statusCode()).isEqualTo(410);
        assertThat(server.graph.uploadSessions()).hasSize(1);
    }

    @Test
    void anUploadResumesWithinTheChunkItStillHoldsAfterAFailedChunk() throws Exception {
        server = start(TestServer.builder());
        server.graph.acceptUploadSessions().failChunkInNextUploadSession(1, false);
        String url = uploadUrl(server.client("token-alice").initialize(),
                "{\"driveId\":\"d1\",\"parentId\":\"F9\",\"name\":\"big.bin\"}");
        byte[] body = random(11 * 1024 * 1024);

        HttpResponse<String> created = put(local(server, url), body, null);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        UploadSessions.Session session = server.graph.uploadSessions().get(0);
        assertThat(session.statusQueries()).isEqualTo(1);
        assertThat(session.sha256()).isEqualTo(sha256(body));
    }

    @Test
    void aDraftAttachmentGoesThroughTheAttachmentSession() throws Exception {
        server = start(TestServer.builder());
        server.graph.acceptUploadSessions();
        String url = uploadUrl(server.client("token-alice").initialize(),
                "{\"messageId\":\"M1\",\"name\":\"deck.pdf\"}");
        byte[] pdf = random(5 * 1024 * 1024);

        HttpResponse<String> created = put(local(server, url), pdf, null);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(server.graph.requests().get(0).rawPath())
                .isEqualTo("/v1.0/me/messages/M1/attachments/createUploadSession");
        assertThat(server.graph.uploadSessions().get(0).sha256()).isEqualTo(sha256(pdf));
    }

    @Test
    void anOversizedBodyIsRefusedBeforeItIsReadAndTheLinkStaysUsable() throws Exception {
        server = start(TestServer.builder());
        server.graph.on("PUT", "/v1.0/drives/d1/items/root:/a.txt:/content",
                FakeResponse.json(201, "{\"id\":\"I1\",\"name\":\"a.txt\",\"size\":1000}"));
        String url = uploadUrl(server.client("token-alice").initialize(),
                "{\"driveId\":\"d1\",\"parentId\":\"root\",\"name\":\"a.txt\",\"maxBytes\":1000}");

        HttpResponse<String> tooBig = put(local(server, url), random(1001), null);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(tooBig.body()).contains("at most 1000 bytes");
        assertThat(server.graph.requests()).isEmpty();

        HttpResponse<String> bob = put(local(server, url), random(10), "token-bob");
        assertThat(bob.statusCode()).isEqualTo(403);
        assertThat(server.graph.requests()).isEmpty();

        HttpResponse<String> fits = put(local(server, url), random(1000), null);
        assertThat(fits.statusCode()).as(fits.body()).isEqualTo(201);
        assertThat(server.graph.lastRequest().body()).hasSize(1000);
    }

    @Test
    void theServerLimitCapsWhatALinkTakesAndMailCapsAt150MB() throws Exception {
        server = start(TestServer.builder().env("MS365_MCP_UPLOAD_MAX_BYTES", "2048"));
        McpHttpClient alice = server.client("token-alice").initialize();
        JsonNode drive = JsonMapper.shared().readTree(McpHttpClient.text(alice.callTool("create-upload-link",
                "{\"driveId\":\"d1\",\"parentId\":\"root\",\"name\":\"a.bin\",\"maxBytes\":999999}")));
        assertThat(drive.path("maxBytes").asLong()).isEqualTo(2048);
        assertThat(put(local(server, drive.path("uploadUrl").asString()), random(2049), null).statusCode()).isEqualTo(413);
        server.close();

        server = start(TestServer.builder());
        JsonNode mail = JsonMapper.shared().readTree(McpHttpClient.text(server.client("token-alice").initialize()
                .callTool("create-upload-link", "{\"messageId\":\"M1\",\"name\":\"a.bin\"}")));
        assertThat(mail.path("maxBytes").asLong()).isEqualTo(150L * 1024 * 1024);
    }

    @Test
    void aBodyShorterThanDeclaredCreatesNothing() throws Exception {
        server = start(TestServer.builder());
        String url = uploadUrl(server.client("token-alice").initialize(),
                "{\"driveId\":\"d1\",\"parentId\":\"root\",\"name\":\"a.bin\"}");

        String answer = raw(server, "PUT " + URI.create(url).getPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Length: 1000\r\n\r\n", random(500), true);

        assertThat(answer).startsWith("HTTP/1.1 400").contains("bad_body").contains("500 of the 1000 bytes");
        assertThat(server.graph.requests()).isEmpty();
    }

    @Test
    void bytesBeyondTheDeclaredLengthNeverReachGraph() throws Exception {
        server = start(TestServer.builder());
        server.graph.on("PUT", "/v1.0/drives/d1/items/root:/a.txt:/content",
                FakeResponse.json(201, "{\"id\":\"I1\",\"name\":\"a.txt\",\"size\":10}"));
        McpHttpClient alice = server.client("token-alice").initialize();
        String url = uploadUrl(alice, "{\"driveId\":\"d1\",\"parentId\":\"root\",\"name\":\"a.txt\"}");

        // Content-Length and chunked together (a smuggling classic): refused before the body, link kept.
        String both = raw(server, "PUT " + URI.create(url).getPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n14\r\n0123456789ABCDEFGHIJ\r\n0\r\n\r\n",
                new byte[0], false);
        assertThat(both).startsWith("HTTP/1.1 4");
        assertThat(server.graph.requests()).isEmpty();

        // Twenty bytes after a Content-Length of ten: Graph gets the ten declared, the rest is no upload.
        String longer = raw(server, "PUT " + URI.create(url).getPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Length: 10\r\n\r\n", "0123456789ABCDEFGHIJ".getBytes(StandardCharsets.UTF_8), false);
        assertThat(longer).startsWith("HTTP/1.1 201");
        assertThat(server.graph.requests()).hasSize(1);
        assertThat(server.graph.lastRequest().bodyText()).isEqualTo("0123456789");
    }

    /** Sends bytes as they are on one connection; returns everything the server answered. */
    private static String raw(TestServer s, String head, byte[] body, boolean halfClose) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", s.server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    answer.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    if (!halfClose && answer.indexOf("\r\n\r\n") > 0 && answer.indexOf("}") > 0) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // what arrived is the answer
            }
            return answer.toString();
        }
    }

    @Test
    void readOnlyModeOffersNoUploadLinksButStillDownloads() throws Exception {
        server = start(TestServer.builder().tools(t -> t.readOnly(true)));
        serve(server.graph, random(100));
        McpHttpClient alice = server.client("token-alice").initialize();

        List<String> listed = new java.util.ArrayList<>();
        alice.rpc("tools/list", "{}").path("result").path("tools").forEach(t -> listed.add(t.path("name").asString()));
        assertThat(listed).contains("download-bytes").doesNotContain("create-upload-link");
        JsonNode refused = alice.callTool("create-upload-link", "{\"driveId\":\"d1\",\"parentId\":\"root\",\"name\":\"a\"}");
        assertThat(refused.toString()).doesNotContain("/files/upload/");
        assertThat(refused.has("error") || refused.path("result").path("isError").asBoolean()).as(refused.toString()).isTrue();
        assertThat(server.tools.call("create-upload-link", java.util.Map.of("driveId", "d1", "parentId", "root",
                "name", "a"))).satisfies(r -> {
                    assertThat(r.isError()).isTrue();
                    assertThat(dev.ms365mcp.tools.ToolResults.textOf(r)).contains("read-only");
                });
        assertThat(get(local(server, downloadLink(alice)), null).statusCode()).isEqualTo(200);
    }

    @Test
    void eachUserHoldsAtMostTheConfiguredNumberOfLiveLinks() throws Exception {
        server = start(TestServer.builder().env("MS365_MCP_FILE_LINKS_PER_USER", "2"));
        serve(server.graph, random(100));
        McpHttpClient alice = server.client("token-alice").initialize();
        String first = downloadLink(alice);
        downloadLink(alice);

        JsonNode third = alice.callTool("download-bytes", "{\"target\":\"/me/drive/items/F1/content\"}");
        assertThat(third.path("result").path("isError").asBoolean()).isTrue();
        assertThat(McpHttpClient.text(third)).contains("MS365_MCP_FILE_LINKS_PER_USER");
        downloadLink(server.client("token-bob").initialize());

        assertThat(get(local(server, first), null).statusCode()).isEqualTo(200);
        downloadLink(alice);
        clock.advance(Duration.ofSeconds(121));
        downloadLink(alice);
        downloadLink(alice);
    }

    @Test
    void noLogLineEverShowsATicket() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = (Logger) LoggerFactory.getLogger("dev.ms365mcp");
        Logger access = (Logger) LoggerFactory.getLogger("access");
        Level rootLevel = root.getLevel();
        Level oursLevel = ours.getLevel();
        Level accessLevel = access.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.INFO);
        ours.setLevel(Level.TRACE);
        access.setLevel(Level.INFO);
        try {
            server = start(TestServer.builder());
            serve(server.graph, random(100));
            McpHttpClient alice = server.client("token-alice").initialize();
            String link = downloadLink(alice);
            String upload = uploadUrl(alice, "{\"driveId\":\"d1\",\"parentId\":\"root\",\"name\":\"a\",\"maxBytes\":1}");
            get(local(server, link), "token-bob");
            get(local(server, link), null);
            get(local(server, link), null);
            put(local(server, upload), random(5), null);
            String downloadTicket = link.substring(link.lastIndexOf('/') + 1);
            String uploadTicket = upload.substring(upload.lastIndexOf('/') + 1);
            // the access line is written after the answer went out
            for (int i = 0; i < 100 && logged(appender).stream().noneMatch(e -> e.getFormattedMessage().startsWith("PUT "));
                    i++) {
                Thread.sleep(20);
            }
            List<String> lines = logged(appender).stream().map(e -> e.getFormattedMessage()
                    + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage())).toList();
            assertThat(lines).anyMatch(l -> l.startsWith("GET /files/download/<ticket> 200"))
                    .anyMatch(l -> l.startsWith("GET /files/download/<ticket> 403"))
                    .anyMatch(l -> l.startsWith("PUT /files/upload/<ticket> 413"))
                    .noneMatch(l -> l.contains(downloadTicket) || l.contains(uploadTicket));
        } finally {
            root.detachAppender(appender);
            root.setLevel(rootLevel);
            ours.setLevel(oursLevel);
            access.setLevel(accessLevel);
        }
    }

    /** A copy taken under the appender's lock (server threads append while the test reads). */
    private static List<ILoggingEvent> logged(ListAppender<ILoggingEvent> appender) {
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }
}
