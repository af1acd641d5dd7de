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
 */
public record ToolDef(String name, String area, HttpMethod method, String path, String apiVersion, String description,
        List<String> scopes, List<String> altScopes, boolean orgOnly, boolean readOnly, boolean destructive,
        List<Param> params, String contentType, ResponseKind response, Set<String> presets, ObjectNode inputSchema,
        String messages) {

    public enum HttpMethod {
        GET, POST, PATCH, PUT, DELETE, LOCAL
    }

    /** How the executor reads a response body. */
    public enum ResponseKind {
        /** JSON, shaped (compact, annotations dropped, capped) */
        JSON,
        /** text as is ({@code text/plain}, MIME, VTT, HTML) */
        TEXT,
        /** bytes, returned base64 as an embedded resource */
        BYTES
    }

    public Optional<Param> param(String argName) {
        return params.stream().filter(p -> p.name().equals(argName)).findFirst();
    }

    public boolean idempotent() {
        return method != HttpMethod.POST;
    }

    /** True when the tool reads a collection that can be paged through ({@code fetchAllPages}). */
    public boolean pageable() {
        return param("fetchAllPages").isPresent();
    }
}
