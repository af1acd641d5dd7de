package dev.ms365mcp.tools.safety;

import static dev.ms365mcp.tools.safety.SafetyFixture.failed;
import static dev.ms365mcp.tools.safety.SafetyFixture.mail;
import static dev.ms365mcp.tools.safety.SafetyFixture.text;
import static dev.ms365mcp.tools.safety.SafetyFixture.to;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** MS365_MCP_ALLOWED_RECIPIENT_DOMAINS: every outbound path is checked before anything is sent. */
class RecipientGuardTest {

    @RegisterExtension
    final SafetyFixture f = new SafetyFixture().configure("MS365_MCP_ALLOWED_RECIPIENT_DOMAINS", "contoso.com,contoso.de");

    private void assertRefusedAndNothingSent(CallToolResult r, String who) {
        assertThat(failed(r)).as(text(r)).isTrue();
        assertThat(text(r)).contains(who).contains("Nothing was sent").contains("contoso.com");
        assertThat(f.graph.requests()).as("requests to Graph").noneMatch(q -> !q.method().equals("GET"));
    }

    @Test
    void sendMailToAnOutsideAddressIsRefused() {
        assertRefusedAndNothingSent(f.call("send-mail", mail("Q3", "megan@contoso.com", "eve@evil.example")),
                "eve@evil.example");
        assertThat(f.graph.requests()).isEmpty();
    }

    @Test
    void ccAndBccCountToo() {
        Map<String, Object> message = new HashMap<>(to("toRecipients", "megan@contoso.com"));
        message.putAll(to("bccRecipients", "Eve@Evil.Example"));
        assertRefusedAndNothingSent(f.call("send-mail", Map.of("body", Map.of("message", message))), "eve@evil.example");
    }

    @Test
    void aBodySentAsJsonTextIsCheckedAsWell() {
        String body = "{\"message\":{\"subject\":\"x\",\"toRecipients\":[{\"emailAddress\":{\"address\":\"eve@evil.example\"}}]}}";
        assertRefusedAndNothingSent(f.call("send-mail", Map.of("body", body)), "eve@evil.example");
    }

    @Test
    void insideAddressesAndSubdomainsAreSent() {
        f.graph.on("POST", "/v1.0/me/sendMail", FakeResponse.accepted());
        CallToolResult r = f.call("send-mail", mail("Q3", "megan@contoso.com", "jo@eu.contoso.de"));
        assertThat(failed(r)).as(text(r)).isFalse();
        assertThat(f.graph.lastRequest().rawPath()).isEqualTo("/v1.0/me/sendMail");
    }

    @Test
    void aLookalikeDomainIsOutside() {
        assertRefusedAndNothingSent(f.call("send-mail", mail("x", "a@contoso.com.evil.example")), "contoso.com.evil.example");
        assertRefusedAndNothingSent(f.call("send-mail", mail("x", "a@notcontoso.com")), "a@notcontoso.com");
    }

    @Test
    void replyAllIsCheckedAgainstTheOriginalMessagesRecipients() {
        f.graph.on("GET", "/v1.0/me/messages/m1", FakeResponse.ok("{\"id\":\"m1\",\"subject\":\"Plans\","
                + "\"from\":{\"emailAddress\":{\"address\":\"boss@contoso.com\"}},"
                + "\"toRecipients\":[{\"emailAddress\":{\"address\":\"me@contoso.com\"}}],"
                + "\"ccRecipients\":[{\"emailAddress\":{\"address\":\"partner@outside.example\"}}]}"));
        CallToolResult r = f.call("reply-all-mail-message", Map.of("messageId", "m1", "body", Map.of("comment", "ok")));
        assertRefusedAndNothingSent(r, "partner@outside.example");
        assertThat(f.graph.requests()).singleElement().satisfies(q -> {
            assertThat(q.rawPath()).isEqualTo("/v1.0/me/messages/m1");
            assertThat(q.query().get("$select")).contains("ccRecipients");
        });
    }

