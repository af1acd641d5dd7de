package dev.ms365mcp.auth.obo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import dev.ms365mcp.auth.TokenRequest;
import dev.ms365mcp.auth.UserKey;
import dev.ms365mcp.auth.testing.EntraFixture;
import dev.ms365mcp.testkit.entra.FakeEntra;
import dev.ms365mcp.testkit.entra.Fault;
import dev.ms365mcp.testkit.entra.FakeUser;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class EntraAccessTokenValidatorTest {

    private static final String API = "api://" + FakeEntra.CONFIDENTIAL_CLIENT_ID;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;
    EntraFixture fx;
    FakeUser alice;
    EntraAccessTokenValidator validator;

    @BeforeEach
    void start() throws Exception {
        fx = EntraFixture.start(dir)
                .with("MS365_MCP_CLIENT_ID", FakeEntra.CONFIDENTIAL_CLIENT_ID)
                .with("MS365_MCP_CLIENT_SECRET", FakeEntra.CONFIDENTIAL_CLIENT_SECRET)
                .with("MS365_MCP_TENANT_ID", FakeEntra.TENANT_ID);
        alice = fx.entra.addUser("alice@contoso.com");
        fx.entra.addUser("eve@fabrikam.com", "44444444-4444-4444-4444-444444444444");
        validator = validatorFor(FakeEntra.TENANT_ID);
    }

    private EntraAccessTokenValidator validatorFor(String tenant) {
        fx.with("MS365_MCP_TENANT_ID", tenant);
        return new EntraAccessTokenValidator(fx.settings(), fx.entra.jwksUri(tenant), null);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private String signed(Map<String, Object> claims) {
        return fx.entra.sign(claims);
    }

    private Map<String, Object> claims() {
        return fx.entra.accessTokenClaims("alice@contoso.com", API);
    }

    @Test
    void aValidTokenForThisApiGivesTheCallerAndItsAssertionForOnBehalfOf() {
        String token = fx.entra.issueAccessToken("alice@contoso.com", API);

        EntraCaller caller = validator.validate(token);

        assertThat(caller.userKey()).isEqualTo(UserKey.fromObjectId(alice.objectId(), alice.tenantId()))
                .isEqualTo(UserKey.fromHomeAccountId(alice.homeAccountId()));
        assertThat(caller.tenantId()).isEqualTo(FakeEntra.TENANT_ID);
        assertThat(caller.username()).isEqualTo("alice@contoso.com");
        assertThat(caller.assertion()).isEqualTo(token);
        assertThat(caller.expiresAt()).isAfter(Instant.now());
        assertThat(caller.toString()).doesNotContain(token);
        // The bare client id is this API's audience too (v2 tokens of apps without an App ID URI).
        assertThat(validator.validate(fx.entra.issueAccessToken("alice@contoso.com", FakeEntra.CONFIDENTIAL_CLIENT_ID))
                .userKey()).isEqualTo(caller.userKey());

        // And the assertion is what on-behalf-of exchanges.
        OnBehalfOfTokenProvider obo = new OnBehalfOfTokenProvider(fx.settings(), fx.http);
        assertThat(EntraFixture.claims(obo.forAssertion(caller.assertion())
                .token(TokenRequest.forScopes(Set.of("Mail.Read"))).value())).contains("alice@contoso.com");
    }

    @Test
    void theSigningKeysAreFetchedOnceAndCached() {
        validator.validate(fx.entra.issueAccessToken("alice@contoso.com", API));
        validator.validate(fx.entra.issueAccessToken("alice@contoso.com", API));
        assertThat(fx.entra.requests()).filteredOn(r -> r.path().endsWith("/discovery/v2.0/keys")).hasSize(1);
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefused() throws Exception {
        try (FakeEntra impostor = FakeEntra.start()) {
            impostor.addUser("alice@contoso.com");
            Map<String, Object> forged = impostor.accessTokenClaims("alice@contoso.com", API);
            forged.put("iss", fx.entra.issuer(FakeEntra.TENANT_ID));
            forged.put("oid", alice.objectId());
            assertInvalid(impostor.sign(forged), "signature");
        }
        // Same claims, signature bits flipped.
        String token = fx.entra.issueAccessToken("alice@contoso.com", API);
        String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertInvalid(tampered, "signature");
        // Claims swapped under a genuine signature.
        String[] parts = token.split("\\.");
        Map<String, Object> bob = claims();
        bob.put("oid", "ffffffff-ffff-ffff-ffff-ffffffffffff");
        assertInvalid(parts[0] + "." + Base64URL.encode(JSON.writeValueAsBytes(bob)) + "." + parts[2], "signature");
    }

    @Test
    void algNoneAndHs256KeyedWithThePublicKeyAreRefused() throws Exception {
        Base64URL payload = Base64URL.encode(JSON.writeValueAsBytes(claims()));
        assertInvalid(Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + ".", "");

        // The classic confusion attack: HMAC with the RSA public key (as JSON, and as its modulus bytes).
        byte[] publicKey = fx.entra.publicSigningKey().getBytes(StandardCharsets.UTF_8);
        JWSObject hs256 = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(payload));
        hs256.sign(new MACSigner(publicKey));
        assertInvalid(hs256.serialize(), "signature");
    }

    @Test
    void wrongAudienceIssuerTimeOrTenantIsRefused() {
        Map<String, Object> graph = claims();
        graph.put("aud", FakeEntra.GRAPH_AUDIENCE);
        assertInvalid(signed(graph), "audience");

        Map<String, Object> otherApi = claims();
        otherApi.put("aud", "api://99999999-9999-9999-9999-999999999999");
        assertInvalid(signed(otherApi), "audience");

        Map<String, Object> issuer = claims();
        issuer.put("iss", "https://evil.example/" + FakeEntra.TENANT_ID + "/v2.0");
        assertInvalid(signed(issuer), "issuer");

        Map<String, Object> issuerOfAnotherTenant = claims();
        issuerOfAnotherTenant.put("iss", fx.entra.issuer("44444444-4444-4444-4444-444444444444"));
        assertInvalid(signed(issuerOfAnotherTenant), "issuer");

        Map<String, Object> v1 = claims();
        v1.put("iss", "https://sts.windows.net/" + FakeEntra.TENANT_ID + "/");
        v1.put("ver", "1.0");
        assertInvalid(signed(v1), "requestedAccessTokenVersion");

        Map<String, Object> expired = claims();
        expired.put("exp", Instant.now().minusSeconds(120).getEpochSecond());
        assertInvalid(signed(expired), "expired");
        Map<String, Object> withinSkew = claims();
        withinSkew.put("exp", Instant.now().minusSeconds(20).getEpochSecond());
        assertThat(validator.validate(signed(withinSkew)).objectId()).isEqualTo(alice.objectId());

        Map<String, Object> notYet = claims();
        notYet.put("nbf", Instant.now().plusSeconds(600).getEpochSecond());
        assertInvalid(signed(notYet), "not valid yet");

        Map<String, Object> noOid = claims();
        noOid.remove("oid");
        assertInvalid(signed(noOid), "required claim");

        // A genuine token of another tenant, for a server restricted to one tenant.
        assertInvalid(fx.entra.issueAccessToken("eve@fabrikam.com", API), "tenant");
        // ...which a multi-tenant (organizations) server accepts.
        assertThat(validatorFor("organizations").validate(fx.entra.issueAccessToken("eve@fabrikam.com", API))
                .tenantId()).isEqualTo("44444444-4444-4444-4444-444444444444");
    }

    @Test
    void garbageIsRefusedWithoutEchoingIt() {
        for (String garbage : new String[] {"garbage", "a.b.c", "....", "eyJhbGciOiJSUzI1NiJ9.e30", " "}) {
            assertThatThrownBy(() -> validator.validate(garbage)).isInstanceOf(InvalidAccessTokenException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(garbage.strip().isEmpty() ? "\u0000" : garbage));
        }
        assertThatThrownBy(() -> validator.validate(null)).isInstanceOf(InvalidAccessTokenException.class)
                .hasMessageContaining("Authorization: Bearer");
    }

    @Test
    void keysAreFetchedOverHttpsOnlyExceptOnLoopback() {
        assertThatThrownBy(() -> new EntraAccessTokenValidator(fx.settings(),
                URI.create("http://login.example.com/" + FakeEntra.TENANT_ID + "/discovery/v2.0/keys"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
        fx.with("MS365_MCP_TENANT_ID", "contoso.com");
        assertThatThrownBy(() -> new EntraAccessTokenValidator(fx.settings()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant id (a GUID)");
    }

    @Test
    void unreachableKeysAreAServerProblemNotAnInvalidToken() {
        String token = fx.entra.issueAccessToken("alice@contoso.com", API);
        fx.entra.close();
        // the first fetches fail, then nimbus's rate limit answers without fetching: still an outage
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> validator.validate(token)).isInstanceOf(SigningKeysUnavailableException.class)
                    .hasMessageContaining("signing keys").hasMessageNotContaining(token);
        }
    }

    @Test
    void keysAnsweringAServerErrorAreAnOutageUntilTheyAnswerAgain() {
        String token = fx.entra.issueAccessToken("alice@contoso.com", API);
        fx.entra.failNext(FakeEntra.Endpoint.METADATA, 100, Fault.serverError(500));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> validator.validate(token)).isInstanceOf(SigningKeysUnavailableException.class);
        }
        // a fresh validator (a restart) once Entra answers again
        fx.entra.clearFaults();
        assertThat(validatorFor(FakeEntra.TENANT_ID).validate(token).objectId()).isEqualTo(alice.objectId());
    }

    @Test
    void unknownKeyIdsPastTheRefetchLimitAreStillInvalidTokensWhileTheKeysAreReachable() throws Exception {
        validator.validate(fx.entra.issueAccessToken("alice@contoso.com", API));
        try (FakeEntra impostor = FakeEntra.start()) {
            impostor.addUser("alice@contoso.com");
            Map<String, Object> forged = impostor.accessTokenClaims("alice@contoso.com", API);
            forged.put("iss", fx.entra.issuer(FakeEntra.TENANT_ID));
            // each forged token names a key id Entra does not publish: a refetch each, until the rate limit
            for (int i = 0; i < 5; i++) {
                assertInvalid(impostor.sign(forged), "signature");
            }
        }
        assertThat(fx.entra.requests()).filteredOn(r -> r.path().endsWith("/discovery/v2.0/keys")).hasSizeLessThanOrEqualTo(3);
        assertThat(validator.validate(fx.entra.issueAccessToken("alice@contoso.com", API)).objectId())
                .isEqualTo(alice.objectId());
    }

    private void assertInvalid(String token, String reason) {
        assertThatThrownBy(() -> validator.validate(token)).isInstanceOf(InvalidAccessTokenException.class)
                .hasMessageContaining(reason).hasMessageNotContaining(token);
    }
}
