package dev.ms365mcp.http.transport;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;

/** Runs something once a request's async cycle completes: a streamed (SSE) answer ends after its servlet returns. */
public final class AsyncCompletion {

    private AsyncCompletion() {
    }

    /** {@code action} when the async cycle started on {@code req} completes. */
    public static void whenComplete(HttpServletRequest req, Runnable action) {
        req.getAsyncContext().addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                action.run();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
            }

            @Override
            public void onError(AsyncEvent event) {
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
    }
}
