package dev.ms365mcp.tools.calendar;

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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The calendar area: every reference tool is there, and the requests its special options make. */
class CalendarToolsTest {

    static final List<String> TOOLS = List.of("list-calendar-events", "get-calendar-event", "create-calendar-event",
            "update-calendar-event", "delete-calendar-event", "accept-calendar-event", "decline-calendar-event",
            "tentatively-accept-calendar-event", "list-specific-calendar-events", "get-specific-calendar-event",
            "create-specific-calendar-event", "update-specific-calendar-event", "delete-specific-calendar-event",
            "get-calendar-view", "get-specific-calendar-view", "list-calendar-event-instances", "list-calendars",
            "create-calendar", "update-calendar", "delete-calendar", "cancel-calendar-event", "forward-calendar-event",
            "snooze-calendar-event-reminder", "dismiss-calendar-event-reminder", "list-calendar-events-delta",
            "list-calendar-view-delta", "list-my-calendar-permissions", "create-my-calendar-permission",
            "update-my-calendar-permission", "delete-my-calendar-permission");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    @RegisterExtension
    final ToolHarness harness = new ToolHarness();

    @Test
    void everyReferenceCalendarToolIsInTheCalendarArea() {
        assertThat(ParityRow.all().keySet()).containsAll(TOOLS);
        List<String> area = Catalog.builtIn().tools().stream().filter(t -> t.area().equals("calendar"))
                .map(ToolDef::name).toList();
        assertThat(area).containsExactlyInAnyOrderElementsOf(TOOLS);
    }


