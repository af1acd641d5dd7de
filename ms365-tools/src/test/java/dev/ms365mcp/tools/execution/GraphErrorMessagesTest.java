package dev.ms365mcp.tools.execution;

import static dev.ms365mcp.tools.ToolHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.tools.ToolHarness;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Graph errors come back as isError results naming Graph's code and message, and what to do. */
class GraphErrorMessagesTest {

    private static final String PATH = "/v1.0/me/messages/m1";
    private ToolHarness h;

    @BeforeEach
    void start() {
        h = new ToolHarness();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private String failWith(FakeResponse response) {
        h.graph.on("GET", PATH, response);
        CallToolResult r = h.call("get-mail-message", Map.of("messageId", "m1"));
        assertThat(r.isError()).isTrue();
        return text(r);
    }

    @Test
    void unauthorizedSaysToSignInAgain() {
        assertThat(failWith(FakeResponse.error(401, "InvalidAuthenticationToken", "Access token has expired.")))
                .contains("401 InvalidAuthenticationToken: Access token has expired.", "Sign in again", "--login");
    }

    @Test
    void forbiddenNamesTheScopeTheToolNeeds() {
        assertThat(failWith(FakeResponse.error(403, "ErrorAccessDenied", "Access is denied.")))
                .contains("403 ErrorAccessDenied", "Mail.Read", "consent").doesNotContain("administrator");
    }

    @Test
    void forbiddenOnAWorkScopeSaysOrgModeAndAdminConsent() {
        h.graph.on("GET", "/v1.0/me/chats", FakeResponse.error(403, "Forbidden", "Missing scope permissions."));
        CallToolResult r = h.call("list-chats", Map.of());
        assertThat(text(r)).contains("403 Forbidden", "Chat.ReadBasic", "work scope", "--org-mode", "administrator's consent");
    }

    @Test
    void notFoundSaysToCheckTheId() {
        assertThat(failWith(FakeResponse.error(404, "ErrorItemNotFound", "The specified object was not found.")))
                .contains("404 ErrorItemNotFound", "Check the ID");
    }

    @Test
    void badRequestPassesGraphsExplanationOn() {
        assertThat(failWith(FakeResponse.error(400, "BadRequest", "Invalid filter clause")))
                .contains("400 BadRequest: Invalid filter clause", "arguments");
    }

    @Test
    void aBodyThatIsNotGraphJsonStillGivesTheStatus() {
        assertThat(failWith(FakeResponse.bytes(502, "text/html", "<html>Bad gateway</html>".getBytes())))
                .contains("502", "Try again later").doesNotContain("<html>");
    }

    @Test
    void anUnreachableGraphIsAnErrorResultNotACrash() {
        h.close();
        CallToolResult r = h.call("get-mail-message", Map.of("messageId", "m1"));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("Could not reach Microsoft Graph at 127.0.0.1");
    }
}
