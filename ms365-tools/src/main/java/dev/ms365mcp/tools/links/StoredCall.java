package dev.ms365mcp.tools.links;

import dev.ms365mcp.tools.graph.GraphCall;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Graph request checked and built during a tool call, kept (as JSON) for a link to make later: the exact
 * path template, values, query and headers, and the scopes its token needs. Never a token or a body.
 *
 * @param headers "Name: value" lines, in order
 */
public record StoredCall(String method, String pathTemplate, Map<String, String> pathValues, Map<String, String> query,
        List<String> headers, String absolute, List<String> scopes) {

    public StoredCall {
        pathValues = pathValues == null ? Map.of() : Map.copyOf(pathValues);
        query = query == null ? Map.of() : new java.util.LinkedHashMap<>(query);
        headers = headers == null ? List.of() : List.copyOf(headers);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    /** {@code call} without its {@code Authorization} header. */
    public static StoredCall of(GraphCall call, java.util.Collection<String> scopes) {
        List<String> headers = new ArrayList<>();
        for (Map.Entry<String, String> h : call.headers()) {
            if (!h.getKey().equalsIgnoreCase("Authorization")) {
                headers.add(h.getKey() + ": " + h.getValue());
            }
        }
        return new StoredCall(call.method(), call.pathTemplate(), call.pathValues(), call.query(), headers,
                call.absolute() == null ? null : call.absolute().toString(), List.copyOf(scopes));
    }

    /** The request again, to be signed with a fresh token. */
    public GraphCall toCall() {
        List<Map.Entry<String, String>> h = new ArrayList<>();
        for (String line : headers) {
            int colon = line.indexOf(':');
            h.add(Map.entry(line.substring(0, colon), line.substring(colon + 1).strip()));
        }
        return new GraphCall(method, pathTemplate, new java.util.HashMap<>(pathValues), query, List.copyOf(h), null, null,
                absolute == null ? null : URI.create(absolute));
    }
}