    @Test
    void calendarViewSendsTheRangeAndTheTimeZonePreference() {
        harness.graph.on("GET", "/v1.0/me/calendarView", FakeResponse.ok(
                "{\"@odata.context\":\"x\",\"value\":[{\"@odata.etag\":\"W/1\",\"id\":\"e1\",\"subject\":\"Standup\"}]}"));
        CallToolResult result = harness.call("get-calendar-view", Map.of("startDateTime", "2025-03-01T00:00:00",
                "endDateTime", "2025-03-08T00:00:00", "timezone", "Pacific Standard Time", "top", 10,
                "orderby", "start/dateTime"));

        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.query()).containsEntry("startDateTime", "2025-03-01T00:00:00")
                .containsEntry("endDateTime", "2025-03-08T00:00:00").containsEntry("$top", "10")
                .containsEntry("$orderby", "start/dateTime");
        assertThat(req.headers().get("prefer")).anyMatch(v -> v.contains("outlook.timezone=\"Pacific Standard Time\""));
        // no later call of the area needs the ETag: it is dropped with the other annotations
        assertThat(ToolHarness.text(result)).isEqualTo("{\"value\":[{\"id\":\"e1\",\"subject\":\"Standup\"}]}");
    }

    @Test
    void aViewWithoutItsRangeIsRefusedBeforeAnythingIsSent() {
        CallToolResult result = harness.call("get-specific-calendar-view",
                Map.of("calendarId", "c1", "startDateTime", "2025-03-01T00:00:00"));
        assertThat(result.isError()).isTrue();
        assertThat(ToolHarness.text(result)).contains("endDateTime");
        assertThat(harness.graph.requests()).isEmpty();
    }

    @Test
    void instancesOfARecurringEventAreReadInsideTheRange() {
        harness.graph.fallback((req, base) -> FakeResponse.ok("{\"value\":[]}"));
        CallToolResult result = harness.call("list-calendar-event-instances", Map.of("calendarId", "cal 1",
                "eventId", "e1", "startDateTime", "2025-01-01", "endDateTime", "2025-12-31"));
        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.rawPath()).isEqualTo("/v1.0/me/calendars/cal%201/events/e1/instances");
        assertThat(req.query()).containsEntry("startDateTime", "2025-01-01").containsEntry("endDateTime", "2025-12-31");
    }

    @Test
    void createEventPostsTheEventAsJson() {
        harness.graph.on("POST", "/v1.0/me/events", FakeResponse.json(201, "{\"id\":\"new\",\"subject\":\"Review\"}"));
        Map<String, Object> event = Map.of("subject", "Review",
                "start", Map.of("dateTime", "2025-03-03T10:00:00", "timeZone", "Europe/Berlin"),
                "end", Map.of("dateTime", "2025-03-03T11:00:00", "timeZone", "Europe/Berlin"),
                "attendees", List.of(Map.of("emailAddress", Map.of("address", "ana@example.com"), "type", "required")),
                "isOnlineMeeting", true);
        CallToolResult result = harness.call("create-calendar-event", Map.of("body", event));

        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.header("Content-Type")).startsWith("application/json");
        // "add a Teams link": Graph needs the provider too (event resource: isOnlineMeeting + onlineMeetingProvider)
        Map<String, Object> sent = new java.util.LinkedHashMap<>(event);
        sent.put("onlineMeetingProvider", "teamsForBusiness");
        assertThat(JSON.readTree(req.body())).isEqualTo(JSON.valueToTree(sent));
        assertThat(ToolHarness.text(result)).isEqualTo("{\"id\":\"new\",\"subject\":\"Review\"}");
    }

    @Test
    void createEventSchemaListsTheFieldsAnEventNeeds() {
        JsonNode body = Catalog.builtIn().find("create-calendar-event").orElseThrow().inputSchema()
                .path("properties").path("body");
        assertThat(body.path("properties").propertyNames()).contains("subject", "body", "start", "end", "attendees",
                "location", "isOnlineMeeting", "recurrence");
        assertThat(body.path("properties").path("start").path("description").asString()).contains("dateTime", "timeZone");
        assertThat(body.path("required").toString()).contains("start", "end");
    }

    @Test
    void declineSendsTheCommentAndTheResponseChoice() {
        harness.graph.on("POST", "/v1.0/me/events/e1/decline", FakeResponse.accepted());
        CallToolResult result = harness.call("decline-calendar-event",
                Map.of("eventId", "e1", "body", Map.of("comment", "Travelling", "sendResponse", false)));
        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(JSON.readTree(harness.graph.lastRequest().body()))
                .isEqualTo(JSON.readTree("{\"comment\":\"Travelling\",\"sendResponse\":false}"));
        assertThat(ToolHarness.text(result)).isEqualTo("Done (HTTP 202).");
    }

    @Test
    void dismissReminderPostsWithoutABody() {
        harness.graph.on("POST", "/v1.0/me/events/e1/dismissReminder", FakeResponse.noContent());
        CallToolResult result = harness.call("dismiss-calendar-event-reminder", Map.of("eventId", "e1"));
        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(harness.graph.lastRequest().method()).isEqualTo("POST");
        assertThat(harness.graph.lastRequest().body()).isEmpty();
    }

    @Test
    void viewDeltaFollowsEveryPageAndKeepsTheDeltaLink() {
        harness.graph.pages("/v1.0/me/calendarView/delta()", List.of(List.of("{\"id\":\"a\"}"), List.of("{\"id\":\"b\"}")));
        CallToolResult result = harness.call("list-calendar-view-delta", Map.of("startDateTime", "2025-03-01T00:00:00",
                "endDateTime", "2025-04-01T00:00:00", "fetchAllPages", true));

        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(harness.graph.requests()).hasSize(2);
        assertThat(harness.graph.requests().get(0).query()).containsEntry("startDateTime", "2025-03-01T00:00:00");
        JsonNode out = JSON.readTree(ToolHarness.text(result));
        assertThat(out.path("value").findValuesAsString("id")).containsExactly("a", "b");
        assertThat(out.path("@odata.deltaLink").asString()).contains("$deltatoken=end");
    }

    @Test
    void calendarPermissionIsCreatedWithAddressAndRole() {
        harness.graph.on("POST", "/v1.0/me/calendar/calendarPermissions", FakeResponse.json(201, "{\"id\":\"p1\",\"role\":\"read\"}"));
        Map<String, Object> body = Map.of("emailAddress", Map.of("address", "ana@example.com", "name", "Ana"), "role", "read");
        CallToolResult result = harness.call("create-my-calendar-permission", Map.of("body", body));
        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(JSON.readTree(harness.graph.lastRequest().body())).isEqualTo(JSON.valueToTree(body));
        JsonNode role = Catalog.builtIn().find("update-my-calendar-permission").orElseThrow().inputSchema()
                .path("properties").path("body").path("properties").path("role");
        assertThat(role.path("enum").toString()).contains("freeBusyRead", "delegateWithPrivateEventAccess");
    }

    @Test
    void expandExtendedPropertiesIsAcceptedButNeverSentAsAnOption() {
        // Accepted for drop-in compatibility; expand=singleValueExtendedProperties is the working way.
        harness.graph.on("GET", "/v1.0/me/events/e1", FakeResponse.ok("{\"id\":\"e1\"}"));
        CallToolResult result = harness.call("get-calendar-event", Map.of("eventId", "e1",
                "expandExtendedProperties", true, "expand", "singleValueExtendedProperties"));
        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(harness.graph.lastRequest().query()).containsExactly(Map.entry("$expand", "singleValueExtendedProperties"));
    }

    @Test
    void deletingAnEventPassesAnETagWhenGiven() {
        harness.graph.on("DELETE", "/v1.0/me/calendars/c1/events/e1", FakeResponse.noContent());
        CallToolResult result = harness.call("delete-specific-calendar-event",
                Map.of("calendarId", "c1", "eventId", "e1", "If-Match", "W/\"7\""));
        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(harness.graph.lastRequest().header("If-Match")).isEqualTo("W/\"7\"");
        assertThat(Catalog.builtIn().find("delete-specific-calendar-event").orElseThrow().destructive()).isTrue();
    }
}
