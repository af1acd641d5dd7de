package dev.ms365mcp.tools.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.tools.catalog.Param.Location;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The drop-in contract: our rows match the reference's by name, method, path, mode and argument names. */
class ToolParityTest {

    private static final Map<String, ParityRow> REFERENCE = ParityRow.all();
    /** Arguments the executor accepts on every tool without listing them. */
    private static final Set<String> TOLERATED = Set.of("fetchAllPages", "account");

    /**
     * Where the reference's request is one Graph rejects or misreads, ours follows Graph's documentation
     * (issue 12): method and path as Graph documents them, and the arguments that shape needs.
     */
    private static final Map<String, Corrected> CORRECTED = Map.of(
            // tablerow-update / tablerow-delete: itemAt(index=) supports only GET
            "update-excel-table-row", new Corrected("PATCH",
                    "/drives/{}/items/{}/workbook/tables/{}/rows/{}", Set.of()),
            "delete-excel-table-row", new Corrected("DELETE",
                    "/drives/{}/items/{}/workbook/tables/{}/rows/{}", Set.of()),
            // rangesort-apply: POST .../range(address='...')/sort/apply, so the range is needed
            "sort-excel-range", new Corrected("POST",
                    "/drives/{}/items/{}/workbook/worksheets/{}/range(address='{}')/sort/apply", Set.of("address")),
            // listitem-update: column values are changed through .../fields
            "update-sharepoint-list-item", new Corrected("PATCH", "/sites/{}/lists/{}/items/{}/fields", Set.of()));

    /** A reference row corrected to Graph's documented request; {@code extraRequired}: arguments that request needs. */
    private record Corrected(String method, String shape, Set<String> extraRequired) {
    }

    /** Rows that write on this machine: never read-only here, although the reference marks them so. */
    private static final Set<String> WRITES_LOCAL_FILES = Set.of("download-bytes-to-file");

    @org.junit.jupiter.api.Test
    void ourOwnRowsAreNamedAndNotTheReferences() {
        assertThat(REFERENCE.keySet()).doesNotContainAnyElementsOf(ParityRow.OURS_ONLY);
        assertThat(Catalog.builtIn().tools().stream().map(ToolDef::name).filter(n -> !REFERENCE.containsKey(n)))
                .containsExactlyInAnyOrderElementsOf(ParityRow.OURS_ONLY);
    }

    @TestFactory
    Stream<DynamicTest> everyCatalogRowMatchesTheReference() {
        return Catalog.builtIn().tools().stream().filter(t -> !ParityRow.OURS_ONLY.contains(t.name()))
                .map(t -> DynamicTest.dynamicTest(t.name(), () -> {
            ParityRow ref = REFERENCE.get(t.name());
            assertThat(ref).as("%s is a reference tool", t.name()).isNotNull();
            Corrected fix = CORRECTED.get(t.name());
            assertThat(t.method().name()).isEqualTo(fix != null ? fix.method() : ref.method());
            if (ref.hasGraphPath()) {
                String ours = (t.apiVersion().equals("beta") ? "/beta" : "") + t.path();
                assertThat(ParityRow.shape(ours)).isEqualTo(fix != null ? fix.shape() : ParityRow.shape(ref.path()));
            }
            if (!ref.scopes().isEmpty()) {
                assertThat(t.scopes()).containsExactlyInAnyOrderElementsOf(ref.scopes());
                assertThat(t.altScopes()).containsExactlyInAnyOrderElementsOf(ref.altScopes());
            }
            assertThat(t.orgOnly()).as("org mode only").isEqualTo(ref.orgOnly());
            assertThat(t.readOnly()).as("read-only safe")
                    .isEqualTo(ref.readOnly() && !WRITES_LOCAL_FILES.contains(t.name()));

            Set<String> accepted = t.params().stream().map(Param::name).collect(Collectors.toCollection(HashSet::new));
            accepted.addAll(TOLERATED);
            Set<String> required = t.params().stream().filter(Param::required).map(Param::name).collect(Collectors.toSet());
            assertThat(accepted).as("accepts the reference's arguments").containsAll(ref.required()).containsAll(ref.optional());
            Set<String> allowed = new HashSet<>(ref.required());
            if (fix != null) {
                allowed.addAll(fix.extraRequired());
            }
            assertThat(allowed).as("requires nothing the reference does not").containsAll(required);
        }));
    }

    @Test
    void mailAreaIsComplete() {
        List<String> expected = REFERENCE.values().stream()
                .filter(r -> !r.orgOnly() && r.path().matches(
                        "/me/(messages|mailFolders|sendMail|outlook|inferenceClassification|mailboxSettings|getMailTips).*"))
                .map(ParityRow::name).toList();
        assertThat(expected).hasSize(43);
        assertThat(Catalog.builtIn().tools().stream().map(ToolDef::name)).containsAll(expected);
    }

    @Test
    void pathParametersAreRequiredStrings() {
        Catalog.builtIn().tools().forEach(t -> t.params().stream().filter(p -> p.in() == Location.PATH)
                .forEach(p -> assertThat(p.required()).as("%s.%s", t.name(), p.name()).isTrue()));
    }
}
