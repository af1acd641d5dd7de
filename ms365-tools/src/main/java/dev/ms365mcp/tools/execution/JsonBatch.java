package dev.ms365mcp.tools.execution;

import dev.ms365mcp.tools.ToolResults;
import dev.ms365mcp.tools.catalog.ToolDef;
import dev.ms365mcp.tools.graph.CallScope;
import dev.ms365mcp.tools.graph.GraphCall;
import dev.ms365mcp.tools.graph.GraphClient;
import dev.ms365mcp.tools.graph.GraphResponse;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON {@code $batch} of up to 20 steps: checked before anything is sent, then sent; steps Graph
 * answers 429 (and steps that failed only because they depended on one) go out again in a follow-up
 * batch after the longest {@code Retry-After}, at most {@code maxRetries} times. The answer lists every
 * step's last response in the order the steps were given.
 */
final class JsonBatch {

    static final int MAX_STEPS = 20;
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Pattern ABSOLUTE = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:.*|//.*");

    private final GraphClient graph;
    private final JsonMapper json;
    private final ResultShaper shaper;
    private final GraphErrorMessages errors;
    private final int maxRetries;

    JsonBatch(GraphClient graph, JsonMapper json, ResultShaper shaper, GraphErrorMessages errors, int maxRetries) {
        this.graph = graph;
        this.json = json;
        this.shaper = shaper;
        this.errors = errors;
        this.maxRetries = maxRetries;
    }

