package dev.ms365mcp.auth;

/**
 * The answer to "am I signed in?" ({@code verify-login}).
 *
 * @param signedIn whether a token could be had without user interaction
 * @param account  the account that answered, or {@code null} when not signed in
 * @param message  one line for the user: who is signed in, or what to do
 */
public record LoginStatus(boolean signedIn, AccountInfo account, String message) {
}
