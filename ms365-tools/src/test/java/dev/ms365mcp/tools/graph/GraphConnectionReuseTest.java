package dev.ms365mcp.tools.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls made at once over HTTP/1.1 keep their connections for the next ones: a busy server does not open a
 * new TCP connection to Graph for most calls (OkHttp's default pool keeps only 5 idle).
 */
class GraphConnectionReuseTest {

    private static final int AT_ONCE = 24;

    private HttpServer graph;
    /** The client ports the fake saw: one per TCP connection. */
    private final Set<Integer> connections = ConcurrentHashMap.newKeySet();
    private volatile CyclicBarrier allInFlight;

    @BeforeAll
    static void noDelay() {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    @BeforeEach
    void start() throws Exception {
        graph = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        graph.createContext("/", exchange -> {
            try (exchange) {
                connections.add(exchange.getRemoteAddress().getPort());
                // every call of a round is in flight at once, so each needs a connection of its own
                allInFlight.await(10, TimeUnit.SECONDS);
                byte[] body = "{\"id\":\"me\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (Exception e) {
                exchange.sendResponseHeaders(500, -1);
            }
        });
        graph.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        graph.start();
    }

    @AfterEach
    void stop() {
        graph.stop(0);
    }

    @Test
    void concurrentCallsReuseTheirConnectionsInTheNextRound() throws Exception {
        GraphClient client = new GraphClient(URI.create("http://127.0.0.1:" + graph.getAddress().getPort()), 0);
        GraphCall me = new GraphCall("GET", "/v1.0/me", Map.of(), Map.of(), List.of(), null, null, null);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < 3; round++) {
                allInFlight = new CyclicBarrier(AT_ONCE);
                List<Future<GraphResponse>> calls = new ArrayList<>();
                for (int i = 0; i < AT_ONCE; i++) {
                    calls.add(callers.submit(() -> client.send(me)));
                }
                for (Future<GraphResponse> call : calls) {
                    assertThat(call.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
                }
                assertThat(connections).as("TCP connections after round %d", round + 1).hasSize(AT_ONCE);
            }
        }
    }
}
