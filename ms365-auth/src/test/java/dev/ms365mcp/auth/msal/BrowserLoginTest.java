package dev.ms365mcp.auth.msal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ms365mcp.auth.AccountInfo;
import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.TokenRequest;
import dev.ms365mcp.auth.testing.EntraFixture;
import dev.ms365mcp.testkit.FormEncoding;
import dev.ms365mcp.testkit.entra.EntraBrowser;
import dev.ms365mcp.testkit.entra.EntraRequest;
import dev.ms365mcp.testkit.entra.FakeEntra;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --auth-browser against FakeEntra: the sign-in URL goes to a scripted browser ({@link EntraBrowser})
 * that signs in and then calls the loopback redirect msal4j listens on, as a real browser would.
 */
class BrowserLoginTest {

    private static final Set<String> MAIL = Set.of("Mail.Read");

    @TempDir
    Path dir;
    EntraFixture fx;
    final List<String> callbacks = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fx = EntraFixture.start(dir);
        fx.entra.addUser("alice@contoso.com");
        fx.entra.addUser("bob@contoso.com");
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    /** The "system browser": follows the URL, signs in as {@code username}, returns to the redirect URI. */
    private Consumer<URL> browser(String username, Map<String, String> tamper) {
        return url -> Thread.ofVirtual().start(() -> {
            try (EntraBrowser browser = new EntraBrowser(fx.entra); HttpClient http = HttpClient.newHttpClient()) {
                URI authorize = url.toURI();
                String redirect = FormEncoding.decode(authorize.getRawQuery()).get("redirect_uri");
                // A public client's loopback redirect (Entra ignores the port for http://localhost).
                fx.entra.addRedirectUri(FakeEntra.PUBLIC_CLIENT_ID, redirect);
                EntraBrowser.Callback callback = browser.signIn(authorize, username);
                Map<String, String> params = new java.util.LinkedHashMap<>(callback.params());
                params.putAll(tamper);
                String query = params.entrySet().stream()
                        .map(e -> FormEncoding.encode(e.getKey()) + "=" + FormEncoding.encode(e.getValue()))
                        .collect(java.util.stream.Collectors.joining("&"));
                callbacks.add(callback.method() + " " + callback.redirectUri());
                // msal4j asks for response_mode=form_post: the page posts the form to the loopback listener.
                HttpRequest request = callback.method().equals("POST")
                        ? HttpRequest.newBuilder(callback.redirectUri())
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(query)).build()
                        : HttpRequest.newBuilder(URI.create(callback.redirectUri() + "?" + query)).build();
                http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void signsInWithAuthorizationCodeAndPkceOnALoopbackRedirect() throws Exception {
        MsalTokenProvider provider = new MsalTokenProvider(fx.settings(), fx.http);
        AccountInfo account = provider.loginInBrowser(MAIL, browser("alice@contoso.com", Map.of()), Duration.ofSeconds(60));

        assertThat(account.username()).isEqualTo("alice@contoso.com");
        assertThat(callbacks).singleElement().asString().startsWith("POST http://localhost:");
        List<EntraRequest> redeemed = fx.entra.tokenRequests("authorization_code");
        assertThat(redeemed).hasSize(1);
        assertThat(redeemed.get(0).form().get("code_verifier")).isNotBlank();
        assertThat(redeemed.get(0).form().get("redirect_uri")).startsWith("http://localhost:");
        // The login is cached: a new process gets tokens silently.
        assertThat(new MsalTokenProvider(fx.settings(), fx.http).token(TokenRequest.forScopes(MAIL)).value()).isNotBlank();
    }

    @Test
    void aForgedStateIsRejected() {
        MsalTokenProvider provider = new MsalTokenProvider(fx.settings(), fx.http);
        assertThatThrownBy(() -> provider.loginInBrowser(MAIL, browser("alice@contoso.com", Map.of("state", "forged")),
                Duration.ofSeconds(60))).isInstanceOf(AuthException.class);
        assertThat(fx.entra.tokenRequests("authorization_code")).isEmpty();
        assertThat(provider.accounts()).isEmpty();
    }

    @Test
    void theExpectedAccountGuardAppliesToBrowserSignIns() {
        fx.with("MS365_MCP_EXPECTED_USERNAME", "alice@contoso.com");
        MsalTokenProvider provider = new MsalTokenProvider(fx.settings(), fx.http);
        assertThatThrownBy(() -> provider.loginInBrowser(MAIL, browser("bob@contoso.com", Map.of()), Duration.ofSeconds(60)))
                .isInstanceOf(AuthException.class).hasMessageContaining("not saved");
        assertThat(provider.accounts()).isEmpty();
    }
}
