package dev.ms365mcp.tools;

import static dev.ms365mcp.tools.EnvironmentValues.bool;
import static dev.ms365mcp.tools.EnvironmentValues.integer;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.ms365mcp.tools.graph.GraphClientSettings;
import dev.ms365mcp.tools.selection.Preset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
 * @param maxTop           a larger {@code top} is lowered to this ({@code MS365_MCP_MAX_TOP}); 0: no cap
 * @param allowPagination  {@code fetchAllPages} follows next links ({@code MS365_MCP_ALLOW_PAGINATION}); when
 *                         false it is not listed and a call passing it gets the first page only, as in the reference
 * @param disabledAreas    catalog areas dropped by the feature toggles ({@code MS365_MCP_ENABLE_MAIL=false}...)
 * @param graph            timeouts, retries, circuit breaker and body bound of the Graph client
 */
public record ToolSettings(boolean orgMode, boolean readOnly, Pattern enabledTools, int maxPages, int maxItems,
        int maxRetries, boolean htmlBodies, boolean toon, int maxResultChars, String messageSignoffPrefix,
        String messageSignoffSuffix, boolean localFiles, List<Preset> presets, Set<String> allowedScopes,
        boolean discovery, int maxTop, boolean allowPagination, Set<String> disabledAreas, GraphClientSettings graph) {

    /**
     * The feature toggles, each {@code true} by default; {@code false} drops the areas of the preset named
     * beside it (the seed deployment's groups).
     */
    public static final Map<String, String> FEATURE_TOGGLES = Map.of(
            "MS365_MCP_ENABLE_MAIL", "mail",
            "MS365_MCP_ENABLE_CALENDAR", "calendar",
            "MS365_MCP_ENABLE_FILES", "files",
            "MS365_MCP_ENABLE_TEAMS", "teams-write",
            "MS365_MCP_ENABLE_EXCEL_POWERPOINT", "excel",
            "MS365_MCP_ENABLE_ONENOTE", "onenote",
            "MS365_MCP_ENABLE_TASKS", "tasks");

    public ToolSettings {
        disabledAreas = Set.copyOf(disabledAreas);
        graph = graph == null ? GraphClientSettings.defaults() : graph;
        presets = List.copyOf(presets);
        allowedScopes = Set.copyOf(allowedScopes);
        messageSignoffPrefix = messageSignoffPrefix == null ? "" : messageSignoffPrefix;
        messageSignoffSuffix = messageSignoffSuffix == null ? "" : messageSignoffSuffix;
    }

    public static ToolSettings defaults() {
        return new ToolSettings(false, false, null, 100, 10_000, 3, false, false, 100_000, "", "", false, List.of(),
                Set.of(), false, 0, true, Set.of(), GraphClientSettings.defaults());
    }

    /** Reads the environment variables named on the record; a malformed value fails with one clear line. */
    public static ToolSettings fromEnv(Map<String, String> env) {
        ToolSettings d = defaults();
        return new ToolSettings(
                // MS365_MCP_FORCE_WORK_SCOPES: the reference's older name for org mode.
                bool(env, "MS365_MCP_ORG_MODE", d.orgMode) || bool(env, "MS365_MCP_FORCE_WORK_SCOPES", false),
                bool(env, "READ_ONLY", d.readOnly),
                regex(env.get("ENABLED_TOOLS"), "ENABLED_TOOLS"),
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
                d.discovery,
                integer(env, "MS365_MCP_MAX_TOP", d.maxTop, 1),
                bool(env, "MS365_MCP_ALLOW_PAGINATION", d.allowPagination),
                disabledAreas(env),
                GraphClientSettings.fromEnv(env));
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
        private int maxPages, maxItems, maxRetries, maxResultChars, maxTop;
        private boolean allowPagination;
        private Set<String> disabledAreas;
        private GraphClientSettings graph;
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
            maxTop = s.maxTop;
            allowPagination = s.allowPagination;
            disabledAreas = s.disabledAreas;
            graph = s.graph;
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
        public Builder maxTop(int v) { maxTop = v; return this; }
        public Builder allowPagination(boolean v) { allowPagination = v; return this; }
        public Builder disabledAreas(Set<String> v) { disabledAreas = v; return this; }
        public Builder graph(GraphClientSettings v) { graph = v; return this; }

        public ToolSettings build() {
            return new ToolSettings(orgMode, readOnly, enabledTools, maxPages, maxItems, maxRetries, htmlBodies, toon,
                    maxResultChars, messageSignoffPrefix, messageSignoffSuffix, localFiles, presets, allowedScopes,
                    discovery, maxTop, allowPagination, disabledAreas, graph);
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

    /** Compiles an {@code ENABLED_TOOLS} pattern; an error names {@code ENABLED_TOOLS}. */
    public static Pattern regex(String value) {
        return regex(value, "ENABLED_TOOLS");
    }

    /**
     * Compiles a tool-name pattern (case-insensitive) with RE2/J, whose matching time is linear in the
     * name's length whatever the pattern, so no pattern can hang start-up. RE2 has no backreferences or
     * lookaround; such a pattern is refused. An error names {@code source}, the variable or flag it came
     * from.
     */
    public static Pattern regex(String value, String source) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Pattern.compile(value.strip(), Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(source + " is not a usable regular expression ('" + value.strip()
                    + "'): " + e.getDescription() + ". Backreferences (\\1) and lookaround are not supported.");
        }
    }

    /** The areas of every feature whose {@code MS365_MCP_ENABLE_*} toggle is false. */
    static Set<String> disabledAreas(Map<String, String> env) {
        Set<String> out = new java.util.TreeSet<>();
        FEATURE_TOGGLES.forEach((variable, preset) -> {
            if (!bool(env, variable, true)) {
                out.addAll(Preset.all().get(preset).areas());
            }
        });
        return out;
    }

    /** A sign-off as configured: unset is empty, and the two characters {@code \n} stand for a line break. */
    private static String lineBreaks(String v) {
        return v == null ? "" : v.replace("\\n", "\n");
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
