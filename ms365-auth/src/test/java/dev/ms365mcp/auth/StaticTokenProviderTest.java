package dev.ms365mcp.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StaticTokenProviderTest {

    private static final Instant EXP = Instant.ofEpochSecond(2_000_000_000L);

    private static String jwt(String payload) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".sig";
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    @Test
    void aJwtIsUsedUntilItExpires() {
        String token = jwt("{\"exp\":" + EXP.getEpochSecond() + "}");
        StaticTokenProvider provider = new StaticTokenProvider(" " + token + "\n", at(EXP.minusSeconds(1)));

        AccessToken result = provider.token(TokenRequest.forScopes(Set.of("Mail.Read")));

        assertThat(result.value()).isEqualTo(token);
        assertThat(result.expiresOn()).isEqualTo(EXP);
        assertThat(result.toString()).doesNotContain(token);
    }

    @Test
    void anExpiredJwtFailsWithTheFixAndWithoutTheToken() {
        String token = jwt("{\"exp\":" + EXP.getEpochSecond() + "}");
        StaticTokenProvider provider = new StaticTokenProvider(token, at(EXP));

        assertThatThrownBy(() -> provider.token(TokenRequest.forScopes(Set.of())))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("MS365_MCP_OAUTH_TOKEN expired")
                .hasMessageContaining("--login")
                .hasMessageNotContaining(token);
    }

    @Test
    void anOpaqueTokenHasNoKnownExpiry() {
        StaticTokenProvider provider = new StaticTokenProvider("opaque-token", at(Instant.MAX));
        assertThat(provider.token(TokenRequest.forScopes(Set.of())).expiresOn()).isNull();
        assertThat(provider.appOnly()).isFalse();
    }
}
