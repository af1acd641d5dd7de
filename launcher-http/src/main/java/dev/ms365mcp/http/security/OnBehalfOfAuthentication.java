package dev.ms365mcp.http.security;

import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.TokenObserver;
import dev.ms365mcp.auth.TokenProvider;
import dev.ms365mcp.auth.TokenRequest;
import dev.ms365mcp.auth.errors.EntraErrors;
import dev.ms365mcp.auth.obo.AssertionRejectedException;
import dev.ms365mcp.auth.obo.EntraAccessTokenValidator;
import dev.ms365mcp.auth.obo.EntraCaller;
import dev.ms365mcp.auth.obo.OnBehalfOfTokenProvider;
import dev.ms365mcp.auth.obo.SigningKeysUnavailableException;
import dev.ms365mcp.http.oauth.OAuthSettings;
import dev.ms365mcp.http.oauth.ProtectedResourceMetadata;
import dev.ms365mcp.http.security.McpAuthentication.BearerChallenge;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code --obo}: callers bring a Microsoft Entra access token issued for this server's API. It is validated
 * (signature against the tenant's JWKS, issuer, audience, lifetime) and each request's Graph token is
 * exchanged from it on-behalf-of.
 *
 * <p>Three outcomes besides success, each answered so the client does the right thing:
 * <ul>
 * <li>token invalid: 401 {@code invalid_token}, the client gets a new one;</li>
 * <li>Entra's signing keys unreachable: 503 with {@code Retry-After}, the client keeps its token;</li>
 * <li>Entra refuses the exchange ({@code invalid_grant}, {@code interaction_required}): on the token's first
 *     request (which exchanges it once) that request gets 401 {@code invalid_token}; later, mid-call, the call
 *     ends with a tool error saying so. Either way the token is remembered as refused and every later request
 *     with it gets 401, so the client re-acquires;</li>
 * <li>Entra failing or unreachable during the exchange: 503 with {@code Retry-After} on the first request,
 *     a tool error that says to retry later; never a 401.</li>
 * </ul>
 */
public final class OnBehalfOfAuthentication {

    /** nimbus refetches the keys at most twice per 30 s: sooner would only be refused again. */
    static final int KEYS_RETRY_AFTER_SECONDS = 30;
    /** Tokens remembered as refused, and as exchanged once (per process). */
    static final int MAX_REMEMBERED = 10_000;
    /** Entra's token endpoint failing or unreachable: a short wait. */
    static final int EXCHANGE_RETRY_AFTER_SECONDS = 10;

    private final EntraAccessTokenValidator validator;
    private final OnBehalfOfTokenProvider exchange;
    private final Map<String, Boolean> refused = recent();
    private final Map<String, Boolean> exchanged = recent();

    public OnBehalfOfAuthentication(EntraAccessTokenValidator validator, OnBehalfOfTokenProvider exchange) {
        this.validator = validator;
        this.exchange = exchange;
    }

    /**
     * The server's app registration validates callers' tokens and exchanges them with Entra; {@code observer}
     * is told of each exchange. A 401 points clients at RFC 9728 metadata naming Entra (the tenant's v2.0
     * issuer) as the authorization server and this API's scope, so a client that knows Entra can sign in.
     */
    public static McpAuthentication of(AuthSettings auth, TokenObserver observer, URI publicUrl) {
        if (auth.clientId() == null || !auth.hasClientCredential()) {
            throw new IllegalArgumentException("--obo exchanges callers' tokens as this server's app registration: set "
                    + "MS365_MCP_CLIENT_ID, MS365_MCP_TENANT_ID and MS365_MCP_CLIENT_SECRET (or a certificate)");
        }
        String scope = "api://" + auth.clientId() + "/.default";
        String entra = auth.endpoint().authorityBase() + "/" + auth.tenantId() + "/v2.0";
        ProtectedResourceMetadata metadata = new ProtectedResourceMetadata(publicUrl + OAuthSettings.MCP_PATH,
                List.of(entra), List.of(scope));
        return new OnBehalfOfAuthentication(new EntraAccessTokenValidator(auth), new OnBehalfOfTokenProvider(auth, null, observer))
                .authentication(new BearerChallenge(ProtectedResourceMetadata.url(publicUrl), scope, metadata));
    }

    /** How {@code /mcp} authenticates with this; {@code scope} is what a 401 tells clients to ask Entra for. */
    public McpAuthentication authentication(String scope) {
        return authentication(new BearerChallenge(null, scope));
    }

    McpAuthentication authentication(BearerChallenge challenge) {
        return new McpAuthentication(this::verify, this::tokensFor, challenge, null, true);
    }

    Optional<Caller> verify(String token) {
        EntraCaller caller;
        try {
            caller = validator.validate(token);
        } catch (SigningKeysUnavailableException e) {
            throw new AuthenticationUnavailableException("Microsoft Entra's signing keys cannot be fetched, so the "
                    + "access token cannot be checked now (it was not found invalid); retry later.",
                    KEYS_RETRY_AFTER_SECONDS);
        } catch (AuthException e) {
            return Optional.empty();
        }
        String digest = digest(token);
        if (refused.containsKey(digest)) {
            return Optional.empty();
        }
        if (!exchanged.containsKey(digest) && !firstExchange(token, digest)) {
            return Optional.empty();
        }
        return Optional.of(new Caller(caller.userKey(), Set.of()));
    }

    /**
     * The first request with a token exchanges it once (for {@code User.Read}, which every app registration
     * has), so a token Entra will not exchange (revoked sign-in, MFA or Conditional Access required) is
     * answered 401 at once instead of failing the first tool call. False: refused.
     */
    private boolean firstExchange(String token, String digest) {
        try {
            exchange.forAssertion(token).token(TokenRequest.forScopes(Set.of()));
            exchanged.put(digest, Boolean.TRUE);
            return true;
        } catch (AssertionRejectedException e) {
            refused.put(digest, Boolean.TRUE);
            return false;
        } catch (AuthException e) {
            if (EntraErrors.isOutage(e.getCause())) {
                throw new AuthenticationUnavailableException("Microsoft Entra cannot exchange the access token right "
                        + "now (it was not found invalid); retry later.", EXCHANGE_RETRY_AFTER_SECONDS);
            }
            // Anything else (e.g. the app registration refused) is a server problem the tool calls will name.
            return true;
        }
    }

    /** Graph tokens exchanged from {@code token}; a token Entra will not exchange is remembered as refused. */
    TokenProvider tokensFor(String token) {
        TokenProvider graph = exchange.forAssertion(token);
        return request -> {
            try {
                return graph.token(request);
            } catch (AssertionRejectedException e) {
                refused.put(digest(token), Boolean.TRUE);
                throw e;
            }
        };
    }

    /** Token digests, the least recently seen forgotten first beyond {@link #MAX_REMEMBERED}. */
    private static Map<String, Boolean> recent() {
        return Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > MAX_REMEMBERED;
            }
        });
    }

    /** Full SHA-256: a refused token must not shadow another one. */
    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
