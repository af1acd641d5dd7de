package dev.ms365mcp.tools.selection;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether a set of granted (allowed) delegated scopes covers the scopes a tool needs, knowing that
 * {@code X.ReadWrite} includes {@code X.Read} and {@code X.*.All} includes the same scope without
 * {@code .All} ({@code Files.ReadWrite.All} covers {@code Files.Read}).
 */
public final class ScopeCoverage {

    private final Set<String> granted;

    public ScopeCoverage(Set<String> granted) {
        this.granted = granted.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** All of {@code needed} are covered (an empty list needs nothing). */
    public boolean coversAll(List<String> needed) {
        return needed.stream().allMatch(this::covers);
    }

    public boolean covers(String scope) {
        String s = scope.toLowerCase(Locale.ROOT);
        if (granted.contains(s)) {
            return true;
        }
        for (String g : granted) {
            if (implies(g, s)) {
                return true;
            }
        }
        return false;
    }

    /** {@code a} implies {@code b}: same resource, at least as much access, at least as wide. */
    private static boolean implies(String a, String b) {
        Parts pa = Parts.of(a);
        Parts pb = Parts.of(b);
        return pa.resource.equals(pb.resource)
                && (pa.access.equals(pb.access) || pa.access.equals("readwrite") && pb.access.equals("read"))
                && pa.qualifier.equals(pb.qualifier)
                && (pa.all || !pb.all);
    }

    /** {@code Mail.ReadWrite.Shared} is resource mail, access readwrite, qualifier shared. */
    private record Parts(String resource, String access, String qualifier, boolean all) {
        static Parts of(String scope) {
            String[] p = scope.split("\\.");
            boolean all = p[p.length - 1].equals("all");
            int end = all ? p.length - 1 : p.length;
            int accessAt = -1;
            for (int i = 0; i < end; i++) {
                if (p[i].equals("read") || p[i].equals("readwrite")) {
                    accessAt = i;
                    break;
                }
            }
            if (accessAt < 0) {
                return new Parts(scope, "", "", false);
            }
            String resource = String.join(".", java.util.Arrays.copyOfRange(p, 0, accessAt));
            String qualifier = String.join(".", java.util.Arrays.copyOfRange(p, accessAt + 1, end));
            return new Parts(resource, p[accessAt], qualifier, all);
        }
    }
}
