package dev.ms365mcp.http.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.http.McpHttpClient;
import dev.ms365mcp.http.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    private static final String LIST = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\",\"params\":{}}";
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> token(String xff) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.url("/token"))
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (xff != null) {
            b.header("X-Forwarded-For", xff);
        }
        return McpHttpClient.HTTP.send(b.POST(HttpRequest.BodyPublishers.ofString("grant_type=x")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void eachUserHasTheirOwnMcpLimitAnd429CarriesRetryAfter() throws Exception {
        server = TestServer.builder().env("MS365_MCP_RATE_LIMIT_MCP", "4").start();
        McpHttpClient alice = server.client("token-alice").initialize(); // 2 requests
        assertThat(alice.post(LIST).statusCode()).isEqualTo(200);
        assertThat(alice.post(LIST).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = alice.post(LIST);
        assertThat(limited.statusCode()).isEqualTo(429);
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L);
        // Bob is not slowed by Alice.
        McpHttpClient bob = server.client("token-bob").initialize();
        assertThat(bob.post(LIST).statusCode()).isEqualTo(200);
    }

    @Test
    void oauthEndpointsAreLimitedPerAddressAndXForwardedForIsIgnoredWithoutTrustedHops() throws Exception {
        server = TestServer.builder().env("MS365_MCP_RATE_LIMIT_TOKEN", "2").start();
        assertThat(token("1.1.1.1").statusCode()).isNotEqualTo(429);
        assertThat(token("2.2.2.2").statusCode()).isNotEqualTo(429);
        // A spoofed X-Forwarded-For does not buy a fresh allowance.
        HttpResponse<String> third = token("3.3.3.3");
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("Retry-After")).isPresent();
        assertThat(third.body()).contains("rate_limited");
    }

    @Test
    void withTrustedHopsTheProxysViewOfTheClientCounts() throws Exception {
        server = TestServer.builder().env("MS365_MCP_RATE_LIMIT_TOKEN", "1").env("MS365_MCP_TRUST_PROXY_HOPS", "1").start();
        assertThat(token("9.9.9.9, 1.1.1.1").statusCode()).isNotEqualTo(429);
        // The client wrote 9.9.9.9 itself; the proxy appended 1.1.1.1: that is who is counted.
        assertThat(token("8.8.8.8, 1.1.1.1").statusCode()).isEqualTo(429);
        assertThat(token("2.2.2.2").statusCode()).isNotEqualTo(429);
    }

    @Test
    void limitsCanBeSwitchedOff() throws Exception {
        server = TestServer.builder().env("MS365_MCP_RATE_LIMIT_TOKEN", "1").env("MS365_MCP_RATE_LIMIT_DISABLED", "true").start();
        for (int i = 0; i < 5; i++) {
            assertThat(token(null).statusCode()).isNotEqualTo(429);
        }
    }

    @Test
    void theOauthEndpointsAnswerBrowserPreflights() throws Exception {
        server = TestServer.start();
        for (String path : new String[] {"/token", "/register", "/revoke", "/.well-known/oauth-authorization-server"}) {
            HttpResponse<String> r = McpHttpClient.HTTP.send(HttpRequest.newBuilder(server.url(path))
                    .header("Origin", "http://localhost:6274").header("Access-Control-Request-Method", "POST")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(204);
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).as(path).hasValue("*");
            assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElseThrow()).contains("Authorization");
        }
    }
}
