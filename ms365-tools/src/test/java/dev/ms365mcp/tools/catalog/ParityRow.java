package dev.ms365mcp.tools.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A row of {@code shared/reference/tool-parity.tsv}: what the TypeScript reference server offers,
 * which our catalog must match by name, method, path and argument names.
 *
 * @param scopes    the first scope set (all needed); empty when the reference declares none
 * @param altScopes scopes of the other sets ({@code A | B}: B also suffices)
 */
public record ParityRow(String name, String method, String path, boolean orgOnly, boolean readOnly,
        List<String> scopes, List<String> altScopes, Set<String> required, Set<String> optional) {

    /** True for utility rows whose "path" is a description, not a Graph path. */
    public boolean hasGraphPath() {
        return path.startsWith("/");
    }

    /**
     * Our tools beyond the reference's 344 (files by reference, issue 15): never in the parity file, checked
     * by their own tests, listed here so every parity check names them instead of silently skipping them.
     */
    public static final java.util.Set<String> OURS_ONLY = java.util.Set.of("upload-file-from-path",
            "add-mail-attachment-from-path", "add-shared-mailbox-attachment-from-path", "list-local-files",
            "create-upload-link");

    /** Of {@link #OURS_ONLY}, the tools only a server with files by link (the HTTP launcher) offers. */
    public static final java.util.Set<String> WITH_FILE_LINKS_ONLY = java.util.Set.of("create-upload-link");

    /** All rows by name, read from the shared folder beside the repository (as CI lays it out). */
    public static Map<String, ParityRow> all() {
        Path tsv = locate();
        try {
            Map<String, ParityRow> rows = new LinkedHashMap<>();
            List<String> lines = Files.readAllLines(tsv);
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                String[] c = line.split("\t", -1);
                List<List<String>> sets = c[5].startsWith("(") ? List.of()
                        : Arrays.stream(c[5].split("\\|")).map(a -> Arrays.stream(a.split(",")).map(String::strip).toList()).toList();
                rows.put(c[0], new ParityRow(c[0], c[1], c[2], c[3].equals("yes"), c[4].equals("yes"),
                        sets.isEmpty() ? List.of() : sets.get(0),
                        sets.stream().skip(1).flatMap(List::stream).toList(), set(c[6]), set(c[7])));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows named, in order; a name the reference does not have fails the test. */
    public static List<ParityRow> named(List<String> names) {
        Map<String, ParityRow> all = all();
        return names.stream().map(n -> {
            ParityRow r = all.get(n);
            if (r == null) {
                throw new AssertionError(n + " is not in tool-parity.tsv");
            }
            return r;
        }).toList();
    }

    /** The path with every placeholder written {@code {}}, to compare templates whatever their names. */
    public static String shape(String path) {
        return path.replaceAll("\\{[^}]+}", "{}");
    }

    private static Set<String> set(String cell) {
        return cell.equals("-") || cell.isBlank() ? Set.of()
                : Arrays.stream(cell.split(",")).map(String::strip).collect(Collectors.toUnmodifiableSet());
    }

    private static Path locate() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared/reference/tool-parity.tsv");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/reference/tool-parity.tsv not found above " + dir
                + "; the repository is expected to sit beside shared/");
    }
}
