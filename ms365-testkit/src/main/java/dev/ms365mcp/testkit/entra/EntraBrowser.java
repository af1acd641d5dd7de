package dev.ms365mcp.testkit.entra;

import dev.ms365mcp.testkit.FormEncoding;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A scripted browser for FakeEntra's sign-in, for Java tests of a web app: opens the authorize URL the
 * app made (whatever Entra host msal4j wrote into it is mapped to the fake), submits the sign-in form,
 * and returns what the browser would deliver to the redirect URI — without delivering it.
 */
public final class EntraBrowser implements AutoCloseable {

    private static final Pattern FORM = Pattern.compile("<form method=\"post\"[^>]* action=\"([^\"]+)\"");
    private static final Pattern INPUT = Pattern.compile("<input type=\"(?:hidden|email)\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    /**
     * What arrives at the redirect URI.
     *
     * @param redirectUri where it goes (without the query)
     * @param method      {@code POST} for form_post, {@code GET} for query
     * @param params      {@code code} and {@code state}, or {@code error}, {@code error_description}, {@code state}
     */
    public record Callback(URI redirectUri, String method, Map<String, String> params) {
    }

    private final FakeEntra entra;
    private final HttpClient http;

    public EntraBrowser(FakeEntra entra) {
        this.entra = entra;
        try {
            HttpClient.Builder builder = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER);
            if (entra.baseUri().getScheme().equals("https")) {
                builder.sslContext(entra.clientSslContext());
            }
            this.http = builder.build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Signs in at {@code authorizeUrl} as {@code username} (null: keep what the page prefilled).
     *
     * @throws IllegalStateException when a page answers something a browser could not go on from (e.g. the
     *                               400 page for an unregistered redirect URI); the message has the page
     */
    public Callback signIn(URI authorizeUrl, String username) throws IOException, InterruptedException {
        URI routed = entra.baseUri().resolve(authorizeUrl.getRawPath()
                + (authorizeUrl.getRawQuery() == null ? "" : "?" + authorizeUrl.getRawQuery()));
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(routed).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> answer = page.statusCode() == 200 && page.body().contains("name=\"flow\"")
                ? submit(page.body(), username == null ? Map.of() : Map.of("login", username)) : page;
        if (answer.statusCode() == 302) {
            URI location = URI.create(answer.headers().firstValue("Location").orElseThrow());
            return new Callback(withoutQuery(location), "GET", FormEncoding.decode(location.getRawQuery()));
        }
        Matcher form = FORM.matcher(answer.body());
        if (answer.statusCode() != 200 || !form.find() || answer.body().contains("name=\"flow\"")) {
            throw new IllegalStateException("FakeEntra answered " + answer.statusCode() + ": " + answer.body());
        }
        return new Callback(URI.create(unescape(form.group(1))), "POST", fields(answer.body()));
    }

    private HttpResponse<String> submit(String html, Map<String, String> overrides) throws IOException, InterruptedException {
        Matcher form = FORM.matcher(html);
        if (!form.find()) {
            throw new IllegalStateException("no form on " + html);
        }
        Map<String, String> fields = fields(html);
        fields.putAll(overrides);
        String body = fields.entrySet().stream().map(e -> FormEncoding.encode(e.getKey()) + "=" + FormEncoding.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(entra.baseUri().resolve(unescape(form.group(1))))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> fields(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher input = INPUT.matcher(html);
        while (input.find()) {
            fields.put(input.group(1), unescape(input.group(2)));
        }
        return fields;
    }

    private static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    private static URI withoutQuery(URI uri) {
        String s = uri.toString();
        int q = s.indexOf('?');
        return URI.create(q < 0 ? s : s.substring(0, q));
    }

    @Override
    public void close() {
        http.close();
    }
}
