package dev.ms365mcp.tools.teams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.tools.execution.TeamsMessages;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Teams message HTML as a model reads it: text, light markdown, links and notes kept. */
class TeamsHtmlTextTest {

    private static String text(String html) {
        return TeamsMessages.toText(html, Map.of());
    }

    @Test
    void paragraphsAndBreaksBecomeLines() {
        assertThat(text("<p>Hello</p><p>World</p>")).isEqualTo("Hello\nWorld");
        assertThat(text("<div>one<br>two<br/>three</div>")).isEqualTo("one\ntwo\nthree");
        assertThat(text("<p>first</p><p>&nbsp;</p><p>after a blank line</p>")).isEqualTo("first\n\nafter a blank line");
    }

    @Test
    void whitespaceOfTheSourceCollapses() {
        assertThat(text("<p>\n   spaced    out\n   words  </p>\n\n<p>  next </p>")).isEqualTo("spaced out words\nnext");
        assertThat(text("plain text, no tags")).isEqualTo("plain text, no tags");
        assertThat(text("")).isEmpty();
    }

    @Test
    void entitiesAreDecoded() {
        assertThat(text("Fish &amp; chips &lt;b&gt; &quot;q&quot; it&#39;s &#x1F600; &copy;&nbsp;2025 &hellip;"))
                .isEqualTo("Fish & chips <b> \"q\" it's \uD83D\uDE00 \u00a9 2025 \u2026");
        assertThat(text("&bogus; &#xZZ; & alone")).isEqualTo("&bogus; &#xZZ; & alone");
    }

    @Test
    void decodedMarkupIsNotParsedAgain() {
        assertThat(text("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")).isEqualTo("<script>alert(1)</script>");
    }

    @Test
    void linksKeepTheirAddress() {
        assertThat(text("See <a href=\"https://contoso.test/doc?a=1&amp;b=2\">the spec</a> today."))
                .isEqualTo("See the spec (https://contoso.test/doc?a=1&b=2) today.");
        assertThat(text("<a href=\"https://contoso.test\">https://contoso.test</a>")).isEqualTo("https://contoso.test");
        assertThat(text("<a href=\"mailto:ann@contoso.test\">ann@contoso.test</a>")).isEqualTo("ann@contoso.test");
        assertThat(text("<a href='https://contoso.test/x'></a>")).isEqualTo("https://contoso.test/x");
        assertThat(text("<a href=\"javascript:void(0)\">click</a>")).isEqualTo("click");
    }

    @Test
    void mentionsBecomeAtNames() {
        assertThat(text("<div><at id=\"0\">Adele Vance</at>&nbsp;and <at id=\"1\">Lee Gu</at>, please review</div>"))
                .isEqualTo("@Adele Vance and @Lee Gu, please review");
        assertThat(text("<span itemscope=\"\" itemtype=\"http://schema.skype.com/Mention\" itemid=\"0\">Megan</span> hi"))
                .isEqualTo("@Megan hi");
    }

    @Test
    void emojiBecomeTheirCharacter() {
        assertThat(text("Great <emoji id=\"1f44d_thumbsup\" alt=\"\uD83D\uDC4D\" title=\"Thumbs up\"></emoji> job"))
                .isEqualTo("Great \uD83D\uDC4D job");
        assertThat(text("ok <img itemtype=\"http://schema.skype.com/Emoji\" alt=\"\uD83D\uDE42\" src=\"x.png\">"))
                .isEqualTo("ok \uD83D\uDE42");
        assertThat(text("self-closing <emoji alt=\"\u2764\"/> still reads the rest")).isEqualTo("self-closing \u2764 still reads the rest");
    }

    @Test
    void imagesAreNotedWithTheirAddress() {
        String src = "https://graph.microsoft.com/v1.0/chats/19:a/messages/1/hostedContents/aWQ=/$value";
        assertThat(text("<p>Look:</p><p><img src=\"" + src + "\" alt=\"image\" width=\"300\"></p>"))
                .isEqualTo("Look:\n[image (" + src + ")]");
        assertThat(text("<img alt=\"Sales chart\" src=\"https://x.test/c.png\">"))
                .isEqualTo("[image: Sales chart (https://x.test/c.png)]");
    }

    @Test
    void attachmentsArePlacedWhereTheHtmlPutsThemAndTheRestAppended() {
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("a1", "[file: plan.docx (https://x.test/plan.docx)]");
        notes.put("a2", "[adaptive card: Vote]");
        assertThat(TeamsMessages.toText("<p>Here it is <attachment id=\"a1\"></attachment></p>", notes))
                .isEqualTo("Here it is [file: plan.docx (https://x.test/plan.docx)]\n[adaptive card: Vote]");
        assertThat(TeamsMessages.toText("<attachment id=\"zz\"></attachment>", Map.of())).isEqualTo("[attachment]");
    }

    @Test
    void formattingBecomesMarkdown() {
        assertThat(text("<p><strong>Bold</strong>, <em>italic</em>, <s>gone</s> and <code>x = 1</code></p>"))
                .isEqualTo("**Bold**, _italic_, ~~gone~~ and `x = 1`");
        assertThat(text("<h2>Agenda</h2><p>Items</p>")).isEqualTo("## Agenda\n\nItems");
        assertThat(text("<p>above</p><hr><p>below</p>")).isEqualTo("above\n---\nbelow");
    }

    @Test
    void listsAreBulletedAndNumbered() {
        assertThat(text("<p>Todo:</p><ul><li>milk</li><li><p>eggs</p></li></ul><ol><li>first</li><li>second"
                + "<ul><li>nested</li></ul></li></ol><p>done</p>"))
                .isEqualTo("Todo:\n- milk\n- eggs\n1. first\n2. second\n  - nested\ndone");
    }

    @Test
    void codeBlocksKeepTheirLayout() {
        assertThat(text("<p>Run:</p><codeblock class=\"Python\"><code>def f():\n    return  1</code></codeblock><p>ok</p>"))
                .isEqualTo("Run:\n```python\ndef f():\n    return  1\n```\nok");
        assertThat(text("<pre>a &lt; b<br>  c</pre>")).isEqualTo("```\na < b\n  c\n```");
    }

    @Test
    void quotesAreMarked() {
        assertThat(text("<blockquote><p>quoted line</p><p>second</p></blockquote><p>my answer</p>"))
                .isEqualTo("> quoted line\n> second\nmy answer");
    }

    @Test
    void tablesBecomeRows() {
        assertThat(text("<table><tr><th>Name</th><th>Qty</th></tr><tr><td>Pens</td><td>3</td></tr></table>"))
                .isEqualTo("Name | Qty\nPens | 3");
    }

    @Test
    void invisibleThingsAreDropped() {
        assertThat(text("<style>p{color:red}</style><!-- note --><p>visible</p><script>x()</script>"))
                .isEqualTo("visible");
        assertThat(text("<systemEventMessage/>")).isEmpty();
        assertThat(text("<span style=\"color:red\" class=\"x\">colored</span> <font size=2>sized</font>"))
                .isEqualTo("colored sized");
    }

    @Test
    void brokenMarkupStaysReadable() {
        assertThat(text("a < b and c > d")).isEqualTo("a < b and c > d");
        // An attribute left open swallows the rest, as in a browser (and so in Teams): read what Teams shows.
        assertThat(text("<p>unclosed <b attr=\"x>text")).isEqualTo("unclosed");
        assertThat(text("<p>unclosed <b>bold")).isEqualTo("unclosed **bold**");
        assertThat(text("</div>stray closers</p>")).isEqualTo("stray closers");
    }
}
