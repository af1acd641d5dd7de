package dev.ms365mcp.auth.errors;

import com.microsoft.aad.msal4j.AuthenticationErrorCode;
import com.microsoft.aad.msal4j.MsalClientException;
import com.microsoft.aad.msal4j.MsalException;
import com.microsoft.aad.msal4j.MsalInteractionRequiredException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.MsalThrottlingException;
import dev.ms365mcp.auth.AuthException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what Microsoft Entra (through msal4j) says into an {@link AuthException} a person can act on.
 *
 * <p>Entra's {@code error_description} starts with an {@code AADSTSnnnnn} code; the code decides the
 * fix. Only the first line of the description is kept (the rest is trace and correlation ids), and
 * nothing from the request, so no token or secret can end up in a message.
 */
public final class EntraErrors {

    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d+)");
    private static final java.util.Set<Integer> SIGN_IN_REQUIRED = java.util.Set.of(70000, 70008, 700082, 700084,
            50173, 50133, 50076, 50078, 50079, 50158, 65001, 9002313);
    private static final String LOGIN_AGAIN = "Sign in again: run with --login (or use the login tool).";

    private EntraErrors() {
    }

    /**
     * The {@link AuthException} for a failure of an msal4j call ({@link ExecutionException} and
     * {@link CompletionException} wrappers are looked through). An {@link AuthException} raised inside
     * MSAL, e.g. by the token cache, is returned as is.
     */
    public static AuthException toAuthException(Throwable failure) {
        return toAuthException(failure, LOGIN_AGAIN);
    }

    /**
     * As {@link #toAuthException(Throwable)}, with {@code signInAgain} as the advice where a new sign-in
     * is the fix (the HTTP server's users reconnect in their MCP client; they have no --login).
     */
    public static AuthException toAuthException(Throwable failure, String signInAgain) {
        Throwable t = unwrap(failure);
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof AuthException auth) {
                return auth;
            }
        }
        if (t instanceof MsalThrottlingException throttled) {
            return new AuthException("Microsoft Entra asked to slow down; try again in "
                    + Math.max(1, throttled.retryInMs() / 1000) + " seconds.", t);
        }
        if (t instanceof MsalServiceException service) {
            return fromService(service, signInAgain);
        }
        if (t instanceof MsalClientException client) {
            return fromClient(client, signInAgain);
        }
        if (t instanceof InterruptedException) {
            return new AuthException("Sign-in was cancelled.", t);
        }
        return new AuthException("Getting a token failed: " + t.getClass().getSimpleName()
                + (t.getMessage() == null ? "" : ": " + firstLine(t.getMessage())), t);
    }

    /**
     * True when only a new interactive sign-in can fix {@code failure}: the refresh token is expired,
     * revoked or was never there, or Entra wants MFA or consent ({@code invalid_grant},
     * {@code interaction_required}, AADSTS70000, 70008, 700082, 700084, 50173, 50133, 50076, 50078,
     * 50079, 50158, 65001, 9002313), or MSAL found no usable token in the cache.
     */
    public static boolean needsNewSignIn(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof MsalInteractionRequiredException) {
            return true;
        }
        if (t instanceof MsalServiceException service) {
            return "invalid_grant".equals(service.errorCode()) || "interaction_required".equals(service.errorCode())
                    || SIGN_IN_REQUIRED.contains(aadstsCode(service.getMessage()));
        }
        return t instanceof MsalClientException client && AuthenticationErrorCode.CACHE_MISS.equals(client.errorCode());
    }

    /**
     * True when Microsoft Entra could not answer at all: unreachable (an I/O failure), a 5xx, or throttling.
     * Trying again later may work; nothing is wrong with the request or the credential.
     */
    public static boolean isOutage(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof MsalThrottlingException) {
            return true;
        }
        if (t instanceof MsalServiceException service) {
            return service.statusCode() != null && service.statusCode() >= 500;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** The AADSTS code in an Entra error description, or 0. */
    public static int aadstsCode(String description) {
        if (description == null) {
            return 0;
        }
        Matcher m = AADSTS.matcher(description);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static AuthException fromService(MsalServiceException e, String signInAgain) {
        String description = e.getMessage();
        int code = aadstsCode(description);
        String entraSays = " (Entra: " + firstLine(description) + ")";
        String fix = switch (code) {
            case 65001 -> "The app does not have consent for the requested permissions yet. Sign in again with "
                    + "--login to consent, or ask an administrator to grant consent in Entra ID > App registrations "
                    + "> API permissions.";
            case 65004 -> "Consent was declined. " + signInAgain + " and accept the requested permissions.";
            case 90094, 90095, 650052, 650057 -> "Your organization requires an administrator to approve this app "
                    + "or permission. Ask an administrator to grant admin consent (Entra ID > App registrations > "
                    + "API permissions > Grant admin consent), then sign in again.";
            case 7000218 -> "Device code sign-in is not allowed for this app. In Entra ID > App registrations > "
                    + "your app > Authentication, set 'Allow public client flows' to Yes.";
            case 700016 -> "No app with MS365_MCP_CLIENT_ID was found in this tenant. Check MS365_MCP_CLIENT_ID "
                    + "(the Application (client) ID) and MS365_MCP_TENANT_ID.";
            case 7000215, 7000222 -> "MS365_MCP_CLIENT_SECRET is wrong or expired. Create a new client secret in "
                    + "Entra ID > App registrations > Certificates & secrets (use its Value, not its ID).";
            case 70000, 70008, 700082, 700084, 50173, 50133, 50078, 50076, 50079, 9002313 ->
                    "Your sign-in has expired or was revoked. " + signInAgain;
            case 70020, 70019 -> "The sign-in code expired before it was used. " + signInAgain;
            case 50020, 9002331, 500200, 500202, 50034, 9002332 -> "This account cannot sign in to the configured "
                    + "tenant. Personal Microsoft accounts (outlook.com, hotmail.com, live.com) need "
                    + "MS365_MCP_TENANT_ID=consumers (and an app registration that allows personal accounts); "
                    + "work or school accounts need your organization's tenant id or domain.";
            case 90002, 90023 -> "The tenant in MS365_MCP_TENANT_ID was not found. Use your tenant id or "
                    + "domain, or common.";
            case 53003, 53000, 53001 -> "A Conditional Access policy of your organization blocks this sign-in. "
                    + "Ask your administrator.";
            case 50105 -> "Your account is not assigned to this app. Ask an administrator to assign you to it.";
            default -> null;
        };
        if (fix == null) {
            fix = switch (String.valueOf(e.errorCode())) {
                case "invalid_grant" -> "Your sign-in is no longer valid. " + signInAgain;
                case "authorization_declined" -> "Sign-in was declined. " + signInAgain;
                case "expired_token" -> "The sign-in code expired before it was used. " + signInAgain;
                case "invalid_scope" -> "Microsoft Entra rejected the requested permissions (scopes).";
                case "invalid_client", "unauthorized_client" -> "Microsoft Entra rejected the app registration: "
                        + "check MS365_MCP_CLIENT_ID, MS365_MCP_TENANT_ID and MS365_MCP_CLIENT_SECRET.";
                default -> e instanceof MsalInteractionRequiredException ? "A new sign-in is needed. " + signInAgain
                        : e.statusCode() != null && e.statusCode() >= 500
                        ? "Microsoft Entra is having problems; try again in a moment."
                        : "Microsoft Entra refused the request.";
            };
        }
        return new AuthException(fix + entraSays, e);
    }

    private static AuthException fromClient(MsalClientException e, String signInAgain) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof IOException io) {
                return new AuthException("Cannot reach the Microsoft sign-in service: " + io.getClass().getSimpleName()
                        + (io.getMessage() == null ? "" : ": " + firstLine(io.getMessage()))
                        + ". Check the network, proxy and MS365_MCP_AUTHORITY_URL.", e);
            }
            if (c instanceof InterruptedException) {
                return new AuthException("Sign-in was cancelled.", e);
            }
        }
        String code = String.valueOf(e.errorCode());
        if (code.equals("code_expired")) {
            return new AuthException("The sign-in code expired before it was used. " + signInAgain, e);
        }
        return new AuthException("Getting a token failed: " + firstLine(String.valueOf(e.getMessage())), e);
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        // msal4j wraps everything thrown inside its suppliers (our cache's AuthException too).
        if (t instanceof MsalClientException && t.getCause() != null && !(t.getCause() instanceof MsalException)
                && (t.getCause() instanceof ExecutionException || t.getCause() instanceof CompletionException)) {
            return unwrap(t.getCause());
        }
        return t;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String line = text.strip().lines().findFirst().orElse("").strip();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
