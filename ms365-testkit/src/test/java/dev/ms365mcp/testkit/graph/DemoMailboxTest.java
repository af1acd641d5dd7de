package dev.ms365mcp.testkit.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The demo mailbox answers like Graph, so the demo shows what the server really sends and gets. */
class DemoMailboxTest {

    private static JsonNode get(FakeGraph graph, String target) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(graph.url() + target)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return JsonText.MAPPER.readTree(r.body());
        }
    }

    @Test
    void selectKeepsOnlyTheAskedPropertiesWithIdAndEtag() throws Exception {
        try (FakeGraph graph = FakeGraph.start()) {
            DemoMailbox box = DemoMailbox.install(graph);
            JsonNode list = get(graph, "/v1.0/me/messages?%24select=subject,from&%24top=2");
            assertThat(list.path("value").size()).isEqualTo(2);
            for (JsonNode m : list.path("value")) {
                assertThat(m.propertyNames()).containsExactlyInAnyOrder("@odata.etag", "id", "subject", "from");
            }
            JsonNode one = get(graph, "/v1.0/me/messages/" + box.messageIds().get(0) + "?%24select=isRead");
            assertThat(one.propertyNames()).containsExactlyInAnyOrder("@odata.etag", "id", "isRead");
            JsonNode whole = get(graph, "/v1.0/me/messages/" + box.messageIds().get(0));
            assertThat(whole.has("body")).as("no $select: every property").isTrue();
        }
    }
}
