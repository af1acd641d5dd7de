package dev.ms365mcp.auth;

import java.util.Locale;
import java.util.Map;

/**
 * {@code MS365_MCP_EXPECTED_USERNAME} / {@code MS365_MCP_EXPECTED_HOME_ACCOUNT_ID}: the only account this
 * server may act as (shared machines, containers). The username compares case-insensitively, the home
 * account id exactly; with both set, one account must match both. Neither set: any account.
 */
public record ExpectedAccount(String username, String homeAccountId) {

    public static final ExpectedAccount ANY = new ExpectedAccount(null, null);

    public ExpectedAccount {
        username = username == null ? null : username.strip().toLowerCase(Locale.ROOT);
        homeAccountId = homeAccountId == null ? null : homeAccountId.strip();
    }

    /** A variable that is set but blank is a mistake, not "any account": it fails like the reference. */
    static ExpectedAccount fromEnv(Map<String, String> env) {
        return new ExpectedAccount(pin(env, "MS365_MCP_EXPECTED_USERNAME", "a Microsoft account username"),
                pin(env, "MS365_MCP_EXPECTED_HOME_ACCOUNT_ID", "an MSAL home account id (see --list-accounts)"));
    }

    private static String pin(Map<String, String> env, String name, String what) {
        String value = env.get(name);
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException(name + " is set but empty: set it to " + what
                    + ", or unset it to allow any cached account");
        }
        return value;
    }

    public boolean isSet() {
        return username != null || homeAccountId != null;
    }

    public boolean matches(String accountUsername, String accountHomeId) {
        return (username == null || (accountUsername != null && username.equals(accountUsername.toLowerCase(Locale.ROOT))))
                && (homeAccountId == null || homeAccountId.equals(accountHomeId));
    }

    /** {@code username alice@contoso.com and homeAccountId …}, for messages. */
    public String label() {
        StringBuilder label = new StringBuilder();
        if (username != null) {
            label.append("username ").append(username);
        }
        if (homeAccountId != null) {
            label.append(label.isEmpty() ? "" : " and ").append("homeAccountId ").append(homeAccountId);
        }
        return label.toString();
    }
}
