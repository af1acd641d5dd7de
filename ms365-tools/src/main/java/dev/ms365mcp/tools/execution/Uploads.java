package dev.ms365mcp.tools.execution;

import static dev.ms365mcp.tools.ToolResults.error;

import dev.ms365mcp.tools.ToolResults;
import dev.ms365mcp.tools.catalog.ToolDef;
import dev.ms365mcp.tools.graph.GraphCall;
import dev.ms365mcp.tools.graph.GraphClient;
import dev.ms365mcp.tools.graph.GraphResponse;
import dev.ms365mcp.tools.graph.GraphUnreachableException;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local file from the files folder sent to Graph without the bytes ever passing through the model:
 * a drive item (simple PUT up to 4 MiB, else an upload session) or a draft's attachment (inline up to
 * 3 MB, else an attachment upload session up to 150 MB). Sessions are driven here in chunks read from
 * disk one at a time, so memory stays at one chunk whatever the file's size; after a failed chunk the
 * session is asked which ranges it still expects and the upload carries on from there.
 */
final class Uploads {

    private static final Logger log = LoggerFactory.getLogger(Uploads.class);

    /** Graph's limit for {@code PUT .../content}. */
    static final long DRIVE_SIMPLE_MAX = 4L * 1024 * 1024;
    /** Outlook's limit for an inline fileAttachment, and for an attachment session. */
    static final long ATTACHMENT_INLINE_MAX = 3L * 1024 * 1024;
    static final long ATTACHMENT_SESSION_MAX = 150L * 1024 * 1024;
    /** Chunks must be multiples of 320 KiB; drive chunks 5 MiB, attachment chunks under Outlook's 4 MB. */
    static final int UNIT = 320 * 1024;
    static final int DRIVE_CHUNK = 16 * UNIT;
    static final int ATTACHMENT_CHUNK = 12 * UNIT;
    /** How often one upload resumes after failed chunks before it gives up. */
    static final int MAX_RESUMES = 5;
    private static final Set<String> CONFLICT = Set.of("rename", "replace", "fail");

    private final GraphClient graph;
    private final JsonMapper json;
    private final ResultShaper shaper;
    private final GraphErrorMessages errors;
    private final FilesFolder folder;

    Uploads(GraphClient graph, JsonMapper json, ResultShaper shaper, GraphErrorMessages errors, FilesFolder folder) {
        this.graph = graph;
        this.json = json;
        this.shaper = shaper;
        this.errors = errors;
        this.folder = folder;
    }

    /** The local file the {@code path} argument names, checked before anything is sent. */
    Path source(Map<String, Object> args) {
        return folder.existingFile(args.get("path"), "path");
    }

    /** Sends {@code file} into the folder {@code parent} addresses ({@code .../items/{id}}). */
    CallToolResult toDrive(ToolDef tool, GraphCall parent, UploadSource file, Map<String, Object> args, Progress progress)
            throws IOException {
        String name = remoteName(args, file);
        String conflict = args.get("conflictBehavior") instanceof String c && !c.isBlank() ? c.strip() : "rename";
        if (!CONFLICT.contains(conflict)) {
            throw new InvalidArgumentException("conflictBehavior must be rename, replace or fail. Nothing was uploaded.");
        }
        long size = file.size();
        Map<String, String> values = new LinkedHashMap<>(parent.pathValues());
        values.put("uploadName", name);
        if (size <= DRIVE_SIMPLE_MAX) {
            GraphCall put = new GraphCall("PUT", parent.pathTemplate() + ":/{uploadName}:/content", values,
                    Map.of("%40microsoft.graph.conflictBehavior", conflict), parent.headers(), file.all(),
                    "application/octet-stream", null);
            GraphResponse r = graph.send(put);
            if (!r.ok()) {
                return error(errors.describe(tool, r));
            }
            progress.report(size, (double) size, "Uploaded " + size + " bytes");
            return created(r, size);
        }
        ObjectNode item = json.createObjectNode();
        item.putObject("item").put("@microsoft.graph.conflictBehavior", conflict).put("name", name);
        GraphCall create = new GraphCall("POST", parent.pathTemplate() + ":/{uploadName}:/createUploadSession", values,
                Map.of(), parent.headers(), json.writeValueAsBytes(item), "application/json", null);
        return session(tool, create, file, size, DRIVE_CHUNK, progress);
    }

    /** Attaches {@code file} to the draft whose {@code .../attachments} collection {@code attachments} addresses. */
    CallToolResult toDraft(ToolDef tool, GraphCall attachments, UploadSource file, Map<String, Object> args,
            Progress progress) throws IOException {
        String name = remoteName(args, file);
        long size = file.size();
        if (size > ATTACHMENT_SESSION_MAX) {
            return error(file.name() + " is " + size + " bytes; Outlook takes attachments up to 150 MB. Share it "
                    + "from OneDrive instead (upload-file-from-path, then create-sharing-link). Nothing was uploaded.");
        }
        if (size <= ATTACHMENT_INLINE_MAX) {
            ObjectNode body = json.createObjectNode();
            body.put("@odata.type", "#microsoft.graph.fileAttachment").put("name", name)
                    .put("contentBytes", Base64.getEncoder().encodeToString(file.all()));
            GraphResponse r = graph.send(new GraphCall("POST", attachments.pathTemplate(), attachments.pathValues(),
                    Map.of(), attachments.headers(), json.writeValueAsBytes(body), "application/json", null));
            if (!r.ok()) {
                return error(errors.describe(tool, r));
            }
            progress.report(size, (double) size, "Attached " + size + " bytes");
            return created(r, size);
        }
        ObjectNode body = json.createObjectNode();
        body.putObject("AttachmentItem").put("attachmentType", "file").put("name", name).put("size", size);
        GraphCall create = new GraphCall("POST", attachments.pathTemplate() + "/createUploadSession",
                attachments.pathValues(), Map.of(), attachments.headers(), json.writeValueAsBytes(body), "application/json",
                null);
        return session(tool, create, file, size, ATTACHMENT_CHUNK, progress);
    }

