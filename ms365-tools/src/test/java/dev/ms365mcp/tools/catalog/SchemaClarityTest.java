package dev.ms365mcp.tools.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Schemas a model cannot misread (issue 12): typed recipients and bodies, shared OData wording, documented values. */
class SchemaClarityTest {

    private static final Set<String> RECIPIENTS = Set.of("toRecipients", "ccRecipients", "bccRecipients", "attendees");

    private static ToolDef tool(String name) {
        return Catalog.builtIn().find(name).orElseThrow();
    }

    /** Every property of every tool schema, at any depth, with its name. */
    private static void eachProperty(BiConsumer<String, JsonNode> visit) {
        for (ToolDef t : Catalog.builtIn().tools()) {
            walk(t.name(), t.inputSchema(), visit);
        }
    }

    private static void walk(String at, JsonNode schema, BiConsumer<String, JsonNode> visit) {
        schema.path("properties").properties().forEach(e -> {
            visit.accept(at + "." + e.getKey(), e.getValue());
            walk(at + "." + e.getKey(), e.getValue(), visit);
        });
        if (schema.has("items")) {
            walk(at + "[]", schema.path("items"), visit);
        }
    }

    @Test
    void recipientsAreTypedAsEmailAddressesWhereverTheyAppear() {
        List<String> seen = new ArrayList<>();
        eachProperty((at, p) -> {
            String name = at.substring(at.lastIndexOf('.') + 1);
            if (RECIPIENTS.contains(name)) {
                seen.add(at);
                assertThat(p.path("type").asString()).as(at).isEqualTo("array");
                JsonNode address = p.at("/items/properties/emailAddress/properties");
                assertThat(address.path("address").path("type").asString()).as(at).isEqualTo("string");
                assertThat(address.path("name").path("type").asString()).as(at).isEqualTo("string");
            }
        });
        assertThat(seen).contains("send-mail.body.message.toRecipients", "send-mail.body.message.bccRecipients",
                "create-calendar-event.body.attendees", "find-meeting-times.body.attendees",
                "send-shared-mailbox-mail.body.message.ccRecipients", "forward-mail-message.body.toRecipients");
    }

    @Test
    void messageBodiesSayTheirContentType() {
        List<String> seen = new ArrayList<>();
        eachProperty((at, p) -> {
            if (at.endsWith(".body") && p.path("properties").has("content") && p.path("properties").has("contentType")) {
                seen.add(at);
                assertThat(p.at("/properties/contentType/enum").toString()).as(at).startsWith("[\"text\",\"html\"");
            }
        });
        assertThat(seen).contains("send-mail.body.message.body", "create-calendar-event.body.body", "create-todo-task.body.body");
    }

    @Test
    void odataOptionsSayGraphsSyntaxInOneSharedWording() {
        Map<String, String> expected = Map.of("search", "$search \"words\"; mail: not with filter",
                "filter", "$filter x eq 'v'", "orderby", "$orderby x [desc]");
        int[] listed = {0};
        Catalog.builtIn().tools().forEach(t -> expected.forEach((name, text) -> {
            JsonNode p = t.inputSchema().at("/properties/" + name);
            Param param = t.param(name).orElse(null);
            if (!p.isMissingNode() && param != null && param.wire().equals("$" + name)) {
                listed[0]++;
                assertThat(p.path("description").asString()).as(t.name() + "." + name).isEqualTo(text);
            }
        }));
        assertThat(listed[0]).isGreaterThan(40);
    }

    @Test
    void driveIdTakesMeAndTheRootIsTheTopFolder() {
        assertThat(tool("list-folder-files").inputSchema().at("/properties/driveId/description").asString()).contains("me");
        assertThat(tool("list-drives").description()).contains("me = your OneDrive");
        assertThat(tool("list-folder-files").description()).contains("root: the top folder");
    }

    @Test
    void plannerUpdatesTypeTheirFieldsAndNameWhereTheEtagComesFrom() {
        JsonNode task = tool("update-planner-task").inputSchema().at("/properties/body/properties");
        assertThat(task.at("/percentComplete/type").asString()).isEqualTo("integer");
        assertThat(task.at("/percentComplete/minimum").asInt()).isZero();
        assertThat(task.at("/percentComplete/maximum").asInt()).isEqualTo(100);
        assertThat(task.at("/dueDateTime/description").asString()).contains("ISO 8601");
        for (String name : List.of("update-planner-task", "update-planner-task-details", "update-planner-bucket")) {
            String etag = tool(name).inputSchema().at("/properties/If-Match/description").asString();
            String source = etag.substring(etag.indexOf("get-"));
            assertThat(Catalog.builtIn().find(source)).as(name + " names " + source).isPresent();
            assertThat(Catalog.builtIn().find(source).orElseThrow().keepsEtags()).isTrue();
        }
    }

    @Test
    void proseBodiesAreTypedWithGraphsEnums() {
        JsonNode link = tool("create-drive-item-share-link").inputSchema().at("/properties/body/properties");
        assertThat(link.at("/type/enum").toString()).isEqualTo("[\"view\",\"edit\",\"embed\"]");
        assertThat(link.at("/scope/enum").toString()).isEqualTo("[\"anonymous\",\"organization\",\"users\"]");
        JsonNode invite = tool("share-drive-item").inputSchema().at("/properties/body/properties");
        assertThat(invite.at("/roles/items/enum").toString()).isEqualTo("[\"read\",\"write\"]");
        JsonNode contact = tool("create-outlook-contact").inputSchema().at("/properties/body/properties");
        assertThat(contact.at("/emailAddresses/items/properties/address/type").asString()).isEqualTo("string");
        assertThat(contact.at("/businessPhones/type").asString()).isEqualTo("array");
        JsonNode shared = tool("send-shared-mailbox-mail").inputSchema().at("/properties/body/properties/message/properties");
        assertThat(shared.at("/body/properties/contentType/enum").toString()).isEqualTo("[\"text\",\"html\"]");
        JsonNode when = tool("find-meeting-times").inputSchema().at("/properties/body/properties/timeConstraint/properties");
        assertThat(when.at("/activityDomain/enum").toString()).isEqualTo("[\"work\",\"personal\",\"unrestricted\",\"unknown\"]");
        assertThat(when.has("timeSlots")).isTrue();
        assertThat(tool("add-excel-table-rows").inputSchema().at("/properties/body/properties/values/items/type").asString())
                .isEqualTo("array");
    }

    @Test
    void etagsAreKeptOnlyWherePlannerNeedsThem() {
        assertThat(Catalog.builtIn().tools().stream().filter(ToolDef::keepsEtags).map(ToolDef::area).distinct())
                .containsExactly("planner");
    }
}
