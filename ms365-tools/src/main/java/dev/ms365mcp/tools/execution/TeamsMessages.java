package dev.ms365mcp.tools.execution;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Teams chat and channel messages, both ways, for rows marked {@code "messages": "teams"}.
 *
 * <p>Read: Graph returns message bodies as Teams HTML. {@link #readable} rewrites every
 * {@code body} whose {@code contentType} is {@code html} into plain text with light markdown:
 * links as {@code text (url)}, entities decoded, {@code <at>} mentions as {@code @name}, emoji as
 * their character, images, files, cards and quoted replies as bracketed notes.
 *
 * <p>Send: {@link #outgoing} takes the request the model wrote. An {@code html} body is sent as
 * written. A {@code text} body (the default) is shown by Teams literally but with its line breaks
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
        if (type.equals("html")) {
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
        return new HtmlText(html, attachments == null ? Map.of() : attachments).convert();
    }

    /** A small, forgiving HTML-to-text walker: tags it does not know only separate words. */
    private static final class HtmlText {

        /** An open list: numbered or bulleted, and the next number. */
        private static final class ListLevel {
            final boolean ordered;
            int next = 1;

            ListLevel(boolean ordered) {
                this.ordered = ordered;
            }
        }

        /** An open link: its address and where its text starts in the output. */
        private record Link(String href, int start) {
        }

        /** Longest tag looked for: a stray {@code <} costs at most this much scanning. */
        private static final int MAX_TAG = 4_096;
        private static final Pattern TAG = Pattern.compile("<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>");
        private static final Pattern ATTR = Pattern.compile("([^\\s=/>]+)(?:\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+)))?");
        private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});");
        private static final Map<String, String> NAMED = Map.ofEntries(
                Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("quot", "\""),
                Map.entry("apos", "'"), Map.entry("nbsp", "\u00a0"), Map.entry("ndash", "\u2013"),
                Map.entry("mdash", "\u2014"), Map.entry("hellip", "\u2026"), Map.entry("lsquo", "\u2018"),
                Map.entry("rsquo", "\u2019"), Map.entry("ldquo", "\u201c"), Map.entry("rdquo", "\u201d"),
                Map.entry("bull", "\u2022"), Map.entry("middot", "\u00b7"), Map.entry("copy", "\u00a9"),
                Map.entry("reg", "\u00ae"), Map.entry("trade", "\u2122"), Map.entry("euro", "\u20ac"),
                Map.entry("pound", "\u00a3"), Map.entry("yen", "\u00a5"), Map.entry("cent", "\u00a2"),
                Map.entry("deg", "\u00b0"), Map.entry("times", "\u00d7"), Map.entry("divide", "\u00f7"),
                Map.entry("laquo", "\u00ab"), Map.entry("raquo", "\u00bb"), Map.entry("sect", "\u00a7"),
                Map.entry("para", "\u00b6"), Map.entry("zwj", "\u200d"), Map.entry("zwnj", "\u200c"),
                Map.entry("larr", "\u2190"), Map.entry("rarr", "\u2192"), Map.entry("check", "\u2713"));

        private final String html;
        private final Map<String, String> attachments;
        private final Map<String, String> unused;
        private final StringBuilder out = new StringBuilder();
        private final Deque<ListLevel> lists = new ArrayDeque<>();
        private final Deque<Link> links = new ArrayDeque<>();
        private int breaks; // line breaks owed before the next text (0, 1 or 2)
        private boolean space; // a space owed before the next text
        private boolean marker; // a list or heading marker was just written: its line continues
        private int quote;
        private int pre;
        private int cell;
        private String skipUntil; // text and tags ignored until this closing tag

        HtmlText(String html, Map<String, String> attachments) {
            this.html = html;
            this.attachments = attachments;
            this.unused = new LinkedHashMap<>(attachments);
        }

        String convert() {
            Matcher tag = TAG.matcher(html);
            int i = 0;
            int n = html.length();
            while (i < n) {
                int lt = html.indexOf('<', i);
                if (lt < 0) {
                    text(html.substring(i));
                    break;
                }
                if (lt > i) {
                    text(html.substring(i, lt));
                }
                if (html.startsWith("<!--", lt)) {
                    int end = html.indexOf("-->", lt + 4);
                    i = end < 0 ? n : end + 3;
                } else if (html.startsWith("<!", lt) || html.startsWith("<?", lt)) {
                    int end = html.indexOf('>', lt);
                    i = end < 0 ? n : end + 1;
                } else if (tag.region(lt, Math.min(n, lt + MAX_TAG)).lookingAt()) {
                    tag(tag.group(1).equals("/"), tag.group(2).toLowerCase(Locale.ROOT), tag.group(3));
                    i = tag.end();
                } else {
                    text("<");
                    i = lt + 1;
                }
            }
            for (String note : unused.values()) {
                lineBreak(1);
                emit(note);
            }
            return tidy(out.toString());
        }

        private void tag(boolean closing, String name, String attrText) {
            if (skipUntil != null) {
                if (closing && name.equals(skipUntil)) {
                    skipUntil = null;
                }
                return;
            }
            Map<String, String> attrs = closing ? Map.of() : attributes(attrText);
            boolean selfClosing = attrText.strip().endsWith("/");
            switch (name) {
                case "br" -> {
                    if (pre > 0) {
                        flush();
                        out.append('\n');
                    } else {
                        lineBreak(1);
                    }
                }
                case "p", "div", "section", "article", "header", "footer", "table", "caption", "dl", "dt", "dd" ->
                        lineBreak(1);
                case "tr" -> {
                    lineBreak(1);
                    cell = 0;
                }
                case "td", "th" -> {
                    if (!closing && cell++ > 0) {
                        emit(" | ");
                    }
                }
                case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                    lineBreak(2);
                    if (!closing) {
                        emit("#".repeat(name.charAt(1) - '0') + " ");
                        marker = true;
                    }
                }
                case "ul", "ol" -> {
                    lineBreak(1);
                    if (closing) {
                        lists.poll();
                    } else {
                        lists.push(new ListLevel(name.equals("ol")));
                    }
                }
                case "li" -> {
                    lineBreak(1);
                    if (!closing) {
                        ListLevel list = lists.isEmpty() ? new ListLevel(false) : lists.peek();
                        String indent = "  ".repeat(Math.max(0, lists.size() - 1));
                        emit(indent + (list.ordered ? (list.next++) + ". " : "- "));
                        marker = true;
                    }
                }
                case "blockquote" -> {
                    lineBreak(1);
                    quote = Math.max(0, quote + (closing ? -1 : 1));
                }
                case "pre", "codeblock" -> {
                    if (closing) {
                        pre = Math.max(0, pre - 1);
                        if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') {
                            out.append('\n');
                        }
                        out.append("```");
                        lineBreak(1);
                    } else {
                        lineBreak(1);
                        String lang = attrs.getOrDefault("class", "").strip();
                        emit("```" + (lang.matches("[A-Za-z0-9+#._-]{1,20}") ? lang.toLowerCase(Locale.ROOT) : ""));
                        out.append('\n');
                        pre++;
                    }
                }
                case "code" -> {
                    if (pre == 0) {
                        emit("`");
                    }
                }
                case "b", "strong" -> emit("**");
                case "i", "em" -> emit("_");
                case "s", "strike", "del" -> emit("~~");
                case "hr" -> {
                    lineBreak(1);
                    emit("---");
                    lineBreak(1);
                }
                case "a" -> {
                    if (closing) {
                        closeLink();
                    } else {
                        links.push(new Link(attrs.getOrDefault("href", "").strip(), out.length()));
                    }
                }
                case "at" -> {
                    if (!closing) {
                        emit("@");
                    }
                }
                case "span" -> {
                    if (!closing && attrs.getOrDefault("itemtype", "").endsWith("/Mention")) {
                        emit("@");
                    }
                }
                case "emoji" -> {
                    if (!closing) {
                        emit(attrs.getOrDefault("alt", attrs.getOrDefault("title", "")));
                        skipUntil = selfClosing ? null : "emoji";
                    }
                }
                case "img" -> image(attrs);
                case "attachment" -> {
                    if (!closing) {
                        String id = attrs.getOrDefault("id", "");
                        String note = attachments.get(id);
                        unused.remove(id);
                        emit(note != null ? note : "[attachment]");
                        skipUntil = selfClosing ? null : "attachment";
                    }
                }
                case "script", "style", "head", "title", "template" -> {
                    if (!closing && !selfClosing) {
                        skipUntil = name;
                    }
                }
                default -> { }
            }
        }

        private void image(Map<String, String> attrs) {
            String alt = attrs.getOrDefault("alt", "").strip();
            boolean emoji = attrs.getOrDefault("itemtype", "").endsWith("/Emoji")
                    || attrs.getOrDefault("class", "").contains("emoji");
            if (emoji) {
                emit(alt);
                return;
            }
            String src = attrs.getOrDefault("src", "");
            boolean named = !alt.isEmpty() && !alt.equalsIgnoreCase("image");
            emit("[image" + (named ? ": " + alt : "") + (src.isEmpty() ? "" : " (" + src + ")") + "]");
        }

        private void closeLink() {
            Link link = links.poll();
            if (link == null) {
                return;
            }
            String href = link.href();
            int start = Math.min(link.start(), out.length());
            String label = out.substring(start).strip();
            if (href.isEmpty() || href.startsWith("javascript:") || label.contains(href)
                    || href.equals("mailto:" + label) || href.equals("tel:" + label)) {
                return;
            }
            emit(label.isEmpty() ? href : " (" + href + ")");
        }

        /** Text between tags: entities decoded; outside code, whitespace runs become one space. */
        private void text(String raw) {
            if (skipUntil != null || raw.isEmpty()) {
                return;
            }
            String t = decode(raw);
            if (pre > 0) {
                flush();
                out.append(t.replace('\u00a0', ' '));
                return;
            }
            int i = 0;
            int n = t.length();
            while (i < n) {
                char ch = t.charAt(i);
                if (Character.isWhitespace(ch) && ch != '\u00a0') {
                    space = true;
                    i++;
                    continue;
                }
                int j = i;
                while (j < n && !(Character.isWhitespace(t.charAt(j)) && t.charAt(j) != '\u00a0')) {
                    j++;
                }
                emit(t.substring(i, j).replace('\u00a0', ' '));
                i = j;
            }
        }

        /** Writes {@code s} after the breaks or the space owed. */
        private void emit(String s) {
            if (s.isEmpty()) {
                return;
            }
            if (breaks > 0 || out.isEmpty()) {
                flush();
            } else if (space && !Character.isWhitespace(out.charAt(out.length() - 1))) {
                out.append(' ');
            }
            space = false;
            marker = false;
            out.append(s);
        }

        /** Starts the line owed, if any, with the quote marks of the blockquotes it is in. */
        private void flush() {
            boolean lineStart = out.isEmpty() || breaks > 0;
            if (breaks > 0 && !out.isEmpty()) {
                out.append("\n".repeat(breaks));
            }
            if (lineStart && quote > 0) {
                out.append("> ".repeat(quote));
            }
            breaks = 0;
            space = false;
        }

        private void lineBreak(int n) {
            if (!marker) {
                breaks = Math.max(breaks, n);
                space = false;
            }
        }

        private static Map<String, String> attributes(String text) {
            Map<String, String> attrs = new LinkedHashMap<>();
            Matcher m = ATTR.matcher(text);
            while (m.find()) {
                String v = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
                attrs.putIfAbsent(m.group(1).toLowerCase(Locale.ROOT), v == null ? "" : decode(v));
            }
            return attrs;
        }

        static String decode(String s) {
            if (s.indexOf('&') < 0) {
                return s;
            }
            Matcher m = ENTITY.matcher(s);
            StringBuilder sb = new StringBuilder(s.length());
            while (m.find()) {
                String e = m.group(1);
                String r;
                if (e.charAt(0) == '#') {
                    int cp;
                    try {
                        cp = e.charAt(1) == 'x' || e.charAt(1) == 'X' ? Integer.parseInt(e.substring(2), 16)
                                : Integer.parseInt(e.substring(1));
                    } catch (NumberFormatException ex) {
                        cp = -1;
                    }
                    r = Character.isValidCodePoint(cp) && cp != 0 ? new String(Character.toChars(cp)) : m.group();
                } else {
                    r = NAMED.getOrDefault(e, m.group());
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(r));
            }
            m.appendTail(sb);
            return sb.toString();
        }

        /** Trailing spaces off every line, at most one blank line in a row, no blank edges. */
        private static String tidy(String s) {
            return s.replaceAll("[ \\t]+\n", "\n").replaceAll("\n{3,}", "\n\n").strip();
        }
    }
}
