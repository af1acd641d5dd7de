package dev.ms365mcp.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AotTrainingTest {

    @Test
    void theScriptedSessionRunsAgainstTheRealServerAndReachesGraph() throws Exception {
        // run() throws when a step is not answered as a client expects (status, tools/list, a call result)
        assertThat(AotTraining.run()).isPositive();
    }
}
