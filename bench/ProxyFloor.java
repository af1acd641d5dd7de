import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The floors {@code HttpLoadBench --floor} measures ms365-mcp against: what a server between the client and
 * Graph costs on this machine before it does any MCP work. Each answers the bench's client just well enough
 * (an initialize, and a tool call as one GET to Graph whose JSON becomes the result's structuredContent):
 * <ul>
 * <li>{@code socket}: the JDK alone, one platform thread per connection, blocking sockets, a kept-alive
 *     upstream connection per client connection. The least any server in the middle pays here.</li>
 * <li>{@code jetty}: ms365-mcp's HTTP stack and nothing else: Jetty 12 with a servlet on virtual threads, as
 *     {@code JettyServer} sets it up, and OkHttp with a call timeout, as the Graph client uses it.</li>
 * </ul>
 *
 * <pre>
 * java -cp launcher-http/target/ms365-mcp-http.jar bench/ProxyFloor.java socket|jetty &lt;port&gt; &lt;graph url&gt;
 * </pre>
 */
public class ProxyFloor {

    static final String GRAPH_PATH = "/v1.0/me/messages?$top=3";
    static final String GRAPH_AUTHORIZATION = "Bearer bench-graph-token";

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        URI graph = URI.create(args[2]);
        switch (args[0]) {
            case "socket" -> socket(port, graph);
            case "jetty" -> jetty(port, graph);
            default -> throw new IllegalArgumentException("socket or jetty, not " + args[0]);
        }
    }

    /** The JSON-RPC answer to one request; a tool call fetches Graph's answer through {@code graph}. */
    static byte[] answer(String request, GraphFetch graph) throws IOException {
        String id = id(request);
        String result = request.contains("\"initialize\"")
                ? "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"floor\",\"version\":\"1\"}}"
                : "{\"content\":[],\"structuredContent\":" + new String(graph.get(), StandardCharsets.UTF_8) + "}";
        return ("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** The bench's ids are numbers. */
    static String id(String request) {
        int at = request.indexOf("\"id\":");
        if (at < 0) {
            return "null";
        }
        int end = at + 5;
        while (end < request.length() && Character.isDigit(request.charAt(end))) {
            end++;
        }
        return request.substring(at + 5, end);
    }

    interface GraphFetch {
        byte[] get() throws IOException;
    }

    // ---- socket: the JDK alone

    static void socket(int port, URI graph) throws IOException {
        try (ServerSocket server = new ServerSocket(port, 128, InetAddress.getLoopbackAddress())) {
            while (true) {
                Socket client = server.accept();
                Thread.ofPlatform().daemon().stackSize(256 * 1024).start(() -> serve(client, graph));
            }
        }
    }

    static void serve(Socket client, URI graph) {
        try (client; Socket upstream = new Socket(graph.getHost(), graph.getPort())) {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(client.getInputStream(), 16 * 1024);
            OutputStream out = new BufferedOutputStream(client.getOutputStream(), 16 * 1024);
            InputStream upIn = new BufferedInputStream(upstream.getInputStream(), 16 * 1024);
            OutputStream upOut = new BufferedOutputStream(upstream.getOutputStream(), 4 * 1024);
            byte[] graphRequest = ("GET " + GRAPH_PATH + " HTTP/1.1\r\nHost: " + graph.getHost() + ":" + graph.getPort()
                    + "\r\nAuthorization: " + GRAPH_AUTHORIZATION + "\r\nAccept: application/json\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            GraphFetch fetch = () -> {
                upOut.write(graphRequest);
                upOut.flush();
                return readBody(upIn, readHead(upIn));
            };
            while (true) {
                String requestLine = readLine(in);
                int length = readHead(in);
                byte[] body = requestLine.startsWith("GET ")
                        ? "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8)
                        : answer(new String(readBody(in, length), StandardCharsets.UTF_8), fetch);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Reads header lines up to the blank one; returns the Content-Length (0 without one). */
    static int readHead(InputStream in) throws IOException {
        int length = 0;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        return length;
    }

    static byte[] readBody(InputStream in, int length) throws IOException {
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException();
        }
        return body;
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException();
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    // ---- jetty: ms365-mcp's HTTP stack, without MCP

    static void jetty(int port, URI graph) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        connector.setPort(port);
        server.addConnector(connector);
        OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30))
                .connectionPool(new ConnectionPool(256, 5, TimeUnit.MINUTES)).build();
        Request graphRequest = new Request.Builder().url(graph.resolve(GRAPH_PATH).toString())
                .header("Authorization", GRAPH_AUTHORIZATION).header("Accept", "application/json").build();
        GraphFetch fetch = () -> {
            try (Response r = http.newCall(graphRequest).execute()) {
                return r.body().bytes();
            }
        };
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                write(response, "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
            }

            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                write(response, answer(body, fetch));
            }
        }), "/*");
        server.setHandler(context);
        server.start();
        server.join();
    }

    static void write(HttpServletResponse response, byte[] body) throws IOException {
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
