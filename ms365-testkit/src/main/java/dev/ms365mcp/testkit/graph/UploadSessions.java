package dev.ms365mcp.testkit.graph;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Graph upload sessions: byte ranges PUT to a pre-authenticated URL, answered with 202 and the next
 * expected range until the last range, then 201 with the item (drive) or a Location (attachment). A
 * range that does not start where the session expects, or has the wrong total, gets 416; drive chunks
 * other than the last must be multiples of 320 KiB, attachment chunks under 4 MB. GET on the URL says
 * which ranges are still expected, which is how a client resumes after a failed chunk. Tests can make
 * chosen chunks fail, before or after the bytes were taken. Only a digest of what arrived is kept, so
 * hundreds of megabytes can pass through.
 */
public final class UploadSessions {

    private static final Pattern RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");
    private static final String PREFIX = "/upload-session/";
    static final int UNIT = 320 * 1024;
    static final int ATTACHMENT_CHUNK_MAX = 4 * 1024 * 1024;

    /** What a session is for: a drive item or a mail attachment. */
    public enum Kind {
        DRIVE_ITEM, ATTACHMENT
    }

    /** One session: what arrived, in order. */
    public static final class Session {
        private final String url;
        private final Kind kind;
        private final String name;
        private long total;
        private final String finalItemJson;
        private long received;
        private final MessageDigest digest;
        private final List<String> ranges = new CopyOnWriteArrayList<>();
        private final List<Integer> failures = new CopyOnWriteArrayList<>();
        private final Set<Integer> failTaken = ConcurrentHashMap.newKeySet();
        private final Set<Integer> failLost = ConcurrentHashMap.newKeySet();
        private int puts;
        private int statusQueries;

