package dev.ms365mcp.stdio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenKeeperTest {

    @Test
    void intervalDefaultsToADayAndAcceptsIsoAndShortForms() {
        assertThat(TokenKeeper.interval(null)).isEqualTo(Duration.ofDays(1));
        assertThat(TokenKeeper.interval(" ")).isEqualTo(Duration.ofDays(1));
        assertThat(TokenKeeper.interval("P1D")).isEqualTo(Duration.ofDays(1));
        assertThat(TokenKeeper.interval("pt12h")).isEqualTo(Duration.ofHours(12));
        assertThat(TokenKeeper.interval("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(TokenKeeper.interval("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(TokenKeeper.interval("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(TokenKeeper.interval("7d")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void badTooShortOrTooLongIntervalsAreRefusedWithTheFix() {
        assertThatThrownBy(() -> TokenKeeper.interval("daily")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MS365_MCP_REFRESH_INTERVAL='daily' is not a duration").hasMessageContaining("12h");
        assertThatThrownBy(() -> TokenKeeper.interval("1s")).hasMessageContaining("too short");
        assertThatThrownBy(() -> TokenKeeper.interval("PT-5H")).hasMessageContaining("too short");
        assertThatThrownBy(() -> TokenKeeper.interval("90d")).hasMessageContaining("too long");
    }
}
