package dev.ms365mcp.http.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.ms365mcp.testkit.entra.SelfSignedTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientMetadataDocumentsTest {

    @TempDir
    static Path dir;
    static SelfSignedTls tls;
    HttpsServer server;
    String origin;
    final Map<String, String> documents = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    final MutableClock clock = new MutableClock();

    @BeforeAll
    static void certificate() throws Exception {
        tls = SelfSignedTls.generate(dir); // keytool is slow: one certificate for the class
    }

    @BeforeEach
    void serve() throws Exception {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            if (path.equals("/redirect.json")) {
                exchange.getResponseHeaders().add("Location", origin + "/client.json");
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
                return;
            }
            String body = documents.get(path);
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : bytes.length);
            if (body != null) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
        origin = "https://localhost:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** The test seam: trusts the throw-away certificate and allows loopback. */
    private ClientMetadataDocuments loopbackFetcher() throws Exception {
        SslContextFactory.Client client = new SslContextFactory.Client();
        client.setSslContext(tls.clientContext());
        return new ClientMetadataDocuments(client, address -> true, clock);
    }

    private String document(String path, String clientId, String... redirects) {
        String uris = String.join(",", java.util.Arrays.stream(redirects).map(r -> "\"" + r + "\"").toList());
        String doc = "{\"client_id\":\"" + clientId + "\",\"client_name\":\"Doc client\",\"redirect_uris\":[" + uris + "]}";
        documents.put(path, doc);
        return origin + path;
    }

    @Test
    void anHttpsClientIdIsFetchedAndItsRedirectUrisHonouredThroughTheWholeFlow() throws Exception {
        String url = origin + "/client.json";
        document("/client.json", url, OAuthFixture.REDIRECT);
        try (OAuthFixture f = new OAuthFixture(s -> s, loopbackFetcher())) {
            OAuthFixture.Request request = f.request(url);
            HttpResponse<String> page = f.get("/authorize?" + request.query());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Doc client").contains(url);
            HttpResponse<String> token = f.redeem(request, f.code(request));
            assertThat(token.statusCode()).isEqualTo(200);
            assertThat(f.valid(OAuthFixture.json(token).get("access_token").asString())).isTrue();
            // Fetched once, then served from the cache.
            assertThat(hits.get("/client.json").get()).isEqualTo(1);
            OAuthFixture.Request other = f.request(url);
            other.redirectUri = "https://elsewhere.example/cb";
            assertThat(f.get("/authorize?" + other.query()).statusCode()).isEqualTo(400);
        }
    }

    @Test
    void cacheExpires() throws Exception {
        String url = document("/client.json", origin + "/client.json", OAuthFixture.REDIRECT);
        try (ClientMetadataDocuments docs = loopbackFetcher()) {
            assertThat(docs.resolve(url)).isPresent();
            assertThat(docs.resolve(url)).isPresent();
            clock.advance(java.time.Duration.ofMinutes(11));
            assertThat(docs.resolve(url)).isPresent();
            assertThat(hits.get("/client.json").get()).isEqualTo(2);
        }
    }

    @Test
    void theDocumentMustNameItself() throws Exception {
        String url = document("/client.json", "https://someone-else.example/client.json", OAuthFixture.REDIRECT);
        try (ClientMetadataDocuments docs = loopbackFetcher()) {
            assertThat(docs.resolve(url)).isEmpty();
        }
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        document("/client.json", origin + "/redirect.json", OAuthFixture.REDIRECT);
        try (ClientMetadataDocuments docs = loopbackFetcher()) {
            assertThat(docs.resolve(origin + "/redirect.json")).isEmpty();
            assertThat(hits.get("/client.json")).isNull();
        }
    }

    @Test
    void oversizedDocumentsAreRefused() throws Exception {
        String url = origin + "/big.json";
        documents.put("/big.json", "{\"client_id\":\"" + url + "\",\"redirect_uris\":[\"" + OAuthFixture.REDIRECT + "\"],\"pad\":\""
                + "x".repeat(ClientMetadataDocuments.MAX_BYTES) + "\"}");
        try (ClientMetadataDocuments docs = loopbackFetcher()) {
            assertThat(docs.resolve(url)).isEmpty();
        }
    }

    @Test
    void dangerousRedirectUrisOrSecretsInTheDocumentAreRefused() throws Exception {
        String bad = document("/bad.json", origin + "/bad.json", "javascript:alert(1)");
        String url = origin + "/secret.json";
        documents.put("/secret.json", "{\"client_id\":\"" + url + "\",\"redirect_uris\":[\"" + OAuthFixture.REDIRECT
                + "\"],\"token_endpoint_auth_method\":\"client_secret_basic\"}");
        try (ClientMetadataDocuments docs = loopbackFetcher()) {
            assertThat(docs.resolve(bad)).isEmpty();
            assertThat(docs.resolve(url)).isEmpty();
        }
    }

    @Test
    void productionRulesRefuseLoopbackPrivateAndNonHttpsWithoutConnecting() throws Exception {
        String url = document("/client.json", origin + "/client.json", OAuthFixture.REDIRECT);
        try (ClientMetadataDocuments production = ClientMetadataDocuments.forPublicInternet(clock)) {
            assertThat(production.resolve(url)).isEmpty();
            assertThat(production.resolve(url.replace("localhost", "127.0.0.1"))).isEmpty();
            assertThat(production.resolve(url.replace("localhost", "[::1]"))).isEmpty();
            assertThat(production.resolve("http://localhost:" + server.getAddress().getPort() + "/client.json")).isEmpty();
            assertThat(production.resolve("https://169.254.169.254/latest/meta-data")).isEmpty();
            assertThat(production.resolve("https://10.0.0.1/client.json")).isEmpty();
            assertThat(production.resolve("https://user@localhost/client.json")).isEmpty();
            assertThat(production.resolve("https://localhost")).isEmpty();
        }
        assertThat(hits).isEmpty();
    }

    @Test
    void publicAddressRule() throws Exception {
        for (String blocked : new String[] {"127.0.0.1", "127.5.5.5", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.0.1",
                "169.254.169.254", "100.64.0.1", "100.127.255.255", "224.0.0.1", "255.255.255.255", "192.0.2.1", "::1", "::",
                "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a00:1", "2002:7f00:1::1", "2001:db8::1"}) {
            assertThat(PublicAddresses.isPublic(InetAddress.getByName(blocked))).as(blocked).isFalse();
        }
        for (String open : new String[] {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111"}) {
            assertThat(PublicAddresses.isPublic(InetAddress.getByName(open))).as(open).isTrue();
        }
    }
}
