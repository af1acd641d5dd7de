package dev.ms365mcp.http.security;

import dev.ms365mcp.http.JsonResponses;
import dev.ms365mcp.http.state.StateStore;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * A fixed-window request limit through the state store's {@link StateStore#increment counters} (so every
 * replica sharing the store counts together): per client address on the OAuth endpoints, per user on
 * {@code /mcp}. Over the limit: 429 with {@code Retry-After} until the window ends.
 */
public final class RateLimiter extends HttpFilter {

    private final String name;
    private final int limit;
    private final Duration window;
    private final StateStore store;
    private final Function<HttpServletRequest, String> subject;
    private final Clock clock;
    private final boolean jsonRpc;

    /**
     * @param name    what is limited, part of the counter key ({@code mcp}, {@code token}...)
     * @param subject who is counted: a client address or a hashed user id; null → not limited
     * @param jsonRpc answer with a JSON-RPC error body ({@code /mcp}) rather than an OAuth one
     */
    public RateLimiter(String name, int limit, Duration window, StateStore store,
            Function<HttpServletRequest, String> subject, Clock clock, boolean jsonRpc) {
        this.name = name;
        this.limit = limit;
        this.window = window;
        this.store = store;
        this.subject = subject;
        this.clock = clock;
        this.jsonRpc = jsonRpc;
    }

    /** Per user on /mcp, after authentication. */
    public static Function<HttpServletRequest, String> perUser() {
        return req -> req.getAttribute(Caller.ATTRIBUTE) instanceof Caller c ? c.hashedId() : null;
    }

    /** Per client address. */
    public static Function<HttpServletRequest, String> perAddress(ClientAddress addresses) {
        return addresses::of;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        String who = "OPTIONS".equals(req.getMethod()) ? null : subject.apply(req);
        if (who != null) {
            long now = clock.millis();
            long windowMillis = window.toMillis();
            long slot = now / windowMillis;
            long count = store.increment("ratelimit:" + name + ":" + who + ":" + slot, window);
            if (count > limit) {
                long retryAfter = Math.max(1, ((slot + 1) * windowMillis - now + 999) / 1000);
                resp.setHeader("Retry-After", Long.toString(retryAfter));
                String message = "Too many requests: the limit is " + limit + " per " + window.toSeconds()
                        + " s. Retry after " + retryAfter + " s.";
                if (jsonRpc) {
                    JsonResponses.jsonRpcError(resp, 429, -32000, message);
                } else {
                    JsonResponses.error(resp, 429, "rate_limited", message);
                }
                return;
            }
        }
        chain.doFilter(req, resp);
    }
}
