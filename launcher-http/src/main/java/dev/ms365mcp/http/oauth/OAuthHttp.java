package dev.ms365mcp.http.oauth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Reading bounded request bodies and writing the JSON, error and HTML answers every endpoint shares. */
final class OAuthHttp {

    /** Request bodies of every OAuth endpoint are small; anything bigger is refused before it is parsed. */
    static final int MAX_BODY = 16 * 1024;

    private OAuthHttp() {
    }

    static byte[] body(HttpServletRequest req) throws IOException {
        if (req.getContentLengthLong() > MAX_BODY) {
            throw new OAuthError("invalid_request", "request body larger than " + MAX_BODY + " bytes", 413);
        }
        try (InputStream in = req.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new OAuthError("invalid_request", "request body larger than " + MAX_BODY + " bytes", 413);
            }
            return body;
        }
    }

    /**
     * An {@code application/x-www-form-urlencoded} body as a map. A parameter given twice is an error
     * (RFC 6749 §3.1), so one value can never shadow another.
     */
    static Map<String, String> form(HttpServletRequest req) throws IOException {
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw OAuthError.invalidRequest("send the parameters form-encoded (Content-Type: application/x-www-form-urlencoded)");
        }
        return decode(new String(body(req), StandardCharsets.UTF_8));
    }

    /** The query string as a map, with the same duplicate rule. */
    static Map<String, String> query(HttpServletRequest req) {
        return decode(req.getQueryString());
    }

    static Map<String, String> decode(String encoded) {
        Map<String, String> params = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return params;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw OAuthError.invalidRequest("malformed percent-encoding in the parameters");
            }
            if (params.put(name, value) != null) {
                throw OAuthError.invalidRequest("parameter '" + name + "' is given more than once");
            }
        }
        return params;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A JSON answer that no cache may keep (RFC 6749 §5.1: {@code Cache-Control: no-store}, {@code Pragma: no-cache}). */
    static void json(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Pragma", "no-cache");
        resp.getOutputStream().write(JsonMapper.shared().writeValueAsBytes(body));
    }

    /** A public metadata document: cacheable for an hour. */
    static void metadata(HttpServletResponse resp, Object body) throws IOException {
        resp.setStatus(200);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "public, max-age=3600");
        resp.getOutputStream().write(JsonMapper.shared().writeValueAsBytes(body));
    }

    static void error(HttpServletResponse resp, OAuthError e) throws IOException {
        if (e.status() == 401) {
            resp.setHeader("WWW-Authenticate", "Basic realm=\"ms365-mcp\"");
        }
        json(resp, e.status(), Map.of("error", e.error(), "error_description", e.description()));
    }

    /** An HTML page that no one may frame or cache: consent pages and errors shown in the user's browser. */
    static void html(HttpServletResponse resp, int status, String html) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/html");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Pragma", "no-cache");
        resp.setHeader("Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.getOutputStream().write(html.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An error shown in the browser instead of a redirect: used whenever the client or its redirect URI
     * cannot be trusted (RFC 6749 §4.1.2.1), so an attacker cannot turn the endpoint into an open redirector.
     */
    static void errorPage(HttpServletResponse resp, int status, String title, String detail) throws IOException {
        html(resp, status, ConsentPage.page(title, "<p>" + ConsentPage.escape(detail) + "</p>"));
    }

    /** A 303 (never 307/308: the browser must not re-POST) to {@code location}. */
    static void seeOther(HttpServletResponse resp, String location) {
        resp.setStatus(303);
        resp.setHeader("Location", location);
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Referrer-Policy", "no-referrer");
    }

    /** {@code uri} with {@code params} appended to its query, whatever its scheme ({@code cursor://…} included). */
    static String withQuery(String uri, Map<String, String> params) {
        StringBuilder out = new StringBuilder(uri);
        char sep = uri.indexOf('?') >= 0 ? '&' : '?';
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (p.getValue() == null) {
                continue;
            }
            out.append(sep).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
            sep = '&';
        }
        return out.toString();
    }
}
