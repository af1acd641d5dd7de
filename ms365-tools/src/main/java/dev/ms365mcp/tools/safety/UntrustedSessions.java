package dev.ms365mcp.tools.safety;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sessions that have read content from outside the organization, by caller and MCP session (a
 * stateless server has no session: then by caller alone). Bounded: a session idle longer than
 * {@code idle} is forgotten, and beyond {@code maxSessions} the longest idle goes first.
 */
final class UntrustedSessions {

    private final Duration idle;
    private final int maxSessions;
    private final Clock clock;
    /** Access order: the eldest entry is the longest idle. */
    private final LinkedHashMap<String, Long> lastSeen = new LinkedHashMap<>(16, 0.75f, true);

    UntrustedSessions(Duration idle, int maxSessions, Clock clock) {
        this.idle = idle;
        this.maxSessions = maxSessions;
        this.clock = clock;
    }

    static String key(String principal, String session) {
        return (principal == null ? "" : principal) + "\n" + (session == null ? "" : session);
    }

    synchronized void mark(String key) {
        expire();
        lastSeen.put(key, clock.millis());
        while (lastSeen.size() > maxSessions) {
            Iterator<Map.Entry<String, Long>> eldest = lastSeen.entrySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    /** Whether the session read untrusted content; asking counts as activity. */
    synchronized boolean marked(String key) {
        expire();
        Long seen = lastSeen.get(key);
        if (seen == null) {
            return false;
        }
        lastSeen.put(key, clock.millis());
        return true;
    }

    synchronized int size() {
        return lastSeen.size();
    }

    private void expire() {
        long oldest = clock.millis() - idle.toMillis();
        Iterator<Map.Entry<String, Long>> it = lastSeen.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue() > oldest) {
                break;
            }
            it.remove();
        }
    }
}
