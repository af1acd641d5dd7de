package dev.ms365mcp.tools.selection;

import dev.ms365mcp.tools.ToolSettings;
import dev.ms365mcp.tools.catalog.ToolDef;
import java.util.List;
import java.util.Set;

/**
 * Decides which catalog rows become tools: feature toggles, org mode, read-only, the {@code ENABLED_TOOLS} pattern,
 * app-only tokens (no signed-in user, so no {@code /me}), LOCAL rows only where implemented, and rows
 * that write local files only where the launcher allows it. Read-only is enforced again at call
 * time by the executor; this only keeps write tools out of the list.
 */
public final class ToolSelection {

    private final ToolSettings settings;
    private final boolean appOnly;
    private final Set<String> localTools;
    private final ScopeCoverage allowed;

    /** {@code localTools}: names of the LOCAL rows that have an implementation here. */
    public ToolSelection(ToolSettings settings, boolean appOnly, Set<String> localTools) {
        this.settings = settings;
        this.appOnly = appOnly;
        this.localTools = Set.copyOf(localTools);
        this.allowed = new ScopeCoverage(settings.allowedScopes());
    }

    public List<ToolDef> select(List<ToolDef> catalog) {
        return catalog.stream().filter(this::offers).toList();
    }

    public boolean offers(ToolDef tool) {
        if (tool.method() == ToolDef.HttpMethod.LOCAL && !localTools.contains(tool.name())) {
            return false;
        }
        if (tool.response().localFile() && !settings.localFiles()) {
            return false;
        }
        if (!settings.disabledAreas().isEmpty() && settings.disabledAreas().contains(tool.area())) {
            return false;
        }
        if (tool.orgOnly() && !settings.orgMode()) {
            return false;
        }
        if (settings.readOnly() && !tool.readOnly()) {
            return false;
        }
        if (appOnly && (tool.path().startsWith("/me/") || tool.path().equals("/me"))) {
            return false;
        }
        if (!settings.allowedScopes().isEmpty() && !tool.scopes().isEmpty() && !allowed.coversAll(tool.scopes())
                && (tool.altScopes().isEmpty() || !allowed.coversAll(tool.altScopes()))) {
            return false;
        }
        if (settings.enabledTools() != null) {
            // ENABLED_TOOLS wins over presets, as in the reference.
            return settings.enabledTools().matcher(tool.name()).find();
        }
        return settings.presets().isEmpty() || settings.presets().stream().anyMatch(p -> p.includes(tool));
    }
}
