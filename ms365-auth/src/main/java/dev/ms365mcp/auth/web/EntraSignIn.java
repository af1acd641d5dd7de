package dev.ms365mcp.auth.web;

import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.ResponseMode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.GraphScopes;
import dev.ms365mcp.auth.UserKey;
import dev.ms365mcp.auth.app.ConfidentialClients;
import dev.ms365mcp.auth.errors.EntraErrors;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * The user's sign-in at Microsoft Entra behind the HTTP server's own OAuth front door: msal4j's
 * confidential client, authorization code with PKCE S256, {@code response_mode=form_post} to
 * {@code <public url>/oauth/callback}.
 *
 * <p>{@link #begin} makes the authorize URL and the transaction's secrets (the caller keeps them by
 * {@code state}: the form_post callback is a cross-site POST that carries no SameSite cookie).
 * {@link #complete} redeems the code, checks the nonce, and stores the user's MSAL cache, encrypted,
 * under the user's key in {@link UserTokenCaches}: the Entra tokens never leave this library.
 */
public final class EntraSignIn {

    /** Path of the redirect URI under the public URL; register {@code <public url>/oauth/callback} (Web platform). */
    public static final String CALLBACK_PATH = "/oauth/callback";
    static final String START_AGAIN = "Start the connection again from your MCP client.";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final AuthSettings settings;
    private final URI redirectUri;
    private final Set<String> scopes;
    private final UserTokenCaches caches;
    private final IHttpClient httpClient;
    private final IClientCredential credential;
    private final ConfidentialClientApplication urlApp;

    /**
     * @param settings   client id, credential (secret or certificate), tenant and authority
     * @param publicUrl  the server's public origin (e.g. {@code https://mcp.example.com}); the redirect URI is
     *                   {@code publicUrl + /oauth/callback}
     * @param scopes     the delegated Graph scopes to ask for at sign-in: every scope the server's tools may
     *                   need later (a silent refresh cannot add consent)
     * @param caches     where the signed-in user's MSAL cache goes
     * @param httpClient how msal4j talks to Entra; null for msal4j's default (tests route it to FakeEntra)
     */
    public EntraSignIn(AuthSettings settings, URI publicUrl, Set<String> scopes, UserTokenCaches caches,
                       IHttpClient httpClient) {
        if (settings.clientId() == null || !settings.hasClientCredential()) {
            throw new IllegalArgumentException("Signing users in needs MS365_MCP_CLIENT_ID and MS365_MCP_CLIENT_SECRET "
                    + "or MS365_MCP_CLIENT_CERTIFICATE_PATH (a Web app registration with redirect URI "
                    + redirectUri(publicUrl) + ")");
        }
        this.settings = settings;
        this.redirectUri = redirectUri(publicUrl);
        this.scopes = GraphScopes.forCloud(settings.endpoint().cloud(), scopes);
        this.caches = caches;
        this.httpClient = httpClient;
        this.credential = ConfidentialClients.credential(settings);
        this.urlApp = ConfidentialClients.builder(settings, credential, httpClient).build();
    }

    /** {@code <public url>/oauth/callback}. */
    public static URI redirectUri(URI publicUrl) {
        String base = publicUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        try {
            return new URI(base + CALLBACK_PATH);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid public URL: " + publicUrl);
        }
    }

    public URI redirectUri() {
        return redirectUri;
    }

    /**
     * Starts a sign-in: fresh {@code state}, {@code nonce} and PKCE verifier, and the Entra authorize URL
     * carrying state, nonce and the S256 challenge, asking for a {@code form_post} answer.
     *
     * @param loginHint prefilled sign-in name, or null
     */
    public EntraAuthorizationRequest begin(String loginHint) {
        return begin(random(), random(), random(), loginHint);
    }

    /**
     * Starts a sign-in whose {@code state}, {@code nonce} and PKCE {@code verifier} the caller made and
     * keeps (an authorization server that stores its pending transactions itself).
     */
    public EntraAuthorizationRequest begin(String state, String nonce, String verifier, String loginHint) {
        AuthorizationRequestUrlParameters.Builder parameters = AuthorizationRequestUrlParameters
                .builder(redirectUri.toString(), scopes)
                .state(state)
                .nonce(nonce)
                .codeChallenge(s256(verifier))
                .codeChallengeMethod("S256")
                .responseMode(ResponseMode.FORM_POST);
        if (loginHint != null && !loginHint.isBlank()) {
            parameters.loginHint(loginHint.strip());
        }
        try {
            URI url = urlApp.getAuthorizationRequestUrl(parameters.build()).toURI();
            return new EntraAuthorizationRequest(url, state, nonce, verifier);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("msal4j made an invalid authorize URL", e);
        }
    }

    /**
     * Finishes a sign-in from the callback's {@code code}: redeems it with the transaction's PKCE verifier,
     * checks that the id token carries the transaction's nonce, and stores the user's MSAL cache
     * (encrypted, under the user's key; it replaces an older one).
     *
     * @throws AuthException when Entra refuses the code or the nonce does not match; nothing is stored then
     */
    public SignedInUser complete(String code, String codeVerifier, String expectedNonce) {
        if (code == null || code.isBlank() || codeVerifier == null || codeVerifier.isBlank()
                || expectedNonce == null || expectedNonce.isBlank()) {
            throw new AuthException("The sign-in callback is incomplete (no code, or no pending sign-in). " + START_AGAIN);
        }
        MsalCacheSnapshot cache = new MsalCacheSnapshot(null);
        ConfidentialClientApplication app = ConfidentialClients.builder(settings, credential, httpClient)
                .setTokenCacheAccessAspect(cache).build();
        IAuthenticationResult result;
        try {
            result = app.acquireToken(AuthorizationCodeParameters.builder(code.strip(), redirectUri)
                    .scopes(scopes).codeVerifier(codeVerifier).build()).get();
        } catch (ExecutionException | RuntimeException e) {
            throw EntraErrors.toAuthException(e, START_AGAIN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthException("Interrupted while completing the sign-in.", e);
        }
        JWTClaimsSet idToken = idTokenClaims(result.idToken());
        String nonce = stringClaim(idToken, "nonce");
        if (nonce == null || !MessageDigest.isEqual(nonce.getBytes(StandardCharsets.UTF_8),
                expectedNonce.getBytes(StandardCharsets.UTF_8))) {
            throw new AuthException("The sign-in answer does not belong to this sign-in (nonce mismatch). " + START_AGAIN);
        }
        if (result.account() == null || cache.json() == null) {
            throw new AuthException("Microsoft Entra did not return an account for this sign-in. " + START_AGAIN);
        }
        String userKey = UserKey.fromHomeAccountId(result.account().homeAccountId());
        caches.locked(userKey, () -> {
            caches.save(userKey, cache.json());
            return null;
        });
        String tenant = stringClaim(idToken, "tid");
        return new SignedInUser(userKey, result.account().username(), tenant);
    }

    /**
     * The {@link AuthException} for a callback that carries {@code error} instead of a code (the user
     * declined, consent is missing, the tenant refused...), with the AADSTS code's advice. The message
     * quotes Entra's first description line: escape it when putting it in HTML.
     */
    public static AuthException errorResponse(String error, String errorDescription) {
        String code = error == null || error.isBlank() ? "server_error" : error.strip();
        String description = errorDescription == null ? code : errorDescription;
        return EntraErrors.toAuthException(new MsalServiceException(description, code), START_AGAIN);
    }

    private static JWTClaimsSet idTokenClaims(String idToken) {
        try {
            // Straight from Entra's token endpoint over TLS: the claims are read, the signature is not
            // needed (OpenID Connect Core 3.1.3.7).
            return JWTParser.parse(idToken).getJWTClaimsSet();
        } catch (ParseException | NullPointerException e) {
            throw new AuthException("Microsoft Entra returned no readable id token. " + START_AGAIN);
        }
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            return null;
        }
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String s256(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
