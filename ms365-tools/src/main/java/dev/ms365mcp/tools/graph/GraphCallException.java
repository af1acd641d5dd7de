package dev.ms365mcp.tools.graph;

/**
 * A Graph call that ended without an answer to shape: throttled beyond the wait we accept, refused by
 * an open circuit, cancelled by the client. The message is written for the model or person reading
 * it and holds no token, body or class name.
 */
public class GraphCallException extends RuntimeException {

    public GraphCallException(String message) {
        super(message);
    }

    public GraphCallException(String message, Throwable cause) {
        super(message, cause);
    }
}
