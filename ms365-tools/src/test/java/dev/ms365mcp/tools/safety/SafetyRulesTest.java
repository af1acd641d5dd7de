package dev.ms365mcp.tools.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ms365mcp.tools.catalog.Catalog;
import dev.ms365mcp.tools.catalog.ToolDef;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** safety.json against the catalog, step matching, and the settings' parsing. */
class SafetyRulesTest {

    private final SafetyRules rules = SafetyRules.builtIn(Catalog.builtIn().tools());

    @Test
    void everyToolNamedIsACatalogToolThatWrites() throws Exception {
        JsonNode data = JsonMapper.shared().readTree(SafetyRules.class.getResourceAsStream(SafetyRules.RESOURCE));
        Map<String, ToolDef> catalog = Catalog.builtIn().tools().stream().collect(Collectors.toMap(ToolDef::name, t -> t));
        int named = 0;
        for (JsonNode rule : data.path("outbound")) {
            for (JsonNode name : rule.path("tools")) {
                named++;
                assertThat(catalog).as("safety.json names a catalog tool").containsKey(name.asString());
                assertThat(catalog.get(name.asString()).readOnly()).as(name.asString()).isFalse();
            }
        }
        assertThat(rules.outboundTools()).hasSize(named);
    }

    @Test
    void theToolsTheIssueNamesAreOutbound() {
        assertThat(rules.outboundTools()).contains("send-mail", "reply-all-mail-message", "forward-mail-message",
                "create-calendar-event", "share-drive-item", "create-drive-item-share-link", "send-chat-message",
                "create-mail-rule", "send-channel-message");
    }

    @Test
    void batchStepsMatchByTheEndOfTheirPath() {
        assertThat(rules.match("POST", "/me/sendMail").tool()).isEqualTo("send-mail");
        assertThat(rules.match("POST", "/users/x@contoso.com/sendMail").tool()).isEqualTo("send-shared-mailbox-mail");
        assertThat(rules.match("POST", "/me/mailFolders/inbox/messages/AAA/replyAll").tool()).isEqualTo("reply-all-mail-message");
        assertThat(rules.match("POST", "/groups/g/calendar/events").tool()).isEqualTo("create-calendar-event");
        assertThat(rules.match("POST", "/chats/19%3Aa%40thread.v2/messages").pathValues()).containsEntry("chatId", "19:a@thread.v2");
        assertThat(rules.match("POST", "/chats/c/messages/m/replies").tool()).isEqualTo("reply-to-chat-message");
        assertThat(rules.match("POST", "/me/microsoft.graph.forward")).isNull();
        assertThat(rules.match("GET", "/me/sendMail")).isNull();
        assertThat(rules.match("POST", "/me/messages")).isNull();
    }

    @Test
    void relativeAndTemplateLookups() {
        assertThat(SafetyGate.resolve("/me/messages/A%2FB/reply", "..", Map.of())).isEqualTo("/me/messages/A%2FB");
        assertThat(SafetyGate.resolve("/chats/x/messages", "/chats/{chatId}/members", Map.of("chatId", "19:a b")))
                .isEqualTo("/chats/19%3Aa%20b/members");
    }

    @Test
    void settingsFromTheEnvironment() {
        SafetySettings s = SafetySettings.fromEnv(Map.of("MS365_MCP_REQUIRE_CONFIRM", "send-mail, delete-.*",
                "MS365_MCP_ALLOWED_RECIPIENT_DOMAINS", "Contoso.com @contoso.de", "MS365_MCP_AUDIT_LOG", "stream"), Path.of("/l"));
        assertThat(s.confirmRisky()).isFalse();
        assertThat(s.confirms("send-mail")).isTrue();
        assertThat(s.confirms("DELETE-mail-message")).isTrue();
        assertThat(s.confirms("send-mail-x")).isFalse();
        assertThat(s.allowedDomains()).containsExactlyInAnyOrder("contoso.com", "contoso.de");
        assertThat(s.audit()).isEqualTo(SafetySettings.AuditSink.STREAM);
        assertThat(SafetySettings.fromEnv(Map.of(), Path.of("/l"))).satisfies(off -> {
            assertThat(off.confirmRisky()).isFalse();
            assertThat(off.audit()).isEqualTo(SafetySettings.AuditSink.OFF);
            assertThat(off.allowedDomains()).isEmpty();
        });
        assertThatThrownBy(() -> SafetySettings.fromEnv(Map.of("MS365_MCP_ALLOWED_RECIPIENT_DOMAINS", "contoso"), null))
                .hasMessageContaining("not a domain");
        assertThatThrownBy(() -> SafetySettings.fromEnv(Map.of("MS365_MCP_AUDIT_LOG", "maybe"), null))
                .hasMessageContaining("MS365_MCP_AUDIT_LOG");
        assertThatThrownBy(() -> SafetySettings.fromEnv(Map.of("MS365_MCP_REQUIRE_CONFIRM", "send-(mail"), null))
                .hasMessageContaining("MS365_MCP_REQUIRE_CONFIRM");
    }
}
