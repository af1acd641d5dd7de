package dev.ms365mcp.auth;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * A device code sign-in under way. The message is known at once (show it to the user: open
 * {@code verificationUri} and enter {@code userCode}); {@code completion} finishes when the user has
 * signed in (with the new account, which becomes the selected one) or fails with an
 * {@link AuthException}. Cancelling {@code completion} stops the polling.
 *
 * @param message         Entra's ready-made instruction, e.g. "To sign in, use a web browser to open ..."
 * @param verificationUri where to enter the code
 * @param userCode        the code to enter
 * @param expiresAt       when the code stops working
 * @param completion      the signed-in account
 */
public record DeviceCodeLogin(String message, String verificationUri, String userCode, Instant expiresAt,
                              CompletableFuture<AccountInfo> completion) {
}
