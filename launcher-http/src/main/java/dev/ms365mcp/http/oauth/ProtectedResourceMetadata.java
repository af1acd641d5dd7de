package dev.ms365mcp.http.oauth;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 9728 protected resource metadata, served at {@code /.well-known/oauth-protected-resource/mcp} and
 * at the root form clients fall back to. Every URL comes from the configured public URL, never from the
 * request's {@code Host}.
 */
final class ProtectedResourceMetadata extends HttpServlet {

    private final OAuthSettings settings;

    ProtectedResourceMetadata(OAuthSettings settings) {
        this.settings = settings;
    }

    /** The metadata document's URL, for {@code WWW-Authenticate: Bearer resource_metadata="…"}. */
    static String url(OAuthSettings settings) {
        return settings.endpoint("/.well-known/oauth-protected-resource" + OAuthSettings.MCP_PATH);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("resource", settings.resource());
        body.put("authorization_servers", List.of(settings.issuer()));
        body.put("scopes_supported", settings.scopes());
        body.put("bearer_methods_supported", List.of("header"));
        body.put("resource_name", "Microsoft 365 (ms365-mcp)");
        OAuthHttp.metadata(resp, body);
    }
}
