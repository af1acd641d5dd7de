package dev.ms365mcp.http.transport;

import dev.ms365mcp.http.metrics.ServerMetrics;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolResults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the MCP server behind {@code /mcp} offers, applied to the SDK's server builder for either
 * transport. Production offers the Microsoft 365 tools; the conformance tests offer the suite's fixtures
 * over the same Jetty wiring.
 */
public interface McpFeatures {

    /** How long a tool call may wait for the client's answer to a server request such as an elicitation. */
    java.time.Duration CONFIRMATION_WAIT = java.time.Duration.ofMinutes(5);

    McpServer.SyncSpecification<?> apply(McpServer.SyncSpecification<?> server);

    McpServer.StatelessSyncSpecification apply(McpServer.StatelessSyncSpecification server);

    /** The meters of what is offered, served on {@code /metrics}; null: none. */
    default ServerMetrics metrics() {
        return null;
    }

    /**
     * The Microsoft 365 tools, each call guarded: whatever a call throws (an {@link Error} included, which the
     * SDK's reactive plumbing would rethrow and leave the request hanging) becomes an error result that
     * names no Java internals, and the server serves on.
     */
    static McpFeatures of(Ms365Tools tools) {
        Logger log = LoggerFactory.getLogger(McpFeatures.class);
        McpSchema.ServerCapabilities capabilities = McpSchema.ServerCapabilities.builder().tools(false).build();
        ServerMetrics metrics = new ServerMetrics(tools.statelessToolSpecifications().stream().map(s -> s.tool().name()).toList());
        List<McpServerFeatures.SyncToolSpecification> stateful = tools.syncToolSpecifications().stream()
                .map(s -> {
                    ServerMetrics.ToolMeters meters = metrics.tool(s.tool().name());
                    return McpServerFeatures.SyncToolSpecification.builder().tool(s.tool())
                        .callHandler((exchange, request) -> {
                            long start = System.nanoTime();
                            McpSchema.CallToolResult result;
                            try {
                                result = s.callHandler().apply(exchange, request);
                            } catch (Throwable t) {
                                log.error("Tool {} failed: {}", s.tool().name(), t.getClass().getSimpleName());
                                result = failed(s.tool().name());
                            }
                            meters.record(start, Boolean.TRUE.equals(result.isError()));
                            return result;
                        }).build();
                }).toList();
        List<McpStatelessServerFeatures.SyncToolSpecification> stateless = tools.statelessToolSpecifications().stream()
                .map(s -> {
                    ServerMetrics.ToolMeters meters = metrics.tool(s.tool().name());
                    return McpStatelessServerFeatures.SyncToolSpecification.builder().tool(s.tool())
                        .callHandler((context, request) -> {
                            long start = System.nanoTime();
                            McpSchema.CallToolResult result;
                            try {
                                result = s.callHandler().apply(context, request);
                            } catch (Throwable t) {
                                log.error("Tool {} failed: {}", s.tool().name(), t.getClass().getSimpleName());
                                result = failed(s.tool().name());
                            }
                            meters.record(start, Boolean.TRUE.equals(result.isError()));
                            return result;
                        }).build();
                }).toList();
        return new McpFeatures() {
            @Override
            public McpServer.SyncSpecification<?> apply(McpServer.SyncSpecification<?> server) {
                // a confirmation question (elicitation) waits for a person, not the SDK's default 20 s
                return server.jsonSchemaValidator(tools.schemaValidator()).capabilities(capabilities)
                        .requestTimeout(CONFIRMATION_WAIT).tools(stateful);
            }

            @Override
            public McpServer.StatelessSyncSpecification apply(McpServer.StatelessSyncSpecification server) {
                return server.jsonSchemaValidator(tools.schemaValidator()).capabilities(capabilities).tools(stateless);
            }

            @Override
            public ServerMetrics metrics() {
                return metrics;
            }
        };
    }

    private static McpSchema.CallToolResult failed(String tool) {
        return ToolResults.error(tool + " failed inside the server; nothing more is known. Try again, and report it "
                + "if it keeps happening.");
    }
}
