package dev.ms365mcp.auth;

/**
 * What a server without any configured token source uses: it still starts and lists tools, and a
 * tool call explains how to get signed in.
 */
public final class LoginRequiredTokenProvider implements TokenProvider {

    private final String howToSignIn;

    public LoginRequiredTokenProvider(String howToSignIn) {
        this.howToSignIn = howToSignIn;
    }

    /** The message every call fails with. */
    public String howToSignIn() {
        return howToSignIn;
    }

    @Override
    public AccessToken token(TokenRequest request) {
        throw new AuthException(howToSignIn);
    }
}
