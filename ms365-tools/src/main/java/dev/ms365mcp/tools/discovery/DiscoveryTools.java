package dev.ms365mcp.tools.discovery;

import static dev.ms365mcp.tools.ToolResults.text;
import static dev.ms365mcp.tools.ToolResults.error;
import dev.ms365mcp.tools.catalog.ToolDef;
import dev.ms365mcp.tools.execution.CallContext;
import dev.ms365mcp.tools.local.LocalTool;
import dev.ms365mcp.tools.selection.Preset;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Discovery mode ({@code --discovery}): instead of hundreds of tools, the model sees three — search
 * the offered tools, read one's schema, run it. Only tools the configuration offers (org mode,
 * read-only, presets, ENABLED_TOOLS, allowed scopes) can be found or run, and arguments are checked
 * against the real tool's schema before anything is sent.
 */
public final class DiscoveryTools {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final int DEFAULT_LIMIT = 8;
    /** The tool that runs the others: its hints follow what it can run. */
    public static final String EXECUTE = "execute-tool";

    private final Map<String, ToolDef> offered = new LinkedHashMap<>();
    private final ToolSearch search;
    private final Execution execute;
    private final JsonSchemaValidator validator = new DefaultJsonSchemaValidator();

    /**
     * @param offered the tools this configuration offers
     * @param execute runs one of them (the executor, which still enforces read-only)
     */
    public DiscoveryTools(List<ToolDef> offered, Execution execute) {
        offered.forEach(t -> this.offered.put(t.name(), t));
        this.search = new ToolSearch(offered, synonyms());
        this.execute = execute;
    }

    /** Runs an offered tool for the caller of execute-tool. */
    @FunctionalInterface
    public interface Execution {
        CallToolResult run(ToolDef tool, Map<String, Object> arguments, CallContext context);
    }

    /** The implementations by tool name. */
    public Map<String, LocalTool> tools() {
        LocalTool executeTool = new LocalTool() {
            @Override
            public CallToolResult call(Map<String, Object> arguments) {
                return executeTool(arguments, CallContext.LOCAL);
            }

            @Override
            public CallToolResult call(Map<String, Object> arguments, CallContext context) {
                return executeTool(arguments, context);
            }
        };
        return Map.of("search-tools", this::searchTools, "get-tool-schema", this::getToolSchema,
                EXECUTE, executeTool);
    }

    private CallToolResult searchTools(Map<String, Object> args) {
        if (!(args.get("query") instanceof String query) || query.isBlank()) {
            return error("Say what you want to do in 'query', e.g. \"send a message in a Teams channel\".");
        }
        int limit = args.get("limit") instanceof Number n ? Math.max(1, Math.min(50, n.intValue())) : DEFAULT_LIMIT;
        String category = args.get("category") instanceof String c && !c.isBlank() ? c.strip().toLowerCase() : null;
        List<ToolDef> hits = search.search(query, 200).stream().filter(t -> inCategory(t, category)).limit(limit).toList();
        List<Map<String, Object>> out = new ArrayList<>();
        for (ToolDef t : hits) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", t.name());
            row.put("description", t.description());
            if (!t.readOnlyHint()) {
                row.put("writes", true);
            }
            out.add(row);
        }
        if (out.isEmpty()) {
            return text("No offered tool matches \"" + query + "\"" + (category == null ? "" : " in " + category)
                    + ". Try other words, or no category.");
        }
        return text(JSON.writeValueAsString(Map.of("tools", out)));
    }

    private boolean inCategory(ToolDef t, String category) {
        if (category == null) {
            return true;
        }
        Preset p = Preset.all().get(category);
        return p != null ? p.includes(t) : t.area().equals(category);
    }

    private CallToolResult getToolSchema(Map<String, Object> args) {
        ToolDef t = find(args);
        if (t == null) {
            return notOffered(args);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", t.name());
        out.put("description", t.description());
        out.put("inputSchema", t.inputSchema());
        out.put("readOnly", t.readOnlyHint());
        return text(JSON.writeValueAsString(out));
    }

    private CallToolResult executeTool(Map<String, Object> args, CallContext context) {
        ToolDef t = find(args);
        if (t == null) {
            return notOffered(args);
        }
        Object raw = args.getOrDefault("arguments", Map.of());
        if (!(raw instanceof Map<?, ?> m)) {
            return error("'arguments' must be an object with " + t.name() + "'s arguments (see get-tool-schema).");
        }
        Map<String, Object> toolArgs = new HashMap<>();
        m.forEach((k, v) -> toolArgs.put(String.valueOf(k), v));
        @SuppressWarnings("unchecked")
        Map<String, Object> schema = JSON.convertValue(t.inputSchema(), Map.class);
        JsonSchemaValidator.ValidationResponse check = validator.validate(schema, toolArgs);
        if (!check.valid()) {
            return error("Arguments do not match " + t.name() + "'s schema: " + check.errorMessage()
                    + " Use get-tool-schema to see it. Nothing was sent.");
        }
        return execute.run(t, toolArgs, context);
    }

    private ToolDef find(Map<String, Object> args) {
        return args.get("name") instanceof String n ? offered.get(n.strip()) : null;
    }

    private CallToolResult notOffered(Map<String, Object> args) {
        String name = String.valueOf(args.get("name"));
        String close = search.search(name.replace('-', ' '), 3).stream().map(ToolDef::name).collect(Collectors.joining(", "));
        return error("No tool named '" + name + "' is offered here (it may not exist, or be hidden by read-only mode, "
                + "org mode, presets or allowed scopes)." + (close.isEmpty() ? "" : " Close matches: " + close + "."));
    }

    private static Map<String, List<String>> synonyms() {
        try (InputStream in = DiscoveryTools.class.getResourceAsStream("/dev/ms365mcp/tools/catalog/discovery.json")) {
            JsonNode root = JSON.readTree(in);
            Map<String, List<String>> out = new HashMap<>();
            root.path("synonyms").properties().forEach(e -> {
                List<String> words = new ArrayList<>();
                e.getValue().forEach(w -> words.add(w.asString()));
                out.merge(ToolSearch.stem(e.getKey()), words, (a, b) -> {
                    List<String> both = new ArrayList<>(a);
                    both.addAll(b);
                    return both;
                });
            });
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
