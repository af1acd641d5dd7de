package dev.ms365mcp.http.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStateStoreTest extends StateStoreContract {

    @TempDir
    Path tmp;

    private Path dir() {
        return tmp.resolve("data");
    }

    @Override
    protected StateStore create(MovableClock clock) {
        return new EmbeddedStateStore(dir(), clock);
    }

    private StateStore restart() {
        store.close();
        store = new EmbeddedStateStore(dir(), clock);
        return store;
    }

    @Test
    void everythingButCountersSurvivesARestart() {
        store.put("client:1", b("registration"), Duration.ofDays(30));
        store.put("grant:1", b("g1"), Duration.ofDays(30));
        store.put("grant:1", b("g2"), Duration.ofDays(30));
        store.put("code:1", b("c"), Duration.ofDays(1));
        store.take("code:1");
        store.put("gone", b("x"), Duration.ofDays(1));
        store.delete("gone");
        store.compareAndSet("grant:1", b("g2"), b("g3"), Duration.ofDays(30));
        store.increment("ratelimit", Duration.ofMinutes(1));
        restart();
        assertThat(store.get("client:1").map(StateStoreContract::s)).hasValue("registration");
        assertThat(store.get("grant:1").map(StateStoreContract::s)).hasValue("g3");
        assertThat(store.get("code:1")).isEmpty();
        assertThat(store.get("gone")).isEmpty();
        assertThat(store.increment("ratelimit", Duration.ofMinutes(1))).isEqualTo(1);
    }

    @Test
    void expiryIsKeptAcrossRestarts() {
        store.put("short", b("v"), Duration.ofMinutes(1));
        restart();
        assertThat(store.get("short")).isPresent();
        clock.advance(Duration.ofMinutes(2));
        restart();
        assertThat(store.get("short")).isEmpty();
    }

    @Test
    void theFilesAreTheOwnersOnly() throws IOException {
        store.put("k", b("v"), Duration.ofMinutes(1));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir()))).isEqualTo("rwx------");
        Path log = dir().resolve(EmbeddedStateStore.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
        restart();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
    }

    @Test
    void aRecordTornByACrashIsIgnoredAndEverythingBeforeItKept() throws IOException {
        store.put("a", b("1"), Duration.ofDays(1));
        store.put("b", b("2"), Duration.ofDays(1));
        store.close();
        Path log = dir().resolve(EmbeddedStateStore.FILE_NAME);
        byte[] all = Files.readAllBytes(log);
        // Cut the last record in half, as a crash in the middle of a write would.
        Files.write(log, java.util.Arrays.copyOf(all, all.length - 3), StandardOpenOption.TRUNCATE_EXISTING);
        store = new EmbeddedStateStore(dir(), clock);
        assertThat(store.get("a").map(StateStoreContract::s)).hasValue("1");
        assertThat(store.get("b")).isEmpty();
        store.put("c", b("3"), Duration.ofDays(1));
        restart();
        assertThat(store.get("c").map(StateStoreContract::s)).hasValue("3");
    }

    @Test
    void rewritesAreAppendsNotWholeFileRewrites() throws IOException {
        for (int i = 0; i < 500; i++) {
            store.put("user:" + i, new byte[512], Duration.ofDays(1));
        }
        Path log = dir().resolve(EmbeddedStateStore.FILE_NAME);
        long before = Files.size(log);
        store.put("user:1", new byte[512], Duration.ofDays(1));
        // One record appended (~540 bytes), not the 250 KB state written again.
        assertThat(Files.size(log) - before).isBetween(500L, 700L);
        restart();
        assertThat(Files.size(log)).isLessThan(before + 600);
        assertThat(store.get("user:499")).isPresent();
    }

    @Test
    void anUnusableDataDirectoryFailsWithItsName() throws IOException {
        Path file = tmp.resolve("a-file");
        Files.writeString(file, "x");
        assertThatThrownBy(() -> new EmbeddedStateStore(file.resolve("data"), clock))
                .hasMessageContaining("MS365_MCP_DATA_DIR");
    }
}
