package dev.ms365mcp.tools;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

/** The two shapes of a text tool result: an answer, or an error that says what to do. */
public final class ToolResults {

    private ToolResults() {
    }

    public static CallToolResult text(String text) {
        return CallToolResult.builder().addTextContent(text).build();
    }

    /** The text of a result's text items, joined by newlines. */
    public static String textOf(CallToolResult result) {
        return result.content().stream().filter(c -> c instanceof io.modelcontextprotocol.spec.McpSchema.TextContent)
                .map(c -> ((io.modelcontextprotocol.spec.McpSchema.TextContent) c).text())
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    public static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
