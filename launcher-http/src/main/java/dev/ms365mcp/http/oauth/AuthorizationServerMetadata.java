package dev.ms365mcp.http.oauth;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 8414 authorization server metadata at {@code /.well-known/oauth-authorization-server}. There is
 * deliberately no {@code openid-configuration}: this server issues no ID tokens, and clients reject a
 * partial OIDC document, while a 404 lets them move on.
 */
final class AuthorizationServerMetadata extends HttpServlet {

    private final OAuthSettings settings;

    AuthorizationServerMetadata(OAuthSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("issuer", settings.issuer());
        body.put("authorization_endpoint", settings.endpoint(AuthorizationServer.AUTHORIZE));
        body.put("token_endpoint", settings.endpoint(AuthorizationServer.TOKEN));
        body.put("registration_endpoint", settings.endpoint(AuthorizationServer.REGISTER));
        body.put("revocation_endpoint", settings.endpoint(AuthorizationServer.REVOKE));
        body.put("scopes_supported", settings.scopes());
        body.put("response_types_supported", List.of("code"));
        body.put("response_modes_supported", List.of("query"));
        body.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
        body.put("code_challenge_methods_supported", List.of("S256"));
        body.put("token_endpoint_auth_methods_supported", List.of("none", "client_secret_basic", "client_secret_post"));
        body.put("revocation_endpoint_auth_methods_supported", List.of("none", "client_secret_basic", "client_secret_post"));
        body.put("client_id_metadata_document_supported", true);
        body.put("authorization_response_iss_parameter_supported", true);
        OAuthHttp.metadata(resp, body);
    }
}
