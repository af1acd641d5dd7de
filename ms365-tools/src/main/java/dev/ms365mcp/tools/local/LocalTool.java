package dev.ms365mcp.tools.local;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import dev.ms365mcp.tools.execution.CallContext;
import java.util.Map;

/**
 * The implementation of a catalog row whose method is {@code LOCAL}: answered in this process
 * (account tools, URL parsing...) instead of by one Graph request. A LOCAL row without an
 * implementation is not offered.
 */
@FunctionalInterface
public interface LocalTool {

    /** Never throws for bad input: returns an {@code isError} result that says what to fix. */
    CallToolResult call(Map<String, Object> arguments);

    /** The call with its caller; tools that act for the caller (discovery's execute-tool) override it. */
    default CallToolResult call(Map<String, Object> arguments, CallContext context) {
        return call(arguments);
    }
}
