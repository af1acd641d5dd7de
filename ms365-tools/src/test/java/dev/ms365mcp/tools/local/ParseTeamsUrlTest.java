package dev.ms365mcp.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.tools.ToolHarness;
import dev.ms365mcp.tools.catalog.ToolDef;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** parse-teams-url: the IDs in Teams links, named as the Teams tools take them; no Graph call. */
class ParseTeamsUrlTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    @RegisterExtension
    final ToolHarness harness = new ToolHarness();

    private JsonNode parse(String url) {
        CallToolResult r = harness.call("parse-teams-url", Map.of("url", url));
        assertThat(r.isError()).as(ToolHarness.text(r)).isFalse();
        return JSON.readTree(ToolHarness.text(r));
    }

    @Test
    void isOfferedByDefaultAndCallsNothing() {
        assertThat(harness.tools().tools()).extracting(ToolDef::name).contains("parse-teams-url");
        parse("https://teams.microsoft.com/meet/2345678901234?p=AbCd");
        assertThat(harness.graph.requests()).isEmpty();
    }

    @Test
    void aMeetingJoinLinkGivesTheMeetingChatTenantAndOrganizer() {
        String url = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjA2YjQ1ZTYt%40thread.v2/0?context=%7b%22Tid%22"
                + "%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c%22Oid%22%3a%22550fae72-d251-43ec-868c-373732c2704f%22%7d";

        JsonNode out = parse(url);

        assertThat(out.path("kind").asString()).isEqualTo("meeting");
        assertThat(out.path("chatId").asString()).isEqualTo("19:meeting_NjA2YjQ1ZTYt@thread.v2");
        assertThat(out.path("messageId").asString()).isEqualTo("0");
        assertThat(out.path("tenantId").asString()).isEqualTo("72f988bf-86f1-41af-91ab-2d7cd011db47");
        assertThat(out.path("organizerId").asString()).isEqualTo("550fae72-d251-43ec-868c-373732c2704f");
        assertThat(out.path("joinWebUrl").asString()).isEqualTo(url);
        assertThat(out.has("context")).isFalse();
    }

    @Test
    void aShortMeetingLinkGivesItsIdAndPasscode() {
        JsonNode out = parse("https://teams.microsoft.com/meet/2345678901234?p=AbCdEf");

        assertThat(out.path("joinMeetingId").asString()).isEqualTo("2345678901234");
        assertThat(out.path("passcode").asString()).isEqualTo("AbCdEf");
    }

    @Test
    void aChannelReplyLinkGivesTeamChannelRootAndReply() {
        JsonNode out = parse("https://teams.microsoft.com/l/message/19:abc123@thread.tacv2/1616883181413?tenantId=t1"
                + "&groupId=g1&parentMessageId=1616800000000&teamName=Sales%20EU&channelName=General&createdTime=1616883181413");

        assertThat(out.path("kind").asString()).isEqualTo("channelMessage");
        assertThat(out.path("teamId").asString()).isEqualTo("g1");
        assertThat(out.path("channelId").asString()).isEqualTo("19:abc123@thread.tacv2");
        assertThat(out.path("chatMessageId").asString()).isEqualTo("1616800000000");
        assertThat(out.path("chatMessageId1").asString()).isEqualTo("1616883181413");
        assertThat(out.path("teamName").asString()).isEqualTo("Sales EU");
        assertThat(out.path("tenantId").asString()).isEqualTo("t1");
        assertThat(out.path("createdDateTime").asString()).isEqualTo("2021-03-27T22:13:01.413Z");
    }

    @Test
    void aChannelPostLinkHasNoReplyId() {
        JsonNode out = parse("https://teams.microsoft.com/l/message/19:abc@thread.tacv2/1700?groupId=g1&parentMessageId=1700");

        assertThat(out.path("chatMessageId").asString()).isEqualTo("1700");
        assertThat(out.has("chatMessageId1")).isFalse();
    }

    @Test
    void aChatMessageLinkGivesTheChat() {
        JsonNode out = parse("https://teams.microsoft.com/l/message/19:u1_u2@unq.gbl.spaces/1700000000000"
                + "?context=%7B%22contextType%22%3A%22chat%22%7D");

        assertThat(out.path("kind").asString()).isEqualTo("chatMessage");
        assertThat(out.path("chatId").asString()).isEqualTo("19:u1_u2@unq.gbl.spaces");
        assertThat(out.path("chatMessageId").asString()).isEqualTo("1700000000000");
        assertThat(out.path("context").path("contextType").asString()).isEqualTo("chat");
    }

    @Test
    void aChannelLinkGivesTeamChannelAndName() {
        JsonNode out = parse("https://teams.microsoft.com/l/channel/19%3aabc%40thread.tacv2/My%20Channel?groupId=g1&tenantId=t1");

        assertThat(out.path("kind").asString()).isEqualTo("channel");
        assertThat(out.path("teamId").asString()).isEqualTo("g1");
        assertThat(out.path("channelId").asString()).isEqualTo("19:abc@thread.tacv2");
        assertThat(out.path("channelName").asString()).isEqualTo("My Channel");
    }

    @Test
    void safeLinksAndMsteamsLinksAreUnwrapped() {
        JsonNode wrapped = parse("https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fteams.microsoft.com%2Fl"
                + "%2Fmeetup-join%2F19%253ameeting_X%2540thread.v2%2F0%3Fcontext%3D%257b%2522Tid%2522%253a%2522t9%2522%257d"
                + "&data=05%7C01&reserved=0");
        assertThat(wrapped.path("chatId").asString()).isEqualTo("19:meeting_X@thread.v2");
        assertThat(wrapped.path("tenantId").asString()).isEqualTo("t9");

        JsonNode app = parse("msteams:/l/chat/0/0?users=a@x.com,b@x.com&topicName=Plan");
        assertThat(app.path("kind").asString()).isEqualTo("newChat");
        assertThat(app.path("users")).hasSize(2);
        assertThat(app.path("topicName").asString()).isEqualTo("Plan");
    }

    @Test
    void otherLinksAreRefusedWithAReason() {
        CallToolResult notTeams = harness.call("parse-teams-url", Map.of("url", "https://teams.evil.example/l/message/1/2"));
        assertThat(notTeams.isError()).isTrue();
        assertThat(ToolHarness.text(notTeams)).contains("Not a Microsoft Teams link");

        CallToolResult missing = harness.call("parse-teams-url", Map.of());
        assertThat(missing.isError()).isTrue();
        assertThat(ToolHarness.text(missing)).contains("url");

        CallToolResult unknownPath = harness.call("parse-teams-url", Map.of("url", "https://teams.microsoft.com/v2/"));
        assertThat(unknownPath.isError()).isTrue();
    }
}
