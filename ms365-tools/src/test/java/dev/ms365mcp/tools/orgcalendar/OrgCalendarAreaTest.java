package dev.ms365mcp.tools.orgcalendar;

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

/** Free/busy, meeting suggestions and group calendars: complete, read-only POSTs, time windows. */
class OrgCalendarAreaTest {

    static final List<String> TOOLS = List.of("get-schedule", "find-meeting-times", "get-group-calendar-view",
            "list-group-events");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    @RegisterExtension
    final ToolHarness harness = new ToolHarness(s -> s.readOnly(true));

    @Test
    void everyReferenceRowOfTheAreaIsInTheCatalog() {
        List<String> expected = ParityRow.all().values().stream()
                .filter(r -> r.orgOnly() && r.path().matches("/me/(calendar/getSchedule|findMeetingTimes)"
                        + "|/groups/\\{group-id}/(calendarView|events)"))
                .map(ParityRow::name).toList();
        assertThat(expected).containsExactlyInAnyOrderElementsOf(TOOLS);
        List<ToolDef> area = Catalog.builtIn().tools().stream().filter(t -> t.area().equals("org-calendar")).toList();
        assertThat(area).extracting(ToolDef::name).containsExactlyInAnyOrderElementsOf(TOOLS);
        assertThat(area).allMatch(ToolDef::orgOnly).allMatch(ToolDef::readOnly);
    }

    @Test
    void scheduleLookupIsAReadOnlyPostCallableInReadOnlyMode() {
        harness.graph.on("POST", "/v1.0/me/calendar/getSchedule", FakeResponse.ok(
                "{\"value\":[{\"scheduleId\":\"room1@contoso.com\",\"availabilityView\":\"0220\"}]}"));
        Map<String, Object> body = Map.of("schedules", List.of("room1@contoso.com"),
                "startTime", Map.of("dateTime", "2025-05-01T09:00:00", "timeZone", "UTC"),
                "endTime", Map.of("dateTime", "2025-05-01T11:00:00", "timeZone", "UTC"),
                "availabilityViewInterval", 30);

        CallToolResult result = harness.call("get-schedule", Map.of("body", body));

        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(JSON.readTree(harness.graph.lastRequest().body())).isEqualTo(JSON.valueToTree(body));
        assertThat(ToolHarness.text(result)).contains("\"availabilityView\":\"0220\"");
    }

    @Test
    void meetingTimeSuggestionsPostTheConstraints() {
        harness.graph.on("POST", "/v1.0/me/findMeetingTimes", FakeResponse.ok(
                "{\"emptySuggestionsReason\":\"\",\"meetingTimeSuggestions\":[{\"confidence\":100}]}"));
        Map<String, Object> body = Map.of("attendees",
                List.of(Map.of("emailAddress", Map.of("address", "ann@contoso.com"), "type", "required")),
                "meetingDuration", "PT30M", "maxCandidates", 3);

        CallToolResult result = harness.call("find-meeting-times", Map.of("body", body));

        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.method()).isEqualTo("POST");
        assertThat(JSON.readTree(req.body())).isEqualTo(JSON.valueToTree(body));
        assertThat(ToolHarness.text(result)).contains("meetingTimeSuggestions");
    }

    @Test
    void groupCalendarViewSendsTheWindowAndTimeZone() {
        harness.graph.on("GET", "/v1.0/groups/g1/calendarView", FakeResponse.ok("{\"value\":[{\"subject\":\"Standup\"}]}"));

        CallToolResult result = harness.call("get-group-calendar-view", Map.of("groupId", "g1",
                "startDateTime", "2025-05-01T00:00:00Z", "endDateTime", "2025-05-08T00:00:00Z", "timezone", "UTC"));

        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.query()).containsEntry("startDateTime", "2025-05-01T00:00:00Z")
                .containsEntry("endDateTime", "2025-05-08T00:00:00Z");
        assertThat(req.headers().get("prefer")).contains("outlook.timezone=\"UTC\"");
        assertThat(ToolHarness.text(result)).contains("Standup");
    }

    @Test
    void groupEventsListPagesThroughWhenAsked() {
        harness.graph.pages("/v1.0/groups/g1/events", List.of(List.of("{\"id\":\"e1\"}"), List.of("{\"id\":\"e2\"}")));

        CallToolResult result = harness.call("list-group-events", Map.of("groupId", "g1", "fetchAllPages", true));

        assertThat(harness.graph.requests()).hasSize(2);
        assertThat(ToolHarness.text(result)).contains("e1").contains("e2");
    }
}
