package dev.ms365mcp.stdio;

import dev.ms365mcp.launcher.FastFlags;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The training run for the JDK's AOT cache ({@code -XX:AOTCacheOutput}, JDK 25+), run by the build:
 * a scripted session — initialize, tools/list in org mode, a tool call, a malformed line — so the
 * classes a real start-up loads are archived. Output goes nowhere; no network is touched (no token
 * is configured, so the call stops at "sign in first").
 */
public final class AotTraining {

    private AotTraining() {
    }

    public static void main(String[] args) {
        String session = String.join("\n",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"aot-training\",\"version\":\"1\"}}}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}",
                "not json",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"list-mail-messages\","
                        + "\"arguments\":{\"top\":1}}}",
                "");
        System.setIn(new ByteArrayInputStream(session.getBytes(StandardCharsets.UTF_8)));
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(nowhere);
        // The same path as a desktop start: serving flags bound without picocli's model.
        StdioMain server = new StdioMain(nowhere, Map.of("SILENT", "true"));
        if (!FastFlags.bind(server.tools, new String[] {"--org-mode"})) {
            throw new IllegalStateException("--org-mode must bind on the fast path");
        }
        System.exit(server.callReportingBadInput());
    }
}
