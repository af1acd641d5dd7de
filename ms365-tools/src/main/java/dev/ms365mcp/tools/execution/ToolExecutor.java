package dev.ms365mcp.tools.execution;

import static dev.ms365mcp.tools.ToolResults.text;
import static dev.ms365mcp.tools.ToolResults.error;
import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.TokenProvider;
import dev.ms365mcp.auth.TokenRequest;
import dev.ms365mcp.tools.ToolSettings;
import dev.ms365mcp.tools.catalog.Param;
import dev.ms365mcp.tools.catalog.ToolDef;
import dev.ms365mcp.tools.catalog.ToolDef.ResponseKind;
import dev.ms365mcp.tools.graph.GraphCall;
import dev.ms365mcp.tools.graph.GraphClient;
import dev.ms365mcp.tools.graph.GraphResponse;
import dev.ms365mcp.tools.graph.CallScope;
import dev.ms365mcp.tools.graph.GraphCallException;
import dev.ms365mcp.tools.graph.ContentSink;
import dev.ms365mcp.tools.links.ContentLink;
import dev.ms365mcp.tools.links.FileLinks;
import dev.ms365mcp.tools.links.StoredCall;
import dev.ms365mcp.tools.links.UploadLink;
import dev.ms365mcp.tools.local.LocalTool;
import dev.ms365mcp.tools.safety.SafetyGate;
import io.modelcontextprotocol.spec.McpSchema.BlobResourceContents;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.EmbeddedResource;
import java.net.URI;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs one tool call against Graph: refuses what read-only mode forbids before anything leaves the
 * process, checks the arguments, gets a token, sends, follows pages when asked, and shapes the
 * answer. Every failure becomes an {@code isError} result that says what to do; nothing throws.
 *
 * <p>Rows say how their exchange differs: {@code workbookSession} (Excel changes inside a persistent
 * session), {@code scopesFromTarget} (the token's scopes are those of the endpoint reached), and the
 * response kind: bytes as an embedded resource, a new local file, a download URL, or a {@code $batch}
 * whose throttled steps are sent again.
 */
public final class ToolExecutor {

    private static final Logger log = LoggerFactory.getLogger(ToolExecutor.class);

    private final ToolSettings settings;
    private final TokenProvider tokens;
    private final GraphClient graph;
    private final JsonMapper json = JsonMapper.shared();
    private final GraphCallFactory calls;
    private final ResultShaper shaper;
    private final GraphErrorMessages errors;
    private final TeamsMessages teamsMessages;

    private final Map<String, LocalTool> localTools;
    private final TargetScopes targetScopes;
    private final WorkbookSessions sessions;
    private final JsonBatch batch;
    private final Downloads downloads;
    private final Uploads uploads;
    private final SafetyGate safety;
    private final Map<String, ToolDef> rows;
    private volatile boolean accountArgument = true;
    private volatile FileLinks fileLinks;

    public ToolExecutor(ToolSettings settings, TokenProvider tokens, GraphClient graph, Map<String, LocalTool> localTools) {
        this(settings, tokens, graph, localTools, List.of());
    }

    /** {@code catalog}: the rows whose scopes a call without its own (a download target, batch steps) borrows. */
    public ToolExecutor(ToolSettings settings, TokenProvider tokens, GraphClient graph, Map<String, LocalTool> localTools,
            List<ToolDef> catalog) {
        this(settings, tokens, graph, localTools, catalog, null, FilesFolder.defaultFolder());
    }

    /** Where download-bytes-to-file writes when no folder is given: ~/Downloads/ms365-mcp. */
    public static Path defaultDownloadFolder() {
        return FilesFolder.defaultFolder();
    }

    /**
     * @param safety         checks every call just before it is sent (null: none)
     * @param downloadFolder the files folder: the only folder tools read local files from and write them into
     */
    public ToolExecutor(ToolSettings settings, TokenProvider tokens, GraphClient graph, Map<String, LocalTool> localTools,
            List<ToolDef> catalog, SafetyGate safety, Path downloadFolder) {
        this.safety = safety != null ? safety : new SafetyGate(dev.ms365mcp.tools.safety.SafetySettings.off(), catalog);
        this.localTools = Map.copyOf(localTools);
        this.settings = settings;
        this.tokens = tokens;
        this.graph = graph;
        this.teamsMessages = new TeamsMessages(settings.messageSignoffPrefix(), settings.messageSignoffSuffix());
        this.calls = new GraphCallFactory(json, settings.htmlBodies(), teamsMessages, graph.root().toString(),
                graph::sameOrigin);
        this.shaper = new ResultShaper(json, settings.toon(), settings.maxResultChars());
        this.errors = new GraphErrorMessages(json, settings.maxRetries());
        this.targetScopes = new TargetScopes(catalog);
        this.sessions = new WorkbookSessions(graph, json);
        this.batch = new JsonBatch(graph, json, shaper, errors, settings.maxRetries());
        FilesFolder files = new FilesFolder(downloadFolder);
        this.downloads = new Downloads(graph, json, shaper, errors, files);
        this.uploads = new Uploads(graph, json, shaper, errors, files);
        this.rows = catalog.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(ToolDef::name, t -> t,
                (a, b) -> a));
    }

    /**
     * Files by link (a server whose users are elsewhere): bytes tools answer with a link instead of the content,
     * and create-upload-link works. Null (the default): bytes come inline.
     */
    public void fileLinks(FileLinks links) {
        this.fileLinks = links;
    }

    public CallToolResult call(ToolDef tool, Map<String, Object> arguments) {
        return call(tool, arguments, CallContext.LOCAL);
    }

    /**
     * Whether calls may pick a cached account with the {@code account} argument. A multi-user server turns
     * it off: there the caller's identity is the bearer token, never an argument.
     */
    public void accountArgument(boolean allowed) {
        this.accountArgument = allowed;
    }

    /**
     * Runs the call for {@code context}'s caller (whose token is asked for), reporting how far long
     * work got (pages, downloads) to its progress.
     */
    public CallToolResult call(ToolDef tool, Map<String, Object> arguments, CallContext context) {
        try {
            return new CallScope(context.principal(), context.cancellation(), tool.name()).run(() -> run(tool, arguments, context));
        } catch (Throwable t) {
            return failed(tool, t);
        }
    }

    /**
     * Whatever went wrong inside this server while running one call (a bug, a stack or heap exhausted by
     * one request) ends that call only: the caller gets an error naming no class, the log gets the rest,
     * and the stack unwinds so the process keeps serving.
     */
    public static CallToolResult failed(ToolDef tool, Throwable t) {
        log.warn("{} failed inside the server: {}", tool.name(), t.getClass().getName());
        log.debug("{} failure", tool.name(), t);
        String why = t instanceof StackOverflowError ? "the request is nested too deeply to process"
                : t instanceof OutOfMemoryError ? "it needed more memory than this server has (ask for less: top, select, "
                        + "filter; or give the JVM more heap)"
                : "of an internal error (see the server log)";
        return error(tool.name() + " could not be completed because " + why + ". If it changes data, check whether "
                + "the change was made before trying again.");
    }

    private CallToolResult run(ToolDef tool, Map<String, Object> arguments, CallContext context) {
        Progress progress = context.progress();
        Map<String, Object> args = SafetyGate.toolArguments(arguments);
        if (settings.readOnly() && !tool.readOnly()) {
            return error(tool.name() + " changes data, and this server runs in read-only mode (--read-only / "
                    + "READ_ONLY=true). Nothing was sent.");
        }
        if (tool.response().localFile() && !settings.localFiles()) {
            return error(tool.name() + " uses local files, which this server does not allow. Nothing was sent.");
        }
        if (tool.method() == ToolDef.HttpMethod.LOCAL) {
            LocalTool local = localTools.get(tool.name());
            return local == null ? error(tool.name() + " is not available in this server configuration.")
                    : local.call(args, context);
        }
        try {
            GraphCall call = clampTop(calls.build(tool, args));
            ArrayNode steps = null;
            Set<String> scopes = new LinkedHashSet<>(tool.scopes());
            if (tool.response() == ResponseKind.BATCH) {
                steps = batch.steps(call.body());
                call = batch.withSteps(call, steps);
                JsonBatch.targets(steps).forEach(t -> scopes.addAll(targetScopes.of(t.method(), t.path())));
            } else if (tool.scopesFromTarget()) {
                scopes.addAll(targetScopes.of(call.method(), targetPath(tool, call)));
            }
            Path file = tool.response() == ResponseKind.FILE ? downloads.newFile(args.get("outputPath"))
                    : tool.response().localFile() ? uploads.source(args) : null;
            String account = args.get("account") instanceof String s && !s.isBlank() ? s : null;
            if (account != null && !accountArgument) {
                return error("The account argument is not accepted by this server: each request acts as the user "
                        + "its access token belongs to. Call again without 'account'. Nothing was sent.");
            }
            TokenProvider source = context.tokens() != null ? context.tokens() : tokens;
            String token = source.token(new TokenRequest(scopes, account, context.principal())).value();
            GraphCall unsigned = call;
            call = call.withHeader("Authorization", "Bearer " + token);
            CallToolResult stopped = safety.admit(tool, arguments, call, steps, context, lookup(tool, account, context));
            if (stopped != null) {
                return stopped;
            }
            FileLinks links = fileLinks;
            if (tool.response() == ResponseKind.BYTES && links != null) {
                // The caller is elsewhere: the content goes to them by a link, never through the model.
                return links.download(described(tool, unsigned, call, scopes), context.principal());
            }
            return switch (tool.response()) {
                case BATCH -> batch.run(tool, call, steps, answer -> safety.observe(context, answer));
                case FILE -> {
                    progress.report(0, null, "Downloading to " + file);
                    CallToolResult saved = downloads.toFile(tool, call, file);
                    progress.report(1, 1.0, "Download finished");
                    yield saved;
                }
                case DRIVE_UPLOAD -> {
                    try (UploadSource local = UploadSource.of(file)) {
                        yield uploads.toDrive(tool, call, local, args, progress);
                    }
                }
                case ATTACHMENT_UPLOAD -> {
                    try (UploadSource local = UploadSource.of(file)) {
                        yield uploads.toDraft(tool, call, local, args, progress);
                    }
                }
                default -> answer(tool, args, call, context);
            };
        } catch (InvalidArgumentException | AuthException | GraphCallException e) {
            return error(e.getMessage());
        } catch (java.io.IOException e) {
            return error("The local file could not be read (" + e.getClass().getSimpleName() + "). Nothing more was sent.");
        }
    }

    /** The upload tools a link can stand in for, by target: a drive folder, a draft, a shared mailbox's draft. */
    static final String DRIVE_UPLOAD_TOOL = "upload-file-from-path";
    static final String DRAFT_UPLOAD_TOOL = "add-mail-attachment-from-path";
    static final String SHARED_DRAFT_UPLOAD_TOOL = "add-shared-mailbox-attachment-from-path";

    /**
     * {@code create-upload-link}: the target is checked and the request built exactly as the equivalent from-path
     * tool would (its arguments, read-only mode, the caller's token, its safety rules); then {@link FileLinks}
     * mints the link. Nothing is sent to Graph until bytes arrive.
     */
    public CallToolResult uploadLink(Map<String, Object> arguments, CallContext context) {
        FileLinks links = fileLinks;
        if (links == null) {
            return error("Upload links are offered by the HTTP server only. Nothing was created.");
        }
        if (settings.readOnly()) {
            return error("This server runs in read-only mode (--read-only / READ_ONLY=true): no upload link is given.");
        }
        Map<String, Object> args = new java.util.LinkedHashMap<>(SafetyGate.toolArguments(arguments));
        String name = args.get("name") instanceof String n ? n.strip() : "";
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.contains(":") || name.length() > 255) {
            return error("name must be the plain file name to create (no / \\ or :), e.g. report.pdf. No link was made.");
        }
        boolean draft = present(args.get("messageId"));
        if (!draft && (!present(args.get("driveId")) || !present(args.get("parentId")))) {
            return error("Say where the file goes: driveId and parentId (a folder's ID, or root) for OneDrive or "
                    + "SharePoint, or messageId for a draft email. No link was made.");
        }
        ToolDef row = rows.get(!draft ? DRIVE_UPLOAD_TOOL : present(args.get("userId")) ? SHARED_DRAFT_UPLOAD_TOOL
                : DRAFT_UPLOAD_TOOL);
        if (row == null || row.orgOnly() && !settings.orgMode()) {
            return error("A shared mailbox's draft (userId) is a work/school feature, offered only in org mode "
                    + "(--org-mode). No link was made.");
        }
        long cap = draft ? Uploads.ATTACHMENT_SESSION_MAX : Long.MAX_VALUE;
        long max = cap;
        Object requested = args.get("maxBytes");
        if (requested != null) {
            if (!(requested instanceof Number n) || n.longValue() <= 0 || n.doubleValue() != Math.rint(n.doubleValue())) {
                return error("maxBytes must be a positive whole number of bytes. No link was made.");
            }
            max = Math.min(cap, n.longValue());
        }
        String conflict = args.get("conflictBehavior") instanceof String c && !c.isBlank() ? c.strip() : "rename";
        if (!List.of("rename", "replace", "fail").contains(conflict)) {
            return error("conflictBehavior must be rename, replace or fail. No link was made.");
        }
        // The from-path row's local file argument: here the bytes come by link, under this name.
        args.put("path", name);
        Set<String> accepted = row.params().stream().map(Param::name).collect(java.util.stream.Collectors.toSet());
        args.keySet().retainAll(accepted);
        try {
            GraphCall call = calls.build(row, args);
            Set<String> scopes = new LinkedHashSet<>(row.scopes());
            TokenProvider source = context.tokens() != null ? context.tokens() : tokens;
            String token = source.token(new TokenRequest(scopes, null, context.principal())).value();
            CallToolResult stopped = safety.admit(row, arguments, call.withHeader("Authorization", "Bearer " + token), null,
                    context, lookup(row, null, context));
            if (stopped != null) {
                return stopped;
            }
            return links.upload(new UploadLink(row.name(), StoredCall.of(call, scopes), name, conflict, max),
                    context.principal());
        } catch (InvalidArgumentException | AuthException | GraphCallException e) {
            return error(e.getMessage());
        }
    }

    private static boolean present(Object value) {
        return value instanceof String s && !s.isBlank();
    }

    /**
     * Redeems a download link: the stored request, with a fresh token for {@code principal} (or from
     * {@code requestTokens}, the redeeming request's own credential), its body copied into {@code sink}. A 2xx
     * answer comes back with an empty body; any other with Graph's (error) body.
     *
     * @throws AuthException      when no token can be had for the user
     * @throws GraphCallException when Graph cannot be reached, or throttles beyond the accepted wait
     */
    public GraphResponse fetchContent(ContentLink content, String principal, TokenProvider requestTokens,
            ContentSink sink) {
        TokenProvider source = requestTokens != null ? requestTokens : tokens;
        String token = source.token(new TokenRequest(new LinkedHashSet<>(content.call().scopes()), null, principal))
                .value();
        GraphCall call = content.call().toCall().withHeader("Authorization", "Bearer " + token);
        return new CallScope(principal, null).run(() -> graph.stream(call, sink));
    }

    /**
     * Redeems an upload link: {@code body} goes where the link says, as the equivalent from-path tool would
     * send a local file (simple PUT or inline when small, else an upload session in chunks).
     */
    public CallToolResult upload(UploadLink upload, String principal, TokenProvider requestTokens, UploadSource body) {
        ToolDef row = rows.get(upload.tool());
        if (row == null || settings.readOnly() && !row.readOnly()) {
            return error("This server no longer takes uploads (read-only mode). Nothing was uploaded.");
        }
        try {
            TokenProvider source = requestTokens != null ? requestTokens : tokens;
            String token = source.token(new TokenRequest(new LinkedHashSet<>(upload.call().scopes()), null, principal))
                    .value();
            GraphCall call = upload.call().toCall().withHeader("Authorization", "Bearer " + token);
            Map<String, Object> args = Map.of("name", upload.fileName(), "conflictBehavior",
                    upload.conflictBehavior() == null ? "rename" : upload.conflictBehavior());
            return new CallScope(principal, null).run(() -> {
                try {
                    return row.response() == ResponseKind.DRIVE_UPLOAD
                            ? uploads.toDrive(row, call, body, args, Progress.NONE)
                            : uploads.toDraft(row, call, body, args, Progress.NONE);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (InvalidArgumentException | AuthException | GraphCallException e) {
            return error(e.getMessage());
        } catch (java.io.UncheckedIOException e) {
            String problem = body.problem();
            return error(problem != null ? "The upload stopped: " + problem + ". Nothing was created."
                    : "The upload stopped: the body could not be read. Nothing was created.");
        }
    }

    /**
     * The link for a bytes call, named after what it fetches: for a driveItem's {@code /content}, one GET of the
     * item's name, size and type (Graph's "no such item" fails the call, so the model hears it now);
     * otherwise a name from the path.
     */
    private ContentLink described(ToolDef tool, GraphCall unsigned, GraphCall signed, Set<String> scopes) {
        ContentLink plain = new ContentLink(tool.name(), StoredCall.of(unsigned, scopes), fileName(unsigned), null, null);
        GraphCall meta = metadata(signed);
        if (meta == null) {
            return plain;
        }
        GraphResponse r = graph.send(meta);
        if (r.status() == 404) {
            throw new GraphCallException(errors.describe(tool, r));
        }
        if (!r.ok()) {
            return plain;
        }
        try {
            JsonNode item = json.readTree(r.body());
            String name = item.path("name").asString("");
            String type = item.path("file").path("mimeType").asString("");
            // ?format=pdf and the like convert: the item's own size and type are not what arrives
            boolean converted = !unsigned.query().isEmpty();
            return new ContentLink(tool.name(), plain.call(), name.isBlank() ? plain.fileName() : safeName(name),
                    type.isBlank() || converted ? null : type,
                    item.path("size").isNumber() && !converted ? item.path("size").asLong() : null);
        } catch (JacksonException e) {
            return plain;
        }
    }

    /** The metadata GET of the item whose {@code .../content} {@code call} reads, or null when it reads none. */
    private static GraphCall metadata(GraphCall call) {
        String given = call.pathTemplate();
        if (given == null) {
            return null;
        }
        Map<String, String> values = new java.util.HashMap<>(call.pathValues());
        String template = given;
        if (given.endsWith("/content")) {
            template = given.substring(0, given.length() - "/content".length());
        } else {
            Map.Entry<String, String> target = values.entrySet().stream()
                    .filter(e -> given.equals("/{+" + e.getKey() + "}") && e.getValue().endsWith("/content"))
                    .findFirst().orElse(null);
            if (target == null) {
                return null;
            }
            values.put(target.getKey(), target.getValue().substring(0, target.getValue().length() - "/content".length()));
        }
        return new GraphCall("GET", template, values, Map.of("$select", "name,size,file"), call.headers(), null, null,
                null);
    }

    /** A name for the file a download link saves: the last meaningful segment of the Graph path. */
    static String fileName(GraphCall call) {
        String path = call.pathTemplate() == null ? String.valueOf(call.absolute()) : call.pathTemplate();
        for (Map.Entry<String, String> v : call.pathValues().entrySet()) {
            path = path.replace("{+" + v.getKey() + "}", v.getValue()).replace("{" + v.getKey() + "}", v.getValue());
        }
        String name = "download";
        for (String segment : path.split("[/:?]")) {
            String s = java.net.URLDecoder.decode(segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
            if (!s.isBlank() && !s.equals("content") && !s.equals("$value") && !s.equals("v1.0") && !s.equals("beta")) {
                name = s;
            }
        }
        return safeName(name);
    }

    /** No path separators or control characters; at most 120 characters; never hidden or empty. */
    static String safeName(String name) {
        String safe = name.replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}]", "_").strip();
        return safe.isEmpty() || safe.startsWith(".") ? "download" : safe.length() > 120 ? safe.substring(0, 120) : safe;
    }

    /** For the safety checks: one GET of a resource a call acts on, with the call's caller and account. */
    private SafetyGate.Lookup lookup(ToolDef tool, String account, CallContext context) {
        return (path, select) -> {
            TokenProvider source = context.tokens() != null ? context.tokens() : tokens;
            String token = source.token(new TokenRequest(new LinkedHashSet<>(targetScopes.of("GET", path)), account,
                    context.principal())).value();
            GraphResponse r = graph.send(new GraphCall("GET", "/{+target}", Map.of("target", path),
                    select == null ? Map.of() : Map.of("$select", select),
                    List.of(Map.entry("Authorization", "Bearer " + token)), null, null, null));
            if (!r.ok()) {
                throw new SafetyGate.LookupFailure(errors.describe(tool, r));
            }
            try {
                return json.readTree(r.body());
            } catch (JacksonException e) {
                throw new SafetyGate.LookupFailure("Graph's answer was not JSON");
            }
        };
    }

    private CallToolResult answer(ToolDef tool, Map<String, Object> args, GraphCall call, CallContext context) {
        GraphResponse response = tool.workbookSession() ? sessions.send(call) : graph.send(call);
        log.debug("{} -> HTTP {}", tool.name(), response.status());
        if (!response.ok()) {
            return error(errors.describe(tool, response));
        }
        if (response.truncated() && tool.response() != ResponseKind.TEXT) {
            return error(tooLarge(tool, response));
        }
        safety.observe(context, response.body());
        // MS365_MCP_ALLOW_PAGINATION=false: the first page only, as the reference does.
        if (Boolean.TRUE.equals(args.get("fetchAllPages")) && tool.pageable() && settings.allowPagination()) {
            return allPages(tool, call, response, context);
        }
        if (tool.response() == ResponseKind.DOWNLOAD_URL) {
            return downloads.downloadUrl(response);
        }
        return success(tool, response);
    }

    /** The request path a scopes-from-target row reaches, e.g. {@code v1.0/me/photo/$value}. */
    private static String targetPath(ToolDef tool, GraphCall call) {
        return tool.params().stream().filter(p -> Param.GRAPH_PATH.equals(p.format()))
                .map(p -> call.pathValues().get(p.name())).filter(v -> v != null).findFirst().orElse("");
    }

    private CallToolResult success(ToolDef tool, GraphResponse response) {
        if (response.body().length == 0) {
            String location = response.header("location");
            return text("Done (HTTP " + response.status() + ")." + (location == null ? "" : " Location: " + location));
        }
        String type = response.contentType();
        if (tool.response() == ResponseKind.BYTES && !isText(type)) {
            String mime = type.isEmpty() ? "application/octet-stream" : type;
            String blob = Base64.getEncoder().encodeToString(response.body());
            if (blob.length() > settings.maxResultChars()) {
                return error("The content is " + response.body().length + " bytes, over the result limit of "
                        + settings.maxResultChars() + " characters (MS365_MCP_MAX_RESULT_CHARS) once base64-encoded. "
                        + "Use get-download-url for a link to it" + (settings.localFiles() ? ", or download-bytes-to-file" : "")
                        + ".");
            }
            return CallToolResult.builder()
                    .addContent(new EmbeddedResource(null, new BlobResourceContents("graph:" + tool.name(), mime, blob, null), null))
                    .build();
        }
        if (tool.response() != ResponseKind.TEXT && type.contains("json")) {
            try {
                return text(shaper.shapeJson(readable(tool, json.readTree(response.body())), tool.keepsEtags()));
            } catch (JacksonException e) {
                return error("Microsoft Graph sent a response that is not valid JSON (HTTP " + response.status() + ").");
            }
        }
        String shaped = shaper.shapeText(response.text());
        return text(response.truncated() ? shaped + "\n\n[" + tooLarge(tool, response) + " The text above is its beginning.]"
                : shaped);
    }

    /** Says that Graph's answer was over the body bound, and what to do. */
    private String tooLarge(ToolDef tool, GraphResponse response) {
        int cap = graph.settings().maxBodyBytes();
        boolean content = tool.response() == ResponseKind.BYTES || tool.response() == ResponseKind.TEXT;
        return "Microsoft Graph's answer is larger than " + cap + " bytes (MS365_MCP_MAX_GRAPH_BODY_BYTES), so it was not "
                + "read in full. "
                + (content ? "For file content use get-download-url" + (settings.localFiles() ? " or download-bytes-to-file" : "")
                        : "Ask for less: fewer items (top), fewer fields (select), a filter")
                + ".";
    }

    /** {@code MS365_MCP_MAX_TOP}: a larger page size is lowered to the cap, as in the reference. */
    private GraphCall clampTop(GraphCall call) {
        String top = call.query().get("$top");
        if (settings.maxTop() <= 0 || top == null) {
            return call;
        }
        try {
            if (Long.parseLong(top.strip()) <= settings.maxTop()) {
                return call;
            }
        } catch (NumberFormatException e) {
            return call;
        }
        Map<String, String> query = new java.util.LinkedHashMap<>(call.query());
        query.put("$top", Integer.toString(settings.maxTop()));
        log.debug("$top {} lowered to {} (MS365_MCP_MAX_TOP)", top, settings.maxTop());
        return new GraphCall(call.method(), call.pathTemplate(), call.pathValues(), query, call.headers(), call.body(),
                call.contentType(), call.absolute());
    }

    /** Text a model reads as is: text/*, JSON, XML, VTT... */
    private static boolean isText(String contentType) {
        String t = contentType.toLowerCase(Locale.ROOT);
        return t.startsWith("text/") || t.contains("json") || t.contains("xml") || t.contains("javascript")
                || t.contains("charset=");
    }

    /** Follows {@code @odata.nextLink} verbatim, bounded by pages and items, merging {@code value}. */
    private CallToolResult allPages(ToolDef tool, GraphCall first, GraphResponse response, CallContext context) {
        Progress progress = context.progress();
        JsonNode page = json.readTree(response.body());
        ArrayNode all = json.createArrayNode();
        all.addAll(items(page));
        String next = link(page, ResultShaper.NEXT_LINK);
        String delta = link(page, ResultShaper.DELTA_LINK);
        int pages = 1;
        progress.report(pages, null, "Fetched page 1 (" + all.size() + " items)");
        String stoppedBy = null;
        while (next != null) {
            if (pages >= settings.maxPages()) {
                stoppedBy = "the page limit (MS365_MCP_MAX_PAGES=" + settings.maxPages() + ")";
                break;
            }
            if (all.size() >= settings.maxItems()) {
                stoppedBy = "the item limit (MS365_MCP_MAX_ITEMS=" + settings.maxItems() + ")";
                break;
            }
            URI uri = URI.create(next);
            if (!graph.sameOrigin(uri)) {
                return error("Graph returned a next page link to another host (" + uri.getHost()
                        + "); it was not followed, so no token left for it.");
            }
            GraphResponse r = graph.send(GraphCall.followLink(uri, first.headers()));
            if (!r.ok()) {
                return error(errors.describe(tool, r) + " This happened on page " + (pages + 1) + " after "
                        + all.size() + " items.");
            }
            if (r.truncated()) {
                return error(tooLarge(tool, r) + " This happened on page " + (pages + 1) + " after " + all.size() + " items.");
            }
            page = json.readTree(r.body());
            safety.observe(context, page);
            all.addAll(items(page));
            next = link(page, ResultShaper.NEXT_LINK);
            String d = link(page, ResultShaper.DELTA_LINK);
            delta = d != null ? d : delta;
            pages++;
            progress.report(pages, null, "Fetched page " + pages + " (" + all.size() + " items)");
        }
        if (all.size() > settings.maxItems()) {
            int dropped = all.size() - settings.maxItems();
            while (all.size() > settings.maxItems()) {
                all.remove(all.size() - 1);
            }
            stoppedBy = "the item limit (MS365_MCP_MAX_ITEMS=" + settings.maxItems() + "); " + dropped
                    + " more items of the last page were left out";
        }
        ObjectNode out = json.createObjectNode();
        out.set("value", all);
        if (stoppedBy != null && next != null) {
            out.put(ResultShaper.NEXT_LINK, next);
        }
        if (delta != null) {
            out.put(ResultShaper.DELTA_LINK, delta);
        }
        if (stoppedBy != null) {
            out.put("note", "Fetched " + all.size() + " items in " + pages + " pages and stopped at " + stoppedBy + ".");
        }
        return text(shaper.shapeJson(readable(tool, out), tool.keepsEtags()));
    }

    /** Message bodies as text for rows that carry Teams messages, unless HTML bodies were asked for. */
    private JsonNode readable(ToolDef tool, JsonNode answer) {
        return "teams".equals(tool.messages()) && !settings.htmlBodies() ? teamsMessages.readable(answer) : answer;
    }

    private static ArrayNode items(JsonNode page) {
        JsonNode v = page.path("value");
        return v instanceof ArrayNode a ? a : JsonMapper.shared().createArrayNode();
    }

    private static String link(JsonNode page, String name) {
        JsonNode n = page.path(name);
        return n.isString() && !n.asString().isBlank() ? n.asString() : null;
    }
}
