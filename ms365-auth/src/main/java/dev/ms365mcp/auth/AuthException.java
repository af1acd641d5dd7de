package dev.ms365mcp.auth;

/**
 * No token could be had. The message says what happened and what the user should do next; it is
 * returned to MCP clients as is, so it must never carry a token, secret or stack trace.
 */
public class AuthException extends RuntimeException {

    public AuthException(String message) {
        super(message);
    }

    public AuthException(String message, Throwable cause) {
        super(message, cause);
    }
}
