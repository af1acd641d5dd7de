package dev.ms365mcp.testkit.graph;

/** Computes the answer to one request; {@code base} is the fake's own root URL, for links. */
@FunctionalInterface
public interface Responder {

    FakeResponse respond(RecordedRequest request, String base);
}
