package dev.ms365mcp.auth.obo;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.health.HealthStatus;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.UserKey;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.UnknownHostException;
import java.text.ParseException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocketFactory;

/**
 * Validates the bearer token of an on-behalf-of caller: an Entra <b>v2.0</b> access token issued for
 * this API. Everything JOSE is nimbus-jose-jwt's: the signature must be RS256 by a key of the tenant's
 * JWKS (fetched over https, cached, refetched when an unknown key id appears, rate limited), so
 * {@code alg=none}, HS256 (e.g. keyed with the public key) and foreign keys fail. Then: audience is the
 * client id or {@code api://<client id>}; {@code exp}/{@code nbf} with 60 s clock skew; issuer is
 * {@code <authority base>/<tid>/v2.0}; {@code tid} is the configured tenant when
 * {@code MS365_MCP_TENANT_ID} names one (a GUID), any work tenant for {@code organizations}, any for
 * {@code common}.
 *
 * <p>v1.0 tokens ({@code https://sts.windows.net/<tid>/}) are refused with advice: they are what an app
 * registration issues unless its manifest sets {@code "requestedAccessTokenVersion": 2}, and accepting
 * both would double the issuer rules for no gain.
 */
public final class EntraAccessTokenValidator {

    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String CONSUMERS_TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad";
    private static final int CLOCK_SKEW_SECONDS = 60;
    private static final int HTTP_TIMEOUT_MS = 5_000;
    private static final int JWKS_SIZE_LIMIT = 256 * 1024;
    private static final Duration JWKS_CACHE = Duration.ofHours(6);

    private final String authorityBase;
    private final String requiredTenant;
    private final boolean workTenantsOnly;
    private final DefaultJWTProcessor<SecurityContext> processor;
    /** Whether the last JWKS fetch worked; false until one has (see {@link #keySourceProblem}). */
    private volatile boolean keysFetched;

    /** JWKS at {@code <authority base>/<tenant>/discovery/v2.0/keys}, as Entra publishes it. */
    public EntraAccessTokenValidator(AuthSettings settings) {
        this(settings, URI.create(settings.endpoint().authorityBase() + "/" + jwksTenant(settings.tenantId())
                + "/discovery/v2.0/keys"), null);
    }

