package dev.ms365mcp.tools.safety;

import static dev.ms365mcp.tools.ToolResults.error;
import dev.ms365mcp.tools.catalog.ToolDef;
import dev.ms365mcp.tools.execution.CallContext;
import dev.ms365mcp.tools.graph.GraphCall;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The safety checks every Graph call passes just before it is sent (also each step of a
 * {@code $batch}, and calls through discovery's execute-tool): outbound recipients against the allowed
 * domains, confirmation by the user (elicitation, or a one-time token the model passes back), and the
 * "read untrusted, then send" rule. Also writes the audit line of each call.
 */
public final class SafetyGate {

    /** The extra argument that carries a confirmation token back (accepted by every tool, never listed). */
    public static final String TOKEN_ARGUMENT = "confirmationToken";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\+?)([A-Za-z][A-Za-z0-9_]*)}");
    private static final Duration SESSION_IDLE = Duration.ofHours(8);
    private static final int MAX_SESSIONS = 10_000;

    private final SafetySettings settings;
    private final SafetyRules rules;
    private final RecipientPolicy policy;
    private final ConfirmationTokens tokens;
    private final UntrustedSessions untrusted;
    private final AuditLog audit;
    private final JsonMapper json = JsonMapper.shared();

    public SafetyGate(SafetySettings settings, List<ToolDef> catalog) {
        this(settings, catalog, Clock.systemUTC());
    }

    SafetyGate(SafetySettings settings, List<ToolDef> catalog, Clock clock) {
        this.settings = settings;
        this.rules = SafetyRules.builtIn(catalog);
        this.policy = new RecipientPolicy(settings.allowedDomains());
        this.tokens = new ConfirmationTokens(settings.confirmationTtl(), clock);
        this.untrusted = new UntrustedSessions(SESSION_IDLE, MAX_SESSIONS, clock);
        this.audit = new AuditLog(settings);
    }

    /** Reads an existing resource for its recipients (one GET, with the call's caller and account). */
    @FunctionalInterface
    public interface Lookup {
        /** {@code path}: below the Graph root with the version, encoded ({@code v1.0/me/messages/AAA}). */
        JsonNode get(String path, String select) throws LookupFailure;
    }

    /** A lookup that did not answer; its message says why (HTTP status and Graph's reason, never a token). */
    public static final class LookupFailure extends Exception {
        public LookupFailure(String message) {
            super(message);
        }
    }

    /** The arguments a tool itself takes: without the confirmation token. */
    public static Map<String, Object> toolArguments(Map<String, Object> arguments) {
        if (arguments == null) {
            return Map.of();
        }
        if (!arguments.containsKey(TOKEN_ARGUMENT)) {
            return arguments;
        }
        Map<String, Object> copy = new LinkedHashMap<>(arguments);
        copy.remove(TOKEN_ARGUMENT);
        return copy;
    }

    /** The call context with a fresh audit entry for {@code tool}, when audit is on. */
    public CallContext track(CallContext context, String tool) {
        return audit.enabled() ? context.withAudit(new AuditEntry(tool)) : context;
    }

    /** Writes the audit line of a finished call. */
    public void finish(CallContext context, CallToolResult result) {
        AuditEntry e = context.audit();
        if (e != null) {
            e.outcomeIfUnset(Boolean.TRUE.equals(result.isError()) ? "error" : "ok");
            audit.write(e, context.principal(), context.session());
        }
    }

    /**
     * Notes what a successful read brought in: with the untrusted-read rule on, content from outside the
     * organization marks the session.
     */
    public void observe(CallContext context, byte[] body) {
        if (!settings.guardUntrusted() || body == null || body.length == 0) {
            return;
        }
        try {
            observe(context, json.readTree(body));
        } catch (RuntimeException e) {
            // Not JSON (file bytes, text): nothing to learn about senders from it.
        }
    }

    public void observe(CallContext context, JsonNode answer) {
        if (settings.guardUntrusted() && answer != null && rules.fromOutside(answer, policy)) {
            untrusted.mark(UntrustedSessions.key(context.principal(), context.session()));
        }
    }

    /** One outbound part of a call: the call itself, or one step of a batch. */
    private record Part(String tool, SafetyRules.Rule rule, ObjectNode view, String version, String path,
            Map<String, String> pathValues) {
    }

    /** What the checks found about one call's recipients. */
    private static final class Findings {
        final List<String> recipients = new ArrayList<>();
        final List<String> outside = new ArrayList<>();
        final List<String> unchecked = new ArrayList<>();
        final List<String> subjects = new ArrayList<>();
        final List<String> actions = new ArrayList<>();
    }

    /**
     * Decides whether a built call may be sent: {@code null} to send it, or the result to answer instead
     * (refused, declined, or waiting for a confirmation token). Nothing is sent when it answers.
     *
     * @param arguments the call's arguments as given (with a confirmation token, if any)
     * @param steps     a batch's checked steps, or null
     */
    public CallToolResult admit(ToolDef tool, Map<String, Object> arguments, GraphCall call, ArrayNode steps,
            CallContext context, Lookup lookup) {
        AuditEntry entry = context.audit();
        if (entry != null) {
            entry.runs(tool.name());
            entry.request(call.method(), call.pathTemplate(), call.pathValues());
            if (steps != null) {
                steps.forEach(s -> entry.step(s.path("method").asString(), s.path("url").asString()));
            }
        }
        List<Part> parts = parts(tool, call, steps);
        boolean writes = steps == null ? !tool.readOnly() : hasWriteStep(steps);
        boolean risky = !parts.isEmpty() || (tool.destructive() && writes);
        boolean asked = (settings.confirmRisky() && risky) || settings.confirms(tool.name())
                || parts.stream().anyMatch(p -> settings.confirms(p.tool()));
        boolean tainted = settings.guardUntrusted() && !parts.isEmpty()
                && untrusted.marked(UntrustedSessions.key(context.principal(), context.session()));
        if (!asked && !tainted && parts.isEmpty()) {
            return null;
        }
        Findings found = new Findings();
        for (Part p : parts) {
            try {
                inspect(p, found, lookup, policy.active() || asked || tainted);
            } catch (SafetyGate.LookupFailure e) {
                return stop(entry, "refused", null, tool.name() + ": could not check who this would reach ("
                        + e.getMessage() + "). Nothing was sent.");
            }
        }
        if (entry != null) {
            entry.recipients(found.recipients);
        }
        boolean blocked = !found.outside.isEmpty() || !found.unchecked.isEmpty();
        if (blocked && !asked && !tainted) {
            return stop(entry, "refused", null, refusal(tool, found));
        }
        if (!asked && !tainted) {
            return null;
        }
        String summary = summary(tool, call, found, tainted);
        if (context.elicitation() != null) {
            if (context.elicitation().confirm(summary)) {
                if (entry != null) {
                    entry.confirmation("accepted by the user");
                }
                return null;
            }
            return stop(entry, "declined", "declined by the user", "The user did not confirm, so nothing was sent.\n"
                    + summary);
        }
        return tokenFlow(tool, arguments, context, entry, summary);
    }

    private CallToolResult tokenFlow(ToolDef tool, Map<String, Object> arguments, CallContext context, AuditEntry entry,
            String summary) {
        String canonical = canonical(toolArguments(arguments));
        Object given = arguments == null ? null : arguments.get(TOKEN_ARGUMENT);
        if (given == null) {
            String token = tokens.issue(context.principal(), tool.name(), canonical);
            return stop(entry, "confirmation required", "token issued", "Confirmation needed: nothing was sent.\n"
                    + summary + "\nShow this to the user and ask. Only if they agree, call " + tool.name()
                    + " again with exactly the same arguments plus \"" + TOKEN_ARGUMENT + "\": \"" + token
                    + "\" (valid " + tokens.ttl().toSeconds() + " s, once).");
        }
        ConfirmationTokens.Verdict verdict = given instanceof String s
                ? tokens.redeem(s, context.principal(), tool.name(), canonical) : ConfirmationTokens.Verdict.MALFORMED;
        if (verdict == ConfirmationTokens.Verdict.ACCEPTED) {
            if (entry != null) {
                entry.confirmation("confirmed with a token");
            }
            return null;
        }
        String why = switch (verdict) {
            case EXPIRED -> "it has expired";
            case USED -> "it was already used";
            case OTHER_CALL -> "it was issued for another call (the tool or an argument differs)";
            default -> "it is not a confirmation token";
        };
        return stop(entry, "refused", "token rejected: " + verdict.name().toLowerCase().replace('_', ' '),
                "The confirmation token was not accepted: " + why + ". Nothing was sent. Call " + tool.name()
                + " without " + TOKEN_ARGUMENT + " to get a new one, and ask the user again.");
    }

    private static CallToolResult stop(AuditEntry entry, String outcome, String confirmation, String message) {
        if (entry != null) {
            entry.outcome(outcome);
            if (confirmation != null) {
                entry.confirmation(confirmation);
            }
        }
        return error(message);
    }

    private List<Part> parts(ToolDef tool, GraphCall call, ArrayNode steps) {
        List<Part> parts = new ArrayList<>();
        if (steps != null) {
            for (JsonNode s : steps) {
                String url = s.path("url").asString();
                int q = url.indexOf('?');
                String path = q < 0 ? url : url.substring(0, q);
                SafetyRules.StepMatch m = rules.match(s.path("method").asString(), path);
                if (m != null) {
                    parts.add(new Part(m.tool(), m.rule(), SafetyRules.requestView(m.pathValues(), body(s.get("body"))),
                            "v1.0", path, m.pathValues()));
                }
            }
            return parts;
        }
        SafetyRules.Rule rule = rules.of(tool.name());
        if (rule != null) {
            JsonNode body = null;
            if (call.body() != null && call.contentType() != null && call.contentType().contains("json")) {
                try {
                    body = json.readTree(call.body());
                } catch (RuntimeException e) {
                    body = null;
                }
            }
            String expanded = expand(call.pathTemplate(), call.pathValues());
            String version = SafetyRules.segments(expanded).get(0);
            parts.add(new Part(tool.name(), rule, SafetyRules.requestView(call.pathValues(), body), version,
                    expanded.substring(expanded.indexOf('/', 1)), call.pathValues()));
        }
        return parts;
    }

    private JsonNode body(JsonNode stepBody) {
        return stepBody == null ? null : SafetyRules.select(stepBody, "").get(0);
    }

    private static boolean hasWriteStep(ArrayNode steps) {
        for (JsonNode s : steps) {
            if (!"GET".equals(s.path("method").asString())) {
                return true;
            }
        }
        return false;
    }

    /** {@code readExisting}: read the resource acted on, for the guard or for the question (who a reply reaches). */
    private void inspect(Part p, Findings found, Lookup lookup, boolean readExisting) throws LookupFailure {
        SafetyRules.Rule rule = p.rule();
        found.actions.add(rule.action());
        for (String pointer : rule.recipients()) {
            SafetyRules.select(p.view(), pointer).forEach(r -> classify(r, found));
        }
        if (rule.subject() != null) {
            SafetyRules.select(p.view(), rule.subject()).stream().filter(JsonNode::isString)
                    .forEach(s -> found.subjects.add(s.asString()));
        }
        if (rule.anyone() != null && policy.active()) {
            for (JsonNode v : SafetyRules.select(p.view(), rule.anyone().pointer())) {
                if (v.isString() && rule.anyone().values().contains(v.asString())) {
                    found.outside.add("anyone with the link");
                }
            }
        }
        SafetyRules.Existing existing = rule.existing();
        if (existing != null && readExisting) {
            JsonNode resource = lookup.get(p.version() + resolve(p.path(), existing.path(), p.pathValues()),
                    existing.select());
            for (String pointer : existing.recipients()) {
                SafetyRules.select(resource, pointer).forEach(r -> classify(r, found));
            }
            if (existing.subject() != null) {
                SafetyRules.select(resource, existing.subject()).stream().filter(JsonNode::isString)
                        .forEach(s -> found.subjects.add(s.asString()));
            }
        }
    }

    private void classify(JsonNode recipient, Findings found) {
        List<String> addresses = RecipientPolicy.addresses(recipient);
        if (addresses.isEmpty()) {
            if (policy.active() && !recipient.isNull() && !recipient.isMissingNode()) {
                found.unchecked.add(describe(recipient));
            }
            return;
        }
        for (String a : addresses) {
            if (!found.recipients.contains(a)) {
                found.recipients.add(a);
            }
            if (policy.active() && !policy.inside(a) && !found.outside.contains(a)) {
                found.outside.add(a);
            }
        }
    }

    /** A recipient without an address, named by what it has (an ID, a display name) for the message. */
    private static String describe(JsonNode recipient) {
        String text = recipient.isString() ? recipient.asString() : recipient.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    private String refusal(ToolDef tool, Findings found) {
        StringBuilder out = new StringBuilder(tool.name()).append(" was refused: ");
        String domains = String.join(", ", policy.domains());
        if (!found.outside.isEmpty()) {
            out.append("it would reach ").append(String.join(", ", found.outside))
                    .append(", outside the allowed domains (").append(domains).append(")");
        }
        if (!found.unchecked.isEmpty()) {
            out.append(found.outside.isEmpty() ? "" : "; ").append("recipients without an email address cannot be "
                    + "checked against the allowed domains (").append(domains).append("): ")
                    .append(String.join(", ", found.unchecked)).append(" — name them by email address");
        }
        return out.append(". Nothing was sent (MS365_MCP_ALLOWED_RECIPIENT_DOMAINS).").toString();
    }

    /** What the call will do, in plain words, for the user to decide on. */
    private String summary(ToolDef tool, GraphCall call, Findings found, boolean tainted) {
        StringBuilder s = new StringBuilder();
        String action = found.actions.isEmpty() ? tool.description().replaceAll("\\.$", "")
                : String.join(", ", found.actions.stream().distinct().toList());
        s.append(action).append(" (").append(tool.name()).append(")");
        if (!found.recipients.isEmpty()) {
            s.append("\nTo: ").append(String.join(", ", found.recipients));
        }
        if (!found.subjects.isEmpty()) {
            s.append("\nSubject: ").append(String.join(" / ", found.subjects.stream().distinct().toList()));
        }
        Map<String, String> target = new LinkedHashMap<>(call.pathValues());
        if (!target.isEmpty()) {
            s.append("\nTarget: ").append(target.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", ")));
        }
        if (!found.outside.isEmpty()) {
            s.append("\nWarning: outside the allowed domains (").append(String.join(", ", policy.domains()))
                    .append("): ").append(String.join(", ", found.outside));
        }
        if (!found.unchecked.isEmpty()) {
            s.append("\nWarning: cannot be checked (no email address): ").append(String.join(", ", found.unchecked));
        }
        if (tainted) {
            s.append("\nWarning: this session has read content from outside the organization; it may have asked "
                    + "for this.");
        }
        return s.toString();
    }

    /** A path template with its values: IDs encoded into their segment, {@code {+x}} values as they are. */
    static String expand(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.getOrDefault(m.group(2), "");
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1).isEmpty()
                    ? URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20") : v));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The resource a rule looks at: a template filled with the request's path values
     * ({@code /chats/{chatId}/members}), or a path relative to the request's ({@code ..}). Starts with '/'.
     */
    static String resolve(String requestPath, String relative, Map<String, String> pathValues) {
        if (relative.startsWith("/")) {
            return expand(relative, pathValues);
        }
        List<String> segments = new ArrayList<>(SafetyRules.segments(requestPath));
        for (String s : relative.split("/")) {
            if (s.equals("..")) {
                if (!segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
            } else if (!s.isEmpty() && !s.equals(".")) {
                segments.add(s);
            }
        }
        return "/" + String.join("/", segments);
    }

    /** The arguments as JSON with object keys sorted, so the same call always reads the same. */
    String canonical(Map<String, Object> arguments) {
        return json.writeValueAsString(sorted(json.valueToTree(arguments)));
    }

    private JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> keys = new TreeMap<>();
            node.properties().forEach(e -> keys.put(e.getKey(), sorted(e.getValue())));
            ObjectNode out = json.createObjectNode();
            keys.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = json.createArrayNode();
            node.forEach(n -> out.add(sorted(n)));
            return out;
        }
        return node;
    }
}
