package dev.ms365mcp.tools.execution;

import dev.ms365mcp.tools.ToolResults;
import dev.ms365mcp.tools.catalog.ToolDef;
import dev.ms365mcp.tools.graph.GraphCall;
import dev.ms365mcp.tools.graph.GraphClient;
import dev.ms365mcp.tools.graph.GraphResponse;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a call can do with content besides returning it: save it to a new local file, or hand back a
 * driveItem's short-lived pre-authenticated download URL.
 */
final class Downloads {

    static final String DOWNLOAD_URL = "@microsoft.graph.downloadUrl";

    private final GraphClient graph;
    private final JsonMapper json;
    private final ResultShaper shaper;
    private final GraphErrorMessages errors;
    private final Path folder;

    /** {@code folder}: the only folder download-bytes-to-file writes into. */
    Downloads(GraphClient graph, JsonMapper json, ResultShaper shaper, GraphErrorMessages errors, Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
        this.graph = graph;
        this.json = json;
        this.shaper = shaper;
        this.errors = errors;
    }

    /**
     * Where download-bytes-to-file may write without {@code MS365_MCP_DOWNLOAD_DIR}: a folder of its
     * own under the user's home, so that content Graph controls never lands in ~/.bashrc and the like.
     */
    static Path defaultFolder() {
        return Path.of(System.getProperty("user.home"), "Downloads", "ms365-mcp");
    }

    /**
     * The new file {@code outputPath} names inside the download folder, checked before anything is
     * sent: a name or relative path inside the folder (an absolute path only if it is inside), no
     * {@code ..}, no symbolic link leading out, a file that does not exist yet. The folder itself is
     * created (mode 0700) on first use; folders inside it are not.
     */
    Path newFile(Object outputPath) {
        if (!(outputPath instanceof String s) || s.isBlank()) {
            throw new InvalidArgumentException("Missing required argument 'outputPath' (a new file name inside the "
                    + "download folder " + folder + ").");
        }
        String text = s.strip();
        Path asked;
        try {
            asked = Path.of(text);
        } catch (InvalidPathException e) {
            throw new InvalidArgumentException("outputPath is not a valid file name. Nothing was downloaded.");
        }
        for (Path part : asked) {
            if (part.toString().equals("..")) {
                throw new InvalidArgumentException("outputPath may not contain '..': files are written only inside the "
                        + "download folder " + folder + ". Nothing was downloaded.");
            }
        }
        Path file = (asked.isAbsolute() ? asked : folder.resolve(asked)).normalize();
        if (!file.startsWith(folder) || file.equals(folder)) {
            throw new InvalidArgumentException("outputPath must be a file inside the download folder " + folder
                    + " (MS365_MCP_DOWNLOAD_DIR), e.g. 'report.pdf'; got '" + s + "'. Nothing was downloaded.");
        }
        Path realFolder = createdFolder();
        Path parent;
        try {
            parent = file.getParent().toRealPath();
        } catch (IOException e) {
            throw new InvalidArgumentException("The folder " + file.getParent() + " does not exist; only the download "
                    + "folder itself is created. Nothing was downloaded.");
        }
        if (!parent.startsWith(realFolder)) {
            throw new InvalidArgumentException("outputPath leads out of the download folder " + folder
                    + " through a symbolic link. Nothing was downloaded.");
        }
        Path target = parent.resolve(file.getFileName().toString());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidArgumentException(folder.relativize(file) + " already exists in the download folder and is "
                    + "never overwritten. Choose a new file name. Nothing was downloaded.");
        }
        return target;
    }

    /** The download folder's real path, creating it private to the user when it does not exist. */
    private Path createdFolder() {
        try {
            if (!Files.isDirectory(folder)) {
                if (folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(folder);
                }
            }
            return folder.toRealPath();
        } catch (IOException e) {
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.FileSystemException f && f.getReason() != null
                            ? f.getReason().toLowerCase(java.util.Locale.ROOT) : "it cannot be written";
            throw new InvalidArgumentException("The download folder " + folder + " cannot be created (" + why
                    + "); set MS365_MCP_DOWNLOAD_DIR to a writable folder. Nothing was downloaded.");
        }
    }

    CallToolResult toFile(ToolDef tool, GraphCall call, Path file) {
        GraphResponse response;
        try {
            response = graph.download(call, file);
        } catch (UncheckedIOException e) {
            String why = e.getCause() instanceof FileAlreadyExistsException ? " already exists and is never overwritten"
                    : " could not be written: " + e.getCause().getMessage();
            return ToolResults.error(file + why + ".");
        }
        if (!response.ok()) {
            return ToolResults.error(errors.describe(tool, response));
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            size = -1;
        }
        String type = response.contentType().isEmpty() ? "" : " (" + response.contentType() + ")";
        return ToolResults.text("Saved " + size + " bytes" + type + " to " + file + ".");
    }

    /** {@code {name, size, downloadUrl}} of a driveItem answer; an error when it has none (a folder). */
    CallToolResult downloadUrl(GraphResponse response) {
        JsonNode item;
        try {
            item = json.readTree(response.body());
        } catch (JacksonException e) {
            return ToolResults.error("The target did not answer with a driveItem; give the item's path without "
                    + "/content, e.g. /me/drive/root:/Docs/report.pdf:");
        }
        String url = item.path(DOWNLOAD_URL).asString("");
        if (url.isBlank()) {
            return ToolResults.error("The item has no download URL: it is a folder, a OneNote package, or not a "
                    + "driveItem. Give a file's path, e.g. /me/drive/root:/Docs/report.pdf:");
        }
        ObjectNode out = json.createObjectNode();
        if (item.has("name")) {
            out.set("name", item.get("name"));
        }
        if (item.has("size")) {
            out.set("size", item.get("size"));
        }
        out.put("downloadUrl", url);
        out.put("note", "Pre-authenticated, valid for about an hour; fetch it without an Authorization header.");
        return ToolResults.text(shaper.shapeJson(out));
    }
}
