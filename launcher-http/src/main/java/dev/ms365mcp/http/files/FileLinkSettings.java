package dev.ms365mcp.http.files;

import dev.ms365mcp.http.HttpSettings;
import dev.ms365mcp.tools.EnvironmentValues;
import java.net.URI;
import java.time.Duration;
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
        long max = EnvironmentValues.longInteger(env, "MS365_MCP_UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES, 1);
        int perUser = EnvironmentValues.integer(env, "MS365_MCP_FILE_LINKS_PER_USER", 20, 1);
        String base = env.get("MS365_MCP_ATTACHMENT_URL_BASE");
        return new FileLinkSettings(Duration.ofSeconds(downloadTtl), Duration.ofSeconds(uploadTtl), max, perUser,
                base == null || base.isBlank() ? publicUrl : origin(base));
    }

    /** {@code http(s)://host[:port]}, nothing after it; a trailing slash is dropped. */
    static URI origin(String value) {
        return HttpSettings.origin(value, "MS365_MCP_ATTACHMENT_URL_BASE must be an http(s) origin such as "
                + "https://files.example.com (no path, query or fragment), got '" + value + "'");
    }
}
