package dev.ms365mcp.auth.cache;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.ms365mcp.auth.AuthException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code MS365_MCP_AUTH_CACHE_COMMAND}: an external program (a secret manager's client) that keeps the
 * encrypted token cache instead of a file. The protocol is the reference server's:
 * {@code <command> load|save token-cache} (this server never asks for the reference's {@code delete}: a
 * logout saves an empty cache); {@code load} prints {@code {"found":true,"value":"…"}},
 * {@code {"found":false}} or nothing; {@code save} reads {@code {"value":"…"}} on stdin; exit status 0
 * is success. The value is the AES-256-GCM encrypted cache in base64 (the program never sees tokens),
 * and it only ever travels over stdin/stdout, never on the command line. A call that takes longer than
 * the timeout ({@code MS365_MCP_AUTH_CACHE_COMMAND_TIMEOUT_MS}, default 10 s) is killed.
 *
 * @param command absolute path of an executable file
 * @param timeout how long one call may take
 */
public record AuthCacheCommand(Path command, Duration timeout) {

    static final String KEY = "token-cache";
    private static final int STDERR_LIMIT = 300;
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** The command from the environment; empty when the variable is unset. Bad values fail with the fix. */
    public static Optional<AuthCacheCommand> fromEnv(Map<String, String> env) {
        String value = env.get("MS365_MCP_AUTH_CACHE_COMMAND");
        if (value == null) {
            return Optional.empty();
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException("MS365_MCP_AUTH_CACHE_COMMAND is set but empty: set it to the absolute "
                    + "path of the cache program, or unset it to keep the cache in a file");
        }
        Path command;
        try {
            command = Path.of(value.strip());
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("MS365_MCP_AUTH_CACHE_COMMAND must be a file path; got '" + value + "'");
        }
        if (!command.isAbsolute()) {
            throw new IllegalArgumentException("MS365_MCP_AUTH_CACHE_COMMAND must be an absolute path; got '" + value + "'");
        }
        if (!Files.isRegularFile(command) || !Files.isExecutable(command)) {
            throw new IllegalArgumentException("MS365_MCP_AUTH_CACHE_COMMAND must point to an executable file; " + command
                    + (Files.exists(command) ? " is not one" : " does not exist"));
        }
        Duration timeout = DEFAULT_TIMEOUT;
        String ms = env.get("MS365_MCP_AUTH_CACHE_COMMAND_TIMEOUT_MS");
        if (ms != null && !ms.isBlank()) {
            long parsed;
            try {
                parsed = Long.parseLong(ms.strip());
            } catch (NumberFormatException e) {
                parsed = -1;
            }
            if (parsed <= 0) {
                throw new IllegalArgumentException("MS365_MCP_AUTH_CACHE_COMMAND_TIMEOUT_MS must be a positive number of "
                        + "milliseconds; got '" + ms + "'");
            }
            timeout = Duration.ofMillis(parsed);
        }
        return Optional.of(new AuthCacheCommand(command, timeout));
    }

    /** The stored blob, or empty when the program has none. */
    Optional<byte[]> load() {
        String out = run("load", null).strip();
        if (out.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> answer;
        try {
            answer = JSONObjectUtils.parse(out);
        } catch (java.text.ParseException e) {
            throw failure("load", "printed something that is not JSON", null);
        }
        if (Boolean.FALSE.equals(answer.get("found"))) {
            return Optional.empty();
        }
        if (Boolean.TRUE.equals(answer.get("found")) && answer.get("value") instanceof String value) {
            try {
                return Optional.of(Base64.getDecoder().decode(value.strip()));
            } catch (IllegalArgumentException e) {
                throw failure("load", "returned a value that is not the base64 this server saved", null);
            }
        }
        throw failure("load", "must print {\"found\":true,\"value\":\"...\"} or {\"found\":false}", null);
    }

    void save(byte[] blob) {
        run("save", JSONObjectUtils.toJSONString(Map.of("value", Base64.getEncoder().encodeToString(blob))));
    }

    private String run(String operation, String stdin) {
        Process process;
        try {
            process = new ProcessBuilder(command.toString(), operation, KEY).start();
        } catch (IOException e) {
            throw new AuthException("The auth cache command " + command + " could not be started for " + operation
                    + ": " + e.getMessage(), e);
        }
        // Both pipes are drained while the program runs, so a chatty program cannot block on a full pipe.
        CompletableFuture<byte[]> out = drain(process.getInputStream());
        CompletableFuture<byte[]> err = drain(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The program closed stdin early; its exit status says whether that was a failure.
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(1, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                throw failure(operation, "timed out after " + timeout.toMillis()
                        + " ms and was stopped (MS365_MCP_AUTH_CACHE_COMMAND_TIMEOUT_MS)", null);
            }
            int exit = process.exitValue();
            if (exit != 0) {
                throw failure(operation, "exited with status " + exit, stderrOf(err));
            }
            return new String(out.get(timeout.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AuthException("Interrupted while running the auth cache command.", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw failure(operation, "output could not be read", null);
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream stream) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (stream) {
                result.complete(stream.readAllBytes());
            } catch (IOException e) {
                result.complete(new byte[0]);
            }
        });
        return result;
    }

    private static String stderrOf(CompletableFuture<byte[]> err) {
        try {
            String text = new String(err.get(1, TimeUnit.SECONDS), StandardCharsets.UTF_8).strip();
            return text.length() > STDERR_LIMIT ? text.substring(0, STDERR_LIMIT) + "..." : text;
        } catch (Exception e) {
            return "";
        }
    }

    private AuthException failure(String operation, String what, String stderr) {
        return new AuthException("The auth cache command " + command + " failed to " + operation + " " + KEY + ": "
                + what + (stderr == null || stderr.isEmpty() ? "" : " (" + stderr + ")")
                + ". Check the program, or unset MS365_MCP_AUTH_CACHE_COMMAND to keep the cache in a file.");
    }
}
