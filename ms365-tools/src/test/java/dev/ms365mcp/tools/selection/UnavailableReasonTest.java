package dev.ms365mcp.tools.selection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.StaticTokenProvider;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolSettings;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** What the model is told when it calls a tool that is not listed: the real reason, not "unknown tool". */
class UnavailableReasonTest {

    private static Ms365Tools tools(UnaryOperator<ToolSettings.Builder> settings) {
        return Ms365Tools.builder().settings(settings.apply(ToolSettings.defaults().toBuilder()).build())
                .tokenProvider(new StaticTokenProvider("t")).build();
    }

    @Test
    void aWriteToolUnderReadOnlyIsHiddenBecauseOfReadOnly() {
        String why = tools(s -> s.readOnly(true)).unavailableReason("send-mail");
        assertThat(why).contains("'send-mail'", "runs read-only", "--read-only").doesNotContain("Unknown");
    }

    @Test
    void anOrgToolInPersonalModeNamesOrgMode() {
        String why = tools(s -> s).unavailableReason("list-chats");
        assertThat(why).contains("'list-chats'", "--org-mode").doesNotContain("read-only");
    }

    @Test
    void aListedToolHasNoReasonAndAnUnknownNameIsSaidToBeUnknown() {
        Ms365Tools tools = tools(s -> s.readOnly(true));
        assertThat(tools.unavailableReason("list-mail-messages")).isNull();
        assertThat(tools.unavailableReason("invalid_tool_name")).startsWith("Unknown tool 'invalid_tool_name'");
    }

    @Test
    void callingAHiddenToolByNameGivesTheSameReason() {
        var result = tools(s -> s.readOnly(true)).call("send-mail", java.util.Map.of());
        assertThat(result.isError()).isTrue();
        assertThat(result.content().toString()).contains("runs read-only");
    }
}
