package dev.ms365mcp.http.oauth;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * What the authorization server advertises and how long what it hands out lives.
 *
 * @param publicUrl        the origin clients use (no trailing slash): the issuer, and the base of every URL we advertise
 * @param scopes           the scopes clients may ask for (unknown ones are dropped, none means all)
 * @param permissions      what a granted client can do, in words, for the consent page (e.g. the Graph permissions of the enabled tools)
 * @param accessTokenTtl   access token lifetime
 * @param refreshTokenTtl  refresh token lifetime, restarted by every rotation (sliding)
 * @param refreshReuseGrace how long a rotated refresh token may be presented again (a client retrying a lost answer)
 *                         before that counts as theft and revokes its family
 * @param registrationTtl  an unused client registration is forgotten after this (every use restarts it)
 */
public record OAuthSettings(URI publicUrl, List<String> scopes, List<String> permissions, Duration accessTokenTtl,
                            Duration refreshTokenTtl, Duration refreshReuseGrace, Duration registrationTtl) {

    public static final String MCP_PATH = "/mcp";
    public static final List<String> DEFAULT_SCOPES = List.of("ms365");
    /** Authorization codes: single use, short-lived (RFC 6749 §4.1.2 recommends at most 10 minutes). */
    public static final Duration CODE_TTL = Duration.ofSeconds(60);
    /** A pending authorization: consent page, then the sign-in at Microsoft. */
    public static final Duration PENDING_TTL = Duration.ofMinutes(10);

    public OAuthSettings {
        String text = publicUrl.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        publicUrl = URI.create(text);
        if (!"https".equals(publicUrl.getScheme()) && !"http".equals(publicUrl.getScheme()) || publicUrl.getHost() == null
                || publicUrl.getRawQuery() != null || publicUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("the public URL must be an http(s) origin like https://mcp.example.com, got '" + text + "'");
        }
        scopes = List.copyOf(scopes.isEmpty() ? DEFAULT_SCOPES : scopes);
        permissions = List.copyOf(permissions);
        if (accessTokenTtl.compareTo(Duration.ofMinutes(1)) < 0 || accessTokenTtl.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("MS365_MCP_ACCESS_TOKEN_TTL must be between 1 minute and 1 day, got " + accessTokenTtl);
        }
        if (refreshTokenTtl.compareTo(accessTokenTtl) < 0 || refreshTokenTtl.compareTo(Duration.ofDays(365)) > 0) {
            throw new IllegalArgumentException("MS365_MCP_REFRESH_TOKEN_TTL must be between the access token lifetime and 365 days, got " + refreshTokenTtl);
        }
        if (refreshReuseGrace.isNegative() || refreshReuseGrace.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("MS365_MCP_REFRESH_REUSE_GRACE must be between 0 and 5 minutes, got " + refreshReuseGrace);
        }
    }

    /** Defaults: access 1 h, refresh 30 days sliding, 30 s reuse grace, registrations 30 days unused. */
    public static OAuthSettings defaults(URI publicUrl) {
        return new OAuthSettings(publicUrl, DEFAULT_SCOPES, List.of(), Duration.ofHours(1), Duration.ofDays(30),
                Duration.ofSeconds(30), Duration.ofDays(30));
    }

    /**
     * Lifetimes from {@code MS365_MCP_ACCESS_TOKEN_TTL}, {@code MS365_MCP_REFRESH_TOKEN_TTL},
     * {@code MS365_MCP_REFRESH_REUSE_GRACE}: whole seconds ({@code 3600}) or ISO-8601 ({@code PT1H}, {@code P30D}).
     */
    public static OAuthSettings fromEnv(URI publicUrl, List<String> permissions, Map<String, String> env) {
        OAuthSettings d = defaults(publicUrl);
        return new OAuthSettings(publicUrl, DEFAULT_SCOPES, permissions,
                duration(env, "MS365_MCP_ACCESS_TOKEN_TTL", d.accessTokenTtl()),
                duration(env, "MS365_MCP_REFRESH_TOKEN_TTL", d.refreshTokenTtl()),
                duration(env, "MS365_MCP_REFRESH_REUSE_GRACE", d.refreshReuseGrace()),
                d.registrationTtl());
    }

    static Duration duration(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.strip();
        try {
            if (v.chars().allMatch(Character::isDigit)) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
            // Duration.parse takes PT…; days-only periods (P30D) are written PT720H by it, so accept both.
            return Duration.parse(v.startsWith("P") && !v.contains("T") ? v + "T0S" : v);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be seconds (3600) or ISO-8601 (PT1H, P30D), got '" + value + "'");
        }
    }

    /** The issuer identifier: the public URL, string for string (RFC 8414 §2, RFC 9207). */
    public String issuer() {
        return publicUrl.toString();
    }

    /** The protected resource: {@code <public url>/mcp} exactly (RFC 9728 {@code resource}, RFC 8707). */
    public String resource() {
        return issuer() + MCP_PATH;
    }

    /**
     * True if {@code resource} names our MCP endpoint: equal to {@link #resource()} after URI
     * normalisation (scheme and host case, default port, one trailing slash), as clients send it verbatim.
     */
    boolean isOurResource(String resource) {
        return resource != null && normalise(resource).equals(normalise(resource()));
    }

    private static String normalise(String uri) {
        try {
            URI u = new URI(uri).normalize();
            if (u.getScheme() == null || u.getHost() == null || u.getRawFragment() != null || u.getRawQuery() != null) {
                return "\0" + uri;
            }
            String scheme = u.getScheme().toLowerCase(java.util.Locale.ROOT);
            int port = u.getPort();
            if (port == ("https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -2)) {
                port = -1;
            }
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            if (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            return scheme + "://" + u.getHost().toLowerCase(java.util.Locale.ROOT) + (port == -1 ? "" : ":" + port) + path;
        } catch (java.net.URISyntaxException e) {
            return "\0" + uri;
        }
    }

    public String endpoint(String path) {
        return issuer() + path;
    }

    /** Secure cookies only where browsers send them back: an https public URL. */
    boolean https() {
        return "https".equals(publicUrl.getScheme());
    }
}
