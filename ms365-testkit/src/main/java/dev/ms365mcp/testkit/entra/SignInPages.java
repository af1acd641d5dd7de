package dev.ms365mcp.testkit.entra;

import java.util.Map;

/**
 * The HTML FakeEntra's browser sign-in answers with: one form per page, so a scripted browser that
 * submits the first form of each page gets through (the sign-in form, then the auto-submitting
 * {@code form_post} response).
 */
final class SignInPages {

    private SignInPages() {
    }

    /** The sign-in page: a username field (prefilled) and a submit button, posting back to {@code action}. */
    static String signIn(String action, String flow, String clientId, String username, String problem) {
        return page("Sign in to your account",
                (problem == null ? "" : "<p role=\"alert\">" + escape(problem) + "</p>\n")
                        + "<p>Sign in to continue to application " + escape(clientId) + ".</p>\n"
                        + "<form method=\"post\" action=\"" + escape(action) + "\">\n"
                        + "<input type=\"hidden\" name=\"flow\" value=\"" + escape(flow) + "\">\n"
                        + "<label>Email, phone, or Skype <input type=\"email\" name=\"login\" value=\""
                        + escape(username == null ? "" : username) + "\"></label>\n"
                        + "<button type=\"submit\">Sign in</button>\n"
                        + "</form>\n");
    }

    /** The {@code response_mode=form_post} answer: a form that posts {@code params} to the redirect URI by itself. */
    static String formPost(String redirectUri, Map<String, String> params) {
        StringBuilder fields = new StringBuilder();
        params.forEach((name, value) -> fields.append("<input type=\"hidden\" name=\"").append(escape(name))
                .append("\" value=\"").append(escape(value)).append("\">\n"));
        return page("Working...",
                "<form method=\"post\" name=\"hiddenform\" action=\"" + escape(redirectUri) + "\">\n" + fields
                        + "<noscript><p>Script is disabled. Click Submit to continue.</p>"
                        + "<input type=\"submit\" value=\"Submit\"></noscript>\n</form>\n"
                        + "<script>document.forms[0].submit();</script>\n");
    }

    /** Entra's own error page, for requests whose redirect URI cannot be trusted with the error. */
    static String error(String message) {
        return page("Sign in", "<p role=\"alert\">" + escape(message) + "</p>\n");
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title></head><body>\n<h1>" + escape(title) + "</h1>\n" + body + "</body></html>\n";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
