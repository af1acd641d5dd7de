package dev.ms365mcp.tools.safety;

import static dev.ms365mcp.tools.safety.SafetyFixture.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.tools.execution.CallContext;
import dev.ms365mcp.tools.execution.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** MS365_MCP_AUDIT_LOG: one JSON line per call, no token, no body; MS365_MCP_REDACT_PII: no addresses. */
class AuditLogTest {

    @RegisterExtension
    final SafetyFixture f = new SafetyFixture();

    @TempDir
    Path dir;

    private List<JsonNode> lines() throws Exception {
        return Files.readAllLines(dir.resolve("audit.log")).stream().map(l -> JsonMapper.shared().readTree(l)).toList();
    }

    private void threeCalls() {
        f.graph.on("POST", "/v1.0/me/sendMail", FakeResponse.accepted());
        f.graph.on("GET", "/v1.0/me/messages/m1", FakeResponse.ok("{\"id\":\"m1\",\"subject\":\"Secret plans\"}"));
        f.call("send-mail", mail("Secret plans", "megan@contoso.com"));
        f.call("get-mail-message", Map.of("messageId", "m1"));
        f.call("send-mail", mail("Other", "eve@evil.example"));
    }

    @Test
    void oneLinePerCallWithoutTokensOrBodies() throws Exception {
        f.configure(dir, false, "MS365_MCP_AUDIT_LOG", "true", "MS365_MCP_ALLOWED_RECIPIENT_DOMAINS", "contoso.com");
        threeCalls();
        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(3);
        JsonNode sent = lines.get(0);
        assertThat(sent.path("tool").asString()).isEqualTo("send-mail");
        assertThat(sent.path("method").asString()).isEqualTo("POST");
        assertThat(sent.path("path").asString()).isEqualTo("/v1.0/me/sendMail");
        assertThat(sent.path("outcome").asString()).isEqualTo("ok");
        assertThat(sent.path("recipients").toString()).contains("megan@contoso.com");
        assertThat(sent.has("time")).isTrue();
        assertThat(sent.has("durationMs")).isTrue();
        assertThat(lines.get(1).path("targets").path("messageId").asString()).isEqualTo("m1");
        assertThat(lines.get(2).path("outcome").asString()).isEqualTo("refused");
        String all = Files.readString(dir.resolve("audit.log"));
        assertThat(all).doesNotContain(SafetyFixture.TOKEN, "Secret plans", "The body text", "Bearer");
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("audit.log"))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void redactionRemovesAddressesAndNames() throws Exception {
        f.configure(dir, false, "MS365_MCP_AUDIT_LOG", "true", "MS365_MCP_REDACT_PII", "true");
        f.graph.on("GET", "/v1.0/users/jane.doe@contoso.com/messages", FakeResponse.ok("{\"value\":[]}"));
        threeCalls();
        f.call("list-shared-mailbox-messages", Map.of("userId", "jane.doe@contoso.com"));
        String all = Files.readString(dir.resolve("audit.log"));
        assertThat(lines()).hasSize(4);
        assertThat(all).doesNotContain("@").doesNotContain(System.getProperty("user.name") + "\"")
                .contains("recipientDomains", "contoso.com");
    }

    @Test
    void aCallersIdIsHashedAndConfirmationsAreRecorded() throws Exception {
        f.configure(dir, false, "MS365_MCP_AUDIT_LOG", "true", "MS365_MCP_REQUIRE_CONFIRM", "true");
        f.call("send-mail", mail("x", "megan@contoso.com"), new CallContext("user-key-123", Progress.NONE, "sess", null, null));
        f.callAnswering(false, "delete-mail-message", Map.of("messageId", "m1"));
        List<JsonNode> lines = lines();
        assertThat(lines.get(0).path("user").asString()).startsWith("sha256:");
        assertThat(lines.get(0).path("confirmation").asString()).isEqualTo("token issued");
        assertThat(lines.get(0).path("outcome").asString()).isEqualTo("confirmation required");
        assertThat(lines.get(1).path("confirmation").asString()).isEqualTo("declined by the user");
        assertThat(Files.readString(dir.resolve("audit.log"))).doesNotContain("user-key-123", "sess\"");
    }

    @Test
    void executeToolIsOneLineNamingTheToolItRan() throws Exception {
        f.configure(dir, true, "MS365_MCP_AUDIT_LOG", "true");
        f.graph.on("GET", "/v1.0/me/messages/m1", FakeResponse.ok("{\"id\":\"m1\"}"));
        f.call("execute-tool", Map.of("name", "get-mail-message", "arguments", Map.of("messageId", "m1")));
        f.call("search-tools", Map.of("query", "mail"));
        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).path("tool").asString()).isEqualTo("execute-tool");
        assertThat(lines.get(0).path("runs").asString()).isEqualTo("get-mail-message");
        assertThat(lines.get(1).path("tool").asString()).isEqualTo("search-tools");
    }

    @Test
    void theFileRotatesBySize() throws Exception {
        AuditLog log = new AuditLog(SafetySettings.AuditSink.FILE, dir, false, 600);
        for (int i = 0; i < 20; i++) {
            log.write(new AuditEntry("tool-" + i), null, null);
        }
        assertThat(Files.size(dir.resolve("audit.log"))).isLessThanOrEqualTo(600);
        assertThat(dir.resolve("audit.log.1")).exists();
        assertThat(Files.list(dir).count()).isLessThanOrEqualTo(AuditLog.KEEP + 1);
    }

    @Test
    void offWritesNothing() {
        f.configure(dir, false);
        threeCalls();
        assertThat(dir.resolve("audit.log")).doesNotExist();
    }
}
