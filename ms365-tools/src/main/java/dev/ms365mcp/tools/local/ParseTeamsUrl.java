package dev.ms365mcp.tools.local;

import static dev.ms365mcp.tools.ToolResults.text;
import static dev.ms365mcp.tools.ToolResults.error;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code parse-teams-url}: splits a Teams link into the IDs the Teams and meeting tools take, without
 * calling Graph. Knows meeting join links ({@code /l/meetup-join/...}, {@code /meet/<id>?p=...}),
 * message, channel, team and chat links; unwraps Outlook safe links and {@code msteams:} links. The
 * answer uses the tools' argument names: {@code teamId, channelId, chatId, chatMessageId} (and
 * {@code chatMessageId1} for a reply), plus {@code tenantId}, {@code organizerId} and the like.
 */
public final class ParseTeamsUrl implements LocalTool {

    public static final String NAME = "parse-teams-url";

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final Pattern URL = Pattern.compile("(?i)(https?)://([^/?#]+)([^?#]*)(?:\\?([^#]*))?(?:#(.*))?");
    private static final Pattern TEAMS_HOST = Pattern.compile(
            "(.+\\.)?teams\\.(microsoft\\.com|live\\.com|cloud\\.microsoft|microsoft\\.us|microsoftonline\\.cn)");

    @Override
    public CallToolResult call(Map<String, Object> arguments) {
        if (!(arguments.get("url") instanceof String url) || url.isBlank()) {
            return error("Missing required argument 'url': a Teams meeting, message, channel or chat link.");
        }
        try {
            return text(JSON.writeValueAsString(parse(url.strip())));
        } catch (IllegalArgumentException e) {
            return error(e.getMessage());
        }
    }

