package dev.ms365mcp.http;

import dev.ms365mcp.http.oauth.AuthorizationServer;
import dev.ms365mcp.tools.Ms365Tools;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import tools.jackson.databind.json.JsonMapper;

/** Every servlet and filter mapping of the HTTP server, in one place (ee10 → ee11 is a package rename here). */
public final class JettyServer {

    static final String MCP_PATH = "/mcp";

    private final Server server;

    public JettyServer(InetSocketAddress listen, Ms365Tools tools, boolean stateless, String version) {
        this(listen, tools, stateless, version, null);
    }

    /** @param oauth the OAuth front door, or null where callers are authenticated another way */
    public JettyServer(InetSocketAddress listen, Ms365Tools tools, boolean stateless, String version, AuthorizationServer oauth) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("http");
        // Tool calls block on Graph: one virtual thread per request instead of a bounded pool.
        threads.setVirtualThreadsExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(listen.getHostString());
        connector.setPort(listen.getPort());
        server.addConnector(connector);

        McpJsonMapper mapper = new JacksonMcpJsonMapper(JsonMapper.shared());
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        HttpServlet mcp;
        McpSchema.ServerCapabilities capabilities = McpSchema.ServerCapabilities.builder().tools(false).build();
        if (stateless) {
            HttpServletStatelessServerTransport transport = HttpServletStatelessServerTransport.builder()
                    .jsonMapper(mapper).messageEndpoint(MCP_PATH).build();
            McpServer.sync(transport).serverInfo("ms365-mcp", version).jsonMapper(mapper)
                    .jsonSchemaValidator(tools.schemaValidator()).capabilities(capabilities)
                    .tools(tools.statelessToolSpecifications()).build();
            mcp = transport;
        } else {
            HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                    .jsonMapper(mapper).mcpEndpoint(MCP_PATH).build();
            McpServer.sync(transport).serverInfo("ms365-mcp", version).jsonMapper(mapper)
                    .jsonSchemaValidator(tools.schemaValidator()).capabilities(capabilities)
                    .tools(tools.syncToolSpecifications()).build();
            mcp = transport;
        }
        context.addServlet(new ServletHolder("mcp", mcp), MCP_PATH);
        context.addServlet(new ServletHolder("health", new HealthServlet()), "/");
        if (oauth != null) {
            mapOAuth(context, oauth);
        }
        server.setHandler(context);
    }

    /**
     * The OAuth 2.1 front door: metadata (RFC 9728, RFC 8414), registration (RFC 7591), the authorization
     * endpoint and its consent form, the upstream sign-in callback, token and revocation (RFC 7009).
     * {@code openid-configuration} stays a 404: no partial OIDC document.
     */
    public static void mapOAuth(ServletContextHandler context, AuthorizationServer oauth) {
        context.addServlet(new ServletHolder("oauth-protected-resource-mcp", oauth.protectedResourceMetadata()),
                AuthorizationServer.PROTECTED_RESOURCE_METADATA + MCP_PATH);
        context.addServlet(new ServletHolder("oauth-protected-resource", oauth.protectedResourceMetadata()),
                AuthorizationServer.PROTECTED_RESOURCE_METADATA);
        context.addServlet(new ServletHolder("oauth-authorization-server", oauth.authorizationServerMetadata()),
                AuthorizationServer.AUTHORIZATION_SERVER_METADATA);
        context.addServlet(new ServletHolder("oauth-register", oauth.registration()), AuthorizationServer.REGISTER);
        context.addServlet(new ServletHolder("oauth-authorize", oauth.authorization()), AuthorizationServer.AUTHORIZE);
        context.addServlet(new ServletHolder("oauth-callback", oauth.callback()), AuthorizationServer.CALLBACK);
        context.addServlet(new ServletHolder("oauth-token", oauth.token()), AuthorizationServer.TOKEN);
        context.addServlet(new ServletHolder("oauth-revoke", oauth.revocation()), AuthorizationServer.REVOKE);
    }

    public void start() throws Exception {
        server.start();
    }

    /** The address clients reach this server on (the real port when started on port 0). */
    public URI uri() {
        return server.getURI();
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    public void join() throws InterruptedException {
        server.join();
    }

    public void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop cleanly", e);
        }
    }

    /** {@code GET /}: the health answer probes use; anything else under / is 404 with a small JSON body. */
    static final class HealthServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("application/json");
            if ("/".equals(req.getRequestURI()) && "GET".equals(req.getMethod())) {
                resp.getWriter().write("{\"status\":\"ok\"}");
            } else {
                resp.setStatus(404);
                resp.getWriter().write("{\"error\":\"not_found\"}");
            }
        }
    }
}
