package dev.ms365mcp.tools.execution;

import dev.ms365mcp.tools.graph.GraphCall;
import dev.ms365mcp.tools.graph.GraphClient;
import dev.ms365mcp.tools.graph.GraphResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a call that changes an Excel workbook inside a persistent workbook session: {@code createSession}
 * with {@code persistChanges: true}, the call with the {@code workbook-session-id} header, then
 * {@code closeSession}, which is sent whether the call succeeded or not.
 */
final class WorkbookSessions {

    static final String HEADER = "workbook-session-id";
    private static final Logger log = LoggerFactory.getLogger(WorkbookSessions.class);
    private static final byte[] PERSIST = "{\"persistChanges\":true}".getBytes(StandardCharsets.UTF_8);

    private final GraphClient graph;
    private final JsonMapper json;

    WorkbookSessions(GraphClient graph, JsonMapper json) {
        this.graph = graph;
        this.json = json;
    }

    /**
     * Sends {@code call} (its template below {@code .../workbook/}, its {@code Authorization} set) in a
     * session. When no session can be created, that answer is returned and the call is not sent.
     */
    GraphResponse send(GraphCall call) {
        String template = call.pathTemplate();
        String workbook = template.substring(0, template.indexOf("/workbook/") + "/workbook".length());
        List<Map.Entry<String, String>> auth = call.headers().stream()
                .filter(h -> h.getKey().equalsIgnoreCase("Authorization")).toList();
        GraphResponse created = graph.send(new GraphCall("POST", workbook + "/createSession", call.pathValues(), Map.of(),
                auth, PERSIST, "application/json", null));
        String id = created.ok() ? sessionId(created) : null;
        if (id == null) {
            return created.ok() ? new GraphResponse(502, Map.of(), ("{\"error\":{\"code\":\"noSessionId\",\"message\":"
                    + "\"createSession answered without a session id\"}}").getBytes(StandardCharsets.UTF_8)) : created;
        }
        try {
            return graph.send(call.withHeader(HEADER, id));
        } finally {
            close(workbook, call, auth, id);
        }
    }

    private void close(String workbook, GraphCall call, List<Map.Entry<String, String>> auth, String id) {
        try {
            GraphCall close = new GraphCall("POST", workbook + "/closeSession", call.pathValues(), Map.of(), auth, null,
                    null, null).withHeader(HEADER, id);
            GraphResponse closed = graph.send(close);
            if (!closed.ok()) {
                log.debug("closeSession answered HTTP {}; the session expires on its own", closed.status());
            }
        } catch (RuntimeException e) {
            log.debug("closeSession failed; the session expires on its own", e);
        }
    }

    private String sessionId(GraphResponse created) {
        try {
            String id = json.readTree(created.body()).path("id").asString("");
            return id.isBlank() ? null : id;
        } catch (JacksonException e) {
            return null;
        }
    }
}
