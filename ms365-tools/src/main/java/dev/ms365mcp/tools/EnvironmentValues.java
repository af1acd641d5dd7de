package dev.ms365mcp.tools;

import java.util.Locale;
import java.util.Map;

/**
 * Reads one typed setting from the environment: unset or blank gives the default, anything malformed
 * an {@link IllegalArgumentException} whose one line names the variable and what it accepts. Shared by
 * every settings record, so each variable is parsed the same way.
 */
public final class EnvironmentValues {

    private EnvironmentValues() {
    }

    /** {@code true/1/yes/on} or {@code false/0/no/off}, any case. */
    public static boolean bool(Map<String, String> env, String name, boolean dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
        };
    }

    /** A whole number of at least {@code min}. */
    public static int integer(Map<String, String> env, String name, int dflt, int min) {
        long n = longInteger(env, name, dflt, min);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be a whole number >= " + min + ", got '" + env.get(name) + "'");
        }
        return (int) n;
    }

    /** A whole number of at least {@code min}, as a long (sizes in bytes). */
    public static long longInteger(Map<String, String> env, String name, long dflt, long min) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number >= " + min + ", got '" + v + "'");
    }
}