        Session(String url, Kind kind, String name, long total, String finalItemJson) {
            this.url = url;
            this.kind = kind;
            this.name = name;
            this.total = total;
            this.finalItemJson = finalItemJson;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        public String url() {
            return url;
        }

        public Kind kind() {
            return kind;
        }

        /** The name given when the session was created. */
        public String name() {
            return name;
        }

        public synchronized long receivedBytes() {
            return received;
        }

        /** SHA-256 (hex) of the bytes taken, in order; final once the session completed. */
        public synchronized String sha256() {
            try {
                return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
        }

        /** {@code Content-Range} headers of the chunks taken, in order. */
        public List<String> ranges() {
            return List.copyOf(ranges);
        }

        /** GETs of the session's status (resumes). */
        public synchronized int statusQueries() {
            return statusQueries;
        }

        /**
         * The {@code index}-th PUT (from 0) answers 500; {@code taken}: its bytes were kept anyway (the
         * answer was lost), so the client must ask where to resume rather than send them again.
         */
        public Session failPut(int index, boolean taken) {
            (taken ? failTaken : failLost).add(index);
            return this;
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final List<Session> created = new CopyOnWriteArrayList<>();
    private final Map<Integer, Boolean> nextFailures = new ConcurrentHashMap<>();

    /** The next session created fails its {@code index}-th PUT (see {@link Session#failPut}). */
    void failInNextSession(int index, boolean taken) {
        nextFailures.put(index, taken);
    }

    Session create(String base, long total, String finalItemJson) {
        return create(base, Kind.DRIVE_ITEM, null, total, finalItemJson);
    }

    Session create(String base, Kind kind, String name, long total, String finalItemJson) {
        String id = UUID.randomUUID().toString();
        Session s = new Session(base + PREFIX + id, kind, name, total, finalItemJson);
        nextFailures.forEach(s::failPut);
        nextFailures.clear();
        sessions.put(PREFIX + id, s);
        created.add(s);
        return s;
    }

    /** Every session created, oldest first. */
    List<Session> all() {
        return List.copyOf(created);
    }

    /** Answers {@code POST .../createUploadSession} for a drive item or an attachment, as Graph does. */
    FakeResponse createFrom(RecordedRequest req, String base) {
        JsonNode body = JsonText.MAPPER.readTree(req.body().length == 0 ? "{}".getBytes() : req.body());
        Session s;
        if (req.rawPath().contains("/attachments/")) {
            JsonNode item = body.path("AttachmentItem");
            if (!"file".equals(item.path("attachmentType").asString("")) || !item.path("size").isNumber()
                    || item.path("name").asString("").isEmpty()) {
                return FakeResponse.error(400, "ErrorInvalidRequest", "AttachmentItem needs attachmentType file, name, size");
            }
            if (item.path("size").asLong() > 150L * 1024 * 1024) {
                return FakeResponse.error(413, "ErrorAttachmentSizeLimitExceeded", "over 150 MB");
            }
            s = create(base, Kind.ATTACHMENT, item.path("name").asString(), item.path("size").asLong(), null);
        } else {
            String name = body.path("item").path("name").asString("");
            if (name.isEmpty()) {
                Matcher m = Pattern.compile(":/([^:/]+):/createUploadSession$").matcher(req.rawPath());
                name = m.find() ? m.group(1) : "upload";
            }
            s = create(base, Kind.DRIVE_ITEM, name, -1, null);
        }
        return FakeResponse.json(200, "{\"uploadUrl\":" + JsonText.quote(s.url)
                + ",\"expirationDateTime\":\"2030-01-01T00:00:00Z\",\"nextExpectedRanges\":[\"0-\"]}");
    }

    boolean handles(String rawPath) {
        return sessions.containsKey(rawPath);
    }

    FakeResponse get(RecordedRequest req) {
        Session s = sessions.get(req.rawPath());
        synchronized (s) {
            s.statusQueries++;
            return FakeResponse.json(200, "{\"expirationDateTime\":\"2030-01-01T00:00:00Z\",\"nextExpectedRanges\":[\""
                    + s.received + "-" + (s.total > 0 ? Long.toString(s.total - 1) : "") + "\"]}");
        }
    }

    FakeResponse put(RecordedRequest req) {
        Session s = sessions.get(req.rawPath());
        if (req.header("Authorization") != null) {
            return FakeResponse.error(401, "InvalidAuthenticationToken", "upload URLs are pre-authenticated: no Authorization");
        }
        String range = req.header("Content-Range");
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m == null || !m.matches()) {
            return FakeResponse.error(400, "invalidRange", "Content-Range 'bytes start-end/total' is required");
        }
        long start = Long.parseLong(m.group(1));
        long end = Long.parseLong(m.group(2));
        long total = Long.parseLong(m.group(3));
        int length = req.body().length;
        synchronized (s) {
            int index = s.puts++;
            if (s.total < 0) {
                s.total = total;
            }
            boolean last = end + 1 == s.total;
            if (start != s.received || end - start + 1 != length || total != s.total) {
                return FakeResponse.error(416, "invalidRange", "Expected a range starting at " + s.received);
            }
            if (s.kind == Kind.DRIVE_ITEM && !last && length % UNIT != 0) {
                return FakeResponse.error(400, "invalidRange", "chunks must be multiples of 320 KiB");
            }
            if (s.kind == Kind.ATTACHMENT && length >= ATTACHMENT_CHUNK_MAX) {
                return FakeResponse.error(400, "ErrorInvalidRequest", "attachment chunks must be under 4 MB");
            }
            if (s.failLost.contains(index)) {
                s.failures.add(index);
                return FakeResponse.error(500, "generalException", "chunk lost");
            }
            s.ranges.add(range);
            s.digest.update(req.body());
            s.received += length;
            if (s.failTaken.contains(index)) {
                s.failures.add(index);
                return FakeResponse.error(500, "generalException", "answer lost");
            }
            if (s.received == s.total) {
                if (s.kind == Kind.ATTACHMENT) {
                    return new FakeResponse(201, Map.of("Location", "https://outlook.office.com/api/v2.0/Users('u')/"
                            + "Messages('m')/Attachments('att-" + s.name + "')"), new byte[0]);
                }
                String item = s.finalItemJson != null ? s.finalItemJson : "{\"id\":\"item-" + s.name + "\",\"name\":"
                        + JsonText.quote(s.name) + ",\"size\":" + s.total + ",\"webUrl\":\"https://contoso-my.sharepoint.com/"
                        + "personal/u/Documents/" + s.name + "\"}";
                return FakeResponse.json(201, item);
            }
            return FakeResponse.json(202, "{\"nextExpectedRanges\":[\"" + s.received + "-\"]}");
        }
    }
}
