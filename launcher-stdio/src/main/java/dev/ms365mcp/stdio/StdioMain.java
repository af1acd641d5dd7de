package dev.ms365mcp.stdio;

import dev.ms365mcp.auth.AccountManager;
import dev.ms365mcp.launcher.DotEnv;
import dev.ms365mcp.launcher.FastFlags;
import dev.ms365mcp.launcher.ToolFlags;
import dev.ms365mcp.launcher.Version;
import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.TokenProvider;
import dev.ms365mcp.auth.TokenProviders;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolSettings;
import dev.ms365mcp.tools.catalog.Catalog;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedInputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/**
 * The desktop jar: Microsoft 365 tools over MCP STDIO. Stdout carries JSON-RPC and nothing else:
 * {@code System.out} is pointed at stderr before anything can print, and logs go to stderr.
 * Flags keep the names of the TypeScript reference server and win over their environment variables.
 */
@Command(name = "ms365-mcp", mixinStandardHelpOptions = true, versionProvider = StdioMain.VersionText.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Microsoft 365 (Microsoft Graph) tools for AI assistants, over MCP STDIO.")
public final class StdioMain implements Callable<Integer> {

    @Mixin
    ToolFlags tools = new ToolFlags();

    @Option(names = "--list-presets", description = "Print the presets and exit.")
    boolean listPresets;

    @Option(names = "--list-permissions", description = "Print, as JSON, the delegated scopes the enabled tools need, and exit.")
    boolean listPermissions;

    @CommandLine.ArgGroup(exclusive = true)
    AccountCommand accountCommand;

    @Option(names = "--auth-browser", description = "Sign in in the system browser (authorization code + PKCE) instead of by device code; alone or with --login.")
    boolean authBrowser;

    /** One account action instead of serving: sign in, out, check, list, choose or remove accounts. */
    static final class AccountCommand {
        @Option(names = "--login", description = "Sign in with a device code, wait for it, and exit.")
        boolean login;

        @Option(names = "--logout", description = "Remove every cached account and exit.")
        boolean logout;

        @Option(names = "--verify-login", description = "Check the sign-in works and exit (0 = signed in).")
        boolean verifyLogin;

        @Option(names = "--list-accounts", description = "List cached accounts and exit.")
        boolean listAccounts;

        @Option(names = "--select-account", paramLabel = "<account>", description = "Make an account (username or id) the default and exit.")
        String selectAccount;

        @Option(names = "--remove-account", paramLabel = "<account>", description = "Remove an account (username or id) and exit.")
        String removeAccount;
    }

    private final PrintStream protocolOut;
    private final Map<String, String> env;

    StdioMain(PrintStream protocolOut, Map<String, String> env) {
        this.protocolOut = protocolOut;
        this.env = env;
    }

    public static void main(String[] args) {
        PrintStream protocolOut = System.out;
        System.setOut(System.err);
        // Parsing the catalog is the longest step of start-up; the second core does it meanwhile.
        Thread.ofPlatform().daemon().name("catalog-load").start(Catalog::builtIn);
        Map<String, String> env = DotEnv.withAppRegistration(System.getenv(), Path.of(".env"));
        StdioMain serving = new StdioMain(protocolOut, env);
        if (FastFlags.bind(serving, args)) {
            System.exit(serving.callReportingBadInput());
        }
        System.exit(commandLine(protocolOut, env).execute(args));
    }

    /** {@link #call()} with the same handling of bad input as the picocli path: one line, exit 2. */
    int callReportingBadInput() {
        try {
            return call();
        } catch (IllegalArgumentException e) {
            System.err.println("ms365-mcp: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    static CommandLine commandLine(PrintStream protocolOut, Map<String, String> env) {
        CommandLine cli = new CommandLine(new StdioMain(protocolOut, env));
        cli.setOut(new PrintWriter(protocolOut, true));
        cli.setErr(new PrintWriter(System.err, true));
        cli.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("ms365-mcp: " + e.getMessage() + " (see --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("ms365-mcp: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli;
    }

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> effective = tools.environment(env);
        // STDIO users run the jar themselves: local files are theirs.
        ToolSettings settings = tools.settings(effective).localFiles(true).build();
        if (listPresets) {
            PresetList.print(settings, new PrintWriter(protocolOut, true));
            return 0;
        }
        AuthSettings auth = AuthSettings.fromEnv(effective);
        TokenProvider tokens = TokenProviders.fromSettings(auth);
        AccountManager accounts = TokenProviders.accountManager(tokens);
        Ms365Tools tools = Ms365Tools.builder()
                .settings(settings)
                .tokenProvider(tokens)
                .accountManager(accounts)
                .graphRoot(auth.endpoint().graphRoot())
                .build();
        if (listPermissions) {
            protocolOut.println(JsonMapper.shared().writeValueAsString(Map.of("scopes", tools.requiredScopes())));
            return 0;
        }
        if (authBrowser && (accountCommand == null || accountCommand.login)) {
            return new AccountCli(accounts, new PrintWriter(protocolOut, true)).loginInBrowser(tools.requiredScopes());
        }
        if (accountCommand != null) {
            return new AccountCli(accounts, new PrintWriter(protocolOut, true)).run(accountCommand, tools.requiredScopes());
        }
        serve(tools);
        return 0;
    }

    /** Serves until stdin ends (the client is gone), then closes the session. */
    private void serve(Ms365Tools tools) throws InterruptedException {
        McpJsonMapper mapper = new JacksonMcpJsonMapper(JsonMapper.shared());
        CountDownLatch stdinClosed = new CountDownLatch(1);
        JsonRpcLineGuard stdin = new JsonRpcLineGuard(new BufferedInputStream(System.in), protocolOut, mapper,
                stdinClosed::countDown);
        StdioServerTransportProvider transport = new StdioServerTransportProvider(mapper, stdin, protocolOut);
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo("ms365-mcp", Version.of(StdioMain.class))
                .instructions(INSTRUCTIONS)
                .jsonMapper(mapper)
                .jsonSchemaValidator(tools.schemaValidator())
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(tools.syncToolSpecifications())
                .build();
        stdinClosed.await();
        server.closeGracefully();
    }

    /** Said once per session instead of on every tool: what list tools accept beyond their schema. */
    static final String INSTRUCTIONS = "Microsoft 365 through Microsoft Graph. List tools also accept skip, count, "
            + "expand and skiptoken (OData $skip, $count, $expand, $skiptoken). IDs come from list results; "
            + "@odata.etag values are for If-Match.";

    /** {@code --version}: the jar's Implementation-Version. */
    static final class VersionText implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ms365-mcp " + Version.of(StdioMain.class)};
        }
    }
}
