package dev.ms365mcp.tools.execution;

import dev.ms365mcp.tools.graph.Cancellation;

/**
 * Per call, from the transport: who is calling, where long work reports progress, and how the
 * client cancels it.
 *
 * @param principal    the authenticated caller in a multi-user server (see
 *                     {@link dev.ms365mcp.tools.Ms365Tools#PRINCIPAL}); {@code null} in a single-user process
 * @param progress     MCP progress notifications, or {@link Progress#NONE}
 * @param cancellation fired when the client cancels the call ({@code notifications/cancelled}), or
 *                     {@link Cancellation#NEVER}
 */
public record CallContext(String principal, Progress progress, Cancellation cancellation) {

    /** A call in a single-user process whose client asked for no progress. */
    public static final CallContext LOCAL = new CallContext(null, Progress.NONE, Cancellation.NEVER);

    public CallContext {
        progress = progress == null ? Progress.NONE : progress;
        cancellation = cancellation == null ? Cancellation.NEVER : cancellation;
    }

    public CallContext(String principal, Progress progress) {
        this(principal, progress, Cancellation.NEVER);
    }
}
