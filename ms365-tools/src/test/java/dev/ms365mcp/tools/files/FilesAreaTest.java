package dev.ms365mcp.tools.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.testkit.graph.RecordedRequest;
import dev.ms365mcp.tools.ToolHarness;
import dev.ms365mcp.tools.catalog.Catalog;
import dev.ms365mcp.tools.catalog.ParityRow;
import dev.ms365mcp.tools.catalog.ToolDef;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/** OneDrive rows: all present, items addressed by path, raw uploads, and what Graph answers without a body. */
class FilesAreaTest {

    static final List<String> TOOLS = List.of("list-drives", "get-drive-delta", "get-drive-root-item", "list-folder-files",
            "delete-onedrive-file", "upload-file-content", "create-upload-session", "get-drive-item",
            "move-rename-onedrive-item", "create-onedrive-folder", "share-drive-item", "create-drive-item-share-link",
            "copy-drive-item", "create-drive-item-preview", "list-drive-item-thumbnails", "list-drive-item-permissions",
            "delete-drive-item-permission", "list-drive-item-versions", "search-onedrive-files", "upload-my-profile-photo");

    @RegisterExtension
    final ToolHarness harness = new ToolHarness();

    @Test
    void everyFilesRowOfTheReferenceIsInTheCatalog() {
        Map<String, ParityRow> reference = ParityRow.all();
        assertThat(reference.keySet()).containsAll(TOOLS);
        assertThat(TOOLS).allSatisfy(name -> assertThat(Catalog.builtIn().find(name)).isPresent());
        assertThat(TOOLS).hasSize(20).doesNotHaveDuplicates();
        assertThat(Catalog.builtIn().tools().stream().filter(t -> t.area().equals("files")).map(ToolDef::name)
                .filter(n -> !ParityRow.OURS_ONLY.contains(n)))
                .containsExactlyInAnyOrderElementsOf(TOOLS);
    }

    @Test
    void anItemCanBeAddressedByItsPathWithEveryNameEncodedApart() {
        harness.graph.fallback((req, base) -> FakeResponse.ok("{\"value\":[]}"));

        CallToolResult r = harness.call("list-folder-files", Map.of("driveId", "d1", "driveItemId", "/Docs/Q3 plan?#%.d"));

        assertThat(r.isError()).as(ToolHarness.text(r)).isFalse();
        assertThat(harness.graph.lastRequest().rawPath())
                .isEqualTo("/v1.0/drives/d1/items/root:/Docs/Q3%20plan%3F%23%25.d:/children");
    }

    @Test
    void aPathBelowAnItemAndTheRootFormsAreAccepted() {
        harness.graph.fallback((req, base) -> FakeResponse.ok("{\"id\":\"x\"}"));

        harness.call("get-drive-item", Map.of("driveId", "d1", "driveItemId", "root:/A/b.txt:"));
        assertThat(harness.graph.lastRequest().rawPath()).isEqualTo("/v1.0/drives/d1/items/root:/A/b.txt:");
        harness.call("get-drive-item", Map.of("driveId", "d1", "driveItemId", "01ABC:/sub/é.txt"));
        assertThat(harness.graph.lastRequest().rawPath()).isEqualTo("/v1.0/drives/d1/items/01ABC:/sub/%C3%A9.txt:");
        harness.call("get-drive-item", Map.of("driveId", "d1", "driveItemId", "/"));
        assertThat(harness.graph.lastRequest().rawPath()).isEqualTo("/v1.0/drives/d1/items/root");
    }

    @Test
    void anIdStaysOneSegmentEvenWithASlash() {
        harness.graph.fallback((req, base) -> FakeResponse.ok("{\"id\":\"x\"}"));

        harness.call("get-drive-item", Map.of("driveId", "d1", "driveItemId", "01AB/CD"));

        assertThat(harness.graph.lastRequest().rawPath()).isEqualTo("/v1.0/drives/d1/items/01AB%2FCD");
    }

    @Test
    void dotDotAndEmptyNamesAreRefusedBeforeAnythingIsSent() {
        for (String path : List.of("/Docs/../Secret.txt", "root:/a//b", "/./x")) {
            CallToolResult r = harness.call("get-drive-item", Map.of("driveId", "d1", "driveItemId", path));
            assertThat(r.isError()).as(path).isTrue();
            assertThat(ToolHarness.text(r)).contains("'..'");
        }
        assertThat(harness.graph.requests()).isEmpty();
    }

