package dev.ms365mcp.tools.links;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.AccessToken;
import dev.ms365mcp.auth.TokenRequest;
import dev.ms365mcp.testkit.graph.FakeGraph;
import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.testkit.graph.RecordedRequest;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolResults;
import dev.ms365mcp.tools.ToolSettings;
import dev.ms365mcp.tools.catalog.ToolDef;
import dev.ms365mcp.tools.execution.UploadSource;
import dev.ms365mcp.tools.graph.ContentSink;
import dev.ms365mcp.tools.graph.GraphResponse;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seam a remote server's file links use: with {@link FileLinks}, bytes tools hand the checked request to the
 * links instead of fetching, create-upload-link checks its target like the from-path tools, and both are
 * redeemed through {@link Ms365Tools#fetchContent} and {@link Ms365Tools#upload} for the user who asked.
 */
class FileLinksSeamTest {

    private final FakeGraph graph = FakeGraph.start();
    private final List<TokenRequest> tokenRequests = new CopyOnWriteArrayList<>();
    private final List<ContentLink> downloads = new CopyOnWriteArrayList<>();
    private final List<UploadLink> uploads = new CopyOnWriteArrayList<>();
    private final FileLinks links = new FileLinks() {
        @Override
        public CallToolResult download(ContentLink content, String principal) {
            downloads.add(content);
            return ToolResults.text("link for " + principal);
        }

        @Override
        public CallToolResult upload(UploadLink upload, String principal) {
            uploads.add(upload);
            return ToolResults.text("upload link for " + principal);
        }
    };

    @AfterEach
    void close() {
        graph.close();
    }

    private Ms365Tools tools(boolean orgMode, FileLinks fileLinks) {
        return Ms365Tools.builder().settings(ToolSettings.defaults().toBuilder().orgMode(orgMode).build())
                .tokenProvider(request -> {
                    tokenRequests.add(request);
                    return new AccessToken("graph-token-" + request.principal(), null);
                }).graphRoot(URI.create(graph.url())).fileLinks(fileLinks).build();
    }

    private static final class Collected implements ContentSink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status;
        boolean opened;

        @Override
        public OutputStream open(int status, Map<String, List<String>> headers) {
            this.status = status;
            opened = true;
            return bytes;
        }

        @Override
        public boolean opened() {
            return opened;
        }
    }

    @Test
    void aBytesToolHandsItsCheckedRequestToTheLinksAndFetchesNothing() {
        Ms365Tools tools = tools(true, links);
        byte[] jpeg = new byte[5000];
        new Random(1).nextBytes(jpeg);
        graph.on("GET", "/beta/drives/d/root:/My%20Docs/a%2Fb.jpg:/content", FakeResponse.bytes(200, "image/jpeg", jpeg));
        graph.on("GET", "/beta/drives/d/root:/My%20Docs/a%2Fb.jpg:", FakeResponse.ok(
                "{\"name\":\"a:b \u00dc.jpg\",\"size\":5000,\"file\":{\"mimeType\":\"image/jpeg\"}}"));

        CallToolResult r = tools.call("download-bytes", Map.of("target", "/beta/drives/d/root:/My Docs/a%2Fb.jpg:/content"),
                new dev.ms365mcp.tools.execution.CallContext("alice", null));

        assertThat(ToolResults.textOf(r)).isEqualTo("link for alice");
        assertThat(graph.requests()).as("only the item's metadata was read").singleElement()
                .satisfies(q -> assertThat(q.query()).containsEntry("$select", "name,size,file"));
        ContentLink content = downloads.get(0);
        assertThat(content.tool()).isEqualTo("download-bytes");
        assertThat(content.fileName()).isEqualTo("a_b \u00dc.jpg");
        assertThat(content.mimeType()).isEqualTo("image/jpeg");
        assertThat(content.size()).isEqualTo(5000L);
        assertThat(content.call().scopes()).contains("Files.Read");
        assertThat(content.call().headers()).noneMatch(h -> h.toLowerCase().startsWith("authorization"));

        Collected sink = new Collected();
        GraphResponse answer = tools.fetchContent(content, "alice", null, sink);

        assertThat(answer.ok()).isTrue();
        assertThat(sink.bytes.toByteArray()).isEqualTo(jpeg);
        RecordedRequest sent = graph.lastRequest();
        assertThat(sent.rawPath()).isEqualTo("/beta/drives/d/root:/My%20Docs/a%2Fb.jpg:/content");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer graph-token-alice");
        assertThat(tokenRequests.get(tokenRequests.size() - 1).scopes()).containsAll(content.call().scopes());
    }

    @Test
    void aMissingItemGetsNoLinkAndOtherPathsAreNamedFromThePath() {
        Ms365Tools tools = tools(true, links);
        CallToolResult missing = tools.call("download-bytes", Map.of("target", "/me/drive/items/X/content"));
        assertThat(missing.isError()).isTrue();
        assertThat(downloads).isEmpty();

        tools.call("download-bytes", Map.of("target", "/me/photo/$value"));
        assertThat(downloads.get(0).fileName()).isEqualTo("photo");
        assertThat(downloads.get(0).size()).isNull();
        assertThat(graph.requests()).hasSize(1);
    }

    @Test
    void aGraphErrorIsReturnedAndNothingIsWrittenToTheSink() {
        Ms365Tools tools = tools(true, links);
        graph.on("GET", "/v1.0/me/drive/items/X", FakeResponse.ok("{\"name\":\"x.txt\"}"));
        tools.call("download-bytes", Map.of("target", "/me/drive/items/X/content"));
        Collected sink = new Collected();

        GraphResponse answer = tools.fetchContent(downloads.get(0), null, null, sink);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(sink.opened).isFalse();
    }

    @Test
    void createUploadLinkIsOfferedOnlyWithFileLinks() {
        assertThat(tools(true, null).tools()).extracting(ToolDef::name).doesNotContain(Ms365Tools.UPLOAD_LINK);
        assertThat(tools(true, links).tools()).extracting(ToolDef::name).contains(Ms365Tools.UPLOAD_LINK)
                .doesNotContain("upload-file-from-path", "list-local-files");
    }

    @Test
    void createUploadLinkChecksItsTargetLikeTheFromPathTools() {
        Ms365Tools org = tools(true, links);
        assertThat(ToolResults.textOf(org.call(Ms365Tools.UPLOAD_LINK, Map.of("driveId", "d1", "parentId", "root"))))
                .contains("name");
        assertThat(ToolResults.textOf(org.call(Ms365Tools.UPLOAD_LINK, Map.of("name", "a/b.txt", "driveId", "d1",
                "parentId", "root")))).contains("plain file name");
        assertThat(ToolResults.textOf(org.call(Ms365Tools.UPLOAD_LINK, Map.of("name", "a.txt", "driveId", "d1"))))
                .contains("driveId and parentId");
        assertThat(ToolResults.textOf(org.call(Ms365Tools.UPLOAD_LINK, Map.of("name", "a.txt", "messageId", "M1",
                "maxBytes", -5)))).contains("maxBytes");
        assertThat(ToolResults.textOf(org.call(Ms365Tools.UPLOAD_LINK, Map.of("name", "a.txt", "driveId", "d1",
                "parentId", "root", "conflictBehavior", "overwrite")))).contains("conflictBehavior");
        assertThat(ToolResults.textOf(tools(false, links).call(Ms365Tools.UPLOAD_LINK, Map.of("name", "a.txt",
                "messageId", "M1", "userId", "shared@example.com")))).contains("org mode");
        assertThat(uploads).isEmpty();

        org.call(Ms365Tools.UPLOAD_LINK, Map.of("name", "deck.pdf", "messageId", "M1", "userId", "shared@example.com",
                "maxBytes", 200L * 1024 * 1024));
        UploadLink shared = uploads.get(0);
        assertThat(shared.tool()).isEqualTo("add-shared-mailbox-attachment-from-path");
        assertThat(shared.maxBytes()).as("Outlook's attachment limit").isEqualTo(150L * 1024 * 1024);
        assertThat(shared.call().scopes()).containsExactly("Mail.ReadWrite.Shared");
        assertThat(graph.requests()).isEmpty();
    }

    private UploadLink driveLink(Ms365Tools tools, String name) {
        tools.call(Ms365Tools.UPLOAD_LINK, Map.of("name", name, "driveId", "d1", "parentId", "root"),
                new dev.ms365mcp.tools.execution.CallContext("alice", null));
        return uploads.get(uploads.size() - 1);
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void aStreamResumesFromTheChunkItStillHolds() throws Exception {
        Ms365Tools tools = tools(true, links);
        graph.acceptUploadSessions().failChunkInNextUploadSession(1, false).failChunkInNextUploadSession(2, true);
        byte[] body = new byte[13 * 1024 * 1024];
        new Random(7).nextBytes(body);

        CallToolResult r = tools.upload(driveLink(tools, "big.bin"), "alice", null,
                UploadSource.of(new ByteArrayInputStream(body), body.length, "big.bin"));

        assertThat(r.isError()).as(ToolResults.textOf(r)).isFalse();
        assertThat(graph.uploadSessions().get(0).sha256()).isEqualTo(sha256(body));
        assertThat(graph.requests().get(0).header("Authorization")).isEqualTo("Bearer graph-token-alice");
    }

    @Test
    void aStreamShorterOrLongerThanDeclaredCreatesNothing() {
        Ms365Tools tools = tools(true, links);
        graph.acceptUploadSessions();
        UploadSource shortSmall = UploadSource.of(new ByteArrayInputStream(new byte[10]), 20, "a.bin");
        CallToolResult r = tools.upload(driveLink(tools, "a.bin"), "alice", null, shortSmall);
        assertThat(ToolResults.textOf(r)).contains("ended after 10 of the 20 bytes");
        assertThat(shortSmall.problem()).isNotNull();
        assertThat(graph.requests()).as("a small file is read whole before anything is sent").isEmpty();

        UploadSource longSmall = UploadSource.of(new ByteArrayInputStream(new byte[30]), 20, "a.bin");
        assertThat(ToolResults.textOf(tools.upload(driveLink(tools, "a.bin"), "alice", null, longSmall)))
                .contains("longer than the 20 bytes declared");
        assertThat(graph.requests()).isEmpty();

        int big = 6 * 1024 * 1024;
        UploadSource shortBig = UploadSource.of(new ByteArrayInputStream(new byte[big - 1000]), big, "b.bin");
        assertThat(ToolResults.textOf(tools.upload(driveLink(tools, "b.bin"), "alice", null, shortBig)))
                .contains("Nothing was created");
        String session = graph.uploadSessions().get(0).url();
        assertThat(graph.requests()).as("the half-filled session is cancelled")
                .anyMatch(q -> q.method().equals("DELETE") && session.endsWith(q.rawPath()));
    }
}
