package dev.ms365mcp.http.oauth;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs everyone in at once as {@link #user}: {@code begin} sends the browser straight back to our
 * callback with an upstream code (as a GET, {@code response_mode=query}); {@code complete} accepts that
 * code only with the same state, nonce and verifier, once.
 */
public final class FakeUpstreamSignIn implements UpstreamSignIn {

    private record Issued(String nonce, String verifier) {
    }

    private final Map<String, Issued> codes = new ConcurrentHashMap<>();
    public volatile String user = "user-key-alice";
    public volatile boolean fail;
    /** The last sign-in begun and the upstream code handed out for it (secrets the log test looks for). */
    public volatile UpstreamAuthorization lastRequest;
    public volatile String lastCode;

    @Override
    public URI begin(UpstreamAuthorization request) {
        String code = "upstream-" + Secrets.random(16);
        codes.put(code + "|" + request.state(), new Issued(request.nonce(), request.codeVerifier()));
        lastRequest = request;
        lastCode = code;
        return URI.create(OAuthHttp.withQuery(request.callbackUri().toString(), Map.of("code", code, "state", request.state())));
    }

    /** An upstream code for {@code state} without the redirect, for tests that post the callback themselves. */
    public String codeFor(String state, String nonce, String verifier) {
        String code = "upstream-" + Secrets.random(16);
        codes.put(code + "|" + state, new Issued(nonce, verifier));
        return code;
    }

    @Override
    public String complete(String code, UpstreamAuthorization request) {
        Issued issued = codes.remove(code + "|" + request.state());
        if (fail || issued == null || !issued.nonce().equals(request.nonce()) || !issued.verifier().equals(request.codeVerifier())) {
            throw new UpstreamSignInException("upstream refused the code", null);
        }
        return user;
    }
}
