package dev.ms365mcp.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The start-up fast path for the usual launch (serving flags only, e.g. {@code --org-mode --preset
 * mail}): binds the {@link ToolFlags} options from a plain table, without picocli. picocli ships Java 5
 * class files, which the JDK's AOT cache cannot hold, and reading its annotations makes the JVM define
 * annotation proxy classes at run time; either costs tens of ms on every start. The table must name
 * exactly the options picocli reads from {@link ToolFlags} ({@code FastFlagsTest} compares them).
 * Anything else — help, version, account actions, a misspelt flag, {@code --flag=true} — returns false
 * and goes through picocli as usual.
 */
public final class FastFlags {

    /** How an option takes its value, as picocli would for the field's type. */
    public enum Kind { SWITCH, VALUE, COMMA_LIST }

    /** One option: its kind and how it is stored. */
    public record Flag(Kind kind, BiConsumer<ToolFlags, String> store) {
    }

    /** Every {@link ToolFlags} option by name. */
    public static final Map<String, Flag> FLAGS = Map.ofEntries(
            Map.entry("--org-mode", new Flag(Kind.SWITCH, (f, v) -> f.orgMode = Boolean.TRUE)),
            Map.entry("--work-mode", new Flag(Kind.SWITCH, (f, v) -> f.orgMode = Boolean.TRUE)),
            Map.entry("--read-only", new Flag(Kind.SWITCH, (f, v) -> f.readOnly = Boolean.TRUE)),
            Map.entry("--discovery", new Flag(Kind.SWITCH, (f, v) -> f.discovery = Boolean.TRUE)),
            Map.entry("--toon", new Flag(Kind.SWITCH, (f, v) -> f.toon = Boolean.TRUE)),
            Map.entry("-v", new Flag(Kind.SWITCH, (f, v) -> f.verbose = true)),
            Map.entry("--verbose", new Flag(Kind.SWITCH, (f, v) -> f.verbose = true)),
            Map.entry("--enabled-tools", new Flag(Kind.VALUE, (f, v) -> f.enabledTools = v)),
            Map.entry("--cloud", new Flag(Kind.VALUE, (f, v) -> f.cloud = v)),
            Map.entry("--preset", new Flag(Kind.COMMA_LIST, (f, v) -> {
                if (f.presets == null) {
                    f.presets = new ArrayList<>();
                }
                f.presets.addAll(List.of(v.split(",")));
            })));

    private FastFlags() {
    }

    /** Binds {@code args} to {@code flags}; false (and nothing bound) when picocli must parse. */
    public static boolean bind(ToolFlags flags, String[] args) {
        List<Runnable> assignments = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            Flag flag = FLAGS.get(name);
            if (flag == null) {
                return false;
            }
            if (flag.kind() == Kind.SWITCH) {
                if (eq > 0) {
                    return false;
                }
                assignments.add(() -> flag.store().accept(flags, null));
                continue;
            }
            String value;
            if (eq > 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                value = args[++i];
            } else {
                return false;
            }
            assignments.add(() -> flag.store().accept(flags, value));
        }
        assignments.forEach(Runnable::run);
        return true;
    }
}
