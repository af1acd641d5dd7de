package dev.ms365mcp.http.logging;

import dev.ms365mcp.http.JsonResponses;
import dev.ms365mcp.http.security.Caller;
import dev.ms365mcp.http.transport.AsyncCompletion;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The outermost filter: one access-log line per request (method, path without query, status, duration,
 * hashed user id — never a header, token, code or body), a request id ({@code X-Request-Id}, in the MDC as
 * {@code requestId} for every log line of the request), and the last line of defence: anything a request
 * throws is logged by class name and answered with a 500 that names no Java internals; the server serves on.
 */
public final class AccessLog extends HttpFilter {

    public static final String REQUEST_ID = "requestId";
    private static final Logger log = LoggerFactory.getLogger("access");
    private static final Logger errors = LoggerFactory.getLogger(AccessLog.class);
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain) throws IOException {
        long start = System.nanoTime();
        String given = req.getHeader("X-Request-Id");
        String id = given != null && SAFE_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
        resp.setHeader("X-Request-Id", id);
        MDC.put(REQUEST_ID, id);
        try {
            chain.doFilter(req, resp);
        } catch (IOException gone) {
            // The client went away mid-answer: nothing to answer.
            errors.debug("{} {}: client gone ({})", req.getMethod(), loggedPath(req), gone.getClass().getSimpleName());
        } catch (Throwable t) {
            errors.error("{} {} failed: {}", req.getMethod(), loggedPath(req), t.getClass().getName());
            if (!resp.isCommitted()) {
                resp.reset();
                JsonResponses.jsonRpcError(resp, 500, -32603, "Internal error while handling the request.");
            }
        } finally {
            if (req.isAsyncStarted()) {
                // Streams (SSE) end later: log when they do.
                AsyncCompletion.whenComplete(req, () -> line(req, resp, start, id));
            } else {
                line(req, resp, start, id);
            }
            MDC.remove(REQUEST_ID);
        }
    }

    /** The path as logged: a file link's ticket is a credential, so only its route is written. */
    static String loggedPath(HttpServletRequest req) {
        String path = req.getRequestURI();
        Matcher ticket = FILE_LINK.matcher(path);
        return ticket.matches() ? ticket.group(1) + "<ticket>" : path;
    }

    private static final Pattern FILE_LINK = Pattern.compile("(/files/[^/]*/).*");

    private static void line(HttpServletRequest req, HttpServletResponse resp, long start, String id) {
        if (!log.isInfoEnabled()) {
            return;
        }
        String user = req.getAttribute(Caller.ATTRIBUTE) instanceof Caller c ? c.hashedId() : "-";
        String previous = MDC.get(REQUEST_ID);
        MDC.put(REQUEST_ID, id);
        log.info("{} {} {} {}ms user={}", req.getMethod(), loggedPath(req), resp.getStatus(),
                (System.nanoTime() - start) / 1_000_000, user);
        if (previous == null) {
            MDC.remove(REQUEST_ID);
        }
    }
}
