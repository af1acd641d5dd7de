package dev.ms365mcp.http.files;

import dev.ms365mcp.http.HttpSettings;
import dev.ms365mcp.http.JettyServer;
import dev.ms365mcp.http.McpHttpClient;
import dev.ms365mcp.http.TestServer;
import dev.ms365mcp.http.security.McpAuthentication;
import dev.ms365mcp.http.state.InMemoryStateStore;
import dev.ms365mcp.http.transport.McpFeatures;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolSettings;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Run in a small-heap JVM by {@link FileLinkMemoryTest}: the HTTP server (and its client) in this process,
 * FakeGraph in the parent's. Downloads each named Graph path through a link and uploads a generated body of
 * each given size through an upload link, printing per transfer the bytes moved and the heap's peak during it.
 * Arguments: graph URL, then {@code download:<rawPath>} or {@code upload:<bytes>} items.
 */
public final class FileLinkMemoryProbe {

    public static void main(String[] args) throws Exception {
        HttpSettings settings = HttpSettings.from(new HttpSettings.Flags("127.0.0.1:0", null, null, null, false, false,
                false, false, false), Map.of("MS365_MCP_DATA_DIR", "target/test-data"));
        InMemoryStateStore store = new InMemoryStateStore();
        FileTickets tickets = new FileTickets(FileLinkSettings.fromEnv(Map.of(), settings.publicUrl()), store,
                Clock.systemUTC());
        McpAuthentication auth = new McpAuthentication(TestServer.NAMED_TOKENS, null,
                new McpAuthentication.BearerChallenge(null, null), null, true);
        Ms365Tools tools = Ms365Tools.builder().settings(ToolSettings.defaults()).tokenProvider(TestServer.PER_PRINCIPAL)
                .graphRoot(URI.create(args[0])).accountArgument(false).fileLinks(tickets).build();
        JettyServer server = new JettyServer(settings, McpFeatures.of(tools), auth, store, null, "probe",
                Clock.systemUTC(), new FileLinkEndpoint(tickets, tools, auth));
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + server.port());
            McpHttpClient alice = new McpHttpClient(base.resolve(JettyServer.MCP_PATH), "token-alice").initialize();
            for (int i = 1; i < args.length; i++) {
                String item = args[i];
                String link;
                if (item.startsWith("download:")) {
                    String text = McpHttpClient.text(alice.callTool("download-bytes", "{\"target\":\""
                            + item.substring("download:".length()) + "\"}"));
                    link = text.substring(text.indexOf("http://"));
                } else {
                    String text = McpHttpClient.text(alice.callTool("create-upload-link",
                            "{\"driveId\":\"d1\",\"parentId\":\"root\",\"name\":\"probe.bin\"}"));
                    link = JsonMapper.shared().readTree(text).path("uploadUrl").asString();
                }
                URI url = base.resolve(URI.create(link).getPath());
                System.gc();
                ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
                long moved;
                int status;
                if (item.startsWith("download:")) {
                    HttpResponse<InputStream> r = McpHttpClient.HTTP.send(HttpRequest.newBuilder(url).GET().build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    status = r.statusCode();
                    moved = 0;
                    try (InputStream in = r.body()) {
                        byte[] buf = new byte[64 * 1024];
                        for (int n; (n = in.read(buf)) >= 0; ) {
                            moved += n;
                        }
                    }
                } else {
                    long size = Long.parseLong(item.substring("upload:".length()));
                    HttpResponse<String> r = McpHttpClient.HTTP.send(HttpRequest.newBuilder(url)
                            .PUT(HttpRequest.BodyPublishers.fromPublisher(
                                    HttpRequest.BodyPublishers.ofInputStream(() -> generated(size)), size)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    status = r.statusCode();
                    moved = size;
                }
                long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                        .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
                System.out.println(item + " status=" + status + " bytes=" + moved + " peakHeap=" + peak);
            }
        } finally {
            server.stop();
        }
        // the SDK's session sweeper is not a daemon thread
        System.exit(0);
    }

    /** {@code size} bytes of a fixed pattern, made as they are read (the parent makes the same to compare). */
    static InputStream generated(long size) {
        return new InputStream() {
            private long at;

            @Override
            public int read() {
                return at < size ? pattern(at++) : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - at);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) pattern(at++);
                }
                return n;
            }
        };
    }

    static int pattern(long i) {
        return (int) ((i * 31 + (i >>> 10)) & 0xff);
    }
}
