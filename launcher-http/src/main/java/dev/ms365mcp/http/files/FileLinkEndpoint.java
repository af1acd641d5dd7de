package dev.ms365mcp.http.files;

import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.TokenProvider;
import dev.ms365mcp.http.JsonResponses;
import dev.ms365mcp.http.security.BearerAuthentication;
import dev.ms365mcp.http.security.Caller;
import dev.ms365mcp.http.security.McpAuthentication;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolResults;
import dev.ms365mcp.tools.execution.UploadSource;
import dev.ms365mcp.tools.graph.ContentSink;
import dev.ms365mcp.tools.graph.GraphCallException;
import dev.ms365mcp.tools.graph.GraphResponse;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /files/download/<ticket>} and {@code PUT /files/upload/<ticket>}: where file links are redeemed.
 * The ticket is the credential; a request that also carries a bearer must be the same user (else 403, and the
 * ticket stays usable). A download streams Graph's body to the response as it arrives (64 KiB at a time); an
 * upload streams the request body into Graph in chunks, after its Content-Length was checked against the
 * ticket's limit and before a byte of it is read. An unknown, used or expired ticket gets one and the same 410.
 */
public final class FileLinkEndpoint extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(FileLinkEndpoint.class);

    private final FileTickets tickets;
    private final Ms365Tools tools;
    private final McpAuthentication auth;

    public FileLinkEndpoint(FileTickets tickets, Ms365Tools tools, McpAuthentication auth) {
        this.tickets = tickets;
        this.tools = tools;
        this.auth = auth;
    }

    /** Who is redeeming, when the request says: checked against the ticket's user. */
    private sealed interface Redeemer {
        record Anonymous() implements Redeemer {
        }

        record User(String principal, TokenProvider tokens) implements Redeemer {
        }

        record Refused(int status, String code, String description) implements Redeemer {
        }
    }

    /** A live ticket of the right kind, and the token source of the user it is bound to. */
    private record Admission(String ticket, FileTickets.Ticket grant, TokenProvider tokens) {
    }

    /**
     * The request's ticket when it is live, of the right kind, and redeemed by its user; otherwise null, the
     * refusal (410, 401, 403) already answered and the ticket left as it was.
     */
    private Admission admission(HttpServletRequest req, HttpServletResponse resp, boolean upload) throws IOException {
        String ticket = ticket(req, upload ? "/upload/" : "/download/");
        Optional<FileTickets.Ticket> grant = ticket == null ? Optional.empty() : tickets.peek(ticket);
        if (grant.isEmpty() || (upload ? grant.get().upload() : grant.get().download()) == null) {
            if (upload) {
                refuseBody(resp);
            }
            gone(resp);
            return null;
        }
        TokenProvider tokens = admitted(req, resp, grant.get());
        return tokens == REFUSED ? null : new Admission(ticket, grant.get(), tokens);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Admission a = admission(req, resp, false);
        if (a == null) {
            return;
        }
        String ticket = a.ticket();
        FileTickets.Ticket t = a.grant();
        TokenProvider requestTokens = a.tokens();
        if (!tickets.consume(ticket)) {
            gone(resp);
            return;
        }
        Sink sink = new Sink(resp, t.download().fileName());
        GraphResponse answer;
        try {
            answer = tools.fetchContent(t.download(), t.principal(), requestTokens, sink);
        } catch (AuthException e) {
            JsonResponses.error(resp, 401, "sign_in_required", "The server could not get a Microsoft Graph token for "
                    + "you; sign in again through your MCP client, then ask for a new link.");
            return;
        } catch (UncheckedIOException e) {
            log.debug("Download receiver went away: {}", e.getCause().getClass().getSimpleName());
            abort(req, e);
            return;
        } catch (GraphCallException e) {
            if (sink.opened()) {
                // Part of the body is out: the response must not end as if complete.
                abort(req, e);
                return;
            }
            JsonResponses.error(resp, 502, "graph_unavailable", "Microsoft Graph did not deliver the content; ask "
                    + "for a new link and try again later.");
            return;
        }
        if (!answer.ok()) {
            int status = answer.status();
            JsonResponses.error(resp, status == 404 ? 404 : status == 401 || status == 403 ? 403 : 502, "graph_refused",
                    "Microsoft Graph answered HTTP " + status + " for this content.");
        }
    }

    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Admission a = admission(req, resp, true);
        if (a == null) {
            return;
        }
        String ticket = a.ticket();
        FileTickets.Ticket t = a.grant();
        TokenProvider requestTokens = a.tokens();
        long length = req.getContentLengthLong();
        if (length < 0) {
            refuseBody(resp);
            JsonResponses.error(resp, 411, "length_required", "Send the file with a Content-Length header "
                    + "(curl -T <file> <url> does).");
            return;
        }
        if (length > t.upload().maxBytes()) {
            refuseBody(resp);
            JsonResponses.error(resp, 413, "too_large", "This link takes at most " + t.upload().maxBytes()
                    + " bytes; the file is " + length + ".");
            return;
        }
        if (length == 0) {
            JsonResponses.error(resp, 400, "empty_body", "The body is empty: send the file's bytes.");
            return;
        }
        if (!tickets.consume(ticket)) {
            refuseBody(resp);
            gone(resp);
            return;
        }
        UploadSource body = UploadSource.of(req.getInputStream(), length, t.upload().fileName());
        CallToolResult result = tools.upload(t.upload(), t.principal(), requestTokens, body);
        String text = ToolResults.textOf(result);
        if (!Boolean.TRUE.equals(result.isError())) {
            JsonResponses.write(resp, 201, created(text));
        } else if (body.problem() != null) {
            refuseBody(resp);
            JsonResponses.error(resp, 400, "bad_body", "The " + body.problem() + ". Nothing was created; ask for a new "
                    + "link.");
        } else {
            JsonResponses.error(resp, 502, "upload_failed", text);
        }
    }

    /** What the upload created, as JSON (the tool result is JSON unless the server writes TOON). */
    private static ObjectNode created(String text) {
        try {
            JsonNode node = JsonMapper.shared().readTree(text);
            if (node instanceof ObjectNode o) {
                return o;
            }
        } catch (JacksonException e) {
            // TOON or text: carried as is
        }
        return JsonMapper.shared().createObjectNode().put("created", text);
    }

    private static final TokenProvider REFUSED = request -> {
        throw new AuthException("refused");
    };

    /**
     * Null (use the tool set's tokens for the ticket's user) or the request's own token source when the
     * redeemer may go ahead; {@link #REFUSED} after answering when not.
     */
    private TokenProvider admitted(HttpServletRequest req, HttpServletResponse resp, FileTickets.Ticket t)
            throws IOException {
        Redeemer who = redeemer(req);
        if (who instanceof Redeemer.Refused r) {
            refuseBody(resp);
            JsonResponses.error(resp, r.status(), r.code(), r.description());
            return REFUSED;
        }
        if (who instanceof Redeemer.User u) {
            if (!u.principal().equals(t.principal())) {
                refuseBody(resp);
                JsonResponses.error(resp, 403, "forbidden", "This link belongs to another user.");
                return REFUSED;
            }
            req.setAttribute(Caller.ATTRIBUTE, new Caller(u.principal(), java.util.Set.of()));
            return u.tokens();
        }
        if (auth.requestTokens() != null) {
            // On-behalf-of and passthrough keep no credential of their own: the redeemer brings it.
            refuseBody(resp);
            JsonResponses.error(resp, 401, "token_required", "In this server's mode a link is used with your "
                    + "access token: send Authorization: Bearer <token>.");
            return REFUSED;
        }
        return null;
    }

    private Redeemer redeemer(HttpServletRequest req) {
        if (auth.proxyUserHeader() != null) {
            String user = req.getHeader(auth.proxyUserHeader());
            return user == null || user.isBlank() ? new Redeemer.Anonymous()
                    : new Redeemer.User("proxy:" + user.strip(), null);
        }
        String header = req.getHeader("Authorization");
        if (header == null || auth.verifier() == null) {
            return new Redeemer.Anonymous();
        }
        String token = BearerAuthentication.bearer(header);
        Optional<Caller> caller;
        try {
            caller = token == null ? Optional.empty() : auth.verifier().verify(token);
        } catch (RuntimeException e) {
            caller = Optional.empty();
        }
        if (caller.isEmpty()) {
            return new Redeemer.Refused(401, "invalid_token", "The access token is invalid or expired; send a valid "
                    + "one, or none (the link alone is enough).");
        }
        return new Redeemer.User(caller.get().principal(),
                auth.requestTokens() == null ? null : auth.requestTokens().apply(token));
    }

    /** The ticket after {@code prefix} in the path, or null. */
    private static String ticket(HttpServletRequest req, String prefix) {
        String path = req.getPathInfo();
        if (path == null || !path.startsWith(prefix)) {
            return null;
        }
        String ticket = path.substring(prefix.length());
        return ticket.matches("[A-Za-z0-9_-]{20,100}") ? ticket : null;
    }

    private static void gone(HttpServletResponse resp) throws IOException {
        JsonResponses.error(resp, 410, "link_gone", "This link has expired, was already used, or never existed. "
                + "Ask for a new one.");
    }

    /** An answer before the body was read: the connection closes instead of reading the rest. */
    private static void refuseBody(HttpServletResponse resp) {
        resp.setHeader("Connection", "close");
    }

    /** Ends the exchange abnormally, so a client never takes a cut-off body for the whole file. */
    private static void abort(HttpServletRequest req, Exception cause) {
        ServletContextRequest.getServletContextRequest(req).getServletChannel().abort(cause);
    }

    /** Graph's answer headers to the response, then its body. */
    private static final class Sink implements ContentSink {
        private final HttpServletResponse resp;
        private final String fileName;
        private volatile boolean opened;

        Sink(HttpServletResponse resp, String fileName) {
            this.resp = resp;
            this.fileName = fileName;
        }

        @Override
        public OutputStream open(int status, Map<String, List<String>> headers) throws IOException {
            opened = true;
            resp.setStatus(200);
            String type = first(headers, "content-type");
            resp.setContentType(type == null || type.isBlank() ? "application/octet-stream" : type);
            String length = first(headers, "content-length");
            if (length != null && length.strip().matches("\\d{1,18}")) {
                resp.setContentLengthLong(Long.parseLong(length.strip()));
            }
            resp.setHeader("Content-Disposition", disposition(fileName));
            resp.setHeader("Cache-Control", "no-store");
            resp.setHeader("X-Content-Type-Options", "nosniff");
            return resp.getOutputStream();
        }

        @Override
        public boolean opened() {
            return opened;
        }

        private static String first(Map<String, List<String>> headers, String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    /** {@code attachment} with an ASCII-only quoted name and the exact one in RFC 5987 form. */
    static String disposition(String name) {
        String ascii = name.replaceAll("[^A-Za-z0-9._ ()-]", "_");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
