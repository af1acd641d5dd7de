package dev.ms365mcp.tools.execution;

import dev.ms365mcp.tools.catalog.ToolDef;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scopes of a call whose row declares none ({@code download-bytes}, {@code graph-batch}...): those
 * of the catalog row that reaches the same Graph endpoint — the row of the same method whose path
 * template matches the most leading segments of the target ({@code /drives/x/items/y/content} is read
 * with {@code /drives/{driveId}/items/{driveItemId}}'s scopes). With no match: {@code User.Read}, which
 * still yields a token carrying every permission already consented for Graph.
 */
final class TargetScopes {

    static final List<String> FALLBACK = List.of("User.Read");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}]*}");

    private record Template(String method, List<Pattern> segments, List<String> scopes) {
    }

    private final List<ToolDef> catalog;
    /**
     * Built on the first call that needs it, not at start-up: over a thousand path-segment patterns
     * that most sessions never use (only rows without scopes ask).
     */
    private volatile List<Template> templates;

    TargetScopes(List<ToolDef> catalog) {
        this.catalog = catalog;
    }

    private List<Template> templates() {
        List<Template> built = templates;
        if (built == null) {
            built = new ArrayList<>();
            for (ToolDef t : catalog) {
                if (t.method() == ToolDef.HttpMethod.LOCAL || t.scopes().isEmpty()) {
                    continue;
                }
                List<Pattern> segments = GraphPaths.resourceSegments(t.path()).stream().map(TargetScopes::segment).toList();
                built.add(new Template(t.method().name(), segments, t.scopes()));
            }
            templates = built = List.copyOf(built);
        }
        return built;
    }

    /** {@code encodedPath}: below the Graph root, with or without the version, no query. */
    List<String> of(String method, String encodedPath) {
        List<String> target = new ArrayList<>(GraphPaths.resourceSegments(encodedPath));
        if (!target.isEmpty() && (target.get(0).equals("v1.0") || target.get(0).equals("beta"))) {
            target.remove(0);
        }
        Template best = best(method, target);
        return best == null ? FALLBACK : best.scopes();
    }

    private Template best(String method, List<String> target) {
        Template best = null;
        for (Template t : templates()) {
            if (t.method().equals(method) && matchesPrefix(t, target)
                    && (best == null || t.segments().size() > best.segments().size())) {
                best = t;
            }
        }
        return best;
    }

    private static boolean matchesPrefix(Template t, List<String> target) {
        if (t.segments().isEmpty() || t.segments().size() > target.size()) {
            return false;
        }
        for (int i = 0; i < t.segments().size(); i++) {
            if (!t.segments().get(i).matcher(target.get(i)).matches()) {
                return false;
            }
        }
        return true;
    }

    /** {@code search(q='{q}')} matches any {@code search(q='...')}. */
    private static Pattern segment(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append(".*");
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }
}
