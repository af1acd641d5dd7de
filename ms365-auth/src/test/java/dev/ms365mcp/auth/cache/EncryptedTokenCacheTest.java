package dev.ms365mcp.auth.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.TokenRequest;
import dev.ms365mcp.auth.msal.MsalTokenProvider;
import dev.ms365mcp.auth.testing.EntraFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encrypted cache file as MSAL really writes it (signed in through FakeEntra). */
class EncryptedTokenCacheTest {

    private static final Set<String> MAIL = Set.of("Mail.Read");

    @TempDir
    Path dir;
    EntraFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = EntraFixture.start(dir);
        fx.entra.addUser("alice@contoso.com");
        fx.entra.autoApprove("alice@contoso.com", 0);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private MsalTokenProvider signedIn() throws Exception {
        MsalTokenProvider provider = new MsalTokenProvider(fx.settings(), fx.http);
        provider.startLogin(MAIL).completion().get(30, TimeUnit.SECONDS);
        return provider;
    }

    @Test
    void noCacheOrKeyIsWrittenBeforeTheFirstSignIn() {
        MsalTokenProvider provider = new MsalTokenProvider(fx.settings(), fx.http);
        assertThat(fx.cacheFile().getParent()).doesNotExist();

        assertThat(provider.accounts()).isEmpty();
        assertThat(provider.verify().signedIn()).isFalse();

        // Only the lock file (and its directory) exist: reading takes the lock too.
        assertThat(fx.cacheFile()).doesNotExist();
        assertThat(EncryptedTokenCache.keyFileOf(fx.cacheFile())).doesNotExist();
    }

    @Test
    void fileIsPrivateInAPrivateDirectoryWithAKeyFileBesideIt() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        signedIn();

        Path cache = fx.cacheFile();
        assertThat(mode(cache)).isEqualTo("rw-------");
        assertThat(mode(EncryptedTokenCache.keyFileOf(cache))).isEqualTo("rw-------");
        assertThat(mode(EncryptedTokenCache.lockFileOf(cache))).isEqualTo("rw-------");
        assertThat(mode(cache.getParent())).isEqualTo("rwx------");
        assertThat(mode(cache.getParent().getParent())).isEqualTo("rwx------");
        assertThat(mode(fx.selectedAccountFile())).isEqualTo("rw-------");
        // No temp files left behind by the atomic writes.
        try (var files = Files.list(cache.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("token-cache.bin", "token-cache.bin.key", "token-cache.bin.lock",
                            "selected-account.txt");
        }
    }

    @Test
    void noTokenIsReadableInTheFile() throws Exception {
        fx.entra.accessTokenLifetime(Duration.ofSeconds(60));
        MsalTokenProvider provider = signedIn();
        provider.token(TokenRequest.forScopes(MAIL)); // a refresh: more tokens in the cache

        byte[] bytes = Files.readAllBytes(fx.cacheFile());
        String asText = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThat(fx.entra.issuedTokens()).hasSizeGreaterThanOrEqualTo(6);
        for (String token : fx.entra.issuedTokens()) {
            assertThat(asText).doesNotContain(token);
            assertThat(asText).doesNotContain(token.substring(0, 20));
        }
        assertThat(asText).doesNotContain("alice", "RefreshToken", "secret");
        assertThat(Arrays.copyOf(bytes, 5)).containsExactly('M', '3', 'T', 'C', 1);

        // And it does decrypt to MSAL's cache holding the latest refresh token.
        String json = EncryptedTokenCache.open(fx.cacheFile(), null).read().orElseThrow();
        String latestRefreshToken = fx.entra.issuedTokens().stream().filter(t -> t.startsWith("rt.")).toList().getLast();
        assertThat(json).contains(latestRefreshToken).contains("alice@contoso.com");
    }

    @Test
    void eachWriteUsesAFreshNonce() throws Exception {
        EncryptedTokenCache cache = EncryptedTokenCache.open(fx.cacheFile(), null);
        byte[] first = writeThrough(cache, "{\"same\":1}");
        writeThrough(cache, "{\"other\":2}");
        byte[] again = writeThrough(cache, "{\"same\":1}");
        assertThat(first).isNotEqualTo(again);
        assertThat(cache.read()).contains("{\"same\":1}");
    }

