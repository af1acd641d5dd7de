package dev.ms365mcp.stdio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The protocol channel (stdout), one JSON-RPC message per line. It keeps track of which requests
 * still wait for their answer, so that the server can finish them when stdin ends, and it keeps
 * Java internals out of error answers: the SDK answers a failed request with the exception's message
 * (class names, parser excerpts of the request) and the aggregated cause chain in {@code data}.
 *
 * <p>Writers (the SDK's transport and {@link JsonRpcLineGuard}) write whole lines while holding this
 * object's monitor, so lines never interleave.
 */
final class JsonRpcAnswers extends OutputStream {

    /** Looks like Java talking: a qualified class name, an exception or error type, a stack frame. */
    private static final Pattern JAVA_INTERNALS = Pattern.compile(
            "(?:[a-z_][a-z0-9_]*\\.){2,}[A-Z]\\w*|\\w+(?:Exception|Error)\\b|\\bat \\S+\\(|\\[Source:|\\n");

    private final OutputStream out;
    private final JsonMapper json;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final Set<String> swallowed = ConcurrentHashMap.newKeySet();

    JsonRpcAnswers(OutputStream out, JsonMapper json) {
        this.out = out;
        this.json = json;
    }

    /** A request passed on to the SDK; {@code idJson} is its id as JSON text. */
    void expect(String idJson) {
        pending.add(idJson);
    }

    /** A request this server sent on its own (priming the session): its answer is not the client's. */
    void swallow(String idJson) {
        swallowed.add(idJson);
        pending.add(idJson);
    }

    /** Waits until every expected request is answered or {@code millis} pass; false on time-out. */
    boolean awaitAnswers(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        synchronized (pending) {
            while (!pending.isEmpty()) {
                long left = end - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                pending.wait(Math.min(left, 200));
            }
        }
        return true;
    }

    int unanswered() {
        return pending.size();
    }

    @Override
    public synchronized void write(int b) throws IOException {
        if (b == '\n') {
            writeLine();
        } else {
            line.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                line.write(b, start, i - start);
                writeLine();
                start = i + 1;
            }
        }
        line.write(b, start, off + len - start);
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    private void writeLine() throws IOException {
        byte[] bytes = line.toByteArray();
        line.reset();
        Envelope envelope = Envelope.of(json, bytes);
        String idJson = envelope.idJson();
        try {
            if (idJson != null && swallowed.remove(idJson)) {
                return;
            }
            if (envelope.error() && json.readTree(bytes) instanceof ObjectNode answer
                    && answer.get("error") instanceof ObjectNode error) {
                bytes = sanitized(answer, error, bytes);
            }
            out.write(bytes);
            out.write('\n');
            out.flush();
        } finally {
            if (idJson != null && pending.remove(idJson)) {
                synchronized (pending) {
                    pending.notifyAll();
                }
            }
        }
    }

    /**
     * What the writer needs of an outgoing message, read from its top-level members only: a result is
     * never parsed (tools/list and large tool results would otherwise be read back into a tree, line by
     * line). {@code idJson} is the id of an answer as JSON text, null for anything else.
     */
    record Envelope(String idJson, boolean error) {

        private static final Envelope OTHER = new Envelope(null, false);

        static Envelope of(JsonMapper json, byte[] message) {
            JsonNode id = null;
            boolean answer = false;
            boolean error = false;
            try (JsonParser p = json.createParser(message)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return OTHER;
                }
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    switch (name) {
                        case "id" -> id = p.readValueAsTree();
                        case "result" -> answer = true;
                        case "error" -> answer = error = true;
                        case "method" -> {
                            return OTHER; // a request or notification of the server's own
                        }
                        default -> { }
                    }
                    if (answer && id != null) {
                        break; // the rest, the result above all, is not read
                    }
                    if (!"id".equals(name)) {
                        p.skipChildren();
                    }
                }
            } catch (RuntimeException e) {
                return OTHER; // not ours to judge: passed on as written
            }
            return answer && id != null && !id.isNull() ? new Envelope(json.writeValueAsString(id), error)
                    : new Envelope(null, error);
        }
    }

    /** The answer with a plain message for its code when the SDK put Java internals in it, and no {@code data}. */
    private byte[] sanitized(ObjectNode answer, ObjectNode error, byte[] original) {
        String message = error.path("message").asString("");
        boolean internals = JAVA_INTERNALS.matcher(message).find();
        if (!internals && !error.has("data")) {
            return original;
        }
        error.remove("data");
        if (internals) {
            int code = error.path("code").asInt(-32603);
            error.put("message", plainMessage(code));
            System.err.println("ms365-mcp: request " + answer.get("id") + " failed (JSON-RPC " + code
                    + "); its Java details were kept off the protocol channel");
        }
        return json.writeValueAsBytes(answer);
    }

    static String plainMessage(int code) {
        return switch (code) {
            case -32700 -> "Parse error: the message is not valid JSON";
            case -32600 -> "Invalid Request: not a JSON-RPC request the server can read";
            case -32601 -> "Method not found";
            case -32602 -> "Invalid params: the params do not have the shape this method takes";
            default -> "Internal error while handling the request; the server keeps serving";
        };
    }
}
