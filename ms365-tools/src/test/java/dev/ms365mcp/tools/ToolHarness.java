package dev.ms365mcp.tools;

import dev.ms365mcp.auth.StaticTokenProvider;
import dev.ms365mcp.testkit.graph.FakeGraph;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.net.URI;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link FakeGraph} and an {@link Ms365Tools} pointed at it, signed in with a static token. As a
 * field with {@code @RegisterExtension} it closes itself after each test.
 */
public final class ToolHarness implements AutoCloseable, AfterEachCallback {

    public static final String TOKEN = "test-access-token";

    public final FakeGraph graph = FakeGraph.start();
    private Ms365Tools tools;
    private UnaryOperator<ToolSettings.Builder> lastSettings = s -> s;
    private java.nio.file.Path downloadFolder;

    public ToolHarness() {
        this(s -> s);
    }

    public ToolHarness(UnaryOperator<ToolSettings.Builder> settings) {
        configure(settings);
    }

    /** Rebuilds the tool set with other settings, against the same fake. */
    public ToolHarness configure(UnaryOperator<ToolSettings.Builder> settings) {
        lastSettings = settings;
        ToolSettings s = settings.apply(ToolSettings.defaults().toBuilder().orgMode(true)).build();
        Ms365Tools.Builder b = Ms365Tools.builder().settings(s).tokenProvider(new StaticTokenProvider(TOKEN))
                .graphRoot(URI.create(graph.url()));
        tools = (downloadFolder == null ? b : b.downloadFolder(downloadFolder)).build();
        return this;
    }

    /** Rebuilds the tool set, same settings, with this folder for download-bytes-to-file. */
    public ToolHarness downloadFolder(java.nio.file.Path folder) {
        this.downloadFolder = folder;
        return configure(lastSettings);
    }

    public Ms365Tools tools() {
        return tools;
    }

    public CallToolResult call(String tool, Map<String, Object> args) {
        return tools.call(tool, args);
    }

    /** The text of a result's first content item (for other content, e.g. a resource, its description). */
    public static String text(CallToolResult result) {
        return result.content().get(0) instanceof TextContent t ? t.text() : String.valueOf(result.content().get(0));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        graph.close();
    }
}
