package dev.ms365mcp.tools.places;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.testkit.graph.RecordedRequest;
import dev.ms365mcp.tools.ToolHarness;
import dev.ms365mcp.tools.catalog.Catalog;
import dev.ms365mcp.tools.catalog.ParityRow;
import dev.ms365mcp.tools.catalog.ToolDef;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/** Rooms and room lists: complete, type-cast paths, typed updates. */
class PlacesAreaTest {

    static final List<String> TOOLS = List.of("get-room", "get-room-list", "list-room-list-rooms", "get-room-list-room",
            "update-place");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    @RegisterExtension
    final ToolHarness harness = new ToolHarness();

    @Test
    void everyReferenceRowOfTheAreaIsInTheCatalog() {
        List<String> expected = ParityRow.all().values().stream()
                .filter(r -> r.orgOnly() && r.path().startsWith("/places/")).map(ParityRow::name).toList();
        assertThat(expected).containsExactlyInAnyOrderElementsOf(TOOLS);
        List<ToolDef> area = Catalog.builtIn().tools().stream().filter(t -> t.area().equals("places")).toList();
        assertThat(area).extracting(ToolDef::name).containsExactlyInAnyOrderElementsOf(TOOLS);
        assertThat(area).allMatch(ToolDef::orgOnly);
    }

    @Test
    void roomIsReadThroughItsTypeCastByEmailAddress() {
        harness.graph.on("GET", "/v1.0/places/board%40contoso.com/graph.room",
                FakeResponse.ok("{\"id\":\"r1\",\"displayName\":\"Board room\",\"capacity\":12}"));

        CallToolResult result = harness.call("get-room", Map.of("placeId", "board@contoso.com"));

        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(ToolHarness.text(result)).contains("\"capacity\":12");
    }

    @Test
    void roomsOfARoomListAreAddressedUnderTheList() {
        harness.graph.on("GET", "/v1.0/places/b1%40contoso.com/graph.roomList/rooms/r1", FakeResponse.ok("{\"id\":\"r1\"}"));

        CallToolResult result = harness.call("get-room-list-room", Map.of("placeId", "b1@contoso.com", "roomId", "r1"));

        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        ToolDef tool = Catalog.builtIn().find("get-room-list-room").orElseThrow();
        assertThat(tool.inputSchema().path("properties").propertyNames()).containsExactly("placeId", "roomId");
    }

    @Test
    void placeUpdateCarriesTheODataType() {
        harness.graph.on("PATCH", "/v1.0/places/r1", FakeResponse.ok("{\"id\":\"r1\",\"capacity\":14}"));
        Map<String, Object> body = Map.of("@odata.type", "microsoft.graph.room", "capacity", 14);

        CallToolResult result = harness.call("update-place", Map.of("placeId", "r1", "body", body));

        RecordedRequest req = harness.graph.lastRequest();
        assertThat(JSON.readTree(req.body())).isEqualTo(JSON.valueToTree(body));
        assertThat(ToolHarness.text(result)).contains("\"capacity\":14");
        assertThat(Catalog.builtIn().find("update-place").orElseThrow().inputSchema()
                .path("properties").path("body").path("required").get(0).asString()).isEqualTo("@odata.type");
    }
}
