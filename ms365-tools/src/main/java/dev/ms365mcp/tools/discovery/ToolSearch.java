package dev.ms365mcp.tools.discovery;

import dev.ms365mcp.tools.catalog.ToolDef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Ranks tools for a plain-language request ("send a message in a Teams channel"). Words are matched
 * against each tool's name (weighted most), Graph path and description, weighted by how rare they
 * are among the tools, after a small synonym table maps everyday words to Graph's ("email" to mail,
 * "meeting" to event). Name words nobody asked for count against a tool, so the general tool beats
 * its more specific siblings.
 */
final class ToolSearch {

    private static final Set<String> STOP = Set.of("a", "an", "the", "to", "in", "on", "of", "for", "me", "i",
            "and", "or", "with", "from", "by", "at", "into", "is", "are", "be", "it", "this", "that", "all", "some",
            "what", "s", "do", "can", "please", "about", "up", "off", "our", "your", "them", "their", "its");
    // "my" is not a stop word: it tells get-my-manager from get-user-manager.

    private static final double UNASKED_NAME_WORD = 1.0;

    private record Doc(ToolDef tool, Set<String> name, Set<String> path, Set<String> words) {
    }

    private final List<Doc> docs = new ArrayList<>();
    private final Map<String, Integer> df = new HashMap<>();
    private final Map<String, List<String>> synonyms;

    ToolSearch(List<ToolDef> tools, Map<String, List<String>> synonyms) {
        this.synonyms = synonyms;
        for (ToolDef t : tools) {
            Set<String> name = stems(t.name().replace('-', ' '));
            Set<String> path = stems(t.path().replaceAll("\\{[^}]*}", " ").replaceAll("([a-z])([A-Z])", "$1 $2"));
            Set<String> words = stems(t.description());
            docs.add(new Doc(t, name, path, words));
            Set<String> all = new HashSet<>(name);
            all.addAll(path);
            all.addAll(words);
            all.forEach(w -> df.merge(w, 1, Integer::sum));
        }
    }

    /** The best {@code limit} tools for {@code query}, best first; tools scoring nothing are left out. */
    List<ToolDef> search(String query, int limit) {
        List<Set<String>> terms = new ArrayList<>();
        boolean plural = java.util.Arrays.stream(query.toLowerCase(Locale.ROOT).split("[^a-z0-9]+"))
                .anyMatch(w -> !w.isEmpty() && !STOP.contains(w) && !stem(w).equals(w));
        if (plural) {
            // "read messages" asks for many: a hint towards list-*.
            terms.add(Set.of("list"));
        }
        for (String w : stems(query)) {
            Set<String> expanded = new LinkedHashSet<>();
            expanded.add(w);
            synonyms.getOrDefault(w, List.of()).forEach(s -> expanded.add(stem(s)));
            terms.add(expanded);
        }
        record Scored(ToolDef tool, double score) {
        }
        Set<String> asked = new HashSet<>();
        terms.forEach(asked::addAll);
        List<Scored> scored = new ArrayList<>();
        for (Doc d : docs) {
            double score = 0;
            for (Set<String> term : terms) {
                // The best reading of a word counts fully, its other readings half ("email" is mail and message).
                double best = 0;
                double all = 0;
                for (String e : term) {
                    double weight = ((d.name.contains(e) ? 3.0 : 0) + (d.path.contains(e) ? 1.5 : 0)
                            + (d.words.contains(e) ? 1.0 : 0)) * idf(e);
                    best = Math.max(best, weight);
                    all += weight;
                }
                score += best + 0.5 * (all - best);
            }
            if (score > 0) {
                // A name with words the request did not ask for is a more specific sibling:
                // "create-specific-calendar-event" loses to "create-calendar-event".
                double unasked = d.name.stream().filter(w -> !asked.contains(w)).mapToDouble(this::idf).sum();
                scored.add(new Scored(d.tool, score - UNASKED_NAME_WORD * unasked));
            }
        }
        return scored.stream()
                .sorted(Comparator.comparingDouble(Scored::score).reversed()
                        .thenComparingInt(s -> s.tool().name().length()))
                .limit(limit)
                .map(Scored::tool)
                .toList();
    }

    private double idf(String word) {
        return Math.log(1.0 + (double) docs.size() / df.getOrDefault(word, 1));
    }

    private static Set<String> stems(String text) {
        Set<String> out = new LinkedHashSet<>();
        Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+"))
                .filter(w -> !w.isEmpty() && !STOP.contains(w))
                .map(ToolSearch::stem)
                .forEach(out::add);
        return out;
    }

    /** Plural to singular, the only inflection tool names use ("messages", "replies"). */
    static String stem(String w) {
        if (w.length() > 4 && w.endsWith("ies")) {
            return w.substring(0, w.length() - 3) + "y";
        }
        if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss")) {
            return w.substring(0, w.length() - 1);
        }
        return w;
    }
}
