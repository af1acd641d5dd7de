package dev.ms365mcp.tools.sharedmailbox;

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

/** Mailboxes and calendars shared with the user: complete, addressed by mailbox, *.Shared scopes. */
class SharedMailboxAreaTest {

    static final List<String> TOOLS = List.of("list-shared-mailbox-messages", "list-shared-mailbox-folder-messages",
            "get-shared-mailbox-message", "send-shared-mailbox-mail", "create-shared-mailbox-draft",
            "move-shared-mailbox-message", "update-shared-mailbox-message", "reply-shared-mailbox-mail",
            "reply-all-shared-mailbox-mail", "forward-shared-mailbox-mail", "create-shared-mailbox-reply-draft",
            "create-shared-mailbox-reply-all-draft", "create-shared-mailbox-forward-draft", "send-shared-mailbox-draft",
            "list-shared-calendar-events", "get-shared-calendar-view");
    private static final String BOX = "/v1.0/users/help%40contoso.com";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    @RegisterExtension
    final ToolHarness harness = new ToolHarness();

    @Test
    void everyReferenceRowOfTheAreaIsInTheCatalog() {
        List<String> expected = ParityRow.all().values().stream()
                .filter(r -> r.orgOnly() && r.path().matches("/users/\\{user-id}/(messages|mailFolders|sendMail|calendar).*"))
                .map(ParityRow::name).toList();
        assertThat(expected).containsExactlyInAnyOrderElementsOf(TOOLS);
        List<ToolDef> area = Catalog.builtIn().tools().stream().filter(t -> t.area().equals("shared-mailbox")).toList();
        assertThat(area).extracting(ToolDef::name).filteredOn(n -> !ParityRow.OURS_ONLY.contains(n))
                .containsExactlyInAnyOrderElementsOf(TOOLS);
        assertThat(area).allMatch(ToolDef::orgOnly)
                .allMatch(t -> t.scopes().stream().allMatch(s -> s.endsWith(".Shared")));
    }

    @Test
    void messagesAreReadFromTheNamedMailbox() {
        harness.graph.on("GET", BOX + "/mailFolders/inbox/messages",
                FakeResponse.ok("{\"value\":[{\"id\":\"m1\",\"subject\":\"Ticket 42\"}]}"));

        CallToolResult result = harness.call("list-shared-mailbox-folder-messages", Map.of("userId", "help@contoso.com",
                "mailFolderId", "inbox", "search", "printer", "top", 10));

        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.query()).containsEntry("$search", "\"printer\"").containsEntry("$top", "10");
        assertThat(req.header("Authorization")).isEqualTo("Bearer " + ToolHarness.TOKEN);
        assertThat(ToolHarness.text(result)).contains("Ticket 42");
    }

    @Test
    void hiddenMessagesOptionIsAcceptedThoughNotListed() {
        harness.graph.on("GET", BOX + "/messages", FakeResponse.ok("{\"value\":[]}"));
        ToolDef list = Catalog.builtIn().find("list-shared-mailbox-messages").orElseThrow();
        assertThat(list.inputSchema().path("properties").has("includeHiddenMessages")).isFalse();

        CallToolResult result = harness.call("list-shared-mailbox-messages",
                Map.of("userId", "help@contoso.com", "includeHiddenMessages", true));

        assertThat(result.isError()).isFalse();
        assertThat(harness.graph.lastRequest().query()).containsEntry("includeHiddenMessages", "true");
    }

    @Test
    void sendingFromTheSharedMailboxPostsTheMessageAndIsDestructive() {
        harness.graph.on("POST", BOX + "/sendMail", FakeResponse.accepted());
        Map<String, Object> body = Map.of("message", Map.of("subject", "Re: ticket",
                "body", Map.of("contentType", "text", "content", "Fixed."),
                "toRecipients", List.of(Map.of("emailAddress", Map.of("address", "ann@contoso.com")))),
                "saveToSentItems", true);

        CallToolResult result = harness.call("send-shared-mailbox-mail", Map.of("userId", "help@contoso.com", "body", body));

        assertThat(ToolHarness.text(result)).startsWith("Done (HTTP 202)");
        assertThat(JSON.readTree(harness.graph.lastRequest().body())).isEqualTo(JSON.valueToTree(body));
        assertThat(Catalog.builtIn().find("send-shared-mailbox-mail").orElseThrow().destructive()).isTrue();
        assertThat(Catalog.builtIn().find("create-shared-mailbox-draft").orElseThrow().destructive()).isFalse();
    }

    @Test
    void replyNeedsACommentButReplyDraftDoesNot() {
        ToolDef reply = Catalog.builtIn().find("reply-shared-mailbox-mail").orElseThrow();
        ToolDef draft = Catalog.builtIn().find("create-shared-mailbox-reply-draft").orElseThrow();
        assertThat(reply.inputSchema().path("properties").path("body").path("required").toString()).contains("comment");
        assertThat(draft.inputSchema().path("properties").path("body").has("required")).isFalse();

        harness.graph.on("POST", BOX + "/messages/m1/createReply", FakeResponse.json(201, "{\"id\":\"d1\",\"isDraft\":true}"));
        CallToolResult result = harness.call("create-shared-mailbox-reply-draft",
                Map.of("userId", "help@contoso.com", "messageId", "m1", "body", Map.of()));
        assertThat(ToolHarness.text(result)).contains("d1");
        assertThat(harness.graph.lastRequest().bodyText()).isEqualTo("{}");
    }

    @Test
    void sharedCalendarViewSendsTheWindowAndTimeZone() {
        harness.graph.on("GET", "/v1.0/users/boss%40contoso.com/calendarView",
                FakeResponse.ok("{\"value\":[{\"subject\":\"Board\"}]}"));

        CallToolResult result = harness.call("get-shared-calendar-view", Map.of("userId", "boss@contoso.com",
                "startDateTime", "2025-05-01T00:00:00", "endDateTime", "2025-05-02T00:00:00",
                "timezone", "W. Europe Standard Time", "orderby", "start/dateTime"));

        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.query()).containsEntry("startDateTime", "2025-05-01T00:00:00")
                .containsEntry("endDateTime", "2025-05-02T00:00:00").containsEntry("$orderby", "start/dateTime");
        assertThat(req.headers().get("prefer")).contains("outlook.timezone=\"W. Europe Standard Time\"");
        assertThat(ToolHarness.text(result)).contains("Board");
    }

    @Test
    void calendarViewWithoutItsWindowIsRefusedBeforeSending() {
        CallToolResult result = harness.call("get-shared-calendar-view", Map.of("userId", "boss@contoso.com",
                "endDateTime", "2025-05-02T00:00:00"));

        assertThat(result.isError()).isTrue();
        assertThat(ToolHarness.text(result)).contains("startDateTime");
        assertThat(harness.graph.requests()).isEmpty();
    }
}
