package dev.ms365mcp.testkit.entra;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.X509CertUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ms365mcp.testkit.FormEncoding;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The browser sign-in of a web app against FakeEntra, driven over plain HTTP the way a browser would. */
class FakeEntraAuthorizationCodeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String REDIRECT = "https://app.example/oauth/callback";
    private static final String VERIFIER = "verifier-0123456789-0123456789-0123456789-abcdef";
    private static final Pattern INPUT = Pattern.compile("<input type=\"(?:hidden|email)\" name=\"([^\"]+)\" value=\"([^\"]*)\">");
    private static final Pattern ACTION = Pattern.compile("<form method=\"post\"[^>]* action=\"([^\"]+)\"");

    FakeEntra entra;
    HttpClient http;
    FakeUser alice;

    @BeforeEach
    void start() throws Exception {
        entra = FakeEntra.start();
        http = HttpClient.newHttpClient(); // never follows redirects
        alice = entra.addUser("alice@contoso.com");
        entra.addUser("bob@contoso.com");
        entra.addRedirectUri(FakeEntra.CONFIDENTIAL_CLIENT_ID, REDIRECT);
        entra.signInAs("alice@contoso.com");
    }

    @AfterEach
    void stop() {
        http.close();
        entra.close();
    }

    private Map<String, String> authorizeParams(String responseMode) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("client_id", FakeEntra.CONFIDENTIAL_CLIENT_ID);
        q.put("redirect_uri", REDIRECT);
        q.put("response_type", "code");
        q.put("scope", "openid profile offline_access Mail.Read");
        q.put("state", "state-1");
        q.put("nonce", "nonce-1");
        q.put("code_challenge", s256(VERIFIER));
        q.put("code_challenge_method", "S256");
        q.put("response_mode", responseMode);
        return q;
    }

    private HttpResponse<String> get(Map<String, String> query) throws Exception {
        String qs = query.entrySet().stream().map(e -> e.getKey() + "=" + FormEncoding.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(URI.create(entra.baseUri() + "/common/oauth2/v2.0/authorize?" + qs)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Submits the page's one form as a browser would, with {@code overrides} typed into its fields. */
    private HttpResponse<String> submit(HttpResponse<String> page, Map<String, String> overrides) throws Exception {
        Matcher action = ACTION.matcher(page.body());
        assertThat(action.find()).as("a form in %s", page.body()).isTrue();
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher input = INPUT.matcher(page.body());
        while (input.find()) {
            fields.put(input.group(1), input.group(2).replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'"));
        }
        fields.putAll(overrides);
        String body = fields.entrySet().stream().map(e -> e.getKey() + "=" + FormEncoding.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(entra.baseUri().resolve(action.group(1).replace("&amp;", "&")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> hiddenFields(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher input = INPUT.matcher(html);
        while (input.find()) {
            fields.put(input.group(1), input.group(2));
        }
        return fields;
    }

    private HttpResponse<String> token(String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(entra.baseUri() + "/common/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String redeem(String code, String verifier, String redirect) {
        return "grant_type=authorization_code&client_id=" + FakeEntra.CONFIDENTIAL_CLIENT_ID
                + "&client_secret=" + FakeEntra.CONFIDENTIAL_CLIENT_SECRET + "&code=" + FormEncoding.encode(code)
                + "&redirect_uri=" + FormEncoding.encode(redirect) + "&code_verifier=" + verifier
                + "&scope=" + FormEncoding.encode("openid profile offline_access Mail.Read");
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void formPostSignInGivesACodeThatRedeemsOnceForSignedTokensWithTheNonce() throws Exception {
        HttpResponse<String> page = get(authorizeParams("form_post"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsOnlyOnce("<form").contains("value=\"alice@contoso.com\"");

        HttpResponse<String> posted = submit(page, Map.of());
        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(posted.body()).contains("action=\"" + REDIRECT + "\"", "document.forms[0].submit()");
        Map<String, String> callback = hiddenFields(posted.body());
        assertThat(callback).containsEntry("state", "state-1").containsKey("code");

        HttpResponse<String> tokens = token(redeem(callback.get("code"), VERIFIER, REDIRECT));
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        assertThat(tokens.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = JSON.readTree(tokens.body());
        SignedJWT id = SignedJWT.parse(body.get("id_token").asString());
        SignedJWT access = SignedJWT.parse(body.get("access_token").asString());
        assertThat(id.getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("nonce-1");
        assertThat(id.getJWTClaimsSet().getStringClaim("oid")).isEqualTo(alice.objectId());
        assertThat(id.getJWTClaimsSet().getStringClaim("preferred_username")).isEqualTo("alice@contoso.com");
        assertThat(access.getJWTClaimsSet().getAudience()).containsExactly(FakeEntra.GRAPH_AUDIENCE);
        assertThat(body.get("client_info").asString()).isNotBlank();
        assertThat(body.get("refresh_token").asString()).isNotBlank();

        // The signatures verify against the published JWKS (and only the header's key is used).
        HttpResponse<String> jwks = http.send(HttpRequest.newBuilder(entra.jwksUri("common")).build(),
                HttpResponse.BodyHandlers.ofString());
        RSAKey key = JWKSet.parse(jwks.body()).getKeyByKeyId(id.getHeader().getKeyID()).toRSAKey();
        assertThat(id.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(id.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(access.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(entra.baseUri()
                        + "/common/v2.0/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString())
                .body()).get("jwks_uri").asString()).isEqualTo(entra.authorityBase() + "/common/discovery/v2.0/keys");

        HttpResponse<String> again = token(redeem(callback.get("code"), VERIFIER, REDIRECT));
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("invalid_grant", "AADSTS54005");
        assertThat(entra.tokenRequests("authorization_code")).hasSize(2);
    }

    @Test
    void queryModeRedirectsWithTheCodeAndTheSignInNameCanBeChanged() throws Exception {
        Map<String, String> params = authorizeParams("query");
        params.put("login_hint", "bob@contoso.com");
        HttpResponse<String> page = get(params);
        assertThat(page.body()).contains("value=\"bob@contoso.com\"");

        HttpResponse<String> unknown = submit(page, Map.of("login", "mallory@contoso.com"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("This username may be incorrect");

        HttpResponse<String> redirect = submit(page, Map.of());
        assertThat(redirect.statusCode()).isEqualTo(302);
        URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(REDIRECT + "?");
        Map<String, String> callback = FormEncoding.decode(location.getRawQuery());
        assertThat(callback).containsEntry("state", "state-1");
        JsonNode body = JSON.readTree(token(redeem(callback.get("code"), VERIFIER, REDIRECT)).body());
        assertThat(SignedJWT.parse(body.get("id_token").asString()).getJWTClaimsSet().getStringClaim("preferred_username"))
                .isEqualTo("bob@contoso.com");
        // The sign-in page is single use.
        assertThat(submit(page, Map.of()).body()).contains("expired or was already used");
    }

    @Test
    void aWrongVerifierOrRedirectUriUsesTheCodeUpWithoutTokens() throws Exception {
        String code1 = hiddenFields(submit(get(authorizeParams("form_post")), Map.of()).body()).get("code");
        HttpResponse<String> wrongVerifier = token(redeem(code1, VERIFIER + "x", REDIRECT));
        assertThat(wrongVerifier.body()).contains("invalid_grant", "AADSTS50148").doesNotContain("access_token");
        assertThat(token(redeem(code1, VERIFIER, REDIRECT)).body()).contains("AADSTS54005");

        String code2 = hiddenFields(submit(get(authorizeParams("form_post")), Map.of()).body()).get("code");
        assertThat(token(redeem(code2, VERIFIER, REDIRECT + "/other")).body()).contains("AADSTS500117");

        String code3 = hiddenFields(submit(get(authorizeParams("form_post")), Map.of()).body()).get("code");
        assertThat(token(redeem(code3, VERIFIER, REDIRECT).replace(FakeEntra.CONFIDENTIAL_CLIENT_SECRET, "nope")).body())
                .contains("invalid_client", "AADSTS7000215");
    }

    @Test
    void badRequestsGetAnErrorPageOrAnErrorAtTheRedirectUri() throws Exception {
        Map<String, String> unregistered = authorizeParams("form_post");
        unregistered.put("redirect_uri", "https://evil.example/callback");
        HttpResponse<String> page = get(unregistered);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("AADSTS50011").doesNotContain("<form");

        Map<String, String> unknownClient = authorizeParams("query");
        unknownClient.put("client_id", "99999999-9999-9999-9999-999999999999");
        assertThat(get(unknownClient).body()).contains("AADSTS700016");

        Map<String, String> plainPkce = authorizeParams("query");
        plainPkce.put("code_challenge_method", "plain");
        HttpResponse<String> refused = get(plainPkce);
        assertThat(refused.statusCode()).isEqualTo(302);
        assertThat(FormEncoding.decode(URI.create(refused.headers().firstValue("Location").orElseThrow()).getRawQuery()))
                .containsEntry("error", "invalid_request").containsEntry("state", "state-1")
                .hasEntrySatisfying("error_description", d -> assertThat(d).startsWith("AADSTS501491"));

        Map<String, String> noNonce = authorizeParams("form_post");
        noNonce.remove("nonce");
        assertThat(hiddenFields(get(noNonce).body())).containsEntry("error", "invalid_request");

        entra.failNext(FakeEntra.Endpoint.AUTHORIZE, 1, Fault.aadsts(400, "access_denied", 65004, "User declined to consent."));
        Map<String, String> denied = hiddenFields(submit(get(authorizeParams("form_post")), Map.of()).body());
        assertThat(denied).containsEntry("error", "access_denied").containsEntry("state", "state-1").doesNotContainKey("code");
        assertThat(denied.get("error_description")).startsWith("AADSTS65004");
    }

    @Test
    void aCertificateSignedClientAssertionAuthenticatesTheClientAndAForgedOneDoesNot(@TempDir Path dir) throws Exception {
        String clientId = "44444444-4444-4444-4444-444444444444";
        ClientCertificate cert = ClientCertificate.generate(dir, "app");
        ClientCertificate other = ClientCertificate.generate(dir, "other");
        entra.addConfidentialClient(clientId, cert.certificate());
        entra.addRedirectUri(clientId, REDIRECT);
        String audience = entra.authorityBase() + "/common/oauth2/v2.0/token";

        Map<String, String> params = authorizeParams("form_post");
        params.put("client_id", clientId);
        String code = hiddenFields(submit(get(params), Map.of()).body()).get("code");
        String base = "grant_type=authorization_code&client_id=" + clientId + "&code=" + FormEncoding.encode(code)
                + "&redirect_uri=" + FormEncoding.encode(REDIRECT) + "&code_verifier=" + VERIFIER
                + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=";

        // Signed by another key but claiming this certificate: refused, and the code is not spent.
        assertThat(token(base + assertion(other, cert, clientId, audience)).body()).contains("invalid_client", "AADSTS700027");
        assertThat(token("grant_type=authorization_code&client_id=" + clientId + "&code=" + code).body())
                .contains("AADSTS7000218");
        HttpResponse<String> ok = token(base + assertion(cert, cert, clientId, audience));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    }

    private static String assertion(ClientCertificate signer, ClientCertificate named, String clientId, String audience)
            throws Exception {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .x509CertSHA256Thumbprint(X509CertUtils.computeSHA256Thumbprint(named.certificate())).build();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                .jwtID(Base64URL.encode(new byte[] {1, 2, 3}).toString())
                .expirationTime(new Date(System.currentTimeMillis() + 600_000)).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new RSASSASigner(signer.privateKey()));
        return jwt.serialize();
    }
}
