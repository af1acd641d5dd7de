package dev.ms365mcp.stdio;

import dev.ms365mcp.tools.Ms365Tools;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Carries {@code notifications/cancelled} to the tool call it names. The SDK gives tool handlers no
 * request id and ignores cancellations, so each {@code tools/call} line is tagged with its JSON-RPC id
 * under {@link Ms365Tools#REQUEST_KEY_META} (a value the client put there is overwritten), and a
 * cancellation for that id cancels the running call ({@link Ms365Tools#cancel}: the Graph exchange is
 * aborted, a Retry-After wait ends).
 */
final class CancellationRelay {

    private final McpJsonMapper mapper;
    private final BiPredicate<String, String> cancel;

    /** {@code cancel}: (principal, request key) to cancel; STDIO has one local user, so the principal is null. */
    CancellationRelay(McpJsonMapper mapper, BiPredicate<String, String> cancel) {
        this.mapper = mapper;
        this.cancel = cancel;
    }

    /** The line to hand to the SDK for {@code message} (parsed from {@code line}). */
    String pass(Map<?, ?> message, String line) throws IOException {
        Object method = message.get("method");
        Object id = message.get("id");
        if ("tools/call".equals(method) && id != null) {
            Map<String, Object> tagged = copy(message);
            Map<String, Object> params = message.get("params") instanceof Map<?, ?> p ? copy(p) : new LinkedHashMap<>();
            Map<String, Object> meta = params.get("_meta") instanceof Map<?, ?> m ? copy(m) : new LinkedHashMap<>();
            meta.put(Ms365Tools.REQUEST_KEY_META, key(id));
            params.put("_meta", meta);
            tagged.put("params", params);
            return mapper.writeValueAsString(tagged);
        }
        if ("notifications/cancelled".equals(method) && message.get("params") instanceof Map<?, ?> p
                && p.get("requestId") != null) {
            cancel.test(null, key(p.get("requestId")));
        }
        return line;
    }

    /** 1 and "1" are different JSON-RPC ids. */
    private static String key(Object id) {
        return (id instanceof String ? "s:" : "n:") + id;
    }

    private static Map<String, Object> copy(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}
