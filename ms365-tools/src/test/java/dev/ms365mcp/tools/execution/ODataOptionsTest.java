package dev.ms365mcp.tools.execution;

import static dev.ms365mcp.tools.ToolHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.testkit.graph.RecordedRequest;
import dev.ms365mcp.tools.ToolHarness;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OData options reach Graph under their $ names, with the headers Graph needs for them. */
class ODataOptionsTest {

    private ToolHarness h;

    @BeforeEach
    void start() {
        h = new ToolHarness();
        h.graph.fallback((req, base) -> FakeResponse.ok("{\"value\":[]}"));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void everyOptionHasItsDollarNameOnTheWire() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("top", 7);
        args.put("skip", 14);
        args.put("filter", "isRead eq false");
        args.put("orderby", "receivedDateTime desc");
        args.put("select", "id,subject");
        args.put("expand", "attachments");
        args.put("skiptoken", "abc");
        args.put("includeHiddenMessages", true);
        CallToolResult r = h.call("list-mail-messages", args);
        assertThat(r.isError()).as(text(r)).isFalse();
        RecordedRequest req = h.graph.lastRequest();
        assertThat(req.rawQuery()).contains("$top=7", "$skip=14", "$orderby=receivedDateTime%20desc", "$select=id%2Csubject",
                "$expand=attachments", "$skiptoken=abc", "includeHiddenMessages=true").doesNotContain("%24");
        assertThat(req.query()).containsEntry("$filter", "isRead eq false");
    }

    @Test
    void searchIsQuotedTheWayGraphWants() {
        h.call("list-mail-messages", Map.of("search", "quarterly report"));
        assertThat(h.graph.lastRequest().query()).containsEntry("$search", "\"quarterly report\"");
        h.call("list-mail-messages", Map.of("search", "\"from:megan\""));
        assertThat(h.graph.lastRequest().query()).containsEntry("$search", "\"from:megan\"");
    }

    @Test
    void countAsksForEventualConsistency() {
        h.call("list-mail-messages", Map.of("count", true));
        RecordedRequest req = h.graph.lastRequest();
        assertThat(req.query()).containsEntry("$count", "true");
        assertThat(req.header("ConsistencyLevel")).isEqualTo("eventual");
        h.call("list-mail-messages", Map.of("top", 1));
        assertThat(h.graph.lastRequest().header("ConsistencyLevel")).isNull();
    }

    @Test
    void readsAskForTextBodiesUnlessHtmlIsConfigured() {
        h.call("get-mail-message", Map.of("messageId", "m1"));
        assertThat(h.graph.lastRequest().headers().get("prefer")).containsExactly("outlook.body-content-type=\"text\"");
        h.configure(s -> s.htmlBodies(true));
        h.call("get-mail-message", Map.of("messageId", "m1"));
        assertThat(h.graph.lastRequest().headers().get("prefer")).containsExactly("outlook.body-content-type=\"html\"");
        h.call("create-mail-folder", Map.of("body", Map.of("displayName", "x")));
        assertThat(h.graph.lastRequest().header("Prefer")).isNull();
    }

    @Test
    void headerParametersAreSentAsHeaders() {
        h.call("delete-mail-message", Map.of("messageId", "m1", "If-Match", "W/\"7\""));
        assertThat(h.graph.lastRequest().header("If-Match")).isEqualTo("W/\"7\"");
    }

    @Test
    void argumentMistakesAreReportedAndNothingIsSent() {
        assertThat(text(h.call("get-mail-message", Map.of("messageId", "m", "colour", "red"))))
                .contains("Unknown argument 'colour'", "Accepted: messageId");
        assertThat(text(h.call("get-mail-message", Map.of()))).contains("Missing required argument 'messageId'");
        assertThat(text(h.call("get-mail-message", Map.of("messageId", List.of("a"))))).contains("'messageId' must be a string");
        assertThat(text(h.call("send-mail", Map.of("body", "{not json")))).contains("must be a JSON object");
        assertThat(h.graph.requests()).isEmpty();
    }

    @Test
    void aBodyGivenAsJsonTextIsSentAsJson() {
        h.call("create-mail-folder", Map.of("body", "{\"displayName\":\"Receipts\"}"));
        RecordedRequest req = h.graph.lastRequest();
        assertThat(req.bodyText()).isEqualTo("{\"displayName\":\"Receipts\"}");
        assertThat(req.header("Content-Type")).startsWith("application/json");
    }

    @Test
    void toleratedArgumentsAreAcceptedEverywhere() {
        CallToolResult r = h.call("get-mail-message", Map.of("messageId", "m", "fetchAllPages", true));
        assertThat(r.isError()).as(text(r)).isFalse();
    }
}
