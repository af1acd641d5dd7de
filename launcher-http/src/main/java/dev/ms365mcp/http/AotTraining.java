package dev.ms365mcp.http;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The training run for the JDK's AOT cache ({@code -XX:AOTCacheOutput}, JDK 25+), run by the build and by
 * the image's {@code aot-train.sh}: the server starts as {@code --single-user} on a loopback port with a
 * static token, answers a scripted session over HTTP — initialize, tools/list, a tool call that reaches
 * a Graph stand-in on loopback, the session's end — and stops. Nothing leaves the machine. Exits 0, or
 * fails loudly when a step does not answer as a client would expect.
 */
public final class AotTraining {

    private static final String PROTOCOL_VERSION = "2025-06-18";

    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        run();
        System.exit(0);
    }

    /** The scripted session; returns how many requests reached the Graph stand-in. */
    static int run() throws Exception {
        java.util.concurrent.atomic.AtomicInteger graphCalls = new java.util.concurrent.atomic.AtomicInteger();
        Server graph = graphStandIn(graphCalls);
        graph.start();
        int graphPort = ((ServerConnector) graph.getConnectors()[0]).getLocalPort();
        java.nio.file.Path data = java.nio.file.Files.createTempDirectory("ms365-mcp-aot");
        // the command-line model as a real start builds it
        picocli.CommandLine cli = HttpMain.commandLine(Map.of(
                "MS365_MCP_OAUTH_TOKEN", "aot-training",
                "MS365_MCP_GRAPH_URL", "http://127.0.0.1:" + graphPort,
                "MS365_MCP_DATA_DIR", data.toString()));
        cli.parseArgs("--single-user", "--http", "127.0.0.1:0");
        HttpMain main = cli.getCommand();
        HttpMain.Running running = main.start();
        HttpClient client = new HttpClient();
        try {
            client.start();
            String mcp = "http://localhost:" + running.server().port() + "/mcp";
            ContentResponse init = post(client, mcp, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                    + "\"params\":{\"protocolVersion\":\"" + PROTOCOL_VERSION + "\",\"capabilities\":{},"
                    + "\"clientInfo\":{\"name\":\"aot-training\",\"version\":\"1\"}}}");
            String session = init.getHeaders().get("Mcp-Session-Id");
            post(client, mcp, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            expect(post(client, mcp, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}"), "list-mail-messages");
            expect(post(client, mcp, session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":"
                    + "{\"name\":\"list-mail-messages\",\"arguments\":{\"top\":1}}}"), "\"result\"");
            if (session != null) {
                client.newRequest(mcp).method(HttpMethod.DELETE).headers(h -> h.put("Mcp-Session-Id", session)
                        .put("MCP-Protocol-Version", PROTOCOL_VERSION)).send();
            }
        } finally {
            client.stop();
            running.stop();
            graph.stop();
            try (var files = java.nio.file.Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(java.nio.file.Path::toFile).forEach(java.io.File::delete);
            }
        }
        if (graphCalls.get() == 0) {
            throw new IllegalStateException("AOT training: the tool call never reached the Graph stand-in");
        }
        return graphCalls.get();
    }

    private static ContentResponse post(HttpClient client, String url, String session, String json) throws Exception {
        ContentResponse response = client.newRequest(url).method(HttpMethod.POST)
                .headers(h -> {
                    h.put(HttpHeader.ACCEPT, "application/json, text/event-stream");
                    if (session != null) {
                        h.put("Mcp-Session-Id", session).put("MCP-Protocol-Version", PROTOCOL_VERSION);
                    }
                })
                .body(new StringRequestContent("application/json", json)).send();
        if (response.getStatus() / 100 != 2) {
            throw new IllegalStateException("AOT training: " + url + " answered " + response.getStatus() + ": "
                    + response.getContentAsString());
        }
        return response;
    }

    private static void expect(ContentResponse response, String text) {
        if (!response.getContentAsString().contains(text)) {
            throw new IllegalStateException("AOT training: expected " + text + " in " + response.getContentAsString());
        }
    }

    /** Answers every Graph request with an empty collection. */
    private static Server graphStandIn(java.util.concurrent.atomic.AtomicInteger calls) {
        Server graph = new Server(new InetSocketAddress("127.0.0.1", 0));
        byte[] empty = "{\"value\":[]}".getBytes(StandardCharsets.UTF_8);
        graph.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                calls.incrementAndGet();
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, ByteBuffer.wrap(empty), callback);
                return true;
            }
        });
        return graph;
    }
}
