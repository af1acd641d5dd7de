package dev.ms365mcp.tools.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toonformat.jtoon.JToon;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Results are compact, free of OData noise, capped without breaking JSON, and TOON on request. */
class ResultShaperTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode json(String s) {
        return JSON.readTree(s);
    }

    @Test
    void dropsAnnotationsButKeepsPagingLinksAndETagsOnlyWhenAsked() {
        String answer = """
                {"@odata.context":"ctx","@odata.nextLink":"next","@odata.deltaLink":"delta",
                 "value":[{"@odata.etag":"e","@odata.type":"#m","id":"1","attachments@odata.navigationLink":"x",
                           "from":{"@odata.type":"#t","emailAddress":{"address":"a@b.example"}}}]}
                """;
        ResultShaper shaper = new ResultShaper(JSON, false, 10_000);
        assertThat(shaper.shapeJson(json(answer), true)).isEqualTo("{\"@odata.nextLink\":\"next\",\"@odata.deltaLink\":\"delta\","
                + "\"value\":[{\"@odata.etag\":\"e\",\"id\":\"1\",\"from\":{\"emailAddress\":{\"address\":\"a@b.example\"}}}]}");
        assertThat(shaper.shapeJson(json(answer))).isEqualTo("{\"@odata.nextLink\":\"next\",\"@odata.deltaLink\":\"delta\","
                + "\"value\":[{\"id\":\"1\",\"from\":{\"emailAddress\":{\"address\":\"a@b.example\"}}}]}");
    }

    @Test
    void aLongCollectionKeepsWholeItemsAndSaysWhatWasLeftOut() {
        StringBuilder sb = new StringBuilder("{\"value\":[");
        for (int i = 0; i < 200; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":\"").append(i).append("\",\"subject\":\"").append("x".repeat(40)).append("\"}");
        }
        String out = new ResultShaper(JSON, false, 2_000).shapeJson(json(sb.append("]}").toString()));
        assertThat(out.length()).isLessThanOrEqualTo(2_000);
        JsonNode parsed = JSON.readTree(out);
        int kept = parsed.path("value").size();
        assertThat(kept).isBetween(5, 40);
        assertThat(parsed.path("truncated").asString()).contains("Showing " + kept + " of 200", "select", "top");
    }

    @Test
    void aLongSingleItemIsCutWithANote() {
        String out = new ResultShaper(JSON, false, 1_000).shapeJson(json("{\"id\":\"1\",\"body\":\"" + "y".repeat(5_000) + "\"}"));
        assertThat(out).hasSizeLessThan(1_200).contains("[truncated: the result exceeded 1000 characters");
    }

    @Test
    void toonEncodesTheSameData() {
        String source = "{\"value\":[{\"id\":\"1\",\"subject\":\"Hi\"},{\"id\":\"2\",\"subject\":\"Yo\"}]}";
        String out = new ResultShaper(JSON, true, 10_000).shapeJson(json(source));
        assertThat(out).doesNotStartWith("{").contains("id", "subject");
        assertThat(json(JToon.decodeToJson(out))).isEqualTo(json(source));
        assertThat(out.length()).isLessThan(source.length());
    }

    @Test
    void textIsCappedToo() {
        ResultShaper shaper = new ResultShaper(JSON, false, 1_000);
        assertThat(shaper.shapeText("short")).isEqualTo("short");
        assertThat(shaper.shapeText("z".repeat(3_000))).startsWith("zzz").contains("[truncated");
    }
}
