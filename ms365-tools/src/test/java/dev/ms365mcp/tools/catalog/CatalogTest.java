package dev.ms365mcp.tools.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import dev.ms365mcp.tools.catalog.Param.Location;
import dev.ms365mcp.tools.catalog.ToolDef.HttpMethod;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every catalog row is well-formed: name, method, path, description, scopes, and a small valid schema. */
class CatalogTest {

    private static final Pattern KEBAB = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]+)}");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Schema META = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012())
            .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    @Test
    void namesAreUniqueKebabCase() {
        Set<String> seen = new HashSet<>();
        for (ToolDef t : Catalog.builtIn().tools()) {
            assertThat(t.name()).matches(KEBAB);
            assertThat(seen.add(t.name())).as("duplicate %s", t.name()).isTrue();
        }
    }

    @Test
    void metaSchemaRejectsABrokenSchema() {
        // Proves the validator below is live: a schema with a non-string type must fail.
        assertThat(META.validate(JSON.readTree("{\"type\":5}"))).isNotEmpty();
    }

    @TestFactory
    Stream<DynamicTest> everyRow() {
        return Catalog.builtIn().tools().stream().map(t -> DynamicTest.dynamicTest(t.name(), () -> check(t)));
    }

    private void check(ToolDef t) {
        assertThat(t.description()).as("description").isNotBlank().doesNotContain("TODO");
        assertThat(t.description().length()).as("description length").isLessThanOrEqualTo(300);
        if (t.method() != HttpMethod.LOCAL) {
            assertThat(t.path()).startsWith("/").doesNotContain("//");
            if (t.scopesFromTarget()) {
                // Only rows that reach a caller-chosen endpoint (a target path, batch steps) borrow its scopes.
                assertThat(t.scopes()).as("scopes come from the target").isEmpty();
                assertThat(t.response() == ToolDef.ResponseKind.BATCH
                        || t.params().stream().anyMatch(p -> Param.GRAPH_PATH.equals(p.format())))
                        .as("scopesFromTarget needs a graphPath parameter or batch steps").isTrue();
            } else {
                assertThat(t.scopes()).as("scopes").isNotEmpty();
            }
            List<String> placeholders = new ArrayList<>();
            Matcher m = PLACEHOLDER.matcher(t.path());
            while (m.find()) {
                placeholders.add(m.group(1));
            }
            List<String> pathParams = t.params().stream().filter(p -> p.in() == Location.PATH).map(Param::name).toList();
            assertThat(pathParams).as("path parameters match placeholders").containsExactlyInAnyOrderElementsOf(placeholders);
        }
        assertThat(t.apiVersion()).isIn("v1.0", "beta");
        if (t.params().stream().anyMatch(p -> p.in() == Location.BODY)) {
            assertThat(t.method()).as("a body needs POST, PATCH or PUT").isIn(HttpMethod.POST, HttpMethod.PATCH, HttpMethod.PUT);
        }

        JsonNode schema = t.inputSchema();
        assertThat(META.validate(schema)).as("valid JSON Schema 2020-12").isEmpty();
        String text = schema.toString();
        assertThat(text).doesNotContain("\"$ref\"").doesNotContain("\"$defs\"").doesNotContain("\"definitions\"");
        assertDescribed(schema.path("properties"), t.name(), 0);
    }

    /**
     * Every property, at every depth, has a type; every argument also a non-empty description. Members of
     * a body are named and typed, described where the name does not say it all: a description that only
     * repeats the name ({@code subject}: "Subject") would be paid for on every turn.
     */
    private static void assertDescribed(JsonNode properties, String where, int depth) {
        properties.properties().forEach(e -> {
            JsonNode p = e.getValue();
            String at = where + "." + e.getKey();
            if (depth == 0) {
                assertThat(p.path("description").asString("")).as("description of %s", at).isNotBlank();
            }
            assertThat(p.has("type")).as("type of %s", at).isTrue();
            assertDescribed(p.path("properties"), at, depth + 1);
            assertDescribed(p.path("items").path("properties"), at + "[]", depth + 1);
        });
    }
}
