package dev.ms365mcp.stdio;

import dev.ms365mcp.auth.AccountInfo;
import dev.ms365mcp.auth.AccountManager;
import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.DeviceCodeLogin;
import dev.ms365mcp.auth.msal.MsalTokenProvider;
import com.microsoft.aad.msal4j.MsalInteractionRequiredException;
import com.microsoft.aad.msal4j.MsalServiceException;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --keep-tokens}: the main process of the STDIO container. It redeems the refresh token of every
 * cached account on a schedule ({@code MS365_MCP_REFRESH_INTERVAL}, default daily), so a login made once
 * never lapses from inactivity, and writes its state to a status file that the container's health
 * check reads ({@link HealthProbe}). One line per refresh goes to stderr, never a token.
 *
 * <p>Started from a terminal ({@code docker compose run --rm ms365-mcp}), it is the one-time login
 * instead: a device code sign-in when no cached account works, then it exits.
 */
final class TokenKeeper {

    static final String INTERVAL_ENV = "MS365_MCP_REFRESH_INTERVAL";
    static final String STATUS_PATH_ENV = "MS365_MCP_KEEPER_STATUS_PATH";
    static final String LOGIN_COMMAND_ENV = "MS365_MCP_LOGIN_COMMAND";
    static final String DEFAULT_LOGIN_COMMAND = "java -jar ms365-mcp-stdio.jar --login";
    static final String STATUS_FILE_NAME = "token-keeper.status";
    /** How often the status file is rewritten while waiting: the health check wants it recent. */
    static final Duration HEARTBEAT = Duration.ofMinutes(1);
    /** After a failure that is not Entra asking for a sign-in (network, 5xx), try again this soon. */
    static final Duration RETRY = Duration.ofMinutes(10);

    /** What the status file says; only {@code OK} is healthy. */
    enum State { OK, NO_ACCOUNT, SIGN_IN_REQUIRED, ERROR }

    private final MsalTokenProvider msal;
    private final Duration interval;
    private final Path statusFile;
    private final Path cacheFile;
    private final String loginCommand;
    private final PrintStream log;
    private final Clock clock;

    TokenKeeper(MsalTokenProvider msal, Duration interval, Path statusFile, Path cacheFile, String loginCommand,
                PrintStream log, Clock clock) {
        this.msal = msal;
        this.interval = interval;
        this.statusFile = statusFile;
        this.cacheFile = cacheFile;
        this.loginCommand = loginCommand;
        this.log = log;
        this.clock = clock;
    }

    /** The {@code --keep-tokens} action: the one-time login at a terminal, else the keeper until stopped. */
    static int run(AccountManager accounts, Set<String> loginScopes, Map<String, String> env, PrintWriter out)
            throws InterruptedException {
        if (!(accounts instanceof MsalTokenProvider msal)) {
            out.println("--keep-tokens needs a device code sign-in: set MS365_MCP_CLIENT_ID, and neither "
                    + "MS365_MCP_OAUTH_TOKEN nor MS365_MCP_AUTH_MODE=app. (" + accounts.verify().message() + ")");
            return 1;
        }
        AuthSettings auth = AuthSettings.fromEnv(env);
        String loginCommand = env.getOrDefault(LOGIN_COMMAND_ENV, DEFAULT_LOGIN_COMMAND);
        if (attendedByAPerson()) {
            return loginIfNeeded(msal, loginScopes, out, loginCommand);
        }
        TokenKeeper keeper = new TokenKeeper(msal, interval(env.get(INTERVAL_ENV)), statusFile(env, auth),
                auth.tokenCachePath(), loginCommand, System.err, Clock.systemUTC());
        keeper.keep();
        return 0;
    }

    /** Device code sign-in unless a cached account already gets tokens; for a person at a terminal. */
    static int loginIfNeeded(AccountManager accounts, Set<String> scopes, PrintWriter out, String loginCommand)
            throws InterruptedException {
        if (!accounts.accounts().isEmpty()) {
            var status = accounts.verify();
            if (status.signedIn()) {
                out.println("Already signed in as " + status.account().username() + "; nothing to do.");
                return 0;
            }
            out.println(status.message());
        }
        try {
            DeviceCodeLogin login = accounts.startLogin(scopes);
            out.println(login.message());
            out.println("Waiting for you to finish signing in...");
            AccountInfo account = login.completion().get();
            out.println("Device code login successful: signed in as " + account.username() + ".");
            return 0;
        } catch (AuthException e) {
            out.println(e.getMessage());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            out.println(cause instanceof AuthException ? cause.getMessage() : "Sign-in failed: " + cause.getMessage());
        }
        out.println("Try again with: " + loginCommand);
        return 1;
    }

    /** Refreshes every account now and then on schedule; returns only when interrupted. */
    void keep() throws InterruptedException {
        log("started: refreshing every " + describe(interval) + ", status in " + statusFile);
        while (!Thread.currentThread().isInterrupted()) {
            Round round = refreshAll();
            long cacheStamp = lastModified(cacheFile);
            Instant next = round.nextAt();
            // Wait for the next round; a login made meanwhile (the cache file changed) starts one at once.
            while (clock.instant().isBefore(next)) {
                writeStatus(round.state(), round.detail());
                Duration left = Duration.between(clock.instant(), next);
                Thread.sleep(Math.max(1, Math.min(left.toMillis(), heartbeat().toMillis())));
                if (round.state() != State.OK && lastModified(cacheFile) != cacheStamp) {
                    break;
                }
            }
        }
    }

