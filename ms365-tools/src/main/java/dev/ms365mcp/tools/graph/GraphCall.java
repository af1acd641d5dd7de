package dev.ms365mcp.tools.graph;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request to Graph, before encoding: either a path template with its values (encoded by
 * the URI template engine, so a value never leaves its segment) or an absolute URI followed as is
 * (an {@code @odata.nextLink}).
 *
 * @param method      GET, POST, PATCH, PUT or DELETE
 * @param pathTemplate RFC 6570 template below the Graph root, e.g. {@code /v1.0/me/messages/{messageId}}
 * @param pathValues  values for the template's variables
 * @param query       query parameters by wire name ({@code $top}), in order
 * @param headers     request headers (a name may repeat, e.g. several {@code Prefer})
 * @param body        request body bytes, or {@code null}
 * @param contentType content type of the body
 * @param absolute    when set, sent verbatim instead of the template
 */
public record GraphCall(String method, String pathTemplate, Map<String, String> pathValues, Map<String, String> query,
        List<Map.Entry<String, String>> headers, byte[] body, String contentType, URI absolute) {

    /** The same call with one more header (e.g. the {@code Authorization} added last). */
    public GraphCall withHeader(String name, String value) {
        List<Map.Entry<String, String>> h = new java.util.ArrayList<>(headers);
        h.add(Map.entry(name, value));
        return new GraphCall(method, pathTemplate, pathValues, query, List.copyOf(h), body, contentType, absolute);
    }

    public static GraphCall followLink(URI link, List<Map.Entry<String, String>> headers) {
        return new GraphCall("GET", null, Map.of(), Map.of(), headers, null, null, link);
    }
}
