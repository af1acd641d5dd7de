package dev.ms365mcp.http.state;

import dev.ms365mcp.auth.cache.SecureFiles;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-replica store: everything in memory (reads never touch the disk), every change appended to
 * {@code state.log} in the data directory, so a restart finds registrations, grants and users' caches again.
 *
 * <p>Why a log: the store is read on every call but written only when tokens are issued, refreshed or
 * revoked, so appending one small record per change costs far less than rewriting a snapshot. The log is
 * compacted — live entries only, written to a 0600 temp file, flushed and atomically renamed over it — on
 * start and whenever it has grown to several times its live size. Each record carries its length and a
 * CRC-32: a record torn by a crash is detected and the log is read up to it. Rate-limit counters are not
 * logged (they matter for one window only). Appends are not flushed to disk one by one: a process restart
 * loses nothing; a power cut may lose the last changes, which costs affected users one sign-in.
 */
public final class EmbeddedStateStore extends InMemoryStateStore {

    static final String FILE_NAME = "state.log";
    private static final byte PUT = 1;
    private static final byte DELETE = 2;
    private static final long COMPACT_MIN_BYTES = 1 << 20;

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStateStore.class);

    private final Path file;
    private final Object appendLock = new Object();
    private FileChannel channel;
    private long appended;
    private long liveBytes;
    private volatile boolean healthy = true;

    public EmbeddedStateStore(Path dataDir) {
        this(dataDir, Clock.systemUTC());
    }

    public EmbeddedStateStore(Path dataDir, Clock clock) {
        super(clock);
        this.file = dataDir.resolve(FILE_NAME);
        try {
            SecureFiles.createPrivateDirectories(dataDir);
            load();
            synchronized (appendLock) {
                compact();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the data directory " + dataDir.toAbsolutePath()
                    + " (MS365_MCP_DATA_DIR): " + e.getMessage(), e);
        }
    }

    @Override
    protected void changed(String key) {
        synchronized (appendLock) {
            // Read the entry now, under the lock: of two racing changes, the last record logged is the map's state.
            Entry e = entry(key);
            try {
                byte[] record = record(key, e);
                write(record);
                appended += record.length;
                if (appended > COMPACT_MIN_BYTES && appended > 4 * liveBytes) {
                    compact();
                }
                healthy = true;
            } catch (IOException ex) {
                healthy = false;
                log.error("Cannot write {}: {}", file, ex.getMessage());
                throw new UncheckedIOException("the state could not be saved", ex);
            }
        }
    }

    @Override
    public boolean healthy() {
        return healthy && channel != null && channel.isOpen();
    }

    @Override
    public void close() {
        synchronized (appendLock) {
            try {
                if (channel != null && channel.isOpen()) {
                    channel.force(true);
                    channel.close();
                }
            } catch (IOException e) {
                log.warn("Closing {}: {}", file, e.getMessage());
            }
        }
    }

    private void load() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(
                new java.io.BufferedInputStream(in, 1 << 16))) {
            while (true) {
                int length;
                try {
                    length = data.readInt();
                } catch (EOFException end) {
                    return;
                }
                int crc = data.readInt();
                if (length < 0 || length > 64 << 20) {
                    log.warn("{}: damaged record; reading stopped there", file);
                    return;
                }
                byte[] payload = new byte[length];
                try {
                    data.readFully(payload);
                } catch (EOFException torn) {
                    log.warn("{}: last record incomplete (interrupted write); ignored", file);
                    return;
                }
                if (crc(payload) != crc) {
                    log.warn("{}: damaged record; reading stopped there", file);
                    return;
                }
                apply(payload);
            }
        } catch (EOFException torn) {
            log.warn("{}: last record incomplete (interrupted write); ignored", file);
        }
    }

    private void apply(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        byte op = in.readByte();
        Instant expires = Instant.ofEpochMilli(in.readLong());
        String key = in.readUTF();
        if (op == DELETE) {
            restore(key, null, null);
            return;
        }
        byte[] value = new byte[in.readInt()];
        in.readFully(value);
        restore(key, value, expires);
    }

    /** Rewrites the log with the live entries only, atomically; then appends continue on the new file. */
    private void compact() throws IOException {
        if (channel != null) {
            channel.close();
        }
        sweep();
        ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
        Instant now = clock.instant();
        for (Map.Entry<String, Entry> e : entries().entrySet()) {
            if (e.getValue().liveAt(now)) {
                snapshot.write(record(e.getKey(), e.getValue()));
            }
        }
        SecureFiles.writeAtomically(file, snapshot.toByteArray());
        liveBytes = snapshot.size();
        appended = 0;
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private void write(byte[] record) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(record);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static byte[] record(String key, Entry e) throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream(64 + (e == null ? 0 : e.value().length));
        DataOutputStream out = new DataOutputStream(payload);
        out.writeByte(e == null ? DELETE : PUT);
        out.writeLong(e == null ? 0 : e.expires().toEpochMilli());
        out.writeUTF(key);
        if (e != null) {
            out.writeInt(e.value().length);
            out.write(e.value());
        }
        byte[] p = payload.toByteArray();
        ByteBuffer record = ByteBuffer.allocate(8 + p.length);
        record.putInt(p.length).putInt(crc(p)).put(p);
        return record.array();
    }

    private static int crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
