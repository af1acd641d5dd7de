package dev.ms365mcp.http.files;

import dev.ms365mcp.tools.EnvironmentValues;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * How the HTTP server hands out file links.
 *
 * @param downloadTtl    how long a download link lives ({@code MS365_MCP_ATTACHMENT_URL_TTL_S}, 1-300 s, default 120,
 *                       as in the reference)
 * @param uploadTtl      how long an upload link lives ({@code MS365_MCP_UPLOAD_URL_TTL_S}, default 600)
 * @param uploadMaxBytes the largest upload a link takes ({@code MS365_MCP_UPLOAD_MAX_BYTES}, default 250 MiB)
 * @param perUser        live links one user may hold ({@code MS365_MCP_FILE_LINKS_PER_USER}, default 20)
 * @param base           the origin minted URLs start with ({@code MS365_MCP_ATTACHMENT_URL_BASE}; default the
 *                       public URL)
 */
public record FileLinkSettings(Duration downloadTtl, Duration uploadTtl, long uploadMaxBytes, int perUser, URI base) {

    public static final int MAX_DOWNLOAD_TTL_S = 300;
    public static final long DEFAULT_UPLOAD_MAX_BYTES = 250L * 1024 * 1024;

    public static FileLinkSettings fromEnv(Map<String, String> env, URI publicUrl) {
        int downloadTtl = EnvironmentValues.integer(env, "MS365_MCP_ATTACHMENT_URL_TTL_S", 120, 1);
        if (downloadTtl > MAX_DOWNLOAD_TTL_S) {
            throw new IllegalArgumentException("MS365_MCP_ATTACHMENT_URL_TTL_S must be between 1 and "
                    + MAX_DOWNLOAD_TTL_S + " (seconds a download link lives), got " + downloadTtl);
        }
        int uploadTtl = EnvironmentValues.integer(env, "MS365_MCP_UPLOAD_URL_TTL_S", 600, 1);
        long max = bytes(env, "MS365_MCP_UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES);
        int perUser = EnvironmentValues.integer(env, "MS365_MCP_FILE_LINKS_PER_USER", 20, 1);
        String base = env.get("MS365_MCP_ATTACHMENT_URL_BASE");
        return new FileLinkSettings(Duration.ofSeconds(downloadTtl), Duration.ofSeconds(uploadTtl), max, perUser,
                base == null || base.isBlank() ? publicUrl : origin(base));
    }

    private static long bytes(Map<String, String> env, String name, long dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a positive number of bytes, got '" + v + "'");
    }

    /** {@code http(s)://host[:port]}, nothing after it; a trailing slash is dropped. */
    static URI origin(String value) {
        String v = value.strip();
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        try {
            URI u = new URI(v);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || u.getHost() == null || u.getRawQuery() != null
                    || u.getRawFragment() != null || u.getUserInfo() != null
                    || u.getRawPath() != null && !u.getRawPath().isEmpty()) {
                throw new URISyntaxException(v, "not an origin");
            }
            return new URI(scheme, null, u.getHost().toLowerCase(Locale.ROOT), u.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("MS365_MCP_ATTACHMENT_URL_BASE must be an http(s) origin such as "
                    + "https://files.example.com (no path, query or fragment), got '" + value + "'");
        }
    }
}
