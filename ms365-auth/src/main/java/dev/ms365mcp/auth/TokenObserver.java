package dev.ms365mcp.auth;

import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.TokenSource;
import dev.ms365mcp.auth.errors.EntraErrors;

/**
 * Hears how each Graph token request of a {@link TokenProvider} ended, for metrics: served from MSAL's
 * cache, fetched from Entra, or failed. Called on the requesting thread once per request; it must be quick
 * and must not throw. Nothing about the user or the token is passed.
 */
@FunctionalInterface
public interface TokenObserver {

    /** Observes nothing (the default). */
    TokenObserver NONE = (outcome, nanos) -> {
    };

    /** How a token request ended. */
    enum Outcome {
        /** A cached access token was still good: no round trip to Entra. */
        CACHE,
        /** Entra issued a token (silent refresh, on-behalf-of exchange, client credentials). */
        REFRESHED,
        /** Entra or the cache failed (unreachable, misconfigured, unreadable cache). */
        FAILED,
        /** Only a new interactive sign-in can help (refresh token expired or revoked, consent, MFA). */
        INTERACTION_REQUIRED;

        /** Where MSAL says the token came from. */
        public static Outcome of(IAuthenticationResult result) {
            return result.metadata() != null && result.metadata().tokenSource() == TokenSource.CACHE ? CACHE : REFRESHED;
        }

        /** A failure, told apart by whether any cause in its chain asks for a new sign-in. */
        public static Outcome ofFailure(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (EntraErrors.needsNewSignIn(t)) {
                    return INTERACTION_REQUIRED;
                }
            }
            return FAILED;
        }
    }

    /**
     * @param outcome how the request ended
     * @param nanos   how long the provider took, from the request to its answer (locks and cache I/O included)
     */
    void acquired(Outcome outcome, long nanos);
}
