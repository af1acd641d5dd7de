package dev.ms365mcp.auth.cache;

import dev.ms365mcp.auth.AuthException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mutual exclusion over one cache file, between threads and between processes.
 *
 * <p>An OS lock ({@link FileChannel#lock()}) on a separate {@code .lock} file keeps other processes
 * out; the cache file itself is replaced by rename, so it cannot carry the lock. The OS lock belongs
 * to the whole JVM (a second {@code lock()} in the same JVM throws instead of waiting), so threads
 * first queue on a {@link ReentrantLock} shared by every user of the same file in this JVM, and only
 * the outermost holder takes the OS lock. Being reentrant lets a caller hold the lock across a whole
 * MSAL operation (read cache, refresh over the network, write cache) while MSAL's own
 * before/after-access callbacks lock again inside it.
 */
final class CacheFileLock {

    private static final ConcurrentMap<Path, CacheFileLock> LOCKS = new ConcurrentHashMap<>();

    private final Path lockFile;
    private final ReentrantLock threads = new ReentrantLock();
    private FileChannel channel;
    private FileLock processLock;
    private volatile boolean warnedReadOnly;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CacheFileLock.class);

    private CacheFileLock(Path lockFile) {
        this.lockFile = lockFile;
    }

    static CacheFileLock forFile(Path lockFile) {
        return LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), CacheFileLock::new);
    }

    void lock() {
        threads.lock();
        if (threads.getHoldCount() > 1) {
            return;
        }
        try {
            SecureFiles.createPrivateDirectories(lockFile.getParent());
            channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    SecureFiles.privateFile());
            processLock = channel.lock();
        } catch (IOException e) {
            closeChannel();
            if (SecureFiles.unwritable(e)) {
                // A read-only cache (a mounted secret): nobody here can write it, so threads suffice.
                if (!warnedReadOnly) {
                    warnedReadOnly = true;
                    LOG.debug("The token cache folder {} cannot be written ({}); using the cache read-only",
                            lockFile.getParent(), SecureFiles.reason(e));
                }
                return;
            }
            threads.unlock();
            throw new AuthException("Cannot lock the token cache (" + lockFile + "): " + SecureFiles.reason(e)
                    + ". Check that the directory is writable.", e);
        }
    }

    void unlock() {
        if (!threads.isHeldByCurrentThread()) {
            throw new IllegalStateException("token cache lock is not held by this thread");
        }
        if (threads.getHoldCount() == 1) {
            closeChannel();
        }
        threads.unlock();
    }

    private void closeChannel() {
        try {
            if (processLock != null) {
                processLock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // Closing the channel releases the lock in any case; nothing useful to do.
        } finally {
            processLock = null;
            channel = null;
        }
    }
}
