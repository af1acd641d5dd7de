package dev.ms365mcp.stdio;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Stands between stdin and the SDK's STDIO transport, which stops serving for good at the first
 * line it cannot parse. Each line is checked here first: a valid JSON-RPC message passes through
 * unchanged; anything else is answered on stdout with a JSON-RPC error (-32700 parse error, -32600
 * invalid request) and dropped, and the server keeps serving.
 *
 * <p>Error answers are written while holding the monitor of {@code out}, the same lock the SDK
 * transport takes for its own writes, so lines never interleave.
 */
final class JsonRpcLineGuard extends InputStream {

    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private final InputStream in;
    private final OutputStream out;
    private final McpJsonMapper mapper;
    private byte[] current = new byte[0];
    private int pos;
    private boolean eof;
    private boolean lineTooLong;

    private final Runnable onEof;
    private final CancellationRelay relay;
    private Map<?, ?> lastMessage;

    /** {@code onEof} runs once when stdin ends: the client is gone and the server may stop. */
    JsonRpcLineGuard(InputStream in, OutputStream out, McpJsonMapper mapper, Runnable onEof) {
        this(in, out, mapper, onEof, null);
    }

    /** {@code relay}, when set, sees every valid message (tool calls tagged, cancellations carried out). */
    JsonRpcLineGuard(InputStream in, OutputStream out, McpJsonMapper mapper, Runnable onEof, CancellationRelay relay) {
        this.in = in;
        this.out = out;
        this.mapper = mapper;
        this.onEof = onEof;
        this.relay = relay;
    }

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
            String problem = check(text);
            if (problem == null) {
                current = ((relay == null ? text : relay.pass(lastMessage, text)) + "\n").getBytes(StandardCharsets.UTF_8);
                pos = 0;
            }
        }
        return true;
    }

    /** Null when {@code text} is a JSON-RPC message the SDK can take; otherwise answers it and says why. */
    private String check(String text) throws IOException {
        Object parsed;
        try {
            parsed = mapper.readValue(text, Object.class);
        } catch (IOException | RuntimeException e) {
            answer(null, -32700, "Parse error: the line is not valid JSON");
            return "parse";
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            answer(null, -32600, "Invalid Request: expected a JSON-RPC message object");
            return "not an object";
        }
        Object id = map.get("id");
        if (!"2.0".equals(map.get("jsonrpc"))) {
            answer(id, -32600, "Invalid Request: \"jsonrpc\" must be \"2.0\"");
            return "version";
        }
        try {
            McpSchema.deserializeJsonRpcMessage(mapper, text);
            lastMessage = map;
            return null;
        } catch (IOException | RuntimeException e) {
            answer(id, -32600, "Invalid Request: not a JSON-RPC request, notification or response");
            return "shape";
        }
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