    @Test
    void uploadSendsTheDecodedBytesRawToANewPath() {
        harness.graph.fallback((req, base) -> FakeResponse.json(201, "{\"id\":\"new\",\"name\":\"notes.txt\"}"));
        byte[] content = {0, 1, 2, (byte) 0xff, 'h', 'i'};

        CallToolResult r = harness.call("upload-file-content", Map.of("driveId", "d1", "driveItemId", "root:/Notes/notes.txt",
                "body", Base64.getEncoder().encodeToString(content)));

        assertThat(r.isError()).as(ToolHarness.text(r)).isFalse();
        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.method()).isEqualTo("PUT");
        assertThat(req.rawPath()).isEqualTo("/v1.0/drives/d1/items/root:/Notes/notes.txt:/content");
        assertThat(req.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(req.body()).isEqualTo(content);
        assertThat(ToolHarness.text(r)).contains("\"id\":\"new\"");
    }

    @Test
    void aProfilePhotoGivenAsADataUrlIsSentWithItsImageType() {
        harness.graph.on("PUT", "/v1.0/me/photo/$value", FakeResponse.noContent());
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10};

        CallToolResult r = harness.call("upload-my-profile-photo",
                Map.of("body", "data:image/png;base64," + Base64.getEncoder().encodeToString(png)));

        assertThat(r.isError()).as(ToolHarness.text(r)).isFalse();
        assertThat(harness.graph.lastRequest().header("Content-Type")).isEqualTo("image/png");
        assertThat(harness.graph.lastRequest().body()).isEqualTo(png);
    }

    @Test
    void plainBase64PhotoUsesTheRowsContentType() {
        harness.graph.on("PUT", "/v1.0/me/photo/$value", FakeResponse.noContent());
        byte[] jpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0x00};

        harness.call("upload-my-profile-photo", Map.of("body", Base64.getEncoder().encodeToString(jpeg)));

        assertThat(harness.graph.lastRequest().header("Content-Type")).isEqualTo("image/jpeg");
        assertThat(harness.graph.lastRequest().body()).isEqualTo(jpeg);
    }

    @Test
    void textThatIsNotBase64IsRefusedAndNothingIsSent() {
        CallToolResult r = harness.call("upload-file-content",
                Map.of("driveId", "d1", "driveItemId", "root:/a.txt", "body", "hello world!"));

        assertThat(r.isError()).isTrue();
        assertThat(ToolHarness.text(r)).contains("base64");
        assertThat(harness.graph.requests()).isEmpty();
    }

    @Test
    void anApostropheInTheSearchTextIsDoubledInsideTheODataString() {
        harness.graph.fallback((req, base) -> FakeResponse.ok("{\"value\":[]}"));

        harness.call("search-onedrive-files", Map.of("driveId", "d1", "q", "Bob's plan"));

        assertThat(harness.graph.lastRequest().rawPath()).isEqualTo("/v1.0/drives/d1/search(q='Bob%27%27s%20plan')");
    }

    @Test
    void aCopyAnswersWithTheMonitorLocation() {
        harness.graph.fallback((req, base) -> FakeResponse.accepted().withHeader("Location", base + "/monitor/42"));

        CallToolResult r = harness.call("copy-drive-item", Map.of("driveId", "d1", "driveItemId", "i1",
                "body", Map.of("parentReference", Map.of("id", "folder"), "name", "copy.txt")));

        assertThat(r.isError()).isFalse();
        assertThat(ToolHarness.text(r)).contains("HTTP 202").contains("/monitor/42");
        assertThat(harness.graph.lastRequest().rawPath()).isEqualTo("/v1.0/drives/d1/items/i1/copy");
    }

    @Test
    void deltaTakesTheTokenOfTheLastDeltaLink() {
        harness.graph.fallback((req, base) -> FakeResponse.ok("{\"value\":[],\"@odata.deltaLink\":\"" + base
                + "/v1.0/drives/d1/items/root/delta()?token=next\"}"));

        CallToolResult r = harness.call("get-drive-delta", Map.of("driveId", "d1", "driveItemId", "root", "token", "abc"));

        assertThat(harness.graph.lastRequest().rawPath()).isEqualTo("/v1.0/drives/d1/items/root/delta()");
        assertThat(harness.graph.lastRequest().query()).containsEntry("token", "abc");
        assertThat(ToolHarness.text(r)).contains("token=next");
    }

    @Test
    void folderCreationSendsNameAndFolderFacet() {
        harness.graph.fallback((req, base) -> FakeResponse.json(201, "{\"id\":\"f\"}"));

        harness.call("create-onedrive-folder", Map.of("driveId", "d1", "driveItemId", "/Projects",
                "body", Map.of("name", "2025", "folder", Map.of())));

        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.rawPath()).isEqualTo("/v1.0/drives/d1/items/root:/Projects:/children");
        assertThat(JsonMapper.builder().build().readTree(req.body()))
                .isEqualTo(JsonMapper.builder().build().readTree("{\"name\":\"2025\",\"folder\":{}}"));
    }
}