    @Test
    void replyAllWithAnAddedOutsideRecipientIsRefused() {
        f.graph.on("GET", "/v1.0/me/messages/m1", FakeResponse.ok("{\"from\":{\"emailAddress\":{\"address\":\"a@contoso.com\"}}}"));
        CallToolResult r = f.call("reply-all-mail-message", Map.of("messageId", "m1",
                "body", Map.of("comment", "ok", "message", to("toRecipients", "eve@evil.example"))));
        assertRefusedAndNothingSent(r, "eve@evil.example");
    }

    @Test
    void aReplyInsideIsSent() {
        f.graph.on("GET", "/v1.0/me/messages/m1", FakeResponse.ok("{\"from\":{\"emailAddress\":{\"address\":\"a@contoso.com\"}}}"));
        f.graph.on("POST", "/v1.0/me/messages/m1/replyAll", FakeResponse.accepted());
        CallToolResult r = f.call("reply-all-mail-message", Map.of("messageId", "m1", "body", Map.of("comment", "ok")));
        assertThat(failed(r)).as(text(r)).isFalse();
        assertThat(f.graph.lastRequest().rawPath()).isEqualTo("/v1.0/me/messages/m1/replyAll");
    }

    @Test
    void aMessageThatCannotBeReadIsNotRepliedTo() {
        CallToolResult r = f.call("reply-mail-message", Map.of("messageId", "gone", "body", Map.of("comment", "ok")));
        assertThat(failed(r)).isTrue();
        assertThat(text(r)).contains("could not check").contains("Nothing was sent");
        assertThat(f.graph.requests()).allMatch(q -> q.method().equals("GET"));
    }

    @Test
    void forwardIsRefused() {
        assertRefusedAndNothingSent(f.call("forward-mail-message", Map.of("messageId", "m1",
                "body", Map.of("comment", "fyi", "toRecipients", List.of(Map.of("emailAddress",
                        Map.of("address", "drop@exfil.example", "name", "Drop")))))), "drop@exfil.example");
    }

    @Test
    void sendingADraftChecksTheDraftsRecipients() {
        f.graph.on("GET", "/v1.0/me/messages/d1", FakeResponse.ok("{\"subject\":\"x\",\"toRecipients\":[],"
                + "\"bccRecipients\":[{\"emailAddress\":{\"address\":\"eve@evil.example\"}}]}"));
        assertRefusedAndNothingSent(f.call("send-draft-message", Map.of("messageId", "d1")), "eve@evil.example");
    }

    @Test
    void meetingInvitationsAreRefused() {
        assertRefusedAndNothingSent(f.call("create-calendar-event", Map.of("body", Map.of("subject", "Sync",
                "start", Map.of("dateTime", "2026-12-01T10:00:00", "timeZone", "UTC"),
                "end", Map.of("dateTime", "2026-12-01T10:30:00", "timeZone", "UTC"),
                "attendees", List.of(Map.of("emailAddress", Map.of("address", "guest@other.example"), "type", "required"))))),
                "guest@other.example");
    }

    @Test
    void sharingInvitationsAndAnonymousLinksAreRefused() {
        assertRefusedAndNothingSent(f.call("share-drive-item", Map.of("driveId", "d", "driveItemId", "i",
                "body", Map.of("recipients", List.of(Map.of("email", "x@gmail.com")), "roles", List.of("read")))),
                "x@gmail.com");
        assertRefusedAndNothingSent(f.call("create-drive-item-share-link", Map.of("driveId", "d", "driveItemId", "i",
                "body", Map.of("type", "view", "scope", "anonymous"))), "anyone with the link");
        assertRefusedAndNothingSent(f.call("create-drive-item-share-link", Map.of("driveId", "d", "driveItemId", "i",
                "body", Map.of("type", "view", "scope", "users", "recipients", List.of(Map.of("email", "x@gmail.com"))))),
                "x@gmail.com");
    }

