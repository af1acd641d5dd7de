package dev.ms365mcp.testkit.graph;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request exactly as it reached the fake: method, raw (still percent-encoded) path and query,
 * headers (lower-cased names) and body bytes.
 */
public record RecordedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
        byte[] body) {

    /** The first value of a header, or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Query parameters, decoded, in order ({@code $top} and {@code %24top} both read as {@code $top}). */
    public Map<String, String> query() {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Path and query as sent, e.g. {@code /v1.0/me/messages?%24top=5}. */
    public String target() {
        return rawQuery == null || rawQuery.isEmpty() ? rawPath : rawPath + "?" + rawQuery;
    }

    @Override
    public String toString() {
        return method + " " + target();
    }
}
