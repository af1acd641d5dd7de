package dev.ms365mcp.tools.accounts;

import static dev.ms365mcp.tools.ToolResults.text;
import static dev.ms365mcp.tools.ToolResults.error;
import dev.ms365mcp.auth.AccountInfo;
import dev.ms365mcp.auth.AccountManager;
import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.DeviceCodeLogin;
import dev.ms365mcp.auth.LoginStatus;
import dev.ms365mcp.tools.local.LocalTool;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The account tools (login, logout, list-accounts, select-account, remove-account) over an
 * {@link AccountManager}. {@code login} answers with the device code at once and finishes in the
 * background, so the model can show the code while the user signs in.
 */
public final class AccountTools {

    private static final Logger log = LoggerFactory.getLogger(AccountTools.class);
    private static final JsonMapper JSON = JsonMapper.shared();

    private final AccountManager accounts;
    private final Supplier<Set<String>> loginScopes;

    /** {@code loginScopes}: what a login asks consent for (the scopes of the offered tools). */
    public AccountTools(AccountManager accounts, Supplier<Set<String>> loginScopes) {
        this.accounts = accounts;
        this.loginScopes = loginScopes;
    }

    /** The LOCAL tool implementations by catalog name. */
    public Map<String, LocalTool> tools() {
        return Map.of(
                "login", guarded(this::login),
                "logout", guarded(args -> {
                    accounts.logout();
                    return text("Signed out: every cached account and token was removed.");
                }),
                "list-accounts", guarded(args -> text(JSON.writeValueAsString(Map.of("accounts",
                        accounts.accounts().stream().map(AccountTools::describe).toList())))),
                "select-account", guarded(args -> text("Selected " + accounts.select(account(args)).username()
                        + "; calls that name no account use it.")),
                "remove-account", guarded(args -> {
                    String account = account(args);
                    accounts.remove(account);
                    return text("Removed " + account + " and its tokens.");
                }));
    }

    private CallToolResult login(Map<String, Object> args) {
        if (!Boolean.TRUE.equals(args.get("force"))) {
            LoginStatus status = accounts.verify();
            if (status.signedIn()) {
                return text("Already signed in as " + status.account().username() + ". Use force=true to sign in again.");
            }
        }
        DeviceCodeLogin login = accounts.startLogin(loginScopes.get());
        login.completion().whenComplete((account, error) -> {
            if (error != null) {
                log.warn("Sign-in did not complete: {}", error.getMessage());
            } else {
                log.info("Signed in as {}", account.username());
            }
        });
        return text(login.message() + " After signing in, call verify-login.");
    }

    private static Map<String, Object> describe(AccountInfo a) {
        return Map.of("username", a.username(), "homeAccountId", a.homeAccountId(), "selected", a.selected());
    }

    private static String account(Map<String, Object> args) {
        if (!(args.get("account") instanceof String s) || s.isBlank()) {
            throw new AuthException("Name the account: its username or home account ID (see list-accounts).");
        }
        return s;
    }

    private static LocalTool guarded(LocalTool tool) {
        return args -> {
            try {
                return tool.call(args);
            } catch (AuthException e) {
                return error(e.getMessage());
            }
        };
    }
}
