package dev.ms365mcp.auth.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ms365mcp.auth.AccessToken;
import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.TokenObserver;
import dev.ms365mcp.auth.TokenObserver.Outcome;
import dev.ms365mcp.auth.TokenRequest;
import dev.ms365mcp.auth.testing.EntraFixture;
import dev.ms365mcp.testkit.entra.FakeEntra;
import dev.ms365mcp.testkit.entra.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerUserTokenProviderTest {

    private static final Set<String> MAIL = Set.of("Mail.Read");

    @TempDir
    Path dir;
    WebSignInFixture w;
    final List<String> signInRequired = new CopyOnWriteArrayList<>();
    PerUserTokenProvider provider;

    @BeforeEach
    void start() throws Exception {
        w = new WebSignInFixture(dir);
        provider = new PerUserTokenProvider(w.fx.settings(), w.caches, signInRequired::add, w.fx.http);
    }

    @AfterEach
    void stop() {
        w.close();
    }

    private static TokenRequest as(String userKey) {
        return new TokenRequest(MAIL, null, userKey);
    }

    @Test
    void twoUsersNeverGetEachOthersTokens() throws Exception {
        w.fx.entra.accessTokenLifetime(Duration.ofMinutes(1)); // below MSAL's 5 min margin: every call refreshes
        EntraSignIn signIn = w.signIn();
        SignedInUser alice = w.signInAs(signIn, "alice@contoso.com");
        SignedInUser bob = w.signInAs(signIn, "bob@contoso.com");

        for (int i = 0; i < 2; i++) {
            assertThat(EntraFixture.claims(provider.token(as(alice.userKey())).value()))
                    .contains("alice@contoso.com").doesNotContain("bob@contoso.com");
            assertThat(EntraFixture.claims(provider.token(as(bob.userKey())).value()))
                    .contains("bob@contoso.com").doesNotContain("alice@contoso.com");
        }
        assertThat(w.fx.entra.tokenRequests("refresh_token")).hasSize(4);
        assertThat(w.fx.entra.reusedRefreshTokenCount()).isZero(); // each rotated refresh token was saved back
        assertThat(signInRequired).isEmpty();
        assertThat(w.fx.http.foreignRequests()).isEmpty();
    }

    @Test
    void aValidCachedTokenNeedsNoRoundTripAndLeavesTheStoreAlone() throws Exception {
        SignedInUser alice = w.signInAs(w.signIn(), "alice@contoso.com");
        byte[] before = w.store.load(alice.userKey()).orElseThrow();
        w.fx.entra.clearRequests();

        AccessToken token = provider.token(as(alice.userKey()));

        assertThat(EntraFixture.claims(token.value())).contains("alice@contoso.com");
        assertThat(w.fx.entra.requests()).isEmpty();
        assertThat(w.store.load(alice.userKey()).orElseThrow()).isEqualTo(before);
    }

    @Test
    void aRevokedSignInTellsTheListenerAndTheUserToReconnect() throws Exception {
        w.fx.entra.accessTokenLifetime(Duration.ofMinutes(1)); // every silent call refreshes
        SignedInUser alice = w.signInAs(w.signIn(), "alice@contoso.com");
        SignedInUser bob = w.signInAs(w.signIn(), "bob@contoso.com");
        provider.token(as(alice.userKey()));
        w.fx.entra.revokeRefreshTokens("alice@contoso.com");

        assertThatThrownBy(() -> provider.token(as(alice.userKey())))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("AADSTS50173").hasMessageContaining("Reconnect this server in your MCP client")
                .hasMessageNotContaining("--login");
        assertThat(signInRequired).containsExactly(alice.userKey());
        assertThat(EntraFixture.claims(provider.token(as(bob.userKey())).value())).contains("bob@contoso.com");
    }

    @Test
    void noCallerOrNoStoredSignInIsRefusedClearly() {
        assertThatThrownBy(() -> provider.token(TokenRequest.forScopes(MAIL)))
                .isInstanceOf(AuthException.class).hasMessageContaining("No signed-in caller");
        assertThatThrownBy(() -> provider.token(new TokenRequest(MAIL, "bob@contoso.com", "k")))
                .isInstanceOf(AuthException.class).hasMessageContaining("account parameter does not apply");
        assertThatThrownBy(() -> provider.token(as("unknown-user-key")))
                .isInstanceOf(AuthException.class).hasMessageContaining("not signed in")
                .hasMessageContaining("Reconnect");
        assertThat(signInRequired).containsExactly("unknown-user-key");
        assertThat(w.fx.entra.requests()).isEmpty();
    }

    @Test
    void aBlobCopiedToAnotherUsersKeyDoesNotDecrypt() throws Exception {
        SignedInUser alice = w.signInAs(w.signIn(), "alice@contoso.com");
        SignedInUser bob = w.signInAs(w.signIn(), "bob@contoso.com");
        // A store bug or an attacker with write access to the store puts alice's blob under bob's key.
        w.store.save(bob.userKey(), w.store.load(alice.userKey()).orElseThrow());

        assertThatThrownBy(() -> provider.token(as(bob.userKey())))
                .isInstanceOf(AuthException.class).hasMessageContaining("cannot be read")
                .hasMessageContaining("Reconnect");
        assertThat(signInRequired).containsExactly(bob.userKey());
        assertThat(EntraFixture.claims(provider.token(as(alice.userKey())).value())).contains("alice@contoso.com");

        // Another server key cannot read it either, and a flipped bit is caught.
        byte[] otherKey = w.key.clone();
        otherKey[0] ^= 1;
        UserTokenCaches foreign = new UserTokenCaches(w.store, otherKey);
        assertThatThrownBy(() -> foreign.load(alice.userKey())).isInstanceOf(AuthException.class);
        byte[] tampered = w.store.load(alice.userKey()).orElseThrow();
        tampered[tampered.length - 1] ^= 1;
        w.store.save(alice.userKey(), tampered);
        assertThatThrownBy(() -> w.caches.load(alice.userKey())).isInstanceOf(AuthException.class);
    }

    @Test
    void concurrentCallsOfOneUserRefreshOneAtATime() throws Exception {
        w.fx.entra.accessTokenLifetime(Duration.ofMinutes(1));
        SignedInUser alice = w.signInAs(w.signIn(), "alice@contoso.com");
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<AccessToken>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(pool.submit(() -> provider.token(as(alice.userKey()))));
            }
            for (Future<AccessToken> call : calls) {
                assertThat(EntraFixture.claims(call.get().value())).contains("alice@contoso.com");
            }
        }
        // Without the per-user lock, two calls would redeem the same refresh token.
        assertThat(w.fx.entra.reusedRefreshTokenCount()).isZero();
        assertThat(w.fx.entra.tokenRequests("refresh_token")).hasSize(16);
    }

    @Test
    void aCachedTokenIsServedWithoutLockOrWriteAndARefreshIsLockedAndSaved() throws Exception {
        w.fx.entra.accessTokenLifetime(Duration.ofMinutes(1)); // below MSAL's 5 min margin: the next call refreshes
        SignedInUser alice = w.signInAs(w.signIn(), "alice@contoso.com");
        AtomicInteger saves = new AtomicInteger();
        AtomicInteger locks = new AtomicInteger();
        UserCacheStore counting = new UserCacheStore() {
            @Override public java.util.Optional<byte[]> load(String userKey) { return w.store.load(userKey); }
            @Override public void save(String userKey, byte[] blob) { saves.incrementAndGet(); w.store.save(userKey, blob); }
            @Override public void delete(String userKey) { w.store.delete(userKey); }
            @Override public <T> T locked(String userKey, Supplier<T> work) {
                locks.incrementAndGet();
                return w.store.locked(userKey, work);
            }
        };
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        List<Long> durations = new CopyOnWriteArrayList<>();
        TokenObserver observer = (outcome, nanos) -> {
            outcomes.add(outcome);
            durations.add(nanos);
        };
        PerUserTokenProvider observed = new PerUserTokenProvider(w.fx.settings(), new UserTokenCaches(counting, w.key),
                signInRequired::add, w.fx.http, observer);

        observed.token(as(alice.userKey()));
        assertThat(saves).as("a refresh rotates the refresh token: saved").hasValue(1);
        assertThat(locks).as("a refresh happens under the user's lock").hasValue(1);
        w.fx.entra.accessTokenLifetime(Duration.ofHours(1));
        observed.token(as(alice.userKey()));
        assertThat(saves).hasValue(2);
        int refreshes = w.fx.entra.tokenRequests("refresh_token").size();
        for (int i = 0; i < 3; i++) {
            assertThat(EntraFixture.claims(observed.token(as(alice.userKey())).value())).contains("alice@contoso.com");
        }
        assertThat(w.fx.entra.tokenRequests("refresh_token")).hasSize(refreshes);
        assertThat(saves).as("served from the cache: nothing to write back").hasValue(2);
        assertThat(locks).as("served from the cache: no lock taken").hasValue(2);
        assertThat(outcomes).containsExactly(Outcome.REFRESHED, Outcome.REFRESHED, Outcome.CACHE, Outcome.CACHE,
                Outcome.CACHE);
        assertThat(durations).allMatch(n -> n > 0);
    }

    @Test
    void failuresAreObservedAsFailedOrInteractionRequired() throws Exception {
        w.fx.entra.accessTokenLifetime(Duration.ofMinutes(1));
        SignedInUser alice = w.signInAs(w.signIn(), "alice@contoso.com");
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        PerUserTokenProvider observed = new PerUserTokenProvider(w.fx.settings(), w.caches, signInRequired::add,
                w.fx.http, (outcome, nanos) -> outcomes.add(outcome));

        w.fx.entra.failNext(FakeEntra.Endpoint.TOKEN, 2, Fault.serverError(503)); // msal4j retries a 5xx once
        assertThatThrownBy(() -> observed.token(as(alice.userKey()))).isInstanceOf(AuthException.class);
        assertThat(signInRequired).isEmpty();
        w.fx.entra.revokeRefreshTokens("alice@contoso.com");
        assertThatThrownBy(() -> observed.token(as(alice.userKey()))).isInstanceOf(AuthException.class);
        assertThatThrownBy(() -> observed.token(as("nobody-signed-in"))).isInstanceOf(AuthException.class);

        assertThat(outcomes).containsExactly(Outcome.FAILED, Outcome.INTERACTION_REQUIRED, Outcome.INTERACTION_REQUIRED);
    }
}
