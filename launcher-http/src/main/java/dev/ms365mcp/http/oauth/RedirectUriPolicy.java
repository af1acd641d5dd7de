package dev.ms365mcp.http.oauth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which redirect URIs a client may register, and whether one presented at {@code /authorize} is one of
 * them. Registered: any https URI; http only on a loopback literal or {@code localhost} (RFC 8252 §7.3);
 * private-use schemes of native apps ({@code cursor://…}, {@code vscode://…}, RFC 8252 §7.1). Never
 * script or local-content schemes, fragments or user info. Matching is exact string equality, except that
 * a loopback http URI matches on any port (native apps pick a free port at run time).
 */
final class RedirectUriPolicy {

    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]");
    /** Schemes that run code or read local content in a browser, or that a private-use scheme must not shadow. */
    private static final Set<String> DANGEROUS_SCHEMES = Set.of("javascript", "data", "file", "vbscript", "blob",
            "about", "filesystem", "view-source", "jar", "ftp", "ws", "wss", "chrome", "chrome-extension", "resource");

    private RedirectUriPolicy() {
    }

    /** Why {@code uri} may not be registered, or empty if it may. */
    static Optional<String> problem(String uri) {
        if (uri == null || uri.isBlank()) {
            return Optional.of("a redirect URI is empty");
        }
        if (uri.length() > 2000) {
            return Optional.of("a redirect URI is longer than 2000 characters");
        }
        if (uri.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            return Optional.of("a redirect URI contains spaces or control characters");
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return Optional.of("a redirect URI is not a valid URI");
        }
        String scheme = parsed.getScheme();
        if (scheme == null) {
            return Optional.of("a redirect URI must be absolute (https://…, http://127.0.0.1:port/…, or an app scheme like cursor://…)");
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (DANGEROUS_SCHEMES.contains(scheme)) {
            return Optional.of("redirect URIs with the " + scheme + ": scheme are not allowed");
        }
        if (parsed.getRawFragment() != null || uri.contains("#")) {
            return Optional.of("a redirect URI must not contain a fragment (RFC 6749 §3.1.2)");
        }
        if (parsed.getRawUserInfo() != null || (parsed.getRawAuthority() != null && parsed.getRawAuthority().contains("@"))) {
            return Optional.of("a redirect URI must not contain user info (user@host)");
        }
        if (parsed.isOpaque()) {
            return Optional.of("a redirect URI must be hierarchical (scheme://host/path)");
        }
        switch (scheme) {
            case "https" -> {
                if (parsed.getHost() == null) {
                    return Optional.of("an https redirect URI needs a host");
                }
            }
            case "http" -> {
                if (!isLoopback(parsed)) {
                    return Optional.of("an http redirect URI must point at this machine (http://127.0.0.1, http://localhost or http://[::1]); use https otherwise");
                }
            }
            default -> {
                // Private-use scheme (RFC 8252 §7.1): reverse-DNS-like names; a bare one-letter scheme could be a drive letter.
                if (scheme.length() < 2) {
                    return Optional.of("a redirect URI's scheme is too short");
                }
            }
        }
        return Optional.empty();
    }

    /** True if {@code requested} is one of {@code registered} (loopback http: any port). */
    static boolean matches(List<String> registered, String requested) {
        if (requested == null) {
            return false;
        }
        for (String r : registered) {
            if (r.equals(requested)) {
                return true;
            }
        }
        URI asked = parse(requested);
        if (asked == null || !"http".equals(asked.getScheme()) || !isLoopback(asked) || problem(requested).isPresent()) {
            return false;
        }
        for (String r : registered) {
            URI known = parse(r);
            if (known != null && "http".equals(known.getScheme()) && isLoopback(known)
                    && known.getHost().equalsIgnoreCase(asked.getHost())
                    && java.util.Objects.equals(known.getRawPath(), asked.getRawPath())
                    && java.util.Objects.equals(known.getRawQuery(), asked.getRawQuery())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLoopback(URI uri) {
        return uri.getHost() != null && LOOPBACK_HOSTS.contains(uri.getHost().toLowerCase(Locale.ROOT));
    }

    private static URI parse(String uri) {
        try {
            return new URI(uri);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The host the consent page names: where the code will go. */
    static String displayHost(String redirectUri) {
        URI u = parse(redirectUri);
        if (u == null) {
            return redirectUri;
        }
        if (u.getHost() != null) {
            return u.getHost();
        }
        return u.getScheme() + "://" + (u.getRawAuthority() == null ? "" : u.getRawAuthority());
    }
}
