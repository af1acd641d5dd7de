package dev.ms365mcp.launcher;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Log files only their owner can read: a 0700 directory, 0600 files (on POSIX file systems). */
final class SecureLogFiles {

    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private SecureLogFiles() {
    }

    static void createPrivateDirectory(Path dir) throws IOException {
        if (!posix(dir)) {
            Files.createDirectories(dir);
            return;
        }
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        }
        Files.setPosixFilePermissions(dir, OWNER_DIR);
    }

    /** Creates the file 0600 (or tightens an existing one) before logback opens it for appending. */
    static void createPrivateFile(Path file) throws IOException {
        if (!posix(file)) {
            return;
        }
        FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(OWNER_FILE);
        try {
            Files.createFile(file, mode);
        } catch (FileAlreadyExistsException e) {
            Files.setPosixFilePermissions(file, OWNER_FILE);
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /**
     * logback opens each new file (at start and after every rollover) with the process umask; this
     * creates it 0600 first. Rotated files keep the mode, they are renamed.
     */
    static final class RollingAppender extends RollingFileAppender<ILoggingEvent> {
        @Override
        public void openFile(String fileName) throws IOException {
            createPrivateFile(Path.of(fileName));
            super.openFile(fileName);
        }
    }
}
