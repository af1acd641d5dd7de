package dev.ms365mcp.tools.safety;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One-time confirmation tokens for clients without elicitation. A token is an expiry, a random
 * nonce and an HMAC-SHA256 (per-process random key) over them, the caller and a hash of the exact
 * tool and arguments: it confirms that call and no other, until it expires, once. Used nonces are
 * remembered until their expiry, so memory stays bounded by the tokens issued per lifetime.
 */
public final class ConfirmationTokens {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final int NONCE_BYTES = 16;
    private static final int MAC_BYTES = 32;
    /** Bound on remembered nonces; beyond it the soonest-expiring are forgotten (and their tokens refused). */
    private static final int MAX_USED = 100_000;

    /** Why a token was not accepted. */
    public enum Verdict {
        ACCEPTED, MALFORMED, OTHER_CALL, EXPIRED, USED
    }

    private final byte[] key = new byte[32];
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Long> used = new LinkedHashMap<>();

    public ConfirmationTokens(Duration ttl, Clock clock) {
        new SecureRandom().nextBytes(key);
        this.ttl = ttl;
        this.clock = clock;
    }

    public Duration ttl() {
        return ttl;
    }

    /** A token for this caller's call of {@code tool} with {@code canonicalArguments}. */
    public String issue(String caller, String tool, String canonicalArguments) {
        long expires = clock.millis() + ttl.toMillis();
        byte[] nonce = new byte[NONCE_BYTES];
        new SecureRandom().nextBytes(nonce);
        ByteBuffer token = ByteBuffer.allocate(8 + NONCE_BYTES + MAC_BYTES);
        token.putLong(expires).put(nonce).put(mac(expires, nonce, caller, tool, canonicalArguments));
        return B64.encodeToString(token.array());
    }

    /** Checks a token against the call it is sent with; an accepted token cannot be used again. */
    public Verdict redeem(String token, String caller, String tool, String canonicalArguments) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token.strip());
        } catch (IllegalArgumentException e) {
            return Verdict.MALFORMED;
        }
        if (raw.length != 8 + NONCE_BYTES + MAC_BYTES) {
            return Verdict.MALFORMED;
        }
        ByteBuffer b = ByteBuffer.wrap(raw);
        long expires = b.getLong();
        byte[] nonce = new byte[NONCE_BYTES];
        b.get(nonce);
        byte[] mac = new byte[MAC_BYTES];
        b.get(mac);
        if (!MessageDigest.isEqual(mac, mac(expires, nonce, caller, tool, canonicalArguments))) {
            return Verdict.OTHER_CALL;
        }
        long now = clock.millis();
        if (now >= expires) {
            return Verdict.EXPIRED;
        }
        String id = B64.encodeToString(nonce);
        synchronized (used) {
            used.values().removeIf(e -> e <= now);
            if (used.containsKey(id)) {
                return Verdict.USED;
            }
            if (used.size() >= MAX_USED) {
                Iterator<String> oldest = used.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
            used.put(id, expires);
        }
        return Verdict.ACCEPTED;
    }

    private byte[] mac(long expires, byte[] nonce, String caller, String tool, String canonicalArguments) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(ByteBuffer.allocate(8).putLong(expires).array());
            mac.update(nonce);
            for (String part : new String[] {caller == null ? "" : caller, tool, canonicalArguments}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                mac.update(bytes);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
