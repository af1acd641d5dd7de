package dev.ms365mcp.tools.execution;

import dev.ms365mcp.auth.TokenProvider;

/**
 * Per call, from the transport: who is calling and where long work reports progress.
 *
 * @param principal the authenticated caller in a multi-user server (see
 *                  {@link dev.ms365mcp.tools.Ms365Tools#PRINCIPAL}); {@code null} in a single-user process
 * @param progress  MCP progress notifications, or {@link Progress#NONE}
 * @param tokens    where this call's Graph token comes from when it depends on the request itself (the
 *                  caller's bearer for on-behalf-of or legacy passthrough, see
 *                  {@link dev.ms365mcp.tools.Ms365Tools#TOKEN_PROVIDER}); {@code null}: the tool set's own provider
 */
public record CallContext(String principal, Progress progress, TokenProvider tokens) {

    /** A call in a single-user process whose client asked for no progress. */
    public static final CallContext LOCAL = new CallContext(null, Progress.NONE);

    public CallContext {
        progress = progress == null ? Progress.NONE : progress;
    }

    public CallContext(String principal, Progress progress) {
        this(principal, progress, null);
    }
}
