package dev.ms365mcp.auth;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import java.util.Map;

/**
 * Where this process talks to: the login host base and the Graph root, from the cloud and the
 * {@code MS365_MCP_AUTHORITY_URL} / {@code MS365_MCP_GRAPH_URL} overrides (which is also how
 * black-box tests point the server at the fakes).
 *
 * @param cloud         the cloud the defaults come from
 * @param authorityBase login host base, https, without tenant (e.g. https://login.microsoftonline.com)
 * @param graphRoot     Graph root without version (e.g. https://graph.microsoft.com); the executor
 *                      appends {@code /v1.0} or {@code /beta}, so a root given with either is taken without it
 */
public record GraphEndpoint(Cloud cloud, URI authorityBase, URI graphRoot) {

    public GraphEndpoint {
        authorityBase = withoutTrailingSlash(authorityBase);
        graphRoot = withoutVersion(withoutTrailingSlash(graphRoot));
        if (!"https".equalsIgnoreCase(authorityBase.getScheme())) {
            throw new IllegalArgumentException("MS365_MCP_AUTHORITY_URL must be an https URL, got " + authorityBase);
        }
        String scheme = graphRoot.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))
                || graphRoot.getHost() == null) {
            throw new IllegalArgumentException("MS365_MCP_GRAPH_URL must be an absolute http(s) URL, got " + graphRoot);
        }
    }

    public static GraphEndpoint of(Cloud cloud) {
        return new GraphEndpoint(cloud, URI.create(cloud.loginHost()), URI.create(cloud.graphRoot()));
    }

    /**
     * Reads {@code MS365_MCP_CLOUD_TYPE}, {@code MS365_MCP_AUTHORITY_URL}, {@code MS365_MCP_GRAPH_URL} and
     * {@code MS365_MCP_ALLOW_INSECURE_GRAPH_URL}.
     */
    public static GraphEndpoint fromEnv(Map<String, String> env) {
        String cloudName = env.get("MS365_MCP_CLOUD_TYPE");
        Cloud cloud = cloudName == null || cloudName.isBlank() ? Cloud.GLOBAL : Cloud.parse(cloudName);
        String insecure = env.get(ALLOW_INSECURE);
        boolean allowInsecure = insecure != null && switch (insecure.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "", "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(ALLOW_INSECURE + " must be true or false, got '" + insecure + "'");
        };
        return of(cloud).withOverrides(env.get("MS365_MCP_AUTHORITY_URL"), env.get("MS365_MCP_GRAPH_URL"), allowInsecure);
    }

    public GraphEndpoint withOverrides(String authorityUrl, String graphUrl) {
        return withOverrides(authorityUrl, graphUrl, false);
    }

    /**
     * The Graph URL gets the bearer token on every call: plain {@code http} is accepted only to this
     * machine (127.0.0.0/8, {@code localhost}, {@code [::1]}, where the fakes and local proxies run), or
     * anywhere when {@code allowInsecureGraph} (logged as a warning).
     */
    public GraphEndpoint withOverrides(String authorityUrl, String graphUrl, boolean allowInsecureGraph) {
        GraphEndpoint e = new GraphEndpoint(cloud,
                blank(authorityUrl) ? authorityBase : parse("MS365_MCP_AUTHORITY_URL", authorityUrl),
                blank(graphUrl) ? graphRoot : parse("MS365_MCP_GRAPH_URL", graphUrl));
        if ("http".equalsIgnoreCase(e.graphRoot.getScheme()) && !isLoopback(e.graphRoot.getHost())) {
            if (!allowInsecureGraph) {
                throw new IllegalArgumentException("MS365_MCP_GRAPH_URL " + e.graphRoot + " is plain http to another "
                        + "machine: the access token would travel unencrypted. Use https (http is accepted only for "
                        + "localhost/127.0.0.1/[::1]), or set " + ALLOW_INSECURE + "=true if you must.");
            }
            LoggerFactory.getLogger(GraphEndpoint.class).warn("MS365_MCP_GRAPH_URL {} is plain http to another machine "
                    + "({}=true): access tokens are sent unencrypted", e.graphRoot, ALLOW_INSECURE);
        }
        return e;
    }

    /** Opt-in for a plain-http Graph URL that is not loopback. */
    public static final String ALLOW_INSECURE = "MS365_MCP_ALLOW_INSECURE_GRAPH_URL";

    /** Loopback by name or by literal address only: no DNS lookup decides where a token goes. */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) {
            return true;
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        } else if (!h.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        if (!h.matches("[0-9a-f:.]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The resource-wide scope, e.g. {@code https://graph.microsoft.com/.default}, for app-only tokens. */
    public String defaultScope() {
        return cloud.graphRoot() + "/.default";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static URI parse(String name, String value) {
        try {
            return URI.create(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not a valid URL: " + value);
        }
    }

    /** {@code https://graph.microsoft.com/v1.0} and {@code .../beta} name the root plus a version. */
    private static URI withoutVersion(URI uri) {
        String s = uri.toString();
        String lower = s.toLowerCase(Locale.ROOT);
        for (String version : new String[] {"/v1.0", "/beta"}) {
            if (lower.endsWith(version)) {
                return URI.create(s.substring(0, s.length() - version.length()));
            }
        }
        return uri;
    }

    private static URI withoutTrailingSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
    }
}
