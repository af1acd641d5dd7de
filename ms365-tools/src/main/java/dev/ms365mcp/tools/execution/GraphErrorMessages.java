package dev.ms365mcp.tools.execution;

import dev.ms365mcp.tools.catalog.ToolDef;
import dev.ms365mcp.tools.graph.GraphResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a failed Graph answer into a message a model (or person) can act on: what Graph said
 * (status, error code, message) and what to do about it.
 */
final class GraphErrorMessages {

    private final JsonMapper json;
    private final int maxRetries;

    GraphErrorMessages(JsonMapper json, int maxRetries) {
        this.json = json;
        this.maxRetries = maxRetries;
    }

    String describe(ToolDef tool, GraphResponse response) {
        String code = "";
        String message = "";
        try {
            JsonNode error = json.readTree(response.body()).path("error");
            code = error.path("code").asString("");
            message = error.path("message").asString("");
        } catch (JacksonException | IllegalArgumentException e) {
            // Not Graph's JSON error shape (a proxy page, an empty body): status alone must do.
        }
        String said = response.status() + (code.isEmpty() ? "" : " " + code) + (message.isEmpty() ? "" : ": " + message);
        String scopes = String.join(", ", tool.scopes());
        return switch (response.status()) {
            case 400 -> "Microsoft Graph rejected the request (" + said + "). Check the arguments against the tool's schema.";
            case 401 -> "Microsoft Graph did not accept the sign-in (" + said + "). Sign in again (login tool or --login), "
                    + "or provide a fresh MS365_MCP_OAUTH_TOKEN.";
            case 403 -> "Access denied (" + said + "). " + tool.name() + " needs the delegated permission "
                    + (scopes.isEmpty() ? "for this resource" : scopes) + ". " + consentHint(tool)
                    + " The signed-in user must also have access to the item.";
            case 404 -> "Not found (" + said + "). Check the ID: IDs are case-sensitive and change when an item moves; "
                    + "list the parent collection to get current IDs.";
            case 409, 412 -> "Conflict (" + said + "): the item changed or already exists. Read it again and retry.";
            case 429 -> "Microsoft Graph is throttling requests (" + said + ") and still was after " + maxRetries
                    + " retries" + retryAfter(response) + ". Wait, then retry asking for less (top, select, filter).";
            default -> response.status() >= 500
                    ? "Microsoft Graph failed (" + said + ")" + (isRetried(tool, response.status()) ? " after " + maxRetries
                            + " retries" : "") + ". Try again later."
                    : "Microsoft Graph answered " + said + ".";
        };
    }

    /**
     * Who can fix a missing permission: work scopes (org-mode tools, {@code .All}, {@code .Shared})
     * need a work account and usually an administrator's consent; the rest the user can consent to.
     */
    private static String consentHint(ToolDef tool) {
        boolean workScope = tool.orgOnly() || tool.scopes().stream().anyMatch(s -> s.endsWith(".All") || s.contains(".Shared"));
        if (workScope) {
            return "It is a work scope: it needs a work or school account (org mode, --org-mode) and usually an "
                    + "administrator's consent (Entra admin center > App registrations > API permissions > Grant admin "
                    + "consent); then sign in again so the token carries it.";
        }
        return "Add it to the app registration's API permissions and sign in again to consent, so the token carries it.";
    }

    /** 503/504 are sent again only for methods that may be repeated (a POST may have landed). */
    private static boolean isRetried(ToolDef tool, int status) {
        return (status == 503 || status == 504) && switch (tool.method()) {
            case GET, PUT, DELETE -> true;
            default -> false;
        };
    }

    private static String retryAfter(GraphResponse response) {
        String ra = response.header("retry-after");
        return ra == null ? "" : " (Retry-After: " + ra + " s)";
    }
}
