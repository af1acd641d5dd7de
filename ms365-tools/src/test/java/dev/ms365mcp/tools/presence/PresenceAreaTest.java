package dev.ms365mcp.tools.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.tools.catalog.Catalog;
import dev.ms365mcp.tools.catalog.ParityRow;
import dev.ms365mcp.tools.catalog.ToolDef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The presence area holds every presence row of the reference. */
class PresenceAreaTest {

    static final List<String> TOOLS = List.of("get-my-presence", "get-user-presence", "get-presences-by-user-id",
            "set-my-presence", "clear-my-presence", "set-my-user-preferred-presence",
            "clear-my-user-preferred-presence", "set-my-status-message");

    @Test
    void everyPresenceRowOfTheReferenceIsInThePresenceArea() {
        assertThat(ParityRow.named(TOOLS)).hasSize(8).allMatch(ParityRow::orgOnly);
        assertThat(Catalog.builtIn().tools().stream().filter(t -> t.area().equals("presence")).map(ToolDef::name))
                .containsExactlyInAnyOrderElementsOf(TOOLS);
    }

}
