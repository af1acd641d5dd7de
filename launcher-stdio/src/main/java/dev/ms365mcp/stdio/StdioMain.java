package dev.ms365mcp.stdio;

import dev.ms365mcp.auth.AccountManager;
import dev.ms365mcp.launcher.CommandLines;
import dev.ms365mcp.launcher.DotEnv;
import dev.ms365mcp.launcher.FastFlags;
import dev.ms365mcp.launcher.ToolFlags;
import dev.ms365mcp.launcher.Version;
import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.TokenProvider;
import dev.ms365mcp.auth.TokenProviders;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolSettings;
import dev.ms365mcp.tools.safety.SafetySettings;
import dev.ms365mcp.tools.catalog.Catalog;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpError;
import dev.ms365mcp.tools.ToolResults;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedInputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The desktop jar: Microsoft 365 tools over MCP STDIO. Stdout carries JSON-RPC and nothing else:
 * {@code System.out} is pointed at stderr before anything can print, and logs go to stderr.
 * Flags keep the names of the TypeScript reference server and win over their environment variables.
 */
@Command(name = "ms365-mcp", mixinStandardHelpOptions = true, versionProvider = StdioMain.VersionText.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Microsoft 365 (Microsoft Graph) tools for AI assistants, over MCP STDIO.",
        footer = {"", "Environment (flags win over variables; README.md lists them all):",
            "  MS365_MCP_CLIENT_ID          application (client) id of your Entra app registration",
            "  MS365_MCP_TENANT_ID          tenant id or domain; 'consumers' for personal accounts",
            "  MS365_MCP_TOKEN_CACHE_PATH   encrypted token cache file (key beside it, or MS365_MCP_CACHE_KEY)",
            "  MS365_MCP_SELECTED_ACCOUNT_PATH  file remembering the selected account",
            "  MS365_MCP_ORG_MODE=true      same as --org-mode",
            "  READ_ONLY=true               same as --read-only",
            "  ENABLED_TOOLS=<regex>        same as --enabled-tools",
            "  MS365_MCP_OAUTH_TOKEN        a Graph access token to use instead of signing in",
            "  MS365_MCP_FILES_DIR          the only folder tools read local files from and write them into (~/Downloads/ms365-mcp)",
            "  MS365_MCP_DOWNLOAD_DIR       the same, older name (used when MS365_MCP_FILES_DIR is not set)",
            "  LOG_LEVEL, SILENT            logging on stderr"})
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

        @Option(names = "--keep-tokens", description = "Refresh every cached account on MS365_MCP_REFRESH_INTERVAL until stopped (container main process); at a terminal, sign in if needed and exit.")
        boolean keepTokens;
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
        // JDK 25's BigDecimal initializer computes 5^65536 (20-70 ms); Jackson's parser needs the class
        // first thing. Initialized here, it is ready when the catalog thread gets to parsing.
        java.math.BigDecimal.ZERO.signum();
        Map<String, String> env = DotEnv.withAppRegistration(System.getenv(), Path.of(".env"));
        StdioMain serving = new StdioMain(protocolOut, env);
        if (FastFlags.bind(serving.tools, args)) {
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
        CommandLine cli = CommandLines.of(new StdioMain(protocolOut, env), "ms365-mcp");
        cli.setOut(new PrintWriter(protocolOut, true));
        cli.setErr(new PrintWriter(System.err, true));
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
        McpJsonMapper mapper = null;
        if (accountCommand == null && !authBrowser && !listPermissions) {
            mapper = JsonRpcLineGuard.limitedMcpMapper();
            try {
                warmUp(mapper);
            } catch (java.io.IOException | RuntimeException e) {
                // Only a head start: the real messages build whatever this did not.
            }
        }
        Ms365Tools.Builder builder = Ms365Tools.builder();
        builder.downloadFolder(dev.ms365mcp.tools.execution.FilesFolder.fromEnvironment(effective));
        Ms365Tools tools = builder
                .settings(settings)
                .tokenProvider(tokens)
                .accountManager(accounts)
                .graphRoot(auth.endpoint().graphRoot())
                .safety(SafetySettings.fromEnv(effective, AuthSettings.defaultConfigDir(effective,
                        System.getProperty("os.name", ""), Path.of(System.getProperty("user.home", "."))).resolve("logs")))
                .build();
        String unmatched = this.tools.unmatchedPatternWarning(effective, tools.offeredTools().size());
        if (unmatched != null) {
            System.err.println("ms365-mcp: warning: " + unmatched);
        }
        if (listPermissions) {
            Map<String, Object> permissions = new java.util.LinkedHashMap<>();
            permissions.put("scopes", tools.requiredScopes());
            if (unmatched != null) {
                permissions.put("warning", unmatched);
            }
            protocolOut.println(JsonMapper.shared().writeValueAsString(permissions));
            return 0;
        }
        if (accountCommand != null && accountCommand.keepTokens) {
            return TokenKeeper.run(accounts, tools.requiredScopes(), effective, new PrintWriter(protocolOut, true));
        }
        if (authBrowser && (accountCommand == null || accountCommand.login)) {
            return new AccountCli(accounts, new PrintWriter(protocolOut, true)).loginInBrowser(tools.requiredScopes());
        }
        if (accountCommand != null) {
            return new AccountCli(accounts, new PrintWriter(protocolOut, true)).run(accountCommand, tools.requiredScopes());
        }
        serve(tools, mapper);
        return 0;
    }

    /** Serves until stdin ends (the client is gone) and every request read is answered, then closes the session. */
    private void serve(Ms365Tools tools, McpJsonMapper mapper) throws InterruptedException {
        JsonRpcAnswers answers = new JsonRpcAnswers(protocolOut, JsonMapper.shared());
        CountDownLatch stdinClosed = new CountDownLatch(1);
        JsonRpcLineGuard stdin = new JsonRpcLineGuard(new BufferedInputStream(System.in), answers, mapper,
                tools::unavailableReason, stdinClosed::countDown, new CancellationRelay(mapper, tools::cancel));
        StdioServerTransportProvider transport = new StdioServerTransportProvider(mapper, stdin, answers);
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo("ms365-mcp", Version.of(StdioMain.class))
                .instructions(INSTRUCTIONS)
                .jsonMapper(mapper)
                .jsonSchemaValidator(tools.schemaValidator())
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .requestTimeout(java.time.Duration.ofMinutes(5)) // a confirmation question waits for a person
                .tools(tools.syncToolSpecifications().stream().map(StdioMain::answeringEveryFailure).toList())
                .build();
        stdinClosed.await();
        server.closeGracefully();
    }

    /**
     * The mapper's first use — building the (de)serializers of initialize and tools/list — done while
     * the catalog thread parses, instead of after the client's initialize has arrived.
     */
    static void warmUp(McpJsonMapper mapper) throws java.io.IOException {
        var request = (McpSchema.JSONRPCRequest) McpSchema.deserializeJsonRpcMessage(mapper, "{\"jsonrpc\":\"2.0\",\"id\":0,"
                + "\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"roots\":"
                + "{\"listChanged\":true},\"sampling\":{},\"elicitation\":{}},\"clientInfo\":{\"name\":\"w\",\"version\":\"0\"}}}");
        var init = mapper.convertValue(request.params(), McpSchema.InitializeRequest.class);
        mapper.writeValueAsString(McpSchema.JSONRPCResponse.result(0, new McpSchema.InitializeResult(init.protocolVersion(),
                McpSchema.ServerCapabilities.builder().tools(false).build(), init.clientInfo(), INSTRUCTIONS)));
        McpSchema.deserializeJsonRpcMessage(mapper, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        Map<String, Object> schema = Map.of("type", "object", "properties", JsonNodeFactory.instance.objectNode());
        mapper.writeValueAsString(McpSchema.JSONRPCResponse.result(1, new McpSchema.ListToolsResult(List.of(McpSchema.Tool
                .builder("w", schema).description("w").annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(true)
                .build()).build()), null)));
    }

    /**
     * The tool with any {@link Throwable} of one call turned into that call's error result. Reactor
     * treats {@code StackOverflowError} and {@code OutOfMemoryError} as fatal and drops the request
     * unanswered; here they end only the call that caused them.
     */
    static McpServerFeatures.SyncToolSpecification answeringEveryFailure(McpServerFeatures.SyncToolSpecification spec) {
        String name = spec.tool().name();
        return McpServerFeatures.SyncToolSpecification.builder().tool(spec.tool()).callHandler((exchange, request) -> {
            try {
                return spec.callHandler().apply(exchange, request);
            } catch (McpError e) {
                throw e;
            } catch (Throwable e) {
                // The type only: an exception's text may quote arguments or Graph content.
                System.err.println("ms365-mcp: " + name + " failed with " + e.getClass().getSimpleName());
                String why = e instanceof StackOverflowError ? "the request or its answer is nested too deeply"
                        : e instanceof OutOfMemoryError ? "the answer did not fit in the server's memory (-Xmx); "
                                + "ask for less, e.g. a smaller top or $select"
                        : "an internal error stopped it";
                return ToolResults.error(name + " did not complete: " + why + ". The server keeps serving.");
            }
        }).build();
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
