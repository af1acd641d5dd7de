package dev.ms365mcp.http.oauth;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /revoke} (RFC 7009): a refresh token revokes its whole grant (every token of the family);
 * an access token revokes itself. Unknown tokens, and tokens of another client, get the same 200 as
 * real ones (§2.2), so the endpoint tells nothing about which tokens exist.
 */
final class Revocation extends HttpServlet {

    private static final Logger LOG = LoggerFactory.getLogger(Revocation.class);

    private final TokenEndpoint clientAuthentication;
    private final Grants grants;

    Revocation(TokenEndpoint clientAuthentication, Grants grants) {
        this.clientAuthentication = clientAuthentication;
        this.grants = grants;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            Map<String, String> form = OAuthHttp.form(req);
            RegisteredClient client = clientAuthentication.authenticate(req, form);
            String token = form.get("token");
            if (token == null || token.isEmpty()) {
                throw OAuthError.invalidRequest("token is missing");
            }
            String hash = Secrets.hash(token);
            grants.refreshRecord(hash).map(Grants::parseRefresh)
                    .filter(rt -> rt.clientId().equals(client.clientId()))
                    .ifPresent(rt -> {
                        grants.revokeFamily(rt.family());
                        LOG.info("client {} revoked a grant", client.clientId());
                    });
            grants.access(token).filter(at -> at.clientId().equals(client.clientId()))
                    .ifPresent(at -> grants.deleteAccessByHash(hash));
            resp.setStatus(200);
            resp.setHeader("Cache-Control", "no-store");
        } catch (OAuthError e) {
            OAuthHttp.error(resp, e);
        }
    }
}
