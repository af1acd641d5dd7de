package dev.ms365mcp.tools.execution;

import dev.ms365mcp.tools.graph.Cancellation;
import dev.ms365mcp.tools.safety.AuditEntry;
import dev.ms365mcp.tools.safety.Elicitation;

/**
 * Per call, from the transport: who is calling, in which MCP session, where long work reports
 * progress, how the client cancels it, how to ask the user, and the call's audit entry.
 *
 * @param principal    the authenticated caller in a multi-user server (see
 *                     {@link dev.ms365mcp.tools.Ms365Tools#PRINCIPAL}); {@code null} in a single-user process
 * @param progress     MCP progress notifications, or {@link Progress#NONE}
 * @param cancellation fired when the client cancels the call ({@code notifications/cancelled}), or
 *                     {@link Cancellation#NEVER}
 * @param session      the MCP session id, or {@code null} (stateless server)
 * @param elicitation  asks the user through the client, or {@code null} when the client cannot be asked
 * @param audit        what this call did, for the audit log, or {@code null} when the audit log is off
 */
public record CallContext(String principal, Progress progress, Cancellation cancellation, String session,
        Elicitation elicitation, AuditEntry audit) {

    /** A call in a single-user process whose client asked for no progress. */
    public static final CallContext LOCAL = new CallContext(null, Progress.NONE);

    public CallContext {
        progress = progress == null ? Progress.NONE : progress;
        cancellation = cancellation == null ? Cancellation.NEVER : cancellation;
    }

    public CallContext(String principal, Progress progress) {
        this(principal, progress, Cancellation.NEVER, null, null, null);
    }

    /** A call the client cannot cancel. */
    public CallContext(String principal, Progress progress, String session, Elicitation elicitation, AuditEntry audit) {
        this(principal, progress, Cancellation.NEVER, session, elicitation, audit);
    }

    public CallContext withAudit(AuditEntry entry) {
        return new CallContext(principal, progress, cancellation, session, elicitation, entry);
    }
}
