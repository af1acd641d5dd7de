package dev.ms365mcp.tools.teams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.tools.catalog.Catalog;
import dev.ms365mcp.tools.catalog.ParityRow;
import dev.ms365mcp.tools.catalog.ToolDef;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The teams area holds every Teams chat/channel/team row of the reference, org mode only, within budget. */
class TeamsAreaTest {

    static final List<String> TOOLS = List.of("list-chats", "get-chat", "list-chat-members", "list-chat-messages",
            "get-chat-message", "update-chat-message", "list-chat-message-hosted-contents", "send-chat-message",
            "list-joined-teams", "list-custom-emojis", "create-custom-emoji", "get-team", "list-team-channels",
            "get-team-channel", "create-team-channel", "update-team-channel", "delete-team-channel",
            "list-channel-messages", "get-channel-message", "update-channel-message",
            "list-channel-message-hosted-contents", "send-channel-message", "reply-to-channel-message",
            "list-channel-message-replies", "update-channel-message-reply", "add-team-member", "remove-team-member",
            "list-channel-tabs", "set-channel-message-reaction", "unset-channel-message-reaction", "list-team-members",
            "get-channel-files-folder", "list-chat-message-replies", "reply-to-chat-message",
            "set-chat-message-reaction", "unset-chat-message-reaction", "list-pinned-chat-messages", "pin-chat-message",
            "unpin-chat-message", "create-chat", "list-my-associated-teams", "list-my-installed-teams-apps",
            "send-my-activity-notification");

    @Test
    void everyTeamsRowOfTheReferenceIsInTheTeamsArea() {
        List<ParityRow> rows = ParityRow.named(TOOLS);
        assertThat(rows).hasSize(43).allMatch(ParityRow::orgOnly);
        Map<String, String> areaOf = Catalog.builtIn().tools().stream()
                .collect(Collectors.toMap(ToolDef::name, ToolDef::area));
        rows.forEach(r -> assertThat(areaOf.get(r.name())).as(r.name()).isEqualTo("teams"));
        assertThat(Catalog.builtIn().tools().stream().filter(t -> t.area().equals("teams")).map(ToolDef::name))
                .containsExactlyInAnyOrderElementsOf(TOOLS);
    }

    @Test
    void everyToolThatReadsOrWritesMessagesIsMarked() {
        List<String> marked = Catalog.builtIn().tools().stream().filter(t -> "teams".equals(t.messages()))
                .map(ToolDef::name).toList();
        assertThat(marked).containsExactlyInAnyOrder("list-chats", "get-chat", "list-chat-messages", "get-chat-message", "update-chat-message",
                "send-chat-message", "list-channel-messages", "get-channel-message", "update-channel-message",
                "send-channel-message", "reply-to-channel-message", "list-channel-message-replies",
                "update-channel-message-reply", "list-chat-message-replies", "reply-to-chat-message",
                "list-pinned-chat-messages");
    }

    @Test
    void sendsAreMarkedDestructive() {
        Catalog.builtIn().tools().stream().filter(t -> t.area().equals("teams"))
                .filter(t -> t.name().startsWith("send-") || t.name().startsWith("reply-") || t.name().startsWith("delete-")
                        || t.name().startsWith("remove-") || t.name().startsWith("unpin-"))
                .forEach(t -> assertThat(t.destructive()).as(t.name()).isTrue());
    }

}
