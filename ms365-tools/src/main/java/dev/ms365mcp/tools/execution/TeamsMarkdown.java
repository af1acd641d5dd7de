package dev.ms365mcp.tools.execution;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Safelist;

/**
 * Markdown, as models write it, turned into HTML Teams and Outlook show as formatting: commonmark-java
 * renders it (raw HTML in the Markdown escaped, link targets sanitised), then jsoup's safelist keeps only
 * text formatting, lists, quotes, code, tables and http(s)/mailto links. A separate class so both libraries
 * load on the first Markdown message, not at start-up.
 */
final class TeamsMarkdown {

    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();
    private static final Safelist SAFE = Safelist.relaxed().removeTags("img")
            .removeProtocols("a", "href", "ftp").addTags("s", "del", "hr");

    private static final Document.OutputSettings COMPACT = new Document.OutputSettings().prettyPrint(false);

    private TeamsMarkdown() {
    }

    static String toHtml(String markdown) {
        String html = RENDERER.render(PARSER.parse(markdown));
        return Jsoup.clean(html, "", SAFE, COMPACT).strip();
    }
}