    static ObjectNode parse(String given) {
        String url = given;
        if (url.regionMatches(true, 0, "msteams:", 0, "msteams:".length())) {
            String rest = url.substring("msteams:".length());
            url = "https://teams.microsoft.com" + (rest.startsWith("/") ? rest : "/" + rest);
        }
        Matcher m = URL.matcher(url);
        for (int unwrap = 0; m.matches() && host(m).endsWith(".safelinks.protection.outlook.com") && unwrap < 3; unwrap++) {
            url = query(m.group(4)).getOrDefault("url", "");
            m = URL.matcher(url);
        }
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a web link: '" + given + "'. Give the whole Teams link (https://teams...).");
        }
        if (!TEAMS_HOST.matcher(host(m)).matches()) {
            throw new IllegalArgumentException("Not a Microsoft Teams link: the host is " + host(m) + ".");
        }
        String path = m.group(3);
        String rawQuery = m.group(4);
        String fragment = m.group(5);
        if (fragment != null && fragment.startsWith("/")) {
            // Old web-client links: https://teams.microsoft.com/_#/l/...
            int q = fragment.indexOf('?');
            path = q < 0 ? fragment : fragment.substring(0, q);
            rawQuery = q < 0 ? rawQuery : fragment.substring(q + 1);
        }
        List<String> seg = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                seg.add(decode(s, false));
            }
        }
        Map<String, String> query = query(rawQuery);
        ObjectNode out = JSON.createObjectNode();
        if (seg.size() >= 2 && seg.get(0).equalsIgnoreCase("meet")) {
            out.put("kind", "meeting");
            out.put("joinMeetingId", seg.get(1));
            putIf(out, "passcode", query.get("p"));
            out.put("find", "list-online-meetings with filter joinMeetingIdSettings/joinMeetingId eq '" + seg.get(1) + "'");
            return out;
        }
        if (seg.size() < 2 || !seg.get(0).equalsIgnoreCase("l")) {
            throw new IllegalArgumentException("Not a Teams link this tool knows: expected a path starting /l/ or /meet/, got '"
                    + path + "'.");
        }
        String kind = seg.get(1).toLowerCase(Locale.ROOT);
        String thread = seg.size() > 2 ? seg.get(2) : null;
        String groupId = query.get("groupId");
        switch (kind) {
            case "meetup-join" -> {
                out.put("kind", "meeting");
                out.put("joinWebUrl", url);
                putIf(out, "chatId", thread);
                putIf(out, "messageId", seg.size() > 3 ? seg.get(3) : null);
                out.put("find", "list-online-meetings with filter JoinWebUrl eq '<joinWebUrl>'");
            }
            case "message" -> {
                String messageId = seg.size() > 3 ? seg.get(3) : null;
                String parent = query.get("parentMessageId");
                boolean reply = parent != null && !parent.equals(messageId) && !parent.equals("0");
                if (groupId != null) {
                    out.put("kind", "channelMessage");
                    out.put("teamId", groupId);
                    putIf(out, "channelId", thread);
                } else {
                    out.put("kind", "chatMessage");
                    putIf(out, "chatId", thread);
                }
                putIf(out, "chatMessageId", reply ? parent : messageId);
                putIf(out, "chatMessageId1", reply ? messageId : null);
                putIf(out, "teamName", query.get("teamName"));
                putIf(out, "channelName", query.get("channelName"));
                putIf(out, "createdDateTime", epochMillis(query.get("createdTime")));
            }
            case "channel" -> {
                out.put("kind", "channel");
                putIf(out, "teamId", groupId);
                putIf(out, "channelId", thread);
                putIf(out, "channelName", seg.size() > 3 ? seg.get(3) : null);
            }
            case "team" -> {
                out.put("kind", "team");
                putIf(out, "teamId", groupId);
                putIf(out, "generalChannelId", thread);
            }
            case "chat", "call" -> {
                boolean fresh = thread == null || thread.equals("0");
                out.put("kind", kind.equals("call") ? "call" : fresh ? "newChat" : "chat");
                putIf(out, "chatId", fresh ? null : thread);
                if (query.containsKey("users")) {
                    out.set("users", JSON.valueToTree(List.of(query.get("users").split(","))));
                }
                putIf(out, "topicName", query.get("topicName"));
                putIf(out, "message", query.get("message"));
            }
            default -> {
                out.put("kind", kind);
                if (seg.size() > 2) {
                    out.set("parts", JSON.valueToTree(seg.subList(2, seg.size())));
                }
                query.forEach((k, v) -> {
                    if (!k.equals("context") && !k.equals("tenantId")) {
                        out.put(k, v);
                    }
                });
            }
        }
        putIf(out, "tenantId", query.get("tenantId"));
        context(out, query.get("context"));
        return out;
    }

    /** {@code context={"Tid":..,"Oid":..}} of meeting and chat links: tenant and organizer, the rest kept as is. */
    private static void context(ObjectNode out, String context) {
        if (context == null || context.isBlank()) {
            return;
        }
        JsonNode node;
        try {
            node = JSON.readTree(context);
        } catch (JacksonException e) {
            out.put("context", context);
            return;
        }
        if (!(node instanceof ObjectNode obj)) {
            return;
        }
        ObjectNode rest = obj.deepCopy();
        if (rest.has("Tid") && !out.has("tenantId")) {
            out.put("tenantId", rest.path("Tid").asString());
        }
        if (rest.has("Oid")) {
            out.put("organizerId", rest.path("Oid").asString());
        }
        rest.remove(List.of("Tid", "Oid"));
        if (!rest.isEmpty()) {
            out.set("context", rest);
        }
    }

    private static String host(Matcher m) {
        String authority = m.group(2).toLowerCase(Locale.ROOT);
        int at = authority.lastIndexOf('@');
        String host = at < 0 ? authority : authority.substring(at + 1);
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(decode(pair.substring(0, eq), true), decode(pair.substring(eq + 1), true));
            }
        }
        return out;
    }

    /** Percent-decodes (a '+' is a space only in a query); a malformed escape leaves the text as it was. */
    private static String decode(String s, boolean query) {
        try {
            return URLDecoder.decode(query ? s : s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static String epochMillis(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(value)).toString();
        } catch (NumberFormatException e) {
            return value;
        }
    }

    private static void putIf(ObjectNode out, String name, String value) {
        if (value != null && !value.isBlank()) {
            out.put(name, value);
        }
    }
}
