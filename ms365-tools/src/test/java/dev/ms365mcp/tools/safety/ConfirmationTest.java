package dev.ms365mcp.tools.safety;

import static dev.ms365mcp.tools.safety.SafetyFixture.failed;
import static dev.ms365mcp.tools.safety.SafetyFixture.mail;
import static dev.ms365mcp.tools.safety.SafetyFixture.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.tools.execution.CallContext;
import dev.ms365mcp.tools.execution.Progress;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** MS365_MCP_REQUIRE_CONFIRM: the user is asked (elicitation) or a one-time token comes back first. */
class ConfirmationTest {

    private static final Pattern TOKEN = Pattern.compile("\"confirmationToken\": \"([A-Za-z0-9_-]+)\"");

    @RegisterExtension
    final SafetyFixture f = new SafetyFixture().configure("MS365_MCP_REQUIRE_CONFIRM", "true");

    @BeforeEach
    void routes() {
        f.graph.on("POST", "/v1.0/me/sendMail", FakeResponse.accepted());
        f.graph.on("DELETE", "/v1.0/me/messages/m1", FakeResponse.noContent());
        f.graph.on("GET", "/v1.0/me/messages", FakeResponse.ok("{\"value\":[]}"));
    }

    private static String token(CallToolResult r) {
        Matcher m = TOKEN.matcher(text(r));
        assertThat(m.find()).as(text(r)).isTrue();
        return m.group(1);
    }

    private static Map<String, Object> with(Map<String, Object> args, String token) {
        Map<String, Object> copy = new HashMap<>(args);
        copy.put("confirmationToken", token);
        return copy;
    }

    @Test
    void aDeclinedQuestionSendsNothing() {
        CallToolResult r = f.callAnswering(false, "send-mail", mail("Q3 numbers", "megan@contoso.com"));
        assertThat(failed(r)).isTrue();
        assertThat(text(r)).contains("nothing was sent");
        assertThat(f.graph.requests()).isEmpty();
        assertThat(f.asked).singleElement().satisfies(q -> assertThat(q)
                .contains("Send an email", "megan@contoso.com", "Subject: Q3 numbers").doesNotContain("The body text"));
    }

    @Test
    void anAcceptedQuestionSends() {
        CallToolResult r = f.callAnswering(true, "send-mail", mail("Q3", "megan@contoso.com"));
        assertThat(failed(r)).as(text(r)).isFalse();
        assertThat(f.graph.requests()).singleElement().satisfies(q -> assertThat(q.rawPath()).isEqualTo("/v1.0/me/sendMail"));
    }

    @Test
    void deletesAskWithTheirTarget() {
        f.callAnswering(false, "delete-mail-message", Map.of("messageId", "m1"));
        assertThat(f.asked).singleElement().satisfies(q -> assertThat(q).contains("delete-mail-message", "messageId m1"));
        assertThat(f.graph.requests()).isEmpty();
    }

    @Test
    void aReplyQuestionNamesWhoTheReplyReaches() {
        f.graph.on("GET", "/v1.0/me/messages/m1", FakeResponse.ok("{\"subject\":\"Plans\","
                + "\"from\":{\"emailAddress\":{\"address\":\"boss@contoso.com\"}}}"));
        f.callAnswering(false, "reply-mail-message", Map.of("messageId", "m1", "body", Map.of("comment", "ok")));
        assertThat(f.asked).singleElement().satisfies(q -> assertThat(q).contains("boss@contoso.com", "Subject: Plans"));
        assertThat(f.graph.requests()).allMatch(q -> q.method().equals("GET"));
    }

    @Test
    void readsAreNotAsked() {
        assertThat(failed(f.callAnswering(false, "list-mail-messages", Map.of()))).isFalse();
        assertThat(f.asked).isEmpty();
    }

