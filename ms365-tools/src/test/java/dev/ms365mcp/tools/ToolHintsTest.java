package dev.ms365mcp.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.AccountManager;
import dev.ms365mcp.auth.StaticTokenProvider;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The behaviour hints clients see tell the truth (issue 14): account tools that change the token cache are
 * not read-only, and discovery's execute-tool is hinted by what it can run.
 */
class ToolHintsTest {

    private static Map<String, ToolAnnotations> listed(UnaryOperator<ToolSettings.Builder> settings, boolean withLogin) {
        Ms365Tools.Builder b = Ms365Tools.builder()
                .settings(settings.apply(ToolSettings.defaults().toBuilder().localFiles(true)).build())
                .tokenProvider(new StaticTokenProvider("t"));
        if (withLogin) {
            b.accountManager(AccountManager.unavailable("test"));
        }
        return b.build().syncToolSpecifications().stream()
                .collect(Collectors.toMap(s -> s.tool().name(), s -> s.tool().annotations()));
    }

    private static boolean readOnly(ToolAnnotations a) {
        return Boolean.TRUE.equals(a.readOnlyHint());
    }

    @Test
    void logoutAndRemoveAccountAreDestructiveNotReadOnly() {
        Map<String, ToolAnnotations> tools = listed(s -> s, true);
        for (String name : new String[] {"logout", "remove-account"}) {
            assertThat(readOnly(tools.get(name))).as(name).isFalse();
            assertThat(tools.get(name).destructiveHint()).as(name).isTrue();
            assertThat(tools.get(name).openWorldHint()).as(name).isFalse();
        }
        assertThat(readOnly(tools.get("select-account"))).isFalse();
        assertThat(tools.get("select-account").destructiveHint()).isFalse();
        assertThat(readOnly(tools.get("list-accounts"))).isTrue();
        assertThat(readOnly(tools.get("verify-login"))).isTrue();
    }

    @Test
    void readOnlyModeStillOffersSigningOutButDoesNotCallItReadOnly() {
        // The reference lists them under --read-only (read_only_safe = yes): read-only mode guards Microsoft
        // 365 data, and a user must still be able to sign out. Only the hint changes.
        Map<String, ToolAnnotations> tools = listed(s -> s.readOnly(true), true);
        assertThat(tools).containsKeys("logout", "remove-account");
        assertThat(readOnly(tools.get("logout"))).isFalse();
        assertThat(tools).doesNotContainKey("send-mail");
    }

    @Test
    void executeToolUnderReadOnlyIsReadOnlyWhenEverythingItRunsIs() {
        ToolAnnotations a = listed(s -> s.readOnly(true).discovery(true), false).get("execute-tool");
        assertThat(readOnly(a)).isTrue();
        assertThat(a.destructiveHint()).isNull();
        assertThat(a.idempotentHint()).isNull();
    }

    @Test
    void executeToolWithWritesIsDestructiveAndNotIdempotent() {
        ToolAnnotations a = listed(s -> s.discovery(true), false).get("execute-tool");
        assertThat(readOnly(a)).isFalse();
        assertThat(a.destructiveHint()).isTrue();
        assertThat(a.idempotentHint()).as("it can send mail twice").isNull();
    }

    @Test
    void executeToolThatCanOnlyReadAndSignOutSaysSo() {
        // read-only with a login: logout is among what it runs, so it is not read-only, and it is destructive
        ToolAnnotations a = listed(s -> s.readOnly(true).discovery(true), true).get("execute-tool");
        assertThat(readOnly(a)).isFalse();
        assertThat(a.destructiveHint()).isTrue();
    }
}
