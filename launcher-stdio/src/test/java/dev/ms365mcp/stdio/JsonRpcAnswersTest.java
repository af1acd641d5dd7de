package dev.ms365mcp.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The protocol channel: answers tracked by id, Java internals kept out of errors, everything else as written. */
class JsonRpcAnswersTest {

    private final JsonMapper json = JsonMapper.shared();
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final JsonRpcAnswers answers = new JsonRpcAnswers(stdout, json);

    private void write(String line) throws IOException {
        answers.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private String written() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anAnswerCountsForItsRequestWhateverTheOrderOfItsMembersAndTheTypeOfItsId() throws Exception {
        answers.expect("7");
        answers.expect("\"abc\"");
        write("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"tools\":[]}}");
        assertThat(answers.unanswered()).isEqualTo(1);
        write("{\"result\":{\"content\":[]},\"jsonrpc\":\"2.0\",\"id\":\"abc\"}");
        assertThat(answers.unanswered()).isZero();
        assertThat(answers.awaitAnswers(10)).isTrue();
    }

    @Test
    void requestsAndNotificationsOfTheServerAreNotAnswers() throws Exception {
        answers.expect("1");
        write("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"elicitation/create\",\"params\":{}}");
        write("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"id\":1,\"result\":1}}");
        assertThat(answers.unanswered()).isEqualTo(1);
        assertThat(answers.awaitAnswers(10)).isFalse();
    }

    @Test
    void aResultIsWrittenByteForByteWithoutBeingReadBack() throws Exception {
        // Invalid inside the result: were the result read at all, the answer would not count as one.
        String line = "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"text\":\"\\u00e9 \\\"quoted\\\"\", \"n\": 1.50 ,,, }}";
        answers.expect("3");
        write(line);
        assertThat(written()).isEqualTo(line + "\n");
        assertThat(answers.unanswered()).isZero();
    }

    @Test
    void anErrorNamingJavaInternalsGetsAPlainMessageAndLosesItsData() throws Exception {
        answers.expect("4");
        write("{\"jsonrpc\":\"2.0\",\"id\":4,\"error\":{\"code\":-32603,\"message\":"
                + "\"java.lang.IllegalStateException: at dev.ms365mcp.Secret(Secret.java:1)\",\"data\":\"cause chain\"}}");
        JsonNode answer = json.readTree(written());
        assertThat(answer.path("id").asInt()).isEqualTo(4);
        assertThat(answer.path("error").path("message").asString()).doesNotContain("java.", "Exception", "dev.ms365mcp");
        assertThat(answer.path("error").has("data")).isFalse();
        assertThat(answers.unanswered()).isZero();
    }

    @Test
    void anErrorInPlainWordsKeepsItsMessage() throws Exception {
        String line = "{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":-32602,\"message\":\"Unknown tool: nope\"}}";
        write(line);
        assertThat(written()).isEqualTo(line + "\n");
    }

    @Test
    void aSwallowedAnswerIsNotWrittenButCounts() throws Exception {
        answers.swallow("\"priming\"");
        write("{\"jsonrpc\":\"2.0\",\"id\":\"priming\",\"result\":{}}");
        assertThat(written()).isEmpty();
        assertThat(answers.unanswered()).isZero();
    }

    @Test
    void whatIsNotJsonIsPassedOnAsWritten() throws Exception {
        answers.expect("1");
        write("not json at all");
        write("[1,2]");
        assertThat(written()).isEqualTo("not json at all\n[1,2]\n");
        assertThat(answers.unanswered()).isEqualTo(1);
    }
}
