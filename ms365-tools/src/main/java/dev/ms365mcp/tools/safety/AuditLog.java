package dev.ms365mcp.tools.safety;

import dev.ms365mcp.auth.cache.SecureFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One JSON line per tool call: to {@code audit.log} (written here, size-rotated, mode 0600), or to
 * the SLF4J logger {@value #LOGGER} for a host whose log stream is collected (containers).
 *
 * <p>The file is written here rather than through a logging backend: this library ships none, the
 * STDIO launcher's logging goes to stderr and is switched off by {@code SILENT}, and an audit trail
 * must not depend on either; one synchronized append per line keeps lines whole.
 */
public final class AuditLog {

    public static final String LOGGER = "dev.ms365mcp.audit";
    static final String FILE_NAME = "audit.log";
    static final long MAX_BYTES = 10L * 1024 * 1024;
    static final int KEEP = 5;
    private static final Pattern ADDRESS = RecipientPolicy.ADDRESS;
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final Logger stream = LoggerFactory.getLogger(LOGGER);

    private final SafetySettings.AuditSink sink;
    private final Path file;
    private final boolean redact;
    private final long maxBytes;
    private final String localUser = System.getProperty("user.name");

    AuditLog(SafetySettings settings) {
        this(settings.audit(), settings.auditDir(), settings.redactPii(), MAX_BYTES);
    }

    AuditLog(SafetySettings.AuditSink sink, Path dir, boolean redact, long maxBytes) {
        this.sink = sink;
        this.file = dir == null ? null : dir.resolve(FILE_NAME);
        this.redact = redact;
        this.maxBytes = maxBytes;
    }

    boolean enabled() {
        return sink != SafetySettings.AuditSink.OFF;
    }

    /** Writes the entry of a finished call; {@code principal} is hashed, never written as is. */
    void write(AuditEntry e, String principal, String session) {
        if (!enabled()) {
            return;
        }
        String line = JsonMapper.shared().writeValueAsString(line(e, principal, session));
        if (sink == SafetySettings.AuditSink.STREAM) {
            stream.info(line);
            return;
        }
        try {
            append(line + "\n");
        } catch (IOException ex) {
            log.warn("Could not write the audit log {}: {}", file, ex.getMessage());
        }
    }

    ObjectNode line(AuditEntry e, String principal, String session) {
        ObjectNode out = JsonMapper.shared().createObjectNode();
        out.put("time", Instant.ofEpochMilli(e.startedMillis).toString());
        if (principal != null) {
            out.put("user", "sha256:" + hash(principal));
        } else if (!redact && localUser != null) {
            out.put("user", localUser);
        }
        if (session != null) {
            out.put("session", hash(session));
        }
        out.put("tool", e.tool);
        if (e.innerTool != null) {
            out.put("runs", e.innerTool);
        }
        if (e.method != null) {
            out.put("method", e.method);
            out.put("path", e.path);
        }
        if (!e.targets.isEmpty()) {
            ObjectNode targets = out.putObject("targets");
            e.targets.forEach((k, v) -> targets.put(k, scrub(v)));
        }
        if (!e.steps.isEmpty()) {
            ArrayNode steps = out.putArray("steps");
            e.steps.forEach(s -> steps.add(scrub(s)));
        }
        if (!e.recipients.isEmpty()) {
            ArrayNode r = out.putArray(redact ? "recipientDomains" : "recipients");
            e.recipients.stream().map(a -> redact ? a.substring(a.indexOf('@') + 1) : a).distinct().forEach(r::add);
        }
        out.put("outcome", e.outcome == null ? "ok" : e.outcome);
        out.put("confirmation", e.confirmation == null ? "not required" : e.confirmation);
        out.put("durationMs", (System.nanoTime() - e.startedNanos) / 1_000_000);
        return out;
    }

    private String scrub(String value) {
        return redact ? ADDRESS.matcher(value).replaceAll("[address]") : value;
    }

    private synchronized void append(String line) throws IOException {
        SecureFiles.createPrivateDirectories(file.getParent());
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (Files.exists(file) && Files.size(file) + bytes.length > maxBytes) {
            rotate();
        }
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND), SecureFiles.privateFile())) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    /** audit.log becomes audit.log.1, .1 becomes .2 ... up to {@value #KEEP}; the oldest goes. */
    private void rotate() throws IOException {
        Files.deleteIfExists(rotated(KEEP));
        for (int i = KEEP - 1; i >= 1; i--) {
            if (Files.exists(rotated(i))) {
                Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
    }

    private Path rotated(int n) {
        return file.resolveSibling(FILE_NAME + "." + n);
    }

    static String hash(String value) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
