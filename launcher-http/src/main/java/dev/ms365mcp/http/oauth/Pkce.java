package dev.ms365mcp.http.oauth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/** RFC 7636 with S256 only: {@code plain} would let whoever sees the authorization request redeem the code. */
final class Pkce {

    /** 43–128 characters of the unreserved set (RFC 7636 §4.1); an S256 challenge is 43 base64url characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");
    private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9\\-_]{43}");

    private Pkce() {
    }

    static boolean wellFormedChallenge(String challenge) {
        return challenge != null && S256_CHALLENGE.matcher(challenge).matches();
    }

    static String challenge(String verifier) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Secrets.sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    /** True when {@code verifier} is well formed and hashes to {@code challenge}. */
    static boolean verify(String verifier, String challenge) {
        return verifier != null && VERIFIER.matcher(verifier).matches() && Secrets.equal(challenge(verifier), challenge);
    }
}
