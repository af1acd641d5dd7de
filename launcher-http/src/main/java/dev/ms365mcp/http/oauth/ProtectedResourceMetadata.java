package dev.ms365mcp.http.oauth;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 9728 protected resource metadata, served at {@code /.well-known/oauth-protected-resource/mcp} and
 * at the root form clients fall back to. Every URL comes from the configured public URL, never from the
 * request's {@code Host}.
 *
 * @param resource             {@code <public url>/mcp} exactly
 * @param authorizationServers issuers a client gets tokens for this resource from: this server's front door,
 *                             or Microsoft Entra for {@code --obo}
 * @param scopes               what a client asks those servers for
 */
public record ProtectedResourceMetadata(String resource, List<String> authorizationServers, List<String> scopes) {

    /** The metadata document's URL, for {@code WWW-Authenticate: Bearer resource_metadata="…"}. */
    public static String url(URI publicUrl) {
        return publicUrl + "/.well-known/oauth-protected-resource" + OAuthSettings.MCP_PATH;
    }

    /** The servlet answering with this document. */
    public HttpServlet servlet() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("resource", resource);
        body.put("authorization_servers", authorizationServers);
        body.put("scopes_supported", scopes);
        body.put("bearer_methods_supported", List.of("header"));
        body.put("resource_name", "Microsoft 365 (ms365-mcp)");
        return new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                OAuthHttp.metadata(resp, body);
            }
        };
    }
}
