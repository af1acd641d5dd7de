package dev.ms365mcp.auth.msal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LiveAccessTokensTest {

    private static final long NOW = 1_800_000_000L;

    private static String cache(long... expiries) {
        StringBuilder tokens = new StringBuilder();
        for (int i = 0; i < expiries.length; i++) {
            tokens.append(i == 0 ? "" : ",").append("\"at").append(i).append("\":{\"secret\":\"s").append(i)
                    .append("\",\"expires_on\":\"").append(expiries[i]).append("\"}");
        }
        return "{\"AccessToken\":{" + tokens + "},\"RefreshToken\":{\"rt\":{\"secret\":\"r\"}}}";
    }

    @Test
    void deadAndAlmostDeadAccessTokensAreDroppedLiveOnesAndRefreshTokensKept() {
        LiveAccessTokens live = LiveAccessTokens.of(cache(NOW - 10, NOW + 299, NOW + 3600), NOW);

        assertThat(live.json()).doesNotContain("\"at0\"").doesNotContain("\"at1\"").contains("\"at2\"")
                .contains("\"RefreshToken\"");
        assertThat(live.anyLeft()).isTrue();
    }

    @Test
    void nothingToDropLeavesTheTextAsItWas() {
        String json = cache(NOW + 3600);
        assertThat(LiveAccessTokens.of(json, NOW).json()).isSameAs(json);
    }

    @Test
    void onlyDeadTokensMeansMsalMustAskEntra() {
        LiveAccessTokens live = LiveAccessTokens.of(cache(NOW - 1), NOW);
        assertThat(live.anyLeft()).isFalse();
        assertThat(LiveAccessTokens.of("{\"RefreshToken\":{}}", NOW).anyLeft()).isFalse();
    }

    @Test
    void unreadableTextIsLeftToMsal() {
        LiveAccessTokens live = LiveAccessTokens.of("{not json", NOW);
        assertThat(live.json()).isEqualTo("{not json");
        assertThat(live.anyLeft()).isTrue();
    }

    @Test
    void anExpiryThatIsNotANumberIsLeftToMsal() {
        String json = "{\"AccessToken\":{\"at\":{\"expires_on\":\"soon\"}}}";
        assertThat(LiveAccessTokens.of(json, NOW).json()).isSameAs(json);
    }
}
