package dev.ms365mcp.tools.catalog;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * One catalog row: everything needed to list a tool and to turn a call of it into a Graph request.
 *
 * @param name        tool name (kebab-case, the drop-in contract)
 * @param area        the catalog file it comes from (mail, calendar...)
 * @param method      HTTP method, or {@code LOCAL} for tools answered without Graph
 * @param path        Graph path template without version, placeholders named after arguments
 * @param apiVersion  {@code v1.0} or {@code beta}
 * @param scopes      delegated scopes the call needs
 * @param altScopes   another scope set that also suffices (e.g. {@code Sites.Selected}), may be empty
 * @param orgOnly     listed only in org (work) mode
 * @param readOnly    changes nothing; still listed and callable in read-only mode
 * @param destructive deletes or sends something that cannot be taken back
 * @param contentType content type of the request body
 * @param response    how the response body is read
 * @param presets     preset names this tool belongs to
 * @param inputSchema the JSON Schema clients see
 * @param messages    message bodies the executor adapts both ways, or {@code null}: {@code "teams"} =
 *                    Teams chat/channel messages (HTML bodies read as text; sent text kept safe and
 *                    signed off, see {@code TeamsMessages})
 * @param workbookSession the call changes an Excel workbook: it runs inside a workbook session
 *                    ({@code createSession} with {@code persistChanges}, the call, {@code closeSession})
 * @param scopesFromTarget the row declares no scopes: a call needs the scopes of the Graph endpoint it
 *                    reaches (its {@code target} path or its batch steps), looked up in the catalog
 * @param changesLocalState changes state on this machine only (the token cache): still offered in read-only
 *                    mode, which guards Microsoft 365 data, but not hinted read-only to clients
 * @param keepsEtags  results keep {@code @odata.etag}: a later call of the area needs it ({@code If-Match})
 */
public record ToolDef(String name, String area, HttpMethod method, String path, String apiVersion, String description,
        List<String> scopes, List<String> altScopes, boolean orgOnly, boolean readOnly, boolean destructive,
        List<Param> params, String contentType, ResponseKind response, Set<String> presets, ObjectNode inputSchema,
        String messages, boolean workbookSession, boolean scopesFromTarget, boolean changesLocalState,
        boolean keepsEtags) {

    public enum HttpMethod {
        GET, POST, PATCH, PUT, DELETE, LOCAL
    }

    /** How the executor reads a response body. */
    public enum ResponseKind {
        /** JSON, shaped (compact, annotations dropped, capped) */
        JSON,
        /** text as is ({@code text/plain}, MIME, VTT, HTML) */
        TEXT,
        /** bytes, returned base64 as an embedded resource (textual content types as text) */
        BYTES,
        /** bytes streamed into a new local file named by the {@code outputPath} argument */
        FILE,
        /** a driveItem: only its pre-authenticated {@code @microsoft.graph.downloadUrl} is returned */
        DOWNLOAD_URL,
        /** a JSON {@code $batch}: throttled steps are sent again, answers merged by step id */
        BATCH,
        /** the local file named by {@code path} is uploaded into the drive folder the row's path addresses */
        DRIVE_UPLOAD,
        /** the local file named by {@code path} is attached to the draft whose attachments the row's path addresses */
        ATTACHMENT_UPLOAD;

        /** Reads or writes files on this machine: offered only where local files are allowed. */
        public boolean localFile() {
            return this == FILE || this == DRIVE_UPLOAD || this == ATTACHMENT_UPLOAD;
        }

        /** {@code "downloadUrl"} as written in the catalog becomes {@link #DOWNLOAD_URL}. */
        public static ResponseKind of(String catalogName) {
            return valueOf(catalogName.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT));
        }
    }

    public Optional<Param> param(String argName) {
        return params.stream().filter(p -> p.name().equals(argName)).findFirst();
    }

    /** What clients are told: read-only only when the call changes nothing at all, local state included. */
    public boolean readOnlyHint() {
        return readOnly && !changesLocalState;
    }

    public boolean idempotent() {
        return method != HttpMethod.POST;
    }

    /** True when the tool reads a collection that can be paged through ({@code fetchAllPages}). */
    public boolean pageable() {
        return param("fetchAllPages").isPresent();
    }
}
