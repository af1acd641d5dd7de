package dev.ms365mcp.tools;

import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The schema validator to give the SDK's server builder. The SDK checks every registered tool's
 * input schema against the JSON Schema 2020-12 meta-schema at start-up — for 344 tools, a large
 * share of start-up time. Catalog schemas are checked against that meta-schema when the project is
 * built ({@code CatalogTest}), so for exactly those schema objects the check is not repeated; any
 * other schema (an embedder's own tools) is checked as usual. The real validator, which also checks
 * call arguments, is created on first use.
 */
final class CatalogSchemaValidator implements JsonSchemaValidator {

    private final Set<Map<String, Object>> prevalidated = Collections.newSetFromMap(new IdentityHashMap<>());
    private volatile JsonSchemaValidator delegate;

    void prevalidated(Map<String, Object> schema) {
        prevalidated.add(schema);
    }

    @Override
    public ValidationResponse validateSchema(Map<String, Object> schema) {
        return prevalidated.contains(schema) ? ValidationResponse.asValid(null) : delegate().validateSchema(schema);
    }

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
        return delegate().validate(schema, structuredContent);
    }

    private JsonSchemaValidator delegate() {
        JsonSchemaValidator d = delegate;
        if (d == null) {
            synchronized (this) {
                d = delegate;
                if (d == null) {
                    d = new DefaultJsonSchemaValidator();
                    delegate = d;
                }
            }
        }
        return d;
    }
}
