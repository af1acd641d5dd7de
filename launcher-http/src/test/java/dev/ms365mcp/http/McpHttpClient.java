package dev.ms365mcp.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A raw Streamable HTTP client for tests: JSON-RPC over POST, answers read from JSON or SSE bodies, so
 * tests see exactly the status, headers and bytes the server sends.
 */
public final class McpHttpClient {

    public static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper JSON = JsonMapper.shared();

    private final URI mcp;
    private final String bearer;
    private final AtomicInteger ids = new AtomicInteger();
    private String session;

    public McpHttpClient(URI mcp, String bearer) {
        this.mcp = mcp;
        this.bearer = bearer;
    }

    public String session() {
        return session;
    }

    /** initialize + notifications/initialized; keeps the session id. */
    public McpHttpClient initialize() throws Exception {
        HttpResponse<String> r = post("""
                {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18",
                 "capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""");
        if (r.statusCode() != 200) {
            throw new AssertionError("initialize: HTTP " + r.statusCode() + " " + r.body());
        }
        session = r.headers().firstValue("Mcp-Session-Id").orElse(null);
        HttpResponse<String> n = post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        if (n.statusCode() != 202) {
            throw new AssertionError("initialized: HTTP " + n.statusCode() + " " + n.body());
        }
        return this;
    }

    /** Calls a tool; returns the JSON-RPC response message. */
    public JsonNode callTool(String name, String argumentsJson) throws Exception {
        return rpc("tools/call", "{\"name\":\"" + name + "\",\"arguments\":" + argumentsJson + "}");
    }

    public JsonNode rpc(String method, String paramsJson) throws Exception {
        HttpResponse<String> r = post("{\"jsonrpc\":\"2.0\",\"id\":" + ids.incrementAndGet() + ",\"method\":\"" + method
                + "\",\"params\":" + paramsJson + "}");
        if (r.statusCode() != 200) {
            throw new AssertionError(method + ": HTTP " + r.statusCode() + " " + r.body());
        }
        List<JsonNode> messages = messages(r);
        return messages.get(messages.size() - 1);
    }

    public HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return HTTP.send(request().POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A POST /mcp request with the usual headers (session, bearer, Accept, Content-Type), to adjust. */
    public HttpRequest.Builder request() {
        HttpRequest.Builder b = HttpRequest.newBuilder(mcp).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream");
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (session != null) {
            b.header("Mcp-Session-Id", session);
            b.header("MCP-Protocol-Version", "2025-06-18");
        }
        return b;
    }

    /** The JSON-RPC messages of a response: its JSON body, or every {@code data:} of its SSE events. */
    public static List<JsonNode> messages(HttpResponse<String> r) {
        List<JsonNode> out = new ArrayList<>();
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (type.startsWith("text/event-stream")) {
            for (String line : r.body().split("\n")) {
                if (line.startsWith("data:")) {
                    out.add(JSON.readTree(line.substring(5).strip()));
                }
            }
        } else {
            out.add(JSON.readTree(r.body()));
        }
        return out;
    }

    /** The text of a tools/call response's first content item. */
    public static String text(JsonNode response) {
        return response.path("result").path("content").path(0).path("text").asString();
    }
}
