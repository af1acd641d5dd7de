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
import java.nio.file.Path;
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
    private final FilesFolder folder;

    /** {@code folder}: the only folder download-bytes-to-file writes into. */
    Downloads(GraphClient graph, JsonMapper json, ResultShaper shaper, GraphErrorMessages errors, FilesFolder folder) {
        this.folder = folder;
        this.graph = graph;
        this.json = json;
        this.shaper = shaper;
        this.errors = errors;
    }

    /** The new file {@code outputPath} names inside the files folder, checked before anything is sent. */
    Path newFile(Object outputPath) {
        return folder.newFile(outputPath, "outputPath");
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
