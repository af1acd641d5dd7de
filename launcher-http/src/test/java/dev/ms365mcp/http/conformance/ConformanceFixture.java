package dev.ms365mcp.http.conformance;

import dev.ms365mcp.http.transport.McpFeatures;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncCompletionSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.AudioContent;
import io.modelcontextprotocol.spec.McpSchema.BlobResourceContents;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.EmbeddedResource;
import io.modelcontextprotocol.spec.McpSchema.ImageContent;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The tools, resources and prompts the conformance suite's server scenarios call by name (its "everything
 * server" requirements), offered over the same JettyServer wiring as the Microsoft 365 tools.
 */
final class ConformanceFixture implements McpFeatures {

    /** A 1×1 red PNG. */
    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
    /** A minimal WAV header (no samples). */
    static final String WAV = "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=";

    private static Map<String, Object> schema(Map<String, Object> properties, List<String> required) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", "object");
        s.put("properties", properties);
        if (!required.isEmpty()) {
            s.put("required", required);
        }
        return s;
    }

    private static SyncToolSpecification tool(String name, Map<String, Object> schema,
            BiFunction<McpSyncServerExchange, McpSchema.CallToolRequest, CallToolResult> handler) {
        return SyncToolSpecification.builder().tool(McpSchema.Tool.builder(name, schema).description(name).build())
                .callHandler(handler).build();
    }

    private static CallToolResult text(String t) {
        return CallToolResult.builder().addContent(new TextContent(t)).build();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<SyncToolSpecification> tools() {
        Map<String, Object> none = schema(Map.of(), List.of());
        Map<String, Object> json2020 = new LinkedHashMap<>();
        json2020.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        json2020.put("type", "object");
        json2020.put("$defs", Map.of("address", Map.of("type", "object", "properties",
                Map.of("street", Map.of("type", "string"), "city", Map.of("type", "string")))));
        json2020.put("properties", Map.of("name", Map.of("type", "string"), "address", Map.of("$ref", "#/$defs/address")));
        json2020.put("additionalProperties", false);
        return List.of(
                tool("test_simple_text", none, (ex, req) -> text("This is a simple text response for testing.")),
                tool("test_image_content", none, (ex, req) -> CallToolResult.builder()
                        .addContent(new ImageContent(null, PNG, "image/png")).build()),
                tool("test_audio_content", none, (ex, req) -> CallToolResult.builder()
                        .addContent(new AudioContent(null, WAV, "audio/wav")).build()),
                tool("test_embedded_resource", none, (ex, req) -> CallToolResult.builder()
                        .addContent(new EmbeddedResource(null, new TextResourceContents("test://embedded-resource",
                                "text/plain", "This is an embedded resource content."))).build()),
                tool("test_multiple_content_types", none, (ex, req) -> CallToolResult.builder()
                        .addContent(new TextContent("Multiple content types test:"))
                        .addContent(new ImageContent(null, PNG, "image/png"))
                        .addContent(new EmbeddedResource(null, new TextResourceContents("test://mixed-content-resource",
                                "application/json", "{\"test\":\"data\",\"value\":123}"))).build()),
                tool("test_tool_with_logging", none, (ex, req) -> {
                    for (String m : List.of("Tool execution started", "Tool processing data", "Tool execution completed")) {
                        ex.loggingNotification(McpSchema.LoggingMessageNotification.builder()
                                .level(McpSchema.LoggingLevel.INFO).data(m).build());
                        sleep(50);
                    }
                    return text("Tool with logging executed successfully");
                }),
                tool("test_error_handling", none, (ex, req) -> CallToolResult.builder().isError(true)
                        .addContent(new TextContent("This tool intentionally returns an error for testing")).build()),
                tool("test_tool_with_progress", none, (ex, req) -> {
                    Object token = req.meta() == null ? null : req.meta().get("progressToken");
                    for (int p = 0; p <= 100; p += 50) {
                        if (token != null) {
                            ex.progressNotification(new McpSchema.ProgressNotification(token, (double) p, 100.0, null, null));
                        }
                        sleep(50);
                    }
                    return text(String.valueOf(token));
                }),
                tool("test_sampling", schema(Map.of("prompt", Map.of("type", "string")), List.of("prompt")), (ex, req) -> {
                    McpSchema.CreateMessageResult r = ex.createMessage(McpSchema.CreateMessageRequest.builder()
                            .messages(List.of(new McpSchema.SamplingMessage(McpSchema.Role.USER,
                                    new TextContent(String.valueOf(req.arguments().get("prompt")))))).maxTokens(100).build());
                    return text("LLM response: " + (r.content() instanceof TextContent t ? t.text() : ""));
                }),
                tool("test_elicitation", schema(Map.of("message", Map.of("type", "string")), List.of("message")), (ex, req) -> {
                    McpSchema.ElicitResult r = ex.createElicitation(McpSchema.ElicitFormRequest.builder(
                            String.valueOf(req.arguments().get("message")),
                            schema(Map.of("username", Map.of("type", "string"), "email", Map.of("type", "string")),
                                    List.of("username", "email"))).build());
                    return text("User response: action=" + r.action() + ", content=" + r.content());
                }),
                tool("test_elicitation_sep1034_defaults", none, (ex, req) -> {
                    Map<String, Object> props = new LinkedHashMap<>();
                    props.put("name", Map.of("type", "string", "default", "John Doe"));
                    props.put("age", Map.of("type", "integer", "default", 30));
                    props.put("score", Map.of("type", "number", "default", 95.5));
                    props.put("status", Map.of("type", "string", "enum", List.of("active", "inactive", "pending"),
                            "default", "active"));
                    props.put("verified", Map.of("type", "boolean", "default", true));
                    McpSchema.ElicitResult r = ex.createElicitation(McpSchema.ElicitFormRequest.builder(
                            "Please review and update the form fields with defaults", schema(props, List.of())).build());
                    return text("Elicitation completed: action=" + r.action() + ", content=" + r.content());
                }),
                tool("test_elicitation_sep1330_enums", none, (ex, req) -> {
                    Map<String, Object> props = new LinkedHashMap<>();
                    props.put("untitledSingle", Map.of("type", "string", "enum", List.of("option1", "option2", "option3")));
                    props.put("titledSingle", Map.of("type", "string", "oneOf", List.of(
                            Map.of("const", "value1", "title", "First Option"), Map.of("const", "value2", "title", "Second Option"),
                            Map.of("const", "value3", "title", "Third Option"))));
                    props.put("legacyEnum", Map.of("type", "string", "enum", List.of("opt1", "opt2", "opt3"),
                            "enumNames", List.of("Option One", "Option Two", "Option Three")));
                    props.put("untitledMulti", Map.of("type", "array", "items", Map.of("type", "string", "enum",
                            List.of("option1", "option2", "option3"))));
                    props.put("titledMulti", Map.of("type", "array", "items", Map.of("anyOf", List.of(
                            Map.of("const", "value1", "title", "First Choice"), Map.of("const", "value2", "title", "Second Choice"),
                            Map.of("const", "value3", "title", "Third Choice")))));
                    McpSchema.ElicitResult r = ex.createElicitation(McpSchema.ElicitFormRequest.builder(
                            "Please select options from the enum fields", schema(props, List.of())).build());
                    return text("Elicitation completed: action=" + r.action() + ", content=" + r.content());
                }),
                tool("json_schema_2020_12_tool", json2020, (ex, req) -> text("ok")));
    }

    static List<SyncResourceSpecification> resources() {
        return List.of(
                new SyncResourceSpecification(McpSchema.Resource.builder("test://static-text", "static-text")
                        .mimeType("text/plain").build(), (ex, req) -> new McpSchema.ReadResourceResult(List.of(
                                new TextResourceContents("test://static-text", "text/plain",
                                        "This is the content of the static text resource.")))),
                new SyncResourceSpecification(McpSchema.Resource.builder("test://static-binary", "static-binary")
                        .mimeType("image/png").build(), (ex, req) -> new McpSchema.ReadResourceResult(List.of(
                                new BlobResourceContents("test://static-binary", "image/png", PNG, null)))),
                new SyncResourceSpecification(McpSchema.Resource.builder("test://watched-resource", "watched-resource")
                        .mimeType("text/plain").build(), (ex, req) -> new McpSchema.ReadResourceResult(List.of(
                                new TextResourceContents("test://watched-resource", "text/plain", "Watched resource content")))));
    }

    static List<SyncResourceTemplateSpecification> templates() {
        return List.of(new SyncResourceTemplateSpecification(McpSchema.ResourceTemplate.builder("test://template/{id}/data",
                "template").mimeType("application/json").build(), (ex, req) -> {
                    String id = req.uri().replaceAll("^test://template/([^/]+)/data$", "$1");
                    return new McpSchema.ReadResourceResult(List.of(new TextResourceContents(req.uri(), "application/json",
                            "{\"id\":\"" + id + "\",\"templateTest\":true,\"data\":\"Data for ID: " + id + "\"}")));
                }));
    }

    static List<SyncPromptSpecification> prompts() {
        return List.of(
                new SyncPromptSpecification(new McpSchema.Prompt("test_simple_prompt", "A simple prompt", List.of()),
                        (ex, req) -> new McpSchema.GetPromptResult(null, List.of(new McpSchema.PromptMessage(
                                McpSchema.Role.USER, new TextContent("This is a simple prompt for testing."))))),
                new SyncPromptSpecification(new McpSchema.Prompt("test_prompt_with_arguments", "A prompt with arguments",
                        List.of(new McpSchema.PromptArgument("arg1", null, "First test argument", true),
                                new McpSchema.PromptArgument("arg2", null, "Second test argument", true))),
                        (ex, req) -> new McpSchema.GetPromptResult(null, List.of(new McpSchema.PromptMessage(
                                McpSchema.Role.USER, new TextContent("Prompt with arguments: arg1='" + req.arguments().get("arg1")
                                        + "', arg2='" + req.arguments().get("arg2") + "'"))))),
                new SyncPromptSpecification(new McpSchema.Prompt("test_prompt_with_embedded_resource",
                        "A prompt with an embedded resource", List.of(new McpSchema.PromptArgument("resourceUri", null,
                                "URI of the resource to embed", true))),
                        (ex, req) -> new McpSchema.GetPromptResult(null, List.of(
                                new McpSchema.PromptMessage(McpSchema.Role.USER, new EmbeddedResource(null,
                                        new TextResourceContents(String.valueOf(req.arguments().get("resourceUri")), "text/plain",
                                                "Embedded resource content for testing."))),
                                new McpSchema.PromptMessage(McpSchema.Role.USER,
                                        new TextContent("Please process the embedded resource above."))))),
                new SyncPromptSpecification(new McpSchema.Prompt("test_prompt_with_image", "A prompt with an image", List.of()),
                        (ex, req) -> new McpSchema.GetPromptResult(null, List.of(
                                new McpSchema.PromptMessage(McpSchema.Role.USER, new ImageContent(null, PNG, "image/png")),
                                new McpSchema.PromptMessage(McpSchema.Role.USER, new TextContent("Please analyze the image above."))))));
    }

    static List<SyncCompletionSpecification> completions() {
        return List.of(new SyncCompletionSpecification(new McpSchema.PromptReference("test_prompt_with_arguments"),
                (ex, req) -> new McpSchema.CompleteResult(new McpSchema.CompleteResult.CompleteCompletion(
                        List.of("paris", "park", "party").stream().filter(v -> v.startsWith(req.argument().value())).toList(),
                        3, false))));
    }

    @Override
    public McpServer.SyncSpecification<?> apply(McpServer.SyncSpecification<?> server) {
        return server.capabilities(McpSchema.ServerCapabilities.builder().tools(true).resources(true, true).prompts(true)
                .logging().completions().build())
                .tools(tools()).resources(resources()).resourceTemplates(templates()).prompts(prompts())
                .completions(completions());
    }

    @Override
    public McpServer.StatelessSyncSpecification apply(McpServer.StatelessSyncSpecification server) {
        return server.capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(tools().stream().map(t -> McpStatelessServerFeatures.SyncToolSpecification.builder().tool(t.tool())
                        .callHandler((ctx, req) -> text("stateless")).build()).toList());
    }
}
