package dev.ms365mcp.testkit.entra;

/**
 * An error FakeEntra answers with instead of doing its job, injected with
 * {@link FakeEntra#failNext(FakeEntra.Endpoint, int, Fault)}.
 *
 * @param status      HTTP status, e.g. 400
 * @param error       OAuth {@code error}, e.g. {@code invalid_grant}
 * @param description {@code error_description}; Entra starts it with {@code AADSTSnnnn:}
 */
public record Fault(int status, String error, String description) {

    /** An Entra-style error: {@code error_description} starts with {@code AADSTS<code>: }. */
    public static Fault aadsts(int status, String error, int code, String text) {
        return new Fault(status, error, "AADSTS" + code + ": " + text);
    }

    /** A bare server error with no OAuth body details. */
    public static Fault serverError(int status) {
        return new Fault(status, "server_error", "AADSTS90033: A transient error has occurred. Please try again.");
    }

    int aadstsCode() {
        if (description != null && description.startsWith("AADSTS")) {
            int end = description.indexOf(':');
            try {
                return Integer.parseInt(description.substring(6, end < 0 ? description.length() : end));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }
}
