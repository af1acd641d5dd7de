package dev.ms365mcp.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogDirTest {

    @TempDir
    Path temp;

    private static LoggerContext newContext() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        return context;
    }

    @Test
    void logsGoToARotatingPrivateFileInTheLogDir() throws Exception {
        Path dir = temp.resolve("logs/ms365");
        System.setProperty("ms365mcp.logFileSize", "2KB");
        LoggerContext context = newContext();
        try {
            Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            StderrLogging.addLogFile(context, root, dir.toString());
            Logger log = context.getLogger("dev.ms365mcp.Test");
            for (int i = 0; i < 200; i++) {
                log.info("line number {} with some padding to fill the file quickly ..........", i);
                if (i % 50 == 0) {
                    Thread.sleep(1100); // the size is looked at once a second
                }
            }
        } finally {
            context.stop();
            System.clearProperty("ms365mcp.logFileSize");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        Path current = dir.resolve("mcp-server.log");
        assertThat(Files.readString(current)).contains("INFO  Test - line number 199");
        try (Stream<Path> files = Files.list(dir)) {
            var all = files.toList();
            assertThat(all).contains(dir.resolve("mcp-server.1.log"));
            assertThat(all).allSatisfy(f -> assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                    .as(f.toString()).isEqualTo("rw-------"));
            assertThat(all.size()).isLessThanOrEqualTo(6);
        }
    }

    @Test
    void anExistingLooseDirectoryAndFileAreTightened() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("open"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path file = Files.createFile(dir.resolve("mcp-server.log"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-r--r--")));
        LoggerContext context = newContext();
        try {
            StderrLogging.addLogFile(context, context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME), dir.toString());
            context.getLogger("x.Y").warn("hello");
        } finally {
            context.stop();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains("WARN  Y - hello");
    }

    @Test
    void withoutTheVariableNothingIsWritten() {
        LoggerContext context = newContext();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        StderrLogging.addLogFile(context, root, null);
        assertThat(root.iteratorForAppenders().hasNext()).isFalse();
    }
}
