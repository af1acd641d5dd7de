package dev.ms365mcp.tools.catalog;

import tools.jackson.databind.node.ObjectNode;

/**
 * One argument of a tool: its name as clients send it, where it goes in the Graph request, its name
 * on the wire there, and the JSON Schema clients see.
 *
 * @param name     argument name (the drop-in contract: {@code messageId}, {@code top}, {@code body}...)
 * @param in       where the value goes
 * @param wire     name on the wire ({@code $top}, {@code If-Match}, {@code Prefer}...)
 * @param format   for headers: a {@link String#format} pattern for the value, e.g.
 *                 {@code outlook.timezone="%s"}; for path values, how the value is addressed:
 *                 {@value #ITEM_PATH} (a driveItem ID, or a path like {@code root:/dir/file} sent as
 *                 {@code root:/dir/file:} with each name encoded), {@value #GRAPH_PATH} (the whole
 *                 request path: any Graph path below the version root) or {@value #RELATIVE_PATH} (a path
 *                 of several segments, e.g. a site's server-relative path); {@code null} = the value as is
 * @param required whether callers must send it
 * @param listed   shown in the input schema; unlisted parameters are accepted all the same (rarely
 *                 used OData options, kept out of tools/list to save every turn's tokens)
 * @param schema   the property's JSON Schema (type, description, enum, items...)
 */
public record Param(String name, Location in, String wire, String format, boolean required, boolean listed,
        ObjectNode schema) {

    /** Path format: a driveItem ID, or a path from the drive root (or from an item) to address it by name. */
    public static final String ITEM_PATH = "itemPath";
    /** Path format: a Graph path below the version root, e.g. {@code /me/photo/$value}, with an optional query. */
    public static final String GRAPH_PATH = "graphPath";
    /** Path format: a server-relative path ({@code sites/Team}): its slashes kept, each name encoded. */
    public static final String RELATIVE_PATH = "relativePath";

    /** Where an argument goes. */
    public enum Location {
        /** a path segment of the URL template, encoded so it cannot leave its segment */
        PATH,
        /** a query parameter */
        QUERY,
        /** a request header */
        HEADER,
        /** the request body */
        BODY,
        /** read by the executor itself (e.g. {@code fetchAllPages}) */
        LOCAL
    }

    public String description() {
        return schema.path("description").asString("");
    }
}
