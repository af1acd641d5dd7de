package dev.ms365mcp.http.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemoryStateStoreTest extends StateStoreContract {

    @Override
    protected StateStore create(MovableClock clock) {
        return new InMemoryStateStore(clock);
    }

    @Test
    void theLockMapHoldsOnlyLocksInUse() throws Exception {
        InMemoryStateStore s = (InMemoryStateStore) store;
        for (int i = 0; i < 1000; i++) {
            s.locked("user-" + i, Duration.ofSeconds(1), () -> null);
        }
        race(8, () -> s.locked("shared", Duration.ofSeconds(1), () -> true));
        assertThat(s.lockCount()).isZero();
    }

    @Test
    void expiredEntriesAndCountersAreSweptOnWrites() {
        InMemoryStateStore s = (InMemoryStateStore) store;
        for (int i = 0; i < 100; i++) {
            s.put("k" + i, b("v"), Duration.ofSeconds(1));
            s.increment("c" + i, Duration.ofSeconds(1));
        }
        clock.advance(InMemoryStateStore.SWEEP_INTERVAL.plusSeconds(1));
        s.put("fresh", b("v"), Duration.ofMinutes(1));
        assertThat(s.entries()).containsOnlyKeys("fresh");
    }
}
