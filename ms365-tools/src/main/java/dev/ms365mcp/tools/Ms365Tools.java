package dev.ms365mcp.tools;

import dev.ms365mcp.auth.AccountManager;
import dev.ms365mcp.auth.TokenProvider;
import dev.ms365mcp.tools.accounts.AccountTools;
import dev.ms365mcp.tools.catalog.Catalog;
import dev.ms365mcp.tools.catalog.ToolDef;
import dev.ms365mcp.tools.discovery.DiscoveryTools;
import dev.ms365mcp.tools.execution.CallContext;
import dev.ms365mcp.tools.execution.Progress;
import dev.ms365mcp.tools.execution.ToolExecutor;
import dev.ms365mcp.tools.graph.Cancellation;
import dev.ms365mcp.tools.graph.GraphClient;
import dev.ms365mcp.tools.local.LocalTool;
import dev.ms365mcp.tools.local.ParseTeamsUrl;
import dev.ms365mcp.tools.safety.Elicitation;
import dev.ms365mcp.tools.safety.SafetyGate;
import dev.ms365mcp.tools.safety.SafetySettings;
import dev.ms365mcp.tools.selection.ToolSelection;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Microsoft 365 tools for an MCP server: pick settings and a token source, then hand the tool
 * specifications to the SDK's server builder.
 *
 * <pre>{@code
 * Ms365Tools tools = Ms365Tools.builder()
 *         .settings(ToolSettings.defaults())
 *         .tokenProvider(myTokens)
 *         .build();
 * McpServer.sync(transport)
 *         .jsonSchemaValidator(tools.schemaValidator())
 *         .tools(tools.syncToolSpecifications())
 *         .build();
 * }</pre>
 */
public final class Ms365Tools {

    private static final String DEFAULT_GRAPH_ROOT = "https://graph.microsoft.com";

    /**
     * The MCP transport-context key under which a multi-user server (the HTTP launcher's context
     * extractor) puts the authenticated caller's opaque user key; each call's token is asked for it.
     * Absent in a single-user process.
     */
    public static final String PRINCIPAL = "ms365.principal";

    /**
     * The {@code _meta} key of a {@code tools/call} under which the transport puts an opaque key for
     * that request (e.g. its JSON-RPC id, with the session id in a multi-session server), so that
     * {@code notifications/cancelled} for it can reach the running call through {@link #cancel}. The
     * SDK passes neither the request id nor cancellations to tool handlers, so this is the hook. A
     * transport must overwrite any value the client sent under this key.
     */
    public static final String REQUEST_KEY_META = "dev.ms365mcp/requestKey";

    /**
     * The MCP transport-context key under which a server may put a {@link TokenProvider} for this one
     * request, built from the credential the caller sent (on-behalf-of: the caller's Entra token as the
     * assertion; legacy passthrough: the bearer itself). It wins over the builder's provider. The
     * credential travels with the call it belongs to, so no map of callers' tokens is kept anywhere.
     */
    public static final String TOKEN_PROVIDER = "ms365.tokenProvider";

    /** The tool that hands out upload URLs, offered only with {@link Builder#fileLinks}. */
    public static final String UPLOAD_LINK = "create-upload-link";

    private final List<ToolDef> tools;
    private final Map<String, ToolDef> byName;
    private final ToolExecutor executor;
    private final ToolSelection selection;
    private final Map<String, LocalTool> discovery;
    private final List<ToolDef> offered;
    private final CatalogSchemaValidator schemaValidator = new CatalogSchemaValidator();
    private final Map<String, McpSchema.Tool> listed = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Cancellation> running = new java.util.concurrent.ConcurrentHashMap<>();
    private final boolean allowPagination;
    private final SafetyGate safety;
    private final List<ToolDef> catalogTools;
    private final ToolSettings settings;

