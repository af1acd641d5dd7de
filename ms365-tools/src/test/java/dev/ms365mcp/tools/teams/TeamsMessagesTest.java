package dev.ms365mcp.tools.teams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.testkit.graph.RecordedRequest;
import dev.ms365mcp.tools.ToolHarness;
import dev.ms365mcp.tools.ToolSettings;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Teams messages through the executor: HTML bodies come back as text; what is sent is safe and signed off. */
class TeamsMessagesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SUFFIX = "\n\n\u2014 sent by my assistant";

    @RegisterExtension
    final ToolHarness harness = new ToolHarness();

    private static JsonNode json(CallToolResult result) {
        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        return JSON.readTree(ToolHarness.text(result));
    }

    private JsonNode sentBody() {
        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.header("Content-Type")).startsWith("application/json");
        return JSON.readTree(req.body());
    }

    private static final String CHAT_MESSAGES = """
            {"@odata.context":"x","@odata.count":2,"value":[
             {"id":"1","messageType":"message","from":{"user":{"displayName":"Adele Vance"}},
              "body":{"contentType":"html","content":"<p>Hi <at id=\\"0\\">Lee Gu</at>, the <a href=\\"https://contoso.test/plan\\">plan</a> &amp; budget:</p><attachment id=\\"f1\\"></attachment>"},
              "attachments":[{"id":"f1","contentType":"reference","contentUrl":"https://contoso.test/budget.xlsx","name":"budget.xlsx"},
                             {"id":"c1","contentType":"application/vnd.microsoft.card.adaptive","content":"{\\"type\\":\\"AdaptiveCard\\",\\"body\\":[{\\"type\\":\\"TextBlock\\",\\"text\\":\\"Approve?\\"}]}"},
                             {"id":"q1","contentType":"messageReference","content":"{\\"messageId\\":\\"0\\",\\"messagePreview\\":\\"Can you send it?\\",\\"messageSender\\":{\\"user\\":{\\"displayName\\":\\"Lee Gu\\"}}}"}],
              "mentions":[{"id":0,"mentionText":"Lee Gu"}]},
             {"id":"2","messageType":"message","body":{"contentType":"text","content":"plain <b>as sent</b>"}}
            ]}""";

    @Test
    void chatMessagesAreReadAsText() {
        harness.graph.on("GET", "/v1.0/chats/19%3Achat%40thread.v2/messages", FakeResponse.ok(CHAT_MESSAGES));

        JsonNode out = json(harness.call("list-chat-messages", Map.of("chatId", "19:chat@thread.v2", "top", 2)));

        assertThat(harness.graph.lastRequest().query()).containsEntry("$top", "2");
        JsonNode first = out.path("value").get(0);
        assertThat(first.path("body").path("contentType").asString()).isEqualTo("text");
        assertThat(first.path("body").path("content").asString()).isEqualTo(
                "Hi @Lee Gu, the plan (https://contoso.test/plan) & budget:\n"
                        + "[file: budget.xlsx (https://contoso.test/budget.xlsx)]\n"
                        + "[adaptive card: Approve?]\n"
                        + "[reply to Lee Gu: \"Can you send it?\"]");
        assertThat(first.path("from").path("user").path("displayName").asString()).isEqualTo("Adele Vance");
        assertThat(first.has("mentions")).isTrue();
        JsonNode second = out.path("value").get(1);
        assertThat(second.path("body").path("content").asString()).as("text bodies are left as they are")
                .isEqualTo("plain <b>as sent</b>");
        assertThat(ToolHarness.text(harness.call("list-chat-messages", Map.of("chatId", "19:chat@thread.v2"))))
                .doesNotContain("<at").doesNotContain("<p>").doesNotContain("&amp;");
    }

    @Test
    void nestedRepliesAndExpandedPinsAreConvertedToo() {
        harness.graph.on("GET", "/v1.0/teams/t1/channels/c1/messages", FakeResponse.ok("""
                {"value":[{"id":"1","body":{"contentType":"html","content":"<p>Top post</p>"},
                  "replies":[{"id":"2","body":{"contentType":"html","content":"<p>A <b>reply</b></p>"}}]}]}"""));
        harness.graph.on("GET", "/v1.0/chats/c9/pinnedMessages", FakeResponse.ok("""
                {"value":[{"id":"p1","message":{"id":"5","body":{"contentType":"html","content":"<div>Pinned&nbsp;rule</div>"}}}]}"""));

        JsonNode channel = json(harness.call("list-channel-messages",
                Map.of("teamId", "t1", "channelId", "c1", "expand", "replies")));
        assertThat(harness.graph.lastRequest().query()).containsEntry("$expand", "replies");
        assertThat(channel.at("/value/0/body/content").asString()).isEqualTo("Top post");
        assertThat(channel.at("/value/0/replies/0/body/content").asString()).isEqualTo("A **reply**");

        JsonNode pins = json(harness.call("list-pinned-chat-messages", Map.of("chatId", "c9", "expand", "message")));
        assertThat(pins.at("/value/0/message/body/content").asString()).isEqualTo("Pinned rule");
    }

    @Test
    void everyPageIsConvertedWhenFetchingAll() {
        harness.graph.pages("/v1.0/chats/c1/messages", List.of(
                List.of("{\"id\":\"1\",\"body\":{\"contentType\":\"html\",\"content\":\"<p>page &lt;one&gt;</p>\"}}"),
                List.of("{\"id\":\"2\",\"body\":{\"contentType\":\"html\",\"content\":\"<p>page <i>two</i></p>\"}}")));

        JsonNode out = json(harness.call("list-chat-messages", Map.of("chatId", "c1", "fetchAllPages", true)));

        assertThat(harness.graph.requests()).hasSize(2);
        assertThat(out.at("/value/0/body/content").asString()).isEqualTo("page <one>");
        assertThat(out.at("/value/1/body/content").asString()).isEqualTo("page _two_");
    }

    @Test
    void htmlBodiesAreKeptWhenAskedFor() {
        harness.configure(s -> s.htmlBodies(true));
        harness.graph.on("GET", "/v1.0/chats/c1/messages/m1", FakeResponse.ok(
                "{\"id\":\"m1\",\"body\":{\"contentType\":\"html\",\"content\":\"<p>Hi <at id=\\\"0\\\">Lee</at></p>\"}}"));

        JsonNode out = json(harness.call("get-chat-message", Map.of("chatId", "c1", "chatMessageId", "m1")));

        assertThat(out.at("/body/contentType").asString()).isEqualTo("html");
        assertThat(out.at("/body/content").asString()).isEqualTo("<p>Hi <at id=\"0\">Lee</at></p>");
    }

    @Test
    void rowsNotMarkedForTeamsMessagesAreLeftAlone() {
        harness.graph.on("GET", "/v1.0/me/messages/m1", FakeResponse.ok(
                "{\"id\":\"m1\",\"body\":{\"contentType\":\"html\",\"content\":\"<p>mail</p>\"}}"));

        JsonNode out = json(harness.call("get-mail-message", Map.of("messageId", "m1")));

        assertThat(out.at("/body/content").asString()).isEqualTo("<p>mail</p>");
    }

    // ---- sending ------------------------------------------------------------------------------

    private void answerPosts() {
        harness.graph.fallback((req, base) -> FakeResponse.json(201,
                "{\"id\":\"new\",\"body\":" + JSON.readTree(req.body()).path("body") + "}"));
    }

    @Test
    void singleLineTextIsSentLiterally() {
        answerPosts();
        Map<String, Object> body = Map.of("body", Map.of("contentType", "text", "content", "1 < 2 & <b>not bold</b>"));

        JsonNode out = json(harness.call("send-chat-message", Map.of("chatId", "c1", "body", body)));

        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.method()).isEqualTo("POST");
        assertThat(req.rawPath()).isEqualTo("/v1.0/chats/c1/messages");
        assertThat(sentBody()).isEqualTo(JSON.valueToTree(body));
        assertThat(out.at("/body/content").asString()).isEqualTo("1 < 2 & <b>not bold</b>");
    }

    @Test
    void multiLineTextIsSentAsEscapedHtmlSoItsLinesSurvive() {
        answerPosts();
        String text = "Status:\n  - <build> ok\r\n  - tests & lint ok";

        JsonNode out = json(harness.call("send-chat-message", Map.of("chatId", "c1",
                "body", Map.of("body", Map.of("content", text)))));

        JsonNode sent = sentBody().path("body");
        assertThat(sent.path("contentType").asString()).isEqualTo("html");
        assertThat(sent.path("content").asString())
                .isEqualTo("Status:<br>&nbsp;&nbsp;- &lt;build&gt; ok<br>&nbsp;&nbsp;- tests &amp; lint ok");
        assertThat(out.at("/body/content").asString()).as("the answer reads back as the text that was meant")
                .isEqualTo("Status:\n  - <build> ok\n  - tests & lint ok");
    }

    @Test
    void markdownIsSentAsSanitisedHtml() {
        answerPosts();
        String md = "**Release** is _ready_:\n\n- build ok\n- [notes](https://contoso.test/notes)\n\n"
                + "<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=y>";

        JsonNode out = json(harness.call("send-chat-message", Map.of("chatId", "c1",
                "body", Map.of("body", Map.of("contentType", "markdown", "content", md)))));

        JsonNode sent = sentBody().path("body");
        assertThat(sent.path("contentType").asString()).isEqualTo("html");
        String html = sent.path("content").asString();
        assertThat(html).contains("<strong>Release</strong>").contains("<em>ready</em>").contains("<li>build ok</li>")
                .contains("<a href=\"https://contoso.test/notes\"");
        assertThat(html).as("raw HTML in Markdown is shown, never run").doesNotContain("<script").doesNotContain("<img")
                .doesNotContain("href=\"javascript").contains("&lt;script&gt;");
        assertThat(out.at("/body/content").asString()).as("it reads back as what was meant")
                .startsWith("**Release** is _ready_:\n- build ok\n- notes (https://contoso.test/notes)");
    }

    @Test
    void htmlIsSentAsWrittenWithMentions() {
        answerPosts();
        Map<String, Object> body = Map.of(
                "body", Map.of("contentType", "html", "content", "<p>Hi <at id=\"0\">Lee</at>, see <b>this</b></p>"),
                "mentions", List.of(Map.of("id", 0, "mentionText", "Lee", "mentioned", Map.of("user", Map.of("id", "u1")))));

        harness.call("reply-to-channel-message", Map.of("teamId", "t", "channelId", "c", "chatMessageId", "m", "body", body));

        assertThat(harness.graph.lastRequest().rawPath()).isEqualTo("/v1.0/teams/t/channels/c/messages/m/replies");
        assertThat(sentBody()).isEqualTo(JSON.valueToTree(body));
    }

    @Test
    void theSignOffIsAddedToNewMessagesOnly() {
        harness.configure(s -> s.messageSignoffSuffix(SUFFIX).messageSignoffPrefix("[AI] "));
        answerPosts();

        harness.call("send-chat-message", Map.of("chatId", "c1", "body", Map.of("body", Map.of("content", "Hello"))));
        assertThat(sentBody().path("body").path("contentType").asString()).isEqualTo("html");
        assertThat(sentBody().path("body").path("content").asString())
                .isEqualTo("[AI] Hello<br><br>\u2014 sent by my assistant");

        harness.call("send-channel-message", Map.of("teamId", "t", "channelId", "c", "body",
                Map.of("subject", "Q3", "body", Map.of("contentType", "html", "content", "<p><b>Done</b></p>"))));
        JsonNode sent = sentBody();
        assertThat(sent.path("subject").asString()).isEqualTo("Q3");
        assertThat(sent.path("body").path("content").asString())
                .isEqualTo("[AI] <p><b>Done</b></p><br><br>\u2014 sent by my assistant");

        harness.call("reply-to-chat-message", Map.of("chatId", "c1", "chatMessageId", "m1",
                "body", Map.of("body", Map.of("contentType", "text", "content", "ok"))));
        assertThat(sentBody().path("body").path("content").asString()).isEqualTo("[AI] ok<br><br>\u2014 sent by my assistant");

        harness.graph.fallback((req, base) -> FakeResponse.noContent());
        harness.call("update-chat-message", Map.of("chatId", "c1", "chatMessageId", "m1",
                "body", Map.of("body", Map.of("contentType", "text", "content", "fixed typo"))));
        assertThat(harness.graph.lastRequest().method()).isEqualTo("PATCH");
        assertThat(sentBody().path("body").path("content").asString()).as("edits are not signed again").isEqualTo("fixed typo");
    }

    @Test
    void aSignOffWithoutLineBreaksKeepsTextAsText() {
        harness.configure(s -> s.messageSignoffSuffix(" (via assistant)"));
        answerPosts();

        harness.call("send-chat-message", Map.of("chatId", "c1", "body", Map.of("body", Map.of("content", "a <tag>"))));

        assertThat(sentBody().path("body").has("contentType")).as("Graph's default, text, is left to Graph").isFalse();
        assertThat(sentBody().path("body").path("content").asString()).isEqualTo("a <tag> (via assistant)");
    }

    @Test
    void theSignOffStaysOutOfOtherRequests() {
        harness.configure(s -> s.messageSignoffSuffix(SUFFIX));
        harness.graph.fallback((req, base) -> FakeResponse.noContent());
        Map<String, Object> reaction = Map.of("reactionType", "\uD83D\uDC4D");
        Map<String, Object> mail = Map.of("message", Map.of("subject", "s",
                "body", Map.of("contentType", "text", "content", "mail text"),
                "toRecipients", List.of(Map.of("emailAddress", Map.of("address", "a@contoso.test")))));

        harness.call("set-chat-message-reaction", Map.of("chatId", "c1", "chatMessageId", "m1", "body", reaction));
        assertThat(sentBody()).isEqualTo(JSON.valueToTree(reaction));
        harness.call("send-mail", Map.of("body", mail));
        assertThat(sentBody()).isEqualTo(JSON.valueToTree(mail));
    }

    @Test
    void bareTextAndJsonTextBodiesAreAccepted() {
        answerPosts();

        harness.call("send-chat-message", Map.of("chatId", "c1", "body", "just say hi"));
        assertThat(sentBody()).isEqualTo(JSON.readTree("{\"body\":{\"contentType\":\"text\",\"content\":\"just say hi\"}}"));

        harness.call("send-chat-message", Map.of("chatId", "c1", "body", "{\"body\":{\"content\":\"from JSON text\"}}"));
        assertThat(sentBody()).isEqualTo(JSON.readTree("{\"body\":{\"content\":\"from JSON text\"}}"));

        harness.call("send-chat-message", Map.of("chatId", "c1", "body", "{not json, just braces}"));
        assertThat(sentBody().at("/body/content").asString()).isEqualTo("{not json, just braces}");
    }

    @Test
    void signOffsComeFromTheEnvironment() {
        ToolSettings none = ToolSettings.fromEnv(Map.of());
        assertThat(none.messageSignoffPrefix()).isEmpty();
        assertThat(none.messageSignoffSuffix()).isEmpty();

        ToolSettings set = ToolSettings.fromEnv(Map.of("MS365_MCP_MESSAGE_SIGNOFF_SUFFIX", "\\n\\n\u2014 sent by my assistant",
                "MS365_MCP_MESSAGE_SIGNOFF_PREFIX", "Bot: "));
        assertThat(set.messageSignoffSuffix()).isEqualTo(SUFFIX);
        assertThat(set.messageSignoffPrefix()).isEqualTo("Bot: ");
        assertThat(set.toBuilder().build().messageSignoffSuffix()).isEqualTo(SUFFIX);
    }
}
