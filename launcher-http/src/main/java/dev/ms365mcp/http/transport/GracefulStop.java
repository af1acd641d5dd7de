package dev.ms365mcp.http.transport;

import dev.ms365mcp.http.JsonResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts MCP messages in flight (POST and DELETE; the long-lived GET streams carry no calls) so a stop
 * can wait for them: once draining, new messages get 503 and {@link #drain} returns when the last call
 * in flight has answered or the grace period is over. Jetty's own graceful stop would also wait for the
 * idle SSE streams, which never end by themselves.
 */
public final class GracefulStop extends HttpFilter {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object idle = new Object();
    private volatile boolean draining;

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        if ("GET".equals(req.getMethod())) {
            chain.doFilter(req, resp);
            return;
        }
        inFlight.incrementAndGet();
        boolean async = false;
        try {
            if (draining) {
                resp.setHeader("Connection", "close");
                resp.setHeader("Retry-After", "1");
                JsonResponses.jsonRpcError(resp, 503, -32000, "The server is shutting down; retry in a moment.");
                return;
            }
            chain.doFilter(req, resp);
            if (!req.isAsyncStarted()) {
                // Complete the answer here (its last chunk written) before counting it done: a stop right
                // after must not cut a response the client is still reading.
                complete(resp);
            } else {
                // The answer is written later (the streamable transport's SSE reply): the message is in
                // flight until the async cycle completes, not when the servlet returns.
                async = true;
                AsyncCompletion.whenComplete(req, this::finished);
            }
        } finally {
            if (!async) {
                finished();
            }
        }
    }

    private static void complete(HttpServletResponse resp) throws IOException {
        try {
            resp.getOutputStream().close();
        } catch (IllegalStateException writerInUse) {
            resp.getWriter().close();
        }
    }

    private void finished() {
        if (inFlight.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** Refuses new messages and waits up to {@code grace} for those in flight; true if all finished. */
    public boolean drain(Duration grace) throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (idle) {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    public int inFlight() {
        return inFlight.get();
    }
}
