package dev.ms365mcp.tools;

import dev.ms365mcp.tools.selection.Preset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How the tool set behaves: which tools are offered and how calls are executed. Launchers build it
 * from flags and the environment; embedders build it in code.
 *
 * @param orgMode          work/school features ({@code --org-mode}, {@code MS365_MCP_ORG_MODE})
 * @param readOnly         only tools that change nothing ({@code --read-only}, {@code READ_ONLY})
 * @param enabledTools     only tools whose name matches ({@code ENABLED_TOOLS}, case-insensitive), or null
 * @param maxPages         page bound for {@code fetchAllPages} ({@code MS365_MCP_MAX_PAGES})
 * @param maxItems         item bound for {@code fetchAllPages} ({@code MS365_MCP_MAX_ITEMS})
 * @param maxRetries       retries of a throttled request ({@code MS365_MCP_GRAPH_MAX_RETRIES})
 * @param htmlBodies       message bodies as HTML instead of text ({@code MS365_MCP_BODY_FORMAT=html})
 * @param toon             results as TOON instead of JSON ({@code MS365_MCP_OUTPUT_FORMAT=toon})
 * @param maxResultChars   results longer than this are cut with a note ({@code MS365_MCP_MAX_RESULT_CHARS})
 * @param messageSignoffPrefix text put before every Teams message sent ({@code MS365_MCP_MESSAGE_SIGNOFF_PREFIX}),
 *                         empty for none; {@code \n} in the variable stands for a line break
 * @param messageSignoffSuffix text put after every Teams message sent ({@code MS365_MCP_MESSAGE_SIGNOFF_SUFFIX}),
 *                         e.g. {@code \n\n— sent by my assistant}; empty for none
 * @param localFiles       tools may write files on this machine ({@code download-bytes-to-file}); off by
 *                         default, switched on by a launcher whose user runs it locally (STDIO)
 * @param presets          only tools of these presets ({@code --preset}); empty: no preset restriction;
 *                         {@code enabledTools}, when set, wins over presets
 * @param allowedScopes    only tools whose scopes these cover ({@code MS365_MCP_ALLOWED_SCOPES}); empty: any
 * @param discovery        list only search-tools, get-tool-schema and execute-tool ({@code --discovery})
 */
