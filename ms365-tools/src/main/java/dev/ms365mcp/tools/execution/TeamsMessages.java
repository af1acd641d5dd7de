package dev.ms365mcp.tools.execution;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Teams chat and channel messages, both ways, for rows marked {@code "messages": "teams"}.
 *
 * <p>Read: Graph returns message bodies as Teams HTML. {@link #readable} rewrites (with jsoup) every
 * {@code body} whose {@code contentType} is {@code html} into plain text with light markdown:
 * links as {@code text (url)}, entities decoded, {@code <at>} mentions as {@code @name}, emoji as
 * their character, images, files, cards and quoted replies as bracketed notes.
 *
 * <p>Send: {@link #outgoing} takes the request the model wrote. An {@code html} body is sent as
 * written; a {@code markdown} body (our addition to Graph's text|html) is sent as sanitised HTML. A {@code text} body (the default) is shown by Teams literally but with its line breaks
 * collapsed, so text with line breaks is sent as escaped HTML with {@code <br>}: every character
 * still shows as typed. New messages (POST) get the configured sign-off prefix and suffix, escaped
 * the same way; edits do not, so a message is never signed twice.
 */
public final class TeamsMessages {

    private final JsonMapper json = JsonMapper.shared();
    private final String prefix;
    private final String suffix;

    public TeamsMessages(String signoffPrefix, String signoffSuffix) {
        this.prefix = signoffPrefix == null ? "" : signoffPrefix;
        this.suffix = signoffSuffix == null ? "" : signoffSuffix;
    }

    // ---- sending ------------------------------------------------------------------------------

    /** A request body given as bare text: the message's text. */
    ObjectNode fromText(String text) {
        ObjectNode request = json.createObjectNode();
        request.putObject("body").put("contentType", "text").put("content", text);
        return request;
    }

    /**
     * The request body to send for {@code request}: sign-off added when {@code newMessage}, text
     * with line breaks turned into escaped HTML. Anything not shaped like a message passes unchanged.
     */
    JsonNode outgoing(JsonNode request, boolean newMessage) {
        if (!(request instanceof ObjectNode original)) {
            return request;
        }
        ObjectNode out = original.deepCopy();
        JsonNode b = out.get("body");
        if (b != null && b.isString()) {
            out.set("body", fromText(b.asString()).get("body"));
        } else if (!(b instanceof ObjectNode)) {
            return out;
        }
        ObjectNode body = (ObjectNode) out.get("body");
        JsonNode c = body.get("content");
        if (c == null || !c.isString()) {
            return out;
        }
        String before = newMessage ? prefix : "";
        String after = newMessage ? suffix : "";
        String type = body.path("contentType").asString("text").toLowerCase(Locale.ROOT);
        if (type.equals("markdown")) {
            body.put("contentType", "html");
            body.put("content", escapeHtml(before) + TeamsMarkdown.toHtml(c.asString()) + escapeHtml(after));
        } else if (type.equals("html")) {
            if (!before.isEmpty() || !after.isEmpty()) {
                body.put("content", escapeHtml(before) + c.asString() + escapeHtml(after));
            }
        } else if (type.equals("text")) {
            String text = before + c.asString() + after;
            if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
                body.put("contentType", "html");
                body.put("content", escapeHtml(text));
            } else {
                body.put("content", text);
            }
        }
        return out;
    }

    /** Text as HTML that shows exactly that text: markup characters escaped, line breaks and runs of spaces kept. */
    static String escapeHtml(String text) {
        String t = text.replace("\r\n", "\n").replace('\r', '\n');
        StringBuilder sb = new StringBuilder(t.length() + 16);
        char prev = '\n';
        for (int i = 0; i < t.length(); i++) {
            char ch = t.charAt(i);
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\n' -> sb.append("<br>");
                case ' ' -> sb.append(prev == ' ' || prev == '\n' ? "&nbsp;" : " ");
                default -> sb.append(ch);
            }
            prev = ch;
        }
        return sb.toString();
    }

    // ---- reading ------------------------------------------------------------------------------

    /** Rewrites, in place, every HTML message body under {@code node} (items, replies, expanded messages). */
    JsonNode readable(JsonNode node) {
        if (node instanceof ObjectNode obj) {
            if (obj.get("body") instanceof ObjectNode body && body.path("contentType").asString("").equalsIgnoreCase("html")
                    && body.path("content").isString()) {
                body.put("contentType", "text");
                body.put("content", toText(body.path("content").asString(), attachmentNotes(obj.path("attachments"))));
            }
            obj.properties().forEach(e -> readable(e.getValue()));
        } else if (node instanceof ArrayNode arr) {
            arr.forEach(this::readable);
        }
        return node;
    }

    /** One short note per attachment, by id: what it is and where it lives. */
    private Map<String, String> attachmentNotes(JsonNode attachments) {
        Map<String, String> notes = new LinkedHashMap<>();
        for (JsonNode a : attachments) {
            String id = a.path("id").asString("");
            String type = a.path("contentType").asString("");
            String name = a.path("name").asString("");
            String url = a.path("contentUrl").asString("");
            String note;
            if (type.equals("messageReference")) {
                JsonNode ref = parse(a.path("content").asString(""));
                String who = ref.path("messageSender").path("user").path("displayName").asString("");
                String preview = ref.path("messagePreview").asString("");
                note = "[reply to " + (who.isEmpty() ? "a message" : who) + (preview.isEmpty() ? "" : ": \"" + preview + "\"") + "]";
            } else if (type.startsWith("application/vnd.microsoft.card.")) {
                StringBuilder texts = new StringBuilder();
                cardTexts(parse(a.path("content").asString("")), texts);
                String kind = type.substring("application/vnd.microsoft.card.".length());
                note = "[" + kind + " card" + (texts.isEmpty() ? "" : ": " + texts) + "]";
            } else {
                String what = type.equals("reference") ? "file" : "attachment";
                String label = name.isEmpty() ? (type.isEmpty() || type.equals("reference") ? "" : type) : name;
                note = "[" + what + (label.isEmpty() ? "" : ": " + label) + (url.isEmpty() ? "" : " (" + url + ")") + "]";
            }
            notes.put(id, note);
        }
        return notes;
    }

    private JsonNode parse(String text) {
        if (text.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(text);
        } catch (JacksonException e) {
            return json.createObjectNode();
        }
    }

    /** The visible strings of a card (title, text, subtitle), joined, at most about 300 characters. */
    private static void cardTexts(JsonNode node, StringBuilder out) {
        if (out.length() > 300) {
            return;
        }
        if (node instanceof ObjectNode obj) {
            obj.properties().forEach(e -> {
                String k = e.getKey();
                if (e.getValue().isString() && (k.equals("title") || k.equals("text") || k.equals("subtitle"))) {
                    String v = e.getValue().asString().strip();
                    if (!v.isEmpty() && out.length() <= 300) {
                        out.append(out.isEmpty() ? "" : " / ").append(v);
                    }
                } else {
                    cardTexts(e.getValue(), out);
                }
            });
        } else if (node instanceof ArrayNode arr) {
            arr.forEach(n -> cardTexts(n, out));
        }
    }

    /**
     * Teams HTML as readable text. {@code attachments} maps attachment ids to notes, used where
     * the HTML places {@code <attachment id>} and appended at the end for any it does not place.
     */
    public static String toText(String html, Map<String, String> attachments) {
        return new TeamsHtmlText(html, attachments == null ? Map.of() : attachments).convert();
    }
}