    @Test
    void aRecipientWithoutAnAddressCannotBeCheckedAndIsRefused() {
        CallToolResult r = f.call("share-drive-item", Map.of("driveId", "d", "driveItemId", "i",
                "body", Map.of("recipients", List.of(Map.of("objectId", "7f0c-guid")), "roles", List.of("read"))));
        assertRefusedAndNothingSent(r, "7f0c-guid");
        assertThat(text(r)).contains("cannot be checked");
    }

    @Test
    void mailRulesThatForwardOutsideAreRefused() {
        assertRefusedAndNothingSent(f.call("create-mail-rule", Map.of("mailFolderId", "inbox", "body", Map.of(
                "displayName", "r", "sequence", 1, "actions", to("forwardTo", "collector@exfil.example")))),
                "collector@exfil.example");
    }

    @Test
    void teamsChatsWithOutsideMembersAreRefused() {
        f.graph.on("GET", "/v1.0/chats/19%3Aabc%40thread.v2/members", FakeResponse.ok("{\"value\":["
                + "{\"displayName\":\"Me\",\"email\":\"me@contoso.com\"},"
                + "{\"displayName\":\"Guest\",\"email\":\"guest@partner.example\"}]}"));
        assertRefusedAndNothingSent(f.call("send-chat-message", Map.of("chatId", "19:abc@thread.v2", "body", "hello")),
                "guest@partner.example");
        assertRefusedAndNothingSent(f.call("create-chat", Map.of("body", Map.of("chatType", "oneOnOne", "members", List.of(
                Map.of("user@odata.bind", "https://graph.microsoft.com/v1.0/users('me@contoso.com')"),
                Map.of("user@odata.bind", "https://graph.microsoft.com/v1.0/users('x@partner.example')"))))),
                "x@partner.example");
    }

    @Test
    void aChatOfInsideMembersGetsTheMessage() {
        f.graph.on("GET", "/v1.0/chats/c1/members", FakeResponse.ok("{\"value\":[{\"email\":\"me@contoso.com\"}]}"));
        f.graph.on("POST", "/v1.0/chats/c1/messages", FakeResponse.json(201, "{\"id\":\"1\"}"));
        CallToolResult r = f.call("send-chat-message", Map.of("chatId", "c1", "body", "hello"));
        assertThat(failed(r)).as(text(r)).isFalse();
        assertThat(f.graph.lastRequest().method()).isEqualTo("POST");
    }

    @Test
    void batchStepsAreCheckedHoweverTheyAreWritten() {
        for (String url : List.of("/me/sendMail", "/v1.0/me/microsoft.graph.sendMail", "/users/me@contoso.com/sendMail",
                "/me/./SENDMAIL")) {
            CallToolResult r = f.call("graph-batch", Map.of("body", Map.of("requests", List.of(
                    Map.of("id", "1", "method", "GET", "url", "/me"),
                    Map.of("id", "2", "method", "POST", "url", url, "body", mail("x", "eve@evil.example").get("body"))))));
            assertRefusedAndNothingSent(r, "eve@evil.example");
        }
        CallToolResult forward = f.call("graph-batch", Map.of("body", Map.of("requests", List.of(Map.of("id", "1",
                "method", "POST", "url", "/me/mailFolders/inbox/messages/m1/forward",
                "body", to("toRecipients", "eve@evil.example"))))));
        assertRefusedAndNothingSent(forward, "eve@evil.example");
        assertThat(f.graph.requests()).isEmpty();
    }

    @Test
    void executeToolInDiscoveryModeIsChecked() {
        f.configure(null, true, "MS365_MCP_ALLOWED_RECIPIENT_DOMAINS", "contoso.com");
        assertRefusedAndNothingSent(f.call("execute-tool", Map.of("name", "send-mail",
                "arguments", mail("x", "eve@evil.example"))), "eve@evil.example");
        assertThat(f.graph.requests()).isEmpty();
    }

    @Test
    void withoutTheGuardOutsideAddressesAreSent() {
        f.configure();
        f.graph.on("POST", "/v1.0/me/sendMail", FakeResponse.accepted());
        assertThat(failed(f.call("send-mail", mail("x", "eve@evil.example")))).isFalse();
        assertThat(f.graph.requests()).hasSize(1);
    }
}
