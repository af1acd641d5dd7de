package dev.ms365mcp.http.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedirectUriPolicyTest {

    @Test
    void registrable() {
        for (String ok : List.of("https://claude.ai/api/mcp/auth_callback", "http://127.0.0.1/", "http://localhost:8787/callback",
                "http://[::1]:9000/cb", "cursor://anysphere.cursor-mcp/oauth/callback", "vscode://vscode.github-authentication/did-authenticate",
                "com.example.app:/oauth2redirect", "https://app.example/cb?tenant=1")) {
            assertThat(RedirectUriPolicy.problem(ok)).as(ok).isEmpty();
        }
    }

    @Test
    void notRegistrable() {
        for (String bad : List.of("javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "file:///etc/passwd", "blob:https://a/b",
                "https://a.example/cb#x", "https://u@a.example/cb", "http://a.example/cb", "http://192.168.1.10/cb", "http://127.0.0.1.evil.com/cb",
                "relative/cb", "https:///nohost", "https://a.example/c b", "")) {
            assertThat(RedirectUriPolicy.problem(bad)).as(bad).isPresent();
        }
    }

    @Test
    void loopbackMatchesAnyPortWithSameHostAndPath() {
        List<String> registered = List.of("http://127.0.0.1/", "http://localhost:8787/callback");
        assertThat(RedirectUriPolicy.matches(registered, "http://127.0.0.1:33418/")).isTrue();
        assertThat(RedirectUriPolicy.matches(registered, "http://localhost:1234/callback")).isTrue();
        assertThat(RedirectUriPolicy.matches(registered, "http://localhost:1234/other")).isFalse();
        assertThat(RedirectUriPolicy.matches(registered, "http://127.0.0.1:33418/x")).isFalse();
        assertThat(RedirectUriPolicy.matches(registered, "http://localhost:1234/callback?extra=1")).isFalse();
        assertThat(RedirectUriPolicy.matches(registered, "http://[::1]:1234/")).isFalse();
        assertThat(RedirectUriPolicy.matches(registered, "https://127.0.0.1:33418/")).isFalse();
    }

    @Test
    void everythingElseMatchesExactly() {
        List<String> registered = List.of("https://good.example/cb", "cursor://anysphere.cursor-mcp/oauth/callback");
        assertThat(RedirectUriPolicy.matches(registered, "https://good.example/cb")).isTrue();
        assertThat(RedirectUriPolicy.matches(registered, "cursor://anysphere.cursor-mcp/oauth/callback")).isTrue();
        for (String attack : List.of("https://good.example.evil.com/cb", "https://good.example/cb/", "https://GOOD.example/cb",
                "https://good.example:443/cb", "https://good.example/cb?x", "cursor://anysphere.cursor-mcp/oauth/callback2",
                "https://evil.example/https://good.example/cb")) {
            assertThat(RedirectUriPolicy.matches(registered, attack)).as(attack).isFalse();
        }
        assertThat(RedirectUriPolicy.matches(registered, null)).isFalse();
    }
}
