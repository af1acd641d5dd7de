package dev.ms365mcp.tools.meetings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.testkit.graph.RecordedRequest;
import dev.ms365mcp.tools.ToolHarness;
import io.modelcontextprotocol.spec.McpSchema.BlobResourceContents;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.EmbeddedResource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Meeting artifacts: transcripts read as WebVTT text, recordings as bytes, the function-style transcript search. */
class MeetingsRequestTest {

    private static final String VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:02.500\n<v Adele Vance>Good morning, everyone.</v>\n";

    @RegisterExtension
    final ToolHarness harness = new ToolHarness();

    @Test
    void transcriptContentIsReturnedAsTheVttText() {
        harness.graph.on("GET", "/v1.0/me/onlineMeetings/MSo1/transcripts/T1/content",
                FakeResponse.bytes(200, "text/vtt", VTT.getBytes(StandardCharsets.UTF_8)));

        CallToolResult result = harness.call("get-meeting-transcript-content",
                Map.of("onlineMeetingId", "MSo1", "callTranscriptId", "T1", "Accept", "text/vtt"));

        assertThat(result.isError()).isFalse();
        assertThat(ToolHarness.text(result)).isEqualTo(VTT);
        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.method()).isEqualTo("GET");
        assertThat(req.header("Accept")).isEqualTo("text/vtt");
    }

    @Test
    void adHocTranscriptContentIsTextToo() {
        harness.graph.on("GET", "/v1.0/me/adhocCalls/call%201/transcripts/T2/content",
                FakeResponse.bytes(200, "text/vtt", VTT.getBytes(StandardCharsets.UTF_8)));

        CallToolResult result = harness.call("get-adhoc-call-transcript-content",
                Map.of("adhocCallId", "call 1", "callTranscriptId", "T2"));

        assertThat(ToolHarness.text(result)).isEqualTo(VTT);
    }

    @Test
    void recordingContentIsAnEmbeddedBlob() {
        byte[] video = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'm', 'p', '4', '2'};
        harness.graph.on("GET", "/v1.0/me/onlineMeetings/MSo1/recordings/R1/content", FakeResponse.bytes(200, "video/mp4", video));

        CallToolResult result = harness.call("get-meeting-recording-content",
                Map.of("onlineMeetingId", "MSo1", "callRecordingId", "R1"));

        assertThat(result.isError()).isFalse();
        BlobResourceContents blob = (BlobResourceContents) ((EmbeddedResource) result.content().get(0)).resource();
        assertThat(blob.mimeType()).isEqualTo("video/mp4");
        assertThat(Base64.getDecoder().decode(blob.blob())).isEqualTo(video);
    }

    @Test
    void recordingsOverTheResultLimitAreRefusedWithAReason() {
        harness.configure(s -> s.maxResultChars(1_000));
        harness.graph.on("GET", "/v1.0/me/onlineMeetings/MSo1/recordings/R1/content",
                FakeResponse.bytes(200, "video/mp4", new byte[5_000]));

        CallToolResult result = harness.call("get-meeting-recording-content",
                Map.of("onlineMeetingId", "MSo1", "callRecordingId", "R1"));

        assertThat(result.isError()).isTrue();
        assertThat(ToolHarness.text(result)).contains("5000 bytes").contains("MS365_MCP_MAX_RESULT_CHARS");
    }

    @Test
    void adHocTranscriptsAreSearchedThroughTheFunctionPath() {
        harness.graph.fallback((req, base) -> FakeResponse.ok("{\"value\":[{\"id\":\"T9\"}]}"));

        CallToolResult result = harness.call("list-adhoc-call-transcripts", Map.of("userId", "8b08-u1",
                "startDateTime", "2025-01-01T00:00:00Z", "endDateTime", "2025-01-31T00:00:00Z"));

        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(harness.graph.lastRequest().rawPath()).isEqualTo("/v1.0/me/adhocCalls/getAllTranscripts("
                + "userId='8b08-u1',startDateTime=2025-01-01T00%3A00%3A00Z,endDateTime=2025-01-31T00%3A00%3A00Z)");
        assertThat(ToolHarness.text(result)).isEqualTo("{\"value\":[{\"id\":\"T9\"}]}");
    }

    @Test
    void aValueCannotBreakOutOfTheFunctionPath() {
        harness.graph.fallback((req, base) -> FakeResponse.ok("{\"value\":[]}"));

        harness.call("list-adhoc-call-transcripts", Map.of("userId", "x',endDateTime=1)/../../users('y",
                "startDateTime", "a", "endDateTime", "b"));

        // the apostrophe is doubled (an OData string literal) and then encoded: it cannot close the literal
        assertThat(harness.graph.lastRequest().rawPath())
                .startsWith("/v1.0/me/adhocCalls/getAllTranscripts(userId='x%27%27%2CendDateTime%3D1%29%2F")
                .doesNotContain("/users");
    }

    @Test
    void onlineMeetingsAreFoundByJoinLink() {
        harness.graph.fallback((req, base) -> FakeResponse.ok("{\"value\":[{\"id\":\"MSo1\",\"subject\":\"Sync\"}]}"));
        String filter = "JoinWebUrl eq 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0'";

        CallToolResult result = harness.call("list-online-meetings", Map.of("filter", filter));

        assertThat(result.isError()).isFalse();
        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.rawPath()).isEqualTo("/v1.0/me/onlineMeetings");
        assertThat(req.query()).containsEntry("$filter", filter);
    }
}
