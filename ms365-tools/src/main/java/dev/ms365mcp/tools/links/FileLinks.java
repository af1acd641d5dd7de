package dev.ms365mcp.tools.links;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

/**
 * Files by link, for a server whose users are not on its machine (the HTTP launcher): a tool that would
 * return a file's bytes returns a short-lived link to them instead, and {@code create-upload-link} hands out a
 * URL to send a file to. The tools check and build the Graph request as for any call (arguments, read-only
 * mode, the caller's token, the safety rules); an implementation stores it for the caller and says where to
 * go. Redeeming goes through {@link dev.ms365mcp.tools.Ms365Tools#fetchContent} and
 * {@link dev.ms365mcp.tools.Ms365Tools#upload}.
 */
public interface FileLinks {

    /** The result for the model: a link to the content, bound to {@code principal}. */
    CallToolResult download(ContentLink content, String principal);

    /** The result for the model: an upload URL bound to {@code principal}, or why none is given (quota). */
    CallToolResult upload(UploadLink upload, String principal);
}
