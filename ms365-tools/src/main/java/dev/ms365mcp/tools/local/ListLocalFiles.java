package dev.ms365mcp.tools.local;

import dev.ms365mcp.tools.ToolResults;
import dev.ms365mcp.tools.execution.FilesFolder;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code list-local-files}: what is in the files folder (name, size, modification time), so a model can
 * name a file for upload-file-from-path or add-mail-attachment-from-path, or find what it downloaded.
 */
public final class ListLocalFiles implements LocalTool {

    public static final String NAME = "list-local-files";
    /** More than this many files are cut off: the listing is for picking a file, not an inventory. */
    static final int MAX_FILES = 200;

    private final FilesFolder folder;

    public ListLocalFiles(FilesFolder folder) {
        this.folder = folder;
    }

    @Override
    public CallToolResult call(Map<String, Object> arguments) {
        List<FilesFolder.Entry> files;
        try {
            files = folder.list();
        } catch (IOException | RuntimeException e) {
            return ToolResults.error("The files folder " + folder.path() + " cannot be read (" + e.getClass().getSimpleName()
                    + "); set MS365_MCP_FILES_DIR to a readable folder.");
        }
        StringBuilder out = new StringBuilder("Files folder " + folder.path() + " (" + files.size() + " files, newest first):");
        files.stream().limit(MAX_FILES).forEach(f -> out.append('\n').append(f.name()).append('\t').append(f.size())
                .append(" bytes\t").append(f.modified().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        if (files.size() > MAX_FILES) {
            out.append("\n(").append(files.size() - MAX_FILES).append(" older files not shown)");
        }
        return ToolResults.text(out.toString());
    }
}
