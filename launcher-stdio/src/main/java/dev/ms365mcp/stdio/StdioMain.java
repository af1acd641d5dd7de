package dev.ms365mcp.stdio;

import dev.ms365mcp.auth.AccountManager;
import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.TokenProvider;
import dev.ms365mcp.auth.TokenProviders;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolSettings;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedInputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/**
 * The desktop jar: Microsoft 365 tools over MCP STDIO. Stdout carries JSON-RPC and nothing else:
 * {@code System.out} is pointed at stderr before anything can print, and logs go to stderr.
 */
@Command(name = "ms365-mcp", mixinStandardHelpOptions = true, versionProvider = StdioMain.Version.class,
        description = "Microsoft 365 (Microsoft Graph) tools for AI assistants, over MCP STDIO.")
public final class StdioMain implements Callable<Integer> {

    @Option(names = {"--org-mode", "--work-mode"}, description = "Work/school tools: Teams, SharePoint, shared mailboxes, directory.")
    Boolean orgMode;

    @Option(names = "--read-only", description = "Offer and allow only tools that change nothing.")
    Boolean readOnly;

    @Option(names = "--enabled-tools", paramLabel = "<regex>", description = "Offer only tools whose name matches (case-insensitive).")
    String enabledTools;

    @Option(names = "--toon", description = "Return results as TOON instead of JSON (fewer tokens).")
    Boolean toon;

    @CommandLine.ArgGroup(exclusive = true)
    AccountCommand accountCommand;

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
        System.exit(commandLine(protocolOut, System.getenv()).execute(args));
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
        ToolSettings.Builder b = ToolSettings.fromEnv(env).toBuilder();
        if (orgMode != null) {
            b.orgMode(orgMode);
        }
        if (readOnly != null) {
            b.readOnly(readOnly);
        }
        if (enabledTools != null) {
            b.enabledTools(ToolSettings.regex(enabledTools));
        }
        if (toon != null) {
            b.toon(toon);
        }
        ToolSettings settings = b.build();
        AuthSettings auth = AuthSettings.fromEnv(env);
        TokenProvider tokens = TokenProviders.fromSettings(auth);
        AccountManager accounts = TokenProviders.accountManager(tokens);
        Ms365Tools tools = Ms365Tools.builder()
                .settings(settings)
                .tokenProvider(tokens)
                .accountManager(accounts)
                .graphRoot(auth.endpoint().graphRoot())
                .build();
        if (accountCommand != null) {
            return new AccountCli(accounts, new PrintWriter(protocolOut, true)).run(accountCommand, tools.requiredScopes());
        }
        serve(tools);
        return 0;
    }

    /** Serves until stdin ends (the client is gone), then closes the session. */
    private void serve(Ms365Tools tools) throws InterruptedException {
        McpJsonMapper mapper = new JacksonMcpJsonMapper(JsonMapper.builder().build());
        CountDownLatch stdinClosed = new CountDownLatch(1);
        JsonRpcLineGuard stdin = new JsonRpcLineGuard(new BufferedInputStream(System.in), protocolOut, mapper,
                stdinClosed::countDown);
        StdioServerTransportProvider transport = new StdioServerTransportProvider(mapper, stdin, protocolOut);
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo("ms365-mcp", Version.current())
                .jsonMapper(mapper)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(tools.syncToolSpecifications())
                .build();
        stdinClosed.await();
        server.closeGracefully();
    }

    /** The jar's Implementation-Version. */
    static final class Version implements CommandLine.IVersionProvider {
        static String current() {
            String v = StdioMain.class.getPackage().getImplementationVersion();
            return v == null ? "dev" : v;
        }

        @Override
        public String[] getVersion() {
            return new String[] {"ms365-mcp " + current()};
        }
    }
}
