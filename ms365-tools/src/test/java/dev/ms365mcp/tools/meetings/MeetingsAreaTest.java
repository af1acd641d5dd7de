package dev.ms365mcp.tools.meetings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.tools.catalog.Catalog;
import dev.ms365mcp.tools.catalog.ParityRow;
import dev.ms365mcp.tools.catalog.ToolDef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The meetings area holds every online meeting, transcript, recording and webinar row of the reference. */
class MeetingsAreaTest {

    static final List<String> TOOLS = List.of("list-online-meetings", "get-online-meeting", "create-online-meeting",
            "update-online-meeting", "delete-online-meeting", "list-meeting-transcripts", "get-meeting-transcript",
            "get-meeting-transcript-content", "list-adhoc-call-transcripts", "get-adhoc-call-transcript-content",
            "list-meeting-recordings", "get-meeting-recording", "get-meeting-recording-content",
            "list-meeting-attendance-reports", "get-meeting-attendance-report", "list-meeting-attendance-records",
            "get-virtual-event-webinar", "list-webinar-sessions");

    @Test
    void everyMeetingsRowOfTheReferenceIsInTheMeetingsArea() {
        assertThat(ParityRow.named(TOOLS)).hasSize(18).allMatch(ParityRow::orgOnly);
        assertThat(Catalog.builtIn().tools().stream().filter(t -> t.area().equals("meetings")).map(ToolDef::name))
                .containsExactlyInAnyOrderElementsOf(TOOLS);
    }

    @Test
    void contentIsReadAsTextOrBytes() {
        assertThat(tool("get-meeting-transcript-content").response()).isEqualTo(ToolDef.ResponseKind.TEXT);
        assertThat(tool("get-adhoc-call-transcript-content").response()).isEqualTo(ToolDef.ResponseKind.TEXT);
        assertThat(tool("get-meeting-recording-content").response()).isEqualTo(ToolDef.ResponseKind.BYTES);
    }


    static ToolDef tool(String name) {
        return Catalog.builtIn().find(name).orElseThrow();
    }
}
