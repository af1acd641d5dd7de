package dev.ms365mcp.tools.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ms365mcp.auth.AccessToken;
import dev.ms365mcp.auth.TokenProvider;
import dev.ms365mcp.auth.TokenRequest;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolSettings;
import dev.ms365mcp.tools.catalog.ToolDef;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;

/** Presets, ENABLED_TOOLS, allowed scopes, org mode and app-only tokens decide what is offered. */
class ToolSelectionTest {

    private static List<String> offered(UnaryOperator<ToolSettings.Builder> settings) {
        return offered(settings, false);
    }

    private static List<String> offered(UnaryOperator<ToolSettings.Builder> settings, boolean appOnly) {
        TokenProvider tokens = new TokenProvider() {
            @Override
            public AccessToken token(TokenRequest request) {
                return new AccessToken("t", null);
            }

            @Override
            public boolean appOnly() {
                return appOnly;
            }
        };
        return Ms365Tools.builder().settings(settings.apply(ToolSettings.defaults().toBuilder()).build())
                .tokenProvider(tokens).build().tools().stream().map(ToolDef::name).toList();
    }

    @Test
    void theReferencesSixteenPresetsExist() {
        assertThat(Preset.all().keySet()).containsExactlyInAnyOrder("mail", "calendar", "files", "personal", "work",
                "excel", "contacts", "tasks", "onenote", "search", "users", "outlook", "onedrive", "teams",
                "teams-write", "all");
    }

    @Test
    void presetsCompose() {
        List<String> tools = offered(s -> s.presets(Preset.parse("mail,calendar")));
        assertThat(tools).contains("send-mail", "list-calendar-events").doesNotContain("list-folder-files", "list-todo-tasks");
        assertThat(offered(s -> s.presets(Preset.parse("tasks")))).contains("list-todo-tasks", "create-planner-task")
                .doesNotContain("send-mail");
    }

    @Test
    void theTeamsPresetReadsAndTeamsWriteSends() {
        List<String> read = offered(s -> s.orgMode(true).presets(Preset.parse("teams")));
        assertThat(read).contains("list-chat-messages").doesNotContain("send-chat-message");
        assertThat(offered(s -> s.orgMode(true).presets(Preset.parse("teams-write")))).contains("send-chat-message");
    }

    @Test
    void workPresetsNeedOrgMode() {
        assertThat(offered(s -> s.presets(Preset.parse("work")))).doesNotContain("list-chats");
        assertThat(offered(s -> s.orgMode(true).presets(Preset.parse("work")))).contains("list-chats");
    }

    @Test
    void enabledToolsWinsOverPresets() {
        List<String> tools = offered(s -> s.presets(Preset.parse("calendar")).enabledTools(Pattern.compile("mail-message",
                Pattern.CASE_INSENSITIVE)));
        assertThat(tools).contains("get-mail-message").doesNotContain("list-calendar-events");
    }

    @Test
    void anUnknownPresetNamesTheKnownOnes() {
        assertThatThrownBy(() -> Preset.parse("mail,emails")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown preset 'emails'").hasMessageContaining("mail, calendar");
    }

    @Test
    void allowedScopesHideWhatTheyDoNotCover() {
        List<String> tools = offered(s -> s.orgMode(true).allowedScopes(Set.of("Mail.ReadWrite", "User.Read")));
        assertThat(tools).contains("list-mail-messages", "update-mail-message", "get-current-user")
                .doesNotContain("send-mail", "list-calendar-events", "list-shared-mailbox-messages", "list-chats");
    }

    @Test
    void alternativeScopesCount() {
        // Files.Read | Sites.Selected: either set suffices.
        assertThat(offered(s -> s.allowedScopes(Set.of("Sites.Selected")))).contains("get-drive-item");
    }

    @Test
    void appOnlyTokensHideMeTools() {
        List<String> tools = offered(s -> s.orgMode(true), true);
        assertThat(tools).contains("list-shared-mailbox-messages", "list-users").doesNotContain("list-mail-messages",
                "get-current-user");
    }
}
