package dev.ms365mcp.tools.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.AccessToken;
import dev.ms365mcp.auth.TokenRequest;
import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.testkit.graph.RecordedRequest;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolHarness;
import dev.ms365mcp.tools.ToolSettings;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** graph-batch: checked before sending, throttled steps sent again, answers merged by id. */
class GraphBatchTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BATCH = "/v1.0/$batch";

    @RegisterExtension
    final ToolHarness harness = new ToolHarness();

    private static Map<String, Object> step(String id, String method, String url) {
        return Map.of("id", id, "method", method, "url", url);
    }

    private CallToolResult batch(List<?> steps) {
        return harness.call("graph-batch", Map.of("body", Map.of("requests", steps)));
    }

    private List<RecordedRequest> batches() {
        return harness.graph.requests().stream().filter(r -> r.rawPath().equals(BATCH)).toList();
    }

    @Test
    void aMethodOverrideHeaderInAnyCaseIsRefusedBeforeAnythingIsSent() {
        for (String name : List.of("X-HTTP-Method-Override", "x-http-method-override", "X-Http-Method-OVERRIDE")) {
            CallToolResult r = batch(List.of(step("1", "GET", "/me"), Map.of("id", "2", "method", "GET",
                    "url", "/me/messages/m1", "headers", Map.of(name, "DELETE"))));
            assertThat(r.isError()).isTrue();
            assertThat(ToolHarness.text(r)).contains("request 2", "X-HTTP-Method-Override", "Nothing was sent");
        }
        assertThat(harness.graph.requests()).isEmpty();
    }

    @Test
    void moreThanTwentyStepsAreRefusedAndNothingIsSent() {
        List<Map<String, Object>> steps = IntStream.rangeClosed(1, 21).mapToObj(i -> step("s" + i, "GET", "/me")).toList();

        CallToolResult r = batch(steps);

        assertThat(r.isError()).isTrue();
        assertThat(ToolHarness.text(r)).contains("at most 20").contains("got 21").contains("Nothing was sent");
        assertThat(harness.graph.requests()).isEmpty();
    }

    @Test
    void stepsThatLeaveGraphOrRepeatAnIdAreRefused() {
        for (List<Map<String, Object>> steps : List.of(
                List.of(step("1", "GET", "https://evil.example/steal")),
                List.of(step("1", "GET", "//evil.example/steal")),
                List.of(step("1", "GET", "/me"), step("1", "GET", "/me/events")),
                List.of(step("1", "FETCH", "/me")),
                List.of(Map.of("id", "1", "method", "GET", "url", "/me", "dependsOn", List.of("9"))))) {
            CallToolResult r = batch(steps);
            assertThat(r.isError()).as(steps.toString()).isTrue();
            assertThat(ToolHarness.text(r)).contains("Nothing was sent");
        }
        assertThat(harness.graph.requests()).isEmpty();
    }

    @Test
    void aThrottledStepIsRetriedAloneAndTheAnswersAreMergedInOrder() {
        harness.graph.on("GET", "/v1.0/me/messages", FakeResponse.ok("{\"value\":[{\"id\":\"m1\"}]}"));
        harness.graph.on("GET", "/v1.0/me/events", FakeResponse.ok("{\"@odata.context\":\"x\",\"value\":[{\"id\":\"e1\"}]}"));
        harness.graph.enqueue("GET", "/v1.0/me/messages", FakeResponse.tooManyRequests(0));

        CallToolResult r = batch(List.of(step("a", "get", "/me/messages?$top=1"), step("b", "GET", "me/events")));

        assertThat(r.isError()).as(ToolHarness.text(r)).isFalse();
        List<RecordedRequest> sent = batches();
        assertThat(sent).hasSize(2);
        assertThat(ids(sent.get(0))).containsExactly("a", "b");
        assertThat(ids(sent.get(1))).containsExactly("a");
        JsonNode first = JSON.readTree(sent.get(0).body()).path("requests");
        assertThat(first.get(0).path("method").asString()).isEqualTo("GET");
        assertThat(first.get(1).path("url").asString()).isEqualTo("/me/events");

        JsonNode out = JSON.readTree(ToolHarness.text(r));
        assertThat(out.path("responses")).hasSize(2);
        assertThat(out.path("responses").get(0).path("id").asString()).isEqualTo("a");
        assertThat(out.path("responses").get(0).path("status").asInt()).isEqualTo(200);
        assertThat(out.path("responses").get(0).path("body").path("value").get(0).path("id").asString()).isEqualTo("m1");
        assertThat(out.path("responses").get(1).path("id").asString()).isEqualTo("b");
        assertThat(out.path("responses").get(1).path("body").has("@odata.context")).isFalse();
        assertThat(out.has("note")).isFalse();
    }

    @Test
    void retriesStopAtTheRetrySettingAndSaySo() {
        harness.configure(s -> s.maxRetries(1));
        harness.graph.on("GET", "/v1.0/me", FakeResponse.ok("{\"id\":\"u\"}"));
        harness.graph.enqueue("GET", "/v1.0/me/messages", FakeResponse.tooManyRequests(0), FakeResponse.tooManyRequests(0),
                FakeResponse.tooManyRequests(0));

        CallToolResult r = batch(List.of(step("1", "GET", "/me/messages"), step("2", "GET", "/me")));

        assertThat(batches()).hasSize(2);
        JsonNode out = JSON.readTree(ToolHarness.text(r));
        assertThat(out.path("responses").get(0).path("status").asInt()).isEqualTo(429);
        assertThat(out.path("responses").get(1).path("status").asInt()).isEqualTo(200);
        assertThat(out.path("note").asString()).contains("still throttled").contains("1 retries");
    }

    @Test
    void aStepThatFailedOnlyBecauseItsDependencyWasThrottledGoesAlong() {
        harness.graph.on("POST", "/v1.0/me/events", FakeResponse.json(201, "{\"id\":\"e\"}"));
        harness.graph.on("GET", "/v1.0/me/events", FakeResponse.ok("{\"value\":[]}"));
        harness.graph.enqueue("POST", "/v1.0/me/events", FakeResponse.tooManyRequests(0));
        harness.graph.enqueue("GET", "/v1.0/me/events", FakeResponse.error(424, "failedDependency", "Dependency failed"));

        CallToolResult r = batch(List.of(
                Map.of("id", "1", "method", "POST", "url", "/me/events", "body", Map.of("subject", "x")),
                Map.of("id", "2", "method", "GET", "url", "/me/events", "dependsOn", List.of("1"))));

        List<RecordedRequest> sent = batches();
        assertThat(sent).hasSize(2);
        JsonNode retry = JSON.readTree(sent.get(1).body()).path("requests");
        assertThat(ids(sent.get(1))).containsExactly("1", "2");
        assertThat(retry.get(1).path("dependsOn").get(0).asString()).isEqualTo("1");
        assertThat(retry.get(0).path("headers").path("Content-Type").asString()).isEqualTo("application/json");
        JsonNode out = JSON.readTree(ToolHarness.text(r));
        assertThat(out.path("responses").get(0).path("status").asInt()).isEqualTo(201);
        assertThat(out.path("responses").get(1).path("status").asInt()).isEqualTo(200);
    }

    @Test
    void aFailedBatchIsAnErrorThatSaysWhy() {
        harness.graph.enqueue("POST", BATCH, FakeResponse.error(400, "BadRequest", "Invalid batch payload."));

        CallToolResult r = batch(List.of(step("1", "GET", "/me")));

        assertThat(r.isError()).isTrue();
        assertThat(ToolHarness.text(r)).contains("400 BadRequest");
        assertThat(harness.graph.requests()).hasSize(1);
    }

    @Test
    void theTokenCoversTheScopesOfEveryStep() {
        List<TokenRequest> asked = new ArrayList<>();
        Ms365Tools tools = Ms365Tools.builder().settings(ToolSettings.defaults())
                .tokenProvider(req -> {
                    asked.add(req);
                    return new AccessToken("t", null);
                })
                .graphRoot(URI.create(harness.graph.url())).build();
        harness.graph.fallback((req, base) -> FakeResponse.ok("{}"));

        tools.call("graph-batch", Map.of("body", Map.of("requests", List.of(step("1", "GET", "/me/messages/abc?$select=id"),
                Map.of("id", "2", "method", "POST", "url", "/me/sendMail", "body", Map.of()),
                step("3", "GET", "/drives/d/items/root:/a.txt:/content")))));

        assertThat(asked).hasSize(1);
        assertThat(asked.get(0).scopes()).containsExactlyInAnyOrder("Mail.Read", "Mail.Send", "Files.Read");
    }

    private static List<String> ids(RecordedRequest batch) {
        List<String> ids = new ArrayList<>();
        JSON.readTree(batch.body()).path("requests").forEach(s -> ids.add(s.path("id").asString()));
        return ids;
    }
}
