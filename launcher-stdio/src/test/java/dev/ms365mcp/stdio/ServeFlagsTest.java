package dev.ms365mcp.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.launcher.FastFlags;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast path binds the STDIO serving flags (with the shared ToolFlags mixin) exactly as picocli would, and hands everything else to picocli. */
class ServeFlagsTest {

    private static StdioMain bound(String... args) {
        StdioMain m = new StdioMain(System.out, Map.of());
        assertThat(FastFlags.bind(m.tools, args)).as("binds %s", String.join(" ", args)).isTrue();
        return m;
    }

    @Test
    void servingFlagsBindLikePicocli() {
        StdioMain fast = bound("--work-mode", "--read-only", "--preset", "mail,calendar", "--preset=tasks",
                "--enabled-tools=^list-", "--cloud", "usgov", "--toon", "-v", "--discovery");
        StdioMain slow = new StdioMain(System.out, Map.of());
        StdioMain.commandLine(System.out, Map.of());
        new picocli.CommandLine(slow).parseArgs("--work-mode", "--read-only", "--preset", "mail,calendar",
                "--preset=tasks", "--enabled-tools=^list-", "--cloud", "usgov", "--toon", "-v", "--discovery");
        assertThat(fast.tools.orgMode).isEqualTo(slow.tools.orgMode).isTrue();
        assertThat(fast.tools.readOnly).isEqualTo(slow.tools.readOnly).isTrue();
        assertThat(fast.tools.presets).isEqualTo(slow.tools.presets).containsExactly("mail", "calendar", "tasks");
        assertThat(fast.tools.enabledTools).isEqualTo(slow.tools.enabledTools).isEqualTo("^list-");
        assertThat(fast.tools.cloud).isEqualTo(slow.tools.cloud).isEqualTo("usgov");
        assertThat(fast.tools.toon).isEqualTo(slow.tools.toon);
        assertThat(fast.tools.verbose).isEqualTo(slow.tools.verbose).isTrue();
        assertThat(fast.tools.discovery).isEqualTo(slow.tools.discovery);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "--version", "--login", "--select-account=a", "--no-such-flag", "--org-mode=true",
            "--preset"})
    void everythingElseGoesToPicocli(String arg) {
        StdioMain m = new StdioMain(System.out, Map.of());
        assertThat(FastFlags.bind(m.tools, new String[] {arg})).isFalse();
        assertThat(m.tools.orgMode).isNull();
        assertThat(m.tools.presets).isNull();
    }

    @Test
    void nothingIsBoundWhenALaterArgumentFallsBack() {
        StdioMain m = new StdioMain(System.out, Map.of());
        assertThat(FastFlags.bind(m.tools, new String[] {"--org-mode", "--help"})).isFalse();
        assertThat(m.tools.orgMode).isNull();
    }
}
