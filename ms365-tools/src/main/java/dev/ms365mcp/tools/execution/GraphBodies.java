package dev.ms365mcp.tools.execution;

import dev.ms365mcp.tools.catalog.ToolDef;
import java.net.URI;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Request bodies completed the way Graph documents them, where a model's natural request would be
 * misread: an itemBody of HTML sent without {@code contentType} (Graph would show the tags as text), an
 * event asking for a Teams link without its provider, a {@code $ref} given a bare ID, a list item's column
 * values wrapped in {@code fields} where the endpoint is already {@code .../fields}.
 */
final class GraphBodies {

    /** Tags that make a body clearly HTML; text with a stray '<' or an address in angle brackets is not. */
    private static final Pattern HTML = Pattern.compile(
            "<(?:p|div|br|span|a|b|i|u|s|strong|em|ul|ol|li|table|tr|td|th|h[1-6]|img|blockquote|pre|code|hr|font|html|body)"
                    + "(?:\\s[^<>]*)?/?>|</(?:p|div|span|a|b|i|u|strong|em|ul|ol|li|table|h[1-6]|blockquote|pre|html|body)>",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DIRECTORY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]*");

    private final String graphRoot;
    private final Predicate<URI> onGraphHost;

    /** {@code graphRoot}: the Graph root in use (national clouds), for the references it writes. */
    GraphBodies(String graphRoot, Predicate<URI> onGraphHost) {
        this.graphRoot = graphRoot.endsWith("/") ? graphRoot.substring(0, graphRoot.length() - 1) : graphRoot;
        this.onGraphHost = onGraphHost;
    }

    /** True when a text is clearly HTML markup rather than prose. */
    static boolean looksLikeHtml(String text) {
        return HTML.matcher(text).find();
    }

    /** A body given as bare text where the row takes a reference: the ID of the object to add. */
    boolean takesReference(ToolDef tool) {
        return tool.method() == ToolDef.HttpMethod.POST && tool.path().endsWith("/$ref");
    }

    /** Completes {@code body} (a copy) for {@code tool}. */
    JsonNode complete(ToolDef tool, JsonNode body) {
        if (!(body instanceof ObjectNode obj)) {
            return body;
        }
        ObjectNode out = obj.deepCopy();
        if (takesReference(tool)) {
            reference(tool, out);
        }
        if (tool.path().endsWith("/fields") && out.size() == 1 && out.get("fields") instanceof ObjectNode fields) {
            // The reference's shape {fields:{...}}; PATCH .../fields takes the column values themselves.
            return fields;
        }
        if (out.path("isOnlineMeeting").asBoolean(false) && !out.has("onlineMeetingProvider")) {
            out.put("onlineMeetingProvider", "teamsForBusiness");
        }
        itemBodies(out);
        return out;
    }

    /** {@code {"@odata.id": "<id>"}} (or {@code {"id": ...}}) becomes Graph's directoryObjects URL. */
    private void reference(ToolDef tool, ObjectNode out) {
        String id = out.path("@odata.id").asString(out.path("id").asString(""));
        out.remove("id");
        if (id.isBlank()) {
            throw new InvalidArgumentException(tool.name() + " needs the member's ID: {\"@odata.id\": \"<user or group id>\"}.");
        }
        if (id.contains("/")) {
            // A URL is passed as given: Graph resolves it (the canonical host, whatever cloud), no token goes with it.
            URI uri;
            try {
                uri = URI.create(id);
            } catch (IllegalArgumentException e) {
                throw new InvalidArgumentException("'@odata.id' is neither an ID nor a Graph URL: " + id);
            }
            if (!uri.isAbsolute() || !"https".equalsIgnoreCase(uri.getScheme()) && !onGraphHost.test(uri)) {
                throw new InvalidArgumentException("'@odata.id' must be an ID or a Graph URL, got " + id + ".");
            }
            out.put("@odata.id", id);
        } else if (DIRECTORY_ID.matcher(id).matches()) {
            // An object ID is addressed as a directory object; a user principal name only as a user.
            out.put("@odata.id", graphRoot + "/v1.0/" + (id.contains("@") ? "users/" : "directoryObjects/") + id);
        } else {
            throw new InvalidArgumentException("'@odata.id' is not a directory object ID: " + id);
        }
    }

    /** Every {@code body: {content}} without a contentType, at any depth, typed as HTML when it is HTML. */
    private static void itemBodies(JsonNode node) {
        if (node instanceof ObjectNode obj) {
            if (obj.get("body") instanceof ObjectNode b && b.path("content").isString() && !b.has("contentType")
                    && looksLikeHtml(b.path("content").asString())) {
                b.put("contentType", "html");
            }
            obj.properties().forEach(e -> itemBodies(e.getValue()));
        } else if (node != null && node.isArray()) {
            node.forEach(GraphBodies::itemBodies);
        }
    }
}
