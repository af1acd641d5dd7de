package dev.ms365mcp.http.oauth;

import dev.ms365mcp.http.JettyServer;
import dev.ms365mcp.http.state.InMemoryStateStore;
import dev.ms365mcp.testkit.FormEncoding;
import java.io.IOException;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The authorization server on loopback Jetty, mapped by {@link JettyServer#mapOAuth}, with an in-memory
 * store on a clock tests move, the {@link FakeUpstreamSignIn}, and a browser-like client (cookies, no
 * automatic redirects) that walks the flow.
 */
public final class OAuthFixture implements AutoCloseable {

    public static final String REDIRECT = "http://127.0.0.1:5555/callback";

    public final MutableClock clock = new MutableClock();
    public final InMemoryStateStore store = new InMemoryStateStore(clock);
    public final FakeUpstreamSignIn upstream = new FakeUpstreamSignIn();
    public final URI base;
    public final AuthorizationServer oauth;
    public final HttpClient browser;
    private final Server server;

    public OAuthFixture() throws Exception {
        this(settings -> settings);
    }

    public OAuthFixture(java.util.function.UnaryOperator<OAuthSettings> tweak) throws Exception {
        this(tweak, null);
    }

    /** With another metadata document fetcher (tests that serve documents on loopback). */
    OAuthFixture(java.util.function.UnaryOperator<OAuthSettings> tweak, ClientMetadataDocuments documents) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        base = URI.create("http://127.0.0.1:" + port);
        OAuthSettings settings = tweak.apply(new OAuthSettings(base, List.of("ms365"), List.of("Read your mail (Mail.Read)"),
                Duration.ofHours(1), Duration.ofDays(30), Duration.ofSeconds(30), Duration.ofDays(30)));
        oauth = documents == null ? new AuthorizationServer(settings, store, upstream, clock)
                : new AuthorizationServer(settings, store, upstream, documents, clock);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        JettyServer.mapOAuth(context, oauth);
        server.setHandler(context);
        server.start();
        browser = newBrowser();
    }

    /**
     * The front door on loopback with the auto-approving fake sign-in, for trying clients by hand
     * (the MCP Inspector, {@code conformance authorization --url <printed URL> ...}); stop with Ctrl-C.
     */
    public static void main(String[] args) throws Exception {
        OAuthFixture f = new OAuthFixture();
        System.out.println(f.base);
        Thread.currentThread().join();
    }

    public static HttpClient newBrowser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public void close() throws Exception {
        server.stop();
        oauth.close();
    }

    public HttpResponse<String> get(String pathOrUrl) throws IOException, InterruptedException {
        return get(browser, pathOrUrl);
    }

    public HttpResponse<String> get(HttpClient client, String pathOrUrl) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(url(pathOrUrl)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postForm(String path, Map<String, String> form) throws IOException, InterruptedException {
        return postForm(browser, path, form, Map.of());
    }

    public HttpResponse<String> postForm(HttpClient client, String path, Map<String, String> form, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(url(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return browser.send(HttpRequest.newBuilder(url(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI url(String pathOrUrl) {
        return pathOrUrl.startsWith("http") ? URI.create(pathOrUrl) : URI.create(base + pathOrUrl);
    }

    public static String encode(Map<String, String> form) {
        return form.entrySet().stream().map(e -> OAuthHttp.encode(e.getKey()) + "=" + OAuthHttp.encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    public static JsonNode json(HttpResponse<String> response) {
        return JsonMapper.shared().readTree(response.body());
    }

    /** Registers a public client with {@code redirects}; returns its client_id. */
    public String register(String... redirects) throws Exception {
        String uris = java.util.Arrays.stream(redirects).map(r -> "\"" + r + "\"").collect(Collectors.joining(","));
        HttpResponse<String> r = postJson("/register", "{\"client_name\":\"Test client\",\"redirect_uris\":[" + uris + "],"
                + "\"token_endpoint_auth_method\":\"none\"}");
        if (r.statusCode() != 201) {
            throw new AssertionError("registration failed: " + r.statusCode() + " " + r.body());
        }
        return json(r).get("client_id").asString();
    }

    /** One client's authorization request parameters; tests change what they attack. */
    public static final class Request {
        public String clientId;
        public String redirectUri = REDIRECT;
        public String verifier = Secrets.random(32);
        public String challenge;
        public String method = "S256";
        public String state = "client-state-" + Secrets.random(8);
        public String resource;
        public String scope = "ms365";

        public Request(String clientId, String resource) {
            this.clientId = clientId;
            this.resource = resource;
            this.challenge = Pkce.challenge(verifier);
        }

        public String query() {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("response_type", "code");
            q.put("client_id", clientId);
            if (redirectUri != null) {
                q.put("redirect_uri", redirectUri);
            }
            if (challenge != null) {
                q.put("code_challenge", challenge);
            }
            if (method != null) {
                q.put("code_challenge_method", method);
            }
            q.put("state", state);
            if (resource != null) {
                q.put("resource", resource);
            }
            if (scope != null) {
                q.put("scope", scope);
            }
            return encode(q);
        }
    }

    public Request request(String clientId) {
        return new Request(clientId, oauth.settings().resource());
    }

    /** The consent page's hidden fields. */
    public record Consent(String transaction, String csrf) {
    }

    private static final Pattern HIDDEN = Pattern.compile("name=\"(transaction|csrf)\" value=\"([^\"]+)\"");

    public static Consent consent(String html) {
        Matcher m = HIDDEN.matcher(html);
        Map<String, String> f = new LinkedHashMap<>();
        while (m.find()) {
            f.put(m.group(1), m.group(2));
        }
        if (f.size() != 2) {
            throw new AssertionError("no consent form in: " + html);
        }
        return new Consent(f.get("transaction"), f.get("csrf"));
    }

    public Consent openConsent(Request request) throws Exception {
        HttpResponse<String> page = get("/authorize?" + request.query());
        if (page.statusCode() != 200) {
            throw new AssertionError("authorize answered " + page.statusCode() + " " + page.headers().map() + " " + page.body());
        }
        return consent(page.body());
    }

    public HttpResponse<String> approve(Consent consent) throws Exception {
        return postForm("/authorize", Map.of("transaction", consent.transaction(), "csrf", consent.csrf(), "decision", "approve"));
    }

    /** Walks consent and the fake sign-in; returns the final redirect to the client (a 303 whose Location carries the code). */
    public HttpResponse<String> authorizeToClient(Request request) throws Exception {
        HttpResponse<String> approved = approve(openConsent(request));
        if (approved.statusCode() != 303) {
            throw new AssertionError("consent answered " + approved.statusCode() + " " + approved.body());
        }
        return get(approved.headers().firstValue("Location").orElseThrow());
    }

    public static Map<String, String> locationQuery(HttpResponse<String> redirect) {
        URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        return FormEncoding.decode(location.getRawQuery());
    }

    /** Full flow: our authorization code for {@code request}. */
    public String code(Request request) throws Exception {
        HttpResponse<String> toClient = authorizeToClient(request);
        if (toClient.statusCode() != 303) {
            throw new AssertionError("callback answered " + toClient.statusCode() + " " + toClient.body());
        }
        return locationQuery(toClient).get("code");
    }

    public HttpResponse<String> redeem(Request request, String code) throws Exception {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", request.redirectUri);
        form.put("client_id", request.clientId);
        form.put("code_verifier", request.verifier);
        if (request.resource != null) {
            form.put("resource", request.resource);
        }
        return postForm("/token", form);
    }

    public HttpResponse<String> refresh(String clientId, String refreshToken) throws Exception {
        return refresh(browser, clientId, refreshToken);
    }

    public HttpResponse<String> refresh(HttpClient client, String clientId, String refreshToken) throws Exception {
        return postForm(client, "/token", Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", clientId), Map.of());
    }

    /** Registers, authorizes and redeems: the token response. */
    public JsonNode tokens(String clientId) throws Exception {
        Request request = request(clientId);
        HttpResponse<String> r = redeem(request, code(request));
        if (r.statusCode() != 200) {
            throw new AssertionError("token answered " + r.statusCode() + " " + r.body());
        }
        return json(r);
    }

    public boolean valid(String accessToken) {
        return oauth.bearerTokenVerifier().verify(accessToken).isPresent();
    }
}
