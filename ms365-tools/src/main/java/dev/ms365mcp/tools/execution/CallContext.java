package dev.ms365mcp.tools.execution;

import dev.ms365mcp.auth.TokenProvider;
import dev.ms365mcp.tools.graph.Cancellation;
import dev.ms365mcp.tools.safety.AuditEntry;
import dev.ms365mcp.tools.safety.Elicitation;

/**
 * Per call, from the transport: who is calling, in which MCP session, where long work reports
 * progress, how the client cancels it, how to ask the user, the call's audit entry, and where its
 * Graph token comes from when that depends on the request.
 *
 * @param principal    the authenticated caller in a multi-user server (see
 *                     {@link dev.ms365mcp.tools.Ms365Tools#PRINCIPAL}); {@code null} in a single-user process
 * @param progress     MCP progress notifications, or {@link Progress#NONE}
 * @param cancellation fired when the client cancels the call ({@code notifications/cancelled}), or
 *                     {@link Cancellation#NEVER}
 * @param session      the MCP session id, or {@code null} (stateless server)
 * @param elicitation  asks the user through the client, or {@code null} when the client cannot be asked
 * @param audit        what this call did, for the audit log, or {@code null} when the audit log is off
 * @param tokens       the token source of this request (the caller's bearer for on-behalf-of or legacy
 *                     passthrough, see {@link dev.ms365mcp.tools.Ms365Tools#TOKEN_PROVIDER}); {@code null}:
 *                     the tool set's own provider
 */
public record CallContext(String principal, Progress progress, Cancellation cancellation, String session,
        Elicitation elicitation, AuditEntry audit, TokenProvider tokens) {

    /** A call in a single-user process whose client asked for no progress. */
    public static final CallContext LOCAL = new CallContext(null, Progress.NONE);

    public CallContext {
        progress = progress == null ? Progress.NONE : progress;
        cancellation = cancellation == null ? Cancellation.NEVER : cancellation;
    }

    public CallContext(String principal, Progress progress) {
        this(principal, progress, Cancellation.NEVER, null, null, null, null);
    }

    /** A call whose token source comes with the request. */
    public CallContext(String principal, Progress progress, TokenProvider tokens) {
        this(principal, progress, Cancellation.NEVER, null, null, null, tokens);
    }

    /** A call the client cannot cancel. */
    public CallContext(String principal, Progress progress, String session, Elicitation elicitation, AuditEntry audit) {
        this(principal, progress, Cancellation.NEVER, session, elicitation, audit, null);
    }

    public CallContext withAudit(AuditEntry entry) {
        return new CallContext(principal, progress, cancellation, session, elicitation, entry, tokens);
    }

    public CallContext withCancellation(Cancellation c) {
        return new CallContext(principal, progress, c, session, elicitation, audit, tokens);
    }
}
