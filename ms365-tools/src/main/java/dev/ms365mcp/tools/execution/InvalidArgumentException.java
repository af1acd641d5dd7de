package dev.ms365mcp.tools.execution;

/** A call's arguments cannot become a Graph request; the message says which argument and why. */
public class InvalidArgumentException extends RuntimeException {

    public InvalidArgumentException(String message) {
        super(message);
    }
}
