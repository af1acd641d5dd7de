package dev.ms365mcp.tools.execution;

/**
 * Where a long tool call reports how far it got (pages fetched, a download), sent to the client as
 * MCP progress notifications when the client asked for them with a progress token.
 */
@FunctionalInterface
public interface Progress {

    /** Reports nothing: the client did not ask. */
    Progress NONE = (progress, total, message) -> { };

    /** {@code progress} grows with every call; {@code total} is null when unknown. */
    void report(double progress, Double total, String message);
}
