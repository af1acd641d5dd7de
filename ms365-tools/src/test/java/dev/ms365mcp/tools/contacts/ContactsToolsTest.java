package dev.ms365mcp.tools.contacts;

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

/** The Outlook contacts area: every reference tool is there, and the requests it relies on. */
class ContactsToolsTest {

    static final List<String> TOOLS = List.of("list-outlook-contacts", "get-outlook-contact", "create-outlook-contact",
            "update-outlook-contact", "delete-outlook-contact", "list-contact-folder-child-folders",
            "create-contact-child-folder", "list-contact-folders", "create-contact-folder", "update-contact-folder",
            "delete-contact-folder", "list-contact-folder-contacts", "create-contact-in-folder");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    @RegisterExtension
    final ToolHarness harness = new ToolHarness();

    @Test
    void everyReferenceContactsToolIsInTheContactsArea() {
        assertThat(ParityRow.all().keySet()).containsAll(TOOLS);
        assertThat(Catalog.builtIn().tools().stream().filter(t -> t.area().equals("contacts")).map(ToolDef::name))
                .containsExactlyInAnyOrderElementsOf(TOOLS);
    }


    @Test
    void listingContactsSendsFilterOrderAndPaging() {
        harness.graph.on("GET", "/v1.0/me/contacts", FakeResponse.ok(
                "{\"@odata.context\":\"x\",\"value\":[{\"id\":\"c1\",\"displayName\":\"Ana Lima\"}],"
                        + "\"@odata.nextLink\":\"https://graph.microsoft.com/v1.0/me/contacts?%24skip=10\"}"));
        CallToolResult result = harness.call("list-outlook-contacts", Map.of("filter", "startswith(displayName,'A')",
                "orderby", "displayName", "top", 10, "select", "displayName,emailAddresses"));

        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(harness.graph.lastRequest().query()).containsEntry("$filter", "startswith(displayName,'A')")
                .containsEntry("$orderby", "displayName").containsEntry("$top", "10")
                .containsEntry("$select", "displayName,emailAddresses");
        assertThat(ToolHarness.text(result)).isEqualTo("{\"value\":[{\"id\":\"c1\",\"displayName\":\"Ana Lima\"}],"
                + "\"@odata.nextLink\":\"https://graph.microsoft.com/v1.0/me/contacts?%24skip=10\"}");
    }

    @Test
    void aContactIsCreatedInsideTheGivenFolder() {
        harness.graph.on("POST", "/v1.0/me/contactFolders/f1/contacts", FakeResponse.json(201, "{\"id\":\"c9\"}"));
        Map<String, Object> contact = Map.of("givenName", "Ana", "surname", "Lima",
                "emailAddresses", List.of(Map.of("address", "ana@example.com", "name", "Ana Lima")),
                "businessPhones", List.of("+1 555 0100"));
        CallToolResult result = harness.call("create-contact-in-folder", Map.of("contactFolderId", "f1", "body", contact));

        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.method()).isEqualTo("POST");
        assertThat(JSON.readTree(req.body())).isEqualTo(JSON.valueToTree(contact));
        assertThat(ToolHarness.text(result)).isEqualTo("{\"id\":\"c9\"}");
    }

    @Test
    void aFolderNeedsOnlyItsName() {
        harness.graph.on("PATCH", "/v1.0/me/contactFolders/f1", FakeResponse.ok("{\"id\":\"f1\",\"displayName\":\"Clients\"}"));
        CallToolResult result = harness.call("update-contact-folder",
                Map.of("contactFolderId", "f1", "body", Map.of("displayName", "Clients")));
        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(harness.graph.lastRequest().bodyText()).isEqualTo("{\"displayName\":\"Clients\"}");
        assertThat(Catalog.builtIn().find("create-contact-folder").orElseThrow().inputSchema()
                .path("properties").path("body").path("required").toString()).isEqualTo("[\"displayName\"]");
    }
}