    @Test
    void anUnchangedCacheIsNotWrittenAgain() throws Exception {
        EncryptedTokenCache cache = EncryptedTokenCache.open(fx.cacheFile(), null);
        byte[] first = writeThrough(cache, "{\"same\":1}");
        // MSAL reports a change after every silent call, even when it serializes the same content.
        assertThat(writeThrough(cache, "{\"same\":1}")).isEqualTo(first);
    }

    @Test
    void aConfiguredKeyIsUsedInsteadOfAKeyFile() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        fx.with("MS365_MCP_CACHE_KEY", Base64.getEncoder().encodeToString(key));
        signedIn();

        assertThat(EncryptedTokenCache.keyFileOf(fx.cacheFile())).doesNotExist();
        assertThat(EncryptedTokenCache.open(fx.cacheFile(), key).read()).isPresent();
        assertThatThrownBy(() -> EncryptedTokenCache.open(fx.cacheFile(), new byte[32]).read())
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("different key than MS365_MCP_CACHE_KEY");
    }

    @Test
    void wrongKeyFailsClearlyAndLeavesTheFileAlone() throws Exception {
        signedIn();
        Path keyFile = EncryptedTokenCache.keyFileOf(fx.cacheFile());
        byte[] otherKey = new byte[32];
        new SecureRandom().nextBytes(otherKey);
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(otherKey));

        assertUnreadable("encrypted with a different key", "MS365_MCP_CACHE_KEY");
    }

    @Test
    void damagedFileFailsClearlyAndIsLeftAlone() throws Exception {
        signedIn();
        corrupt(bytes -> {
            bytes[bytes.length - 20] ^= 0x01;
            return bytes;
        });
        assertUnreadable("damaged", "Delete it");
    }

    @Test
    void truncatedFileFailsClearlyAndIsLeftAlone() throws Exception {
        signedIn();
        corrupt(bytes -> Arrays.copyOf(bytes, 20));
        assertUnreadable("truncated", "--login");
    }

    @Test
    void aFileThatIsNotOursFailsClearlyAndIsLeftAlone() throws Exception {
        signedIn();
        corrupt(bytes -> "{\"AccessToken\":{}}".getBytes(StandardCharsets.UTF_8));
        assertUnreadable("not an ms365-mcp token cache", "--login");
    }

    @Test
    void aNewerFormatVersionIsNamed() throws Exception {
        signedIn();
        corrupt(bytes -> {
            bytes[4] = 9;
            return bytes;
        });
        assertUnreadable("format version 9", "newer version");
    }

    @Test
    void aMissingKeyFileIsNotReplacedByANewKey() throws Exception {
        signedIn();
        Path keyFile = EncryptedTokenCache.keyFileOf(fx.cacheFile());
        Files.delete(keyFile);

        assertUnreadable("key file", "is missing");
        assertThat(keyFile).doesNotExist();
    }

    @Test
    void aDamagedKeyFileIsNamed() throws Exception {
        signedIn();
        Files.writeString(EncryptedTokenCache.keyFileOf(fx.cacheFile()), "not base64 at all!");
        assertUnreadable("key file", "damaged");
    }

    /** Every entry point fails with a clear message, and nobody rewrites the unreadable file. */
    /** Makes {@code dir} impossible to write, even for root (an immutable directory), and gives it back after. */
    private static AutoCloseable unwritable(Path dir) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        Process p = new ProcessBuilder(root ? new String[] {"chattr", "+i", dir.toString()}
                : new String[] {"chmod", "500", dir.toString()}).inheritIO().start();
        assumeTrue(p.waitFor() == 0, "cannot make a directory unwritable here");
        assumeTrue(!Files.isWritable(dir) || root, "directory still writable");
        return () -> new ProcessBuilder(root ? new String[] {"chattr", "-i", dir.toString()}
                : new String[] {"chmod", "700", dir.toString()}).inheritIO().start().waitFor();
    }

    @Test
    void loginOnAnUnwritableCacheFolderSaysWhyBeforeAnyCodeIsShown() throws Exception {
        Path folder = fx.cacheFile().getParent();
        Files.createDirectories(folder);
        MsalTokenProvider provider = new MsalTokenProvider(fx.settings(), fx.http);
        try (AutoCloseable locked = unwritable(folder)) {
            fx.entra.clearRequests();
            assertThatThrownBy(() -> provider.startLogin(MAIL))
                    .isInstanceOf(AuthException.class)
                    .hasMessageContaining("cannot be written (")
                    .hasMessageContaining(folder.toString())
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("permission denied", "not permitted",
                            "read-only file system"))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(folder + ": " + folder));
            assertThat(fx.entra.requests()).as("no device code was asked for").isEmpty();
        }
    }

    @Test
    void aValidCacheOnAReadOnlyFolderIsReadAndRefreshesStayInMemory() throws Exception {
        // Access tokens this short are refreshed on every call: each call rotates the refresh token.
        fx.entra.accessTokenLifetime(Duration.ofMinutes(1));
        signedIn();
        byte[] before = Files.readAllBytes(fx.cacheFile());
        MsalTokenProvider provider = new MsalTokenProvider(fx.settings(), fx.http);
        try (AutoCloseable locked = unwritable(fx.cacheFile().getParent())) {
            String first = provider.token(TokenRequest.forScopes(MAIL)).value();
            String second = provider.token(TokenRequest.forScopes(MAIL)).value();
            assertThat(first).isNotBlank();
            assertThat(second).isNotEqualTo(first);
            assertThat(fx.entra.reusedRefreshTokenCount()).as("the rotated refresh token was kept in memory").isZero();
        }
        assertThat(Files.readAllBytes(fx.cacheFile())).isEqualTo(before);
    }

    private void assertUnreadable(String... messageParts) throws Exception {
        byte[] before = Files.readAllBytes(fx.cacheFile());
        MsalTokenProvider provider = new MsalTokenProvider(fx.settings(), fx.http);

        for (Runnable call : new Runnable[] {
                () -> provider.token(TokenRequest.forScopes(MAIL)),
                provider::accounts,
                () -> provider.select("alice@contoso.com"),
                provider::logout}) {
            assertThatThrownBy(call::run)
                    .isInstanceOf(AuthException.class)
                    .hasMessageContaining(fx.cacheFile().getFileName().toString())
                    .satisfies(e -> {
                        for (String part : messageParts) {
                            assertThat(e.getMessage()).contains(part);
                        }
                        assertThat(e.getMessage()).doesNotContain("\tat ", "Exception");
                    });
        }
        assertThat(provider.verify().signedIn()).isFalse();
        // A sign-in could not be stored either: refused before a device code is asked for, and the
        // unreadable file is not replaced by an empty cache.
        fx.entra.clearRequests();
        assertThatThrownBy(() -> provider.startLogin(MAIL)).isInstanceOf(AuthException.class);
        assertThat(fx.entra.requests()).isEmpty();
        assertThat(Files.readAllBytes(fx.cacheFile())).isEqualTo(before);
        // The lock was released on every failure: a healthy cache elsewhere in this JVM still works.
        EncryptedTokenCache.open(fx.cacheFile(), null).locked(() -> null);
    }

    private void corrupt(UnaryOperator<byte[]> change) throws Exception {
        Files.write(fx.cacheFile(), change.apply(Files.readAllBytes(fx.cacheFile())));
    }

    private byte[] writeThrough(EncryptedTokenCache cache, String json) throws Exception {
        cache.beforeCacheAccess(new TestContext(json));
        cache.afterCacheAccess(new TestContext(json));
        return Files.readAllBytes(fx.cacheFile());
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    /** A cache access in which MSAL changed its cache to {@code json}. */
    private record TestContext(String json) implements com.microsoft.aad.msal4j.ITokenCacheAccessContext {
        @Override
        public com.microsoft.aad.msal4j.ITokenCache tokenCache() {
            return new com.microsoft.aad.msal4j.ITokenCache() {
                @Override
                public void deserialize(String data) {
                }

                @Override
                public String serialize() {
                    return json;
                }
            };
        }

        @Override
        public String clientId() {
            return "test";
        }

        @Override
        public com.microsoft.aad.msal4j.IAccount account() {
            return null;
        }

        @Override
        public boolean hasCacheChanged() {
            return true;
        }
    }
}
