package dev.ms365mcp.tools.graph;

/** No answer from Graph at all (DNS, connection, TLS, timeout); the message says where and why. */
public class GraphUnreachableException extends GraphCallException {

    public GraphUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
