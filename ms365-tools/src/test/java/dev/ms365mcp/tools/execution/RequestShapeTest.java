package dev.ms365mcp.tools.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.testkit.graph.RecordedRequest;
import dev.ms365mcp.tools.ToolHarness;
import dev.ms365mcp.tools.catalog.Catalog;
import dev.ms365mcp.tools.catalog.Param;
import dev.ms365mcp.tools.catalog.Param.Location;
import dev.ms365mcp.tools.catalog.ToolDef;
import dev.ms365mcp.tools.catalog.ToolDef.ResponseKind;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * For every catalog row, generated: the request a typical call sends — method, path with encoded
 * parameters, OData options, headers, body and content type. A new row is tested by being added.
 */
class RequestShapeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ToolHarness HARNESS = new ToolHarness(s -> s.localFiles(true));

    @TempDir
    static Path downloads;

    static {
        HARNESS.graph.fallback((req, base) -> FakeResponse.ok(
                "{\"id\":\"answer\",\"@microsoft.graph.downloadUrl\":\"https://download.example/f\"}"));
    }

    @AfterAll
    static void stop() {
        HARNESS.close();
    }

    @TestFactory
    Stream<DynamicTest> everyToolSendsTheRequestGraphExpects() {
        return Catalog.builtIn().tools().stream()
                .filter(t -> t.method() != ToolDef.HttpMethod.LOCAL)
                // uploads from local files send their own sequence of requests: UploadFromPathTest checks them
                .filter(t -> t.response() != ResponseKind.DRIVE_UPLOAD && t.response() != ResponseKind.ATTACHMENT_UPLOAD)
                .map(t -> DynamicTest.dynamicTest(t.name(), () -> check(t)));
    }

    private void check(ToolDef tool) {
        Map<String, Object> args = SampleArguments.forTool(tool);
        Path file = downloads.resolve(tool.name() + ".out");
        if (tool.response() == ResponseKind.FILE) {
            HARNESS.downloadFolder(downloads);
            args.put("outputPath", file.toString());
        }
        HARNESS.graph.clearRequests();
        CallToolResult result = HARNESS.call(tool.name(), args);
        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        List<RecordedRequest> sent = HARNESS.graph.requests();
        RecordedRequest req;
        if (tool.workbookSession()) {
            // createSession, the call inside the session, closeSession
            assertThat(sent).hasSize(3);
            assertThat(sent.get(0).rawPath()).endsWith("/workbook/createSession");
            assertThat(sent.get(2).rawPath()).endsWith("/workbook/closeSession");
            req = sent.get(1);
            assertThat(req.header("workbook-session-id")).isEqualTo("answer");
        } else if (tool.response() == ResponseKind.BATCH) {
            // the batch, then each step as FakeGraph routes it
            assertThat(sent).hasSize(2);
            req = sent.get(0);
        } else {
            assertThat(sent).hasSize(1);
            req = sent.get(0);
        }
        if (tool.response() == ResponseKind.FILE) {
            assertThat(file).exists();
        }

        assertThat(req.method()).isEqualTo(tool.method().name());
        assertThat(req.rawPath()).isEqualTo(expectedPath(tool, args));
        assertThat(req.header("Authorization")).isEqualTo("Bearer " + ToolHarness.TOKEN);
        if (args.containsKey("top")) {
            assertThat(req.query()).containsEntry("$top", "5");
        }
        if (args.containsKey("select")) {
            assertThat(req.query()).containsEntry("$select", "id,displayName");
        }
        if (args.containsKey("If-Match")) {
            assertThat(req.header("If-Match")).isEqualTo("W/\"etag-1\"");
        }
        Object body = args.get("body");
        if (body != null) {
            assertThat(req.header("Content-Type")).startsWith(tool.contentType());
            if (tool.contentType().contains("json")) {
                assertThat(JSON.readTree(req.body())).isEqualTo(completed(tool, JSON.valueToTree(body)));
            } else if (tool.param("body").orElseThrow().schema().path("contentEncoding").asString("").equals("base64")) {
                assertThat(req.body()).isEqualTo(Base64.getDecoder().decode((String) body));
            } else {
                assertThat(req.bodyText()).isEqualTo(body);
            }
        } else if (!tool.method().name().equals("GET") && !tool.method().name().equals("DELETE")) {
            assertThat(req.body()).isEmpty();
        }
    }

    /** The body as Graph documents it: what the executor completes (a Teams link's provider, a member's URL). */
    private static JsonNode completed(ToolDef tool, JsonNode body) {
        if (body instanceof ObjectNode obj) {
            if (obj.path("isOnlineMeeting").asBoolean(false)) {
                obj.put("onlineMeetingProvider", "teamsForBusiness");
            }
            if (obj.has("@odata.id")) {
                obj.put("@odata.id", HARNESS.graph.url() + "/v1.0/directoryObjects/" + SampleArguments.MEMBER_ID);
            }
        }
        return body;
    }

    private static String expectedPath(ToolDef tool, Map<String, Object> args) {
        String path = "/" + tool.apiVersion() + tool.path();
        for (Param p : tool.params()) {
            if (Param.GRAPH_PATH.equals(p.format())) {
                return "/" + tool.apiVersion() + args.get(p.name());
            }
            if (p.in() == Location.PATH) {
                String v = (String) args.get(p.name());
                // a server-relative path keeps its slashes; everything else stays inside its segment
                String encoded = Param.RELATIVE_PATH.equals(p.format()) ? "AAMk/x%3Fy%23z" : SampleArguments.AWKWARD_ID_ENCODED;
                path = path.replace("{" + p.name() + "}", v.equals(SampleArguments.AWKWARD_ID) ? encoded : v);
            }
        }
        return path;
    }
}
