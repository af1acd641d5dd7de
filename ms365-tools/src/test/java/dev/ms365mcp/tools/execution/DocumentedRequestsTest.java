package dev.ms365mcp.tools.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.testkit.graph.RecordedRequest;
import dev.ms365mcp.tools.ToolHarness;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests pinned to the shape Microsoft's Graph documentation gives (issue 12), as FakeGraph receives
 * them: method, path, query, headers and body. Each test names the documented operation.
 */
class DocumentedRequestsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String WORKBOOK = "/v1.0/drives/d1/items/book1/workbook";

    @RegisterExtension
    final ToolHarness h = new ToolHarness();

    @BeforeEach
    void answerEverything() {
        h.graph.fallback((req, base) -> FakeResponse.ok("{\"id\":\"s\"}"));
    }

    private RecordedRequest sent(CallToolResult r) {
        assertThat(r.isError()).as(ToolHarness.text(r)).isFalse();
        return h.graph.lastRequest();
    }

    private static JsonNode body(RecordedRequest req) {
        return JSON.readTree(req.body());
    }

    /** The call inside the workbook session (createSession, the call, closeSession). */
    private RecordedRequest inSession(CallToolResult r) {
        assertThat(r.isError()).as(ToolHarness.text(r)).isFalse();
        List<RecordedRequest> all = h.graph.requests();
        assertThat(all).hasSize(3);
        return all.get(1);
    }

    // tablerow-update, tablerow-delete: PATCH / DELETE .../tables/{id|name}/rows/{index}

    @Test
    void tableRowsAreUpdatedAndDeletedByIndex() {
        RecordedRequest patch = inSession(h.call("update-excel-table-row", Map.of("driveId", "d1", "driveItemId", "book1",
                "workbookTableId", "Table1", "index", 4, "body", Map.of("values", List.of(List.of("x", 2))))));
        assertThat(patch.toString()).isEqualTo("PATCH " + WORKBOOK + "/tables/Table1/rows/4");
        assertThat(body(patch)).isEqualTo(JSON.readTree("{\"values\":[[\"x\",2]]}"));

        h.graph.clearRequests();
        RecordedRequest delete = inSession(h.call("delete-excel-table-row", Map.of("driveId", "d1", "driveItemId", "book1",
                "workbookTableId", "Table1", "index", "4")));
        assertThat(delete.toString()).isEqualTo("DELETE " + WORKBOOK + "/tables/Table1/rows/4");
    }

    // rangesort-apply: POST .../worksheets/{id|name}/range(address='<address>')/sort/apply

    @Test
    void aRangeIsSortedWithSortApply() {
        Map<String, Object> sort = Map.of("fields", List.of(Map.of("key", 1, "ascending", false)), "matchCase", false,
                "hasHeaders", true, "orientation", "Rows", "method", "PinYin");
        RecordedRequest req = inSession(h.call("sort-excel-range", Map.of("driveId", "d1", "driveItemId", "book1",
                "workbookWorksheetId", "Sheet1", "address", "A1:C9", "body", sort)));
        assertThat(req.toString()).isEqualTo("POST " + WORKBOOK + "/worksheets/Sheet1/range(address='A1%3AC9')/sort/apply");
        assertThat(body(req)).isEqualTo(JSON.valueToTree(sort));
    }

    // site-getbypath: GET /sites/{hostname}:/{server-relative-path}

    @Test
    void aSiteByPathKeepsTheSlashesOfItsPath() {
        for (String path : List.of("/sites/Team A", "sites/Team A", "sites/Team A/")) {
            RecordedRequest req = sent(h.call("get-sharepoint-site-by-path",
                    Map.of("siteId", "contoso.sharepoint.com", "path", path)));
            assertThat(req.rawPath()).as(path).isEqualTo("/v1.0/sites/contoso.sharepoint.com:/sites/Team%20A");
        }
        h.graph.clearRequests();
        CallToolResult escape = h.call("get-sharepoint-site-by-path", Map.of("siteId", "contoso.sharepoint.com",
                "path", "sites/../../me/messages"));
        assertThat(escape.isError()).isTrue();
        assertThat(ToolHarness.text(escape)).contains("'..'");
        assertThat(h.graph.requests()).isEmpty();
    }

    // aad-advanced-queries: ConsistencyLevel: eventual for $search, $count, and advanced $filter (+ $count=true)

    @Test
    void directoryQueriesGetEventualConsistencyWhenGraphNeedsIt() {
        RecordedRequest search = sent(h.call("list-users", Map.of("search", "displayName:ann")));
        assertThat(search.header("ConsistencyLevel")).isEqualTo("eventual");
        assertThat(search.query()).containsEntry("$search", "\"displayName:ann\"").doesNotContainKey("$count");

        RecordedRequest endsWith = sent(h.call("list-users", Map.of("filter", "endsWith(mail,'@contoso.com')")));
        assertThat(endsWith.header("ConsistencyLevel")).isEqualTo("eventual");
        assertThat(endsWith.query()).containsEntry("$count", "true");

        RecordedRequest ne = sent(h.call("list-group-members", Map.of("groupId", "g1", "filter", "accountEnabled ne false")));
        assertThat(ne.header("ConsistencyLevel")).isEqualTo("eventual");
        assertThat(ne.query()).containsEntry("$count", "true");

        RecordedRequest ordered = sent(h.call("list-groups", Map.of("filter", "mailEnabled eq true", "orderby", "displayName")));
        assertThat(ordered.header("ConsistencyLevel")).isEqualTo("eventual");

        RecordedRequest plain = sent(h.call("list-users", Map.of("filter", "accountEnabled eq true")));
        assertThat(plain.header("ConsistencyLevel")).as("a basic filter works without it").isNull();
        assertThat(plain.query()).doesNotContainKey("$count");

        RecordedRequest mail = sent(h.call("list-mail-messages", Map.of("search", "report")));
        assertThat(mail.header("ConsistencyLevel")).as("not a directory query").isNull();
    }

    // event resource: isOnlineMeeting + onlineMeetingProvider teamsForBusiness

    @Test
    void aTeamsLinkOnAnEventNamesItsProvider() {
        Map<String, Object> event = Map.of("subject", "Sync", "isOnlineMeeting", true,
                "start", Map.of("dateTime", "2025-03-03T10:00:00", "timeZone", "UTC"),
                "end", Map.of("dateTime", "2025-03-03T10:30:00", "timeZone", "UTC"));
        RecordedRequest req = sent(h.call("create-specific-calendar-event", Map.of("calendarId", "c1", "body", event)));
        assertThat(req.toString()).isEqualTo("POST /v1.0/me/calendars/c1/events");
        assertThat(body(req).path("isOnlineMeeting").asBoolean()).isTrue();
        assertThat(body(req).path("onlineMeetingProvider").asString()).isEqualTo("teamsForBusiness");

        Map<String, Object> skype = new java.util.HashMap<>(event);
        skype.put("onlineMeetingProvider", "skypeForBusiness");
        assertThat(body(sent(h.call("create-calendar-event", Map.of("body", skype)))).path("onlineMeetingProvider")
                .asString()).as("a provider given is kept").isEqualTo("skypeForBusiness");
        assertThat(body(sent(h.call("create-calendar-event", Map.of("body", Map.of("subject", "x",
                "start", event.get("start"), "end", event.get("end")))))).has("onlineMeetingProvider")).isFalse();
    }

    // user-findmeetingtimes: timeConstraint {activityDomain, timeSlots: [{start, end}]}

    @Test
    void findMeetingTimesSendsTimeSlotsAndRefusesAnUnknownActivityDomain() {
        Map<String, Object> slot = Map.of("start", Map.of("dateTime", "2025-03-03T09:00:00", "timeZone", "UTC"),
                "end", Map.of("dateTime", "2025-03-03T17:00:00", "timeZone", "UTC"));
        Map<String, Object> request = Map.of(
                "attendees", List.of(Map.of("emailAddress", Map.of("address", "ana@contoso.com", "name", "Ana"))),
                "timeConstraint", Map.of("activityDomain", "work", "timeSlots", List.of(slot)),
                "meetingDuration", "PT1H");
        RecordedRequest req = sent(h.call("find-meeting-times", Map.of("body", request)));
        assertThat(req.toString()).isEqualTo("POST /v1.0/me/findMeetingTimes");
        assertThat(body(req).at("/timeConstraint/timeSlots/0/start/dateTime").asString()).isEqualTo("2025-03-03T09:00:00");

        h.graph.clearRequests();
        CallToolResult bad = h.call("find-meeting-times", Map.of("body",
                Map.of("timeConstraint", Map.of("activityDomain", "office", "timeSlots", List.of(slot)))));
        assertThat(bad.isError()).isTrue();
        assertThat(ToolHarness.text(bad)).contains("body.timeConstraint.activityDomain").contains("work");
        assertThat(h.graph.requests()).isEmpty();
    }

    // message resource: body {contentType: text|html, content}

    @Test
    void aBodyThatIsHtmlGoesOutAsHtml() {
        Map<String, Object> message = Map.of("subject", "Hi", "body", Map.of("content", "<p>Hello <b>Ana</b></p>"),
                "toRecipients", List.of(Map.of("emailAddress", Map.of("address", "ana@contoso.com"))));
        RecordedRequest req = sent(h.call("send-mail", Map.of("body", Map.of("message", message))));
        assertThat(body(req).at("/message/body/contentType").asString()).isEqualTo("html");
        assertThat(body(req).at("/message/body/content").asString()).isEqualTo("<p>Hello <b>Ana</b></p>");

        RecordedRequest draft = sent(h.call("create-draft-email", Map.of("body",
                Map.of("subject", "x", "body", Map.of("content", "Line one<br>line two")))));
        assertThat(body(draft).at("/body/contentType").asString()).isEqualTo("html");

        RecordedRequest prose = sent(h.call("create-draft-email", Map.of("body",
                Map.of("body", Map.of("content", "if a < b and c > d, write to <ana@contoso.com>")))));
        assertThat(body(prose).at("/body").has("contentType")).as("prose stays as Graph's default, text").isFalse();

        RecordedRequest explicit = sent(h.call("create-draft-email", Map.of("body",
                Map.of("body", Map.of("contentType", "text", "content", "<p>shown as typed</p>")))));
        assertThat(body(explicit).at("/body/contentType").asString()).as("an explicit type is kept").isEqualTo("text");
    }

    // group-post-members: POST /groups/{id}/members/$ref {"@odata.id": ".../directoryObjects/{id}"}

    @Test
    void aMemberGivenByIdBecomesADirectoryObjectReference() {
        String ref = h.graph.url() + "/v1.0/directoryObjects/4d5f1e2a-0000-4000-8000-000000000001";
        for (Object given : List.<Object>of("4d5f1e2a-0000-4000-8000-000000000001",
                Map.of("@odata.id", "4d5f1e2a-0000-4000-8000-000000000001"),
                Map.of("id", "4d5f1e2a-0000-4000-8000-000000000001"))) {
            RecordedRequest req = sent(h.call("add-group-member", Map.of("groupId", "g1", "body", given)));
            assertThat(req.toString()).isEqualTo("POST /v1.0/groups/g1/members/$ref");
            assertThat(body(req)).as("%s", given).isEqualTo(JSON.createObjectNode().put("@odata.id", ref));
        }
        RecordedRequest upn = sent(h.call("add-group-owner", Map.of("groupId", "g1", "body", "ana@contoso.com")));
        assertThat(body(upn).path("@odata.id").asString()).isEqualTo(h.graph.url() + "/v1.0/users/ana@contoso.com");

        h.graph.clearRequests();
        CallToolResult bad = h.call("add-group-member", Map.of("groupId", "g1", "body", Map.of("@odata.id", "a b?c")));
        assertThat(bad.isError()).isTrue();
        assertThat(h.graph.requests()).isEmpty();
    }

    // delta query: "copy and apply the @odata.deltaLink or @odata.nextLink URL", encoded options included

    @Test
    void aDeltaToolContinuesFromTheLinkItReturned() {
        String link = h.graph.url() + "/v1.0/me/mailFolders('inbox')/messages/delta()?%24deltatoken=abc%3D%3D&%24select=subject";
        RecordedRequest req = sent(h.call("list-mail-folder-messages-delta", Map.of("deltaLink", link)));
        assertThat(req.method()).isEqualTo("GET");
        assertThat(req.rawPath()).isEqualTo("/v1.0/me/mailFolders('inbox')/messages/delta()");
        assertThat(req.query()).containsEntry("$deltatoken", "abc==").containsEntry("$select", "subject");

        RecordedRequest calendar = sent(h.call("list-calendar-view-delta", Map.of("deltaLink",
                "https://graph.microsoft.com/v1.0/me/calendarView/delta()?$skiptoken=next1".replace(
                        "https://graph.microsoft.com", h.graph.url()))));
        assertThat(calendar.rawPath()).isEqualTo("/v1.0/me/calendarView/delta()");
        assertThat(calendar.query()).containsEntry("$skiptoken", "next1").doesNotContainKey("startDateTime");

        RecordedRequest token = sent(h.call("list-mail-folder-messages-delta", Map.of("mailFolderId", "inbox",
                "deltaLink", "abc==")));
        assertThat(token.rawPath()).isEqualTo("/v1.0/me/mailFolders/inbox/messages/delta()");
        assertThat(token.query()).containsEntry("$deltatoken", "abc==");

        RecordedRequest drive = sent(h.call("get-drive-delta", Map.of("driveId", "d1", "driveItemId", "root",
                "deltaLink", "tok1")));
        assertThat(drive.query()).containsEntry("token", "tok1");

        h.graph.clearRequests();
        CallToolResult elsewhere = h.call("list-mail-folder-messages-delta", Map.of("deltaLink",
                h.graph.url() + "/v1.0/me/messages?$top=5"));
        assertThat(elsewhere.isError()).isTrue();
        assertThat(ToolHarness.text(elsewhere)).contains("deltaLink");
        CallToolResult otherHost = h.call("list-mail-folder-messages-delta", Map.of("deltaLink",
                "https://attacker.example/v1.0/me/mailFolders/inbox/messages/delta()?$deltatoken=x"));
        assertThat(otherHost.isError()).isTrue();
        assertThat(h.graph.requests()).as("nothing sent, no token left").isEmpty();
    }

    // drive: GET /me/drive/... is the signed-in user's OneDrive

    @Test
    void driveIdMeIsTheSignedInUsersOneDrive() {
        assertThat(sent(h.call("list-folder-files", Map.of("driveId", "me", "driveItemId", "root"))).rawPath())
                .isEqualTo("/v1.0/me/drive/items/root/children");
        assertThat(sent(h.call("get-drive-item", Map.of("driveId", "me", "driveItemId", "/Docs/a b.txt"))).rawPath())
                .isEqualTo("/v1.0/me/drive/items/root:/Docs/a%20b.txt:");
        assertThat(sent(h.call("get-sharepoint-site-drive-by-id", Map.of("siteId", "s1", "driveId", "me"))).rawPath())
                .as("only /drives/{driveId} means a drive of the user").isEqualTo("/v1.0/sites/s1/drives/me");
    }

    // planner: PATCH needs If-Match with the item's @odata.etag; elsewhere the ETag is noise

    @Test
    void plannerAnswersKeepTheirEtagOtherAnswersDropIt() {
        h.graph.on("GET", "/v1.0/planner/tasks/t1", FakeResponse.ok("{\"@odata.etag\":\"W/\\\"JzEt\\\"\",\"id\":\"t1\"}"));
        h.graph.on("GET", "/v1.0/me/messages/m1", FakeResponse.ok("{\"@odata.etag\":\"W/\\\"CQAA\\\"\",\"id\":\"m1\"}"));
        assertThat(ToolHarness.text(h.call("get-planner-task", Map.of("plannerTaskId", "t1")))).contains("@odata.etag");
        assertThat(ToolHarness.text(h.call("get-mail-message", Map.of("messageId", "m1")))).isEqualTo("{\"id\":\"m1\"}");
    }
}
