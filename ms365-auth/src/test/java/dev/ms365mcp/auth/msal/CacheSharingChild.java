package dev.ms365mcp.auth.msal;

import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.TokenRequest;
import java.util.Set;

/**
 * The "other process" of {@link SharedCacheConcurrencyTest}: a separate JVM configured only by
 * environment variables, trusting FakeEntra's https certificate through
 * {@code -Djavax.net.ssl.trustStore}, getting a token {@code args[0]} times from the shared cache.
 */
public final class CacheSharingChild {

    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        MsalTokenProvider provider = new MsalTokenProvider(AuthSettings.fromEnv(System.getenv()), null);
        try {
            for (int i = 0; i < rounds; i++) {
                provider.token(TokenRequest.forScopes(Set.of("Mail.Read")));
            }
        } catch (AuthException e) {
            System.err.println("child failed: " + e.getMessage());
            System.exit(1);
        }
        System.out.println("child done " + rounds);
        System.exit(0);
    }
}
