package dev.ms365mcp.http.oauth;

import dev.ms365mcp.http.state.StateStore;
import jakarta.servlet.http.HttpServlet;
import java.time.Clock;
import java.util.List;

/**
 * The server's OAuth 2.1 authorization server, assembled: the endpoints {@code JettyServer} maps, the
 * verifier {@code /mcp} checks bearers with, and {@link #revokeUser} for when the upstream says a user
 * must sign in again. All state lives in the {@link StateStore}, so any replica can serve any step.
 */
public final class AuthorizationServer implements AutoCloseable {

    public static final String AUTHORIZE = "/authorize";
    public static final String TOKEN = "/token";
    public static final String REGISTER = "/register";
    public static final String REVOKE = "/revoke";
    public static final String CALLBACK = "/oauth/callback";
    public static final String PROTECTED_RESOURCE_METADATA = "/.well-known/oauth-protected-resource";
    public static final String AUTHORIZATION_SERVER_METADATA = "/.well-known/oauth-authorization-server";

    private final OAuthSettings settings;
    private final ClientMetadataDocuments documents;
    private final Grants grants;
    private final ClientRegistration registration;
    private final AuthorizationEndpoint authorize;
    private final AuthorizationCallback callback;
    private final TokenEndpoint token;
    private final Revocation revocation;
    private final OAuthBearerTokenVerifier verifier;

    public AuthorizationServer(OAuthSettings settings, StateStore store, UpstreamSignIn upstream, Clock clock) {
        this(settings, store, upstream, ClientMetadataDocuments.forPublicInternet(clock), clock);
    }

    AuthorizationServer(OAuthSettings settings, StateStore store, UpstreamSignIn upstream, ClientMetadataDocuments documents,
                        Clock clock) {
        this.settings = settings;
        this.documents = documents;
        ClientRegistry clients = new ClientRegistry(store, settings.registrationTtl(), documents);
        grants = new Grants(store, settings, clock);
        AuthorizationCodes codes = new AuthorizationCodes(store, grants);
        registration = new ClientRegistration(clients, clock);
        authorize = new AuthorizationEndpoint(settings, clients, store, upstream);
        callback = new AuthorizationCallback(settings, store, upstream, codes, authorize);
        token = new TokenEndpoint(settings, clients, codes, grants, new RefreshTokenRotation(grants));
        revocation = new Revocation(token, grants);
        verifier = new OAuthBearerTokenVerifier(grants);
    }

    public OAuthSettings settings() {
        return settings;
    }

    /** What {@code /mcp} verifies bearer tokens with. */
    public OAuthBearerTokenVerifier bearerTokenVerifier() {
        return verifier;
    }

    /** {@code resource_metadata} for {@code WWW-Authenticate} on {@code /mcp}. */
    public String resourceMetadataUrl() {
        return ProtectedResourceMetadata.url(settings.publicUrl());
    }

    /** Revokes every grant of the user: called when the upstream says they must sign in again. */
    public void revokeUser(String userKey) {
        grants.revokeUser(userKey);
    }

    public HttpServlet protectedResourceMetadata() {
        return new ProtectedResourceMetadata(settings.resource(), List.of(settings.issuer()), settings.scopes()).servlet();
    }

    public HttpServlet authorizationServerMetadata() {
        return new AuthorizationServerMetadata(settings);
    }

    public HttpServlet registration() {
        return registration;
    }

    public HttpServlet authorization() {
        return authorize;
    }

    public HttpServlet callback() {
        return callback;
    }

    public HttpServlet token() {
        return token;
    }

    public HttpServlet revocation() {
        return revocation;
    }

    @Override
    public void close() {
        documents.close();
    }
}
