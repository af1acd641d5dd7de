package dev.ms365mcp.tools.safety;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Safety and governance, all off by default: confirmation before risky calls, the recipient domain
 * guard, the untrusted-read rule and the audit log. Launchers build it from the environment (and
 * flags), embedders in code.
 *
 * @param confirmRisky      every tool the catalog marks destructive or outbound asks first
 *                          ({@code MS365_MCP_REQUIRE_CONFIRM=true})
 * @param confirmTools      tools that ask first by name ({@code MS365_MCP_REQUIRE_CONFIRM=send-mail,delete-.*}:
 *                          names or regular expressions, whole name, case-insensitive)
 * @param allowedDomains    outbound requests may only reach these domains and their subdomains
 *                          ({@code MS365_MCP_ALLOWED_RECIPIENT_DOMAINS}); empty: no guard
 * @param guardUntrusted    after reading content from outside those domains, outbound tools ask first for
 *                          the rest of the session ({@code MS365_MCP_GUARD_UNTRUSTED})
 * @param confirmationTtl   how long a confirmation token is valid ({@code MS365_MCP_CONFIRM_TOKEN_TTL}, seconds)
 * @param audit             where the audit log goes ({@code MS365_MCP_AUDIT_LOG}: {@code true}/{@code file},
 *                          {@code stream}, or off)
 * @param auditDir          the directory of {@code audit.log} ({@code MS365_MCP_LOG_DIR})
 * @param redactPii         no email addresses or names in the audit log ({@code MS365_MCP_REDACT_PII})
 */
public record SafetySettings(boolean confirmRisky, List<Pattern> confirmTools, Set<String> allowedDomains,
        boolean guardUntrusted, Duration confirmationTtl, AuditSink audit, Path auditDir, boolean redactPii) {

    /** Where audit lines go. */
    public enum AuditSink {
        OFF,
        /** {@code audit.log} in {@link #auditDir()}, rotated by size, mode 0600 */
        FILE,
        /** the SLF4J logger {@value AuditLog#LOGGER} at INFO: the host's log stream (containers) */
        STREAM
    }

    public SafetySettings {
        confirmTools = List.copyOf(confirmTools);
        allowedDomains = Set.copyOf(allowedDomains);
        if (guardUntrusted && allowedDomains.isEmpty()) {
            throw new IllegalArgumentException("MS365_MCP_GUARD_UNTRUSTED needs MS365_MCP_ALLOWED_RECIPIENT_DOMAINS: "
                    + "the domains that count as inside the organization");
        }
        if (confirmationTtl.isNegative() || confirmationTtl.isZero()) {
            throw new IllegalArgumentException("MS365_MCP_CONFIRM_TOKEN_TTL must be at least 1 second");
        }
        if (audit == AuditSink.FILE && auditDir == null) {
            throw new IllegalArgumentException("MS365_MCP_AUDIT_LOG=file needs MS365_MCP_LOG_DIR");
        }
    }

    public static SafetySettings off() {
        return new SafetySettings(false, List.of(), Set.of(), false, Duration.ofMinutes(5), AuditSink.OFF, null, false);
    }

    /**
     * Reads the variables named on the record; {@code defaultLogDir} is where {@code audit.log} goes
     * without {@code MS365_MCP_LOG_DIR}. A malformed value fails with one clear line.
     */
    public static SafetySettings fromEnv(Map<String, String> env, Path defaultLogDir) {
        String confirm = value(env, "MS365_MCP_REQUIRE_CONFIRM");
        boolean all = false;
        List<Pattern> named = new ArrayList<>();
        if (confirm != null && !isFalse(confirm)) {
            if (isTrue(confirm)) {
                all = true;
            } else {
                named = patterns(confirm);
            }
        }
        String dir = value(env, "MS365_MCP_LOG_DIR");
        return new SafetySettings(all, named,
                RecipientPolicy.parse(value(env, "MS365_MCP_ALLOWED_RECIPIENT_DOMAINS")),
                bool(env, "MS365_MCP_GUARD_UNTRUSTED"),
                Duration.ofSeconds(seconds(env, "MS365_MCP_CONFIRM_TOKEN_TTL", 300)),
                sink(value(env, "MS365_MCP_AUDIT_LOG")),
                dir != null ? Path.of(dir) : defaultLogDir,
                bool(env, "MS365_MCP_REDACT_PII"));
    }

    public boolean confirms(String tool) {
        return confirmTools.stream().anyMatch(p -> p.matcher(tool).matches());
    }

    /** Comma-separated tool names or regular expressions, each matching a whole name, case-insensitive. */
    static List<Pattern> patterns(String value) {
        List<Pattern> out = new ArrayList<>();
        for (String raw : value.split(",")) {
            String p = raw.strip();
            if (p.isEmpty()) {
                continue;
            }
            try {
                out.add(Pattern.compile(p, Pattern.CASE_INSENSITIVE));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("MS365_MCP_REQUIRE_CONFIRM: '" + p + "' is neither true/false nor a "
                        + "tool name or regular expression (" + e.getDescription() + ")");
            }
        }
        return out;
    }

    private static AuditSink sink(String v) {
        if (v == null || isFalse(v)) {
            return AuditSink.OFF;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on", "file" -> AuditSink.FILE;
            case "stream" -> AuditSink.STREAM;
            default -> throw new IllegalArgumentException("MS365_MCP_AUDIT_LOG must be true (file), stream or false, got '"
                    + v + "'");
        };
    }

    private static long seconds(Map<String, String> env, String name, long dflt) {
        String v = value(env, name);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number of seconds >= 1, got '" + v + "'");
    }

    private static boolean bool(Map<String, String> env, String name) {
        String v = value(env, name);
        if (v == null || isFalse(v)) {
            return false;
        }
        if (isTrue(v)) {
            return true;
        }
        throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
    }

    private static boolean isTrue(String v) {
        return Set.of("true", "1", "yes", "on").contains(v.toLowerCase(Locale.ROOT));
    }

    private static boolean isFalse(String v) {
        return Set.of("false", "0", "no", "off").contains(v.toLowerCase(Locale.ROOT));
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
