package dev.ms365mcp.auth.testing;

import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.testkit.entra.FakeEntra;
import dev.ms365mcp.testkit.entra.MsalLoopbackHttpClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * A FakeEntra, the IHttpClient routing msal4j to it, and the environment a server would get, with
 * its token cache in a test directory.
 */
public final class EntraFixture implements AutoCloseable {

    public final FakeEntra entra;
    public final MsalLoopbackHttpClient http;
    /** Routes {@link #PORTLESS_AUTHORITY} to the fake; see {@link #portlessAuthority()}. */
    public final MsalLoopbackHttpClient portlessHttp;
    public static final String PORTLESS_AUTHORITY = "https://login.fake-entra.test";
    public final Path dir;
    public final Map<String, String> env = new HashMap<>();

    private EntraFixture(FakeEntra entra, Path dir) {
        this.entra = entra;
        this.http = new MsalLoopbackHttpClient(entra);
        this.portlessHttp = new MsalLoopbackHttpClient(entra, java.net.URI.create(PORTLESS_AUTHORITY));
        this.dir = dir;
        env.put("MS365_MCP_CLIENT_ID", FakeEntra.PUBLIC_CLIENT_ID);
        env.put("MS365_MCP_AUTHORITY_URL", entra.authorityBase().toString());
        env.put("MS365_MCP_TOKEN_CACHE_PATH", cacheFile().toString());
    }

    public static EntraFixture start(Path dir) throws IOException {
        return new EntraFixture(FakeEntra.start(), dir);
    }

    public static EntraFixture startHttps(Path dir) throws IOException {
        return new EntraFixture(FakeEntra.startHttps(), dir);
    }

    public Path cacheFile() {
        return dir.resolve("config").resolve("ms365-mcp").resolve("token-cache.bin");
    }

    public Path selectedAccountFile() {
        return cacheFile().resolveSibling(AuthSettings.SELECTED_ACCOUNT_FILE_NAME);
    }

    public AuthSettings settings() {
        return AuthSettings.fromEnv(env);
    }

    /**
     * Configures an authority on the default https port, as real Entra hosts are (use
     * {@link #portlessHttp}): msal4j's app-token cache only hits then.
     */
    public EntraFixture portlessAuthority() {
        return with("MS365_MCP_AUTHORITY_URL", PORTLESS_AUTHORITY);
    }

    public EntraFixture with(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** The claims part of a JWT the fake issued, as text, to see whose token it is. */
    public static String claims(String jwt) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        entra.close();
    }
}
