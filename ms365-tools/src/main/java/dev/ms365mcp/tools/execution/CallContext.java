package dev.ms365mcp.tools.execution;

/**
 * Per call, from the transport: who is calling and where long work reports progress.
 *
 * @param principal the authenticated caller in a multi-user server (see
 *                  {@link dev.ms365mcp.tools.Ms365Tools#PRINCIPAL}); {@code null} in a single-user process
 * @param progress  MCP progress notifications, or {@link Progress#NONE}
 */
public record CallContext(String principal, Progress progress) {

    /** A call in a single-user process whose client asked for no progress. */
    public static final CallContext LOCAL = new CallContext(null, Progress.NONE);

    public CallContext {
        progress = progress == null ? Progress.NONE : progress;
    }
}
