package dev.ms365mcp.http.oauth;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /register}: RFC 7591 dynamic client registration, open to anyone (that is how MCP clients
 * arrive; rate limits sit in front). Every redirect URI must pass {@link RedirectUriPolicy}; a request
 * with one bad URI is refused whole, saying which rule it broke, so a client never ends up with half of
 * what it asked for. Answers 201 with the full metadata.
 */
final class ClientRegistration extends HttpServlet {

    private static final Logger LOG = LoggerFactory.getLogger(ClientRegistration.class);
    private static final Set<String> AUTH_METHODS = Set.of("none", "client_secret_basic", "client_secret_post");
    private static final Set<String> GRANT_TYPES = Set.of("authorization_code", "refresh_token");
    private static final int MAX_REDIRECT_URIS = 20;

    private final ClientRegistry clients;
    private final Clock clock;

    ClientRegistration(ClientRegistry clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            RegisteredClient client = parse(req);
            String secret = client.confidential() ? Secrets.random(32) : null;
            if (secret != null) {
                client = new RegisteredClient(client.clientId(), client.clientName(), client.redirectUris(), client.grantTypes(),
                        client.responseTypes(), client.tokenEndpointAuthMethod(), Secrets.hash(secret), client.clientIdIssuedAt(),
                        client.clientUri(), client.applicationType(), client.scope(), false);
            }
            clients.save(client);
            LOG.info("registered OAuth client {} ({}, {} redirect URIs)", client.clientId(),
                    client.tokenEndpointAuthMethod(), client.redirectUris().size());
            OAuthHttp.json(resp, 201, answer(client, secret));
        } catch (OAuthError e) {
            OAuthHttp.error(resp, e);
        }
    }

    private RegisteredClient parse(HttpServletRequest req) throws IOException {
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw OAuthError.invalidRequest("send the client metadata as JSON (Content-Type: application/json)");
        }
        JsonNode body;
        try {
            body = JsonMapper.shared().readTree(OAuthHttp.body(req));
        } catch (JacksonException e) {
            throw new OAuthError("invalid_client_metadata", "the body is not valid JSON", 400);
        }
        if (body == null || !body.isObject()) {
            throw new OAuthError("invalid_client_metadata", "the body must be a JSON object of client metadata", 400);
        }
        List<String> redirects = strings(body, "redirect_uris", "invalid_redirect_uri");
        if (redirects.isEmpty()) {
            throw new OAuthError("invalid_redirect_uri", "redirect_uris must list at least one redirect URI", 400);
        }
        if (redirects.size() > MAX_REDIRECT_URIS) {
            throw new OAuthError("invalid_redirect_uri", "at most " + MAX_REDIRECT_URIS + " redirect URIs", 400);
        }
        for (String uri : redirects) {
            String problem = RedirectUriPolicy.problem(uri).orElse(null);
            if (problem != null) {
                throw new OAuthError("invalid_redirect_uri", problem + " (" + abbreviate(uri) + ")", 400);
            }
        }
        String method = text(body, "token_endpoint_auth_method", "none");
        if (!AUTH_METHODS.contains(method)) {
            throw new OAuthError("invalid_client_metadata",
                    "token_endpoint_auth_method must be none, client_secret_basic or client_secret_post", 400);
        }
        List<String> grants = body.has("grant_types") ? strings(body, "grant_types", "invalid_client_metadata")
                : List.of("authorization_code", "refresh_token");
        for (String g : grants) {
            if (!GRANT_TYPES.contains(g)) {
                throw new OAuthError("invalid_client_metadata", "grant type '" + abbreviate(g)
                        + "' is not supported here; use authorization_code and refresh_token", 400);
            }
        }
        List<String> responses = body.has("response_types") ? strings(body, "response_types", "invalid_client_metadata") : List.of("code");
        if (!responses.stream().allMatch("code"::equals)) {
            throw new OAuthError("invalid_client_metadata", "only the response type 'code' is supported", 400);
        }
        String name = text(body, "client_name", null);
        if (name != null && name.length() > 200) {
            throw new OAuthError("invalid_client_metadata", "client_name is longer than 200 characters", 400);
        }
        return new RegisteredClient(Secrets.random(18), name, redirects, grants, responses.isEmpty() ? List.of("code") : responses,
                method, null, clock.instant().getEpochSecond(), text(body, "client_uri", null),
                text(body, "application_type", null), text(body, "scope", null), false);
    }

    private static Map<String, Object> answer(RegisteredClient client, String secret) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("client_id", client.clientId());
        out.put("client_id_issued_at", client.clientIdIssuedAt());
        if (secret != null) {
            out.put("client_secret", secret);
            out.put("client_secret_expires_at", 0);
        }
        out.put("redirect_uris", client.redirectUris());
        out.put("grant_types", client.grantTypes());
        out.put("response_types", client.responseTypes());
        out.put("token_endpoint_auth_method", client.tokenEndpointAuthMethod());
        putIfSet(out, "client_name", client.clientName());
        putIfSet(out, "client_uri", client.clientUri());
        putIfSet(out, "application_type", client.applicationType());
        putIfSet(out, "scope", client.scope());
        return out;
    }

    private static void putIfSet(Map<String, Object> out, String name, String value) {
        if (value != null) {
            out.put(name, value);
        }
    }

    private static List<String> strings(JsonNode body, String field, String error) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new OAuthError(error, field + " must be an array of strings", 400);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isString()) {
                throw new OAuthError(error, field + " must be an array of strings", 400);
            }
            if (!out.contains(n.asString())) {
                out.add(n.asString());
            }
        }
        return out;
    }

    private static String text(JsonNode body, String field, String fallback) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isString()) {
            throw new OAuthError("invalid_client_metadata", field + " must be a string", 400);
        }
        return node.asString();
    }

    /** Echoes enough of a rejected value to find it, without turning the error into a reflection channel. */
    static String abbreviate(String value) {
        String v = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        return v.replaceAll("[\\p{Cntrl}]", "?");
    }
}
