package dev.ms365mcp.tools.execution;

import dev.ms365mcp.auth.StaticTokenProvider;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolHarness;
import dev.ms365mcp.tools.ToolSettings;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URI;
import java.util.Map;

/**
 * Run by {@link ResponseBoundTest} in a JVM of its own with a small heap: calls tools whose answers are
 * huge and prints one line per call (tool, error flag, the start of the text, heap used).
 */
public final class SmallHeapProbe {

    public static void main(String[] args) {
        Ms365Tools tools = Ms365Tools.builder().settings(ToolSettings.fromEnv(System.getenv()))
                .tokenProvider(new StaticTokenProvider("t")).graphRoot(URI.create(args[0])).build();
        Map<String, Object> nested = new java.util.HashMap<>();
        Map<String, Object> inner = nested;
        for (int i = 0; i < 20_000; i++) {
            Map<String, Object> next = new java.util.HashMap<>();
            inner.put("a", next);
            inner = next;
        }
        call(tools, "send-mail", Map.of("body", Map.of("message", nested)));
        call(tools, "list-mail-messages", Map.of());
        call(tools, "get-mail-message-mime", Map.of("messageId", "m1"));
        call(tools, "list-mail-folders", Map.of());
    }

    private static void call(Ms365Tools tools, String name, Map<String, Object> args) {
        CallToolResult r = tools.call(name, args);
        String text = ToolHarness.text(r).replace('\n', ' ');
        Runtime rt = Runtime.getRuntime();
        System.out.println(name + " error=" + r.isError() + " chars=" + text.length() + " usedMiB="
                + (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024) + " | " + text.substring(0, Math.min(200, text.length()))
                + " ... " + text.substring(Math.max(0, text.length() - 200)));
    }
}
