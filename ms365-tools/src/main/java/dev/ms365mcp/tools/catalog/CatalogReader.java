package dev.ms365mcp.tools.catalog;

import dev.ms365mcp.tools.catalog.Param.Location;
import dev.ms365mcp.tools.catalog.ToolDef.HttpMethod;
import dev.ms365mcp.tools.catalog.ToolDef.ResponseKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the catalog's JSON into {@link ToolDef}s.
 *
 * <p>Format (see {@code common.json} and any area file): an area file is
 * {@code {"area": "mail", "presets": [...], "tools": [row, ...]}}, optionally with its own
 * {@code params}, {@code groups} and {@code fragments} sections layered over the common ones; a row has {@code name, method,
 * path, description, scopes} and optionally {@code altScopes, orgOnly, readOnly, destructive,
 * params, body, contentType, response, presets, messages, workbookSession, scopesFromTarget,
 * changesLocalState, keepsEtags} ({@code keepsEtags} also area-wide). Path
 * placeholders are argument names ({@code /me/messages/{messageId}}) and become required string
 * arguments, described automatically unless the file's {@code params} define one of that name with
 * {@code "in": "path"} (then that definition serves every row of the file, e.g. a path {@code format}).
 * {@code params} lists
 * shared parameters by name ({@code "top"}; {@code "~skip"}: accepted but not listed), groups of
 * them ({@code "@list"}; a name mentioned earlier in the row keeps its first form), or inline
 * definitions ({@code {"name": ..., "in": "query", "type": ..., "description": ...}}). Inside a
 * body schema, {@code "@fragment"} (or {@code {"@": "fragment", ...overrides}}) stands for a shared
 * schema fragment, expanded here so the listed schema has no {@code $ref}.
 */
final class CatalogReader {

    static final String ROOT = "/dev/ms365mcp/tools/catalog/";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");
    private static final Set<String> META_KEYS = Set.of("name", "in", "wire", "format", "required");

    private final JsonMapper json = JsonMapper.shared();
    private final ObjectNode common;
    private ObjectNode sharedParams;
    private ObjectNode groups;
    private ObjectNode fragments;
    /**
     * The area's shared parameters as read, by reference ({@code "top"}, {@code "~skip"}): read once and
     * shared by every tool that names them (their schema nodes are never changed after reading).
     */
    private final Map<String, Param> sharedRead = new HashMap<>();
    private boolean keepsEtags;

    private CatalogReader(ObjectNode common) {
        this.common = common;
    }

    static List<ToolDef> readBuiltIn() {
        JsonMapper json = JsonMapper.shared();
        ObjectNode common = (ObjectNode) read(json, "common.json");
        CatalogReader reader = new CatalogReader(common);
        List<ToolDef> tools = new ArrayList<>();
        for (JsonNode area : common.path("areas")) {
            tools.addAll(reader.readArea(read(json, area.asString() + ".json")));
        }
        return tools;
    }

    /** The rows of one catalog file outside the area list (e.g. the discovery tools), with common.json shared. */
    static List<ToolDef> readExtra(String file) {
        JsonMapper json = JsonMapper.shared();
        return new CatalogReader((ObjectNode) read(json, "common.json")).readArea(read(json, file));
    }

