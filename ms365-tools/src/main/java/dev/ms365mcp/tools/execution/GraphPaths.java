package dev.ms365mcp.tools.execution;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Paths that callers write as paths: a driveItem addressed by name ({@code root:/dir/file}) and a whole
 * Graph path ({@code /me/photo/$value}). Each name is percent-encoded on its own, so a '/', '?' or '#'
 * inside a name never starts a segment, a query or a fragment; '.' and '..' segments are refused.
 */
final class GraphPaths {

    /** {@code root:/a}, {@code 01ABC:/a/b.txt}: an item, a colon, then a path below it. */
    private static final Pattern BASE_AND_PATH = Pattern.compile("[^/:]+:/.*");
    private static final Pattern ABSOLUTE = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*");
    private static final Pattern QUERY_NAME = Pattern.compile("[A-Za-z0-9$@._-]+");
    private static final String SUB_DELIMS = "!$&'()*+,;=:@";

    /**
     * A Graph path ready to send.
     *
     * @param version     {@code v1.0} or {@code beta}
     * @param encodedPath the path below the version, each segment encoded, no leading '/'
     * @param query       query parameters, decoded
     */
    record Target(String version, String encodedPath, Map<String, String> query) {
    }

    private GraphPaths() {
    }

    /** True when a driveItem argument is written as a path rather than an ID. */
    static boolean isItemPath(String value) {
        return value.startsWith("/") || BASE_AND_PATH.matcher(value).matches();
    }

    /**
     * {@code /Docs/a b.txt}, {@code root:/Docs/a b.txt} or {@code root:/Docs/a b.txt:} become
     * {@code root:/Docs/a%20b.txt:}; {@code 01ABC:/x} addresses {@code x} below item {@code 01ABC}.
     */
    static String itemPath(String value, String arg) {
        String base = "root";
        String rest = value;
        if (!value.startsWith("/")) {
            int colon = value.indexOf(":/");
            base = value.substring(0, colon);
            rest = value.substring(colon + 1);
        }
        if (rest.endsWith(":")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        List<String> names = new ArrayList<>(List.of(rest.split("/", -1)));
        names.remove(0);
        if (!names.isEmpty() && names.get(names.size() - 1).isEmpty()) {
            names.remove(names.size() - 1);
        }
        if (names.isEmpty()) {
            return encode(base, false);
        }
        StringBuilder out = new StringBuilder(encode(base, false)).append(":");
        for (String name : names) {
            checkName(name, arg, value);
            out.append('/').append(encode(name, false));
        }
        return out.append(':').toString();
    }

    /**
     * A path of several names, e.g. a site's server-relative path: {@code /sites/Team A} and
     * {@code sites/Team A/} become {@code sites/Team%20A}, the slashes kept, each name encoded on its own.
     */
    static String relativePath(String value, String arg) {
        String v = value.strip();
        while (v.startsWith("/")) {
            v = v.substring(1);
        }
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        if (v.isEmpty()) {
            throw new InvalidArgumentException("Argument '" + arg + "' names no path; give one such as sites/Team.");
        }
        StringBuilder out = new StringBuilder();
        for (String name : v.split("/", -1)) {
            checkName(name, arg, value);
            out.append(out.isEmpty() ? "" : "/").append(encode(name, false));
        }
        return out.toString();
    }

    /**
     * A Graph path as a caller writes it: {@code /me/photo/$value}, {@code me/drive/root:/a.txt:/content},
     * {@code /beta/...}, with an optional {@code ?query}, or an absolute URL on the Graph host itself.
     * Percent-escapes in it are read, then every segment is encoded again.
     */
    static Target target(String value, Predicate<URI> onGraphHost, String arg) {
        String v = value.strip();
        if (ABSOLUTE.matcher(v).matches()) {
            URI uri;
            try {
                uri = URI.create(v);
            } catch (IllegalArgumentException e) {
                throw new InvalidArgumentException("Argument '" + arg + "' is not a valid URL: " + e.getMessage());
            }
            if (!onGraphHost.test(uri)) {
                throw new InvalidArgumentException("Argument '" + arg + "' must stay on Microsoft Graph; "
                        + uri.getHost() + " is another host. Give a path such as /me/photo/$value.");
            }
            v = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        }
        if (v.contains("#") || v.startsWith("//") || v.contains("\\")) {
            throw new InvalidArgumentException("Argument '" + arg + "' must be a Graph path such as /me/photo/$value, got '"
                    + value + "'.");
        }
        int q = v.indexOf('?');
        String path = q < 0 ? v : v.substring(0, q);
        Map<String, String> query = q < 0 ? Map.of() : query(v.substring(q + 1), arg);
        List<String> segments = new ArrayList<>(List.of((path.startsWith("/") ? path.substring(1) : path).split("/", -1)));
        if (!segments.isEmpty() && segments.get(segments.size() - 1).isEmpty()) {
            segments.remove(segments.size() - 1);
        }
        String version = "v1.0";
        if (!segments.isEmpty() && (segments.get(0).equals("v1.0") || segments.get(0).equals("beta"))) {
            version = segments.remove(0);
        }
        if (segments.isEmpty()) {
            throw new InvalidArgumentException("Argument '" + arg + "' names no resource; give a path such as /me/photo/$value.");
        }
        StringBuilder encoded = new StringBuilder();
        for (String segment : segments) {
            String name = decode(segment);
            checkName(name, arg, value);
            encoded.append(encoded.isEmpty() ? "" : "/").append(encode(name, true));
        }
        return new Target(version, encoded.toString(), query);
    }

    /** The decoded segments of an encoded path, path-addressed names left out: {@code root:/a/b:/content} reads {@code root, content}. */
    static List<String> resourceSegments(String encodedPath) {
        List<String> out = new ArrayList<>();
        boolean inItemPath = false;
        for (String raw : encodedPath.split("/")) {
            String s = decode(raw);
            if (inItemPath) {
                inItemPath = !s.endsWith(":");
            } else if (s.endsWith(":") && s.length() > 1) {
                out.add(s.substring(0, s.length() - 1));
                inItemPath = true;
            } else if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static Map<String, String> query(String raw, String arg) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (!QUERY_NAME.matcher(name).matches()) {
                throw new InvalidArgumentException("Argument '" + arg + "' has a query parameter with an unusable name: '"
                        + name + "'.");
            }
            out.put(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return out;
    }

    private static void checkName(String name, String arg, String value) {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new InvalidArgumentException("Argument '" + arg + "' has an empty, '.' or '..' segment ('" + value
                    + "'); write the path from its root, without '..' or '//'.");
        }
    }

    /** Reads {@code %XX} escapes (UTF-8); anything else, '+' included, is taken literally. */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < s.length()) {
            int c = s.codePointAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                bytes.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 3;
            } else {
                bytes.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Percent-encodes all but unreserved characters; {@code lenient} also keeps sub-delims, ':' and '@'. */
    static String encode(String s, boolean lenient) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0
                    || (lenient && SUB_DELIMS.indexOf(c) >= 0))) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
