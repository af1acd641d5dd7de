package dev.ms365mcp.testkit.graph;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the fake answers: status, headers and body bytes. */
public record FakeResponse(int status, Map<String, String> headers, byte[] body) {

    public static FakeResponse json(int status, String json) {
        return new FakeResponse(status, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
    }

    public static FakeResponse ok(String json) {
        return json(200, json);
    }

    public static FakeResponse noContent() {
        return new FakeResponse(204, Map.of(), new byte[0]);
    }

    public static FakeResponse accepted() {
        return new FakeResponse(202, Map.of(), new byte[0]);
    }

    public static FakeResponse bytes(int status, String contentType, byte[] body) {
        return new FakeResponse(status, Map.of("Content-Type", contentType), body);
    }

    /** Graph's OData error shape: {@code {"error":{"code":..,"message":..}}}. */
    public static FakeResponse error(int status, String code, String message) {
        String json = "{\"error\":{\"code\":" + JsonText.quote(code) + ",\"message\":" + JsonText.quote(message)
                + ",\"innerError\":{\"request-id\":\"00000000-0000-0000-0000-000000000000\"}}}";
        return json(status, json);
    }

    /** 429 with {@code Retry-After} in seconds. */
    public static FakeResponse tooManyRequests(int retryAfterSeconds) {
        FakeResponse r = error(429, "TooManyRequests", "Too many requests, retry later.");
        return r.withHeader("Retry-After", Integer.toString(retryAfterSeconds));
    }

    public static FakeResponse serviceUnavailable(int retryAfterSeconds) {
        FakeResponse r = error(503, "serviceNotAvailable", "Service is temporarily unavailable.");
        return r.withHeader("Retry-After", Integer.toString(retryAfterSeconds));
    }

    public FakeResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new FakeResponse(status, Map.copyOf(h), body);
    }
}
