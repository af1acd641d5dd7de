package dev.ms365mcp.tools.execution;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;

/**
 * Teams message HTML as readable text with light Markdown, parsed by jsoup the way a browser would
 * (entities, unclosed and stray tags, comments, scripts): links as {@code text (url)}, {@code <at>}
 * mentions as {@code @name}, emoji as their character, images, files and cards as bracketed notes, lists,
 * headings, quotes, code and tables kept readable. A separate class so jsoup loads on the first message read,
 * not at start-up.
 */
final class TeamsHtmlText {

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

    /** Teams' own elements written self-closing; HTML would otherwise read what follows as their content. */
    private static final Pattern SELF_CLOSING = Pattern.compile("<(emoji|attachment|at|systemEventMessage)(\\s[^<>]*?)?/>",
            Pattern.CASE_INSENSITIVE);

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

    /** {@code attachments}: notes by attachment id, placed where the HTML has {@code <attachment id>}. */
    TeamsHtmlText(String html, Map<String, String> attachments) {
        this.html = html;
        this.attachments = attachments;
        this.unused = new LinkedHashMap<>(attachments);
    }

    String convert() {
        Element body = Jsoup.parseBodyFragment(SELF_CLOSING.matcher(html).replaceAll("<$1$2></$1>")).body();
        NodeTraversor.filter(new NodeFilter() {
            @Override
            public FilterResult head(Node node, int depth) {
                if (node instanceof TextNode t) {
                    text(t.getWholeText());
                } else if (node instanceof Element e && e != body) {
                    return open(e.normalName(), attributes(e)) ? FilterResult.CONTINUE : FilterResult.SKIP_CHILDREN;
                }
                return FilterResult.CONTINUE;
            }

            @Override
            public FilterResult tail(Node node, int depth) {
                if (node instanceof Element e && e != body && !e.tag().isEmpty()) {
                    close(e.normalName());
                }
                return FilterResult.CONTINUE;
            }
        }, body);
        for (String note : unused.values()) {
            lineBreak(1);
            emit(note);
        }
        return tidy(out.toString());
    }

    /** An opening tag; false when its content is not text to read (scripts, emoji images, attachments). */
    private boolean open(String name, Map<String, String> attrs) {
        switch (name) {
            case "br" -> {
                if (pre > 0) {
                    flush();
                    out.append('\n');
                } else {
                    lineBreak(1);
                }
            }
            case "p", "div", "section", "article", "header", "footer", "table", "caption", "dl", "dt", "dd" -> lineBreak(1);
            case "tr" -> {
                lineBreak(1);
                cell = 0;
            }
            case "td", "th" -> {
                if (cell++ > 0) {
                    emit(" | ");
                }
            }
            case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                lineBreak(2);
                emit("#".repeat(name.charAt(1) - '0') + " ");
                marker = true;
            }
            case "ul", "ol" -> {
                lineBreak(1);
                lists.push(new ListLevel(name.equals("ol")));
            }
            case "li" -> {
                lineBreak(1);
                ListLevel list = lists.isEmpty() ? new ListLevel(false) : lists.peek();
                String indent = "  ".repeat(Math.max(0, lists.size() - 1));
                emit(indent + (list.ordered ? (list.next++) + ". " : "- "));
                marker = true;
            }
            case "blockquote" -> {
                lineBreak(1);
                quote++;
            }
            case "pre", "codeblock" -> {
                lineBreak(1);
                String lang = attrs.getOrDefault("class", "").strip();
                emit("```" + (lang.matches("[A-Za-z0-9+#._-]{1,20}") ? lang.toLowerCase(Locale.ROOT) : ""));
                out.append('\n');
                pre++;
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
            case "a" -> links.push(new Link(attrs.getOrDefault("href", "").strip(), out.length()));
            case "at" -> emit("@");
            case "span" -> {
                if (attrs.getOrDefault("itemtype", "").endsWith("/Mention")) {
                    emit("@");
                }
            }
            case "emoji" -> {
                emit(attrs.getOrDefault("alt", attrs.getOrDefault("title", "")));
                return false;
            }
            case "img" -> image(attrs);
            case "attachment" -> {
                String id = attrs.getOrDefault("id", "");
                String note = attachments.get(id);
                unused.remove(id);
                emit(note != null ? note : "[attachment]");
                return false;
            }
            case "script", "style", "head", "title", "template", "noscript" -> {
                return false;
            }
            default -> { }
        }
        return true;
    }

    private void close(String name) {
        switch (name) {
            case "p", "div", "section", "article", "header", "footer", "table", "caption", "dl", "dt", "dd", "tr", "li" ->
                    lineBreak(1);
            case "h1", "h2", "h3", "h4", "h5", "h6" -> lineBreak(2);
            case "ul", "ol" -> {
                lineBreak(1);
                lists.poll();
            }
            case "blockquote" -> {
                lineBreak(1);
                quote = Math.max(0, quote - 1);
            }
            case "pre", "codeblock" -> {
                pre = Math.max(0, pre - 1);
                if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') {
                    out.append('\n');
                }
                out.append("```");
                lineBreak(1);
            }
            case "code" -> {
                if (pre == 0) {
                    emit("`");
                }
            }
            case "b", "strong" -> emit("**");
            case "i", "em" -> emit("_");
            case "s", "strike", "del" -> emit("~~");
            case "a" -> closeLink();
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

    /** Text between tags (entities already decoded); outside code, whitespace runs become one space. */
    private void text(String t) {
        if (t.isEmpty()) {
            return;
        }
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

    private static Map<String, String> attributes(Element e) {
        Map<String, String> attrs = new LinkedHashMap<>();
        for (Attribute a : e.attributes()) {
            attrs.putIfAbsent(a.getKey().toLowerCase(Locale.ROOT), a.getValue());
        }
        return attrs;
    }

    /** Trailing spaces off every line, at most one blank line in a row, no blank edges. */
    private static String tidy(String s) {
        return s.replaceAll("[ \\t]+\n", "\n").replaceAll("\n{3,}", "\n\n").strip();
    }
}
