package dev.ms365mcp.tools.safety;

/**
 * Asks the user a yes/no question through the MCP client (elicitation), for clients that support it;
 * {@code null} in a call context where nobody can be asked (stateless server, client without it).
 */
@FunctionalInterface
public interface Elicitation {

    /** True only when the user explicitly agreed; a refusal, a dismissal or a failure is false. */
    boolean confirm(String message);
}
