package dev.ms365mcp.auth;

import dev.ms365mcp.auth.cache.AuthCacheCommand;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything ms365-auth reads from the environment, parsed and checked once. A malformed value fails
 * with an {@link IllegalArgumentException} whose one-line message names the variable and what it
 * accepts, so a launcher can print it and exit.
 *
 * @param clientId            {@code MS365_MCP_CLIENT_ID}, the app registration's Application (client) ID; null: none
 * @param tenantId            {@code MS365_MCP_TENANT_ID}: {@code common} (default), {@code organizations},
 *                            {@code consumers}, a tenant GUID or a verified domain
 * @param clientSecret        {@code MS365_MCP_CLIENT_SECRET}; null: none
 * @param mode                {@code MS365_MCP_AUTH_MODE}: delegated (default) or app (client credentials)
 * @param oauthToken          {@code MS365_MCP_OAUTH_TOKEN}, a token to use as is; null: none
 * @param tokenCachePath      {@code MS365_MCP_TOKEN_CACHE_PATH}, the encrypted MSAL cache file
 * @param selectedAccountPath {@code MS365_MCP_SELECTED_ACCOUNT_PATH}, which cached account is selected
 * @param cacheKey            {@code MS365_MCP_CACHE_KEY} decoded (32 bytes); null: use a key file beside the cache
 * @param allowedScopes       {@code MS365_MCP_ALLOWED_SCOPES}; empty: no restriction
 * @param extraScopes         {@code MS365_MCP_EXTRA_SCOPES}, added to every login
 * @param endpoint            the cloud, authority and Graph root
 * @param clientCertificatePath     {@code MS365_MCP_CLIENT_CERTIFICATE_PATH}: the confidential client's
 *                                  certificate credential, a PEM file (PKCS#8 key + certificate) or a PKCS#12
 *                                  file; null: none (a secret, or no confidential client)
 * @param clientCertificatePassword {@code MS365_MCP_CLIENT_CERTIFICATE_PASSWORD}, for a PKCS#12 file; null: none
 * @param expectedAccount     {@code MS365_MCP_EXPECTED_USERNAME} / {@code _HOME_ACCOUNT_ID}: the only account allowed
 * @param authCacheCommand    {@code MS365_MCP_AUTH_CACHE_COMMAND}: a program keeping the encrypted cache; null: the file
 */
public record AuthSettings(String clientId, String tenantId, String clientSecret, Mode mode, String oauthToken,
                           Path tokenCachePath, Path selectedAccountPath, byte[] cacheKey,
                           Set<String> allowedScopes, Set<String> extraScopes, GraphEndpoint endpoint,
                           Path clientCertificatePath, String clientCertificatePassword,
                           ExpectedAccount expectedAccount, AuthCacheCommand authCacheCommand) {

    /** Who the tokens are for. */
    public enum Mode {
        /** A signed-in user (device code login, MSAL cache). */
        DELEGATED,
        /** The application itself (client credentials); Graph calls such as {@code /me} do not apply. */
        APP
    }

    public static final String CACHE_FILE_NAME = "token-cache.bin";
    public static final String SELECTED_ACCOUNT_FILE_NAME = "selected-account.txt";

    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]*");

    public AuthSettings {
        allowedScopes = Set.copyOf(allowedScopes);
        extraScopes = Set.copyOf(extraScopes);
        cacheKey = cacheKey == null ? null : cacheKey.clone();
        expectedAccount = expectedAccount == null ? ExpectedAccount.ANY : expectedAccount;
    }

    @Override
    public byte[] cacheKey() {
        return cacheKey == null ? null : cacheKey.clone();
    }

    /** Reads the variables from {@code env} (usually {@link System#getenv()}), defaults per this OS and user. */
    public static AuthSettings fromEnv(Map<String, String> env) {
        return fromEnv(env, System.getProperty("os.name", ""), Path.of(System.getProperty("user.home", ".")));
    }

    static AuthSettings fromEnv(Map<String, String> env, String osName, Path userHome) {
        String clientId = value(env, "MS365_MCP_CLIENT_ID");
        if (clientId != null && !GUID.matcher(clientId).matches()) {
            throw new IllegalArgumentException("MS365_MCP_CLIENT_ID must be the Application (client) ID of your app "
                    + "registration, a GUID like 00000000-0000-0000-0000-000000000000; got '" + clientId + "'");
        }
        String tenantId = Optional.ofNullable(value(env, "MS365_MCP_TENANT_ID")).orElse("common");
        if (!TENANT.matcher(tenantId).matches()) {
            throw new IllegalArgumentException("MS365_MCP_TENANT_ID must be common, organizations, consumers, "
                    + "a tenant GUID or a domain like contoso.onmicrosoft.com; got '" + tenantId + "'");
        }
        Mode mode = parseMode(value(env, "MS365_MCP_AUTH_MODE"));
        String clientSecret = value(env, "MS365_MCP_CLIENT_SECRET");
        String oauthToken = value(env, "MS365_MCP_OAUTH_TOKEN");
        Path certificatePath = path(env, "MS365_MCP_CLIENT_CERTIFICATE_PATH").orElse(null);
        if (mode == Mode.APP && oauthToken == null) {
            if (clientId == null || (clientSecret == null && certificatePath == null)) {
                throw new IllegalArgumentException("MS365_MCP_AUTH_MODE=app needs MS365_MCP_CLIENT_ID and "
                        + "MS365_MCP_CLIENT_SECRET or MS365_MCP_CLIENT_CERTIFICATE_PATH (client credentials of your "
                        + "app registration)");
            }
            if (Set.of("common", "organizations", "consumers").contains(tenantId.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("MS365_MCP_AUTH_MODE=app needs MS365_MCP_TENANT_ID set to your "
                        + "tenant GUID or domain, not '" + tenantId + "'");
            }
        }
        Path cachePath = path(env, "MS365_MCP_TOKEN_CACHE_PATH")
                .orElseGet(() -> defaultConfigDir(env, osName, userHome).resolve(CACHE_FILE_NAME));
        Path selectedPath = path(env, "MS365_MCP_SELECTED_ACCOUNT_PATH")
                .orElseGet(() -> cachePath.resolveSibling(SELECTED_ACCOUNT_FILE_NAME));
        return new AuthSettings(clientId, tenantId, clientSecret, mode, oauthToken, cachePath, selectedPath,
                parseKey(value(env, "MS365_MCP_CACHE_KEY")),
                scopes(value(env, "MS365_MCP_ALLOWED_SCOPES")), scopes(value(env, "MS365_MCP_EXTRA_SCOPES")),
                GraphEndpoint.fromEnv(env), certificatePath, value(env, "MS365_MCP_CLIENT_CERTIFICATE_PASSWORD"),
                ExpectedAccount.fromEnv(env), AuthCacheCommand.fromEnv(env).orElse(null));
    }

    /** True when a confidential client credential (secret or certificate) is configured. */
    public boolean hasClientCredential() {
        return clientSecret != null || clientCertificatePath != null;
    }

    /**
     * The per-user configuration directory: {@code $XDG_CONFIG_HOME/ms365-mcp} or
     * {@code ~/.config/ms365-mcp} on Linux and other Unixes, {@code ~/Library/Application Support/ms365-mcp}
     * on macOS, {@code %APPDATA%\ms365-mcp} on Windows.
     */
    public static Path defaultConfigDir(Map<String, String> env, String osName, Path userHome) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String appData = value(env, "APPDATA");
            return (appData != null ? Path.of(appData) : userHome.resolve("AppData").resolve("Roaming"))
                    .resolve("ms365-mcp");
        }
        if (os.startsWith("mac")) {
            return userHome.resolve("Library").resolve("Application Support").resolve("ms365-mcp");
        }
        String xdg = value(env, "XDG_CONFIG_HOME");
        // The XDG spec says to ignore a relative XDG_CONFIG_HOME.
        Path base = xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg) : userHome.resolve(".config");
        return base.resolve("ms365-mcp");
    }

    /** The MSAL authority URL: authority base plus tenant, e.g. {@code https://login.microsoftonline.com/common/}. */
    public String authorityUrl() {
        return endpoint.authorityBase() + "/" + tenantId + "/";
    }

    /** Never shows the secret, the token or the cache key. */
    @Override
    public String toString() {
        return "AuthSettings[clientId=" + clientId + ", tenantId=" + tenantId
                + ", clientSecret=" + (clientSecret == null ? "unset" : "<redacted>")
                + ", mode=" + mode + ", oauthToken=" + (oauthToken == null ? "unset" : "<redacted>")
                + ", tokenCachePath=" + tokenCachePath + ", selectedAccountPath=" + selectedAccountPath
                + ", cacheKey=" + (cacheKey == null ? "key file" : "<redacted>")
                + ", allowedScopes=" + allowedScopes + ", extraScopes=" + extraScopes + ", endpoint=" + endpoint
                + ", clientCertificatePath=" + clientCertificatePath
                + ", clientCertificatePassword=" + (clientCertificatePassword == null ? "unset" : "<redacted>")
                + ", expectedAccount=" + expectedAccount + ", authCacheCommand=" + authCacheCommand + "]";
    }

    private static Mode parseMode(String value) {
        if (value == null) {
            return Mode.DELEGATED;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "app", "app-only", "client_credentials" -> Mode.APP;
            case "delegated", "user" -> Mode.DELEGATED;
            default -> throw new IllegalArgumentException(
                    "MS365_MCP_AUTH_MODE must be 'delegated' (default: a signed-in user) or 'app' (client credentials); got '"
                            + value + "'");
        };
    }

    private static byte[] parseKey(String value) {
        if (value == null) {
            return null;
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            key = null;
        }
        if (key == null || key.length != 32) {
            // Never echo the value: it is meant to be a secret.
            throw new IllegalArgumentException("MS365_MCP_CACHE_KEY must be 32 random bytes in base64 "
                    + "(e.g. the output of: openssl rand -base64 32)");
        }
        return key;
    }

    static Set<String> scopes(String value) {
        Set<String> scopes = new LinkedHashSet<>();
        if (value != null) {
            for (String scope : value.split("[,\\s]+")) {
                if (!scope.isBlank()) {
                    scopes.add(scope);
                }
            }
        }
        return scopes;
    }

    private static Optional<Path> path(Map<String, String> env, String name) {
        String value = value(env, name);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(value).toAbsolutePath());
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(name + " must be a file path; got '" + value + "'");
        }
    }

    private static String value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