    @Test
    void withoutElicitationATokenConfirmsExactlyThatCallOnce() {
        Map<String, Object> args = mail("Q3", "megan@contoso.com");
        CallToolResult first = f.call("send-mail", args);
        assertThat(failed(first)).isTrue();
        assertThat(text(first)).contains("nothing was sent", "megan@contoso.com", "Subject: Q3");
        assertThat(f.graph.requests()).isEmpty();
        String token = token(first);

        CallToolResult changed = f.call("send-mail", with(mail("Q3", "eve@contoso.com"), token));
        assertThat(failed(changed)).isTrue();
        assertThat(text(changed)).contains("another call").contains("Nothing was sent");
        assertThat(f.graph.requests()).isEmpty();

        CallToolResult otherTool = f.call("delete-mail-message", Map.of("messageId", "m1", "confirmationToken", token));
        assertThat(text(otherTool)).contains("another call");

        CallToolResult confirmed = f.call("send-mail", with(args, token));
        assertThat(failed(confirmed)).as(text(confirmed)).isFalse();
        assertThat(f.graph.requests()).hasSize(1);
        assertThat(f.graph.lastRequest().bodyText()).doesNotContain("confirmationToken");

        CallToolResult reused = f.call("send-mail", with(args, token));
        assertThat(failed(reused)).isTrue();
        assertThat(text(reused)).contains("already used");
        assertThat(f.graph.requests()).hasSize(1);
    }

    @Test
    void aTokenIsBoundToItsCaller() {
        Map<String, Object> args = mail("Q3", "megan@contoso.com");
        String token = token(f.call("send-mail", args, new CallContext("alice", Progress.NONE, "s1", null, null)));
        CallToolResult asBob = f.call("send-mail", with(args, token), new CallContext("bob", Progress.NONE, "s2", null, null));
        assertThat(text(asBob)).contains("another call");
        assertThat(f.graph.requests()).isEmpty();
    }

    @Test
    void anExpiredTokenSendsNothing() throws Exception {
        f.configure("MS365_MCP_REQUIRE_CONFIRM", "true", "MS365_MCP_CONFIRM_TOKEN_TTL", "1");
        Map<String, Object> args = mail("Q3", "megan@contoso.com");
        String token = token(f.call("send-mail", args));
        Thread.sleep(1_100);
        CallToolResult late = f.call("send-mail", with(args, token));
        assertThat(text(late)).contains("expired").contains("Nothing was sent");
        assertThat(f.graph.requests()).isEmpty();
    }

    @Test
    void aForgedTokenIsRefused() {
        Map<String, Object> args = mail("Q3", "megan@contoso.com");
        String token = token(f.call("send-mail", args));
        char[] c = token.toCharArray();
        c[c.length - 3] = c[c.length - 3] == 'A' ? 'B' : 'A';
        assertThat(text(f.call("send-mail", with(args, new String(c))))).contains("not accepted");
        assertThat(text(f.call("send-mail", with(args, "nonsense!")))).contains("not a confirmation token");
        assertThat(f.graph.requests()).isEmpty();
    }

    @Test
    void aListOfNamesAsksOnlyForThose() {
        f.configure("MS365_MCP_REQUIRE_CONFIRM", "delete-.*");
        assertThat(failed(f.call("send-mail", mail("x", "megan@contoso.com")))).isFalse();
        CallToolResult delete = f.call("delete-mail-message", Map.of("messageId", "m1"));
        assertThat(text(delete)).contains("Confirmation needed");
        assertThat(f.graph.requests()).singleElement().satisfies(q -> assertThat(q.method()).isEqualTo("POST"));
    }

    @Test
    void anOutsideRecipientIsAskedAboutWhenConfirmationIsOn() {
        f.configure("MS365_MCP_REQUIRE_CONFIRM", "true", "MS365_MCP_ALLOWED_RECIPIENT_DOMAINS", "contoso.com");
        CallToolResult r = f.callAnswering(false, "send-mail", mail("x", "eve@evil.example"));
        assertThat(failed(r)).isTrue();
        assertThat(f.asked).singleElement().satisfies(q -> assertThat(q).contains("outside the allowed domains", "eve@evil.example"));
        assertThat(f.graph.requests()).isEmpty();
    }

    @Test
    void aBatchWithOnlyReadsIsNotAskedButOneThatWritesIs() {
        f.graph.on("GET", "/v1.0/me", FakeResponse.ok("{\"id\":\"u\"}"));
        assertThat(failed(f.callAnswering(false, "graph-batch", Map.of("body", Map.of("requests",
                java.util.List.of(Map.of("id", "1", "method", "GET", "url", "/me")))))))
                .isFalse();
        assertThat(f.asked).isEmpty();
        CallToolResult write = f.callAnswering(false, "graph-batch", Map.of("body", Map.of("requests",
                java.util.List.of(Map.of("id", "1", "method", "DELETE", "url", "/me/messages/m1")))));
        assertThat(failed(write)).isTrue();
        assertThat(f.asked).hasSize(1);
        assertThat(f.graph.requests()).noneMatch(q -> q.method().equals("DELETE")).hasSize(2);
    }
}
