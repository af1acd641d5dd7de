package dev.ms365mcp.tools.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.AccountManager;
import dev.ms365mcp.auth.StaticTokenProvider;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The offered tool sets are exactly the reference's: 188 in personal mode, 344 in org mode. */
class ToolSetParityTest {

    private static List<String> offered(boolean orgMode, boolean withLogin) {
        Ms365Tools.Builder b = Ms365Tools.builder()
                .settings(ToolSettings.defaults().toBuilder().orgMode(orgMode).localFiles(true).build())
                .tokenProvider(new StaticTokenProvider("t"));
        if (withLogin) {
            b.accountManager(AccountManager.unavailable("test"));
        }
        return b.build().tools().stream().map(ToolDef::name).toList();
    }

    @Test
    void personalModeOffersExactlyThePersonalRows() {
        List<String> expected = ParityRow.all().values().stream().filter(r -> !r.orgOnly()).map(ParityRow::name).toList();
        assertThat(expected).hasSize(188);
        assertThat(offered(false, true)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void orgModeOffersEveryRow() {
        assertThat(offered(true, true)).containsExactlyInAnyOrderElementsOf(ParityRow.all().keySet()).hasSize(344);
    }

    @Test
    void withoutALoginTheAccountToolsAreLeftOut() {
        List<String> expected = ParityRow.all().values().stream()
                .filter(r -> !r.orgOnly() && !(r.method().equals("LOCAL") && r.path().startsWith("(auth tool")))
                .map(ParityRow::name).toList();
        assertThat(offered(false, false)).containsExactlyInAnyOrderElementsOf(expected);
    }
}
