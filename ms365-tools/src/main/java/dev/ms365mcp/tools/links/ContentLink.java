package dev.ms365mcp.tools.links;

/**
 * What a download link fetches: the Graph GET a bytes tool would have made, for the user who called it.
 *
 * @param tool     the tool that was called (download-bytes...)
 * @param fileName a name for the file the person saves (from the path; never trusted as a header value as is)
 */
public record ContentLink(String tool, StoredCall call, String fileName) {
}
