package dev.ms365mcp.tools;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

/** The two shapes of a text tool result: an answer, or an error that says what to do. */
public final class ToolResults {

    private ToolResults() {
    }

    public static CallToolResult text(String text) {
        return CallToolResult.builder().addTextContent(text).build();
    }

    public static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