    private static String remoteName(Map<String, Object> args, UploadSource file) {
        String name = args.get("name") instanceof String n && !n.isBlank() ? n.strip() : file.name();
        if (name.contains("/") || name.contains("\\") || name.contains(":")) {
            throw new InvalidArgumentException("name must be a plain file name without / \\ or :. Nothing was uploaded.");
        }
        return name;
    }

    /** Creates the session, then sends the file chunk by chunk to its pre-authenticated URL (no token). */
    private CallToolResult session(ToolDef tool, GraphCall create, UploadSource file, long size, int chunk,
            Progress progress)
            throws IOException {
        GraphResponse created = graph.send(create);
        if (!created.ok()) {
            return error(errors.describe(tool, created));
        }
        URI url;
        try {
            url = URI.create(json.readTree(created.body()).path("uploadUrl").asString(""));
        } catch (JacksonException | IllegalArgumentException e) {
            url = null;
        }
        if (url == null || url.getScheme() == null || !url.getScheme().equalsIgnoreCase("https")
                && !graph.sameOrigin(url)) {
            return error("Microsoft Graph did not return a usable upload URL. Nothing was uploaded.");
        }
        byte[] buffer = new byte[chunk];
        int resumes = 0;
        long offset = 0;
        long reported = 0;
        while (true) {
            int length = (int) Math.min(chunk, size - offset);
            byte[] body;
            try {
                body = file.chunk(offset, buffer, length);
            } catch (IOException e) {
                cancel(url);
                throw e;
            }
            String range = "bytes " + offset + "-" + (offset + length - 1) + "/" + size;
            GraphResponse r;
            try {
                r = graph.send(new GraphCall("PUT", null, Map.of(), Map.of(), List.of(Map.entry("Content-Range", range)),
                        body, "application/octet-stream", url));
            } catch (GraphUnreachableException e) {
                r = null;
            }
            if (r != null && (r.status() == 200 || r.status() == 201)) {
                progress.report(size, (double) size, "Uploaded " + size + " bytes");
                return created(r, size);
            }
            Long next = r != null && r.status() == 202 ? nextExpected(r) : null;
            if (next == null) {
                if (r != null && r.status() == 404) {
                    return error("The upload session expired or was cancelled after " + offset + " of " + size
                            + " bytes. Call the tool again to start over.");
                }
                if (++resumes > MAX_RESUMES) {
                    return error("The upload failed " + resumes + " times at byte " + offset + " of " + size
                            + (r == null ? "" : " (" + errors.describe(tool, r) + ")") + ". Try again later.");
                }
                log.warn("Upload chunk {} failed ({}); asking the session where to resume", range,
                        r == null ? "no answer" : "HTTP " + r.status());
                next = status(url);
                if (next == null) {
                    return error("The upload session no longer answers after " + offset + " of " + size
                            + " bytes. Call the tool again to start over.");
                }
            }
            // MCP progress only ever grows: a resume that goes back to a chunk already counted says nothing.
            if (next > reported) {
                reported = next;
                progress.report(next, (double) size, "Uploaded " + next + " of " + size + " bytes");
            }
            offset = next;
        }
    }

    /** Ends a session whose source failed, so Graph keeps no half-uploaded item around (best effort). */
    private void cancel(URI url) {
        try {
            graph.send(new GraphCall("DELETE", null, Map.of(), Map.of(), List.of(), null, null, url));
        } catch (RuntimeException e) {
            log.debug("Cancelling an upload session failed: {}", e.getClass().getSimpleName());
        }
    }

    /** The session's status: where its first expected range starts, or null when it cannot say. */
    private Long status(URI url) {
        try {
            GraphResponse r = graph.send(GraphCall.followLink(url, List.of()));
            return r.ok() ? nextExpected(r) : null;
        } catch (GraphUnreachableException e) {
            return null;
        }
    }

    private Long nextExpected(GraphResponse r) {
        try {
            JsonNode ranges = json.readTree(r.body()).path("nextExpectedRanges");
            String first = ranges.path(0).asString("");
            int dash = first.indexOf('-');
            return first.isEmpty() ? null : Long.parseLong(dash < 0 ? first : first.substring(0, dash));
        } catch (JacksonException | NumberFormatException e) {
            return null;
        }
    }

    /** What was created: id, name, webUrl, size; never the bytes. */
    private CallToolResult created(GraphResponse r, long size) {
        ObjectNode out = json.createObjectNode();
        JsonNode item = null;
        try {
            item = r.body().length == 0 ? null : json.readTree(r.body());
        } catch (JacksonException e) {
            item = null;
        }
        for (String f : List.of("id", "name", "webUrl", "size")) {
            if (item != null && item.hasNonNull(f)) {
                out.set(f, item.get(f));
            }
        }
        if (!out.has("size")) {
            out.put("size", size);
        }
        String location = r.header("location");
        if (!out.has("id") && location != null) {
            out.put("location", location);
        }
        return ToolResults.text(shaper.shapeJson(out));
    }
}
