package dev.ms365mcp.auth.msal;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs msal4j's work on the thread that asked for it, instead of msal4j's default (the common
 * fork-join pool). That keeps the token cache lock on one thread: a caller can hold it across a
 * whole silent acquisition (see {@code EncryptedTokenCache.locked}), and MSAL's cache callbacks run
 * inside that hold. It also keeps blocking HTTP calls off the shared pool.
 */
public final class CallerRunsExecutor extends AbstractExecutorService {

    public static final CallerRunsExecutor INSTANCE = new CallerRunsExecutor();

    private CallerRunsExecutor() {
    }

    @Override
    public void execute(Runnable command) {
        command.run();
    }

    // Shared and stateless: there is nothing to shut down.
    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return false;
    }
}
