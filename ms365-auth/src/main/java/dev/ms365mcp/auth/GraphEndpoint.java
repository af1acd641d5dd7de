package dev.ms365mcp.auth;

import java.net.URI;
import java.util.Map;

/**
 * Where this process talks to: the login host base and the Graph root, from the cloud and the
 * {@code MS365_MCP_AUTHORITY_URL} / {@code MS365_MCP_GRAPH_URL} overrides (which is also how
 * black-box tests point the server at the fakes).
 *
 * @param cloud         the cloud the defaults come from
 * @param authorityBase login host base, https, without tenant (e.g. https://login.microsoftonline.com)
 * @param graphRoot     Graph root without version (e.g. https://graph.microsoft.com); the executor
 *                      appends {@code /v1.0} or {@code /beta}
 */
public record GraphEndpoint(Cloud cloud, URI authorityBase, URI graphRoot) {

    public GraphEndpoint {
        authorityBase = withoutTrailingSlash(authorityBase);
        graphRoot = withoutTrailingSlash(graphRoot);
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

    /** Reads {@code MS365_MCP_CLOUD_TYPE}, {@code MS365_MCP_AUTHORITY_URL} and {@code MS365_MCP_GRAPH_URL}. */
    public static GraphEndpoint fromEnv(Map<String, String> env) {
        String cloudName = env.get("MS365_MCP_CLOUD_TYPE");
        Cloud cloud = cloudName == null || cloudName.isBlank() ? Cloud.GLOBAL : Cloud.parse(cloudName);
        return of(cloud).withOverrides(env.get("MS365_MCP_AUTHORITY_URL"), env.get("MS365_MCP_GRAPH_URL"));
    }

    public GraphEndpoint withOverrides(String authorityUrl, String graphUrl) {
        return new GraphEndpoint(cloud,
                blank(authorityUrl) ? authorityBase : parse("MS365_MCP_AUTHORITY_URL", authorityUrl),
                blank(graphUrl) ? graphRoot : parse("MS365_MCP_GRAPH_URL", graphUrl));
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

    private static URI withoutTrailingSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
    }
}
