package dev.ms365mcp.tools.execution;

import dev.ms365mcp.tools.catalog.Param;
import dev.ms365mcp.tools.catalog.Param.Location;
import dev.ms365mcp.tools.catalog.ToolDef;
import dev.ms365mcp.tools.catalog.ToolDef.HttpMethod;
import dev.ms365mcp.tools.graph.GraphCall;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a tool's arguments into a {@link GraphCall}: path values for the URI template, OData
 * options under their {@code $} names, headers, and the body. Everything the caller got wrong is
 * reported before anything is sent.
 */
final class GraphCallFactory {

    /** Arguments every tool accepts without listing them: clients of the reference send them freely. */
    static final Set<String> TOLERATED = Set.of("fetchAllPages", "account");

    private final JsonMapper json;
    private final boolean htmlBodies;
    private final TeamsMessages teamsMessages;
    private final Predicate<URI> onGraphHost;

    /** {@code onGraphHost}: whether an absolute URL a caller gives points at the Graph host in use. */
    GraphCallFactory(JsonMapper json, boolean htmlBodies, TeamsMessages teamsMessages, Predicate<URI> onGraphHost) {
        this.json = json;
        this.htmlBodies = htmlBodies;
        this.teamsMessages = teamsMessages;
        this.onGraphHost = onGraphHost;
    }

    GraphCall build(ToolDef tool, Map<String, Object> args) {
        for (String name : args.keySet()) {
            if (tool.param(name).isEmpty() && !TOLERATED.contains(name)) {
                throw new InvalidArgumentException("Unknown argument '" + name + "' for " + tool.name() + ". Accepted: "
                        + tool.params().stream().map(Param::name).collect(Collectors.joining(", ")) + ".");
            }
        }
        Map<String, String> pathValues = new LinkedHashMap<>();
        Map<String, String> query = new LinkedHashMap<>();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        byte[] body = null;
        String template = "/" + tool.apiVersion() + tool.path();
        String contentType = tool.contentType();
        for (Param p : tool.params()) {
            Object value = args.get(p.name());
            if (value == null) {
                if (p.required()) {
                    throw new InvalidArgumentException("Missing required argument '" + p.name() + "' (" + p.description()
                            + ") for " + tool.name() + ".");
                }
                continue;
            }
            switch (p.in()) {
                case PATH -> template = putPathValue(template, p, pathValue(p, value), pathValues, query);
                case QUERY -> query.put(p.wire(), queryValue(p, value));
                case HEADER -> headers.add(Map.entry(p.wire(), p.format() == null ? scalar(p, value)
                        : String.format(p.format(), scalar(p, value))));
                case BODY -> {
                    if (isBase64(p)) {
                        BinaryBody binary = BinaryBody.of(tool.name(), value);
                        body = binary.bytes();
                        contentType = binary.contentType() != null ? binary.contentType() : contentType;
                    } else {
                        body = body(tool, value);
                    }
                }
                case LOCAL -> { }
            }
        }
        if (Boolean.TRUE.equals(args.get("count")) && tool.param("count").isPresent()
                && headers.stream().noneMatch(h -> h.getKey().equalsIgnoreCase("ConsistencyLevel"))) {
            // Graph answers $count on directory objects only with eventual consistency.
            headers.add(Map.entry("ConsistencyLevel", "eventual"));
        }
        if (tool.method() == HttpMethod.GET) {
            headers.add(Map.entry("Prefer", "outlook.body-content-type=\"" + (htmlBodies ? "html" : "text") + "\""));
        }
        return new GraphCall(tool.method().name(), template, pathValues, query, headers,
                body, body == null ? null : contentType, null);
    }

    /**
     * Puts one path value and returns the template to use: an ID fills its segment (a quote doubled
     * inside an OData string literal such as {@code search(q='{q}')}); a drive path or a whole Graph
     * path arrives encoded segment by segment and is expanded as is ({@code {+name}}).
     */
    private String putPathValue(String template, Param p, String value, Map<String, String> pathValues,
            Map<String, String> query) {
        String placeholder = "{" + p.name() + "}";
        if (Param.GRAPH_PATH.equals(p.format())) {
            GraphPaths.Target target = GraphPaths.target(value, onGraphHost, p.name());
            pathValues.put(p.name(), target.version() + "/" + target.encodedPath());
            query.putAll(target.query());
            return "/{+" + p.name() + "}";
        }
        if (Param.ITEM_PATH.equals(p.format()) && GraphPaths.isItemPath(value)) {
            pathValues.put(p.name(), GraphPaths.itemPath(value, p.name()));
            return template.replace(placeholder, "{+" + p.name() + "}");
        }
        pathValues.put(p.name(), template.contains("'" + placeholder + "'") ? value.replace("'", "''") : value);
        return template;
    }

    /** A body schema of {@code "contentEncoding": "base64"} carries bytes: they are sent raw. */
    private static boolean isBase64(Param p) {
        return "base64".equals(p.schema().path("contentEncoding").asString(""));
    }

    private String pathValue(Param p, Object value) {
        String s = scalar(p, value);
        // The URI template encodes '/', '?' and '#', but "." and ".." would still be resolved as
        // relative segments by the HTTP stack and reach another resource.
        if (s.isEmpty() || s.equals(".") || s.equals("..")) {
            throw new InvalidArgumentException("Argument '" + p.name() + "' must be a non-empty ID, got '" + s + "'.");
        }
        return s;
    }

    private String queryValue(Param p, Object value) {
        String s = scalar(p, value);
        if (p.wire().equals("$search") && !(s.startsWith("\"") && s.endsWith("\"") && s.length() > 1)) {
            // Graph wants $search="words"; a bare value fails on anything but a single word.
            return "\"" + s.replace("\"", "\\\"") + "\"";
        }
        return s;
    }

    private String scalar(Param p, Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        throw new InvalidArgumentException("Argument '" + p.name() + "' must be a " + p.schema().path("type").asString("string")
                + ", got " + json.writeValueAsString(value) + ".");
    }

    private byte[] body(ToolDef tool, Object value) {
        boolean jsonBody = tool.contentType().contains("json");
        if (!jsonBody) {
            if (value instanceof String s) {
                return s.getBytes(StandardCharsets.UTF_8);
            }
            throw new InvalidArgumentException("Argument 'body' of " + tool.name() + " must be a string ("
                    + tool.contentType() + ").");
        }
        if ("teams".equals(tool.messages())) {
            return json.writeValueAsBytes(teamsMessages.outgoing(teamsBody(value), tool.method() == HttpMethod.POST));
        }
        if (value instanceof String s) {
            // Some clients send the object as JSON text; accept it when it parses.
            try {
                return json.writeValueAsBytes(json.readTree(s));
            } catch (JacksonException e) {
                throw new InvalidArgumentException("Argument 'body' of " + tool.name()
                        + " must be a JSON object; the text given is not valid JSON.");
            }
        }
        return json.writeValueAsBytes(value);
    }

    /** A Teams message request: an object, the object as JSON text, or just the message's text. */
    private JsonNode teamsBody(Object value) {
        if (value instanceof String s) {
            if (s.strip().startsWith("{")) {
                try {
                    return json.readTree(s);
                } catch (JacksonException e) {
                    // not JSON after all: the text of the message
                }
            }
            return teamsMessages.fromText(s);
        }
        return json.valueToTree(value);
    }
}
