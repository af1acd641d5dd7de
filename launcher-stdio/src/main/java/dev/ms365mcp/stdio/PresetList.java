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
            int count = Ms365Tools.builder()
                    .settings(settings.toBuilder().enabledTools(null).presets(List.of(p)).discovery(false).build())
                    .tokenProvider(new LoginRequiredTokenProvider("listing only"))
                    .build().tools().size();
            out.printf("  %-12s %3d tools  %s%n", p.name(), count, p.description());
        }
        out.println("Use: --preset mail,calendar");
    }
}
