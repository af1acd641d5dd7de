package dev.ms365mcp.launcher;

import dev.ms365mcp.tools.ToolSettings;
import dev.ms365mcp.tools.selection.Preset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The flags both launchers take for the tool set and logging (a picocli mixin), with the names of the
 * TypeScript reference server. A flag wins over its environment variable; unset flags leave the
 * environment's value.
 */
public final class ToolFlags {

    @Option(names = {"--org-mode", "--work-mode"}, description = "Add work/school tools: Teams, SharePoint, shared mailboxes, directory.")
    public Boolean orgMode;

    @Option(names = "--read-only", description = "Offer and allow only tools that change nothing.")
    public Boolean readOnly;

    @Option(names = "--preset", split = ",", paramLabel = "<name>", description = "Offer only these tool groups (see --list-presets).")
    public List<String> presets;

    @Option(names = "--enabled-tools", paramLabel = "<regex>", description = "Offer only tools whose name matches (case-insensitive); wins over --preset.")
    public String enabledTools;

    @Option(names = "--discovery", description = "List three tools (search-tools, get-tool-schema, execute-tool) instead of all.")
    public Boolean discovery;

    @Option(names = "--toon", description = "Return results as TOON instead of JSON (fewer tokens).")
    public Boolean toon;

    @Option(names = "--cloud", paramLabel = "<cloud>", description = "global, china, usgov or usgov-dod.")
    public String cloud;

    @Option(names = {"-v", "--verbose"}, description = "Debug logging.")
    public boolean verbose;

    /** The environment with what the flags say about it ({@code --cloud}), and the log level set for logback. */
    public Map<String, String> environment(Map<String, String> env) {
        Map<String, String> effective = new HashMap<>(env);
        if (cloud != null) {
            effective.put("MS365_MCP_CLOUD_TYPE", cloud);
        }
        configureLogging(effective);
        return effective;
    }

    /** The tool settings of {@code env}, then the flags over them. */
    public ToolSettings.Builder settings(Map<String, String> env) {
        ToolSettings.Builder b = ToolSettings.fromEnv(env).toBuilder();
        if (orgMode != null) {
            b.orgMode(orgMode);
        }
        if (readOnly != null) {
            b.readOnly(readOnly);
        }
        if (enabledTools != null) {
            b.enabledTools(ToolSettings.regex(enabledTools, "--enabled-tools"));
        }
        if (presets != null) {
            b.presets(Preset.parse(String.join(",", presets)));
        }
        if (discovery != null) {
            b.discovery(discovery);
        }
        if (toon != null) {
            b.toon(toon);
        }
        return b;
    }

    /**
     * The warning to print when the tool-name pattern ({@code --enabled-tools} or {@code ENABLED_TOOLS})
     * leaves no tool at all, naming the pattern and where it came from; null when there is no pattern
     * or it matched something. A typo there would otherwise start a server with nothing to offer.
     */
    public String unmatchedPatternWarning(Map<String, String> env, int offeredTools) {
        String pattern = enabledTools != null ? enabledTools : env.get("ENABLED_TOOLS");
        if (pattern == null || pattern.isBlank() || offeredTools > 0) {
            return null;
        }
        String source = enabledTools != null ? "--enabled-tools" : "ENABLED_TOOLS";
        return source + " '" + pattern + "' matches no tool in this mode, so the server offers none. Tool names "
                + "look like list-mail-messages or send-mail (--list-presets, README); org-only tools need --org-mode.";
    }

    /** Sets logback's level before its first use: -v, else SILENT, else LOG_LEVEL (default info). */
    private void configureLogging(Map<String, String> env) {
        String level = env.getOrDefault("LOG_LEVEL", "info");
        if ("true".equalsIgnoreCase(env.get("SILENT")) || "1".equals(env.get("SILENT"))) {
            level = "off";
        }
        if (verbose) {
            level = "debug";
        }
        System.setProperty("LOG_LEVEL", level.toLowerCase(Locale.ROOT));
    }
}
