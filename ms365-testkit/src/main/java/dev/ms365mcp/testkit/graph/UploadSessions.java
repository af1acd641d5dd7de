package dev.ms365mcp.testkit.graph;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Graph upload sessions: byte ranges PUT to a pre-authenticated URL, answered with 202 and the next
 * expected range until the last range, then 201 with the item.
 */
public final class UploadSessions {

    private static final Pattern RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");
    private static final String PREFIX = "/upload-session/";

    /** One session: what arrived, in order. */
    public static final class Session {
        private final String url;
        private final long total;
        private final String finalItemJson;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final List<String> ranges = new CopyOnWriteArrayList<>();

        Session(String url, long total, String finalItemJson) {
            this.url = url;
            this.total = total;
            this.finalItemJson = finalItemJson;
        }

        public String url() {
            return url;
        }

        public synchronized byte[] received() {
            return received.toByteArray();
        }

        /** {@code Content-Range} headers in the order they arrived. */
        public List<String> ranges() {
            return List.copyOf(ranges);
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    Session create(String base, long total, String finalItemJson) {
        String id = UUID.randomUUID().toString();
        Session s = new Session(base + PREFIX + id, total, finalItemJson);
        sessions.put(PREFIX + id, s);
        return s;
    }

    boolean handles(String rawPath) {
        return sessions.containsKey(rawPath);
    }

    FakeResponse put(RecordedRequest req) {
        Session s = sessions.get(req.rawPath());
        String range = req.header("Content-Range");
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m == null || !m.matches()) {
            return FakeResponse.error(400, "invalidRange", "Content-Range 'bytes start-end/total' is required");
        }
        long start = Long.parseLong(m.group(1));
        long end = Long.parseLong(m.group(2));
        synchronized (s) {
            if (start != s.received.size() || end - start + 1 != req.body().length || Long.parseLong(m.group(3)) != s.total) {
                return FakeResponse.error(416, "invalidRange", "Expected a range starting at " + s.received.size());
            }
            s.ranges.add(range);
            s.received.writeBytes(req.body());
            if (s.received.size() == s.total) {
                return FakeResponse.json(201, s.finalItemJson);
            }
            return FakeResponse.json(202, "{\"nextExpectedRanges\":[\"" + s.received.size() + "-\"]}");
        }
    }
}
