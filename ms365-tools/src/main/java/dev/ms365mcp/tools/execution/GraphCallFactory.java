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
import java.util.regex.Pattern;
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

    /** The argument that continues a sync: a delta or next link from an earlier call of the same tool. */
    static final String DELTA_LINK = "deltaLink";
    /** $filter forms Graph answers on directory objects only as advanced queries (ConsistencyLevel + $count). */
    private static final Pattern ADVANCED_FILTER = Pattern.compile("(?i)\\b(ne|not)\\b|endswith\\(|\\$count");

    private final JsonMapper json;
    private final boolean htmlBodies;
    private final TeamsMessages teamsMessages;
    private final Predicate<URI> onGraphHost;
    private final GraphBodies bodies;

    /**
     * {@code graphRoot}: the Graph root in use, for references the executor writes; {@code onGraphHost}:
     * whether an absolute URL a caller gives points at that host.
     */
    GraphCallFactory(JsonMapper json, boolean htmlBodies, TeamsMessages teamsMessages, String graphRoot,
            Predicate<URI> onGraphHost) {
        this.json = json;
        this.htmlBodies = htmlBodies;
        this.teamsMessages = teamsMessages;
        this.onGraphHost = onGraphHost;
        this.bodies = new GraphBodies(graphRoot, onGraphHost);
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
        Object link = args.get(DELTA_LINK);
        boolean continued = link instanceof String l && (l.contains("/") || l.contains("?"));
        if (continued) {
            // Graph's documented way to continue a sync: the link as returned, its encoded options included.
            template = deltaLink(tool, (String) link, pathValues, query);
        }
        for (Param p : tool.params()) {
            Object value = args.get(p.name());
            if (continued && p.in() != Location.HEADER) {
                continue;
            }
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
                case LOCAL -> {
                    if (p.name().equals(DELTA_LINK)) {
                        // a bare token: the $deltatoken (drives: the token) of the first call's link
                        query.put(tool.param("token").isPresent() ? "token" : "$deltatoken", scalar(p, value));
                    }
                }
                case HEADER -> headers.add(Map.entry(p.wire(), p.format() == null ? scalar(p, value)
                        : String.format(p.format(), scalar(p, value))));
                case BODY -> {
                    if (isBase64(p)) {
                        BinaryBody binary = BinaryBody.of(tool.name(), value);
                        body = binary.bytes();
                        contentType = binary.contentType() != null ? binary.contentType() : contentType;
                    } else {
                        body = body(tool, p, value);
                    }
                }
            }
        }
        consistency(tool, query, headers);
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
        if (p.name().equals("driveId") && value.equalsIgnoreCase("me") && template.matches("/[^/]+/drives/\\{driveId}/.*")) {
            // Graph has no /drives/me: the signed-in user's OneDrive is /me/drive.
            return template.replace("/drives/" + placeholder, "/me/drive");
        }
        if (Param.RELATIVE_PATH.equals(p.format())) {
            pathValues.put(p.name(), GraphPaths.relativePath(value, p.name()));
            return template.replace(placeholder, "{+" + p.name() + "}");
        }
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
        String type = p.schema().path("type").asString("");
        if (type.equals("integer") || type.equals("number")) {
            ArgumentShapes.check(p.schema(), json.valueToTree(number(p, value)), p.name());
        }
        String s = scalar(p, value);
        if (p.wire().equals("$search") && !(s.startsWith("\"") && s.endsWith("\"") && s.length() > 1)) {
            // Graph wants $search="words"; a bare value fails on anything but a single word.
            return "\"" + s.replace("\"", "\\\"") + "\"";
        }
        return s;
    }

    /** A number given as a number, or as text that reads as one (some clients send "5"). */
    private static Object number(Param p, Object value) {
        if (value instanceof String s) {
            try {
                return new java.math.BigDecimal(s.strip());
            } catch (NumberFormatException e) {
                throw new InvalidArgumentException("Argument '" + p.name() + "' must be a number, got '" + s + "'.");
            }
        }
        return value;
    }

    /**
     * Adds {@code ConsistencyLevel: eventual} where Graph requires it: on {@code $count}, and on directory
     * queries (rows that accept the header) with {@code $search}, an advanced {@code $filter} or
     * {@code $orderby} with {@code $filter} — which also need {@code $count=true}.
     */
    private static void consistency(ToolDef tool, Map<String, String> query, List<Map.Entry<String, String>> headers) {
        boolean directory = tool.param("ConsistencyLevel").isPresent();
        String filter = query.get("$filter");
        boolean advanced = directory && filter != null
                && (ADVANCED_FILTER.matcher(filter).find() || query.containsKey("$orderby"));
        boolean needed = "true".equals(query.get("$count")) || advanced || directory && query.containsKey("$search");
        if (advanced) {
            query.putIfAbsent("$count", "true");
        }
        if (needed && headers.stream().noneMatch(h -> h.getKey().equalsIgnoreCase("ConsistencyLevel"))) {
            headers.add(Map.entry("ConsistencyLevel", "eventual"));
        }
    }

    /**
     * A delta tool continued from an earlier call's {@code @odata.deltaLink} or {@code @odata.nextLink}: the
     * link's path (a delta function, nothing else) and its query, as Graph returned them.
     */
    private String deltaLink(ToolDef tool, String link, Map<String, String> pathValues, Map<String, String> query) {
        GraphPaths.Target target = GraphPaths.target(link, onGraphHost, DELTA_LINK);
        List<String> segments = GraphPaths.resourceSegments(target.encodedPath());
        String last = segments.isEmpty() ? "" : segments.get(segments.size() - 1);
        if (!last.equals("delta") && !last.startsWith("delta(")) {
            throw new InvalidArgumentException("Argument 'deltaLink' of " + tool.name() + " must be the @odata.deltaLink "
                    + "or @odata.nextLink an earlier call returned (a .../delta link), got '" + link + "'.");
        }
        pathValues.put(DELTA_LINK, target.version() + "/" + target.encodedPath());
        query.putAll(target.query());
        return "/{+" + DELTA_LINK + "}";
    }

    private String scalar(Param p, Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        throw new InvalidArgumentException("Argument '" + p.name() + "' must be a " + p.schema().path("type").asString("string")
                + ", got " + json.writeValueAsString(value) + ".");
    }

    private byte[] body(ToolDef tool, Param p, Object value) {
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
        JsonNode node;
        if (value instanceof String s && bodies.takesReference(tool) && !s.strip().startsWith("{")) {
            node = json.createObjectNode().put("@odata.id", s.strip());
        } else if (value instanceof String s) {
            // Some clients send the object as JSON text; accept it when it parses.
            try {
                node = json.readTree(s);
            } catch (JacksonException e) {
                throw new InvalidArgumentException("Argument 'body' of " + tool.name()
                        + " must be a JSON object; the text given is not valid JSON.");
            }
        } else {
            node = json.valueToTree(value);
        }
        node = bodies.complete(tool, node);
        ArgumentShapes.check(p.schema(), node, "body");
        return json.writeValueAsBytes(node);
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
