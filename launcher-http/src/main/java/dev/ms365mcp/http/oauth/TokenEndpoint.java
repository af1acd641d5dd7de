package dev.ms365mcp.http.oauth;

import dev.ms365mcp.http.metrics.ServerMetrics;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /token}: the {@code authorization_code} grant (single use, PKCE S256, redirect URI and
 * client bound, RFC 8707 resource checked) and the {@code refresh_token} grant ({@link RefreshTokenRotation}).
 * Answers RFC 6749 §5.1 JSON, never cached, and §5.2 errors.
 */
final class TokenEndpoint extends HttpServlet {

    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);

    private final OAuthSettings settings;
    private final ClientRegistry clients;
    private final AuthorizationCodes codes;
    private final Grants grants;
    private final RefreshTokenRotation rotation;

    TokenEndpoint(OAuthSettings settings, ClientRegistry clients, AuthorizationCodes codes, Grants grants, RefreshTokenRotation rotation) {
        this.settings = settings;
        this.clients = clients;
        this.codes = codes;
        this.grants = grants;
        this.rotation = rotation;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            if (req.getQueryString() != null && !req.getQueryString().isEmpty()) {
                throw OAuthError.invalidRequest("send the token request parameters in the body, not the URL");
            }
            Map<String, String> form = OAuthHttp.form(req);
            RegisteredClient client = authenticate(req, form);
            String grantType = form.get("grant_type");
            if (grantType == null || grantType.isEmpty()) {
                throw OAuthError.invalidRequest("grant_type is missing");
            }
            String resource = form.get("resource");
            if (resource != null && !settings.isOurResource(resource)) {
                throw new OAuthError("invalid_target", "resource must be " + settings.resource(), 400);
            }
            Grants.TokenPair pair = switch (grantType) {
                case "authorization_code" -> {
                    requireGrant(client, grantType);
                    yield authorizationCode(client, form);
                }
                case "refresh_token" -> {
                    requireGrant(client, grantType);
                    String refresh = form.get("refresh_token");
                    if (refresh == null || refresh.isEmpty()) {
                        throw OAuthError.invalidRequest("refresh_token is missing");
                    }
                    yield rotation.rotate(refresh, client.clientId(), resource == null ? null : settings.resource());
                }
                default -> throw new OAuthError("unsupported_grant_type",
                        "grant_type must be authorization_code or refresh_token", 400);
            };
            LOG.info("issued tokens to client {} ({})", client.clientId(), grantType);
            ("refresh_token".equals(grantType) ? ServerMetrics.TOKENS_ISSUED_REFRESH : ServerMetrics.TOKENS_ISSUED_CODE).increment();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("access_token", pair.accessToken());
            body.put("token_type", "Bearer");
            body.put("expires_in", pair.expiresIn());
            body.put("refresh_token", pair.refreshToken());
            body.put("scope", String.join(" ", pair.scopes()));
            OAuthHttp.json(resp, 200, body);
        } catch (OAuthError e) {
            LOG.info("token request refused: {}", e.error());
            ServerMetrics.TOKENS_REFUSED.increment();
            OAuthHttp.error(resp, e);
        }
    }

    private Grants.TokenPair authorizationCode(RegisteredClient client, Map<String, String> form) {
        String code = form.get("code");
        if (code == null || code.isEmpty()) {
            throw OAuthError.invalidRequest("code is missing");
        }
        String redirectUri = form.get("redirect_uri");
        AuthorizationCodes.CodeGrant grant = codes.redeem(code);
        if (!grant.clientId().equals(client.clientId())) {
            grants.revokeFamily(grant.family());
            throw OAuthError.invalidGrant("the authorization code was issued to another client");
        }
        // RFC 6749 §4.1.3: required and identical if the authorization request had one; if sent anyway, it must match.
        if ((redirectUri == null && grant.redirectUriSent()) || (redirectUri != null && !redirectUri.equals(grant.redirectUri()))) {
            throw OAuthError.invalidGrant("redirect_uri must be the one sent to /authorize");
        }
        if (!Pkce.verify(form.get("code_verifier"), grant.codeChallenge())) {
            throw OAuthError.invalidGrant("code_verifier does not match the code_challenge");
        }
        if (!grants.openFamily(grant.family())) {
            throw OAuthError.invalidGrant("the authorization code was revoked");
        }
        return grants.issue(grant.clientId(), grant.userKey(), grant.scopes(), grant.resource(), grant.family(),
                grants.currentEpoch(grant.userKey()));
    }

    private static void requireGrant(RegisteredClient client, String grantType) {
        if (!client.grantTypes().contains(grantType)) {
            throw new OAuthError("unauthorized_client", "this client did not register the " + grantType + " grant", 400);
        }
    }

    /**
     * Public clients name themselves with {@code client_id}; confidential ones prove it with their secret
     * in HTTP Basic (RFC 6749 §2.3.1, form-encoded id and secret) or in the body.
     */
    RegisteredClient authenticate(HttpServletRequest req, Map<String, String> form) {
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        String header = req.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw OAuthError.invalidClient("malformed HTTP Basic credentials");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw OAuthError.invalidClient("malformed HTTP Basic credentials");
            }
            String basicId = OAuthHttp.decode("a=" + decoded.substring(0, colon)).get("a");
            if (id != null && !id.equals(basicId)) {
                throw OAuthError.invalidRequest("client_id in the body differs from the HTTP Basic credentials");
            }
            if (secret != null) {
                throw OAuthError.invalidRequest("use one way of client authentication, not two");
            }
            id = basicId;
            secret = OAuthHttp.decode("a=" + decoded.substring(colon + 1)).get("a");
        }
        if (id == null || id.isEmpty()) {
            throw OAuthError.invalidClient("client_id is missing");
        }
        Optional<RegisteredClient> found = clients.find(id);
        if (found.isEmpty()) {
            throw OAuthError.invalidClient("unknown client; register again");
        }
        RegisteredClient client = found.get();
        if (client.confidential()) {
            if (secret == null || !Secrets.equal(Secrets.hash(secret), client.secretHash())) {
                throw OAuthError.invalidClient("client authentication failed");
            }
        } else if (secret != null && !secret.isEmpty()) {
            throw OAuthError.invalidClient("this client registered without a secret (token_endpoint_auth_method none)");
        }
        return client;
    }
}