    /**
     * @param jwksUri            where the signing keys are: https, or http on a loopback address (tests)
     * @param sslSocketFactory   TLS trust for the JWKS fetch; null for the JVM's default
     */
    public EntraAccessTokenValidator(AuthSettings settings, URI jwksUri, SSLSocketFactory sslSocketFactory) {
        if (settings.clientId() == null) {
            throw new IllegalArgumentException("Validating callers' Entra tokens needs MS365_MCP_CLIENT_ID (this API's "
                    + "Application (client) ID)");
        }
        String tenant = settings.tenantId().toLowerCase(Locale.ROOT);
        if (!GUID.matcher(tenant).matches() && !Set.of("common", "organizations", "consumers").contains(tenant)) {
            throw new IllegalArgumentException("Validating callers' Entra tokens needs MS365_MCP_TENANT_ID as your "
                    + "tenant id (a GUID), or common / organizations; got '" + settings.tenantId() + "'");
        }
        this.authorityBase = settings.endpoint().authorityBase().toString();
        this.requiredTenant = tenant.equals("consumers") ? CONSUMERS_TENANT_ID
                : GUID.matcher(tenant).matches() ? tenant : null;
        this.workTenantsOnly = tenant.equals("organizations");

        JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(checkedJwksUrl(jwksUri),
                        new NoRedirectRetriever(sslSocketFactory))
                .cache(JWKS_CACHE.toMillis(), JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT)
                .rateLimited(true)
                .retrying(true)
                .healthReporting(report -> keysFetched = report.getHealthStatus() == HealthStatus.HEALTHY)
                .build();
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        String clientId = settings.clientId();
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                Set.of(clientId, "api://" + clientId), null, Set.of("iss", "exp", "tid", "oid"), null);
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
    }

    private static String jwksTenant(String tenant) {
        String t = tenant.toLowerCase(Locale.ROOT);
        return t.equals("consumers") || t.equals("organizations") ? "common" : tenant;
    }

    /**
     * The caller, when {@code bearerToken} is a valid access token for this API.
     *
     * @throws InvalidAccessTokenException the token is not acceptable (answer 401 invalid_token)
     * @throws SigningKeysUnavailableException Entra's signing keys could not be fetched: the token may well be
     *                                         fine (answer 503, not 401)
     */
    public EntraCaller validate(String bearerToken) {
        if (bearerToken == null || bearerToken.isBlank()) {
            throw new InvalidAccessTokenException("No access token: send Authorization: Bearer <token>.");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(bearerToken.strip(), null);
        } catch (ParseException e) {
            throw new InvalidAccessTokenException("The access token is not a JWT.");
        } catch (BadJWTException e) {
            throw new InvalidAccessTokenException("The access token was rejected: " + claimProblem(e) + ".");
        } catch (BadJOSEException e) {
            throw invalidSignature();
        } catch (KeySourceException e) {
            throw keySourceProblem(e);
        } catch (JOSEException e) {
            // a verifier failure on this token's bytes (e.g. a malformed signature), not on the keys
            throw invalidSignature();
        }
        String tenantId = string(claims, "tid");
        String issuer = claims.getIssuer();
        if (issuer.startsWith("https://sts.windows.net/") || issuer.startsWith("https://sts.chinacloudapi.cn/")
                || "1.0".equals(string(claims, "ver"))) {
            throw new InvalidAccessTokenException("The access token is an Entra v1.0 token; this server accepts v2.0 "
                    + "tokens only. In the API's app registration manifest set \"requestedAccessTokenVersion\": 2.");
        }
        if (tenantId == null || !issuer.equals(authorityBase + "/" + tenantId + "/v2.0")) {
            throw new InvalidAccessTokenException("The access token was not issued by Microsoft Entra for its tenant "
                    + "(issuer not accepted).");
        }
        String tid = tenantId.toLowerCase(Locale.ROOT);
        if ((requiredTenant != null && !requiredTenant.equals(tid))
                || (workTenantsOnly && CONSUMERS_TENANT_ID.equals(tid))) {
            throw new InvalidAccessTokenException("The access token is from a tenant this server does not serve "
                    + "(MS365_MCP_TENANT_ID).");
        }
        String objectId = string(claims, "oid");
        return new EntraCaller(UserKey.fromObjectId(objectId, tenantId), objectId, tenantId,
                string(claims, "preferred_username"), bearerToken.strip(), claims.getExpirationTime().toInstant());
    }

    private static InvalidAccessTokenException invalidSignature() {
        return new InvalidAccessTokenException("The access token's signature is not valid (RS256 by a key of "
                + "Microsoft Entra's JWKS is required).");
    }

    /**
     * nimbus refetches the JWKS when a token names an unknown key id, at most twice per 30 s. Past that
     * limit it throws {@link RateLimitReachedException} without fetching: with keys fetched recently, the
     * token's key is simply not Entra's (invalid); with the last fetch failed, Entra is unreachable (503).
     * Any other key source failure (connection refused, timeout, HTTP 500, not a JWKS) is an outage.
     */
    private AuthException keySourceProblem(KeySourceException e) {
        if (e instanceof RateLimitReachedException && keysFetched) {
            return invalidSignature();
        }
        return new SigningKeysUnavailableException("Cannot get Microsoft Entra's signing keys to check the access "
                + "token; try again shortly.", e);
    }

    /** nimbus's reason in our words, without echoing claim values. */
    private static String claimProblem(BadJWTException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("aud claim") || m.contains("audience")) {
            return "it was not issued for this API (audience)";
        }
        if (m.contains("expired")) {
            return "it has expired";
        }
        if (m.contains("before use time")) {
            return "it is not valid yet";
        }
        if (m.contains("missing required claims")) {
            return "it lacks a required claim (iss, exp, tid, oid, aud)";
        }
        return "its claims are not acceptable";
    }

    private static String string(JWTClaimsSet claims, String name) {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            throw new InvalidAccessTokenException("The access token's '" + name + "' claim is not a string.");
        }
    }

    /** https only, except http to a loopback address (tests, local fakes). */
    private static URL checkedJwksUrl(URI uri) {
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        boolean loopbackHttp = false;
        if (scheme.equals("http") && uri.getHost() != null) {
            try {
                loopbackHttp = InetAddress.getByName(uri.getHost()).isLoopbackAddress()
                        && (uri.getHost().equals("localhost") || Character.isDigit(uri.getHost().charAt(0))
                        || uri.getHost().startsWith("["));
            } catch (UnknownHostException e) {
                loopbackHttp = false;
            }
        }
        if (!scheme.equals("https") && !loopbackHttp) {
            throw new IllegalArgumentException("Entra's JWKS must be fetched over https (http only on loopback); got "
                    + uri);
        }
        try {
            return uri.toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a valid JWKS URL: " + uri);
        }
    }

    /** nimbus's retriever with size and time caps, that does not follow redirects (keys come from that URL only). */
    private static final class NoRedirectRetriever extends DefaultResourceRetriever {
        NoRedirectRetriever(SSLSocketFactory sslSocketFactory) {
            super(HTTP_TIMEOUT_MS, HTTP_TIMEOUT_MS, JWKS_SIZE_LIMIT, true, sslSocketFactory);
        }

        @Override
        protected HttpURLConnection openHTTPConnection(URL url) throws IOException {
            HttpURLConnection connection = super.openHTTPConnection(url);
            connection.setInstanceFollowRedirects(false);
            return connection;
        }
    }
}
