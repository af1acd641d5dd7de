package dev.ms365mcp.http.oauth;

import dev.ms365mcp.http.state.StateStore;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /oauth/callback}: where the upstream sign-in returns, as a cross-site form POST
 * ({@code response_mode=form_post}, which carries no SameSite cookie) or a GET. The transaction is found
 * by {@code state} alone and taken from the store, so a callback works once. On success it issues our
 * authorization code and answers 303 to the client's redirect URI with {@code code}, {@code state} and
 * {@code iss} — 303, never 307/308, so the browser does not re-POST the upstream code to the client.
 */
final class AuthorizationCallback extends HttpServlet {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationCallback.class);

    private final OAuthSettings settings;
    private final StateStore store;
    private final UpstreamSignIn upstream;
    private final AuthorizationCodes codes;
    private final AuthorizationEndpoint authorize;

    AuthorizationCallback(OAuthSettings settings, StateStore store, UpstreamSignIn upstream, AuthorizationCodes codes,
                          AuthorizationEndpoint authorize) {
        this.settings = settings;
        this.store = store;
        this.upstream = upstream;
        this.codes = codes;
        this.authorize = authorize;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            handle(OAuthHttp.query(req), resp);
        } catch (OAuthError e) {
            OAuthHttp.errorPage(resp, 400, "Invalid sign-in answer", e.description());
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            handle(OAuthHttp.form(req), resp);
        } catch (OAuthError e) {
            OAuthHttp.errorPage(resp, 400, "Invalid sign-in answer", e.description());
        }
    }

    private void handle(Map<String, String> params, HttpServletResponse resp) throws IOException {
        String state = params.get("state");
        Optional<PendingAuthorization> found = state == null || state.isEmpty() ? Optional.empty()
                : store.take(AuthorizationEndpoint.UPSTREAM_PREFIX + Secrets.hash(state))
                        .flatMap(sealed -> PendingAuthorization.unseal(sealed, state));
        if (found.isEmpty()) {
            LOG.warn("sign-in callback with an unknown, used or expired state");
            OAuthHttp.errorPage(resp, 400, "This sign-in has expired",
                    "It was already completed or is older than " + OAuthSettings.PENDING_TTL.toMinutes()
                            + " minutes. Go back to the application and connect again.");
            return;
        }
        PendingAuthorization pending = found.get();
        String code = params.get("code");
        if (params.get("error") != null || code == null || code.isEmpty()) {
            LOG.info("sign-in for client {} ended without a code (upstream error {})", pending.clientId(),
                    ClientRegistration.abbreviate(String.valueOf(params.get("error"))));
            OAuthHttp.seeOther(resp, authorize.errorRedirect(pending.redirectUri(), "access_denied",
                    "the sign-in at Microsoft did not complete", pending.state()));
            return;
        }
        String userKey;
        try {
            userKey = upstream.complete(code, new UpstreamSignIn.UpstreamAuthorization(state, pending.upstreamNonce(),
                    pending.upstreamVerifier(), AuthorizationEndpoint.callbackUri(settings)));
        } catch (RuntimeException e) {
            LOG.warn("sign-in for client {} failed upstream: {}", pending.clientId(), e.getClass().getSimpleName());
            OAuthHttp.seeOther(resp, authorize.errorRedirect(pending.redirectUri(), "server_error",
                    "the sign-in at Microsoft failed; try again", pending.state()));
            return;
        }
        String ours = codes.issue(pending, userKey);
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("code", ours);
        answer.put("state", pending.state());
        answer.put("iss", settings.issuer());
        LOG.info("authorization code issued to client {}", pending.clientId());
        OAuthHttp.seeOther(resp, OAuthHttp.withQuery(pending.redirectUri(), answer));
    }
}
