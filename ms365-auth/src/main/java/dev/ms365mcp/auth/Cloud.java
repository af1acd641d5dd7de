package dev.ms365mcp.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The Microsoft clouds ({@code MS365_MCP_CLOUD_TYPE}): where to sign in and where Graph lives.
 */
public enum Cloud {
    GLOBAL("global", "https://login.microsoftonline.com", "https://graph.microsoft.com"),
    CHINA("china", "https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn"),
    USGOV("usgov", "https://login.microsoftonline.us", "https://graph.microsoft.us"),
    USGOV_DOD("usgov-dod", "https://login.microsoftonline.us", "https://dod-graph.microsoft.us");

    private final String id;
    private final String loginHost;
    private final String graphRoot;

    Cloud(String id, String loginHost, String graphRoot) {
        this.id = id;
        this.loginHost = loginHost;
        this.graphRoot = graphRoot;
    }

    public String id() {
        return id;
    }

    public String loginHost() {
        return loginHost;
    }

    public String graphRoot() {
        return graphRoot;
    }

    /** Parses {@code global | china | usgov | usgov-dod}; the error lists what is accepted. */
    public static Cloud parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (Cloud c : values()) {
            if (c.id.equals(v)) {
                return c;
            }
        }
        throw new IllegalArgumentException("Unknown cloud '" + value + "'; use one of: "
                + Arrays.stream(values()).map(Cloud::id).collect(Collectors.joining(", ")));
    }
}
