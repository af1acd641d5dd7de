package dev.ms365mcp.tools.downloads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.AccessToken;
import dev.ms365mcp.auth.TokenRequest;
import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolHarness;
import dev.ms365mcp.tools.ToolSettings;
import dev.ms365mcp.tools.catalog.ToolDef;
import io.modelcontextprotocol.spec.McpSchema.BlobResourceContents;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.EmbeddedResource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** download-bytes, get-download-url, download-bytes-to-file: what they fetch, what they return, what they refuse. */
class DownloadsTest {

    private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16, 'J', 'F', 'I', 'F'};

    private final ToolHarness harness = new ToolHarness(s -> s.localFiles(true));

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void bytesComeBackAsAnEmbeddedBlobWithTheirType() {
        harness.graph.on("GET", "/v1.0/me/photo/$value", FakeResponse.bytes(200, "image/jpeg", JPEG));

        CallToolResult r = harness.call("download-bytes", Map.of("target", "/me/photo/$value"));

        assertThat(r.isError()).isFalse();
        BlobResourceContents blob = (BlobResourceContents) ((EmbeddedResource) r.content().get(0)).resource();
        assertThat(blob.mimeType()).isEqualTo("image/jpeg");
        assertThat(Base64.getDecoder().decode(blob.blob())).isEqualTo(JPEG);
    }

    @Test
    void textContentComesBackAsText() {
        String vtt = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v Ann>Hello</v>\n";
        harness.graph.on("GET", "/v1.0/me/onlineMeetings/m1/transcripts/t1/content",
                FakeResponse.bytes(200, "text/vtt", vtt.getBytes(StandardCharsets.UTF_8)));

        CallToolResult r = harness.call("download-bytes", Map.of("target", "me/onlineMeetings/m1/transcripts/t1/content"));

        assertThat(ToolHarness.text(r)).isEqualTo(vtt);
    }

    @Test
    void contentOverTheResultLimitIsRefusedWithAWayOut() {
        harness.configure(s -> s.maxResultChars(1_000));
        harness.graph.on("GET", "/v1.0/drives/d/items/i/content", FakeResponse.bytes(200, "application/pdf", new byte[2_000]));

        CallToolResult r = harness.call("download-bytes", Map.of("target", "/drives/d/items/i/content"));

        assertThat(r.isError()).isTrue();
        assertThat(ToolHarness.text(r)).contains("2000 bytes").contains("get-download-url");
    }

    @Test
    void theTargetKeepsItsQueryVersionAndEscapedNames() {
        harness.graph.fallback((req, base) -> FakeResponse.bytes(200, "application/pdf", new byte[] {1}));

        harness.call("download-bytes", Map.of("target", "/beta/drives/d/root:/My Docs/a%2Fb.docx:/content?format=pdf"));

        assertThat(harness.graph.lastRequest().rawPath()).isEqualTo("/beta/drives/d/root:/My%20Docs/a%2Fb.docx:/content");
        assertThat(harness.graph.lastRequest().query()).containsEntry("format", "pdf");
    }

    @Test
    void anAbsoluteUrlMustBeOnTheGraphHost() {
        harness.graph.fallback((req, base) -> FakeResponse.bytes(200, "image/png", new byte[] {1}));

        CallToolResult elsewhere = harness.call("download-bytes", Map.of("target", "https://evil.example/v1.0/me/photo/$value"));
        assertThat(elsewhere.isError()).isTrue();
        assertThat(ToolHarness.text(elsewhere)).contains("must stay on Microsoft Graph");
        assertThat(harness.graph.requests()).isEmpty();

        CallToolResult here = harness.call("download-bytes", Map.of("target", harness.graph.url() + "/v1.0/me/photo/$value"));
        assertThat(here.isError()).isFalse();
        assertThat(harness.graph.lastRequest().rawPath()).isEqualTo("/v1.0/me/photo/$value");
    }

    @Test
    void dotDotAndFragmentsAreRefused() {
        for (String target : List.of("/me/../users/x/photo/$value", "/me/photo/$value#x", "/", "\\\\host\\share")) {
            CallToolResult r = harness.call("download-bytes", Map.of("target", target));
            assertThat(r.isError()).as(target).isTrue();
        }
        assertThat(harness.graph.requests()).isEmpty();
    }

    @Test
    void theTokenIsAskedWithTheScopesOfTheTargetsEndpoint() {
        List<TokenRequest> asked = new ArrayList<>();
        Ms365Tools tools = Ms365Tools.builder().settings(ToolSettings.defaults())
                .tokenProvider(req -> {
                    asked.add(req);
                    return new AccessToken("t", null);
                })
                .graphRoot(URI.create(harness.graph.url())).build();
        harness.graph.fallback((req, base) -> FakeResponse.bytes(200, "application/octet-stream", new byte[] {1}));

        tools.call("download-bytes", Map.of("target", "/drives/d/items/i/content"));
        tools.call("download-bytes", Map.of("target", "/me/onenote/pages/p/content"));
        tools.call("download-bytes", Map.of("target", "/nothing/known"));

        assertThat(asked).extracting(TokenRequest::scopes).containsExactly(
                java.util.Set.of("Files.Read"), java.util.Set.of("Notes.Read"), java.util.Set.of("User.Read"));
    }

    @Test
    void aDownloadUrlIsReturnedForAFile() {
        harness.graph.on("GET", "/v1.0/me/drive/root:/Docs/report.pdf:", FakeResponse.ok(
                "{\"id\":\"i\",\"name\":\"report.pdf\",\"size\":1234,\"@microsoft.graph.downloadUrl\":\"https://dl.example/x?t=1\"}"));

        CallToolResult r = harness.call("get-download-url", Map.of("target", "/me/drive/root:/Docs/report.pdf:"));

        assertThat(r.isError()).as(ToolHarness.text(r)).isFalse();
        assertThat(ToolHarness.text(r)).contains("\"downloadUrl\":\"https://dl.example/x?t=1\"").contains("\"size\":1234");
    }

    @Test
    void aFolderHasNoDownloadUrl() {
        harness.graph.fallback((req, base) -> FakeResponse.ok("{\"id\":\"f\",\"name\":\"Docs\",\"folder\":{\"childCount\":3}}"));

        CallToolResult r = harness.call("get-download-url", Map.of("target", "/me/drive/root:/Docs:"));

        assertThat(r.isError()).isTrue();
        assertThat(ToolHarness.text(r)).contains("no download URL");
    }

    private Path downloads() {
        Path folder = dir.resolve("downloads");
        harness.downloadFolder(folder);
        return folder;
    }

    private CallToolResult toFile(String outputPath) {
        return harness.call("download-bytes-to-file", Map.of("target", "/me/photo/$value", "outputPath", outputPath));
    }

    @Test
    void bytesAreSavedToANewFileInTheDownloadFolderCreatedPrivate() throws Exception {
        harness.graph.on("GET", "/v1.0/me/photo/$value", FakeResponse.bytes(200, "image/jpeg", JPEG));
        Path folder = downloads();

        CallToolResult r = toFile("me.jpg");

        assertThat(r.isError()).as(ToolHarness.text(r)).isFalse();
        Path file = folder.resolve("me.jpg");
        assertThat(ToolHarness.text(r)).contains("Saved 10 bytes").contains(file.toRealPath().toString());
        assertThat(Files.readAllBytes(file)).isEqualTo(JPEG);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
                .isEqualTo("rwx------");
        // An absolute path inside the folder is the same file name.
        harness.graph.on("GET", "/v1.0/me/photo/$value", FakeResponse.bytes(200, "image/jpeg", JPEG));
        assertThat(toFile(folder.resolve("again.jpg").toString()).isError()).isFalse();
    }

    @Test
    void anExistingFileIsNeverOverwrittenAndNothingIsSent() throws Exception {
        Path folder = downloads();
        Files.createDirectories(folder);
        Path file = Files.writeString(folder.resolve("keep.txt"), "mine");

        CallToolResult r = toFile("keep.txt");

        assertThat(r.isError()).isTrue();
        assertThat(ToolHarness.text(r)).contains("already exists");
        assertThat(Files.readString(file)).isEqualTo("mine");
        assertThat(harness.graph.requests()).isEmpty();
    }

    @Test
    void pathsThatLeaveTheDownloadFolderAreRefusedBeforeAnythingIsSent() throws Exception {
        Path folder = downloads();
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        for (String out : List.of("../outside.txt", "a/../../outside.txt", home.resolve(".bashrc").toString(),
                folder + "/../escape.txt", "no/such/dir/x.bin", "")) {
            CallToolResult r = toFile(out);
            assertThat(r.isError()).as(out).isTrue();
        }
        assertThat(home.resolve(".bashrc")).doesNotExist();
        assertThat(dir.resolve("outside.txt")).doesNotExist();
        assertThat(dir.resolve("escape.txt")).doesNotExist();
        assertThat(harness.graph.requests()).isEmpty();
    }

    @Test
    void aSymbolicLinkOutOfTheFolderIsNotFollowed() throws Exception {
        Path folder = downloads();
        Files.createDirectories(folder);
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(folder.resolve("link"), outside);
        Files.createSymbolicLink(folder.resolve("dangling.txt"), outside.resolve("created-through-link.txt"));

        CallToolResult throughFolder = toFile("link/x.bin");
        CallToolResult throughFile = toFile("dangling.txt");

        assertThat(throughFolder.isError()).isTrue();
        assertThat(ToolHarness.text(throughFolder)).contains("symbolic link");
        assertThat(throughFile.isError()).isTrue();
        assertThat(outside).isEmptyDirectory();
        assertThat(harness.graph.requests()).isEmpty();
    }

    @Test
    void itIsNotOfferedUnderReadOnlyAndItsHintsSayItWrites() {
        harness.configure(s -> s.localFiles(true).readOnly(true));
        assertThat(harness.tools().tools()).extracting(ToolDef::name).doesNotContain("download-bytes-to-file");
        assertThat(toFile("x.bin").isError()).isTrue();
        assertThat(harness.graph.requests()).isEmpty();

        harness.configure(s -> s.localFiles(true));
        ToolDef row = harness.tools().tools().stream().filter(t -> t.name().equals("download-bytes-to-file"))
                .findFirst().orElseThrow();
        assertThat(row.readOnly()).isFalse();
        assertThat(row.destructive()).as("it never overwrites").isFalse();
    }

    @Test
    void aFailedDownloadLeavesNoFile() {
        harness.graph.on("GET", "/v1.0/me/photo/$value", FakeResponse.error(404, "ImageNotFound", "No photo."));
        Path file = downloads().resolve("none.jpg");

        CallToolResult r = toFile("none.jpg");

        assertThat(r.isError()).isTrue();
        assertThat(ToolHarness.text(r)).contains("404");
        assertThat(file).doesNotExist();
    }

    @Test
    void writingLocalFilesIsOfferedOnlyWhenTheLauncherAllowsIt() {
        harness.configure(s -> s.localFiles(false));

        assertThat(harness.tools().tools()).extracting(ToolDef::name).doesNotContain("download-bytes-to-file")
                .contains("download-bytes", "get-download-url");
        CallToolResult r = harness.call("download-bytes-to-file", Map.of("target", "/me/photo/$value",
                "outputPath", dir.resolve("x").toString()));
        assertThat(r.isError()).isTrue();
        assertThat(harness.graph.requests()).isEmpty();
        assertThat(ToolSettings.defaults().localFiles()).isFalse();
    }
}
