package dev.ms365mcp.auth;

import java.util.List;
import java.util.Set;

/**
 * Signing users in and out, and choosing among several cached accounts: what the {@code login},
 * {@code verify-login}, {@code logout}, {@code list-accounts}, {@code select-account} and
 * {@code remove-account} tools and the matching CLI flags do. Every method fails with an
 * {@link AuthException} whose message says what to do.
 *
 * <p>{@code idOrUsername} is a username (case-insensitive) or a home account id, as listed by
 * {@link #accounts()}.
 */
public interface AccountManager {

    /** Starts a device code sign-in for {@code scopes} (plus {@code MS365_MCP_EXTRA_SCOPES}); returns once the code is known. */
    DeviceCodeLogin startLogin(Set<String> scopes);

    /** Whether the selected (or only) account can get a token without the user, and who it is. */
    LoginStatus verify();

    /** The cached accounts, with the selected one marked. */
    List<AccountInfo> accounts();

    /** Makes an account the default for calls that name none; the choice survives restarts. */
    AccountInfo select(String idOrUsername);

    /** Removes one account and its tokens from the cache. */
    void remove(String idOrUsername);

    /** Removes every account and the selection. */
    void logout();

    /**
     * An account manager for a server that cannot sign users in (no client id, a static token, app-only
     * mode): listing shows nothing, the rest explains why with {@code reason}.
     */
    static AccountManager unavailable(String reason) {
        return new AccountManager() {
            @Override
            public DeviceCodeLogin startLogin(Set<String> scopes) {
                throw new AuthException(reason);
            }

            @Override
            public LoginStatus verify() {
                return new LoginStatus(false, null, reason);
            }

            @Override
            public List<AccountInfo> accounts() {
                return List.of();
            }

            @Override
            public AccountInfo select(String idOrUsername) {
                throw new AuthException(reason);
            }

            @Override
            public void remove(String idOrUsername) {
                throw new AuthException(reason);
            }

            @Override
            public void logout() {
                throw new AuthException(reason);
            }
        };
    }
}