public record ToolSettings(boolean orgMode, boolean readOnly, Pattern enabledTools, int maxPages, int maxItems,
        int maxRetries, boolean htmlBodies, boolean toon, int maxResultChars, String messageSignoffPrefix,
        String messageSignoffSuffix, boolean localFiles, List<Preset> presets, Set<String> allowedScopes,
        boolean discovery) {

    public ToolSettings {
        presets = List.copyOf(presets);
        allowedScopes = Set.copyOf(allowedScopes);
        messageSignoffPrefix = messageSignoffPrefix == null ? "" : messageSignoffPrefix;
        messageSignoffSuffix = messageSignoffSuffix == null ? "" : messageSignoffSuffix;
    }

    public static ToolSettings defaults() {
        return new ToolSettings(false, false, null, 100, 10_000, 3, false, false, 100_000, "", "", false, List.of(),
                Set.of(), false);
    }

    /** Reads the environment variables named on the record; a malformed value fails with one clear line. */
    public static ToolSettings fromEnv(Map<String, String> env) {
        ToolSettings d = defaults();
        return new ToolSettings(
                bool(env, "MS365_MCP_ORG_MODE", d.orgMode),
                bool(env, "READ_ONLY", d.readOnly),
                regex(env.get("ENABLED_TOOLS")),
                integer(env, "MS365_MCP_MAX_PAGES", d.maxPages, 1),
                integer(env, "MS365_MCP_MAX_ITEMS", d.maxItems, 1),
                integer(env, "MS365_MCP_GRAPH_MAX_RETRIES", d.maxRetries, 0),
                choice(env, "MS365_MCP_BODY_FORMAT", Set.of("text", "html"), "text").equals("html"),
                choice(env, "MS365_MCP_OUTPUT_FORMAT", Set.of("json", "toon"), "json").equals("toon"),
                integer(env, "MS365_MCP_MAX_RESULT_CHARS", d.maxResultChars, 1_000),
                lineBreaks(env.get("MS365_MCP_MESSAGE_SIGNOFF_PREFIX")),
                lineBreaks(env.get("MS365_MCP_MESSAGE_SIGNOFF_SUFFIX")),
                d.localFiles,
                d.presets,
                scopes(env.get("MS365_MCP_ALLOWED_SCOPES")),
                d.discovery);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some settings of a copy; flags on the command line override the environment this way. */
    public static final class Builder {
        private boolean orgMode, readOnly, htmlBodies, toon, localFiles, discovery;
        private List<Preset> presets;
        private Set<String> allowedScopes;
        private Pattern enabledTools;
        private int maxPages, maxItems, maxRetries, maxResultChars;
        private String messageSignoffPrefix, messageSignoffSuffix;

        private Builder(ToolSettings s) {
            orgMode = s.orgMode;
            readOnly = s.readOnly;
            enabledTools = s.enabledTools;
            maxPages = s.maxPages;
            maxItems = s.maxItems;
            maxRetries = s.maxRetries;
            htmlBodies = s.htmlBodies;
            toon = s.toon;
            maxResultChars = s.maxResultChars;
            messageSignoffPrefix = s.messageSignoffPrefix;
            messageSignoffSuffix = s.messageSignoffSuffix;
            localFiles = s.localFiles;
            presets = s.presets;
            allowedScopes = s.allowedScopes;
            discovery = s.discovery;
        }

        public Builder orgMode(boolean v) { orgMode = v; return this; }
        public Builder readOnly(boolean v) { readOnly = v; return this; }
        public Builder enabledTools(Pattern v) { enabledTools = v; return this; }
        public Builder maxPages(int v) { maxPages = v; return this; }
        public Builder maxItems(int v) { maxItems = v; return this; }
        public Builder maxRetries(int v) { maxRetries = v; return this; }
        public Builder htmlBodies(boolean v) { htmlBodies = v; return this; }
        public Builder toon(boolean v) { toon = v; return this; }
        public Builder maxResultChars(int v) { maxResultChars = v; return this; }
        public Builder messageSignoffPrefix(String v) { messageSignoffPrefix = v; return this; }
        public Builder messageSignoffSuffix(String v) { messageSignoffSuffix = v; return this; }
        public Builder localFiles(boolean v) { localFiles = v; return this; }
        public Builder presets(List<Preset> v) { presets = v; return this; }
        public Builder allowedScopes(Set<String> v) { allowedScopes = v; return this; }
        public Builder discovery(boolean v) { discovery = v; return this; }

        public ToolSettings build() {
            return new ToolSettings(orgMode, readOnly, enabledTools, maxPages, maxItems, maxRetries, htmlBodies, toon,
                    maxResultChars, messageSignoffPrefix, messageSignoffSuffix, localFiles, presets, allowedScopes,
                    discovery);
        }
    }

    /** {@code Mail.Read, Calendars.Read} or space separated; empty for none. */
    static Set<String> scopes(String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return java.util.Arrays.stream(value.split("[,\\s]+")).filter(x -> !x.isBlank())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** Compiles an {@code ENABLED_TOOLS} pattern (case-insensitive); the error says what is wrong. */
    public static Pattern regex(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Pattern.compile(value.strip(), Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("ENABLED_TOOLS is not a valid regular expression: "
                    + e.getDescription() + " near index " + e.getIndex() + " of '" + value + "'");
        }
    }

    /** A sign-off as configured: unset is empty, and the two characters {@code \n} stand for a line break. */
    private static String lineBreaks(String v) {
        return v == null ? "" : v.replace("\\n", "\n");
    }

    private static boolean bool(Map<String, String> env, String name, boolean dflt) {
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

    private static int integer(Map<String, String> env, String name, int dflt, int min) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number >= " + min + ", got '" + v + "'");
        }
    }

    private static String choice(Map<String, String> env, String name, Set<String> allowed, String dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        String s = v.strip().toLowerCase(Locale.ROOT);
        if (!allowed.contains(s)) {
            throw new IllegalArgumentException(name + " must be one of " + String.join(", ", allowed.stream().sorted().toList())
                    + ", got '" + v + "'");
        }
        return s;
    }
}
