package dev.ms365mcp.stdio;

import dev.ms365mcp.auth.AccountInfo;
import dev.ms365mcp.auth.AccountManager;
import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.DeviceCodeLogin;
import dev.ms365mcp.auth.LoginStatus;
import dev.ms365mcp.auth.msal.MsalTokenProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URL;
import java.time.Duration;
import java.util.Locale;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The account flags of the jar: one action, a human answer, exit 0 on success and 1 otherwise. */
final class AccountCli {

    private final AccountManager accounts;
    private final PrintWriter out;

    AccountCli(AccountManager accounts, PrintWriter out) {
        this.accounts = accounts;
        this.out = out;
    }

    int run(StdioMain.AccountCommand command, Set<String> loginScopes) throws InterruptedException {
        try {
            if (command.login) {
                return login(loginScopes);
            }
            if (command.logout) {
                accounts.logout();
                out.println("Signed out: every cached account and token was removed.");
            } else if (command.verifyLogin) {
                LoginStatus status = accounts.verify();
                out.println(status.signedIn() ? "Signed in as " + status.account().username() + "." : status.message());
                return status.signedIn() ? 0 : 1;
            } else if (command.listAccounts) {
                List<AccountInfo> list = accounts.accounts();
                if (list.isEmpty()) {
                    out.println("No accounts are signed in. Run with --login.");
                }
                list.forEach(a -> out.println((a.selected() ? "* " : "  ") + a.username() + "  (" + a.homeAccountId() + ")"));
            } else if (command.selectAccount != null) {
                out.println("Selected " + accounts.select(command.selectAccount).username() + ".");
            } else if (command.removeAccount != null) {
                accounts.remove(command.removeAccount);
                out.println("Removed " + command.removeAccount + ".");
            }
            return 0;
        } catch (AuthException e) {
            out.println(e.getMessage());
            return 1;
        }
    }

    /**
     * {@code --auth-browser}: prints the sign-in URL to stderr, tries to open the system browser, waits
     * for the redirect to the loopback listener, says who signed in.
     */
    int loginInBrowser(Set<String> scopes) {
        if (!(accounts instanceof MsalTokenProvider msal)) {
            out.println("--auth-browser signs in a user: set MS365_MCP_CLIENT_ID (and no MS365_MCP_OAUTH_TOKEN or "
                    + "MS365_MCP_AUTH_MODE=app).");
            return 1;
        }
        try {
            AccountInfo account = msal.loginInBrowser(scopes, AccountCli::openBrowser, BROWSER_WAIT);
            out.println("Signed in as " + account.username() + ".");
            return 0;
        } catch (AuthException e) {
            out.println(e.getMessage());
            return 1;
        }
    }

    private static final Duration BROWSER_WAIT = Duration.ofMinutes(5);

    /** The URL always goes to stderr (a remote shell has no browser); the browser opens where there is one. */
    static void openBrowser(URL url) {
        System.err.println("Sign in to Microsoft 365 in your browser. If it does not open, go to:");
        System.err.println(url);
        System.err.println("Waiting for you to finish signing in...");
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        List<String> command;
        if (os.startsWith("mac")) {
            command = List.of("open", url.toString());
        } else if (os.startsWith("windows")) {
            command = List.of("rundll32", "url.dll,FileProtocolHandler", url.toString());
        } else if (System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null) {
            command = List.of("xdg-open", url.toString());
        } else {
            return;
        }
        try {
            new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            // No browser opener: the printed URL is the way.
        }
    }

    /** Shows the device code, waits until the user has signed in (or the code expires), says who. */
    private int login(Set<String> scopes) throws InterruptedException {
        DeviceCodeLogin login = accounts.startLogin(scopes);
        out.println(login.message());
        out.println("Waiting for you to finish signing in...");
        try {
            AccountInfo account = login.completion().get();
            out.println("Signed in as " + account.username() + ".");
            return 0;
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            out.println(cause instanceof AuthException ? cause.getMessage() : "Sign-in failed: " + cause.getMessage());
            return 1;
        }
    }
}
