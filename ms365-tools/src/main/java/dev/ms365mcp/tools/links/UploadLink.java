package dev.ms365mcp.tools.links;

/**
 * Where an upload link's bytes go: the drive folder or draft a from-path upload tool would have sent a
 * local file to, checked and built when the link was asked for.
 *
 * @param tool             the equivalent upload tool (upload-file-from-path, add-mail-attachment-from-path,
 *                         add-shared-mailbox-attachment-from-path): its rules apply
 * @param call             its request to the folder ({@code .../items/{parentId}}) or the draft's attachments
 * @param fileName         the name of what is created
 * @param conflictBehavior rename, replace or fail (drive uploads)
 * @param maxBytes         the largest body the link takes (the caller's cap, at most the target's limit)
 */
public record UploadLink(String tool, StoredCall call, String fileName, String conflictBehavior, long maxBytes) {
}
