package dev.ms365mcp.tools.safety;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Whether an address is inside the organization: its domain is one of the allowed domains or below
 * one ({@code eu.contoso.com} is inside {@code contoso.com}).
 */
public final class RecipientPolicy {

    /** Addresses inside any text: {@code a@b.com}, {@code users('a@b.com')}, {@code "Bob" <a@b.com>}. */
    static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+)");

    private final Set<String> domains;

    public RecipientPolicy(Set<String> domains) {
        this.domains = Set.copyOf(domains);
    }

    public boolean active() {
        return !domains.isEmpty();
    }

    public Set<String> domains() {
        return domains;
    }

    public boolean inside(String address) {
        Matcher m = ADDRESS.matcher(address);
        if (!m.matches()) {
            return false;
        }
        String domain = m.group(1).toLowerCase(Locale.ROOT);
        for (String d : domains) {
            if (domain.equals(d) || domain.endsWith("." + d)) {
                return true;
            }
        }
        return false;
    }

    /** The addresses in a recipient (an object or a string), in order; empty when it names none. */
    static List<String> addresses(JsonNode recipient) {
        Set<String> out = new LinkedHashSet<>();
        collect(recipient, out);
        return new ArrayList<>(out);
    }

    private static void collect(JsonNode node, Set<String> out) {
        if (node.isString()) {
            Matcher m = ADDRESS.matcher(node.asString());
            while (m.find()) {
                out.add(m.group().toLowerCase(Locale.ROOT));
            }
        } else if (node.isContainer()) {
            node.forEach(child -> collect(child, out));
        }
    }

    /** {@code contoso.com, Contoso.DE} as a set of lower-case domains; a malformed entry fails with one line. */
    public static Set<String> parse(String value) {
        Set<String> out = new LinkedHashSet<>();
        if (value == null) {
            return out;
        }
        for (String raw : value.split("[,\\s]+")) {
            String d = raw.strip().toLowerCase(Locale.ROOT);
            if (d.startsWith("@")) {
                d = d.substring(1);
            }
            if (d.isEmpty()) {
                continue;
            }
            if (!d.matches("[a-z0-9-]+(\\.[a-z0-9-]+)+")) {
                throw new IllegalArgumentException("MS365_MCP_ALLOWED_RECIPIENT_DOMAINS: '" + raw
                        + "' is not a domain (expected e.g. contoso.com,contoso.de)");
            }
            out.add(d);
        }
        return out;
    }
}
