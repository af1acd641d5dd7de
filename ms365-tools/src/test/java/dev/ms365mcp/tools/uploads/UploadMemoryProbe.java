package dev.ms365mcp.tools.uploads;

import dev.ms365mcp.auth.StaticTokenProvider;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolSettings;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Run in a small-heap JVM by {@link UploadMemoryTest}: uploads each named file from the files folder to
 * FakeGraph and prints, per file, the heap's peak use during that upload ({@code name error=… peakHeap=…}).
 */
public final class UploadMemoryProbe {

    public static void main(String[] args) {
        Ms365Tools tools = Ms365Tools.builder()
                .settings(ToolSettings.defaults().toBuilder().localFiles(true).build())
                .tokenProvider(new StaticTokenProvider("t")).graphRoot(URI.create(args[0]))
                .downloadFolder(Path.of(args[1])).build();
        for (int i = 2; i < args.length; i++) {
            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            CallToolResult r = tools.call("upload-file-from-path", Map.of("driveId", "d1", "parentId", "root",
                    "path", args[i]));
            long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                    .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            String text = r.content().get(0) instanceof TextContent t ? t.text() : "";
            System.out.println(args[i] + " error=" + r.isError() + " peakHeap=" + peak + " " + text.replace('\n', ' '));
        }
    }
}
