package dev.ms365mcp.http.security;

import dev.ms365mcp.auth.TokenProvider;
import dev.ms365mcp.http.JsonResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * Authentication of {@code /mcp}: the bearer token from the {@code Authorization} header only (RFC 6750
 * §2.1; a token in the query string or a form body is never read), checked by the mode's verifier. A
 * missing or refused token gets 401 with a {@code WWW-Authenticate} challenge pointing at the
 * protected-resource metadata; a token the verifier cannot judge right now (its key source is down) gets 503
 * with {@code Retry-After}, so the client keeps it. The caller, and for credential-bound modes the request's token source,
 * go into request attributes for the transport's context extractor.
 */
public final class BearerAuthentication extends HttpFilter {

    /** Request attribute: the {@link TokenProvider} built from this request's bearer, if the mode has one. */
    public static final String REQUEST_TOKENS = BearerAuthentication.class.getName() + ".tokens";

    private static final Caller PROXY_CALLER = new Caller("trusted-proxy", Set.of());

    private final McpAuthentication auth;

    public BearerAuthentication(McpAuthentication auth) {
        this.auth = auth;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        if ("OPTIONS".equals(req.getMethod())) {
            chain.doFilter(req, resp);
            return;
        }
        Caller caller;
        if (auth.verifier() == null) {
            caller = unauthenticatedCaller(req, resp);
            if (caller == null) {
                return;
            }
        } else {
            String token = bearer(req.getHeader("Authorization"));
            Optional<Caller> verified;
            try {
                verified = token == null ? Optional.empty() : safeVerify(token);
            } catch (AuthenticationUnavailableException e) {
                resp.setHeader("Retry-After", Integer.toString(e.retryAfterSeconds()));
                JsonResponses.jsonRpcError(resp, 503, -32000, e.getMessage());
                return;
            }
            if (verified.isEmpty()) {
                resp.setHeader("WWW-Authenticate", auth.challenge().header(token != null));
                JsonResponses.jsonRpcError(resp, 401, -32001, token == null
                        ? "Authentication required: send Authorization: Bearer <access token>."
                        : "The access token is invalid or expired.");
                return;
            }
            caller = verified.get();
            if (auth.requestTokens() != null) {
                req.setAttribute(REQUEST_TOKENS, auth.requestTokens().apply(token));
            }
        }
        req.setAttribute(Caller.ATTRIBUTE, caller);
        chain.doFilter(req, resp);
    }

    /** Without a verifier: a trusted proxy's user header (when configured), or the server's one caller. */
    private Caller unauthenticatedCaller(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (auth.proxyUserHeader() == null) {
            return auth.multiUser() ? PROXY_CALLER : ApiKeyVerifier.OWNER;
        }
        String user = req.getHeader(auth.proxyUserHeader());
        if (user == null || user.isBlank()) {
            JsonResponses.jsonRpcError(resp, 401, -32001, "The reverse proxy sent no authenticated user ("
                    + auth.proxyUserHeader() + ").");
            return null;
        }
        return new Caller("proxy:" + user.strip(), Set.of());
    }

    private Optional<Caller> safeVerify(String token) {
        try {
            return auth.verifier().verify(token);
        } catch (AuthenticationUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            // A verifier must not throw for a bad token; if one does, the token is still refused.
            return Optional.empty();
        }
    }

    /** The token of an {@code Authorization: Bearer <token>} header (scheme case-insensitive), or null. */
    public static String bearer(String header) {
        if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).strip();
        return token.isEmpty() || token.length() > 8192 ? null : token;
    }
}
