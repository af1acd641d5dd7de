package dev.ms365mcp.http;

import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.TokenProviders;
import dev.ms365mcp.launcher.DotEnv;
import dev.ms365mcp.launcher.ToolFlags;
import dev.ms365mcp.launcher.Version;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolSettings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The server teams host: Microsoft 365 tools over MCP Streamable HTTP. Parses flags and environment,
 * builds the tools and the server, starts it; {@link JettyServer} holds the wiring.
 */
@Command(name = "ms365-mcp-http", mixinStandardHelpOptions = true, versionProvider = HttpMain.VersionText.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Microsoft 365 (Microsoft Graph) tools for AI assistants, over MCP Streamable HTTP.")
public final class HttpMain implements Callable<Integer> {

    static final int DEFAULT_PORT = 3000;

    @Mixin
    ToolFlags tools = new ToolFlags();

    @Option(names = "--http", paramLabel = "[host:]port", description = "Listen on this port, optionally on one address (default 0.0.0.0:3000).")
    String http;

    @Option(names = "--host", paramLabel = "<address>", description = "Listen on this address (default 0.0.0.0).")
    String host;

    @Option(names = "--port", paramLabel = "<port>", description = "Listen on this port (default 3000).")
    Integer port;

    @Option(names = "--stateless", description = "No MCP sessions: every request stands alone (JSON responses), for horizontal scale.")
    boolean stateless;

    private final Map<String, String> env;

    HttpMain(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        Map<String, String> env = DotEnv.withAppRegistration(System.getenv(), Path.of(".env"));
        CommandLine cli = new CommandLine(new HttpMain(env));
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("ms365-mcp-http: " + e.getMessage() + " (see --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("ms365-mcp-http: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        int status = cli.execute(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> effective = tools.environment(env);
        ToolSettings settings = tools.settings(effective).build();
        AuthSettings auth = AuthSettings.fromEnv(effective);
        Ms365Tools toolSet = Ms365Tools.builder()
                .settings(settings)
                .tokenProvider(TokenProviders.fromSettings(auth))
                .graphRoot(auth.endpoint().graphRoot())
                .build();
        JettyServer server = new JettyServer(listenAddress(), toolSet, stateless, Version.of(HttpMain.class));
        server.start();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(server::stop));
        server.join();
        return 0;
    }

    /** {@code --http [host:]port}, then {@code --host} / {@code --port}; default 0.0.0.0:3000. */
    InetSocketAddress listenAddress() {
        String h = "0.0.0.0";
        int p = DEFAULT_PORT;
        if (http != null) {
            int colon = http.lastIndexOf(':');
            if (colon >= 0) {
                h = http.substring(0, colon).replace("[", "").replace("]", "");
                p = parsePort("--http", http.substring(colon + 1));
            } else {
                p = parsePort("--http", http);
            }
        }
        if (host != null) {
            h = host;
        }
        if (port != null) {
            p = parsePort("--port", port.toString());
        }
        return new InetSocketAddress(h, p);
    }

    private static int parsePort(String flag, String value) {
        try {
            int p = Integer.parseInt(value.strip());
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a port from 0 to 65535, got '" + value + "'");
        }
    }

    /** {@code --version}: the jar's Implementation-Version. */
    static final class VersionText implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ms365-mcp-http " + Version.of(HttpMain.class)};
        }
    }
}
