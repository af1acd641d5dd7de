package dev.ms365mcp.http.security;

import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.TokenProvider;
import dev.ms365mcp.auth.obo.AssertionRejectedException;
import dev.ms365mcp.auth.obo.EntraAccessTokenValidator;
import dev.ms365mcp.auth.obo.EntraCaller;
import dev.ms365mcp.auth.obo.OnBehalfOfTokenProvider;
import dev.ms365mcp.auth.obo.SigningKeysUnavailableException;
import dev.ms365mcp.http.security.McpAuthentication.BearerChallenge;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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
 * <li>Entra refuses the exchange ({@code invalid_grant}, {@code interaction_required}): that call ends with a
 *     tool error saying so, and the token is remembered as refused, so every later request with it gets 401
 *     {@code invalid_token} and the client re-acquires. Entra failing or unreachable during the exchange is a
 *     tool error that says to retry, never a 401.</li>
 * </ul>
 */
public final class OnBehalfOfAuthentication {

    /** nimbus refetches the keys at most twice per 30 s: sooner would only be refused again. */
    static final int KEYS_RETRY_AFTER_SECONDS = 30;
    /** Refused tokens remembered (per process; least recently seen forgotten first). */
    static final int MAX_REFUSED = 10_000;

    private final EntraAccessTokenValidator validator;
    private final OnBehalfOfTokenProvider exchange;
    private final Map<String, Boolean> refused = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > MAX_REFUSED;
                }
            });

    public OnBehalfOfAuthentication(EntraAccessTokenValidator validator, OnBehalfOfTokenProvider exchange) {
        this.validator = validator;
        this.exchange = exchange;
    }

    /** The server's app registration validates callers' tokens and exchanges them with Entra. */
    public static McpAuthentication of(AuthSettings auth) {
        if (auth.clientId() == null || !auth.hasClientCredential()) {
            throw new IllegalArgumentException("--obo exchanges callers' tokens as this server's app registration: set "
                    + "MS365_MCP_CLIENT_ID, MS365_MCP_TENANT_ID and MS365_MCP_CLIENT_SECRET (or a certificate)");
        }
        return new OnBehalfOfAuthentication(new EntraAccessTokenValidator(auth), new OnBehalfOfTokenProvider(auth, null))
                .authentication("api://" + auth.clientId() + "/.default");
    }

    /** How {@code /mcp} authenticates with this; {@code scope} is what a 401 tells clients to ask Entra for. */
    public McpAuthentication authentication(String scope) {
        return new McpAuthentication(this::verify, this::tokensFor, new BearerChallenge(null, scope), null, true);
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
        if (refused.containsKey(digest(token))) {
            return Optional.empty();
        }
        return Optional.of(new Caller(caller.userKey(), Set.of()));
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
