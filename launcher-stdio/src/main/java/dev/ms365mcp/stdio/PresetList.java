package dev.ms365mcp.stdio;

import dev.ms365mcp.auth.LoginRequiredTokenProvider;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolSettings;
import dev.ms365mcp.tools.selection.Preset;
import java.io.PrintWriter;
import java.util.List;

/** {@code --list-presets}: each preset with what it holds and how many tools it offers in this mode. */
final class PresetList {

    private PresetList() {
    }

    static void print(ToolSettings settings, PrintWriter out) {
        out.println("Presets (" + (settings.orgMode() ? "org mode" : "personal mode; --org-mode adds work tools") + "):");
        for (Preset p : Preset.all().values()) {
            int count = count(settings, p);
            if (count == 0 && !settings.orgMode()) {
                int inOrgMode = count(settings.toBuilder().orgMode(true).build(), p);
                out.printf("  %-12s   needs --org-mode (%d tools there)  %s%n", p.name(), inOrgMode, p.description());
            } else {
                out.printf("  %-12s %3d tools  %s%n", p.name(), count, p.description());
            }
        }
        out.println("Every preset also offers the account tools (login, verify-login, list-accounts...).");
        out.println("Use: --preset mail,calendar");
    }

    /** The preset's own tools in this mode; the account tools that come with every preset are not counted. */
    static int count(ToolSettings settings, Preset p) {
        return (int) Ms365Tools.builder()
                .settings(settings.toBuilder().enabledTools(null).presets(List.of(p)).discovery(false).build())
                .tokenProvider(new LoginRequiredTokenProvider("listing only"))
                .build().tools().stream().filter(t -> !ACCOUNTS.equals(t.area())).count();
    }

    private static final String ACCOUNTS = "accounts";
}