    static JsonNode read(JsonMapper json, String file) {
        try (InputStream in = CatalogReader.class.getResourceAsStream(ROOT + file)) {
            if (in == null) {
                throw new IllegalStateException("Catalog resource missing: " + ROOT + file);
            }
            return json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<ToolDef> readArea(JsonNode areaNode) {
        String area = areaNode.path("area").asString();
        // An area may add its own params, groups and fragments; they are visible in that file only.
        sharedParams = layered("params", areaNode);
        groups = layered("groups", areaNode);
        fragments = layered("fragments", areaNode);
        sharedRead.clear();
        Set<String> areaPresets = strings(areaNode.path("presets"));
        keepsEtags = areaNode.path("keepsEtags").asBoolean(false);
        List<ToolDef> out = new ArrayList<>();
        for (JsonNode row : areaNode.path("tools")) {
            try {
                out.add(readRow(area, areaPresets, row));
            } catch (RuntimeException e) {
                throw new IllegalStateException("Catalog " + area + ", tool " + row.path("name").asString("?") + ": "
                        + e.getMessage(), e);
            }
        }
        return out;
    }

    private ObjectNode layered(String section, JsonNode areaNode) {
        ObjectNode merged = json.createObjectNode();
        if (common.path(section) instanceof ObjectNode c) {
            merged.setAll(c);
        }
        if (areaNode.path(section) instanceof ObjectNode a) {
            merged.setAll(a);
        }
        return merged;
    }

    private ToolDef readRow(String area, Set<String> areaPresets, JsonNode row) {
        String name = required(row, "name");
        HttpMethod method = HttpMethod.valueOf(required(row, "method").toUpperCase(Locale.ROOT));
        String rawPath = method == HttpMethod.LOCAL ? row.path("path").asString("") : required(row, "path");
        String version = rawPath.startsWith("/beta/") ? "beta" : "v1.0";
        String path = rawPath.startsWith("/beta/") ? rawPath.substring("/beta".length()) : rawPath;

        List<Param> params = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(path);
        List<String> explicitPath = new ArrayList<>();
        row.path("params").forEach(p -> {
            if (p.isObject() && "path".equals(p.path("in").asString())) {
                explicitPath.add(p.path("name").asString());
            }
        });
        while (m.find()) {
            String arg = m.group(1);
            if (explicitPath.contains(arg)) {
                continue;
            }
            JsonNode shared = sharedParams.path(arg);
            if (shared instanceof ObjectNode def && "path".equals(def.path("in").asString())) {
                params.add(param(arg, def));
            } else {
                ObjectNode schema = json.createObjectNode().put("type", "string").put("description", humanize(arg));
                params.add(new Param(arg, Location.PATH, arg, null, true, true, schema));
            }
        }
        JsonNode body = row.path("body");
        if (!body.isMissingNode()) {
            params.add(new Param("body", Location.BODY, "body", null, !body.path("optional").asBoolean(false), true,
                    expandFragments(withoutKeys(resolve(body), Set.of("optional")))));
        }
        Set<String> named = new java.util.HashSet<>();
        params.forEach(p -> named.add(p.name()));
        for (JsonNode p : row.path("params")) {
            if (p.isString() && p.asString().startsWith("@")) {
                JsonNode group = groups.path(p.asString().substring(1));
                if (!group.isArray()) {
                    throw new IllegalArgumentException("unknown parameter group " + p.asString());
                }
                group.forEach(g -> addOnce(params, named, sharedParam(g.asString())));
            } else if (p.isString()) {
                addOnce(params, named, sharedParam(p.asString()));
            } else {
                addOnce(params, named, param(required(p, "name"), (ObjectNode) p));
            }
        }

        boolean readOnly = row.path("readOnly").asBoolean(method == HttpMethod.GET || method == HttpMethod.LOCAL);
        Set<String> presets = row.has("presets") ? strings(row.path("presets")) : areaPresets;
        List<String> scopes = List.copyOf(strings(row.path("scopes")));
        boolean workbookSession = row.path("workbookSession").asBoolean(false);
        boolean scopesFromTarget = row.path("scopesFromTarget").asBoolean(false);
        if (workbookSession && !path.contains("/workbook/")) {
            throw new IllegalArgumentException("workbookSession needs a path below .../workbook/");
        }
        if (scopesFromTarget && !scopes.isEmpty()) {
            throw new IllegalArgumentException("scopesFromTarget and scopes exclude each other");
        }
        for (Param p : params) {
            if (Param.GRAPH_PATH.equals(p.format()) && !path.equals("/{" + p.name() + "}")) {
                throw new IllegalArgumentException("a " + Param.GRAPH_PATH + " parameter must be the whole path");
            }
        }
        return new ToolDef(name, area, method, path, version, required(row, "description"),
                scopes, List.copyOf(strings(row.path("altScopes"))),
                row.path("orgOnly").asBoolean(false), readOnly,
                row.path("destructive").asBoolean(method == HttpMethod.DELETE),
                List.copyOf(params), row.path("contentType").asString("application/json"),
                ResponseKind.of(row.path("response").asString("json")),
                presets, InputSchemas.of(json, params),
                row.has("messages") ? messages(row.path("messages").asString()) : null,
                workbookSession, scopesFromTarget, row.path("changesLocalState").asBoolean(false),
                row.path("keepsEtags").asBoolean(keepsEtags));
    }

    /** The message kinds the executor knows how to adapt (see {@link ToolDef#messages()}). */
    private static String messages(String kind) {
        if (!kind.equals("teams")) {
            throw new IllegalArgumentException("unknown messages kind '" + kind + "' (known: teams)");
        }
        return kind;
    }

    /**
     * The first mention of a name wins: {@code ["top", "@odata"]} lists {@code top} and takes the rest of
     * the group as it is (e.g. accepted but not listed).
     */
    private static void addOnce(List<Param> params, Set<String> named, Param p) {
        if (named.add(p.name())) {
            params.add(p);
        }
    }

    /** {@code "top"} names a shared parameter; {@code "~skip"} one that is accepted but not listed. */
    private Param sharedParam(String ref) {
        return sharedRead.computeIfAbsent(ref, this::readSharedParam);
    }

    private Param readSharedParam(String ref) {
        boolean listed = !ref.startsWith("~");
        String name = listed ? ref : ref.substring(1);
        JsonNode def = sharedParams.path(name);
        if (!def.isObject()) {
            throw new IllegalArgumentException("unknown shared parameter " + name);
        }
        Param p = param(name, (ObjectNode) def);
        return listed ? p : new Param(p.name(), p.in(), p.wire(), p.format(), false, false, p.schema());
    }

    private Param param(String name, ObjectNode def) {
        Location in = Location.valueOf(def.path("in").asString("query").toUpperCase(Locale.ROOT));
        String wire = def.path("wire").asString(name);
        String format = def.has("format") ? def.path("format").asString() : null;
        boolean required = def.path("required").asBoolean(in == Location.PATH);
        return new Param(name, in, wire, format, required, true, expandFragments(withoutKeys(def, META_KEYS)));
    }

    /** Replaces {@code "@name"} and {@code {"@": "name", ...}} under properties/items with the fragment. */
    private ObjectNode expandFragments(ObjectNode schema) {
        ObjectNode out = schema.deepCopy();
        JsonNode props = out.path("properties");
        if (props.isObject()) {
            ObjectNode expanded = json.createObjectNode();
            props.properties().forEach(e -> expanded.set(e.getKey(), expandFragments(resolve(e.getValue()))));
            out.set("properties", expanded);
        }
        if (out.has("items")) {
            out.set("items", expandFragments(resolve(out.get("items"))));
        }
        return out;
    }

    private ObjectNode resolve(JsonNode node) {
        if (node.isString() && node.asString().startsWith("@")) {
            return fragment(node.asString().substring(1));
        }
        if (node.isObject() && node.has("@")) {
            ObjectNode merged = fragment(node.path("@").asString());
            node.properties().forEach(e -> {
                if (!e.getKey().equals("@")) {
                    merged.set(e.getKey(), e.getValue());
                }
            });
            return merged;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("schema expected, got " + node);
        }
        return (ObjectNode) node;
    }

    private ObjectNode fragment(String name) {
        JsonNode f = fragments.path(name);
        if (!f.isObject()) {
            throw new IllegalArgumentException("unknown schema fragment @" + name);
        }
        return ((ObjectNode) f).deepCopy();
    }

    private ObjectNode withoutKeys(ObjectNode node, Set<String> keys) {
        ObjectNode copy = node.deepCopy();
        copy.remove(keys);
        return copy;
    }

    private static String required(JsonNode row, String field) {
        String v = row.path(field).asString("");
        if (v.isBlank()) {
            throw new IllegalArgumentException("missing '" + field + "'");
        }
        return v;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        if (array instanceof ArrayNode a) {
            a.forEach(n -> out.add(n.asString()));
        }
        return Collections.unmodifiableSet(out);
    }

    /**
     * Describes a path parameter from its name: {@code mailFolderId} is just "ID" (the name already
     * says whose; tools/list pays for every byte), other names read as words.
     */
    static String humanize(String arg) {
        if (arg.endsWith("Id") || arg.equals("id")) {
            return "ID";
        }
        String words = arg.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
