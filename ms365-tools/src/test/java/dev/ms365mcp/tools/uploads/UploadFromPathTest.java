package dev.ms365mcp.tools.uploads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.testkit.graph.RecordedRequest;
import dev.ms365mcp.testkit.graph.UploadSessions;
import dev.ms365mcp.tools.ToolHarness;
import dev.ms365mcp.tools.catalog.ToolDef;
import dev.ms365mcp.tools.execution.CallContext;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** upload-file-from-path, add-mail-attachment-from-path and list-local-files against FakeGraph. */
class UploadFromPathTest {

    private static final int MB = 1024 * 1024;

    private final ToolHarness harness = new ToolHarness(s -> s.localFiles(true));
    private final List<double[]> progress = new CopyOnWriteArrayList<>();
    private final CallContext context = new CallContext(null, (p, total, message) -> progress.add(
            new double[] {p, total == null ? -1 : total}));

    @TempDir
    Path dir;
    Path folder;

    @BeforeEach
    void setUp() throws IOException {
        folder = Files.createDirectories(dir.resolve("files"));
        harness.downloadFolder(folder);
        harness.graph.acceptUploadSessions();
    }

    @AfterEach
    void close() {
        harness.close();
    }

    static Path randomFile(Path file, long size) throws IOException {
        Random random = new Random(size);
        byte[] block = new byte[MB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(left, block.length));
            }
        }
        return file;
    }

    static String sha256(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[MB];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private CallToolResult upload(Map<String, Object> args) {
        return harness.tools().call("upload-file-from-path", args, context);
    }

    @Test
    void fortyMegabytesGoThroughAnUploadSessionInChunksWithProgress() throws Exception {
        Path file = randomFile(folder.resolve("video.mp4"), 40L * MB);

        CallToolResult r = upload(Map.of("driveId", "d1", "parentId", "root", "path", "video.mp4",
                "conflictBehavior", "replace"));

        assertThat(r.isError()).as(ToolHarness.text(r)).isFalse();
        assertThat(ToolHarness.text(r)).contains("item-video.mp4").contains("webUrl").contains("41943040")
                .hasSizeLessThan(400);
        RecordedRequest create = harness.graph.requests().get(0);
        assertThat(create.rawPath()).isEqualTo("/v1.0/drives/d1/items/root:/video.mp4:/createUploadSession");
        assertThat(create.header("Authorization")).isEqualTo("Bearer " + ToolHarness.TOKEN);
        assertThat(create.bodyText()).contains("\"@microsoft.graph.conflictBehavior\":\"replace\"");
        UploadSessions.Session session = harness.graph.uploadSessions().get(0);
        int chunk = 16 * 320 * 1024;
        assertThat(session.ranges()).hasSize(8);
        for (int i = 0; i < 8; i++) {
            assertThat(session.ranges().get(i)).isEqualTo("bytes " + (long) i * chunk + "-" + ((long) (i + 1) * chunk - 1)
                    + "/" + 40L * MB);
        }
        assertThat(session.sha256()).isEqualTo(sha256(file));
        assertThat(harness.graph.requests()).filteredOn(q -> q.rawPath().startsWith("/upload-session/"))
                .allSatisfy(q -> assertThat(q.header("Authorization")).isNull());
        assertThat(progress).hasSizeGreaterThanOrEqualTo(8);
        for (int i = 1; i < progress.size(); i++) {
            assertThat(progress.get(i)[0]).isGreaterThan(progress.get(i - 1)[0]);
        }
        assertThat(progress.get(progress.size() - 1)).containsExactly(40.0 * MB, 40.0 * MB);
    }

    @Test
    void afterAFailedChunkTheUploadResumesWhereTheSessionSays() throws Exception {
        Path file = randomFile(folder.resolve("big.bin"), 12L * MB);
        harness.graph.failChunkInNextUploadSession(1, false).failChunkInNextUploadSession(2, true);

        CallToolResult r = upload(Map.of("driveId", "d1", "parentId", "F1", "path", "big.bin"));

        assertThat(r.isError()).as(ToolHarness.text(r)).isFalse();
        UploadSessions.Session session = harness.graph.uploadSessions().get(0);
        assertThat(session.statusQueries()).isEqualTo(2);
        assertThat(session.receivedBytes()).isEqualTo(12L * MB);
        assertThat(session.sha256()).isEqualTo(sha256(file));
        // The lost chunk was sent again; the one taken whose answer was lost was not.
        assertThat(session.ranges()).hasSize(3).doesNotHaveDuplicates();
        for (int i = 1; i < progress.size(); i++) {
            assertThat(progress.get(i)[0]).as("progress only grows").isGreaterThan(progress.get(i - 1)[0]);
        }
        assertThat(harness.graph.requests().get(0).bodyText()).contains("\"@microsoft.graph.conflictBehavior\":\"rename\"");
    }

    @Test
    void aSessionThatKeepsFailingEndsWithAnErrorNotALoop() throws Exception {
        randomFile(folder.resolve("big.bin"), 6L * MB);
        for (int i = 0; i < 12; i++) {
            harness.graph.failChunkInNextUploadSession(i, false);
        }
        CallToolResult r = upload(Map.of("driveId", "d1", "parentId", "root", "path", "big.bin"));
        assertThat(r.isError()).isTrue();
        assertThat(ToolHarness.text(r)).contains("failed").contains("Try again");
    }

    @Test
    void aSmallFileIsOnePutWithTheConflictBehaviour() throws Exception {
        randomFile(folder.resolve("notes.txt"), 1000);
        harness.graph.onMatching("PUT", "/v1\\.0/drives/d1/items/root:/notes\\.txt:/content", (req, base) ->
                FakeResponse.json(201, "{\"id\":\"N1\",\"name\":\"notes.txt\",\"size\":1000,\"webUrl\":\"https://x/notes.txt\","
                        + "\"file\":{}}"));

        CallToolResult r = upload(Map.of("driveId", "d1", "parentId", "root", "path", "notes.txt",
                "conflictBehavior", "fail"));

        assertThat(r.isError()).as(ToolHarness.text(r)).isFalse();
        assertThat(ToolHarness.text(r)).contains("N1").contains("https://x/notes.txt").doesNotContain("file");
        RecordedRequest put = harness.graph.lastRequest();
        assertThat(put.query()).containsEntry("@microsoft.graph.conflictBehavior", "fail");
        assertThat(put.body()).hasSize(1000);
        assertThat(harness.graph.uploadSessions()).isEmpty();
    }

    @Test
    void aBadConflictBehaviourOrNameIsRefusedBeforeAnythingIsSent() throws Exception {
        randomFile(folder.resolve("a.txt"), 10);
        assertThat(ToolHarness.text(upload(Map.of("driveId", "d", "parentId", "root", "path", "a.txt",
                "conflictBehavior", "overwrite")))).contains("rename, replace or fail");
        assertThat(ToolHarness.text(upload(Map.of("driveId", "d", "parentId", "root", "path", "a.txt",
                "name", "../b.txt")))).contains("plain file name");
        assertThat(harness.graph.requests()).isEmpty();
    }

    @Test
    void twelveMegabyteAttachmentUsesTheAttachmentSession() throws Exception {
        Path file = randomFile(folder.resolve("report.pdf"), 12L * MB);

        CallToolResult r = harness.tools().call("add-mail-attachment-from-path",
                Map.of("messageId", "m1", "path", "report.pdf"), context);

        assertThat(r.isError()).as(ToolHarness.text(r)).isFalse();
        assertThat(ToolHarness.text(r)).contains("att-report.pdf").contains("12582912");
        RecordedRequest create = harness.graph.requests().get(0);
        assertThat(create.rawPath()).isEqualTo("/v1.0/me/messages/m1/attachments/createUploadSession");
        assertThat(create.bodyText()).contains("\"attachmentType\":\"file\"").contains("\"size\":12582912");
        UploadSessions.Session session = harness.graph.uploadSessions().get(0);
        assertThat(session.kind()).isEqualTo(UploadSessions.Kind.ATTACHMENT);
        assertThat(session.sha256()).isEqualTo(sha256(file));
        assertThat(session.ranges()).hasSize(4);
    }

    @Test
    void aSharedMailboxDraftGetsItsAttachmentThroughTheSameSession() throws Exception {
        randomFile(folder.resolve("deck.pptx"), 5L * MB);
        CallToolResult r = harness.call("add-shared-mailbox-attachment-from-path",
                Map.of("userId", "shared@contoso.com", "messageId", "m2", "path", "deck.pptx"));
        assertThat(r.isError()).as(ToolHarness.text(r)).isFalse();
        assertThat(harness.graph.requests().get(0).rawPath())
                .isEqualTo("/v1.0/users/shared%40contoso.com/messages/m2/attachments/createUploadSession");
    }

    @Test
    void aSmallAttachmentIsSentInlineAndTheResultHasNoBytes() throws Exception {
        randomFile(folder.resolve("memo.txt"), 2000);
        harness.graph.on("POST", "/v1.0/me/messages/m1/attachments", (req, base) ->
                FakeResponse.json(201, "{\"id\":\"A1\",\"name\":\"memo.txt\",\"size\":2000,\"contentBytes\":\"QUJD\"}"));

        CallToolResult r = harness.call("add-mail-attachment-from-path", Map.of("messageId", "m1", "path", "memo.txt"));

        assertThat(r.isError()).as(ToolHarness.text(r)).isFalse();
        assertThat(ToolHarness.text(r)).contains("A1").doesNotContain("QUJD").doesNotContain("contentBytes");
        assertThat(harness.graph.lastRequest().bodyText()).contains("#microsoft.graph.fileAttachment")
                .contains("\"contentBytes\":\"");
        assertThat(harness.graph.uploadSessions()).isEmpty();
    }

    @Test
    void anAttachmentOver150MegabytesIsRefusedBeforeAnythingIsSent() throws Exception {
        try (RandomAccessFile sparse = new RandomAccessFile(folder.resolve("huge.iso").toFile(), "rw")) {
            sparse.setLength(151L * MB);
        }
        CallToolResult r = harness.call("add-mail-attachment-from-path", Map.of("messageId", "m1", "path", "huge.iso"));
        assertThat(r.isError()).isTrue();
        assertThat(ToolHarness.text(r)).contains("150 MB").contains("upload-file-from-path");
        assertThat(harness.graph.requests()).isEmpty();
    }

    @Test
    void filesOutsideTheFilesFolderAreNeverRead() throws Exception {
        Path secret = Files.writeString(dir.resolve("id_rsa"), "PRIVATE KEY");
        Files.createSymbolicLink(folder.resolve("link"), secret);
        Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(folder.resolve("sub"), dir.resolve("outside"));
        Files.writeString(dir.resolve("outside").resolve("x.txt"), "x");

        for (String path : List.of("../id_rsa", secret.toString(), "link", "sub/x.txt", "/etc/passwd", "missing.txt", "")) {
            CallToolResult r = upload(Map.of("driveId", "d", "parentId", "root", "path", path));
            assertThat(r.isError()).as(path).isTrue();
            assertThat(ToolHarness.text(r)).as(path).contains("Nothing was uploaded");
            CallToolResult a = harness.call("add-mail-attachment-from-path", Map.of("messageId", "m1", "path", path));
            assertThat(a.isError()).as(path).isTrue();
        }
        assertThat(harness.graph.requests()).isEmpty();
    }

    @Test
    void readOnlyModeHidesAndRefusesTheUploads() throws Exception {
        randomFile(folder.resolve("a.txt"), 10);
        harness.configure(s -> s.localFiles(true).readOnly(true));
        assertThat(harness.tools().tools()).extracting(ToolDef::name)
                .doesNotContain("upload-file-from-path", "add-mail-attachment-from-path",
                        "add-shared-mailbox-attachment-from-path")
                .contains("list-local-files");
        CallToolResult r = upload(Map.of("driveId", "d", "parentId", "root", "path", "a.txt"));
        assertThat(r.isError()).isTrue();
        assertThat(ToolHarness.text(r)).contains("read-only");
        assertThat(harness.graph.requests()).isEmpty();
    }

    @Test
    void withoutLocalFilesNoneOfTheFileToolsIsOffered() {
        harness.configure(s -> s.localFiles(false));
        assertThat(harness.tools().tools()).extracting(ToolDef::name).doesNotContain("upload-file-from-path",
                "add-mail-attachment-from-path", "list-local-files", "download-bytes-to-file");
        // A remote (HTTP) server has no local files folder: a call that names the tool anyway is refused.
        CallToolResult r = harness.call("upload-file-from-path", Map.of("driveId", "d", "parentId", "root", "path", "a.txt"));
        assertThat(r.isError()).isTrue();
        assertThat(harness.graph.requests()).isEmpty();
    }

    @Test
    void theFilesFolderIsListedByNameSizeAndTime() throws Exception {
        Files.writeString(folder.resolve("a.txt"), "hello");
        Files.createDirectories(folder.resolve("sub"));
        Files.createSymbolicLink(folder.resolve("l"), dir);
        CallToolResult r = harness.call("list-local-files", Map.of());
        assertThat(r.isError()).isFalse();
        assertThat(ToolHarness.text(r)).contains("a.txt\t5 bytes\t").contains("1 files").doesNotContain("sub")
                .doesNotContain("\tl\t");
    }

    @Test
    void theFilesFolderComesFromFilesDirThenTheOlderDownloadDir() {
        assertThat(dev.ms365mcp.tools.execution.FilesFolder.fromEnvironment(Map.of("MS365_MCP_FILES_DIR", "/a",
                "MS365_MCP_DOWNLOAD_DIR", "/b"))).isEqualTo(Path.of("/a"));
        assertThat(dev.ms365mcp.tools.execution.FilesFolder.fromEnvironment(Map.of("MS365_MCP_FILES_DIR", " ",
                "MS365_MCP_DOWNLOAD_DIR", "/b"))).isEqualTo(Path.of("/b"));
        assertThat(dev.ms365mcp.tools.execution.FilesFolder.fromEnvironment(Map.of()))
                .isEqualTo(dev.ms365mcp.tools.execution.FilesFolder.defaultFolder());
    }
}
