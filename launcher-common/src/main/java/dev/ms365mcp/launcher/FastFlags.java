package dev.ms365mcp.launcher;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The start-up fast path for the usual launch (serving flags only, e.g. {@code --org-mode --preset
 * mail}): binds them straight from the same {@link Option} annotations picocli reads — on the command
 * object and on its {@link Mixin} fields such as {@link ToolFlags} — without building picocli's
 * command model. picocli ships Java 5 class files, which the JDK's AOT cache cannot hold, so its model
 * costs over 100 ms on every start. Anything else — help, version, account actions, a misspelt flag,
 * {@code --flag=true} — returns false and goes through picocli as usual.
 */
public final class FastFlags {

    private FastFlags() {
    }

    private record Target(Object owner, Field field) {
    }

    /** Binds {@code args} to {@code command}'s options; false (and nothing bound) when picocli must parse. */
    public static boolean bind(Object command, String[] args) {
        Map<String, Target> byName = new HashMap<>();
        collect(command, byName);
        List<Runnable> assignments = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            Target t = byName.get(name);
            if (t == null) {
                return false;
            }
            Class<?> type = t.field().getType();
            if (type == boolean.class || type == Boolean.class) {
                if (eq > 0) {
                    return false;
                }
                assignments.add(() -> set(t, Boolean.TRUE));
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
            if (type == String.class) {
                assignments.add(() -> set(t, value));
            } else if (type == List.class) {
                String split = t.field().getAnnotation(Option.class).split();
                List<String> values = split.isEmpty() ? List.of(value) : List.of(value.split(split));
                assignments.add(() -> append(t, values));
            } else {
                return false;
            }
        }
        assignments.forEach(Runnable::run);
        return true;
    }

    private static void collect(Object owner, Map<String, Target> byName) {
        for (Field f : owner.getClass().getDeclaredFields()) {
            Option o = f.getAnnotation(Option.class);
            if (o != null) {
                f.setAccessible(true);
                Arrays.stream(o.names()).forEach(n -> byName.put(n, new Target(owner, f)));
            } else if (f.getAnnotation(Mixin.class) != null) {
                f.setAccessible(true);
                try {
                    collect(f.get(owner), byName);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static void set(Target t, Object value) {
        try {
            t.field().set(t.owner(), value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void append(Target t, List<String> values) {
        try {
            List<String> list = (List<String>) t.field().get(t.owner());
            if (list == null) {
                list = new ArrayList<>();
                t.field().set(t.owner(), list);
            }
            list.addAll(values);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
