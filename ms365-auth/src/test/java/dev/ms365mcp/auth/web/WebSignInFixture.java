package dev.ms365mcp.auth.web;

import dev.ms365mcp.auth.testing.EntraFixture;
import dev.ms365mcp.testkit.entra.EntraBrowser;
import dev.ms365mcp.testkit.entra.FakeEntra;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Set;

/** FakeEntra with the server's confidential client, its redirect URI, and the per-user pieces wired up. */
final class WebSignInFixture implements AutoCloseable {

    static final URI PUBLIC_URL = URI.create("https://mcp.example.com");
    static final Set<String> SCOPES = Set.of("Mail.Read", "Calendars.Read", "User.Read");

    final EntraFixture fx;
    final InMemoryUserCacheStore store = new InMemoryUserCacheStore();
    final byte[] key = new byte[32];
    final UserTokenCaches caches;
    final EntraBrowser browser;

    WebSignInFixture(Path dir) throws Exception {
        fx = EntraFixture.start(dir)
                .with("MS365_MCP_CLIENT_ID", FakeEntra.CONFIDENTIAL_CLIENT_ID)
                .with("MS365_MCP_CLIENT_SECRET", FakeEntra.CONFIDENTIAL_CLIENT_SECRET);
        fx.entra.addUser("alice@contoso.com");
        fx.entra.addUser("bob@contoso.com");
        fx.entra.addRedirectUri(FakeEntra.CONFIDENTIAL_CLIENT_ID, PUBLIC_URL + "/oauth/callback");
        new SecureRandom().nextBytes(key);
        caches = new UserTokenCaches(store, key);
        browser = new EntraBrowser(fx.entra);
    }

    EntraSignIn signIn() {
        return new EntraSignIn(fx.settings(), PUBLIC_URL, SCOPES, caches, fx.http);
    }

    /** The whole browser round trip for {@code username}: begin, sign in at the fake, complete. */
    SignedInUser signInAs(EntraSignIn signIn, String username) throws Exception {
        EntraAuthorizationRequest request = signIn.begin(null);
        EntraBrowser.Callback callback = browser.signIn(request.authorizationUrl(), username);
        return signIn.complete(callback.params().get("code"), request.codeVerifier(), request.nonce());
    }

    @Override
    public void close() {
        browser.close();
        fx.close();
    }
}