    /**
     * The steps of a {@code {"requests": [...]}} body, checked and normalized: string ids, unique;
     * upper-case methods; URLs relative to the version root ({@code /v1.0} dropped); a JSON step body
     * gets its {@code Content-Type}; {@code dependsOn} names steps of the same batch.
     */
    ArrayNode steps(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw invalid("the body must be {\"requests\": [...]}");
        }
        JsonNode requests = root.isArray() ? root : root.path("requests");
        if (!requests.isArray() || requests.isEmpty()) {
            throw invalid("the body must be {\"requests\": [{id, method, url}, ...]} with at least one request");
        }
        if (requests.size() > MAX_STEPS) {
            throw invalid("Graph takes at most " + MAX_STEPS + " requests per batch, got " + requests.size()
                    + ". Split them into several graph-batch calls");
        }
        ArrayNode steps = json.createArrayNode();
        Set<String> ids = new HashSet<>();
        for (JsonNode r : requests) {
            if (!r.isObject()) {
                throw invalid("every request must be an object {id, method, url}");
            }
            ObjectNode step = (ObjectNode) r.deepCopy();
            String id = r.path("id").isNumber() ? r.path("id").asString() : r.path("id").asString("");
            if (id.isBlank() || !ids.add(id)) {
                throw invalid("every request needs its own id; '" + id + "' is " + (id.isBlank() ? "empty" : "repeated"));
            }
            step.put("id", id);
            String method = r.path("method").asString("").toUpperCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                throw invalid("request " + id + " needs a method: GET, POST, PUT, PATCH or DELETE");
            }
            step.put("method", method);
            step.put("url", url(id, r.path("url").asString("")));
            if (header(r, "X-HTTP-Method-Override") != null) {
                // Graph honours it: a GET step would become whatever the header says (a DELETE).
                throw invalid("request " + id + " carries an X-HTTP-Method-Override header, which would change its "
                        + "method; give the method in \"method\" instead");
            }
            if (r.has("body") && !hasHeader(r, "Content-Type")) {
                (r.path("headers").isObject() ? (ObjectNode) step.get("headers") : step.putObject("headers"))
                        .put("Content-Type", "application/json");
            }
            steps.add(step);
        }
        for (JsonNode step : steps) {
            for (JsonNode dep : step.path("dependsOn")) {
                if (!ids.contains(dep.asString())) {
                    throw invalid("request " + step.path("id").asString() + " depends on '" + dep.asString()
                            + "', which is not in the batch");
                }
            }
        }
        return steps;
    }

    /** The call with {@code steps} as its body. */
    GraphCall withSteps(GraphCall call, ArrayNode steps) {
        ObjectNode body = json.createObjectNode();
        body.set("requests", steps);
        return new GraphCall(call.method(), call.pathTemplate(), call.pathValues(), call.query(), call.headers(),
                json.writeValueAsBytes(body), "application/json", call.absolute());
    }

    /**
     * Sends the batch (its {@code Authorization} set), retries throttled steps, and merges the answers;
     * {@code read} sees each step's answer body (the safety checks learn what was read).
     */
    CallToolResult run(ToolDef tool, GraphCall call, ArrayNode steps, java.util.function.Consumer<JsonNode> read) {
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        ArrayNode pending = steps;
        String note = null;
        for (int round = 0; ; round++) {
            GraphResponse response = graph.send(withSteps(call, pending));
            if (!response.ok()) {
                if (round == 0) {
                    return ToolResults.error(errors.describe(tool, response));
                }
                note = "The follow-up batch for throttled requests failed: " + errors.describe(tool, response);
                break;
            }
            if (response.truncated()) {
                return ToolResults.error("Microsoft Graph's answer to the batch is larger than "
                        + graph.settings().maxBodyBytes() + " bytes (MS365_MCP_MAX_GRAPH_BODY_BYTES), so it was not read "
                        + "in full. Split the batch or ask for less in each request (top, select).");
            }
            JsonNode answered;
            try {
                answered = json.readTree(response.body());
            } catch (JacksonException e) {
                return ToolResults.error("Microsoft Graph answered the batch with something that is not JSON (HTTP "
                        + response.status() + ").");
            }
            for (JsonNode answer : answered.path("responses")) {
                answers.put(answer.path("id").asString(), answer);
                read.accept(answer.path("body"));
            }
            Set<String> throttled = statusIds(answers, pending, 429);
            if (throttled.isEmpty()) {
                break;
            }
            if (round >= maxRetries) {
                note = throttled.size() + " request(s) were still throttled (429) after " + maxRetries
                        + " retries; send them again later.";
                break;
            }
            long wait = retryAfter(answers, throttled, round);
            if (wait * 1000 > graph.settings().maxRetryAfterMs()) {
                note = "Microsoft Graph is throttling this account; it asks to wait " + wait + " s before retrying "
                        + throttled.size() + " throttled request(s), longer than this server waits "
                        + "(MS365_MCP_GRAPH_MAX_RETRY_AFTER_MS); send them again after that.";
                break;
            }
            if (!CallScope.current().cancellation().pause(wait * 1000)) {
                note = "Cancelled while waiting to retry throttled requests.";
                break;
            }
            pending = retrySteps(steps, answers, throttled);
        }
        ObjectNode out = json.createObjectNode();
        ArrayNode responses = out.putArray("responses");
        for (JsonNode step : steps) {
            JsonNode answer = answers.get(step.path("id").asString());
            if (answer != null) {
                responses.add(compact(answer));
            }
        }
        if (note != null) {
            out.put("note", note);
        }
        // A step may read a Planner item whose ETag a later call needs: batches keep them.
        return ToolResults.text(shaper.shapeJson(out, true));
    }

    private static Set<String> statusIds(Map<String, JsonNode> answers, ArrayNode pending, int status) {
        Set<String> ids = new HashSet<>();
        pending.forEach(s -> {
            JsonNode a = answers.get(s.path("id").asString());
            if (a != null && a.path("status").asInt() == status) {
                ids.add(s.path("id").asString());
            }
        });
        return ids;
    }

    /** The throttled steps, plus the steps that failed (424) because they depend on one, with their dependencies trimmed. */
    private ArrayNode retrySteps(ArrayNode steps, Map<String, JsonNode> answers, Set<String> throttled) {
        Set<String> retry = new HashSet<>(throttled);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (JsonNode s : steps) {
                String id = s.path("id").asString();
                JsonNode a = answers.get(id);
                if (!retry.contains(id) && a != null && a.path("status").asInt() == 424 && dependsOnAny(s, retry)) {
                    grew = retry.add(id);
                }
            }
        }
        ArrayNode out = json.createArrayNode();
        for (JsonNode s : steps) {
            if (retry.contains(s.path("id").asString())) {
                ObjectNode copy = (ObjectNode) s.deepCopy();
                ArrayNode deps = json.createArrayNode();
                s.path("dependsOn").forEach(d -> {
                    if (retry.contains(d.asString())) {
                        deps.add(d.asString());
                    }
                });
                copy.remove("dependsOn");
                if (!deps.isEmpty()) {
                    copy.set("dependsOn", deps);
                }
                out.add(copy);
            }
        }
        return out;
    }

    private static boolean dependsOnAny(JsonNode step, Set<String> ids) {
        for (JsonNode d : step.path("dependsOn")) {
            if (ids.contains(d.asString())) {
                return true;
            }
        }
        return false;
    }

    /** The longest Retry-After of the throttled steps; without one, 1, 2, 4... seconds. */
    private static long retryAfter(Map<String, JsonNode> answers, Set<String> throttled, int round) {
        long wait = -1;
        for (String id : throttled) {
            String value = header(answers.get(id), "Retry-After");
            if (value != null) {
                try {
                    wait = Math.max(wait, Long.parseLong(value.strip()));
                } catch (NumberFormatException e) {
                    // An HTTP date: fall back to the default wait.
                }
            }
        }
        return wait >= 0 ? wait : 1L << Math.min(round, 5);
    }

    /** id, status, body (annotations dropped, a next page link kept as nextLink) and a Location header. */
    private ObjectNode compact(JsonNode answer) {
        ObjectNode out = json.createObjectNode();
        out.put("id", answer.path("id").asString());
        out.put("status", answer.path("status").asInt());
        String location = header(answer, "Location");
        if (location != null) {
            out.put("location", location);
        }
        JsonNode body = answer.path("body");
        if (!body.isMissingNode() && !body.isNull()) {
            String next = body.path(ResultShaper.NEXT_LINK).asString(null);
            if (next != null) {
                out.put("nextLink", next);
            }
            out.set("body", ResultShaper.withoutAnnotations(body, false, true));
        }
        return out;
    }

    private static String header(JsonNode answer, String name) {
        for (Map.Entry<String, JsonNode> h : answer.path("headers").properties()) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue().asString();
            }
        }
        return null;
    }

    private static boolean hasHeader(JsonNode step, String name) {
        return header(step, name) != null;
    }

    private static String url(String id, String url) {
        String u = url.strip();
        if (u.isEmpty() || ABSOLUTE.matcher(u).matches()) {
            throw invalid("request " + id + " needs a url relative to the Graph version root, e.g. /me/messages?$top=5");
        }
        if (u.startsWith("/v1.0/")) {
            u = u.substring("/v1.0".length());
        } else if (u.startsWith("v1.0/")) {
            u = u.substring("v1.0".length());
        }
        if (u.startsWith("/beta/") || u.startsWith("beta/")) {
            throw invalid("request " + id + " is a beta URL; graph-batch sends to v1.0");
        }
        return u.startsWith("/") ? u : "/" + u;
    }

    /** What a step reaches, for scope lookup: its method and its path without the query. */
    record StepTarget(String method, String path) {
    }

    static List<StepTarget> targets(ArrayNode steps) {
        List<StepTarget> out = new ArrayList<>();
        steps.forEach(s -> {
            String url = s.path("url").asString();
            int q = url.indexOf('?');
            out.add(new StepTarget(s.path("method").asString(), q < 0 ? url : url.substring(0, q)));
        });
        return out;
    }

    private static InvalidArgumentException invalid(String why) {
        return new InvalidArgumentException("graph-batch: " + why + ". Nothing was sent.");
    }
}
