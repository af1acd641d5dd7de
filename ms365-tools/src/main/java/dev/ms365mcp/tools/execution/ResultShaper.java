package dev.ms365mcp.tools.execution;

import dev.toonformat.jtoon.JToon;
import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes a Graph answer cheap for a model to read: compact JSON (or TOON), {@code @odata.*}
 * annotations dropped except the links needed to continue paging or a sync and, where a later call needs
 * them ({@code If-Match}: Planner), ETags; and a size cap that cuts whole items from a collection and says
 * so, rather than breaking the JSON.
 */
final class ResultShaper {

    static final String NEXT_LINK = "@odata.nextLink";
    static final String DELTA_LINK = "@odata.deltaLink";
    /** Kept where a later call must send it back as If-Match (Planner); noise elsewhere. */
    static final String ETAG = "@odata.etag";

    private final JsonMapper json;
    private final boolean toon;
    private final int maxChars;

    ResultShaper(JsonMapper json, boolean toon, int maxChars) {
        this.json = json;
        this.toon = toon;
        this.maxChars = maxChars;
    }

    /** Shapes an answer whose ETags no later call needs. */
    String shapeJson(JsonNode node) {
        return shapeJson(node, false);
    }

    String shapeJson(JsonNode node, boolean keepEtags) {
        JsonNode clean = withoutAnnotations(node, true, keepEtags);
        String out = encode(clean);
        if (out.length() <= maxChars) {
            return out;
        }
        if (clean instanceof ObjectNode obj && obj.path("value") instanceof ArrayNode items && !items.isEmpty()) {
            return fitItems(obj, items);
        }
        return cut(out);
    }

    String shapeText(String text) {
        return text.length() <= maxChars ? text : cut(text);
    }

    /** Keeps as many leading items as fit, with a note saying how many were dropped and what to do. */
    private String fitItems(ObjectNode obj, ArrayNode items) {
        int lo = 0;
        int hi = items.size() - 1;
        String best = null;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            String candidate = encode(withItems(obj, items, mid));
            if (candidate.length() <= maxChars) {
                best = candidate;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return best != null ? best : cut(encode(withItems(obj, items, 0)));
    }

    private ObjectNode withItems(ObjectNode obj, ArrayNode items, int keep) {
        ObjectNode copy = obj.deepCopy();
        ArrayNode kept = copy.putArray("value");
        for (int i = 0; i < keep; i++) {
            kept.add(items.get(i));
        }
        copy.put("truncated", "Showing " + keep + " of " + items.size() + " items: the result exceeded " + maxChars
                + " characters. Ask for less with select (fewer fields), top (fewer items) or filter.");
        return copy;
    }

    private String cut(String text) {
        return text.substring(0, maxChars) + "\n[truncated: the result exceeded " + maxChars
                + " characters. Ask for less with select (fewer fields) or filter.]";
    }

    private String encode(JsonNode node) {
        String compact = json.writeValueAsString(node);
        return toon ? JToon.encodeJson(compact) : compact;
    }

    /**
     * Drops {@code @odata.*} and {@code x@odata.*} members, except ETags when asked (needed for If-Match)
     * and, at the top, the next and delta links.
     */
    static JsonNode withoutAnnotations(JsonNode node, boolean top, boolean keepEtags) {
        if (node instanceof ObjectNode obj) {
            ObjectNode copy = obj.deepCopy();
            Iterator<Map.Entry<String, JsonNode>> it = copy.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String k = e.getKey();
                boolean keep = keepEtags && k.equals(ETAG) || top && (k.equals(NEXT_LINK) || k.equals(DELTA_LINK));
                if (!keep && k.contains("@odata.")) {
                    it.remove();
                } else {
                    e.setValue(withoutAnnotations(e.getValue(), false, keepEtags));
                }
            }
            return copy;
        }
        if (node instanceof ArrayNode arr) {
            ArrayNode copy = arr.arrayNode();
            arr.forEach(n -> copy.add(withoutAnnotations(n, false, keepEtags)));
            return copy;
        }
        return node;
    }
}
