package dev.ms365mcp.tools.safety;

import dev.ms365mcp.tools.catalog.ToolDef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Which tools send something out and where it goes, read from the catalog's {@code safety.json}: the
 * pointers to a request's recipients and subject, the resource whose addresses also count (the
 * message a reply answers, the chat a post goes to), and values that open an item to anyone.
 */
public final class SafetyRules {

    static final String RESOURCE = "/dev/ms365mcp/tools/catalog/safety.json";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\+?([A-Za-z][A-Za-z0-9_]*)}");

    /**
     * One outbound kind of request.
     *
     * @param action     what it does, in plain words ("Send an email")
     * @param recipients pointers into the request to its recipients
     * @param subject    pointer into the request to its subject, or null
     * @param existing   the resource acted on whose addresses count too, or null
     * @param anyone     a value that opens the item to anyone, or null
     */
    public record Rule(String action, List<String> recipients, String subject, Existing existing, Anyone anyone) {
    }

    /**
     * @param path       relative to the request path ({@code ..}), or a template whose placeholders are the
     *                   request's path values ({@code /chats/{chatId}/members})
     * @param select     {@code $select} for the lookup, or null
     * @param recipients pointers into the resource to addresses
     * @param subject    pointer to the subject shown when asking, or null
     */
    public record Existing(String path, String select, List<String> recipients, String subject) {
    }

    public record Anyone(String pointer, Set<String> values) {
    }

    /** A batch step matched to a rule, with the path values read from the step's URL. */
    public record StepMatch(String tool, Rule rule, Map<String, String> pathValues) {
    }

    private record Tail(String tool, String method, List<Pattern> segments, List<String> names, Rule rule) {
    }

    private final Map<String, Rule> byTool;
    private final List<Tail> tails = new ArrayList<>();
    private final List<String> senders;
    private final Anyone insideIdentityTypes;

    SafetyRules(JsonNode data, List<ToolDef> catalog) {
        Map<String, ToolDef> rows = new HashMap<>();
        catalog.forEach(t -> rows.put(t.name(), t));
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (JsonNode entry : data.path("outbound")) {
            Rule rule = rule(entry);
            for (JsonNode name : entry.path("tools")) {
                ToolDef row = rows.get(name.asString());
                if (row == null) {
                    continue; // a catalog without that row (an embedder's own); SafetyRulesTest checks the built-in one
                }
                rules.put(row.name(), rule);
                tails.add(tail(row, rule));
            }
        }
        this.byTool = Map.copyOf(rules);
        JsonNode untrusted = data.path("untrusted");
        this.senders = strings(untrusted.path("senders"));
        JsonNode id = untrusted.path("identityType");
        this.insideIdentityTypes = new Anyone(id.path("pointer").asString(""), Set.copyOf(strings(id.path("inside"))));
    }

    /**
     * Whether a read's answer holds content from outside: in any object, a sender address outside the
     * allowed domains, or a Teams sender whose identity type is not the organization's.
     */
    public boolean fromOutside(JsonNode answer, RecipientPolicy policy) {
        if (answer.isObject()) {
            for (String pointer : senders) {
                for (JsonNode sender : select(answer, pointer)) {
                    for (String address : RecipientPolicy.addresses(sender)) {
                        if (!policy.inside(address)) {
                            return true;
                        }
                    }
                }
            }
            if (!insideIdentityTypes.pointer().isEmpty()) {
                for (JsonNode type : select(answer, insideIdentityTypes.pointer())) {
                    if (type.isString() && !insideIdentityTypes.values().contains(type.asString())) {
                        return true;
                    }
                }
            }
        }
        if (answer.isContainer()) {
            for (JsonNode child : answer) {
                if (fromOutside(child, policy)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The rules of the built-in {@code safety.json} for these catalog rows. */
    public static SafetyRules builtIn(List<ToolDef> catalog) {
        try (InputStream in = SafetyRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Catalog resource missing: " + RESOURCE);
            }
            return new SafetyRules(JsonMapper.shared().readTree(in), catalog);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rule of an outbound tool, or null. */
    public Rule of(String tool) {
        return byTool.get(tool);
    }

    public Set<String> outboundTools() {
        return byTool.keySet();
    }

    /**
     * The rule a {@code $batch} step falls under: the tool of the same method whose path ends like the
     * step's ({@code /me/mailFolders/inbox/messages/{id}/forward} ends like forward-mail-message's
     * {@code messages/{messageId}/forward}). {@code path}: below the version root, encoded, no query.
     */
    public StepMatch match(String method, String path) {
        List<String> segments = normalized(path);
        StepMatch best = null;
        int bestLength = 0;
        for (Tail t : tails) {
            int n = t.segments().size();
            if (!t.method().equals(method) || n > segments.size() || n <= bestLength) {
                continue;
            }
            List<String> end = segments.subList(segments.size() - n, segments.size());
            Map<String, String> values = new LinkedHashMap<>();
            boolean ok = true;
            for (int i = 0; i < n && ok; i++) {
                Matcher m = t.segments().get(i).matcher(end.get(i));
                ok = m.matches();
                if (ok && t.names().get(i) != null) {
                    values.put(t.names().get(i), end.get(i));
                }
            }
            if (ok) {
                best = new StepMatch(t.tool(), t.rule(), values);
                bestLength = n;
            }
        }
        return best;
    }

    /**
     * A step's path as Graph reads it: each segment decoded, dot segments resolved, and the optional
     * {@code microsoft.graph.} namespace of an action dropped ({@code /me/microsoft.graph.sendMail}).
     */
    static List<String> normalized(String path) {
        List<String> out = new ArrayList<>();
        for (String s : segments(path)) {
            String d = URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (d.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
            } else if (!d.equals(".")) {
                out.add(d.regionMatches(true, 0, "microsoft.graph.", 0, 16) ? d.substring(16) : d);
            }
        }
        return out;
    }

    static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The end of a row's path from the segment before its first placeholder (or its last segment):
     * what a step must end with to count as that tool, whatever leads to it.
     */
    private static Tail tail(ToolDef row, Rule rule) {
        List<String> all = segments(row.path());
        int first = -1;
        for (int i = 0; i < all.size() && first < 0; i++) {
            if (all.get(i).contains("{")) {
                first = i;
            }
        }
        int from = first < 0 ? all.size() - 1 : Math.max(0, first - 1);
        List<Pattern> patterns = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String s : all.subList(from, all.size())) {
            Matcher m = PLACEHOLDER.matcher(s);
            names.add(m.matches() ? m.group(1) : null);
            patterns.add(m.matches() ? Pattern.compile(".+") : literal(s));
        }
        return new Tail(row.name(), row.method().name(), patterns, names, rule);
    }

    /** A template segment: literal text, any embedded placeholder matching anything. */
    private static Pattern literal(String segment) {
        StringBuilder regex = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(segment);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(segment.substring(last, m.start()))).append(".*");
            last = m.end();
        }
        regex.append(Pattern.quote(segment.substring(last)));
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
    }

    private static Rule rule(JsonNode entry) {
        JsonNode e = entry.path("existing");
        Existing existing = e.isObject() ? new Existing(e.path("path").asString(), text(e, "select"),
                strings(e.path("recipients")), text(e, "subject")) : null;
        JsonNode a = entry.path("anyone");
        Anyone anyone = a.isObject() ? new Anyone(a.path("pointer").asString(), Set.copyOf(strings(a.path("values")))) : null;
        return new Rule(entry.path("action").asString("Send"), strings(entry.path("recipients")), text(entry, "subject"),
                existing, anyone);
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).isString() ? node.path(field).asString() : null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return List.copyOf(out);
    }

    /**
     * The nodes a pointer reaches: {@code /body/attendees/*} is every attendee. A string that holds a
     * JSON object or array (some clients send bodies as JSON text) is read as that JSON.
     */
    public static List<JsonNode> select(JsonNode root, String pointer) {
        List<JsonNode> current = List.of(root);
        for (String raw : segments(pointer)) {
            String name = raw.replace("~1", "/").replace("~0", "~");
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode n : current) {
                JsonNode node = parsedText(n);
                if (name.equals("*")) {
                    node.forEach(next::add);
                } else if (node.isObject() && node.has(name)) {
                    next.add(node.get(name));
                } else if (node.isArray() && name.chars().allMatch(Character::isDigit) && node.has(Integer.parseInt(name))) {
                    next.add(node.get(Integer.parseInt(name)));
                }
            }
            current = next;
        }
        return current.stream().map(SafetyRules::parsedText).toList();
    }

    private static JsonNode parsedText(JsonNode n) {
        if (n.isString()) {
            String s = n.asString().strip();
            if (s.startsWith("{") || s.startsWith("[")) {
                try {
                    return JsonMapper.shared().readTree(s);
                } catch (RuntimeException e) {
                    return n;
                }
            }
        }
        return n;
    }

    /** The request as the rules see it: its path values by name, and its JSON body as {@code body}. */
    public static ObjectNode requestView(Map<String, String> pathValues, JsonNode body) {
        ObjectNode view = JsonMapper.shared().createObjectNode();
        pathValues.forEach(view::put);
        if (body != null) {
            view.set("body", body);
        }
        return view;
    }
}
