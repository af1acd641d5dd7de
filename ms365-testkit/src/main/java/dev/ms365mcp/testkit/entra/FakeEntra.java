package dev.ms365mcp.testkit.entra;

import dev.ms365mcp.testkit.FormEncoding;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A fake Microsoft Entra ID (the v2.0 login endpoints) on loopback, for tests and manual runs.
 *
 * <p>It speaks just enough OAuth for msal4j: device code (with {@code authorization_pending} polls
 * before the user "approves"), refresh token (with rotation: a used refresh token is rejected, like a
 * stolen one would be), client credentials, on-behalf-of, and the OpenID metadata and instance
 * discovery documents. The browser sign-in of a web app is there too: {@code /authorize} answers a
 * sign-in page with one form, whose submission redirects (query) or auto-posts ({@code form_post}) an
 * authorization code to a registered redirect URI; the code grant checks PKCE S256, the redirect URI
 * and the client (secret or a certificate-signed {@code client_assertion}). Tokens are RS256 JWTs
 * signed with a key published at {@code /{tenant}/discovery/v2.0/keys}. Every request is recorded
 * for assertions, and errors can be injected.
 *
 * <p>Two modes: {@link #start()} serves plain http on 127.0.0.1 (in-process tests route msal4j to it
 * with {@link MsalLoopbackHttpClient}); {@link #startHttps()} serves https with a self-signed
 * certificate for {@code localhost}, whose trust store another JVM can use.
 *
 * <p>Run the JVM with {@code -Dsun.net.httpserver.nodelay=true}: without it the JDK's HTTP server
 * delays every response by ~50 ms (Nagle). Surefire's argLine sets it for all modules.
 */
public final class FakeEntra implements AutoCloseable {

    /** A public client registered at start, with "Allow public client flows" on. */
    public static final String PUBLIC_CLIENT_ID = "11111111-1111-1111-1111-111111111111";
    /** A confidential client registered at start (client credentials, on-behalf-of). */
    public static final String CONFIDENTIAL_CLIENT_ID = "22222222-2222-2222-2222-222222222222";
    public static final String CONFIDENTIAL_CLIENT_SECRET = "fake-secret-value";
    /** The tenant of users added with {@link #addUser(String)}. */
    public static final String TENANT_ID = "33333333-3333-3333-3333-333333333333";
    public static final String GRAPH_AUDIENCE = "https://graph.microsoft.com";

    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final String CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Duration AUTHORIZATION_CODE_LIFETIME = Duration.ofMinutes(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The endpoints errors can be injected into. */
    public enum Endpoint {
        DEVICE_CODE, TOKEN, METADATA,
        /** The browser sign-in: the fault is sent to the redirect URI as {@code error} / {@code error_description}. */
        AUTHORIZE
    }

    private enum RefreshTokenState { ACTIVE, USED, REVOKED }

    private record RefreshToken(FakeUser user, String clientId, RefreshTokenState state) {
    }

    private static final class DeviceCodeGrant {
        final String clientId;
        final String userCode;
        final Set<String> scopes;
        final Instant expiresAt;
        FakeUser approvedBy;
        int pendingPollsLeft;
        boolean redeemed;

        DeviceCodeGrant(String clientId, String userCode, Set<String> scopes, Instant expiresAt, int pendingPolls) {
            this.clientId = clientId;
            this.userCode = userCode;
            this.scopes = scopes;
            this.expiresAt = expiresAt;
            this.pendingPollsLeft = pendingPolls;
        }
    }

    /** An /authorize request whose sign-in page is showing: what the code will be bound to. */
    private record PendingSignIn(String tenant, String clientId, String redirectUri, String responseMode,
                                 String state, String nonce, String codeChallenge, Set<String> scopes) {
    }

    private static final class AuthorizationCode {
        final PendingSignIn request;
        final FakeUser user;
        final Instant expiresAt;
        boolean redeemed;

        AuthorizationCode(PendingSignIn request, FakeUser user, Instant expiresAt) {
            this.request = request;
            this.user = user;
            this.expiresAt = expiresAt;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final SelfSignedTls tls;
    private final Path tempDir;

    // All state below is guarded by "this": the handlers are tiny, one lock keeps them obviously right.
    private final Map<String, FakeUser> users = new LinkedHashMap<>();
    private final Set<String> publicClients = new LinkedHashSet<>();
    private final Map<String, String> confidentialClients = new HashMap<>();
    private final Map<String, X509Certificate> clientCertificates = new HashMap<>();
    private final Map<String, Set<String>> redirectUris = new HashMap<>();
    private final Map<String, PendingSignIn> pendingSignIns = new HashMap<>();
    private final Map<String, AuthorizationCode> authorizationCodes = new HashMap<>();
    private final TokenSigner signer = new TokenSigner(JSON);
    private FakeUser signInAs;
    private final Map<String, DeviceCodeGrant> deviceCodes = new HashMap<>();
    private final Map<String, RefreshToken> refreshTokens = new HashMap<>();
    private final Map<String, FakeUser> userAssertions = new HashMap<>();
    private final Map<Endpoint, Deque<Fault>> faults = new HashMap<>();
    private final List<EntraRequest> requests = new CopyOnWriteArrayList<>();
    private final List<String> issuedTokens = new CopyOnWriteArrayList<>();
    private FakeUser autoApproveAs;
    private int pendingPolls;
    private Duration accessTokenLifetime = Duration.ofHours(1);
    private int pollIntervalSeconds;
    private long reusedRefreshTokens;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private FakeEntra(boolean https) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (https) {
            tempDir = Files.createTempDirectory("fake-entra-tls");
            tls = SelfSignedTls.generate(tempDir);
            HttpsServer httpsServer = HttpsServer.create(address, 0);
            httpsServer.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
            server = httpsServer;
        } else {
            tempDir = null;
            tls = null;
            server = HttpServer.create(address, 0);
        }
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        publicClients.add(PUBLIC_CLIENT_ID);
        confidentialClients.put(CONFIDENTIAL_CLIENT_ID, CONFIDENTIAL_CLIENT_SECRET);
        server.start();
    }

    /** Plain http on 127.0.0.1 and a free port. */
    public static FakeEntra start() throws IOException {
        return new FakeEntra(false);
    }

    /** https on 127.0.0.1 and a free port, with a fresh self-signed certificate for localhost. */
    public static FakeEntra startHttps() throws IOException {
        return new FakeEntra(true);
    }

    // ---------------------------------------------------------------- addresses

    public int port() {
        return server.getAddress().getPort();
    }

    /** Where the server really listens, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUri() {
        return URI.create((tls == null ? "http" : "https") + "://" + (tls == null ? "127.0.0.1" : "localhost")
                + ":" + port());
    }

    /**
     * The https authority base clients are configured with ({@code MS365_MCP_AUTHORITY_URL}), e.g.
     * {@code https://localhost:41234}. In http mode nothing listens for TLS there: msal4j insists on
     * https, so in-process tests route it with {@link MsalLoopbackHttpClient}.
     */
    public URI authorityBase() {
        return URI.create("https://localhost:" + port());
    }

    /** The https-mode trust store (PKCS12), for {@code -Djavax.net.ssl.trustStore}. */
    public Path trustStore() {
        return requireTls().trustStore();
    }

    /** The https-mode certificate as a PEM file, e.g. for Node's {@code NODE_EXTRA_CA_CERTS}. */
    public Path certificatePem() throws IOException {
        return requireTls().certificatePem();
    }

    public String trustStorePassword() {
        return requireTls().password();
    }

    /** A client context that trusts the https-mode certificate, for in-process https clients. */
    public SSLContext clientSslContext() throws IOException {
        return requireTls().clientContext();
    }

    private SelfSignedTls requireTls() {
        if (tls == null) {
            throw new IllegalStateException("FakeEntra was started without https; use FakeEntra.startHttps()");
        }
        return tls;
    }

    // ---------------------------------------------------------------- setup

    /** Adds a work account in {@link #TENANT_ID} with a fresh object id. */
    public synchronized FakeUser addUser(String username) {
        return addUser(username, TENANT_ID);
    }

    /** Adds a personal Microsoft account (tenant {@link FakeUser#CONSUMERS_TENANT_ID}). */
    public synchronized FakeUser addPersonalUser(String username) {
        return addUser(username, FakeUser.CONSUMERS_TENANT_ID);
    }

    /** Adds a work account in another tenant (e.g. to test tenant restrictions). */
    public synchronized FakeUser addUser(String username, String tenantId) {
        FakeUser user = new FakeUser(username, UUID.randomUUID().toString(), tenantId);
        users.put(username.toLowerCase(Locale.ROOT), user);
        return user;
    }

    public synchronized FakeUser user(String username) {
        FakeUser user = users.get(username.toLowerCase(Locale.ROOT));
        if (user == null) {
            throw new IllegalArgumentException("no such fake user: " + username);
        }
        return user;
    }

    public synchronized void addPublicClient(String clientId) {
        publicClients.add(clientId);
    }

    /** Registers a confidential client; also how to model "Allow public client flows" being off. */
    public synchronized void addConfidentialClient(String clientId, String secret) {
        confidentialClients.put(clientId, secret);
    }

    /**
     * Registers a confidential client that authenticates with a certificate: its {@code client_assertion}
     * must be an RS256/PS256 JWT signed by the certificate's key, naming it in {@code x5t#S256} or {@code x5t}.
     */
    public synchronized void addConfidentialClient(String clientId, X509Certificate certificate) {
        clientCertificates.put(clientId, certificate);
    }

    /** Allows {@code redirectUri} (compared exactly, like Entra's Web platform) for {@code clientId}'s sign-ins. */
    public synchronized void addRedirectUri(String clientId, String redirectUri) {
        redirectUris.computeIfAbsent(clientId, c -> new LinkedHashSet<>()).add(redirectUri);
    }

    /** The user the sign-in page is prefilled with when the request has no {@code login_hint}. */
    public synchronized void signInAs(String username) {
        this.signInAs = user(username);
    }

    /**
     * Every new device code is approved by {@code user}, after {@code pendingPolls} token polls were
     * answered {@code authorization_pending}. Handy for tests and manual runs that cannot call
     * {@link #approve(String, String)} in between.
     */
    public synchronized void autoApprove(String username, int pendingPolls) {
        this.autoApproveAs = user(username);
        this.pendingPolls = pendingPolls;
    }

    /** How many polls are answered {@code authorization_pending} for new device codes. */
    public synchronized void pendingPolls(int pendingPolls) {
        this.pendingPolls = pendingPolls;
    }

    /** The user signs in on the device login page with this code. Polls succeed once the pending polls are used up. */
    public synchronized void approve(String userCode, String username) {
        FakeUser user = user(username);
        DeviceCodeGrant grant = deviceCodes.values().stream().filter(g -> g.userCode.equals(userCode))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown user code " + userCode));
        grant.approvedBy = user;
    }

    /** Lifetime of access tokens issued from now on. Below 5 minutes msal4j refreshes on every silent call. */
    public synchronized void accessTokenLifetime(Duration lifetime) {
        this.accessTokenLifetime = lifetime;
    }

    /** The {@code interval} in device code responses: msal4j sleeps that many seconds between polls. */
    public synchronized void pollIntervalSeconds(int seconds) {
        this.pollIntervalSeconds = seconds;
    }

    /** Revokes all refresh tokens of a user (like "revoke sessions" in the portal). */
    public synchronized void revokeRefreshTokens(String username) {
        FakeUser user = user(username);
        refreshTokens.replaceAll((token, rt) -> rt.user().equals(user)
                ? new RefreshToken(rt.user(), rt.clientId(), RefreshTokenState.REVOKED) : rt);
    }

    /** The next {@code times} requests to {@code endpoint} are answered with {@code fault}. */
    public synchronized void failNext(Endpoint endpoint, int times, Fault fault) {
        Deque<Fault> queue = faults.computeIfAbsent(endpoint, e -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(fault);
        }
    }

    /** Drops every fault not yet served: the endpoints answer normally again. */
    public synchronized void clearFaults() {
        faults.clear();
    }

    /**
     * An access token of {@code username} for our own API (audience {@code api://<apiClientId>}), as an
     * HTTP front door would receive it: the assertion of an on-behalf-of exchange.
     */
    public synchronized String issueUserAssertion(String username, String apiClientId) {
        return issueAccessToken(username, "api://" + apiClientId);
    }

    /**
     * A signed v2.0 access token of {@code username} for {@code audience} (e.g. {@code api://<client id>}
     * or the client id), accepted by the on-behalf-of grant.
     */
    public synchronized String issueAccessToken(String username, String audience) {
        FakeUser user = user(username);
        String token = sign(accessTokenClaims(username, audience));
        userAssertions.put(token, user);
        return token;
    }

    /**
     * The claims {@link #issueAccessToken} would sign, as a mutable map: tests change one (expiry,
     * issuer, tenant...) and {@link #sign} the result to get a token that is wrong in exactly that way.
     */
    public synchronized Map<String, Object> accessTokenClaims(String username, String audience) {
        FakeUser user = user(username);
        Instant now = Instant.now();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", audience);
        claims.put("iss", issuer(user.tenantId()));
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", now.plus(Duration.ofHours(1)).getEpochSecond());
        claims.put("azp", PUBLIC_CLIENT_ID);
        claims.put("scp", "access_as_user");
        claims.put("oid", user.objectId());
        claims.put("sub", user.objectId());
        claims.put("tid", user.tenantId());
        claims.put("preferred_username", user.username());
        claims.put("uti", randomId());
        claims.put("ver", "2.0");
        return claims;
    }

    /** Signs {@code claims} with the fake's RS256 key (the one its JWKS publishes). */
    public String sign(Map<String, Object> claims) {
        String token = signer.sign(claims);
        issuedTokens.add(token);
        return token;
    }

    /** The issuer of v2.0 tokens for {@code tenantId}: {@code <authority base>/<tenant>/v2.0}, as Entra's. */
    public String issuer(String tenantId) {
        return authorityBase() + "/" + tenantId + "/v2.0";
    }

    /** Where the JWKS really is reachable (http or https on loopback), e.g. for a validator under test. */
    public URI jwksUri(String tenant) {
        return URI.create(baseUri() + "/" + tenant + "/discovery/v2.0/keys");
    }

    /** The public signing key as a JWK (JSON), for tests that try to misuse it. */
    public String publicSigningKey() {
        return signer.publicKey().toJSONString();
    }

    // ---------------------------------------------------------------- inspection

    /** Every request received so far, oldest first. */
    public List<EntraRequest> requests() {
        return List.copyOf(requests);
    }

    public List<EntraRequest> tokenRequests(String grantType) {
        return requests.stream().filter(EntraRequest::isTokenRequest)
                .filter(r -> grantType.equals(r.grantType())).toList();
    }

    /** Every access, refresh and id token issued so far (to check none of them leaks anywhere). */
    public List<String> issuedTokens() {
        return List.copyOf(issuedTokens);
    }

    public void clearRequests() {
        requests.clear();
    }

    /** How many refresh tokens were presented a second time (a lost rotation shows up here). */
    public synchronized long reusedRefreshTokenCount() {
        return reusedRefreshTokens;
    }

    /** Stops the fake; a second call does nothing (tests stop it mid-way to model an outage). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        if (tempDir != null) {
            try (Stream<Path> files = Files.walk(tempDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ---------------------------------------------------------------- HTTP

    private record Response(int status, Map<String, Object> body, String contentType, String text, String location) {
        static Response json(int status, Map<String, Object> body) {
            return new Response(status, body, "application/json; charset=utf-8", null, null);
        }

        static Response html(String text) {
            return html(200, text);
        }

        static Response html(int status, String text) {
            return new Response(status, null, "text/html; charset=utf-8", text, null);
        }

        static Response redirect(String location) {
            return new Response(302, null, "text/html; charset=utf-8", "", location);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = FormEncoding.decode(exchange.getRequestURI().getRawQuery());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> form = FormEncoding.decode(body);
            EntraRequest request = new EntraRequest(exchange.getRequestMethod(), path, query, form,
                    exchange.getRequestHeaders().getFirst("Host"));
            requests.add(request);
            Response response;
            try {
                response = route(request);
            } catch (RuntimeException e) {
                response = Response.json(500, error("server_error", "AADSTS90033: fake failed: " + e));
            }
            byte[] bytes = response.text() != null ? response.text().getBytes(StandardCharsets.UTF_8)
                    : JSON.writeValueAsBytes(response.body());
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            if (response.location() != null) {
                exchange.getResponseHeaders().set("Location", response.location());
            }
            // Like Entra: nothing it answers may be cached (codes, tokens, one-time forms).
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(response.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private synchronized Response route(EntraRequest request) {
        String[] segments = Arrays.stream(request.path().split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        String rest = segments.length > 1 ? String.join("/", Arrays.copyOfRange(segments, 1, segments.length)) : "";
        String tenant = segments.length > 0 ? segments[0] : "";
        if (request.path().equals("/devicelogin")) {
            return deviceLoginPage(request);
        }
        if (rest.equals("discovery/instance")) {
            return injected(Endpoint.METADATA).orElseGet(this::instanceDiscovery);
        }
        if (rest.equals("v2.0/.well-known/openid-configuration")) {
            return injected(Endpoint.METADATA).orElseGet(() -> openIdConfiguration(tenant));
        }
        if (rest.equals("discovery/v2.0/keys")) {
            return injected(Endpoint.METADATA).orElseGet(() -> Response.json(200, signer.publicJwks()));
        }
        if (rest.equals("oauth2/v2.0/authorize") && request.method().equals("GET")) {
            return authorize(tenant, request.query());
        }
        if (rest.equals("login") && request.method().equals("POST")) {
            return signIn(tenant, request.form());
        }
        if (rest.equals("oauth2/v2.0/devicecode") && request.method().equals("POST")) {
            return injected(Endpoint.DEVICE_CODE).orElseGet(() -> deviceCode(request));
        }
        if (rest.equals("oauth2/v2.0/token") && request.method().equals("POST")) {
            return injected(Endpoint.TOKEN).orElseGet(() -> token(request));
        }
        return Response.json(404, error("not_found", "FakeEntra has no " + request.method() + " " + request.path()));
    }

    private Optional<Response> injected(Endpoint endpoint) {
        Deque<Fault> queue = faults.get(endpoint);
        Fault fault = queue == null ? null : queue.poll();
        if (fault == null) {
            return Optional.empty();
        }
        Map<String, Object> body = error(fault.error(), fault.description());
        if (fault.aadstsCode() != 0) {
            body.put("error_codes", List.of(fault.aadstsCode()));
        }
        return Optional.of(Response.json(fault.status(), body));
    }

    // ---------------------------------------------------------------- metadata

    private Response openIdConfiguration(String tenant) {
        String base = authorityBase() + "/" + tenant;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("issuer", issuer(tenant.equals("common") || tenant.equals("organizations") ? "{tenantid}" : tenant));
        body.put("authorization_endpoint", base + "/oauth2/v2.0/authorize");
        body.put("token_endpoint", base + "/oauth2/v2.0/token");
        body.put("device_authorization_endpoint", base + "/oauth2/v2.0/devicecode");
        body.put("jwks_uri", base + "/discovery/v2.0/keys");
        body.put("response_types_supported", List.of("code", "id_token", "code id_token"));
        body.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
        return Response.json(200, body);
    }

    private Response instanceDiscovery() {
        String host = authorityBase().getAuthority();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("preferred_network", host);
        entry.put("preferred_cache", host);
        entry.put("aliases", List.of(host));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant_discovery_endpoint", authorityBase() + "/common/v2.0/.well-known/openid-configuration");
        body.put("api-version", "1.1");
        body.put("metadata", List.of(entry));
        return Response.json(200, body);
    }

    // ---------------------------------------------------------------- device code

    private Response deviceCode(EntraRequest request) {
        String clientId = request.form().get("client_id");
        Optional<Response> clientError = publicClientError(clientId);
        if (clientError.isPresent()) {
            return clientError.get();
        }
        String deviceCode = randomId() + randomId();
        String userCode = randomUserCode();
        int lifetime = 900;
        DeviceCodeGrant grant = new DeviceCodeGrant(clientId, userCode, scopes(request.form().get("scope")),
                Instant.now().plusSeconds(lifetime), pendingPolls);
        grant.approvedBy = autoApproveAs;
        deviceCodes.put(deviceCode, grant);
        String verificationUri = authorityBase() + "/devicelogin";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_code", userCode);
        body.put("device_code", deviceCode);
        body.put("verification_uri", verificationUri);
        body.put("expires_in", lifetime);
        body.put("interval", pollIntervalSeconds);
        body.put("message", "To sign in, use a web browser to open the page " + verificationUri
                + " and enter the code " + userCode + " to authenticate.");
        return Response.json(200, body);
    }

    /** A manual-run convenience: GET /devicelogin?user_code=...&username=... approves a device code. */
    private Response deviceLoginPage(EntraRequest request) {
        String userCode = request.query().get("user_code");
        String username = request.query().get("username");
        if (userCode == null || username == null) {
            return Response.html("<p>FakeEntra: open /devicelogin?user_code=CODE&amp;username=USER to approve.</p>");
        }
        try {
            approve(userCode, username);
            return Response.html("<p>Approved " + userCode + " as " + username + ". Return to your application.</p>");
        } catch (IllegalArgumentException e) {
            return Response.html(400, "<p>" + SignInPages.escape(e.getMessage()) + "</p>");
        }
    }

    private Response redeemDeviceCode(EntraRequest request) {
        String code = request.form().getOrDefault("device_code", request.form().get("code"));
        DeviceCodeGrant grant = code == null ? null : deviceCodes.get(code);
        if (grant == null || grant.redeemed || !grant.clientId.equals(request.form().get("client_id"))) {
            return Response.json(400, error("invalid_grant",
                    "AADSTS70000: The provided value for the 'device_code' is not valid."));
        }
        if (Instant.now().isAfter(grant.expiresAt)) {
            return Response.json(400, error("expired_token", "AADSTS70020: The provided value for the input parameter 'device_code' is not valid. This device code has expired."));
        }
        if (grant.approvedBy == null || grant.pendingPollsLeft > 0) {
            grant.pendingPollsLeft = Math.max(0, grant.pendingPollsLeft - 1);
            return Response.json(400, error("authorization_pending",
                    "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling."));
        }
        grant.redeemed = true;
        Set<String> scopes = request.form().containsKey("scope") ? scopes(request.form().get("scope")) : grant.scopes;
        return Response.json(200, userTokens(grant.approvedBy, grant.clientId, scopes, request));
    }

    // ---------------------------------------------------------------- token endpoint

    private Response token(EntraRequest request) {
        String grantType = request.grantType();
        if (grantType == null) {
            return Response.json(400, error("invalid_request",
                    "AADSTS900144: The request body must contain the following parameter: 'grant_type'."));
        }
        return switch (grantType) {
            case "device_code", "urn:ietf:params:oauth:grant-type:device_code" -> publicClientError(request.form().get("client_id"))
                    .orElseGet(() -> redeemDeviceCode(request));
            case "refresh_token" -> refresh(request);
            case "authorization_code" -> authorizationCodeClientError(request).orElseGet(() -> redeemAuthorizationCode(request));
            case "client_credentials" -> confidentialClientError(request).orElseGet(() -> clientCredentials(request));
            case JWT_BEARER -> confidentialClientError(request).orElseGet(() -> onBehalfOf(request));
            default -> Response.json(400, error("unsupported_grant_type",
                    "AADSTS70003: The app requested an unsupported grant type '" + grantType + "'."));
        };
    }

    private Response refresh(EntraRequest request) {
        String clientId = request.form().get("client_id");
        Optional<Response> clientError = request.form().containsKey("client_secret")
                || request.form().containsKey("client_assertion")
                ? confidentialClientError(request) : publicClientError(clientId);
        if (clientError.isPresent()) {
            return clientError.get();
        }
        String presented = request.form().get("refresh_token");
        RefreshToken rt = presented == null ? null : refreshTokens.get(presented);
        if (rt == null || !rt.clientId().equals(clientId)) {
            return Response.json(400, error("invalid_grant",
                    "AADSTS9002313: Invalid request. Request is malformed or invalid."));
        }
        switch (rt.state()) {
            case USED -> {
                reusedRefreshTokens++;
                return Response.json(400, error("invalid_grant",
                        "AADSTS70000: The provided value for 'refresh_token' is not valid: it was already redeemed."));
            }
            case REVOKED -> {
                return Response.json(400, error("invalid_grant",
                        "AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed."));
            }
            case ACTIVE -> {
                refreshTokens.put(presented, new RefreshToken(rt.user(), rt.clientId(), RefreshTokenState.USED));
                return Response.json(200, userTokens(rt.user(), clientId, scopes(request.form().get("scope")), request));
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private Response clientCredentials(EntraRequest request) {
        String scope = request.form().getOrDefault("scope", "");
        // msal4j sends "openid profile offline_access" along; Entra ignores those here.
        List<String> resources = scopes(scope).stream()
                .filter(s -> !Set.of("openid", "profile", "offline_access").contains(s)).toList();
        if (resources.size() != 1 || !resources.getFirst().endsWith("/.default")) {
            return Response.json(400, error("invalid_scope", "AADSTS1002012: The provided value for scope "
                    + scope + " is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."));
        }
        String resource = resources.getFirst();
        Instant now = Instant.now();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", resource.substring(0, resource.length() - "/.default".length()));
        claims.put("iss", issuer(TENANT_ID));
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(accessTokenLifetime).getEpochSecond());
        claims.put("appid", request.form().get("client_id"));
        claims.put("tid", TENANT_ID);
        claims.put("roles", List.of("User.Read.All", "Mail.Read"));
        claims.put("uti", randomId());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "Bearer");
        body.put("expires_in", accessTokenLifetime.toSeconds());
        body.put("ext_expires_in", accessTokenLifetime.toSeconds());
        String accessToken = signer.sign(claims);
        issuedTokens.add(accessToken);
        body.put("access_token", accessToken);
        return Response.json(200, body);
    }

    private Response onBehalfOf(EntraRequest request) {
        if (!"on_behalf_of".equals(request.form().get("requested_token_use"))) {
            return Response.json(400, error("invalid_request",
                    "AADSTS90014: The required field 'requested_token_use' is missing from the credential."));
        }
        String assertion = request.form().get("assertion");
        FakeUser user = assertion == null ? null : userAssertions.get(assertion);
        if (user == null) {
            return Response.json(400, error("invalid_grant",
                    "AADSTS50013: Assertion failed signature validation or is not a token FakeEntra issued."));
        }
        // Like Entra: only the API the token was issued for may exchange it.
        String clientId = request.form().get("client_id");
        if (!assertionAudience(assertion).map(aud -> aud.equals(clientId) || aud.equals("api://" + clientId))
                .orElse(false)) {
            return Response.json(400, error("invalid_grant",
                    "AADSTS500131: Assertion audience does not match the Client app presenting the assertion."));
        }
        return Response.json(200, userTokens(user, request.form().get("client_id"),
                scopes(request.form().get("scope")), request));
    }

    private static Optional<String> assertionAudience(String assertion) {
        try {
            List<String> audience = SignedJWT.parse(assertion).getJWTClaimsSet().getAudience();
            return audience.size() == 1 ? Optional.of(audience.getFirst()) : Optional.empty();
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    private Optional<Response> publicClientError(String clientId) {
        if (clientId != null && publicClients.contains(clientId)) {
            return Optional.empty();
        }
        if (clientId != null && isConfidential(clientId)) {
            return Optional.of(Response.json(401, error("invalid_client", "AADSTS7000218: The request body must "
                    + "contain the following parameter: 'client_assertion' or 'client_secret'.")));
        }
        return Optional.of(Response.json(400, error("unauthorized_client", "AADSTS700016: Application with "
                + "identifier '" + clientId + "' was not found in the directory 'FakeEntra'.")));
    }

    private Optional<Response> confidentialClientError(EntraRequest request) {
        String clientId = request.form().get("client_id");
        if (clientId != null && request.form().containsKey("client_assertion")) {
            return clientAssertionError(request, clientId);
        }
        String expected = clientId == null ? null : confidentialClients.get(clientId);
        if (expected == null && clientId != null && clientCertificates.containsKey(clientId)) {
            return Optional.of(Response.json(401, error("invalid_client", "AADSTS7000218: The request body must "
                    + "contain the following parameter: 'client_assertion' or 'client_secret'.")));
        }
        if (expected == null) {
            return Optional.of(Response.json(400, error("unauthorized_client", "AADSTS700016: Application with "
                    + "identifier '" + clientId + "' was not found in the directory 'FakeEntra'.")));
        }
        if (!expected.equals(request.form().get("client_secret"))) {
            return Optional.of(Response.json(401, error("invalid_client",
                    "AADSTS7000215: Invalid client secret provided.")));
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- browser sign-in (authorization code)

    private boolean isConfidential(String clientId) {
        return confidentialClients.containsKey(clientId) || clientCertificates.containsKey(clientId);
    }

    /**
     * GET /{tenant}/oauth2/v2.0/authorize. An unknown client or an unregistered redirect URI gets an
     * error page (the redirect URI cannot be trusted with anything); every other problem is sent to the
     * redirect URI as an OAuth error. Stricter than Entra where our server must not cut corners:
     * PKCE S256, {@code state} and {@code nonce} are required.
     */
    private Response authorize(String tenant, Map<String, String> q) {
        String clientId = q.get("client_id");
        if (clientId == null || !(publicClients.contains(clientId) || isConfidential(clientId))) {
            return Response.html(400, SignInPages.error("AADSTS700016: Application with identifier '"
                    + clientId + "' was not found in the directory 'FakeEntra'."));
        }
        String redirectUri = q.get("redirect_uri");
        if (redirectUri == null || !redirectUris.getOrDefault(clientId, Set.of()).contains(redirectUri)) {
            return Response.html(400, SignInPages.error("AADSTS50011: The redirect URI '" + redirectUri
                    + "' specified in the request does not match the redirect URIs configured for the application '"
                    + clientId + "'."));
        }
        String state = q.get("state");
        String responseMode = q.getOrDefault("response_mode", "query");
        if (!responseMode.equals("query") && !responseMode.equals("form_post")) {
            return authorizationError(redirectUri, "query", state, "invalid_request",
                    "AADSTS900144: FakeEntra supports response_mode query and form_post, not '" + responseMode + "'.");
        }
        String problem = null;
        Set<String> scopes = scopes(q.get("scope"));
        if (!"code".equals(q.get("response_type"))) {
            return authorizationError(redirectUri, responseMode, state, "unsupported_response_type",
                    "AADSTS700054: response_type '" + q.get("response_type") + "' is not enabled for the application.");
        } else if (!scopes.contains("openid")) {
            problem = "AADSTS900144: The request must contain the scope 'openid'.";
        } else if (q.get("code_challenge") == null || q.get("code_challenge").length() < 43) {
            problem = "AADSTS9002325: Proof Key for Code Exchange is required: send a code_challenge.";
        } else if (!"S256".equals(q.get("code_challenge_method"))) {
            problem = "AADSTS501491: code_challenge_method must be S256, not '" + q.get("code_challenge_method") + "'.";
        } else if (state == null || state.isEmpty()) {
            problem = "AADSTS900144: The request must contain a 'state' (FakeEntra requires it).";
        } else if (q.get("nonce") == null || q.get("nonce").isEmpty()) {
            problem = "AADSTS900144: The request must contain a 'nonce' (FakeEntra requires it).";
        }
        if (problem != null) {
            return authorizationError(redirectUri, responseMode, state, "invalid_request", problem);
        }
        String flow = randomId();
        pendingSignIns.put(flow, new PendingSignIn(tenant, clientId, redirectUri, responseMode, state,
                q.get("nonce"), q.get("code_challenge"), scopes));
        String username = q.getOrDefault("login_hint", signInAs == null ? null : signInAs.username());
        return Response.html(SignInPages.signIn("/" + tenant + "/login", flow, clientId, username, null));
    }

    /** POST /{tenant}/login: the sign-in form was submitted; the user goes back with a code (or an injected error). */
    private Response signIn(String tenant, Map<String, String> form) {
        String flow = form.get("flow");
        PendingSignIn pending = flow == null ? null : pendingSignIns.get(flow);
        if (pending == null || !pending.tenant().equals(tenant)) {
            return Response.html(400, SignInPages.error("AADSTS90014: This sign-in page has expired or was "
                    + "already used. Start the sign-in again from your application."));
        }
        String login = form.getOrDefault("login", "").strip();
        FakeUser user = users.get(login.toLowerCase(Locale.ROOT));
        if (user == null) {
            return Response.html(400, SignInPages.signIn("/" + tenant + "/login", flow, pending.clientId(), login,
                    "This username may be incorrect. Make sure you typed it correctly."));
        }
        pendingSignIns.remove(flow);
        Deque<Fault> queue = faults.get(Endpoint.AUTHORIZE);
        Fault fault = queue == null ? null : queue.poll();
        if (fault != null) {
            return authorizationError(pending.redirectUri(), pending.responseMode(), pending.state(), fault.error(),
                    fault.description());
        }
        String code = "code." + randomId() + randomId();
        authorizationCodes.put(code, new AuthorizationCode(pending, user, Instant.now().plus(AUTHORIZATION_CODE_LIFETIME)));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        params.put("state", pending.state());
        params.put("session_state", UUID.randomUUID().toString());
        return authorizationResponse(pending.redirectUri(), pending.responseMode(), params);
    }

    private Response authorizationError(String redirectUri, String responseMode, String state, String error,
                                        String description) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", error);
        params.put("error_description", description + "\r\nTrace ID: " + UUID.randomUUID());
        if (state != null) {
            params.put("state", state);
        }
        return authorizationResponse(redirectUri, responseMode, params);
    }

    private static Response authorizationResponse(String redirectUri, String responseMode, Map<String, String> params) {
        if (responseMode.equals("form_post")) {
            return Response.html(SignInPages.formPost(redirectUri, params));
        }
        String query = params.entrySet().stream()
                .map(e -> FormEncoding.encode(e.getKey()) + "=" + FormEncoding.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return Response.redirect(redirectUri + (redirectUri.contains("?") ? "&" : "?") + query);
    }

    /** Public clients may redeem codes without a secret (PKCE only); confidential ones must authenticate. */
    private Optional<Response> authorizationCodeClientError(EntraRequest request) {
        String clientId = request.form().get("client_id");
        if (clientId != null && isConfidential(clientId)) {
            return confidentialClientError(request);
        }
        return publicClientError(clientId);
    }

    private Response redeemAuthorizationCode(EntraRequest request) {
        String presented = request.form().get("code");
        AuthorizationCode code = presented == null ? null : authorizationCodes.get(presented);
        if (code == null) {
            return Response.json(400, error("invalid_grant",
                    "AADSTS9002313: Invalid request. Request is malformed or invalid: the code is not valid."));
        }
        if (code.redeemed) {
            return Response.json(400, error("invalid_grant", "AADSTS54005: OAuth2 Authorization code was already "
                    + "redeemed, please retry with a new valid code or use an existing refresh token."));
        }
        // Any redemption attempt uses the code up, as Entra does.
        code.redeemed = true;
        if (Instant.now().isAfter(code.expiresAt)) {
            return Response.json(400, error("invalid_grant",
                    "AADSTS70008: The provided authorization code or refresh token has expired due to inactivity."));
        }
        if (!code.request.clientId().equals(request.form().get("client_id"))) {
            return Response.json(400, error("invalid_grant",
                    "AADSTS700005: Provided Authorization Code is intended to use against other tenant/app."));
        }
        if (!code.request.redirectUri().equals(request.form().get("redirect_uri"))) {
            return Response.json(400, error("invalid_grant", "AADSTS500117: The reply uri specified in the token "
                    + "request does not match the reply uri used to obtain the authorization code."));
        }
        String verifier = request.form().get("code_verifier");
        if (verifier == null || !MessageDigest.isEqual(s256(verifier).getBytes(StandardCharsets.US_ASCII),
                code.request.codeChallenge().getBytes(StandardCharsets.US_ASCII))) {
            return Response.json(400, error("invalid_grant", "AADSTS50148: The code_verifier does not match the "
                    + "code_challenge supplied in the authorization request for PKCE."));
        }
        Set<String> scopes = request.form().containsKey("scope") ? scopes(request.form().get("scope")) : code.request.scopes();
        return Response.json(200, userTokens(code.user, code.request.clientId(), scopes, request, code.request.nonce()));
    }

    private static boolean thumbprintMatches(Base64URL header, byte[] expected) {
        String value = header.toString().replace('+', '-').replace('/', '_').replace("=", "");
        return MessageDigest.isEqual(Base64.getUrlDecoder().decode(value), expected);
    }

    private static String s256(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A certificate credential: {@code client_assertion} must be a JWT signed (RS256 or PS256) by the
     * registered certificate's key, with iss = sub = the client id, aud = this token endpoint, unexpired.
     */
    private Optional<Response> clientAssertionError(EntraRequest request, String clientId) {
        X509Certificate certificate = clientCertificates.get(clientId);
        if (!CLIENT_ASSERTION_TYPE.equals(request.form().get("client_assertion_type"))) {
            return Optional.of(Response.json(400, error("invalid_request",
                    "AADSTS50027: client_assertion_type must be " + CLIENT_ASSERTION_TYPE + ".")));
        }
        if (certificate == null) {
            return Optional.of(Response.json(401, error("invalid_client", "AADSTS700027: Client assertion failed "
                    + "signature validation: no certificate is registered for the application.")));
        }
        try {
            SignedJWT assertion = SignedJWT.parse(request.form().get("client_assertion"));
            JWSAlgorithm alg = assertion.getHeader().getAlgorithm();
            Base64URL sha256 = assertion.getHeader().getX509CertSHA256Thumbprint();
            @SuppressWarnings("deprecation")
            Base64URL sha1 = assertion.getHeader().getX509CertThumbprint();
            byte[] der = certificate.getEncoded();
            // msal4j writes the thumbprints in standard base64, Entra accepts both alphabets.
            boolean namesCertificate = sha256 != null
                    ? thumbprintMatches(sha256, MessageDigest.getInstance("SHA-256").digest(der))
                    : sha1 != null && thumbprintMatches(sha1, MessageDigest.getInstance("SHA-1").digest(der));
            if (!(alg.equals(JWSAlgorithm.RS256) || alg.equals(JWSAlgorithm.PS256)) || !namesCertificate
                    || !assertion.verify(new RSASSAVerifier((RSAPublicKey) certificate.getPublicKey()))) {
                return Optional.of(Response.json(401, error("invalid_client",
                        "AADSTS700027: Client assertion failed signature validation.")));
            }
            JWTClaimsSet claims = assertion.getJWTClaimsSet();
            boolean audienceIsThisEndpoint = claims.getAudience().stream()
                    .anyMatch(aud -> URI.create(aud).getPath().equals(request.path()));
            if (!clientId.equals(claims.getIssuer()) || !clientId.equals(claims.getSubject()) || !audienceIsThisEndpoint
                    || claims.getExpirationTime() == null || claims.getExpirationTime().toInstant().isBefore(Instant.now())) {
                return Optional.of(Response.json(401, error("invalid_client", "AADSTS700023: Client assertion "
                        + "audience, issuer, subject or expiry is not valid.")));
            }
            return Optional.empty();
        } catch (ParseException | JOSEException | IllegalArgumentException | NullPointerException
                 | java.security.GeneralSecurityException e) {
            return Optional.of(Response.json(401, error("invalid_client",
                    "AADSTS700027: Client assertion is not a valid signed JWT.")));
        }
    }

    // ---------------------------------------------------------------- tokens

    /** Access token (for Graph), rotated refresh token, id_token and client_info for a user. */
    private Map<String, Object> userTokens(FakeUser user, String clientId, Set<String> requested,
                                           EntraRequest request) {
        return userTokens(user, clientId, requested, request, null);
    }

    private Map<String, Object> userTokens(FakeUser user, String clientId, Set<String> requested,
                                           EntraRequest request, String nonce) {
        Set<String> granted = new LinkedHashSet<>(requested);
        granted.remove("offline_access");
        Set<String> resourceScopes = granted.stream()
                .filter(s -> !Set.of("openid", "profile", "email").contains(s))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Instant now = Instant.now();
        Map<String, Object> at = new LinkedHashMap<>();
        at.put("aud", GRAPH_AUDIENCE);
        at.put("iss", issuer(user.tenantId()));
        at.put("iat", now.getEpochSecond());
        at.put("exp", now.plus(accessTokenLifetime).getEpochSecond());
        at.put("appid", clientId);
        at.put("scp", resourceScopes.stream().map(FakeEntra::shortScope).collect(Collectors.joining(" ")));
        at.put("oid", user.objectId());
        at.put("tid", user.tenantId());
        at.put("upn", user.username());
        at.put("uti", randomId());

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "Bearer");
        body.put("scope", String.join(" ", granted));
        body.put("expires_in", accessTokenLifetime.toSeconds());
        body.put("ext_expires_in", accessTokenLifetime.toSeconds());
        String accessToken = signer.sign(at);
        body.put("access_token", accessToken);
        issuedTokens.add(accessToken);
        String refreshToken = "rt." + randomId() + randomId();
        refreshTokens.put(refreshToken, new RefreshToken(user, clientId, RefreshTokenState.ACTIVE));
        body.put("refresh_token", refreshToken);
        issuedTokens.add(refreshToken);
        Map<String, Object> id = new LinkedHashMap<>();
        id.put("aud", clientId);
        id.put("iss", issuer(user.tenantId()));
        id.put("iat", now.getEpochSecond());
        id.put("nbf", now.getEpochSecond());
        id.put("exp", now.plus(Duration.ofHours(1)).getEpochSecond());
        id.put("name", user.username());
        id.put("preferred_username", user.username());
        id.put("oid", user.objectId());
        id.put("sub", user.objectId());
        id.put("tid", user.tenantId());
        id.put("ver", "2.0");
        if (nonce != null) {
            id.put("nonce", nonce);
        }
        String idToken = signer.sign(id);
        body.put("id_token", idToken);
        issuedTokens.add(idToken);
        if (!"0".equals(request.form().get("client_info"))) {
            Map<String, Object> clientInfo = Map.of("uid", user.objectId(), "utid", user.tenantId());
            body.put("client_info", Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(clientInfo)));
        }
        return body;
    }

    /** {@code https://graph.microsoft.com/Mail.Read} appears in {@code scp} as {@code Mail.Read}. */
    private static String shortScope(String scope) {
        int slash = scope.lastIndexOf('/');
        return slash < 0 ? scope : scope.substring(slash + 1);
    }

    private static Map<String, Object> error(String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description + "\r\nTrace ID: " + UUID.randomUUID()
                + "\r\nCorrelation ID: " + UUID.randomUUID() + "\r\nTimestamp: " + Instant.now());
        body.put("timestamp", Instant.now().toString());
        body.put("trace_id", UUID.randomUUID().toString());
        body.put("correlation_id", UUID.randomUUID().toString());
        return body;
    }

    private static Set<String> scopes(String scope) {
        if (scope == null || scope.isBlank()) {
            return new LinkedHashSet<>();
        }
        return new LinkedHashSet<>(List.of(scope.strip().split("\\s+")));
    }

    private static String randomId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String randomUserCode() {
        String alphabet = "BCDFGHJKLMNPQRSTVWXZ23456789";
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            code.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return code.toString();
    }

    // ---------------------------------------------------------------- manual runs

    /**
     * Starts a fake for manual runs and prints where it listens.
     * Arguments: {@code [--https] [--user alice@contoso.com]... [--redirect-uri https://host/oauth/callback]...}.
     * The first user auto-approves every device code after one pending poll (others can approve at
     * {@code /devicelogin?user_code=&username=}) and is prefilled on the browser sign-in page. Each
     * redirect URI is registered for the confidential client, for a web server's sign-in.
     */
    public static void main(String[] args) throws Exception {
        boolean https = List.of(args).contains("--https");
        List<String> usernames = new ArrayList<>();
        List<String> redirects = new ArrayList<>();
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--user")) {
                usernames.add(args[i + 1]);
            } else if (args[i].equals("--redirect-uri")) {
                redirects.add(args[i + 1]);
            }
        }
        if (usernames.isEmpty()) {
            usernames.add("alice@contoso.com");
        }
        FakeEntra entra = https ? startHttps() : start();
        usernames.forEach(entra::addUser);
        entra.autoApprove(usernames.getFirst(), 1);
        entra.signInAs(usernames.getFirst());
        redirects.forEach(uri -> entra.addRedirectUri(CONFIDENTIAL_CLIENT_ID, uri));
        System.out.println("FakeEntra listening at " + entra.baseUri());
        System.out.println("MS365_MCP_AUTHORITY_URL=" + entra.authorityBase());
        System.out.println("MS365_MCP_CLIENT_ID=" + PUBLIC_CLIENT_ID);
        if (https) {
            System.out.println("-Djavax.net.ssl.trustStore=" + entra.trustStore()
                    + " -Djavax.net.ssl.trustStorePassword=" + entra.trustStorePassword());
        }
        if (!redirects.isEmpty()) {
            System.out.println("Web sign-in: MS365_MCP_CLIENT_ID=" + CONFIDENTIAL_CLIENT_ID + " MS365_MCP_CLIENT_SECRET="
                    + CONFIDENTIAL_CLIENT_SECRET + " MS365_MCP_TENANT_ID=" + TENANT_ID + ", redirect URIs " + redirects);
        }
        System.out.println("Users: " + usernames + " (device codes auto-approved as " + usernames.getFirst() + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(entra::close));
        Thread.currentThread().join();
    }
}
