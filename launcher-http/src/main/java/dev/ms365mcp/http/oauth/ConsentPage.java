package dev.ms365mcp.http.oauth;

import java.util.List;

/**
 * The consent page: a plain HTML form (no script) that names the client, where its code will be sent and
 * what it will be able to do, with Approve and Deny. The form carries the pending transaction's id and
 * its CSRF token; both are checked against the store on submit.
 */
final class ConsentPage {

    private ConsentPage() {
    }

    static String render(RegisteredClient client, String redirectHost, List<String> scopes, List<String> permissions,
                         String transaction, String csrf) {
        StringBuilder body = new StringBuilder();
        body.append("<p><strong>").append(escape(client.displayName())).append("</strong> wants to use your Microsoft 365 account through this server.</p>");
        if (client.metadataDocument()) {
            body.append("<p>Client identity published at <code>").append(escape(client.clientId())).append("</code>.</p>");
        } else if (client.clientName() != null) {
            body.append("<p class=\"muted\">The name above is what the application said about itself; it is not verified.</p>");
        }
        body.append("<p>After you sign in, access will be handed to <strong>").append(escape(redirectHost)).append("</strong>.</p>");
        body.append("<p>It will be able to:</p><ul>");
        body.append("<li>call this server's Microsoft 365 tools as you (scope: ").append(escape(String.join(" ", scopes))).append(")</li>");
        for (String p : permissions) {
            body.append("<li>").append(escape(p)).append("</li>");
        }
        body.append("</ul><p class=\"muted\">You can withdraw access by signing out of the application; it ends when it stops using it.</p>");
        body.append("<form method=\"post\" action=\"authorize\">")
                .append("<input type=\"hidden\" name=\"transaction\" value=\"").append(escape(transaction)).append("\">")
                .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(escape(csrf)).append("\">")
                .append("<button type=\"submit\" name=\"decision\" value=\"approve\">Approve and sign in</button> ")
                .append("<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>")
                .append("</form>");
        return page("Allow access to Microsoft 365?", body.toString());
    }

    static String page(String title, String bodyHtml) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<meta name=\"referrer\" content=\"no-referrer\">"
                + "<title>" + escape(title) + "</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}"
                + "button{font-size:1rem;padding:.5rem 1rem;margin-right:.5rem}.muted{color:#555;font-size:.9rem}</style>"
                + "</head><body><h1>" + escape(title) + "</h1>" + bodyHtml + "</body></html>";
    }

    /** HTML text and attribute escaping: client names and URIs come from strangers. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(Character.isISOControl(c) ? ' ' : c);
            }
        }
        return out.toString();
    }
}