    private Duration heartbeat() {
        return interval.compareTo(HEARTBEAT) < 0 ? interval : HEARTBEAT;
    }

    record Round(State state, String detail, Instant nextAt) {
    }

    /** One round: every cached account's refresh token redeemed, one log line each. */
    Round refreshAll() {
        Instant now = clock.instant();
        Instant next = now.plus(interval);
        List<AccountInfo> cached;
        try {
            cached = msal.accounts();
        } catch (AuthException e) {
            log("cannot read the token cache: " + e.getMessage());
            return round(State.ERROR, "token cache unreadable", now, next);
        }
        if (cached.isEmpty()) {
            log("no account is signed in. Sign in once with: " + loginCommand);
            return round(State.NO_ACCOUNT, "no account", now, next);
        }
        State state = State.OK;
        String detail = "";
        for (AccountInfo account : cached) {
            try {
                msal.refresh(account.homeAccountId());
                log(account.username() + " refreshed, next at " + next.truncatedTo(ChronoUnit.SECONDS));
            } catch (AuthException e) {
                if (signInRequired(e)) {
                    log(account.username() + ": Microsoft Entra requires a new sign-in (" + e.getMessage()
                            + "). Sign in again with: " + loginCommand);
                    state = State.SIGN_IN_REQUIRED;
                    detail = account.username();
                } else {
                    Instant retry = now.plus(RETRY.compareTo(interval) < 0 ? RETRY : interval);
                    log(account.username() + ": refresh failed, retrying at " + retry.truncatedTo(ChronoUnit.SECONDS)
                            + " (" + e.getMessage() + ")");
                    if (state == State.OK) {
                        state = State.ERROR;
                        detail = account.username();
                    }
                    next = retry.isBefore(next) ? retry : next;
                }
            }
        }
        return round(state, detail, now, next);
    }

    private Round round(State state, String detail, Instant now, Instant next) {
        writeStatus(state, detail);
        return new Round(state, detail, next);
    }

    /** Entra refuses the refresh token itself (expired, revoked, MFA or consent needed): a person must sign in. */
    static boolean signInRequired(AuthException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof MsalInteractionRequiredException) {
                return true;
            }
            if (c instanceof MsalServiceException s && "invalid_grant".equals(s.errorCode())) {
                return true;
            }
        }
        return e.getMessage() != null && e.getMessage().startsWith("Not signed in");
    }

    /** {@code state-name instant detail}, replaced atomically so the health check never reads half a file. */
    private void writeStatus(State state, String detail) {
        try {
            Files.createDirectories(statusFile.toAbsolutePath().getParent());
            Path tmp = statusFile.resolveSibling(statusFile.getFileName() + ".tmp");
            Files.writeString(tmp, state.name().toLowerCase(Locale.ROOT).replace('_', '-') + " "
                    + clock.instant().truncatedTo(ChronoUnit.SECONDS) + " " + detail + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, statusFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the token keeper's status file " + statusFile, e);
        }
    }

    private static long lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return -1;
        }
    }

    private void log(String line) {
        log.println(clock.instant().truncatedTo(ChronoUnit.SECONDS) + " token keeper: " + line);
    }

    static Path statusFile(Map<String, String> env, AuthSettings auth) {
        String configured = env.get(STATUS_PATH_ENV);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path dir = auth.tokenCachePath().toAbsolutePath().getParent();
        return dir.resolve(STATUS_FILE_NAME);
    }

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*([smhd])");

    /**
     * {@code MS365_MCP_REFRESH_INTERVAL}: ISO-8601 ({@code P1D}, {@code PT12H}) or a number with a unit
     * ({@code 90s}, {@code 30m}, {@code 12h}, {@code 1d}); default one day. Entra refresh tokens lapse
     * after 90 days unused, so anything up to weeks is safe; from 5 seconds to 60 days.
     */
    static Duration interval(String value) {
        if (value == null || value.isBlank()) {
            return Duration.ofDays(1);
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        Duration d;
        Matcher m = SHORT_DURATION.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                d = Duration.parse(v.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(INTERVAL_ENV + "='" + value + "' is not a duration: use e.g. "
                        + "12h, 30m, 1d or ISO-8601 such as PT12H or P1D.");
            }
        }
        if (d.compareTo(Duration.ofSeconds(5)) < 0) {
            throw new IllegalArgumentException(INTERVAL_ENV + "='" + value + "' is too short: at least 5s.");
        }
        if (d.compareTo(Duration.ofDays(60)) > 0) {
            throw new IllegalArgumentException(INTERVAL_ENV + "='" + value + "' is too long: refresh tokens lapse "
                    + "after 90 days unused; at most 60d.");
        }
        return d;
    }

    private static String describe(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    /**
     * A person at a terminal ({@code docker compose run} allocates one; {@code docker compose up -d}
     * does not). On JDK 22+ {@link System#console()} exists even without a terminal, so ask it.
     */
    static boolean attendedByAPerson() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // JDK 21: a console exists only when stdin and stdout are a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
