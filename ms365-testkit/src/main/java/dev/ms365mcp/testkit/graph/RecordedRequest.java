package dev.ms365mcp.testkit.graph;

import dev.ms365mcp.testkit.FormEncoding;
import java.nio.charset.StandardCharsets;
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

    /** The token of an {@code Authorization: Bearer} header, or {@code null}. */
    public String bearer() {
        String auth = header("Authorization");
        return auth == null || !auth.startsWith("Bearer ") ? null : auth.substring("Bearer ".length());
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Query parameters, decoded, in order ({@code $top} and {@code %24top} both read as {@code $top}). */
    public Map<String, String> query() {
        return FormEncoding.decode(rawQuery);
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