    private Ms365Tools(Builder b) {
        TokenProvider tokens = Objects.requireNonNull(b.tokens, "tokenProvider is required");
        if (b.accounts != null) {
            new AccountTools(b.accounts, this::requiredScopes).tools().forEach(b.localTools::putIfAbsent);
        }
        if (b.fileLinks != null) {
            b.localTools.putIfAbsent(UPLOAD_LINK, new LocalTool() {
                @Override
                public CallToolResult call(Map<String, Object> arguments) {
                    return call(arguments, CallContext.LOCAL);
                }

                @Override
                public CallToolResult call(Map<String, Object> arguments, CallContext context) {
                    return Ms365Tools.this.executor.uploadLink(arguments, context);
                }
            });
        }
        if (b.settings.localFiles()) {
            b.localTools.putIfAbsent(dev.ms365mcp.tools.local.ListLocalFiles.NAME, new dev.ms365mcp.tools.local.ListLocalFiles(
                    new dev.ms365mcp.tools.execution.FilesFolder(b.downloadFolder)));
        }
        this.selection = new ToolSelection(b.settings, tokens.appOnly(), b.localTools.keySet());
        this.catalogTools = b.catalog.tools();
        this.settings = b.settings;
        List<ToolDef> selected = selection.select(b.catalog.tools());
        this.offered = selected;
        this.safety = new SafetyGate(b.safety, b.catalog.tools());
        this.executor = new ToolExecutor(b.settings, tokens,
                new GraphClient(b.graphRoot, b.settings.maxRetries(), b.settings.graph(), b.graphObserver), b.localTools,
                b.catalog.tools(),
                safety, b.downloadFolder);
        this.allowPagination = b.settings.allowPagination();
        this.executor.accountArgument(b.accountArgument);
        this.executor.fileLinks(b.fileLinks);
        if (b.settings.discovery()) {
            // Only the three discovery tools are listed; they search and run the selected ones.
            this.discovery = new DiscoveryTools(selected, executor::call).tools();
            this.tools = Catalog.discoveryTools();
        } else {
            this.discovery = Map.of();
            this.tools = selected;
        }
        this.byName = tools.stream().collect(Collectors.toUnmodifiableMap(ToolDef::name, t -> t));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The tools listed to clients, in catalog order (in discovery mode: the three discovery tools). */
    public List<ToolDef> tools() {
        return tools;
    }

    /** The tools this configuration offers (in discovery mode: those found through search-tools). */
    public List<ToolDef> offeredTools() {
        return offered;
    }

    /** The delegated scopes the offered tools need: what a login asks consent for. */
    public Set<String> requiredScopes() {
        return offered.stream().flatMap(t -> t.scopes().stream()).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Why {@code name} is not among the listed tools, in words for the model: read-only or personal
     * mode hides it, this configuration leaves it out, or no such tool exists. Null when it is listed.
     */
    public String unavailableReason(String name) {
        if (byName.containsKey(name)) {
            return null;
        }
        ToolDef known = catalogTools.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
        if (known == null) {
            return "Unknown tool '" + name + "': no such tool exists. tools/list shows the available ones.";
        }
        if (settings.readOnly() && !known.readOnly()) {
            return "The tool '" + name + "' is hidden because this server runs read-only (--read-only / READ_ONLY=true)"
                    + " and the tool changes data. Nothing was sent.";
        }
        if (known.orgOnly() && !settings.orgMode()) {
            return "The tool '" + name + "' is a work/school tool, offered only in org mode: start the server with "
                    + "--org-mode (MS365_MCP_ORG_MODE=true).";
        }
        if (settings.discovery()) {
            return "'" + name + "' is not called directly in discovery mode: find it with search-tools and run it "
                    + "with execute-tool.";
        }
        return "The tool '" + name + "' is not offered in this configuration (--preset, --enabled-tools / "
                + "ENABLED_TOOLS, MS365_MCP_ALLOWED_SCOPES or the sign-in kind leave it out).";
    }

    /**
     * Calls a tool by name. A tool that exists but is not offered (org-only, write tool in
     * read-only mode...) is refused the same way as an unknown one, before anything is sent.
     */
    public CallToolResult call(String name, Map<String, Object> arguments) {
        ToolDef tool = byName.get(name);
        if (tool == null) {
            return ToolResults.error(unavailableReason(name));
        }
        return invoke(tool, arguments);
    }

    /** Calls a tool by name for {@code context}'s caller, reporting long work (pages, downloads) to its progress. */
    public CallToolResult call(String name, Map<String, Object> arguments, CallContext context) {
        ToolDef tool = byName.get(name);
        return tool == null ? call(name, arguments) : invoke(tool, arguments, context);
    }

    private CallToolResult invoke(ToolDef tool, Map<String, Object> arguments) {
        return invoke(tool, arguments, CallContext.LOCAL);
    }

    /** Every call ends here: run it, and write its audit line (one per call, execute-tool included). */
    private CallToolResult invoke(ToolDef tool, Map<String, Object> arguments, CallContext caller) {
        CallContext context = safety.track(caller, tool.name());
        LocalTool discoveryTool = discovery.get(tool.name());
        CallToolResult result;
        if (discoveryTool == null) {
            result = executor.call(tool, arguments, context);
        } else {
            try {
                result = discoveryTool.call(arguments == null ? Map.of() : arguments, context);
            } catch (Throwable t) {
                result = ToolExecutor.failed(tool, t);
            }
        }
        safety.finish(context, result);
        return result;
    }

    /**
     * Cancels the running call that {@code principal} (null: the local user) started with
     * {@code requestKey} under {@link #REQUEST_KEY_META}: its Graph exchange is aborted, a wait for
     * {@code Retry-After} ends, and the call returns an error at once.
     *
     * @return false when no such call is running (already finished, or never tagged)
     */
    public boolean cancel(String principal, String requestKey) {
        Cancellation c = running.get(runningKey(principal, requestKey));
        if (c == null) {
            return false;
        }
        c.cancel();
        return true;
    }

    /** Runs a call from the SDK, cancellable through {@link #cancel} when the transport tagged it. */
    private CallToolResult invokeTagged(ToolDef tool, McpSchema.CallToolRequest request, CallContext base) {
        Object requestKey = request.meta() == null ? null : request.meta().get(REQUEST_KEY_META);
        if (requestKey == null) {
            return invoke(tool, request.arguments(), base);
        }
        String key = runningKey(base.principal(), String.valueOf(requestKey));
        Cancellation cancellation = new Cancellation();
        running.put(key, cancellation);
        try {
            return invoke(tool, request.arguments(), base.withCancellation(cancellation));
        } finally {
            running.remove(key, cancellation);
        }
    }

    private static String runningKey(String principal, String requestKey) {
        return (principal == null ? "" : principal) + "\u0000" + requestKey;
    }

    /**
     * The caller from the transport context, its session, MCP progress notifications if the client sent
     * a progress token, and elicitation if the client declared it.
     */
    private static CallContext contextOf(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        if (exchange == null) {
            return CallContext.LOCAL;
        }
        McpTransportContext transport = exchange.transportContext();
        Object token = request.meta() == null ? null : request.meta().get("progressToken");
        Progress progress = token == null ? Progress.NONE : (done, total, message) -> exchange.progressNotification(
                new McpSchema.ProgressNotification(token, done, total, message, null));
        return new CallContext(principalOf(transport), progress, Cancellation.NEVER, exchange.sessionId(),
                elicitation(exchange), null, tokensOf(transport));
    }

    /** A yes/no question through the client, if it declared elicitation. */
    private static Elicitation elicitation(McpSyncServerExchange exchange) {
        McpSchema.ClientCapabilities caps = exchange.getClientCapabilities();
        if (caps == null || caps.elicitation() == null) {
            return null;
        }
        return message -> {
            try {
                McpSchema.ElicitResult answer = exchange.createElicitation(McpSchema.ElicitRequest.builder()
                        .message(message).requestedSchema(CONFIRM_SCHEMA).build());
                return answer.action() == McpSchema.ElicitResult.Action.ACCEPT && answer.content() != null
                        && Boolean.TRUE.equals(answer.content().get("confirm"));
            } catch (RuntimeException e) {
                return false; // no answer (timeout, client error) is not a yes
            }
        };
    }

    private static final Map<String, Object> CONFIRM_SCHEMA = Map.of("type", "object",
            "properties", Map.of("confirm", Map.of("type", "boolean", "title", "Go ahead",
                    "description", "Tick to let the assistant do this")),
            "required", List.of("confirm"));

    private static String principalOf(McpTransportContext transport) {
        return transport != null && transport.get(PRINCIPAL) instanceof String p ? p : null;
    }

    private static TokenProvider tokensOf(McpTransportContext transport) {
        return transport != null && transport.get(TOKEN_PROVIDER) instanceof TokenProvider t ? t : null;
    }

    /**
     * Redeems a download link (see {@link Builder#fileLinks}): the stored Graph request with a fresh token for
     * {@code principal} ({@code requestTokens}: the redeeming request's own credential, in modes that have one),
     * its body streamed into {@code sink}. Returns Graph's answer (an error's body included).
     */
    public dev.ms365mcp.tools.graph.GraphResponse fetchContent(dev.ms365mcp.tools.links.ContentLink content,
            String principal, TokenProvider requestTokens, dev.ms365mcp.tools.graph.ContentSink sink) {
        return executor.fetchContent(content, principal, requestTokens, sink);
    }

    /**
     * Redeems an upload link: {@code body} goes to the folder or draft the link names, in chunks, never whole
     * in memory. The result names what was created, or says what went wrong.
     */
    public CallToolResult upload(dev.ms365mcp.tools.links.UploadLink upload, String principal, TokenProvider requestTokens,
            dev.ms365mcp.tools.execution.UploadSource body) {
        return executor.upload(upload, principal, requestTokens, body);
    }

    /**
     * For the server builder's {@code jsonSchemaValidator(...)}: skips the start-up meta-schema check
     * of catalog schemas (done at build time) and creates the argument validator on first use.
     */
    public JsonSchemaValidator schemaValidator() {
        return schemaValidator;
    }

    /** For {@code McpServer.sync(...)} with a STDIO or streamable HTTP transport. */
    public List<McpServerFeatures.SyncToolSpecification> syncToolSpecifications() {
        return tools.stream().map(t -> McpServerFeatures.SyncToolSpecification.builder()
                .tool(listed(t))
                .callHandler((exchange, request) -> invokeTagged(t, request, contextOf(exchange, request)))
                .build()).toList();
    }

    /** For {@code McpServer.sync(statelessTransport)}. */
    public List<McpStatelessServerFeatures.SyncToolSpecification> statelessToolSpecifications() {
        return tools.stream().map(t -> McpStatelessServerFeatures.SyncToolSpecification.builder()
                .tool(listed(t))
                .callHandler((transport, request) -> invokeTagged(t, request,
                        new CallContext(principalOf(transport), Progress.NONE, tokensOf(transport))))
                .build()).toList();
    }

    private McpSchema.Tool listed(ToolDef t) {
        return listed.computeIfAbsent(t.name(), n -> {
            McpSchema.Tool tool = mcpTool(t, !discovery.isEmpty() && n.equals(DiscoveryTools.EXECUTE)
                    ? runnerAnnotations(offered) : annotations(t), allowPagination);
            schemaValidator.prevalidated(tool.inputSchema());
            return tool;
        });
    }

    /**
     * The MCP tool as listed: name, description, input schema and behaviour hints. The schema map
     * holds the catalog's JSON nodes as they are (Jackson writes them directly), not a deep copy.
     */
    static McpSchema.Tool mcpTool(ToolDef t) {
        return mcpTool(t, annotations(t), true);
    }

    /** {@code allowPagination} false: {@code fetchAllPages} is not listed (MS365_MCP_ALLOW_PAGINATION=false). */
    private static McpSchema.Tool mcpTool(ToolDef t, ToolAnnotations annotations, boolean allowPagination) {
        Map<String, Object> schema = new java.util.LinkedHashMap<>();
        t.inputSchema().properties().forEach(e -> schema.put(e.getKey(),
                e.getValue().isString() ? e.getValue().asString() : e.getValue()));
        if (!allowPagination && t.pageable() && schema.get("properties") instanceof tools.jackson.databind.node.ObjectNode p
                && p.has("fetchAllPages")) {
            tools.jackson.databind.node.ObjectNode copy = p.deepCopy();
            copy.remove("fetchAllPages");
            schema.put("properties", copy);
        }
        return McpSchema.Tool.builder(t.name(), schema).description(t.description()).annotations(annotations).build();
    }

    /**
     * The hints of a tool that runs any of {@code runnable} (discovery's execute-tool): read-only when every one
     * is, destructive when any is, idempotent only when all are. Under read-only mode without account tools
     * that is a read-only tool; with a login, logout is among them and the hints say so.
     */
    static ToolAnnotations runnerAnnotations(List<ToolDef> runnable) {
        ToolAnnotations.Builder a = ToolAnnotations.builder();
        if (runnable.stream().allMatch(ToolDef::readOnlyHint)) {
            return a.readOnlyHint(true).build();
        }
        List<ToolDef> writers = runnable.stream().filter(t -> !t.readOnlyHint()).toList();
        a.destructiveHint(writers.stream().anyMatch(ToolDef::destructive));
        if (writers.stream().allMatch(ToolDef::idempotent)) {
            a.idempotentHint(true);
        }
        return a.build();
    }

    /**
     * Only hints that differ from the MCP defaults are sent (destructive, non-idempotent, open
     * world): every byte of tools/list is paid for by the model on every turn.
     */
    static ToolAnnotations annotations(ToolDef t) {
        ToolAnnotations.Builder a = ToolAnnotations.builder();
        if (t.readOnlyHint()) {
            a.readOnlyHint(true);
        } else {
            a.destructiveHint(t.destructive());
            if (t.idempotent()) {
                a.idempotentHint(true);
            }
        }
        if (t.method() == ToolDef.HttpMethod.LOCAL) {
            a.openWorldHint(false);
        }
        return a.build();
    }

    public static final class Builder {
        private ToolSettings settings = ToolSettings.defaults();
        private TokenProvider tokens;
        private URI graphRoot = URI.create(DEFAULT_GRAPH_ROOT);
        private Catalog catalog = Catalog.builtIn();
        private final Map<String, LocalTool> localTools = new java.util.LinkedHashMap<>();
        private AccountManager accounts;
        private SafetySettings safety = SafetySettings.off();
        private boolean accountArgument = true;
        private dev.ms365mcp.tools.graph.GraphCallObserver graphObserver = dev.ms365mcp.tools.graph.GraphCallObserver.NONE;
        private dev.ms365mcp.tools.links.FileLinks fileLinks;
        private java.nio.file.Path downloadFolder = dev.ms365mcp.tools.execution.ToolExecutor.defaultDownloadFolder();

        private Builder() {
            localTools.put(ParseTeamsUrl.NAME, new ParseTeamsUrl());
        }

        /**
         * Implements the catalog's LOCAL row {@code name} (e.g. the account tools of a login-capable
         * launcher). Built in: {@code parse-teams-url}.
         */
        public Builder localTool(String name, LocalTool tool) {
            localTools.put(name, Objects.requireNonNull(tool));
            return this;
        }

        public Builder settings(ToolSettings settings) {
            this.settings = Objects.requireNonNull(settings);
            return this;
        }

        public Builder tokenProvider(TokenProvider tokens) {
            this.tokens = tokens;
            return this;
        }

        /** Graph root without version, e.g. {@code https://graph.microsoft.com} (national clouds, tests). */
        public Builder graphRoot(URI graphRoot) {
            this.graphRoot = Objects.requireNonNull(graphRoot);
            return this;
        }

        /** Offers the account tools (login, logout, list-accounts...) over this account manager. */
        public Builder accountManager(AccountManager accounts) {
            this.accounts = accounts;
            return this;
        }

        /** Confirmation, recipient domain guard, untrusted-read rule and audit log (default: all off). */
        public Builder safety(SafetySettings safety) {
            this.safety = Objects.requireNonNull(safety);
            return this;
        }

        /**
         * Whether tool calls may pick a cached account with their {@code account} argument (default yes). A
         * multi-user server says no: each request acts as the user behind its bearer token.
         */
        public Builder accountArgument(boolean allowed) {
            this.accountArgument = allowed;
            return this;
        }

        /**
         * The only folder download-bytes-to-file writes into (created 0700 on first use); default
         * ~/Downloads/ms365-mcp. The launchers take it from {@code MS365_MCP_DOWNLOAD_DIR}.
         */
        public Builder downloadFolder(java.nio.file.Path folder) {
            this.downloadFolder = Objects.requireNonNull(folder);
            return this;
        }

        /** Hears every Graph exchange (tool, method, status, duration, throttling, retry), e.g. for metrics. */
        public Builder graphObserver(dev.ms365mcp.tools.graph.GraphCallObserver observer) {
            this.graphObserver = Objects.requireNonNull(observer);
            return this;
        }

        /**
         * Files by link, for a server whose users are not on its machine: bytes tools return a link to the
         * content, and {@code create-upload-link} is offered (default: none, bytes inline).
         */
        public Builder fileLinks(dev.ms365mcp.tools.links.FileLinks links) {
            this.fileLinks = links;
            return this;
        }

        public Builder catalog(Catalog catalog) {
            this.catalog = Objects.requireNonNull(catalog);
            return this;
        }

        public Ms365Tools build() {
            return new Ms365Tools(this);
        }
    }
}
