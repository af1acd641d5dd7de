package dev.ms365mcp.http.oauth;

import dev.ms365mcp.http.state.StateStore;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /authorize}. GET checks the request (RFC 6749 §4.1.1 with OAuth 2.1's mandatory S256 PKCE and
 * RFC 8707 resource) and shows the {@link ConsentPage}; POST takes the user's decision. Errors about the
 * client or its redirect URI are shown as a page, never redirected (no open redirector); every other
 * error goes back to the client's redirect URI with {@code state} and {@code iss}.
 *
 * <p>The consent form is bound twice to the browser that asked: a CSRF token in the form and a random
 * cookie (SameSite=Strict), both stored as hashes in the pending transaction. Approval moves the
 * transaction to a new key, the upstream {@code state}, and sends the browser to {@link UpstreamSignIn}.
 */
final class AuthorizationEndpoint extends HttpServlet {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationEndpoint.class);
    static final String CONSENT_PREFIX = "oauth:consent:";
    static final String UPSTREAM_PREFIX = "oauth:upstream:";
    static final String BROWSER_COOKIE = "ms365_mcp_consent";

    private final OAuthSettings settings;
    private final ClientRegistry clients;
    private final StateStore store;
    private final UpstreamSignIn upstream;

    AuthorizationEndpoint(OAuthSettings settings, ClientRegistry clients, StateStore store, UpstreamSignIn upstream) {
        this.settings = settings;
        this.clients = clients;
        this.store = store;
        this.upstream = upstream;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, String> q;
        try {
            q = OAuthHttp.query(req);
        } catch (OAuthError e) {
            OAuthHttp.errorPage(resp, 400, "Invalid authorization request", e.description());
            return;
        }
        String clientId = q.get("client_id");
        Optional<RegisteredClient> found = clients.find(clientId);
        if (found.isEmpty()) {
            OAuthHttp.errorPage(resp, 400, "Unknown application",
                    "The application that sent you here is not registered with this server (or its registration expired). "
                            + "Go back to it and connect again.");
            return;
        }
        RegisteredClient client = found.get();
        String redirectUri = q.get("redirect_uri");
        boolean redirectUriSent = redirectUri != null;
        if (redirectUri == null && client.redirectUris().size() == 1) {
            redirectUri = client.redirectUris().getFirst();
        }
        if (!RedirectUriPolicy.matches(client.redirectUris(), redirectUri)) {
            OAuthHttp.errorPage(resp, 400, "Unregistered redirect address",
                    "The application asked to be answered at an address it did not register. Nothing was sent to it.");
            return;
        }
        String state = q.get("state");
        String error = problem(q);
        if (error != null) {
            String code = error.startsWith("invalid_target") ? "invalid_target"
                    : error.startsWith("unsupported_response_type") ? "unsupported_response_type" : "invalid_request";
            OAuthHttp.seeOther(resp, errorRedirect(redirectUri, code, error.substring(error.indexOf(':') + 2), state));
            return;
        }
        List<String> scopes = grantedScopes(q.get("scope"));
        String transaction = Secrets.random(32);
        String csrf = Secrets.random(32);
        String browser = browserBinding(req, resp);
        PendingAuthorization pending = new PendingAuthorization(client.clientId(), redirectUri, redirectUriSent, q.get("code_challenge"), state,
                settings.resource(), scopes, Secrets.hash(csrf), Secrets.hash(browser), null, null);
        store.put(CONSENT_PREFIX + Secrets.hash(transaction), JsonMapper.shared().writeValueAsBytes(pending), OAuthSettings.PENDING_TTL);
        OAuthHttp.html(resp, 200, ConsentPage.render(client, RedirectUriPolicy.displayHost(redirectUri), scopes,
                settings.permissions(), transaction, csrf));
    }

    /** Why the request cannot go on, as {@code "error: description"}, or null. The client and redirect are already known good. */
    private String problem(Map<String, String> q) {
        if (!"code".equals(q.get("response_type"))) {
            return "unsupported_response_type: response_type must be code";
        }
        if (q.get("code_challenge") == null) {
            return "invalid_request: PKCE is required: send code_challenge and code_challenge_method=S256";
        }
        if (!"S256".equals(q.get("code_challenge_method"))) {
            return "invalid_request: code_challenge_method must be S256";
        }
        if (!Pkce.wellFormedChallenge(q.get("code_challenge"))) {
            return "invalid_request: code_challenge must be 43 base64url characters (the S256 hash of the verifier)";
        }
        String resource = q.get("resource");
        if (resource != null && !settings.isOurResource(resource)) {
            return "invalid_target: resource must be " + settings.resource();
        }
        if (q.containsKey("request") || q.containsKey("request_uri")) {
            return "invalid_request: request objects are not supported";
        }
        return null;
    }

    /** Known scopes the client asked for; unknown ones are dropped, none asked means all. */
    private List<String> grantedScopes(String requested) {
        List<String> granted = new ArrayList<>();
        if (requested != null) {
            for (String s : requested.trim().split("\\s+")) {
                if (settings.scopes().contains(s) && !granted.contains(s)) {
                    granted.add(s);
                }
            }
        }
        return granted.isEmpty() ? settings.scopes() : granted;
    }

    /** The browser's binding value: reused if the browser already has one (several tabs), else a new cookie. */
    private String browserBinding(HttpServletRequest req, HttpServletResponse resp) {
        String existing = cookie(req);
        if (existing != null && existing.length() == 43) {
            return existing;
        }
        String value = Secrets.random(32);
        Cookie c = new Cookie(BROWSER_COOKIE, value);
        c.setHttpOnly(true);
        c.setSecure(settings.https());
        c.setPath("/authorize");
        c.setMaxAge((int) OAuthSettings.PENDING_TTL.toSeconds());
        c.setAttribute("SameSite", "Strict");
        resp.addCookie(c);
        return value;
    }

    private static String cookie(HttpServletRequest req) {
        if (req.getCookies() == null) {
            return null;
        }
        for (Cookie c : req.getCookies()) {
            if (BROWSER_COOKIE.equals(c.getName())) {
                return c.getValue();
            }
        }
        return null;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, String> form;
        try {
            form = OAuthHttp.form(req);
        } catch (OAuthError e) {
            OAuthHttp.errorPage(resp, 400, "Invalid consent form", e.description());
            return;
        }
        String transaction = form.get("transaction");
        String key = transaction == null ? null : CONSENT_PREFIX + Secrets.hash(transaction);
        // Taken, not read: a consent form is answered once, whatever the answer.
        Optional<byte[]> raw = key == null ? Optional.empty() : store.take(key);
        if (raw.isEmpty()) {
            OAuthHttp.errorPage(resp, 400, "This consent page has expired",
                    "It was already answered or is older than " + OAuthSettings.PENDING_TTL.toMinutes()
                            + " minutes. Go back to the application and connect again.");
            return;
        }
        PendingAuthorization pending = JsonMapper.shared().readValue(raw.get(), PendingAuthorization.class);
        String csrf = form.get("csrf");
        String browser = cookie(req);
        if (csrf == null || browser == null || !Secrets.equal(Secrets.hash(csrf), pending.csrfHash())
                || !Secrets.equal(Secrets.hash(browser), pending.browserHash())) {
            LOG.warn("consent form for client {} refused: CSRF token or browser binding missing or wrong", pending.clientId());
            OAuthHttp.errorPage(resp, 403, "Consent refused",
                    "This form was not submitted from the page this server showed you in this browser. Nothing was granted. "
                            + "Go back to the application and connect again.");
            return;
        }
        if (!"approve".equals(form.get("decision"))) {
            LOG.info("user denied client {}", pending.clientId());
            OAuthHttp.seeOther(resp, errorRedirect(pending.redirectUri(), "access_denied", "the user denied access", pending.state()));
            return;
        }
        String upstreamState = Secrets.random(32);
        String nonce = Secrets.random(32);
        String verifier = Secrets.random(32);
        store.put(UPSTREAM_PREFIX + Secrets.hash(upstreamState), pending.approved(nonce, verifier).seal(upstreamState),
                OAuthSettings.PENDING_TTL);
        URI signIn = upstream.begin(new UpstreamSignIn.UpstreamAuthorization(upstreamState, nonce, verifier, callbackUri(settings)));
        LOG.info("user approved client {}; sending them to sign in", pending.clientId());
        OAuthHttp.seeOther(resp, signIn.toString());
    }

    static URI callbackUri(OAuthSettings settings) {
        return URI.create(settings.endpoint(AuthorizationServer.CALLBACK));
    }

    /** An authorization error response (RFC 6749 §4.1.2.1) with the issuer (RFC 9207). */
    String errorRedirect(String redirectUri, String error, String description, String state) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", error);
        params.put("error_description", description);
        params.put("state", state);
        params.put("iss", settings.issuer());
        return OAuthHttp.withQuery(redirectUri, params);
    }
}
