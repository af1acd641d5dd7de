package dev.ms365mcp.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.tools.ToolSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The shared tool flags: a flag wins over its variable, and a pattern that matches nothing is named. */
class ToolFlagsTest {

    private static ToolFlags parse(String... args) {
        ToolFlags flags = new ToolFlags();
        new CommandLine(flags).parseArgs(args);
        return flags;
    }

    @Test
    void flagsWinOverTheEnvironmentAndUnsetFlagsKeepIt() {
        Map<String, String> env = Map.of("MS365_MCP_ORG_MODE", "true", "READ_ONLY", "true");
        ToolSettings s = parse("--org-mode=false").settings(env).build();
        assertThat(s.orgMode()).isFalse();
        assertThat(s.readOnly()).isTrue();
        assertThat(parse("--preset", "mail,calendar").settings(Map.of()).build().presets())
                .extracting(p -> p.name()).containsExactly("mail", "calendar");
    }

    @Test
    void aPatternThatMatchesNothingIsNamedWithItsSource() {
        assertThat(parse("--enabled-tools", "^nomatch$").unmatchedPatternWarning(Map.of(), 0))
                .startsWith("--enabled-tools '^nomatch$' matches no tool");
        assertThat(parse().unmatchedPatternWarning(Map.of("ENABLED_TOOLS", "mial"), 0))
                .startsWith("ENABLED_TOOLS 'mial' matches no tool");
        assertThat(parse("--enabled-tools", "mail").unmatchedPatternWarning(Map.of(), 12)).isNull();
        assertThat(parse().unmatchedPatternWarning(Map.of(), 0)).as("no pattern, nothing to say").isNull();
    }

    @Test
    void verboseAndSilentSetTheLogLevel() {
        parse("-v").environment(Map.of("SILENT", "true"));
        assertThat(System.getProperty("LOG_LEVEL")).isEqualTo("debug");
        parse().environment(Map.of("SILENT", "true"));
        assertThat(System.getProperty("LOG_LEVEL")).isEqualTo("off");
        System.clearProperty("LOG_LEVEL");
    }
}
