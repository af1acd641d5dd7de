package dev.ms365mcp.http.security;

import java.util.Optional;

/**
 * Who a bearer token presented on {@code /mcp} stands for. One implementation per way the server
 * authenticates callers: its own OAuth access tokens (the default), Entra tokens for on-behalf-of, an
 * API key for a single-user server.
 */
@FunctionalInterface
public interface BearerTokenVerifier {

    /**
     * The caller, or empty when the token is unknown, expired, revoked or issued for another resource.
     * Never throws for a bad token; never logs it.
     *
     * @throws AuthenticationUnavailableException the token cannot be judged now (e.g. the issuer's keys are
     *                                            unreachable): answered 503, and the client keeps its token
     */
    Optional<Caller> verify(String token);
}
