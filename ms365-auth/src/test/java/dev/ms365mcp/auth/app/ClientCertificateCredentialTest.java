package dev.ms365mcp.auth.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.TokenRequest;
import dev.ms365mcp.auth.testing.EntraFixture;
import dev.ms365mcp.auth.web.EntraAuthorizationRequest;
import dev.ms365mcp.auth.web.EntraSignIn;
import dev.ms365mcp.auth.web.InMemoryUserCacheStore;
import dev.ms365mcp.auth.web.PerUserTokenProvider;
import dev.ms365mcp.auth.web.SignedInUser;
import dev.ms365mcp.auth.web.UserTokenCaches;
import dev.ms365mcp.testkit.entra.ClientCertificate;
import dev.ms365mcp.testkit.entra.EntraBrowser;
import dev.ms365mcp.testkit.entra.FakeEntra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The confidential client authenticating with a certificate (MS365_MCP_CLIENT_CERTIFICATE_PATH) instead of a secret. */
class ClientCertificateCredentialTest {

    private static final String CLIENT = "55555555-5555-5555-5555-555555555555";

    // keytool's RSA key generation is slow on a busy machine: one certificate for the class.
    @TempDir
    static Path certificates;
    static ClientCertificate certificate;

    @TempDir
    Path dir;
    EntraFixture fx;

    @BeforeAll
    static void generate() throws Exception {
        certificate = ClientCertificate.generate(certificates, "ms365-mcp");
    }

    @BeforeEach
    void start() throws Exception {
        fx = EntraFixture.start(dir).portlessAuthority()
                .with("MS365_MCP_AUTH_MODE", "app")
                .with("MS365_MCP_CLIENT_ID", CLIENT)
                .with("MS365_MCP_TENANT_ID", FakeEntra.TENANT_ID);
        fx.entra.addConfidentialClient(CLIENT, certificate.certificate());
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private String appToken() {
        return new AppOnlyTokenProvider(fx.settings(), fx.portlessHttp).token(TokenRequest.forScopes(Set.of())).value();
    }

    @Test
    void aPkcs12CertificateSignsTheClientAssertion() throws Exception {
        fx.with("MS365_MCP_CLIENT_CERTIFICATE_PATH", certificate.pkcs12().toString())
                .with("MS365_MCP_CLIENT_CERTIFICATE_PASSWORD", certificate.password());

        assertThat(EntraFixture.claims(appToken())).contains("\"appid\":\"" + CLIENT + "\"");
        assertThat(fx.entra.tokenRequests("client_credentials")).singleElement().satisfies(r -> {
            assertThat(r.form()).doesNotContainKey("client_secret")
                    .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
            assertThat(SignedJWT.parse(r.form().get("client_assertion")).getJWTClaimsSet().getIssuer()).isEqualTo(CLIENT);
        });
    }

    @Test
    void aPemFileWithKeyAndCertificateWorksToo() throws Exception {
        fx.with("MS365_MCP_CLIENT_CERTIFICATE_PATH", certificate.writePem(dir.resolve("app.pem")).toString());
        assertThat(EntraFixture.claims(appToken())).contains(CLIENT);
    }

    @Test
    void aCertificateEntraDoesNotKnowIsRefusedByEntra() throws Exception {
        ClientCertificate unknown = ClientCertificate.generate(dir, "unknown");
        fx.with("MS365_MCP_CLIENT_CERTIFICATE_PATH", unknown.writePem(dir.resolve("unknown.pem")).toString());
        assertThatThrownBy(this::appToken).isInstanceOf(AuthException.class).hasMessageContaining("AADSTS700027");
    }

    @Test
    void unreadableCredentialsSayWhatToFixWithoutShowingThePassword() throws Exception {
        fx.with("MS365_MCP_CLIENT_CERTIFICATE_PATH", certificate.pkcs12().toString())
                .with("MS365_MCP_CLIENT_CERTIFICATE_PASSWORD", "wrong-password-value");
        assertThatThrownBy(this::appToken).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MS365_MCP_CLIENT_CERTIFICATE_PASSWORD").hasMessageNotContaining("wrong-password-value");

        Path pkcs1 = Files.writeString(dir.resolve("pkcs1.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"
                + Files.readString(certificate.writePem(dir.resolve("c.pem"))).replaceAll("(?s)-----BEGIN PRIVATE KEY-----.*?-----END PRIVATE KEY-----\n", ""));
        fx.with("MS365_MCP_CLIENT_CERTIFICATE_PATH", pkcs1.toString());
        assertThatThrownBy(this::appToken).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");

        Path certOnly = Files.writeString(dir.resolve("cert-only.pem"), Files.readString(dir.resolve("c.pem"))
                .replaceAll("(?s)-----BEGIN PRIVATE KEY-----.*?-----END PRIVATE KEY-----\n", ""));
        fx.with("MS365_MCP_CLIENT_CERTIFICATE_PATH", certOnly.toString());
        assertThatThrownBy(this::appToken).hasMessageContaining("must hold both");

        fx.with("MS365_MCP_CLIENT_CERTIFICATE_PATH", dir.resolve("missing.pem").toString());
        assertThatThrownBy(this::appToken).hasMessageContaining("cannot read");
        assertThat(fx.entra.requests()).isEmpty();
    }

    @Test
    void theWebSignInAndItsRefreshesAuthenticateWithTheCertificate() throws Exception {
        fx.with("MS365_MCP_AUTH_MODE", "delegated")
                .with("MS365_MCP_CLIENT_CERTIFICATE_PATH", certificate.pkcs12().toString())
                .with("MS365_MCP_CLIENT_CERTIFICATE_PASSWORD", certificate.password());
        fx.entra.addUser("alice@contoso.com");
        fx.entra.addRedirectUri(CLIENT, "https://mcp.example.com/oauth/callback");
        fx.entra.accessTokenLifetime(java.time.Duration.ofMinutes(1));
        UserTokenCaches caches = new UserTokenCaches(new InMemoryUserCacheStore(), new byte[32]);
        EntraSignIn signIn = new EntraSignIn(fx.settings(), java.net.URI.create("https://mcp.example.com"),
                Set.of("Mail.Read"), caches, fx.portlessHttp);
        EntraAuthorizationRequest request = signIn.begin(null);
        try (EntraBrowser browser = new EntraBrowser(fx.entra)) {
            String code = browser.signIn(request.authorizationUrl(), "alice@contoso.com").params().get("code");
            SignedInUser alice = signIn.complete(code, request.codeVerifier(), request.nonce());
            PerUserTokenProvider tokens = new PerUserTokenProvider(fx.settings(), caches, key -> { }, fx.portlessHttp);
            assertThat(EntraFixture.claims(tokens.token(new TokenRequest(Set.of("Mail.Read"), null, alice.userKey())).value()))
                    .contains("alice@contoso.com");
        }
        assertThat(fx.entra.requests()).filteredOn(r -> r.isTokenRequest()).hasSize(2).allSatisfy(r -> assertThat(r.form())
                .containsKey("client_assertion").doesNotContainKey("client_secret"));
    }
}
