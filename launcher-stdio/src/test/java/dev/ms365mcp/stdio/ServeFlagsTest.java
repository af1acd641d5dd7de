package dev.ms365mcp.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast path binds serving flags exactly as picocli would, and hands everything else to picocli. */
class ServeFlagsTest {

    private static StdioMain bound(String... args) {
        StdioMain m = new StdioMain(System.out, Map.of());
        assertThat(ServeFlags.bind(m, args)).as("binds %s", String.join(" ", args)).isTrue();
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
        assertThat(fast.orgMode).isEqualTo(slow.orgMode).isTrue();
        assertThat(fast.readOnly).isEqualTo(slow.readOnly).isTrue();
        assertThat(fast.presets).isEqualTo(slow.presets).containsExactly("mail", "calendar", "tasks");
        assertThat(fast.enabledTools).isEqualTo(slow.enabledTools).isEqualTo("^list-");
        assertThat(fast.cloud).isEqualTo(slow.cloud).isEqualTo("usgov");
        assertThat(fast.toon).isEqualTo(slow.toon);
        assertThat(fast.verbose).isEqualTo(slow.verbose).isTrue();
        assertThat(fast.discovery).isEqualTo(slow.discovery);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "--version", "--login", "--select-account=a", "--no-such-flag", "--org-mode=true",
            "--preset"})
    void everythingElseGoesToPicocli(String arg) {
        StdioMain m = new StdioMain(System.out, Map.of());
        assertThat(ServeFlags.bind(m, new String[] {arg})).isFalse();
        assertThat(m.orgMode).isNull();
        assertThat(m.presets).isNull();
    }

    @Test
    void nothingIsBoundWhenALaterArgumentFallsBack() {
        StdioMain m = new StdioMain(System.out, Map.of());
        assertThat(ServeFlags.bind(m, new String[] {"--org-mode", "--help"})).isFalse();
        assertThat(m.orgMode).isNull();
    }
}
