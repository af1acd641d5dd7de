package dev.ms365mcp.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A {@code .env} file in the working directory, read for the app registration only (client id,
 * tenant, secret), as the reference does; the real environment wins. Other keys are ignored so a
 * stray file cannot change what the server does.
 */
public final class DotEnv {

    public static final Set<String> KEYS = Set.of("MS365_MCP_CLIENT_ID", "MS365_MCP_TENANT_ID", "MS365_MCP_CLIENT_SECRET");

    private DotEnv() {
    }

    public static Map<String, String> withAppRegistration(Map<String, String> env, Path file) {
        if (!Files.isRegularFile(file)) {
            return env;
        }
        Map<String, String> merged = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String l = line.strip();
                int eq = l.indexOf('=');
                if (l.isEmpty() || l.startsWith("#") || eq < 1) {
                    continue;
                }
                String key = l.substring(0, eq).strip().replaceFirst("^export\\s+", "");
                String value = l.substring(eq + 1).strip();
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                        || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                if (KEYS.contains(key)) {
                    merged.put(key, value);
                }
            }
        } catch (IOException e) {
            System.err.println("ms365-mcp: cannot read " + file.toAbsolutePath() + " (" + e.getMessage() + "); ignoring it");
            return env;
        }
        merged.putAll(env);
        return merged;
    }
}
