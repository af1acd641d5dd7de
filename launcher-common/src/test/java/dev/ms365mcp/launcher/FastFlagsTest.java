package dev.ms365mcp.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The fast path's table names exactly the options picocli reads from ToolFlags, each taking its value the same way. */
class FastFlagsTest {

    @Test
    void theTableMatchesPicocliModelOfToolFlags() {
        Map<String, FastFlags.Kind> picocli = new HashMap<>();
        for (OptionSpec o : CommandSpec.forAnnotatedObject(new ToolFlags()).options()) {
            FastFlags.Kind kind = o.arity().max() == 0 ? FastFlags.Kind.SWITCH
                    : List.class.isAssignableFrom(o.type()) && ",".equals(o.splitRegex()) ? FastFlags.Kind.COMMA_LIST
                    : !List.class.isAssignableFrom(o.type()) && o.arity().max() == 1 ? FastFlags.Kind.VALUE
                    : null;
            for (String name : o.names()) {
                picocli.put(name, kind);
            }
        }
        Map<String, FastFlags.Kind> fast = new HashMap<>();
        FastFlags.FLAGS.forEach((name, flag) -> fast.put(name, flag.kind()));
        assertThat(fast).isEqualTo(picocli);
    }

    @Test
    void everyOptionBindsAsPicocliBindsIt() {
        String[] args = {"--work-mode", "--read-only", "--preset", "mail,calendar", "--preset=tasks",
            "--enabled-tools=^list-", "--cloud", "usgov", "--toon", "--verbose", "--discovery"};
        ToolFlags fast = new ToolFlags();
        assertThat(FastFlags.bind(fast, args)).isTrue();
        ToolFlags slow = new ToolFlags();
        new CommandLine(slow).parseArgs(args);
        assertThat(fast).usingRecursiveComparison().isEqualTo(slow);
        assertThat(fast.presets).containsExactly("mail", "calendar", "tasks");
        assertThat(fast.orgMode).isTrue();
    }

    @Test
    void anythingElseIsLeftToPicocliWithNothingBound() {
        for (String[] args : List.of(new String[] {"--org-mode", "--help"}, new String[] {"--org-mode=true"},
                new String[] {"--preset"}, new String[] {"--cloud", "--org-mode"}, new String[] {"--list-presets"})) {
            ToolFlags flags = new ToolFlags();
            assertThat(FastFlags.bind(flags, args)).as(String.join(" ", args)).isFalse();
            assertThat(flags).usingRecursiveComparison().isEqualTo(new ToolFlags());
        }
    }
}
