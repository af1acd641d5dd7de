package dev.ms365mcp.stdio;

import dev.ms365mcp.auth.AuthSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The container health check: the image has no shell and no curl, so Docker runs
 * {@code java -cp /app/ms365-mcp-stdio.jar dev.ms365mcp.stdio.HealthProbe ...}. Exit 0 = healthy, 1 = not,
 * with one line on stdout that {@code docker inspect} shows.
 * <ul>
 *   <li>{@code HealthProbe http://127.0.0.1:3000/healthz}: the HTTP server answers 200;</li>
 *   <li>{@code HealthProbe --token-keeper}: the token keeper's status file (same environment as the
 *       keeper) says {@code ok} and was rewritten within {@link #MAX_STATUS_AGE}.</li>
 * </ul>
 */
public final class HealthProbe {

    /** The keeper rewrites its status every minute; a few missed beats mean it is stuck. */
    static final Duration MAX_STATUS_AGE = Duration.ofMinutes(5);

    private HealthProbe() {
    }

    public static void main(String[] args) {
        String verdict;
        boolean healthy;
        if (args.length == 1 && args[0].equals("--token-keeper")) {
            Path status = TokenKeeper.statusFile(System.getenv(), AuthSettings.fromEnv(System.getenv()));
            verdict = keeperVerdict(status, Instant.now());
        } else if (args.length == 1 && (args[0].startsWith("http://") || args[0].startsWith("https://"))) {
            verdict = httpVerdict(URI.create(args[0]));
        } else {
            System.out.println("usage: HealthProbe <http://host:port/healthz> | --token-keeper");
            System.exit(2);
            return;
        }
        healthy = verdict.startsWith("healthy");
        System.out.println(verdict);
        System.exit(healthy ? 0 : 1);
    }

    static String keeperVerdict(Path status, Instant now) {
        try {
            Instant written = Files.getLastModifiedTime(status).toInstant();
            String line = Files.readString(status, StandardCharsets.UTF_8).strip();
            if (Duration.between(written, now).compareTo(MAX_STATUS_AGE) > 0) {
                return "unhealthy: the token keeper has not written " + status + " since " + written;
            }
            return line.startsWith("ok ") ? "healthy: " + line : "unhealthy: " + line;
        } catch (IOException e) {
            return "unhealthy: no token keeper status at " + status + " (is --keep-tokens running?)";
        }
    }

    static String httpVerdict(URI uri) {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()) {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200 ? "healthy: " + uri + " answered 200"
                    : "unhealthy: " + uri + " answered " + response.statusCode();
        } catch (IOException e) {
            return "unhealthy: " + uri + " did not answer (" + e.getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unhealthy: interrupted";
        }
    }

    /** For tests: the verdict for an environment, as {@code --token-keeper} computes it. */
    static String keeperVerdict(Map<String, String> env, Instant now) {
        return keeperVerdict(TokenKeeper.statusFile(env, AuthSettings.fromEnv(env)), now);
    }
}
