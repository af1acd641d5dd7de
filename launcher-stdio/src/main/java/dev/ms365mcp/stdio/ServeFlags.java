package dev.ms365mcp.stdio;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The start-up fast path for the usual desktop launch (serving flags only, e.g. {@code --org-mode
 * --preset mail}): binds them straight from the same {@link Option} annotations picocli reads,
 * without building picocli's command model. picocli ships Java 5 class files, which the JDK's AOT
 * cache cannot hold, so its model costs over 100 ms on every start. Anything else — help, version,
 * account actions, a misspelt flag — returns false and goes through picocli as usual.
 */
final class ServeFlags {

    private ServeFlags() {
    }

    /** Binds {@code args} to {@code target}'s serving options; false (and nothing bound) when picocli must parse. */
    static boolean bind(StdioMain target, String[] args) {
        Map<String, Field> byName = new HashMap<>();
        for (Field f : StdioMain.class.getDeclaredFields()) {
            Option o = f.getAnnotation(Option.class);
            if (o != null) {
                Arrays.stream(o.names()).forEach(n -> byName.put(n, f));
            }
        }
        List<Runnable> assignments = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            Field f = byName.get(name);
            if (f == null) {
                return false;
            }
            Class<?> type = f.getType();
            if (type == boolean.class || type == Boolean.class) {
                if (eq > 0) {
                    return false;
                }
                assignments.add(() -> set(f, target, Boolean.TRUE));
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
                assignments.add(() -> set(f, target, value));
            } else if (type == List.class) {
                String split = f.getAnnotation(Option.class).split();
                List<String> values = split.isEmpty() ? List.of(value) : List.of(value.split(split));
                assignments.add(() -> append(f, target, values));
            } else {
                return false;
            }
        }
        assignments.forEach(Runnable::run);
        return true;
    }

    private static void set(Field f, Object target, Object value) {
        try {
            f.set(target, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void append(Field f, Object target, List<String> values) {
        try {
            List<String> list = (List<String>) f.get(target);
            if (list == null) {
                list = new ArrayList<>();
                f.set(target, list);
            }
            list.addAll(values);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
