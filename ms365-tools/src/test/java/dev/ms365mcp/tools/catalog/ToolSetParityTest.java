package dev.ms365mcp.tools.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.AccountManager;
import dev.ms365mcp.auth.StaticTokenProvider;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The offered tool sets are exactly the reference's (188 in personal mode, 344 in org mode) plus our own
 * files-by-reference tools ({@link ParityRow#OURS_ONLY}: 3 in personal mode, 4 in org mode).
 */
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

    private static final List<String> OURS_PERSONAL = List.of("upload-file-from-path", "add-mail-attachment-from-path",
            "list-local-files");

    private static List<String> plus(List<String> reference, java.util.Collection<String> ours) {
        List<String> all = new java.util.ArrayList<>(reference);
        all.addAll(ours);
        return all;
    }

    @Test
    void personalModeOffersExactlyThePersonalRows() {
        List<String> expected = ParityRow.all().values().stream().filter(r -> !r.orgOnly()).map(ParityRow::name).toList();
        assertThat(expected).hasSize(188);
        assertThat(offered(false, true)).containsExactlyInAnyOrderElementsOf(plus(expected, OURS_PERSONAL));
    }

    @Test
    void orgModeOffersEveryRow() {
        assertThat(ParityRow.all().keySet()).hasSize(344).doesNotContainAnyElementsOf(ParityRow.OURS_ONLY);
        assertThat(offered(true, true)).containsExactlyInAnyOrderElementsOf(
                plus(List.copyOf(ParityRow.all().keySet()), ParityRow.OURS_ONLY.stream()
                        .filter(n -> !ParityRow.WITH_FILE_LINKS_ONLY.contains(n)).toList())).hasSize(348);
    }

    @Test
    void withoutALoginTheAccountToolsAreLeftOut() {
        List<String> expected = ParityRow.all().values().stream()
                .filter(r -> !r.orgOnly() && !(r.method().equals("LOCAL") && r.path().startsWith("(auth tool")))
                .map(ParityRow::name).toList();
        assertThat(offered(false, false)).containsExactlyInAnyOrderElementsOf(plus(expected, OURS_PERSONAL));
    }
}
