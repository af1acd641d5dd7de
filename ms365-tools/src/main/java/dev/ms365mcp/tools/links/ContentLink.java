package dev.ms365mcp.tools.links;

/**
 * What a download link fetches: the Graph GET a bytes tool would have made, for the user who called it.
 *
 * @param tool     the tool that was called (download-bytes...)
 * @param fileName a name for the file the person saves (the drive item's, else from the path)
 * @param mimeType the drive item's type, or null when unknown
 * @param size     the drive item's size in bytes, or null when unknown (not a drive item, or converted)
 */
public record ContentLink(String tool, StoredCall call, String fileName, String mimeType, Long size) {
}
