package dev.ms365mcp.http.files;

import dev.ms365mcp.http.oauth.Secrets;
import dev.ms365mcp.http.state.StateStore;
import dev.ms365mcp.tools.ToolResults;
import dev.ms365mcp.tools.links.ContentLink;
import dev.ms365mcp.tools.links.FileLinks;
import dev.ms365mcp.tools.links.UploadLink;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Single-use file links: a random ticket (256 bits) in the URL, only its hash in the {@link StateStore} (with a
 * TTL, so every replica sharing the store can redeem it, and get-and-delete makes it single use), bound to the
 * user who asked and to the exact Graph request. Each user holds at most {@code perUser} live links: a link
 * takes one of that many slots in the store until it is used or expires.
 */
public final class FileTickets implements FileLinks {

    public static final String DOWNLOAD_PATH = "/files/download/";
    public static final String UPLOAD_PATH = "/files/upload/";
    private static final String KEY = "file-link:";
    private static final String SLOT = "file-link-slot:";
    private static final JsonMapper JSON = JsonMapper.shared();

    /** What a ticket grants, as stored. */
    public record Ticket(String principal, long expiresAtMs, String slot, ContentLink download, UploadLink upload) {

        public Instant expiresAt() {
            return Instant.ofEpochMilli(expiresAtMs);
        }
    }

    private final FileLinkSettings settings;
    private final StateStore store;
    private final Clock clock;

    public FileTickets(FileLinkSettings settings, StateStore store, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.clock = clock;
    }

    public FileLinkSettings settings() {
        return settings;
    }

    @Override
    public CallToolResult download(ContentLink content, String principal) {
        Duration ttl = settings.downloadTtl();
        String ticket = mint(principal, ttl, content, null);
        if (ticket == null) {
            return quotaReached();
        }
        String url = settings.base() + DOWNLOAD_PATH + ticket;
        String mime = content.mimeType() != null ? content.mimeType()
                : java.net.URLConnection.getFileNameMap().getContentTypeFor(content.fileName());
        McpSchema.ResourceLink link = McpSchema.ResourceLink.builder().name(content.fileName()).uri(url)
                .mimeType(mime).size(content.size())
                .description("Single-use download link, valid " + ttl.toSeconds() + " s").build();
        String size = content.size() == null ? "" : ", " + content.size() + " bytes";
        return CallToolResult.builder()
                .addTextContent("Download link for " + content.fileName() + size + " (works once, for " + ttl.toSeconds()
                        + " s; open it in a browser, or curl -o <file> <url>): " + url)
                .addContent(link).build();
    }

    @Override
    public CallToolResult upload(UploadLink upload, String principal) {
        long max = Math.min(upload.maxBytes(), settings.uploadMaxBytes());
        UploadLink bound = new UploadLink(upload.tool(), upload.call(), upload.fileName(), upload.conflictBehavior(), max);
        Duration ttl = settings.uploadTtl();
        String ticket = mint(principal, ttl, null, bound);
        if (ticket == null) {
            return quotaReached();
        }
        String url = settings.base() + UPLOAD_PATH + ticket;
        ObjectNode out = JSON.createObjectNode();
        out.put("uploadUrl", url).put("method", "PUT").put("expiresAt", clock.instant().plus(ttl).toString())
                .put("maxBytes", max).put("name", bound.fileName())
                .put("curl", "curl -T '" + bound.fileName() + "' " + url)
                .put("note", "Works once, for one file with its Content-Length; the answer names what was created.");
        return ToolResults.text(out.toString());
    }

    private static CallToolResult quotaReached() {
        return ToolResults.error("You already hold the most file links this server allows at once "
                + "(MS365_MCP_FILE_LINKS_PER_USER). Use or let expire the ones you have, then ask again.");
    }

    /** Stores a new ticket; null when the user has no free slot. */
    private String mint(String principal, Duration ttl, ContentLink download, UploadLink upload) {
        String ticket = Secrets.random(32);
        String hash = Secrets.hash(ticket);
        String owner = principal == null ? "" : principal;
        String slot = null;
        String userKey = SLOT + Secrets.hash(owner) + ":";
        for (int i = 0; i < settings.perUser() && slot == null; i++) {
            if (store.putIfAbsent(userKey + i, hash.getBytes(StandardCharsets.UTF_8), ttl)) {
                slot = userKey + i;
            }
        }
        if (slot == null) {
            return null;
        }
        Ticket t = new Ticket(owner, clock.millis() + ttl.toMillis(), slot, download, upload);
        store.put(KEY + hash, JSON.writeValueAsBytes(t), ttl);
        return ticket;
    }

    /** The ticket's grant if it is known and live; nothing is used up. */
    public Optional<Ticket> peek(String ticket) {
        if (ticket == null || ticket.isEmpty() || ticket.length() > 100) {
            return Optional.empty();
        }
        return store.get(KEY + Secrets.hash(ticket)).flatMap(this::live);
    }

    /**
     * Uses the ticket up: true for exactly one of any number of concurrent callers (across replicas), and only
     * while it is live. Its slot is freed.
     */
    public boolean consume(String ticket) {
        String hash = Secrets.hash(ticket);
        Optional<Ticket> taken = store.take(KEY + hash).flatMap(this::live);
        taken.ifPresent(t -> {
            // The slot may have expired and gone to a newer link: free it only if it is still this one's.
            Optional<byte[]> holder = store.get(t.slot());
            if (holder.isPresent() && Arrays.equals(holder.get(), hash.getBytes(StandardCharsets.UTF_8))) {
                store.delete(t.slot());
            }
        });
        return taken.isPresent();
    }

    private Optional<Ticket> live(byte[] stored) {
        try {
            Ticket t = JSON.readValue(stored, Ticket.class);
            return t.expiresAtMs() > clock.millis() ? Optional.of(t) : Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }
}
