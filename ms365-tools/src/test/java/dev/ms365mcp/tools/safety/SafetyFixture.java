package dev.ms365mcp.tools.safety;

import dev.ms365mcp.auth.StaticTokenProvider;
import dev.ms365mcp.testkit.graph.FakeGraph;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolSettings;
import dev.ms365mcp.tools.execution.CallContext;
import dev.ms365mcp.tools.execution.Progress;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A FakeGraph and tools with safety settings from environment variables, closed after each test. */
final class SafetyFixture implements AfterEachCallback {

    static final String TOKEN = "secret-graph-token";
    final FakeGraph graph = FakeGraph.start();
    final List<String> asked = new ArrayList<>();
    private Ms365Tools tools;

    SafetyFixture configure(Path logDir, boolean discovery, String... env) {
        Map<String, String> vars = new HashMap<>();
        for (int i = 0; i < env.length; i += 2) {
            vars.put(env[i], env[i + 1]);
        }
        tools = Ms365Tools.builder()
                .settings(ToolSettings.defaults().toBuilder().orgMode(true).discovery(discovery).build())
                .tokenProvider(new StaticTokenProvider(TOKEN))
                .graphRoot(URI.create(graph.url()))
                .safety(SafetySettings.fromEnv(vars, logDir))
                .build();
        return this;
    }

    SafetyFixture configure(String... env) {
        return configure(null, false, env);
    }

    /** A call from a client without elicitation, in session {@code s1}. */
    CallToolResult call(String tool, Map<String, Object> args) {
        return call(tool, args, new CallContext(null, Progress.NONE, "s1", null, null));
    }

    CallToolResult call(String tool, Map<String, Object> args, CallContext context) {
        return tools.call(tool, args, context);
    }

    /** A call from a client whose user answers {@code yes} to every question. */
    CallToolResult callAnswering(boolean yes, String tool, Map<String, Object> args) {
        return call(tool, args, new CallContext(null, Progress.NONE, "s1", message -> {
            asked.add(message);
            return yes;
        }, null));
    }

    static String text(CallToolResult r) {
        return ((TextContent) r.content().get(0)).text();
    }

    static boolean failed(CallToolResult r) {
        return Boolean.TRUE.equals(r.isError());
    }

    static Map<String, Object> to(String field, String... addresses) {
        List<Object> list = new ArrayList<>();
        for (String a : addresses) {
            list.add(Map.of("emailAddress", Map.of("address", a)));
        }
        return Map.of(field, list);
    }

    static Map<String, Object> mail(String subject, String... to) {
        Map<String, Object> message = new HashMap<>(to("toRecipients", to));
        message.put("subject", subject);
        message.put("body", Map.of("contentType", "text", "content", "The body text"));
        return Map.of("body", Map.of("message", message));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        graph.close();
    }
}
