package dev.ms365mcp.stdio;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands between stdin and the SDK's STDIO transport, which stops serving for good at the first
 * line it cannot parse. Each line is checked here first: a valid JSON-RPC message passes through
 * unchanged; anything else is answered on stdout with a JSON-RPC error and dropped, and the server
 * keeps serving. Checked here:
 * <ul>
 * <li>input limits, enforced while parsing ({@link #MAX_DEPTH} levels, {@link #MAX_LINE_BYTES} bytes):
 * a deeply nested request would otherwise overflow the small thread stacks desktop clients run with;
 * <li>the shape of {@code params} and of {@code tools/call}'s {@code name} and {@code arguments}
 * (-32602 in plain words instead of the SDK's deserializer exception);
 * <li>tools that are not listed: the answer says why (read-only, org mode...).
 * </ul>
 * A request sent before {@code initialize}, or before {@code notifications/initialized}, is answered
 * like the reference server does: the session is opened for it (the SDK would otherwise hold the
 * request until a handshake that a piped script never sends). At end of input, every request already
 * passed on is answered before the SDK is told that stdin ended.
 */
final class JsonRpcLineGuard extends InputStream {

    static final int MAX_LINE_BYTES = 8 * 1024 * 1024;
    static final int MAX_DEPTH = 64;
    /** Longest string value: room for a 4 MB file in base64 (Graph's limit for a simple upload). */
    static final int MAX_STRING_CHARS = 6 * 1024 * 1024;
    /** How long the end of input waits for answers still being worked on (a slow Graph call). */
    static final long DRAIN_MILLIS = TimeUnit.MINUTES.toMillis(5);

    private static final String PRIMING_ID = "ms365-mcp-open-session";

    private final InputStream in;
    private final JsonRpcAnswers out;
    private final McpJsonMapper mapper;
    private final UnaryOperator<String> unavailableTool;
    private final Runnable onEof;
    private byte[] current = new byte[0];
    private int pos;
    private boolean eof;
    private final CancellationRelay relay;
    private boolean lineTooLong;
    private boolean initializeSeen;
    private boolean initializedSeen;

    /**
     * @param unavailableTool why a tool name is not listed (null when it is)
     * @param onEof           runs once when stdin has ended and every request read was answered
     */
    JsonRpcLineGuard(InputStream in, JsonRpcAnswers out, McpJsonMapper mapper, UnaryOperator<String> unavailableTool,
            Runnable onEof) {
        this(in, out, mapper, unavailableTool, onEof, null);
    }

    /** {@code relay}, when set, sees every valid message (tool calls tagged, cancellations carried out). */
    JsonRpcLineGuard(InputStream in, JsonRpcAnswers out, McpJsonMapper mapper, UnaryOperator<String> unavailableTool,
            Runnable onEof, CancellationRelay relay) {
        this.in = in;
        this.out = out;
        this.mapper = mapper;
        this.unavailableTool = unavailableTool;
        this.onEof = onEof;
        this.relay = relay;
    }

    /** The mapper for everything read from stdin: refuses, while parsing, what exceeds the input limits. */
    static JsonMapper limitedMapper() {
        return JsonMapper.builder(JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxStringLength(MAX_STRING_CHARS)
                .maxDocumentLength(MAX_LINE_BYTES)
                .build()).build()).build();
    }

    static McpJsonMapper limitedMcpMapper() {
        return new JacksonMcpJsonMapper(limitedMapper());
    }

    /** Reads only the top level: depth is not limited here, and nothing recurses (no stack to overflow). */
    private static final JsonFactory TOP_LEVEL = JsonFactory.builder().streamReadConstraints(StreamReadConstraints
            .builder().maxNestingDepth(Integer.MAX_VALUE).maxDocumentLength(MAX_LINE_BYTES).build()).build();

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return current[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Makes sure unread bytes of a valid line are available; false at end of input. */
    private boolean fill() throws IOException {
        while (pos >= current.length) {
            if (eof) {
                return false;
            }
            byte[] line = readLine();
            if (line == null) {
                eof = true;
                finishAnswers();
                onEof.run();
                return false;
            }
            if (lineTooLong) {
                answer(null, -32600, "Invalid Request: message over " + MAX_LINE_BYTES + " bytes");
                continue;
            }
            String text = new String(line, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                continue;
            }
            String passed;
            try {
                passed = check(text);
            } catch (IOException e) {
                throw e;
            } catch (Throwable e) {
                // Whatever this line does to the JVM (a huge or odd message), it is answered, not fatal.
                answer(null, -32600, "Invalid Request: the message could not be read");
                passed = null;
            }
            if (passed != null) {
                current = passed.getBytes(StandardCharsets.UTF_8);
                pos = 0;
            }
        }
        return true;
    }

    /** Waits, bounded, for the answers to what was already passed on; the SDK drops them once told of the end. */
    private void finishAnswers() {
        try {
            if (!out.awaitAnswers(DRAIN_MILLIS)) {
                System.err.println("ms365-mcp: stdin ended; " + out.unanswered() + " request(s) still unanswered after "
                        + TimeUnit.MILLISECONDS.toSeconds(DRAIN_MILLIS) + " s, stopping");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The text to pass on (the line, perhaps after a session opener), or null when the line was answered here. */
    private String check(String text) throws IOException {
        TopLevel top;
        try {
            top = topLevel(text);
        } catch (StreamConstraintsException e) {
            answer(null, -32600, "Invalid Request: message over " + MAX_LINE_BYTES + " bytes");
            return null;
        } catch (tools.jackson.core.JacksonException | IllegalStateException e) {
            answer(null, -32700, "Parse error: the line is not valid JSON");
            return null;
        }
        if (top == null) {
            answer(null, -32600, "Invalid Request: expected a JSON-RPC message object");
            return null;
        }
        Object id = top.id;
        Map<?, ?> map;
        try {
            map = mapper.readValue(text, Map.class);
        } catch (IOException | RuntimeException e) {
            StreamConstraintsException limit = beyondLimits(e);
            if (limit != null) {
                String what = String.valueOf(limit.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("nesting")
                        ? "nested deeper than " + MAX_DEPTH + " levels"
                        : "holds a string longer than " + MAX_STRING_CHARS + " characters";
                answer(id, -32600, "Invalid Request: the message is " + what + "; nothing was done");
            } else {
                answer(id, -32700, "Parse error: the line is not valid JSON");
            }
            return null;
        }
        if (!"2.0".equals(map.get("jsonrpc"))) {
            answer(id, -32600, "Invalid Request: \"jsonrpc\" must be \"2.0\"");
            return null;
        }
        Object method = map.get("method");
        if (method instanceof String && map.containsKey("params") && map.get("params") != null
                && !(map.get("params") instanceof Map)) {
            return invalidParams(id, "\"params\" must be an object");
        }
        if (McpSchema.METHOD_TOOLS_CALL.equals(method) && id != null) {
            String problem = toolCallProblem(map.get("params"));
            if (problem != null) {
                return invalidParams(id, problem);
            }
            String unavailable = unavailableTool.apply((String) ((Map<?, ?>) map.get("params")).get("name"));
            if (unavailable != null) {
                answer(id, -32602, unavailable);
                return null;
            }
        }
        try {
            McpSchema.deserializeJsonRpcMessage(mapper, text);
        } catch (IOException | RuntimeException e) {
            answer(id, -32600, "Invalid Request: not a JSON-RPC request, notification or response");
            return null;
        }
        String prefix = "";
        if (method instanceof String m) {
            prefix = session(m, id != null);
            if (id != null) {
                out.expect(mapper.writeValueAsString(id));
            }
        }
        return prefix + (relay == null ? text : relay.pass(map, text)) + "\n";
    }

    private String invalidParams(Object id, String why) throws IOException {
        answer(id, -32602, "Invalid params: " + why);
        return null;
    }

    /** What is wrong with a tools/call's params, in words, or null. */
    private String toolCallProblem(Object params) {
        if (!(params instanceof Map<?, ?> p)) {
            return "tools/call needs params {\"name\": \"<tool>\", \"arguments\": {...}}";
        }
        if (!(p.get("name") instanceof String name) || name.isBlank()) {
            return "\"name\" must be the tool's name as a string";
        }
        Object arguments = p.get("arguments");
        if (arguments != null && !(arguments instanceof Map)) {
            return "\"arguments\" must be an object of the tool's arguments, e.g. {\"top\": 5}";
        }
        Object meta = p.get("_meta");
        if (meta != null && !(meta instanceof Map)) {
            return "\"_meta\" must be an object";
        }
        return null;
    }

    /**
     * Tracks the handshake and returns what must reach the SDK before a request it would otherwise
     * hold forever: an {@code initialize} of our own (its answer is not passed on) and the
     * {@code notifications/initialized} that opens the session.
     */
    private String session(String method, boolean request) throws IOException {
        if (McpSchema.METHOD_INITIALIZE.equals(method)) {
            initializeSeen = true;
            return "";
        }
        if (McpSchema.METHOD_NOTIFICATION_INITIALIZED.equals(method)) {
            if (initializedSeen) {
                return "";
            }
            initializedSeen = true;
            return initializeSeen ? "" : opener();
        }
        if (!request || initializedSeen) {
            return "";
        }
        String prefix = initializeSeen ? "" : opener();
        initializeSeen = true;
        initializedSeen = true;
        return prefix + "{\"jsonrpc\":\"2.0\",\"method\":\"" + McpSchema.METHOD_NOTIFICATION_INITIALIZED + "\"}\n";
    }

    private String opener() throws IOException {
        initializeSeen = true;
        out.swallow(mapper.writeValueAsString(PRIMING_ID));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("protocolVersion", io.modelcontextprotocol.spec.ProtocolVersions.MCP_2025_11_25);
        params.put("capabilities", Map.of());
        params.put("clientInfo", Map.of("name", "client without initialize", "version", "0"));
        return mapper.writeValueAsString(Map.of("jsonrpc", "2.0", "id", PRIMING_ID, "method",
                McpSchema.METHOD_INITIALIZE, "params", params)) + "\n";
    }

    /** The top-level {@code id} (string or number) of a JSON object, read without building the tree; null for a non-object. */
    private static TopLevel topLevel(String text) throws IOException {
        try (JsonParser p = TOP_LEVEL.createParser(tools.jackson.core.ObjectReadContext.empty(), text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                skipAll(p);
                return null;
            }
            TopLevel top = new TopLevel();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("id".equals(name)) {
                    if (value == JsonToken.VALUE_STRING) {
                        top.id = p.getString();
                    } else if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
                        top.id = p.getNumberValue();
                    }
                }
                p.skipChildren();
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalStateException("trailing content");
            }
            return top;
        }
    }

    private static void skipAll(JsonParser p) {
        while (p.nextToken() != null) {
            // read to the end so that invalid JSON is told apart from a non-object
        }
    }

    /** The input limit {@code e} ran into, or null when it failed for another reason. */
    private static StreamConstraintsException beyondLimits(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StreamConstraintsException limit) {
                return limit;
            }
        }
        return null;
    }

    private static final class TopLevel {
        Object id;
    }

    private void answer(Object id, int code, String message) throws IOException {
        if (id != null && !(id instanceof String) && !(id instanceof Number)) {
            id = null;
        }
        String json = mapper.writeValueAsString(Map.of("jsonrpc", "2.0", "error", Map.of("code", code, "message", message)));
        // Map.of drops a null id; JSON-RPC wants "id": null when the id could not be read.
        String idJson = id == null ? "null" : mapper.writeValueAsString(id);
        json = json.substring(0, json.length() - 1) + ",\"id\":" + idJson + "}";
        synchronized (out) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
            out.flush();
        }
    }

    /**
     * One line without its terminator, or null at end of input. An over-long line is read to its end
     * without being kept, and flagged in {@link #lineTooLong}.
     */
    private byte[] readLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        lineTooLong = false;
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (buf.size() < MAX_LINE_BYTES) {
                buf.write(c);
            } else {
                lineTooLong = true;
            }
        }
        return c == -1 && buf.size() == 0 && !lineTooLong ? null : buf.toByteArray();
    }
}
