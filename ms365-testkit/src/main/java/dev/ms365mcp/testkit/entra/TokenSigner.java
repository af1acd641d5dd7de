package dev.ms365mcp.testkit.entra;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * FakeEntra's token signing key: RS256 like Entra, a fresh 2048-bit RSA key per fake, published as a
 * JWKS so token validators can be tested against real signatures.
 */
final class TokenSigner {

    private final RSAKey key;
    private final JsonMapper json;

    TokenSigner(JsonMapper json) {
        this.json = json;
        try {
            this.key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("could not generate an RSA key", e);
        }
    }

    String keyId() {
        return key.getKeyID();
    }

    /** A compact JWS (RS256, typ JWT, kid) over {@code claims}. */
    String sign(Map<String, Object> claims) {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(key.getKeyID()).build();
        JWSObject jws = new JWSObject(header, new Payload(json.writeValueAsString(claims)));
        try {
            jws.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a token", e);
        }
        return jws.serialize();
    }

    /** The public half as a JWK Set document ({@code {"keys":[...]}}). */
    Map<String, Object> publicJwks() {
        return new JWKSet(key.toPublicJWK()).toJSONObject(true);
    }

    /** The public key, for tests that forge tokens with it (e.g. HS256 keyed with the public key). */
    RSAKey publicKey() {
        return key.toPublicJWK();
    }
}
