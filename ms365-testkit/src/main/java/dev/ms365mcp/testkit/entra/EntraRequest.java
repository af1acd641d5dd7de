package dev.ms365mcp.testkit.entra;

import java.util.Map;

/**
 * One request FakeEntra received, kept so tests can assert what the client really sent.
 *
 * @param method HTTP method
 * @param path   path without query, e.g. {@code /common/oauth2/v2.0/token}
 * @param query  decoded query parameters (last value wins)
 * @param form   decoded {@code application/x-www-form-urlencoded} body parameters (last value wins)
 * @param host   the Host header the client sent
 */
public record EntraRequest(String method, String path, Map<String, String> query, Map<String, String> form,
                           String host) {

    public EntraRequest {
        query = Map.copyOf(query);
        form = Map.copyOf(form);
    }

    /** The {@code grant_type} form parameter, or {@code null} for requests that are not token requests. */
    public String grantType() {
        return form.get("grant_type");
    }

    public boolean isTokenRequest() {
        return path.endsWith("/oauth2/v2.0/token");
    }
}
