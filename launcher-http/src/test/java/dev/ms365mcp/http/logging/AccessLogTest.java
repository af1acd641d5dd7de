package dev.ms365mcp.http.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ms365mcp.http.McpHttpClient;
import dev.ms365mcp.http.TestServer;
import dev.ms365mcp.launcher.StderrLogging;
import dev.ms365mcp.testkit.graph.FakeResponse;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AccessLogTest {

    private TestServer server;
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger access = (Logger) LoggerFactory.getLogger("access");

    @AfterEach
    void stop() {
        access.detachAppender(lines);
        if (server != null) {
            server.close();
        }
    }

    private List<String> lines() throws InterruptedException {
        Thread.sleep(200); // streamed answers log when their stream completes
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void oneLinePerRequestWithHashedUserAndNeitherTokenNorQuery() throws Exception {
        lines.start();
        access.addAppender(lines);
        server = TestServer.start();
        server.graph.on("GET", "/v1.0/me", FakeResponse.ok("{\"displayName\":\"Alice\",\"secretBody\":\"s3\"}"));
        McpHttpClient alice = server.client("token-alice").initialize();
        alice.callTool("get-current-user", "{}");
        McpHttpClient.HTTP.send(HttpRequest.newBuilder(URI.create(server.mcp() + "?code=abc123&access_token=token-alice"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        List<String> log = lines();
        assertThat(log).hasSize(4);
        String hashed = new dev.ms365mcp.http.security.Caller("alice", java.util.Set.of()).hashedId();
        assertThat(log.get(2)).matches("POST /mcp 200 \\d+ms user=" + hashed);
        assertThat(log.get(3)).matches("POST /mcp 401 \\d+ms user=-");
        assertThat(String.join("\n", log)).doesNotContain("token-alice", "abc123", "alice", "secretBody", "Alice");
        assertThat(lines.list.get(2).getMDCPropertyMap()).containsKey(AccessLog.REQUEST_ID);
    }

    @Test
    void logFormatJsonWritesOneObjectPerLineWithTheRequestId() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        var encoder = StderrLogging.encoder(context, "json");
        ch.qos.logback.classic.spi.LoggingEvent event = new ch.qos.logback.classic.spi.LoggingEvent(
                "x", access, ch.qos.logback.classic.Level.INFO, "POST {} {}", null, new Object[] {"/mcp", 200});
        event.setMDCPropertyMap(java.util.Map.of(AccessLog.REQUEST_ID, "r-1"));
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n").doesNotContain("\n{");
        JsonNode json = JsonMapper.shared().readTree(line);
        assertThat(json.path("level").asString()).isEqualTo("INFO");
        assertThat(json.path("loggerName").asString()).isEqualTo("access");
        assertThat(json.path("formattedMessage").asString()).isEqualTo("POST /mcp 200");
        assertThat(json.path("mdc").path("requestId").asString()).isEqualTo("r-1");
    }
}
